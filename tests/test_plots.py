"""The course's style and colours, and every figure helper, drawn on the non-interactive Agg backend."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from torch import nn


from activation_lab import functions
from activation_lab.networks import make_mlp
from activation_lab.plots import (
    OKABE_ITO,
    annotate_nan_runs,
    color_for,
    distinct_styles,
    linestyle_for,
    neuron_surface,
    plot_activation,
    plot_against_relu,
    plot_decision_boundary,
    plot_layer_histograms,
    plot_mean_spread,
    plot_neuron,
    plot_per_seed,
    plot_regions,
    use_style,
)
from activation_lab.regions import region_map
from activation_lab.registry import ACTIVATIONS

ELEMENTWISE = [name for name, record in ACTIVATIONS.items() if record.elementwise]
RUNS = np.array([[1.0, 2.0, 3.0, 4.0], [3.0, 4.0, 7.0, 4.0], [2.0, 9.0, 5.0, 4.0]])
STEPS = [0, 1, 2, 3]


def _points(n):
    return torch.randn(n, 2, generator=torch.Generator().manual_seed(0)), torch.arange(n) % 2


def _labelled_lines(ax):
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def _band(ax):
    """Lowest and highest y of the shaded band at each step."""
    (band,) = ax.collections
    vertices = np.concatenate([path.vertices for path in band.get_paths()])
    low = [vertices[vertices[:, 0] == step, 1].min() for step in STEPS]
    high = [vertices[vertices[:, 0] == step, 1].max() for step in STEPS]
    return np.array(low), np.array(high)


class _HalfPlane(nn.Module):
    """Predicts class 1 where x1 > 0, with a BatchNorm whose running statistics show any train-mode call."""

    def __init__(self):
        super().__init__()
        self.norm = nn.BatchNorm1d(2)

    def forward(self, x):
        self.norm(x)
        return torch.stack([-x[:, 0], x[:, 0]], dim=1)


# Style and colours


def test_use_style_sets_the_palette_as_the_colour_cycle_and_the_course_defaults():
    with matplotlib.rc_context():
        use_style()
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert sorted(cycle) == sorted(OKABE_ITO.values())
        assert cycle[0] == OKABE_ITO["blue"]
        assert matplotlib.rcParams["image.cmap"] == "cividis"
        assert matplotlib.rcParams["axes.grid"] and not matplotlib.rcParams["axes.spines.top"]
        assert tuple(matplotlib.rcParams["figure.figsize"]) == (6.4, 3.6)
        _, ax = plt.subplots()
        assert ax.plot([0, 1])[0].get_color() == OKABE_ITO["blue"]


def test_linestyle_for_cycles_through_four_distinct_styles():
    styles = [linestyle_for(index) for index in range(9)]
    assert len(set(styles[:4])) == 4 and styles[4:8] == styles[:4] and styles[8] == styles[0]
    assert styles[0] == "-"


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_color_for_a_registry_name_is_its_records_colour(name):
    assert color_for(name) == OKABE_ITO[ACTIVATIONS[name].color]


@pytest.mark.parametrize("name", ["my_activation", "", "x"])
def test_color_for_another_name_is_a_palette_colour(name):
    assert color_for(name) in OKABE_ITO.values()


def test_relu_sigmoid_and_tanh_have_distinct_colours():
    assert len({color_for("relu"), color_for("sigmoid"), color_for("tanh")}) == 3


def test_color_for_rejects_a_non_string():
    with pytest.raises(TypeError, match="name"):
        color_for(None)


@pytest.mark.parametrize(("name", "params"), [("relu", {}), ("tanh", {}), ("sigmoid", {}),
                                              ("leaky_relu", {"negative_slope": 0.2}), ("elu", {"alpha": 0.5}),
                                              ("step", {}), ("gelu", {"approximate": "tanh"})])
def test_plot_activation_draws_f_and_its_derivative(ax, name, params):
    record = ACTIVATIONS[name]
    arguments = {**record.defaults, **params}
    plot_activation(ax, name, **params)
    f, derivative = _labelled_lines(ax)
    x = f.get_xdata()
    assert x[0] == -4.0 and x[-1] == 4.0 and len(x) == 801
    assert np.allclose(f.get_ydata(), record.forward(x, **arguments))
    assert np.allclose(derivative.get_ydata(), record.derivative(x, **arguments))
    assert derivative.get_linestyle() == "--" and f.get_linestyle() == "-"
    assert f.get_color() == derivative.get_color() == color_for(name)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_plot_activation_without_derivative_draws_one_line(ax, name):
    plot_activation(ax, name, derivative=False)
    (line,) = _labelled_lines(ax)
    assert np.allclose(line.get_ydata(), ACTIVATIONS[name].forward(line.get_xdata(), **ACTIVATIONS[name].defaults))


def test_plot_activation_uses_given_x_and_label(ax):
    x = np.array([-1.0, 0.5, 2.0])
    assert plot_activation(ax, "relu", x, label="mine") is ax
    f, derivative = _labelled_lines(ax)
    assert np.array_equal(f.get_xdata(), x)
    assert np.array_equal(f.get_ydata(), [0.0, 0.5, 2.0])
    assert [f.get_label(), derivative.get_label()] == ["mine", "mine, derivative"]


def test_plot_activation_rejects_softmax(ax):
    with pytest.raises(ValueError, match="not elementwise"):
        plot_activation(ax, "softmax")


@pytest.mark.parametrize(("name", "error"), [("rellu", ValueError), (None, TypeError)])
def test_plot_activation_rejects_unknown_names(ax, name, error):
    with pytest.raises(error, match="name|unknown activation"):
        plot_activation(ax, name)


def test_plot_mean_spread_draws_the_mean_and_a_min_max_band(ax):
    assert plot_mean_spread(ax, STEPS, RUNS, label="runs", color=OKABE_ITO["blue"]) is ax
    (line,) = _labelled_lines(ax)
    assert np.allclose(line.get_ydata(), [2.0, 5.0, 5.0, 4.0])
    assert line.get_label() == "runs" and line.get_color() == OKABE_ITO["blue"]
    low, high = _band(ax)
    assert np.allclose(low, [1.0, 2.0, 3.0, 4.0])
    assert np.allclose(high, [3.0, 9.0, 7.0, 4.0])
    assert ax.get_yscale() == "linear"


def test_plot_mean_spread_std_band_is_one_sample_std_around_the_mean(ax):
    plot_mean_spread(ax, STEPS, RUNS, label="runs", spread="std")
    low, high = _band(ax)
    std = np.array([1.0, np.sqrt(13.0), 2.0, 0.0])  # with n - 1 = 2: e.g. (1 + 0 + 1) / 2 = 1 at the first step
    assert np.allclose(low, RUNS.mean(axis=0) - std)
    assert np.allclose(high, RUNS.mean(axis=0) + std)


def test_plot_mean_spread_std_band_of_a_single_run_is_the_line_itself(ax):
    plot_mean_spread(ax, STEPS, RUNS[:1], label="run", spread="std")
    low, high = _band(ax)
    assert np.allclose(low, RUNS[0]) and np.allclose(high, RUNS[0])


def test_plot_mean_spread_band_takes_the_line_colour(ax):
    plot_mean_spread(ax, STEPS, RUNS, label="runs", color=OKABE_ITO["vermillion"], linestyle=":")
    (line,) = _labelled_lines(ax)
    (band,) = ax.collections
    assert np.allclose(band.get_facecolor()[0][:3], matplotlib.colors.to_rgb(OKABE_ITO["vermillion"]))
    assert line.get_linestyle() == ":"


def test_plot_mean_spread_log_uses_geometric_means_and_a_log_axis(ax):
    runs = np.array([[1.0, 100.0, 1e-3], [100.0, 1e4, 1e-1]])
    plot_mean_spread(ax, [0, 1, 2], runs, label="norms", log=True)
    (line,) = _labelled_lines(ax)
    assert np.allclose(line.get_ydata(), [10.0, 1000.0, 1e-2])
    assert ax.get_yscale() == "log"


def test_plot_mean_spread_log_std_band_is_a_factor_around_the_mean(ax):
    runs = np.array([[1.0, 10.0, 100.0, 1.0], [100.0, 1000.0, 1e4, 1.0]])
    plot_mean_spread(ax, STEPS, runs, label="norms", log=True, spread="std")
    low, high = _band(ax)
    factor = 10 ** np.sqrt(2.0)  # log10 values 0 and 2: sample std sqrt(2) around the mean 1
    assert np.allclose(low, [10 / factor, 100 / factor, 1000 / factor, 1.0])
    assert np.allclose(high, [10 * factor, 100 * factor, 1000 * factor, 1.0])


@pytest.mark.parametrize("runs", [np.arange(4.0), np.ones((2, 2, 2)), 3.0])
def test_plot_mean_spread_rejects_runs_that_are_not_2d(ax, runs):
    with pytest.raises(ValueError, match="runs must be 2-D"):
        plot_mean_spread(ax, STEPS, runs, label="runs")


@pytest.mark.parametrize("spread", ["range", "sem", None])
def test_plot_mean_spread_rejects_unknown_spread(ax, spread):
    with pytest.raises(ValueError, match="spread"):
        plot_mean_spread(ax, STEPS, RUNS, label="runs", spread=spread)


def test_plot_decision_boundary_shades_both_predicted_classes(ax):
    x = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0], [0.5, 0.0]])
    y = torch.tensor([0, 0, 1, 1, 1])
    assert plot_decision_boundary(ax, _HalfPlane(), x, y, resolution=21) is ax
    (shading,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    class0, class1 = shading.allsegs
    assert len(class0) > 0 and len(class1) > 0
    step = 3.0 / 20  # the grid spacing: the boundary lies within one step of x1 = 0
    assert max(vertex[0] for segment in class0 for vertex in segment) <= step
    assert min(vertex[0] for segment in class1 for vertex in segment) >= -step


def test_plot_decision_boundary_scatters_each_class(ax):
    x = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0], [0.5, 0.0]])
    y = torch.tensor([0, 0, 1, 1, 1])
    plot_decision_boundary(ax, _HalfPlane(), x, y, resolution=11, title="half plane")
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [s.get_label() for s in scatters] == ["class 0", "class 1"]
    assert [len(s.get_offsets()) for s in scatters] == [2, 3]
    assert np.allclose(scatters[1].get_offsets(), x[y == 1].numpy())
    assert ax.get_title() == "half plane"


def test_plot_decision_boundary_covers_the_data_with_a_margin(ax):
    x = torch.tensor([[-1.0, -2.0], [3.0, 1.0]])
    plot_decision_boundary(ax, _HalfPlane(), x, torch.tensor([0, 1]), resolution=11, margin=0.5)
    (shading,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    vertices = np.concatenate([segment for level in shading.allsegs for segment in level])
    assert np.allclose(vertices.min(axis=0), [-1.5, -2.5])
    assert np.allclose(vertices.max(axis=0), [3.5, 1.5])


@pytest.mark.parametrize("was_training", [True, False])
def test_plot_decision_boundary_leaves_the_model_mode_and_statistics_alone(ax, was_training):
    model = _HalfPlane().train(was_training)
    before = {name: value.clone() for name, value in model.state_dict().items()}
    plot_decision_boundary(ax, model, *_points(20), resolution=11)
    assert model.training is was_training and model.norm.training is was_training
    assert all(torch.equal(before[name], value) for name, value in model.state_dict().items())


def test_plot_decision_boundary_works_with_an_mlp(ax):
    model = make_mlp([2, 8, 2], "tanh", seed=0)
    plot_decision_boundary(ax, model, *_points(30), resolution=15)
    assert any(isinstance(c, ContourSet) for c in ax.collections)


@pytest.mark.parametrize("x", [torch.zeros(5), torch.zeros(5, 3), torch.zeros(5, 1), torch.zeros(2, 5, 2)])
def test_plot_decision_boundary_rejects_x_not_of_shape_n_by_2(ax, x):
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plot_decision_boundary(ax, _HalfPlane(), x, torch.zeros(len(x), dtype=torch.long))


def test_log_spread_rejects_zeros_with_a_clear_message(ax):
    with pytest.raises(ValueError, match="positive for log=True"):
        plot_mean_spread(ax, [0, 1], np.array([[0.0, 1.0], [1.0, 2.0]]), label="runs", log=True)


# Functions against ReLU, values per seed, styles that never repeat


def test_plot_against_relu_draws_relu_in_grey_then_the_entry_with_its_parameters(ax):
    plot_against_relu(ax, "leaky_relu", negative_slope=0.2)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["ReLU", "ReLU, derivative"]
    assert "Leaky ReLU, negative_slope=0.2" in labels
    entry = ax.get_lines()[labels.index("Leaky ReLU, negative_slope=0.2")]
    np.testing.assert_allclose(entry.get_ydata(), functions.leaky_relu(entry.get_xdata(), 0.2))


def test_plot_against_relu_for_relu_itself_draws_no_grey_copy(ax):
    plot_against_relu(ax, "relu", derivative=False)
    assert [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")] == ["ReLU"]


def test_plot_per_seed_draws_each_value_and_the_mean(ax):
    plot_per_seed(ax, {"relu": [0.9, 0.92, 0.94], "gelu": [0.91, 0.93]}, ylabel="accuracy")
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["ReLU", "GELU"]
    assert len(ax.collections) == 5
    means = [line.get_ydata()[0] for line in ax.get_lines()]
    assert means == pytest.approx([0.92, 0.92])
    with pytest.raises(ValueError, match="values"):
        plot_per_seed(ax, {}, ylabel="accuracy")


def test_distinct_styles_keep_each_colour_and_split_shared_ones_by_line_style():
    names = ["relu", "leaky_relu", "silu", "hardtanh", "elu", "softplus"]
    styles = distinct_styles(names)
    assert list(styles) == names
    assert all(styles[n]["color"] == color_for(n) for n in names)
    pairs = [(s["color"], s["linestyle"]) for s in styles.values()]
    assert len(set(pairs)) == len(pairs)
    # leaky_relu, silu and hardtanh share orange: solid, dashed, dash-dot in that order.
    assert [styles[n]["linestyle"] for n in ["leaky_relu", "silu", "hardtanh"]] == ["-", "--", "-."]
    assert styles["relu"]["linestyle"] == "-"
    with pytest.raises(ValueError, match="repeat"):
        distinct_styles(["relu", "relu"])
    with pytest.raises(TypeError, match="names"):
        distinct_styles("relu")


# Views of a network: one neuron, a layer's histograms, linear regions


def test_neuron_surface_grid_and_pre_activation_are_the_weighted_sum():
    x1, x2, pre, _ = neuron_surface("relu", 2.0, -1.0, 0.5, extent=2.0, resolution=5)
    assert x1.shape == x2.shape == pre.shape == (5, 5)
    assert (x1[0, 0], x2[0, 0], x1[-1, -1], x2[-1, -1]) == (-2.0, -2.0, 2.0, 2.0)
    np.testing.assert_allclose(pre, 2.0 * x1 - x2 + 0.5, rtol=0, atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "gelu"])
def test_neuron_surface_output_matches_torch(name):
    _, _, pre, out = neuron_surface(name, 1.5, 0.7, -0.3, resolution=31)
    record = ACTIVATIONS[name]
    expected = record.module()(torch.from_numpy(pre)).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-12)


def test_neuron_surface_of_a_step_is_one_exactly_on_the_positive_side():
    _, _, pre, out = neuron_surface("step", 1.0, 1.0, -1.0, resolution=41)
    np.testing.assert_array_equal(out, (pre > 0).astype(float))


def test_plot_neuron_draws_filled_output_boundary_arrow_and_colorbar(ax):
    assert plot_neuron(ax, "sigmoid", 1.0, 1.0, 0.0) is ax
    assert len(ax.figure.axes) == 2  # the panel and its colour bar
    filled, boundary = ax.collections
    np.testing.assert_allclose([filled.levels[0], filled.levels[-1]], [0.0, 1.0])
    np.testing.assert_array_equal(boundary.levels, [0.0])
    assert len(ax.texts) == 1  # the arrow along w
    assert "Sigmoid" in ax.get_title()


def test_plot_neuron_of_an_unbounded_activation_uses_the_data_range(ax):
    plot_neuron(ax, "relu", 1.0, 0.0, 0.0, extent=2.0, colorbar=False)
    levels = ax.collections[0].levels
    np.testing.assert_allclose([levels[0], levels[-1]], [0.0, 2.0])
    assert len(ax.figure.axes) == 1


def test_plot_neuron_draws_no_boundary_or_arrow_when_the_pre_activation_keeps_one_sign(ax):
    plot_neuron(ax, "tanh", 1.0, 0.0, 10.0, colorbar=False, title="shifted")
    assert len(ax.collections) == 1 and len(ax.texts) == 0
    assert ax.get_title() == "shifted"


def test_plot_neuron_of_a_constant_neuron_draws_without_warnings(ax):
    # pytest.ini turns warnings into errors, so a contour warning would fail here
    plot_neuron(ax, "relu", 0.0, 0.0, 0.0)
    plot_neuron(ax, "step", 0.0, 0.0, -1.0, colorbar=False)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("softmax", 1.0, 1.0, 0.0), {}, ValueError, "^activation must be elementwise"),
        (("relux", 1.0, 1.0, 0.0), {}, ValueError, "unknown activation"),
        (("relu", "1", 1.0, 0.0), {}, TypeError, "^w1 must be a real number"),
        (("relu", 1.0, True, 0.0), {}, TypeError, "^w2 must be a real number"),
        (("relu", 1.0, 1.0, np.nan), {}, ValueError, "^b must be finite"),
        (("relu", 1.0, 1.0, 0.0), {"extent": 0.0}, ValueError, "^extent must be positive"),
        (("relu", 1.0, 1.0, 0.0), {"resolution": 1}, ValueError, "^resolution must be an int"),
        (("relu", 1.0, 1.0, 0.0), {"resolution": 10.0}, ValueError, "^resolution must be an int"),
    ],
)
def test_neuron_surface_bad_arguments_raise_naming_them(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        neuron_surface(*args, **kwargs)


def test_plot_neuron_value_range_fixes_the_colour_scale_and_clips(ax):
    plot_neuron(ax, "relu", 3.0, 0.0, 0.0, value_range=(0.0, 4.0), colorbar=False)
    filled = ax.collections[0]
    np.testing.assert_allclose([filled.levels[0], filled.levels[-1]], [0.0, 4.0])


@pytest.mark.parametrize("value_range", [(1.0, 1.0), (2.0, 0.0), (0.0, np.inf)])
def test_plot_neuron_bad_value_range_raises(ax, value_range):
    with pytest.raises(ValueError, match="^value_range must"):
        plot_neuron(ax, "relu", 1.0, 0.0, 0.0, value_range=value_range)


def image_rows(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


def test_layer_histograms_rows_hold_each_layers_bin_fractions(ax):
    layers = [np.array([0.1, 0.2, 0.9, 0.6]), np.array([[0.7, 0.8], [0.9, 0.95]])]
    plot_layer_histograms(ax, layers, value_range=(0.0, 1.0), bins=2, colorbar=False)
    np.testing.assert_allclose(image_rows(ax), [[0.5, 0.5], [0.0, 1.0]])
    assert ax.images[0].get_extent() == [0.0, 1.0, 0.5, 2.5]  # layer l is the row centred on y = l


def test_layer_histograms_count_values_outside_the_range_in_the_edge_bins(ax):
    plot_layer_histograms(ax, [np.array([-5.0, -1.0, 0.9, 5.0])], value_range=(-1.0, 1.0), bins=4, colorbar=False)
    np.testing.assert_allclose(image_rows(ax), [[0.5, 0.0, 0.0, 0.5]])


def test_layer_histograms_colour_scale_and_colorbar(ax):
    plot_layer_histograms(ax, [np.zeros(3)], value_range=(-1.0, 1.0), gamma=0.3, vmax=0.25)
    norm = ax.images[0].norm
    assert (norm.vmin, norm.vmax, norm.gamma) == (0.0, 0.25, 0.3)
    assert len(ax.figure.axes) == 2  # the colorbar has its own axes
    _, other = plt.subplots()
    plot_layer_histograms(other, [np.zeros(3)], value_range=(-1.0, 1.0), colorbar=False, title="t")
    assert len(other.figure.axes) == 1 and other.get_title() == "t"


def test_layer_histograms_accept_a_2d_array_and_leave_it_alone(ax):
    values = np.array([[0.0, 1.0], [1.0, 1.0]])
    copy = values.copy()
    assert plot_layer_histograms(ax, values, value_range=(0.0, 1.0), bins=2, colorbar=False) is ax
    np.testing.assert_allclose(image_rows(ax), [[0.5, 0.5], [0.0, 1.0]])
    np.testing.assert_array_equal(values, copy)


@pytest.mark.parametrize("values, error", [
    (np.zeros(4), TypeError),
    ("layers", TypeError),
    ([], ValueError),
    ([np.zeros(0)], ValueError),
])
def test_layer_histograms_reject_bad_values(ax, values, error):
    with pytest.raises(error, match="values"):
        plot_layer_histograms(ax, values, value_range=(0.0, 1.0))


@pytest.mark.parametrize("options, match", [
    ({"value_range": (1.0, 0.0)}, "value_range"),
    ({"value_range": (0.0, np.inf)}, "value_range"),
    ({"value_range": (0.0, 1.0), "bins": 1}, "bins"),
    ({"value_range": (0.0, 1.0), "gamma": 0.0}, "gamma"),
    ({"value_range": (0.0, 1.0), "vmax": 1.5}, "vmax"),
])
def test_layer_histograms_reject_bad_options(ax, options, match):
    with pytest.raises(ValueError, match=match):
        plot_layer_histograms(ax, [np.zeros(3)], **options)


def test_plot_regions_draws_every_region_and_checks_shapes(ax):
    grid = region_map(make_mlp([2, 3, 1], "relu", seed=0), -2.0, 2.0, 60)
    assert plot_regions(ax, grid.x1, grid.x2, grid.ids, title="three lines") is ax
    assert len(ax.collections) == 2 and ax.get_title() == "three lines"  # the fill and the edges
    with pytest.raises(ValueError, match="shape"):
        plot_regions(ax, grid.x1, grid.x2[:-1], grid.ids)


# Runs that gave no value


def test_nan_runs_are_noted_only_under_columns_with_nan(ax):
    values = {"a": [1.0, 2.0], "b": [np.nan, 3.0, np.nan], "c": np.array([np.nan])}
    plot_per_seed(ax, {k: np.asarray(v)[np.isfinite(v)] for k, v in values.items() if np.isfinite(v).any()},
                  ylabel="y")
    assert annotate_nan_runs(ax, values, y=0.5) is ax
    notes = [(text.get_text(), text.xy) for text in ax.texts]
    assert notes == [("2/3\ndiverged", (1, 0.5)), ("1/1\ndiverged", (2, 0.5))]


def test_nan_runs_custom_label_and_no_note_without_nan(ax):
    annotate_nan_runs(ax, {"a": [1.0]}, y=0.0)
    assert len(ax.texts) == 0
    annotate_nan_runs(ax, {"a": [np.nan, 1.0]}, y=2.0, label="failed")
    assert ax.texts[0].get_text() == "1/2\nfailed"


def test_nan_runs_reject_what_is_not_a_mapping(ax):
    with pytest.raises(ValueError, match="values"):
        annotate_nan_runs(ax, [1.0, np.nan], y=0.0)
    with pytest.raises(ValueError, match="values"):
        annotate_nan_runs(ax, {}, y=0.0)
