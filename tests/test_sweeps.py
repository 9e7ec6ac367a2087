"""The sweep runner and its summaries: order, determinism, statistics, NaN handling, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import activation_lab.sweeps
from activation_lab.sweeps import group_values, summarize, summary_table, sweep


def echo(**kwargs):
    return {"value": kwargs["a"] * 10 + kwargs["seed"]}


def test_records_follow_the_grid_then_the_seeds_in_a_fixed_order():
    records = sweep(lambda a, b, seed: {"out": f"{a}{b}{seed}"}, {"a": [1, 2], "b": ["x", "y"]}, seeds=(0, 1),
                    progress=False)
    assert [r["out"] for r in records] == ["1x0", "1x1", "1y0", "1y1", "2x0", "2x1", "2y0", "2y1"]
    assert records[0] == {"a": 1, "b": "x", "seed": 0, "out": "1x0"}
    assert all(set(r) == {"a", "b", "seed", "out"} for r in records)


def test_default_seeds_are_five():
    records = sweep(echo, {"a": [3]}, progress=False)
    assert [r["seed"] for r in records] == [0, 1, 2, 3, 4]
    assert [r["value"] for r in records] == [30, 31, 32, 33, 34]


def test_numpy_grids_and_seeds_become_python_numbers():
    records = sweep(echo, {"a": np.array([0.5, 2.0])}, seeds=np.arange(2), progress=False)
    assert [type(r["a"]) for r in records] == [float] * 4
    assert [type(r["seed"]) for r in records] == [int] * 4


def test_no_progress_is_printed_outside_a_notebook_kernel(capsys):
    sweep(echo, {"a": [1, 2]}, seeds=(0, 1), progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_the_progress_bar_counts_every_run_and_is_asked_for_only_with_progress(monkeypatch):
    bars = []

    class Bar:
        value = 0

    def progress_bar(total, description):
        bars.append((Bar(), total, description))
        return bars[-1][0]

    monkeypatch.setattr(activation_lab.sweeps, "progress_bar", progress_bar)
    sweep(echo, {"a": [1, 2, 3]}, seeds=(0, 1), description="lr sweep")
    ((bar, total, description),) = bars
    assert (bar.value, total, description) == (6, 6, "lr sweep")
    sweep(echo, {"a": [1]}, seeds=(0,), progress=False)
    assert len(bars) == 1


# summarize and friends -------------------------------------------------------------------------------------------------

RECORDS = [
    {"lr": 0.1, "opt": "sgd", "seed": 0, "dead": 0.10, "acc": 0.90},
    {"lr": 0.1, "opt": "sgd", "seed": 1, "dead": 0.30, "acc": 0.80},
    {"lr": 0.1, "opt": "adam", "seed": 0, "dead": 0.05, "acc": 0.95},
    {"lr": 1.0, "opt": "sgd", "seed": 0, "dead": 0.50, "acc": 0.40},
    {"lr": 1.0, "opt": "sgd", "seed": 1, "dead": float("nan"), "acc": 0.10},
    {"lr": 1.0, "opt": "sgd", "seed": 2, "dead": 0.70, "acc": 0.20},
    {"lr": 3.0, "opt": "sgd", "seed": 0, "dead": float("nan"), "acc": 0.10},
]


def test_summarize_gives_the_sample_statistics_in_order_of_first_appearance():
    rows = summarize(RECORDS, "lr", "acc")
    assert [row["lr"] for row in rows] == [0.1, 1.0, 3.0]
    # 0.90, 0.80, 0.95: mean 0.88333, squared deviations sum to 0.011667 over n - 1 = 2
    assert rows[0]["mean"] == pytest.approx(0.8833333333333333)
    assert rows[0]["std"] == pytest.approx(0.07637626158259733)
    assert (rows[0]["min"], rows[0]["max"], rows[0]["n"], rows[0]["n_nan"]) == (0.80, 0.95, 3, 0)


def test_summarize_by_several_fields_and_a_single_value_has_no_std():
    rows = summarize(RECORDS, ["lr", "opt"], "dead")
    assert [(row["lr"], row["opt"]) for row in rows] == [(0.1, "sgd"), (0.1, "adam"), (1.0, "sgd"), (3.0, "sgd")]
    assert rows[0]["mean"] == pytest.approx(0.2) and rows[0]["std"] == pytest.approx(0.1 * math.sqrt(2))
    assert rows[1]["mean"] == rows[1]["min"] == rows[1]["max"] == 0.05 and rows[1]["n"] == 1
    assert math.isnan(rows[1]["std"])


def test_summarize_leaves_nan_out_and_counts_it():
    rows = summarize(RECORDS, "lr", "dead")
    assert rows[1]["mean"] == pytest.approx(0.6)
    assert rows[1]["std"] == pytest.approx(0.1 * math.sqrt(2))  # of 0.5 and 0.7, with n - 1 = 1
    assert (rows[1]["n"], rows[1]["n_nan"]) == (2, 1)
    assert rows[2]["n"] == 0 and rows[2]["n_nan"] == 1
    assert all(math.isnan(rows[2][key]) for key in ("mean", "std", "min", "max"))


def test_group_values_keeps_nan_and_stacks_for_plotting():
    groups = group_values(RECORDS, "lr", "dead")
    assert list(groups) == [0.1, 1.0, 3.0]
    np.testing.assert_array_equal(groups[1.0], [0.5, np.nan, 0.7])
    pairs = group_values(RECORDS, ["lr", "opt"], "acc")
    assert list(pairs)[1] == (0.1, "adam")
    square = group_values([r for r in RECORDS if r["opt"] == "sgd" and r["lr"] < 3], "lr", "acc")
    assert len(square[0.1]) == 2 and len(square[1.0]) == 3


def test_summary_table_text():
    table = summary_table(RECORDS, "lr", ["dead", "acc"], digits=1, scale=100)
    lines = table.splitlines()
    assert lines[0].split() == ["lr", "dead", "mean", "[min,", "max]", "acc", "mean", "[min,", "max]", "NaN", "runs"]
    assert lines[1].split() == ["0.1", "15.0", "[5.0,", "30.0]", "88.3", "[80.0,", "95.0]", "0"]
    assert lines[2].split() == ["1", "60.0", "[50.0,", "70.0]", "23.3", "[10.0,", "40.0]", "1"]
    assert lines[3].split() == ["3", "nan", "[nan,", "nan]", "10.0", "[10.0,", "10.0]", "1"]
    mixed = summary_table(RECORDS, "lr", ["dead", "acc"], digits=1, scale={"dead": 100})
    assert mixed.splitlines()[1].split()[1:7] == ["15.0", "[5.0,", "30.0]", "0.9", "[0.8,", "0.9]"]
    finite = summary_table(RECORDS[:3], "opt", "acc")
    assert "NaN runs" not in finite and finite.splitlines()[1].split() == ["sgd", "0.85", "[0.80,", "0.90]"]


# Errors -----------------------------------------------------------------------------------------------------------------

def test_sweep_errors():
    with pytest.raises(TypeError, match="run"):
        sweep("run", {"a": [1]})
    with pytest.raises(ValueError, match="grid"):
        sweep(echo, {})
    with pytest.raises(ValueError, match="grid"):
        sweep(echo, [("a", [1])])
    with pytest.raises(ValueError, match=r"grid\['a'\]"):
        sweep(echo, {"a": []})
    with pytest.raises(ValueError, match=r"grid\['a'\]"):
        sweep(echo, {"a": "abc"})
    with pytest.raises(ValueError, match="seed"):
        sweep(echo, {"a": [1], "seed": [0]})
    with pytest.raises(ValueError, match="seeds"):
        sweep(echo, {"a": [1]}, seeds=())
    with pytest.raises(TypeError, match="seeds"):
        sweep(echo, {"a": [1]}, seeds=(0.5,))
    with pytest.raises(TypeError, match="mapping"):
        sweep(lambda a, seed: a, {"a": [1]}, progress=False)
    with pytest.raises(ValueError, match="overwrite"):
        sweep(lambda a, seed: {"a": 2}, {"a": [1]}, progress=False)


def test_summarize_errors():
    with pytest.raises(ValueError, match="records"):
        summarize([], "lr", "dead")
    with pytest.raises(ValueError, match="records"):
        summarize({"lr": 1}, "lr", "dead")
    with pytest.raises(ValueError, match=r"records\[1\].*'dead'"):
        summarize([{"lr": 1, "dead": 0.1}, {"lr": 1}], "lr", "dead")
    with pytest.raises(ValueError, match="by"):
        summarize(RECORDS, [], "dead")
    with pytest.raises(ValueError, match="dead"):
        summarize([{"lr": 1, "dead": "many"}], "lr", "dead")
    with pytest.raises(TypeError, match=r"records\[0\]"):
        summarize([("lr", 1)], "lr", "dead")
    with pytest.raises(ValueError, match="metrics"):
        summary_table(RECORDS, "lr", [])
    with pytest.raises(TypeError, match="scale"):
        summary_table(RECORDS, "lr", "dead", scale="100")
    with pytest.raises(ValueError, match="digits"):
        summary_table(RECORDS, "lr", "dead", digits=-1)
