"""The sweep runner and its summaries: order, determinism, statistics, NaN handling, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from activation_lab import sweeps
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


def test_a_seeded_run_gives_the_same_records_twice():
    def run(scale, seed):
        generator = torch.Generator().manual_seed(seed)
        return {"mean": float(scale * torch.randn(100, generator=generator).mean())}

    first = sweep(run, {"scale": [1.0, 3.0]}, seeds=(0, 1, 2), progress=False)
    second = sweep(run, {"scale": [1.0, 3.0]}, seeds=(0, 1, 2), progress=False)
    assert first == second
    assert len({r["mean"] for r in first}) == 6


def test_progress_bar_is_not_shown_outside_a_kernel(capsys):
    assert sweeps._progress_bar(4, "runs") is None
    sweep(echo, {"a": [1, 2]}, seeds=(0, 1), progress=True)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_bar_in_a_kernel_starts_at_zero_and_ends_full(monkeypatch):
    import IPython
    import IPython.display
    import ipywidgets

    shown, bars = [], []

    class FakeKernelShell:
        kernel = object()

    class RecordedBar(ipywidgets.IntProgress):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            bars.append(self)

    monkeypatch.setattr(IPython, "get_ipython", lambda: FakeKernelShell())
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw)))
    monkeypatch.setattr(ipywidgets, "IntProgress", RecordedBar)
    sweep(echo, {"a": [1, 2]}, seeds=(0, 1), progress=True, description="lr sweep")
    assert len(shown) == 1 and len(bars) == 1
    bundle, raw = shown[0]
    assert raw is True
    # What nbval compares is the same on every run; the static site shows the empty HTML form.
    assert bundle["text/plain"] == "RecordedBar(value=0, description='lr sweep', max=4)"
    assert "application/vnd.jupyter.widget-view+json" in bundle and "text/html" in bundle
    assert bars[0].value == bars[0].max == 4
    shown.clear()
    sweep(echo, {"a": [1]}, seeds=(0,), progress=False)
    assert shown == []


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


def test_summarize_matches_numpy_in_order_of_first_appearance():
    rows = summarize(RECORDS, "lr", "acc")
    assert [row["lr"] for row in rows] == [0.1, 1.0, 3.0]
    values = np.array([0.90, 0.80, 0.95])
    assert rows[0]["mean"] == pytest.approx(values.mean())
    assert rows[0]["std"] == pytest.approx(values.std())
    assert (rows[0]["min"], rows[0]["max"], rows[0]["n"], rows[0]["n_nan"]) == (0.80, 0.95, 3, 0)


def test_summarize_by_several_fields():
    rows = summarize(RECORDS, ["lr", "opt"], "dead")
    assert [(row["lr"], row["opt"]) for row in rows] == [(0.1, "sgd"), (0.1, "adam"), (1.0, "sgd"), (3.0, "sgd")]
    assert rows[0]["mean"] == pytest.approx(0.2) and rows[0]["std"] == pytest.approx(0.1)
    assert rows[1]["std"] == 0.0


def test_summarize_leaves_nan_out_and_counts_it():
    rows = summarize(RECORDS, "lr", "dead")
    assert rows[1]["mean"] == pytest.approx(np.nanmean([0.5, np.nan, 0.7]))
    assert rows[1]["std"] == pytest.approx(np.nanstd([0.5, np.nan, 0.7]))
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
