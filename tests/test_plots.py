"""The course's colours and figure helpers, drawn on the non-interactive Agg backend."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from torch import nn

from activation_lab import (
    ACTIVATIONS,
    OKABE_ITO,
    color_for,
    make_mlp,
    plot_activation,
    plot_decision_boundary,
    plot_mean_spread,
)

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


@pytest.mark.parametrize("name", [*ACTIVATIONS, "my_activation", ""])
def test_color_for_returns_a_palette_colour(name):
    assert color_for(name) in OKABE_ITO.values()


@pytest.mark.parametrize("name", ["relu", "softmax", "my_activation"])
def test_color_for_is_deterministic(name):
    assert len({color_for(name) for _ in range(5)}) == 1


def test_relu_sigmoid_and_tanh_have_distinct_colours():
    assert len({color_for("relu"), color_for("sigmoid"), color_for("tanh")}) == 3


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


def test_plot_mean_spread_std_band_is_one_std_around_the_mean(ax):
    plot_mean_spread(ax, STEPS, RUNS, label="runs", spread="std")
    low, high = _band(ax)
    assert np.allclose(low, RUNS.mean(axis=0) - RUNS.std(axis=0))
    assert np.allclose(high, RUNS.mean(axis=0) + RUNS.std(axis=0))


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
    assert np.allclose(low, [1.0, 10.0, 100.0, 1.0])
    assert np.allclose(high, [100.0, 1000.0, 1e4, 1.0])


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


def test_log_spread_rejects_zeros_with_a_clear_message():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="positive for log=True"):
        plot_mean_spread(ax, [0, 1], np.array([[0.0, 1.0], [1.0, 2.0]]), label="runs", log=True)
