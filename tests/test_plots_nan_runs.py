"""annotate_nan_runs: a note under each per-seed column with runs that gave no value."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from activation_lab.plots import annotate_nan_runs, plot_per_seed


def test_notes_only_columns_with_nan_at_their_position(ax):
    values = {"a": [1.0, 2.0], "b": [np.nan, 3.0, np.nan], "c": np.array([np.nan])}
    plot_per_seed(ax, {k: np.asarray(v)[np.isfinite(v)] for k, v in values.items() if np.isfinite(v).any()},
                  ylabel="y")
    assert annotate_nan_runs(ax, values, y=0.5) is ax
    notes = [(text.get_text(), text.xy) for text in ax.texts]
    assert notes == [("2/3\ndiverged", (1, 0.5)), ("1/1\ndiverged", (2, 0.5))]


def test_custom_label_and_no_note_without_nan(ax):
    annotate_nan_runs(ax, {"a": [1.0]}, y=0.0)
    assert len(ax.texts) == 0
    annotate_nan_runs(ax, {"a": [np.nan, 1.0]}, y=2.0, label="failed")
    assert ax.texts[0].get_text() == "1/2\nfailed"


def test_errors(ax):
    with pytest.raises(ValueError, match="values"):
        annotate_nan_runs(ax, [1.0, np.nan], y=0.0)
    with pytest.raises(ValueError, match="values"):
        annotate_nan_runs(ax, {}, y=0.0)
