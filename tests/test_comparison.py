"""The runner over activations and seeds, paired differences from a reference, and the results table."""

import math

import numpy as np
import pytest
import torch
from scipy import stats


from activation_lab.comparison import compare_activations, versus_reference
from activation_lab.data import xor_data
from activation_lab.networks import make_mlp
from activation_lab.training import evaluate

# The runner

@pytest.fixture(scope="module")
def xor():
    return xor_data(n=64, seed=0)


def build_mlp(name, seed):
    return make_mlp([2, 8, 2], name, seed=seed)


@pytest.fixture(scope="module")
def comparison(xor):
    return compare_activations(["relu", "tanh"], build_mlp, xor, seeds=(3, 4), epochs=3, lr=0.1)


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
    assert evaluate(model, xor.x_val, xor.y_val) == (history.val_loss[-1], history.val_accuracy[-1])
    assert record["seconds_per_epoch"] > 0


def test_same_seed_means_same_starting_weights_for_every_activation(xor):
    seen = {}

    def build(name, seed):
        model = build_mlp(name, seed)
        seen[(name, seed)] = [p.detach().clone() for p in model.parameters()]
        return model

    compare_activations(["relu", "elu"], build, xor, seeds=(0, 1), epochs=1)
    for seed in (0, 1):
        for a, b in zip(seen[("relu", seed)], seen[("elu", seed)]):
            assert torch.equal(a, b)
    assert not torch.equal(seen[("relu", 0)][0], seen[("relu", 1)][0])


def test_runner_is_deterministic(comparison, xor):
    again = compare_activations(["relu", "tanh"], build_mlp, xor, seeds=(3, 4), epochs=3, lr=0.1)
    strip = lambda records: [{k: v for k, v in r.items() if k != "seconds_per_epoch"} for r in records]  # noqa: E731
    assert strip(again.records) == strip(comparison.records)


def test_dead_fraction_is_one_for_a_relu_net_born_dead_and_nan_without_activations(xor):
    dead = compare_activations(["relu"], lambda name, seed: make_mlp([2, 8, 2], name, init="he", bias=-100.0,
                                                                     seed=seed), xor, seeds=(0,), epochs=1)
    assert dead.records[0]["dead_fraction"] == 1.0
    linear = compare_activations(["relu"], lambda name, seed: make_mlp([2, 8, 2], None, seed=seed), xor,
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
    assert summary[1]["std"] == pytest.approx(np.std(values, ddof=1))
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
        compare_activations(*arguments, epochs=1)


def test_runner_rejects_a_builder_that_returns_no_module(xor):
    with pytest.raises(TypeError, match="nn.Module"):
        compare_activations(["relu"], lambda name, seed: "model", xor, seeds=(0,), epochs=1)
    with pytest.raises(ValueError, match="seeds"):
        compare_activations(["relu"], build_mlp, xor, seeds=(), epochs=1)


# Paired differences from a reference


def records_from(table):
    return [{"activation": name, "seed": seed, "score": value}
            for name, values in table.items() for seed, value in enumerate(values)]


def test_versus_reference_gives_the_paired_t_interval():
    records = records_from({"relu": [1.0, 2.0, 3.0], "wide": [2.0, 4.0, 6.0], "tight": [2.0, 3.1, 3.9]})
    rows = {row["activation"]: row for row in versus_reference(records, "score")}
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
    assert versus_reference(records, "score")[1]["verdict"] == "lower"


@pytest.mark.parametrize(("records", "options", "match"), [
    ([], {}, "records"),
    (records_from({"relu": [1.0, 2.0]}), {"reference": "gelu"}, "reference"),
    (records_from({"relu": [1.0, 2.0], "elu": [1.0]}), {}, "seeds"),
    (records_from({"relu": [1.0], "elu": [1.0]}), {}, "two seeds"),
    (records_from({"relu": [1.0, 2.0]}), {"confidence": 1.0}, "confidence"),
])
def test_versus_reference_rejects_bad_input(records, options, match):
    with pytest.raises(ValueError, match=match):
        versus_reference(records, "score", **options)


def test_versus_reference_names_a_missing_metric():
    with pytest.raises(ValueError, match="loss"):
        versus_reference(records_from({"relu": [1.0, 2.0]}), "loss")


# The results table


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
    linear = compare_activations(["relu", "tanh"], lambda name, seed: make_mlp([2, 4, 2], None, seed=seed), xor,
                                 seeds=(0, 1), epochs=1)
    assert all(line.endswith("| n/a |") for line in linear.results_markdown().splitlines()[2:])
