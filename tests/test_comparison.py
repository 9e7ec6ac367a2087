"""The comparison module: the table from the registry, the runner over activations and seeds, depth traces."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from scipy import stats  # noqa: E402
from torch import nn  # noqa: E402

import activation_lab as al  # noqa: E402
from activation_lab import ACTIVATIONS  # noqa: E402

ELEMENTWISE = [name for name, record in ACTIVATIONS.items() if record.elementwise]


# The table


def test_default_table_has_one_row_per_elementwise_entry_in_registry_order():
    rows = al.tables.comparison_table()
    assert [row["activation"] for row in rows] == ELEMENTWISE
    assert "softmax" not in [row["activation"] for row in rows]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_row_copies_the_registry_facts(name):
    (row,) = al.tables.comparison_table([name])
    record = ACTIVATIONS[name]
    assert row["label"] == record.label and row["formula"] == record.formula
    assert row["range"] == record.output_range
    assert (row["monotonic"], row["smoothness"], row["zero_centred"]) == (record.monotonic, record.smoothness,
                                                                      record.zero_centred)
    assert "cost" not in row


CAN_DIE = {"step": True, "relu": True, "relu6": True, "hardtanh": True, "leaky_relu": False, "prelu": False,
           "elu": False, "selu": False, "celu": False, "gelu": False, "silu": False, "softplus": False,
           "mish": False, "sigmoid": False, "tanh": False, "identity": False}


def test_can_die_is_true_exactly_for_a_zero_gradient_half_line():
    rows = al.tables.comparison_table(list(CAN_DIE))
    assert {row["activation"]: row["can_die"] for row in rows} == CAN_DIE


@pytest.mark.parametrize(("name", "low", "high"), [
    ("relu", 0.0, 0.0),
    ("leaky_relu", 0.01, 0.01),
    ("prelu", 0.25, 0.25),
    ("elu", math.exp(-4.0), math.exp(-0.01)),
    ("sigmoid", float(al.functions.sigmoid_derivative(-4.0)), float(al.functions.sigmoid_derivative(-0.01))),
])
def test_negative_gradient_is_the_range_of_the_derivative_on_minus_four_to_zero(name, low, high):
    (row,) = al.tables.comparison_table([name])
    assert row["negative_gradient"] == pytest.approx((low, high), rel=1e-12)


def test_silu_negative_gradient_dips_below_zero_at_its_known_minimum():
    (row,) = al.tables.comparison_table(["silu"])
    # silu' is smallest at x = -2.3994 (where silu'' = 0): about -0.0998.
    assert row["negative_gradient"][0] == pytest.approx(-0.0998, abs=2e-4)


def test_cost_adds_a_column_with_none_where_unknown():
    rows = al.tables.comparison_table(["relu", "gelu"], cost={"relu": 1.0, "gelu": 2.5})
    assert [row["cost"] for row in rows] == [1.0, 2.5]
    rows = al.tables.comparison_table(["relu", "gelu"], cost={"relu": 1.0})
    assert [row["cost"] for row in rows] == [1.0, None]


@pytest.mark.parametrize(("names", "cost", "error", "match"), [
    (["rleu"], None, ValueError, "rleu"),
    (["softmax"], None, ValueError, "elementwise"),
    ("relu", None, TypeError, "names"),
    ([], None, ValueError, "names"),
    (["relu", "relu"], None, ValueError, "repeat"),
    (["relu"], [1.0], TypeError, "cost"),
    (["relu"], {"relu": 0.0}, ValueError, "cost"),
    (["relu"], {"relu": math.nan}, ValueError, "cost"),
    (["relu"], {"relu": "1"}, ValueError, "cost"),
])
def test_table_rejects_bad_arguments(names, cost, error, match):
    with pytest.raises(error, match=match):
        al.tables.comparison_table(names, cost=cost)


def test_markdown_has_a_header_a_rule_and_one_line_per_row():
    rows = al.tables.comparison_table(["relu", "elu", "gelu"])
    lines = al.tables.comparison_markdown(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert lines[0].startswith("| activation | formula | range |") and "cost" not in lines[0]
    assert all(line.count("|") == lines[0].count("|") for line in lines)
    assert lines[2] == "| ReLU | $f(z) = \\max(0, z)$ | 0 to ∞ | yes | C0 | no | 0 | yes |"
    assert "| −1 to ∞ |" in lines[3] and "0.018 to 0.99" in lines[3]
    assert "| −0.17 to ∞ | no | C∞ |" in lines[4]


def test_markdown_shows_cost_only_when_given():
    rows = al.tables.comparison_table(["relu", "gelu", "elu"], cost={"relu": 1.0, "gelu": 2.25})
    lines = al.tables.comparison_markdown(rows).splitlines()
    assert lines[0].endswith("| cost vs ReLU |")
    assert lines[2].endswith("| 1.0× |") and lines[3].endswith("| 2.2× |") and lines[4].endswith("| n/a |")


@pytest.mark.parametrize("rows", [[], {}, [{"label": "ReLU"}]])
def test_markdown_rejects_what_is_not_table_rows(rows):
    with pytest.raises(ValueError, match="rows"):
        al.tables.comparison_markdown(rows)


def test_formula_markdown_shows_the_formula_and_every_parameter():
    text = al.tables.formula_markdown("softplus")
    assert ACTIVATIONS["softplus"].formula in text and "$$" in text
    assert "`beta` = 1 (explorer range 0.25 to 10)" in text and "`threshold`" in text
    assert "`approximate` = `none`" in al.tables.formula_markdown("gelu")
    assert "Parameters" not in al.tables.formula_markdown("relu")
    with pytest.raises(ValueError, match="rleu"):
        al.tables.formula_markdown("rleu")


def test_relative_cost_is_one_for_relu_and_positive_for_the_rest():
    cost = al.timing.relative_cost(["gelu", "elu"], size=1000, repeats=2)
    assert list(cost) == ["relu", "gelu", "elu"]
    assert cost["relu"] == 1.0
    assert all(value > 0 and math.isfinite(value) for value in cost.values())


@pytest.mark.parametrize(("names", "options", "error"), [
    (["step"], {}, ValueError), (["relu"], {"size": 0}, ValueError), (["relu"], {"repeats": 0}, ValueError),
    ("relu", {}, TypeError),
])
def test_relative_cost_rejects_bad_arguments(names, options, error):
    with pytest.raises(error):
        al.timing.relative_cost(names, **options)


# The runner


@pytest.fixture(scope="module")
def xor():
    return al.xor_data(n=64, seed=0)


def build_mlp(name, seed):
    return al.make_mlp([2, 8, 2], name, seed=seed)


@pytest.fixture(scope="module")
def comparison(xor):
    return al.compare_activations(["relu", "tanh"], build_mlp, xor, seeds=(3, 4), epochs=3, lr=0.1)


def test_runner_keeps_one_history_model_and_record_per_activation_and_seed(comparison):
    assert comparison.names == ("relu", "tanh") and comparison.seeds == (3, 4)
    assert [(r["activation"], r["seed"]) for r in comparison.records] == [
        ("relu", 3), ("relu", 4), ("tanh", 3), ("tanh", 4)]
    for name in comparison.names:
        assert len(comparison.histories[name]) == len(comparison.models[name]) == 2
        assert all(len(history.epoch) == 4 for history in comparison.histories[name])
    expected = {"activation", "seed", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "dead_fraction",
                "seconds_per_epoch"}
    assert all(set(record) == expected for record in comparison.records)


def test_runner_records_are_the_histories_final_values_and_the_trained_models(comparison, xor):
    record = comparison.records[1]
    history = comparison.histories["relu"][1]
    model = comparison.models["relu"][1]
    assert record["val_accuracy"] == history.val_accuracy[-1] and record["train_loss"] == history.train_loss[-1]
    assert al.evaluate(model, xor.x_val, xor.y_val) == (history.val_loss[-1], history.val_accuracy[-1])
    assert record["seconds_per_epoch"] > 0


def test_same_seed_means_same_starting_weights_for_every_activation(xor):
    seen = {}

    def build(name, seed):
        model = build_mlp(name, seed)
        seen[(name, seed)] = [p.detach().clone() for p in model.parameters()]
        return model

    al.compare_activations(["relu", "elu"], build, xor, seeds=(0, 1), epochs=1)
    for seed in (0, 1):
        for a, b in zip(seen[("relu", seed)], seen[("elu", seed)]):
            assert torch.equal(a, b)
    assert not torch.equal(seen[("relu", 0)][0], seen[("relu", 1)][0])


def test_runner_is_deterministic(comparison, xor):
    again = al.compare_activations(["relu", "tanh"], build_mlp, xor, seeds=(3, 4), epochs=3, lr=0.1)
    strip = lambda records: [{k: v for k, v in r.items() if k != "seconds_per_epoch"} for r in records]  # noqa: E731
    assert strip(again.records) == strip(comparison.records)


def test_dead_fraction_is_one_for_a_relu_net_born_dead_and_nan_without_activations(xor):
    dead = al.compare_activations(["relu"], lambda name, seed: al.make_mlp([2, 8, 2], name, init="he", bias=-100.0,
                                                                           seed=seed), xor, seeds=(0,), epochs=1)
    assert dead.records[0]["dead_fraction"] == 1.0
    linear = al.compare_activations(["relu"], lambda name, seed: al.make_mlp([2, 8, 2], None, seed=seed), xor,
                                    seeds=(0,), epochs=1)
    assert math.isnan(linear.records[0]["dead_fraction"])


def test_curves_and_summary(comparison):
    curves = comparison.curves("tanh", "val_loss")
    assert curves.shape == (2, 4)
    np.testing.assert_array_equal(curves[0], comparison.histories["tanh"][0].val_loss)
    summary = comparison.summary("val_accuracy")
    assert [row["activation"] for row in summary] == ["relu", "tanh"]
    values = [r["val_accuracy"] for r in comparison.records if r["activation"] == "tanh"]
    assert summary[1]["mean"] == pytest.approx(np.mean(values)) and summary[1]["n"] == 2
    with pytest.raises(ValueError, match="gelu"):
        comparison.curves("gelu", "val_loss")


@pytest.mark.parametrize(("args", "error"), [
    ((["relu"], "not callable"), TypeError),
    ((["relu"], build_mlp, "data"), TypeError),
    (("relu", build_mlp), TypeError),
])
def test_runner_rejects_bad_arguments(args, error, xor):
    arguments = list(args) + [xor] if len(args) == 2 else list(args)
    with pytest.raises(error):
        al.compare_activations(*arguments, epochs=1)


def test_runner_rejects_a_builder_that_returns_no_module(xor):
    with pytest.raises(TypeError, match="nn.Module"):
        al.compare_activations(["relu"], lambda name, seed: "model", xor, seeds=(0,), epochs=1)
    with pytest.raises(ValueError, match="seeds"):
        al.compare_activations(["relu"], build_mlp, xor, seeds=(), epochs=1)


# Paired differences from a reference


def records_from(table):
    return [{"activation": name, "seed": seed, "score": value}
            for name, values in table.items() for seed, value in enumerate(values)]


def test_versus_reference_gives_the_paired_t_interval():
    records = records_from({"relu": [1.0, 2.0, 3.0], "wide": [2.0, 4.0, 6.0], "tight": [2.0, 3.1, 3.9]})
    rows = {row["activation"]: row for row in al.versus_reference(records, "score")}
    assert rows["relu"]["verdict"] == "reference" and rows["relu"]["difference"] == 0.0
    # wide: differences 1, 2, 3 -> mean 2, sd 1, t(0.975, 2) = 4.3027: (-0.484, 4.484).
    assert rows["wide"]["difference"] == pytest.approx(2.0)
    assert (rows["wide"]["low"], rows["wide"]["high"]) == pytest.approx((2 - 4.302653 / 3**0.5,
                                                                         2 + 4.302653 / 3**0.5), rel=1e-6)
    assert rows["wide"]["verdict"] == "within noise"
    assert rows["tight"]["verdict"] == "higher"
    expected = stats.ttest_rel([2.0, 3.1, 3.9], [1.0, 2.0, 3.0]).confidence_interval(0.95)
    assert (rows["tight"]["low"], rows["tight"]["high"]) == pytest.approx((expected.low, expected.high))
    assert rows["tight"]["mean"] == pytest.approx(3.0) and rows["tight"]["std"] == pytest.approx(0.95393920)


def test_versus_reference_says_lower_for_a_consistent_drop():
    records = records_from({"relu": [0.9, 0.92, 0.91, 0.93], "worse": [0.8, 0.83, 0.8, 0.84]})
    assert al.versus_reference(records, "score")[1]["verdict"] == "lower"


@pytest.mark.parametrize(("records", "options", "match"), [
    ([], {}, "records"),
    (records_from({"relu": [1.0, 2.0]}), {"reference": "gelu"}, "reference"),
    (records_from({"relu": [1.0, 2.0], "elu": [1.0]}), {}, "seeds"),
    (records_from({"relu": [1.0], "elu": [1.0]}), {}, "two seeds"),
    (records_from({"relu": [1.0, 2.0]}), {"confidence": 1.0}, "confidence"),
])
def test_versus_reference_rejects_bad_input(records, options, match):
    with pytest.raises(ValueError, match=match):
        al.versus_reference(records, "score", **options)


def test_versus_reference_names_a_missing_metric():
    with pytest.raises(ValueError, match="loss"):
        al.versus_reference(records_from({"relu": [1.0, 2.0]}), "loss")


# The CNN


def test_cnn_maps_flat_digits_to_ten_scores_with_two_activation_layers():
    model = al.make_digits_cnn("elu", channels=(4, 6), seed=0, alpha=0.5)
    x = torch.randn(5, 64)
    assert model(x).shape == (5, 10)
    activations = al.probes.activation_modules(model)
    assert len(activations) == 2 and all(isinstance(m, nn.ELU) and m.alpha == 0.5 for m in activations)
    report = al.dead_unit_report(model, x)
    assert list(report.units) == [4, 6]


def test_cnn_seed_fixes_the_weights_without_touching_the_global_generator():
    state = torch.random.get_rng_state()
    a, b = al.make_digits_cnn(seed=1), al.make_digits_cnn(seed=1)
    assert torch.equal(torch.random.get_rng_state(), state)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    c = al.make_digits_cnn(seed=2)
    assert not torch.equal(next(a.parameters()), next(c.parameters()))


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"activation": "rleu"}, ValueError), ({"channels": (4,)}, ValueError), ({"channels": (4, 0)}, ValueError),
    ({"channels": "48"}, ValueError), ({"bogus": 1.0}, TypeError),
])
def test_cnn_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        al.make_digits_cnn(**kwargs)


# Signals through depth


def test_relu_with_lecun_init_halves_the_second_moment_each_layer():
    trace = al.probes.signal_propagation("relu", depth=3, width=1024, batch=2048, seed=0)
    second_moment = trace.variance + trace.mean**2
    # Each layer's random weights scale the signal by a few per cent more or less than on average.
    np.testing.assert_allclose(second_moment, [0.5, 0.25, 0.125], rtol=0.12)
    np.testing.assert_allclose(second_moment[1:] / second_moment[:-1], 0.5, rtol=0.08)
    # First layer: relu of a standard normal has mean 1/sqrt(2 pi) and variance 1/2 - 1/(2 pi).
    assert trace.mean[0] == pytest.approx(1 / math.sqrt(2 * math.pi), rel=0.02)
    assert trace.variance[0] == pytest.approx(0.5 - 1 / (2 * math.pi), rel=0.03)


def test_selu_with_lecun_init_stays_near_zero_mean_unit_variance():
    trace = al.probes.signal_propagation("selu", depth=32, width=256, batch=512, seed=1)
    assert trace.mean.shape == trace.variance.shape == (32,)
    assert np.abs(trace.mean).max() < 0.1
    assert np.abs(trace.variance - 1.0).max() < 0.15


def test_selu_with_he_init_blows_up_and_alpha_dropout_keeps_the_fixed_point():
    assert al.probes.signal_propagation("selu", depth=32, init="he", seed=0).variance[-1] > 10.0
    alpha = al.probes.signal_propagation("selu", depth=32, dropout="alpha_dropout", rate=0.1, seed=0)
    plain = al.probes.signal_propagation("selu", depth=32, dropout="dropout", rate=0.1, seed=0)
    assert abs(alpha.variance[-8:].mean() - 1.0) < 0.15
    assert plain.variance[-8:].mean() > 1.3


def test_signal_propagation_is_deterministic_and_leaves_the_global_generator_alone():
    state = torch.random.get_rng_state()
    a = al.probes.signal_propagation("tanh", depth=4, dropout="dropout", seed=3)
    b = al.probes.signal_propagation("tanh", depth=4, dropout="dropout", seed=3)
    assert torch.equal(torch.random.get_rng_state(), state)
    np.testing.assert_array_equal(a.variance, b.variance)
    np.testing.assert_array_equal(a.mean, b.mean)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"depth": 0}, "depth"), ({"width": 2.5}, "width"), ({"batch": True}, "batch"), ({"init": "orthogonal"}, "init"),
    ({"dropout": "gaussian"}, "dropout"), ({"rate": 1.0}, "rate"), ({"rate": -0.1}, "rate"),
])
def test_signal_propagation_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        al.probes.signal_propagation("selu", **kwargs)


# The plot helpers added for chapter 5


def test_plot_against_relu_draws_relu_in_grey_then_the_entry_with_its_parameters():
    fig, ax = plt.subplots()
    al.plots.plot_against_relu(ax, "leaky_relu", negative_slope=0.2)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["ReLU", "ReLU, derivative"]
    assert "Leaky ReLU, negative_slope=0.2" in labels
    entry = ax.get_lines()[labels.index("Leaky ReLU, negative_slope=0.2")]
    np.testing.assert_allclose(entry.get_ydata(), al.functions.leaky_relu(entry.get_xdata(), 0.2))
    plt.close(fig)


def test_plot_against_relu_for_relu_itself_draws_no_grey_copy():
    fig, ax = plt.subplots()
    al.plots.plot_against_relu(ax, "relu", derivative=False)
    assert [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")] == ["ReLU"]
    plt.close(fig)


def test_plot_per_seed_draws_each_value_and_the_mean():
    fig, ax = plt.subplots()
    al.plots.plot_per_seed(ax, {"relu": [0.9, 0.92, 0.94], "gelu": [0.91, 0.93]}, ylabel="accuracy")
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["ReLU", "GELU"]
    assert len(ax.collections) == 5
    means = [line.get_ydata()[0] for line in ax.get_lines()]
    assert means == pytest.approx([0.92, 0.92])
    with pytest.raises(ValueError, match="values"):
        al.plots.plot_per_seed(ax, {}, ylabel="accuracy")
    plt.close(fig)


def test_distinct_styles_keep_each_colour_and_split_shared_ones_by_line_style():
    names = ["relu", "leaky_relu", "silu", "hardtanh", "elu", "softplus"]
    styles = al.plots.distinct_styles(names)
    assert list(styles) == names
    assert all(styles[n]["color"] == al.color_for(n) for n in names)
    pairs = [(s["color"], s["linestyle"]) for s in styles.values()]
    assert len(set(pairs)) == len(pairs)
    # leaky_relu, silu and hardtanh share orange: solid, dashed, dash-dot in that order.
    assert [styles[n]["linestyle"] for n in ["leaky_relu", "silu", "hardtanh"]] == ["-", "--", "-."]
    assert styles["relu"]["linestyle"] == "-"
    with pytest.raises(ValueError, match="repeat"):
        al.plots.distinct_styles(["relu", "relu"])
    with pytest.raises(TypeError, match="names"):
        al.plots.distinct_styles("relu")


def test_results_markdown_has_one_row_per_activation_with_the_paired_difference(comparison):
    lines = comparison.results_markdown(digits=3).splitlines()
    assert len(lines) == 2 + len(comparison.names)
    assert lines[0].startswith("| activation | validation accuracy, mean ± sd |")
    assert "difference from ReLU (95% interval)" in lines[0]
    relu_row, tanh_row = lines[2], lines[3]
    assert relu_row.startswith("| ReLU |") and "| — | reference |" in relu_row
    versus = comparison.versus("val_accuracy")[1]
    sign = "+" if versus["difference"] >= 0 else "−"
    assert tanh_row.startswith("| Tanh |") and f"| {versus['verdict']} |" in tanh_row
    assert f"{sign}{abs(versus['difference']):.3f}" in tanh_row
    with pytest.raises(ValueError, match="digits"):
        comparison.results_markdown(digits=0)


def test_results_markdown_says_n_a_for_dead_units_without_activation_layers(xor):
    linear = al.compare_activations(["relu", "tanh"], lambda name, seed: al.make_mlp([2, 4, 2], None, seed=seed), xor,
                                    seeds=(0, 1), epochs=1)
    assert all(line.endswith("| n/a |") for line in linear.results_markdown().splitlines()[2:])
