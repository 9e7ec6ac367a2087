"""The registry's facts as table rows and Markdown, for chapters to display.

- :func:`comparison_table` turns registry records into rows (range, monotonic,
  smoothness, zero-centred, negative-side gradient, whether units can die);
- :func:`comparison_markdown` renders them for ``IPython.display.Markdown``;
- :func:`formula_markdown` shows one record's formula and parameters.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from ._shared import check_names
from .registry import ACTIVATIONS, get_activation

__all__ = ["comparison_table", "comparison_markdown", "formula_markdown"]

# Where f' tends to 0 (the registry's ``saturates``), as the Markdown table writes it.
_SATURATION_WORDS = {"none": "nowhere", "negative": "as z → −∞", "positive": "as z → +∞", "both": "both sides"}
# f' is sampled on [-4, 0) for the "negative-side gradient" column.
_NEGATIVE_SIDE = np.linspace(-4.0, 0.0, 401)[:-1]


def comparison_table(names: Sequence[str] | None = None, *, cost: Mapping[str, float] | None = None) -> list[dict]:
    r"""One row per registry entry, with each function at its default parameters.

    Each row holds ``activation``, ``label``, ``formula`` (LaTeX), ``range`` (low, high),
    ``monotonic``, ``smoothness`` (one of ``SMOOTHNESS``), ``zero_centred``, ``negative_gradient`` (min and max of
    :math:`f'` on :math:`[-4, 0)`) and ``can_die`` (:math:`f' = 0` on all of
    :math:`[-4, -2]`, so a unit whose inputs all land there never learns again).
    With ``cost`` (name -> time relative to ReLU, e.g. from :func:`relative_cost`)
    each row also gets ``cost`` (None where the mapping has no entry).
    """
    rows = []
    chosen = check_names(names, elementwise=True)
    if cost is not None:
        if not isinstance(cost, Mapping):
            raise TypeError(f"cost must be a mapping from name to relative time, got {type(cost).__name__}")
        for name, value in cost.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (value > 0 and math.isfinite(value)):
                raise ValueError(f"cost[{name!r}] must be a positive finite number, got {value!r}")
    for name in chosen:
        record = ACTIVATIONS[name]
        slope = record.derivative(_NEGATIVE_SIDE, **record.defaults)
        row = {
            "activation": name,
            "label": record.label,
            "formula": record.formula,
            "range": tuple(float(v) for v in record.output_range),
            "monotonic": record.monotonic,
            "smoothness": record.smoothness,
            "zero_centred": record.zero_centred,
            "saturates": record.saturates,
            "negative_gradient": (float(slope.min()) + 0.0, float(slope.max()) + 0.0),
            "can_die": record.can_die,
        }
        if cost is not None:
            row["cost"] = None if name not in cost else float(cost[name])
        rows.append(row)
    return rows


def _format_number(value: float, digits: int = 3) -> str:
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value + 0.0:.{digits}g}"
    return text.replace("-", "−")


def comparison_markdown(rows: Sequence[Mapping]) -> str:
    """A Markdown table of :func:`comparison_table` rows (formulas as inline math)."""
    if isinstance(rows, Mapping) or not isinstance(rows, Sequence) or len(rows) == 0:
        raise ValueError("rows must be a non-empty list of rows from comparison_table")
    required = {"label", "formula", "range", "monotonic", "smoothness", "zero_centred", "saturates",
                "negative_gradient", "can_die"}
    for index, row in enumerate(rows):
        missing = required - set(row)
        if missing:
            raise ValueError(f"rows[{index}] lacks the comparison_table fields {sorted(missing)}")
    with_cost = any("cost" in row for row in rows)
    header = ["activation", "formula", "range", "monotonic", "smoothness", "zero-centred", "f′ → 0",
              "f′ on [−4, 0)", "units can die"] + (["cost vs ReLU"] if with_cost else [])
    yes_no = lambda flag: "yes" if flag else "no"  # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        low, high = row["negative_gradient"]
        low, high = _format_number(low, 2), _format_number(high, 2)
        slope = low if low == high else f"{low} to {high}"
        cells = [row["label"], f"${row['formula']}$", f"{_format_number(row['range'][0])} to {_format_number(row['range'][1])}",
                 yes_no(row["monotonic"]), row["smoothness"], yes_no(row["zero_centred"]),
                 _SATURATION_WORDS[row["saturates"]], slope,
                 yes_no(row["can_die"])]
        if with_cost:
            cells.append("n/a" if row.get("cost") is None else f"{row['cost']:.1f}×")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def formula_markdown(name: str) -> str:
    """A registry entry's formula as display math, followed by its parameters (default and explorer range)."""
    record = get_activation(name)
    text = f"**{record.label}**\n\n$$\n{record.formula}\n$$"
    parts = []
    for parameter, spec in record.parameters.items():
        if spec.choices:
            parts.append(f"`{parameter}` = `{spec.default}` (one of {', '.join(f'`{c}`' for c in spec.choices)})")
        else:
            parts.append(f"`{parameter}` = {spec.default:g} (explorer range {spec.low:g} to {spec.high:g})")
    if parts:
        text += "\n\nParameters: " + "; ".join(parts) + "."
    return text
