"""Running an experiment over a grid of settings and several seeds, and summarizing the spread."""

from __future__ import annotations

import itertools
import math
from typing import Callable, Mapping, Sequence

import numpy as np

from .widgets import progress_bar

__all__ = ["sweep", "summarize", "group_values", "summary_table"]


def _values(name: str, values) -> list:
    if isinstance(values, np.ndarray):
        values = values.tolist()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence) or len(values) == 0:
        raise ValueError(f"grid[{name!r}] must be a non-empty list of values, got {values!r}")
    return list(values)


def sweep(
    run: Callable[..., Mapping[str, object]],
    grid: Mapping[str, Sequence],
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    *,
    progress: bool = True,
    description: str = "runs",
) -> list[dict]:
    r"""Call ``run(**setting, seed=seed)`` for every combination in ``grid`` and every seed.

    Returns one record per call, ``{**setting, "seed": seed, **run(...)}``, in a fixed
    order (the grid's first key varies slowest, seeds fastest), so a sweep is as
    deterministic as ``run`` is. Inside a notebook kernel an ipywidgets progress bar
    shows how far it got; its stored text output is the same on every run.
    Grid values may be lists, tuples or 1-D NumPy arrays (stored as Python numbers).

    Args:
        run: a function taking the grid's names and ``seed`` as keyword arguments and
            returning a dict of measured values (whose keys must not repeat a
            setting's name or ``"seed"``).
        grid: maps each argument name to a non-empty list of values; it must not hold ``"seed"``.
        seeds: the seeds to run every setting with (default ``(0, 1, 2, 3, 4)``).
        progress: show a progress bar inside a notebook kernel (default ``True``).
        description: the progress bar's label (default ``"runs"``).

    Returns:
        A list of dicts, ``len(settings) * len(seeds)`` of them, ready for
        :func:`summarize`, :func:`group_values` and :func:`summary_table`.

    Example:
        >>> import activation_lab as al
        >>> def run(width, lr, seed):
        ...     return {"score": width * lr + seed}
        >>> records = al.sweep(run, {"width": [2, 4], "lr": [0.1]}, seeds=[0, 1])
        >>> for record in records:
        ...     print(record)
        {'width': 2, 'lr': 0.1, 'seed': 0, 'score': 0.2}
        {'width': 2, 'lr': 0.1, 'seed': 1, 'score': 1.2}
        {'width': 4, 'lr': 0.1, 'seed': 0, 'score': 0.4}
        {'width': 4, 'lr': 0.1, 'seed': 1, 'score': 1.4}
    """
    if not callable(run):
        raise TypeError(f"run must be callable, got {type(run).__name__}")
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError("grid must be a non-empty mapping from argument name to a list of values")
    if "seed" in grid:
        raise ValueError("grid must not hold 'seed': pass seeds=... instead")
    values = {name: _values(name, grid[name]) for name in grid}
    if isinstance(seeds, np.ndarray):
        seeds = seeds.tolist()
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) == 0:
        raise ValueError(f"seeds must be a non-empty sequence of ints, got {seeds!r}")
    if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in seeds):
        raise TypeError(f"seeds must be ints, got {list(seeds)!r}")
    names = list(values)
    settings = [dict(zip(names, combo)) for combo in itertools.product(*(values[n] for n in names))]
    bar = progress_bar(len(settings) * len(seeds), description) if progress else None
    records = []
    for setting in settings:
        for seed in seeds:
            result = run(**setting, seed=int(seed))
            if not isinstance(result, Mapping):
                raise TypeError(f"run must return a mapping of measured values, got {type(result).__name__}")
            clash = sorted(set(result) & {*setting, "seed"})
            if clash:
                raise ValueError(f"run returned keys {clash} that would overwrite the setting; rename them")
            records.append({**setting, "seed": int(seed), **result})
            if bar is not None:
                bar.value += 1
    return records


def _check_records(records: Sequence[Mapping], by, metrics: Sequence[str]) -> list[str]:
    if isinstance(records, Mapping) or not isinstance(records, Sequence) or not records:
        raise ValueError("records must be a non-empty list of dicts (what sweep returns)")
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError("by must name at least one field")
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise TypeError(f"records[{index}] must be a dict, got {type(record).__name__}")
        missing = [k for k in [*keys, *metrics] if k not in record]
        if missing:
            raise ValueError(f"records[{index}] has no field(s) {missing}; fields are {sorted(record)}")
    return keys


def _as_float(value, metric: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{metric} must hold numbers, got {value!r}") from None


def group_values(records: Sequence[Mapping], by: str | Sequence[str], metric: str) -> dict:
    r"""``{group: array of metric values}``, groups in order of first appearance.

    A group is the value of ``by`` (or a tuple of values when ``by`` is a list);
    NaN values are kept. ``np.column_stack(list(groups.values()))`` gives the
    (seeds x settings) array that :func:`~activation_lab.plots.plot_mean_spread` takes.

    Args:
        records: a list of dicts, such as :func:`sweep` returns.
        by: the field to group by, or a list of fields.
        metric: the field whose values are collected.

    Returns:
        A dict from group to a float array of that group's values, in record order.

    Example:
        >>> import activation_lab as al
        >>> records = [{"width": 2, "seed": 0, "score": 0.5}, {"width": 4, "seed": 0, "score": 0.7},
        ...            {"width": 2, "seed": 1, "score": 0.6}, {"width": 4, "seed": 1, "score": float("nan")}]
        >>> al.group_values(records, "width", "score")
        {2: array([0.5, 0.6]), 4: array([0.7, nan])}
        >>> list(al.group_values(records, ["width", "seed"], "score"))
        [(2, 0), (4, 0), (2, 1), (4, 1)]
    """
    keys = _check_records(records, by, [metric])
    groups: dict = {}
    for record in records:
        group = record[keys[0]] if isinstance(by, str) else tuple(record[k] for k in keys)
        groups.setdefault(group, []).append(_as_float(record[metric], metric))
    return {group: np.array(values, dtype=float) for group, values in groups.items()}


def summarize(records: Sequence[Mapping], by: str | Sequence[str], metric: str) -> list[dict]:
    r"""Group ``records`` by the ``by`` fields; per group the mean, std, min, max and n of ``metric``.

    ``std`` is the sample standard deviation over seeds (ddof=1, NaN for a single value),
    as everywhere in the package (``verdicts``, ``comparison``, ``plot_mean_spread``).
    Groups come out in the order they first appear; NaN
    values (e.g. diverged runs) are left out of the statistics and counted in
    ``n_nan``; a group with no finite value gets NaN statistics.

    Args:
        records: a list of dicts, such as :func:`sweep` returns.
        by: the field to group by, or a list of fields.
        metric: the field to summarize.

    Returns:
        One dict per group: the ``by`` fields, then ``mean``, ``std``, ``min``,
        ``max``, ``n`` (finite values) and ``n_nan``.

    Example:
        >>> import activation_lab as al
        >>> records = [{"width": 2, "seed": 0, "score": 0.5}, {"width": 4, "seed": 0, "score": 0.7},
        ...            {"width": 2, "seed": 1, "score": 0.6}, {"width": 4, "seed": 1, "score": float("nan")}]
        >>> for row in al.summarize(records, "width", "score"):
        ...     print({key: round(value, 3) for key, value in row.items()})
        {'width': 2, 'mean': 0.55, 'std': 0.071, 'min': 0.5, 'max': 0.6, 'n': 2, 'n_nan': 0}
        {'width': 4, 'mean': 0.7, 'std': nan, 'min': 0.7, 'max': 0.7, 'n': 1, 'n_nan': 1}
    """
    keys = _check_records(records, by, [metric])
    rows = []
    for group, array in group_values(records, keys, metric).items():
        finite = array[~np.isnan(array)]
        stats = {"mean": math.nan, "std": math.nan, "min": math.nan, "max": math.nan}
        if finite.size:
            stats = {"mean": float(finite.mean()), "std": float(finite.std(ddof=1)) if finite.size > 1 else math.nan,
                     "min": float(finite.min()), "max": float(finite.max())}
        rows.append({**dict(zip(keys, group)), **stats, "n": int(finite.size), "n_nan": int(array.size - finite.size)})
    return rows


def summary_table(records: Sequence[Mapping], by: str | Sequence[str], metrics: Sequence[str], *,
                  digits: int = 2, scale: float | Mapping[str, float] = 1.0) -> str:
    r"""A plain-text table: one row per group, per metric ``mean [min, max]`` over seeds.

    Values are multiplied by ``scale`` (100 for percentages; a dict gives one scale
    per metric, 1 for those it leaves out) and rounded to ``digits``; a last column
    counts runs with a NaN value, if there are any. The statistics are those of
    :func:`summarize`, so NaN values are left out of them.

    Args:
        records: a list of dicts, such as :func:`sweep` returns.
        by: the field to group by, or a list of fields (one column each).
        metrics: the fields to show, a list or a single name.
        digits: decimals shown after scaling (default 2).
        scale: a number, or a dict from metric to number (default 1.0).

    Returns:
        The table as one string, columns aligned to the right.

    Example:
        >>> import activation_lab as al
        >>> records = [{"width": 2, "seed": 0, "acc": 0.5}, {"width": 4, "seed": 0, "acc": 0.7},
        ...            {"width": 2, "seed": 1, "acc": 0.6}, {"width": 4, "seed": 1, "acc": float("nan")}]
        >>> print(al.summary_table(records, "width", ["acc"], digits=1, scale=100))
        width  acc mean [min, max]  NaN runs
            2     55.0 [50.0, 60.0]         0
            4     70.0 [70.0, 70.0]         1
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    if not metrics:
        raise ValueError("metrics must name at least one field")
    if isinstance(digits, bool) or not isinstance(digits, int) or digits < 0:
        raise ValueError(f"digits must be a non-negative int, got {digits!r}")
    scales = {m: float(scale.get(m, 1.0)) for m in metrics} if isinstance(scale, Mapping) else None
    if scales is None:
        if isinstance(scale, bool) or not isinstance(scale, (int, float)):
            raise TypeError(f"scale must be a number or a dict from metric to number, got {scale!r}")
        scales = {m: float(scale) for m in metrics}
    keys = _check_records(records, by, metrics)
    summaries = [summarize(records, keys, metric) for metric in metrics]

    def number(value: float, metric: str) -> str:
        return "nan" if math.isnan(value) else f"{value * scales[metric]:.{digits}f}"

    header = [*keys, *(f"{m} mean [min, max]" for m in metrics)]
    nan_runs = [max(s[i]["n_nan"] for s in summaries) for i in range(len(summaries[0]))]
    show_nan = any(nan_runs)
    if show_nan:
        header.append("NaN runs")
    body = []
    for i, first in enumerate(summaries[0]):
        row = [f"{first[k]:g}" if isinstance(first[k], float) else str(first[k]) for k in keys]
        row += [f"{number(s[i]['mean'], m)} [{number(s[i]['min'], m)}, {number(s[i]['max'], m)}]"
                for m, s in zip(metrics, summaries)]
        if show_nan:
            row.append(str(nan_runs[i]))
        body.append(row)
    widths = [max(len(line[c]) for line in [header, *body]) for c in range(len(header))]
    lines = ["  ".join(cell.rjust(w) for cell, w in zip(line, widths)) for line in [header, *body]]
    return "\n".join(lines)
