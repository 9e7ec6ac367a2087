r"""The registry's facts as table rows and Markdown, for chapters to display.

- :func:`comparison_table` turns registry records into rows (range, monotonic,
  smoothness, zero-centred, negative-side gradient, whether units can die);
- :func:`comparison_markdown` renders them for ``IPython.display.Markdown``;
- :func:`formula_markdown` shows one record's formula and parameters.

Example:
    >>> from activation_lab.tables import comparison_markdown, comparison_table
    >>> print(comparison_markdown(comparison_table(["relu"])))
    | activation | formula | range | monotonic | smoothness | zero-centred | f′ → 0 | f′ on [−4, 0) | units can die |
    |---|---|---|---|---|---|---|---|---|
    | ReLU | $f(z) = \max(0, z)$ | 0 to ∞ | yes | C0 | no | as z → −∞ | 0 | yes |
"""

from __future__ import annotations

import math
import numbers
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
    ``monotonic``, ``smoothness`` (one of ``SMOOTHNESS``), ``zero_centred``,
    ``saturates`` (one of ``SATURATION``), ``negative_gradient`` (min and max of
    :math:`f'` on :math:`[-4, 0)`, sampled at 400 points) and ``can_die`` (:math:`f' = 0`
    on all of :math:`[-4, -2]`, so a unit whose inputs all land there never learns again).
    With ``cost`` (name -> time relative to ReLU, e.g. from
    :func:`~activation_lab.timing.relative_cost`) each row also gets ``cost`` (None
    where the mapping has no entry).

    Args:
        names: registry names, in the order of the rows, none repeated; ``None``
            (default) takes every elementwise record, in registry order.
        cost: optional mapping from name to a positive, finite time relative to ReLU.

    Returns:
        A list of dicts, one per name.

    Raises:
        ValueError: for an unknown, repeated or non-elementwise name (softmax),
            or a cost that is not a positive finite number.
        TypeError: if ``names`` is not a sequence or ``cost`` not a mapping.

    Example:
        >>> from activation_lab.tables import comparison_table
        >>> relu_row, elu_row = comparison_table(["relu", "elu"])
        >>> relu_row["range"], relu_row["negative_gradient"], relu_row["can_die"]
        ((0.0, inf), (0.0, 0.0), True)
        >>> [round(slope, 4) for slope in elu_row["negative_gradient"]], elu_row["can_die"]
        ([0.0183, 0.99], False)
        >>> [row["cost"] for row in comparison_table(["relu", "gelu"], cost={"relu": 1.0})]
        [1.0, None]
    """
    rows = []
    chosen = check_names(names, elementwise=True)
    if cost is not None:
        if not isinstance(cost, Mapping):
            raise TypeError(f"cost must be a mapping from name to relative time, got {type(cost).__name__}")
        for name, value in cost.items():
            get_activation(name)  # a misspelt name fails here, naming the registry's names
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (value > 0 and math.isfinite(value)):
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
    r"""A Markdown table of :func:`comparison_table` rows (formulas as inline math).

    Numbers get three significant digits (two for the gradient column), with a
    true minus sign and ∞; a ``cost vs ReLU`` column appears when any row has a
    ``cost`` (``n/a`` where it is ``None``).

    Args:
        rows: a non-empty list of rows from :func:`comparison_table`.

    Returns:
        The table as a string, one line per row after the header and the rule,
        ready for ``IPython.display.Markdown``.

    Raises:
        ValueError: if ``rows`` is empty, not a list, or a row lacks a field.

    Example:
        >>> from activation_lab.tables import comparison_markdown, comparison_table
        >>> rows = comparison_table(["relu", "gelu"], cost={"relu": 1.0, "gelu": 2.34})
        >>> print(comparison_markdown(rows))
        | activation | formula | range | monotonic | smoothness | zero-centred | f′ → 0 | f′ on [−4, 0) | units can die | cost vs ReLU |
        |---|---|---|---|---|---|---|---|---|---|
        | ReLU | $f(z) = \max(0, z)$ | 0 to ∞ | yes | C0 | no | as z → −∞ | 0 | yes | 1.0× |
        | GELU | $f(z) = z\,\Phi(z)$ | −0.17 to ∞ | no | C∞ | no | as z → −∞ | −0.13 to 0.49 | no | 2.3× |
    """
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
    r"""A registry entry's formula as display math, followed by its parameters (default and explorer range).

    Args:
        name: a registry name, as for :func:`~activation_lab.registry.get_activation`.

    Returns:
        Markdown: the label in bold, the formula between ``$$`` lines and, where
        the function has parameters, one line listing them.

    Example:
        >>> from activation_lab.tables import formula_markdown
        >>> print(formula_markdown("leaky_relu"))
        **Leaky ReLU**
        <BLANKLINE>
        $$
        f(z) = \begin{cases} z & z > 0 \\ a z & z \le 0 \end{cases}
        $$
        <BLANKLINE>
        Parameters: `negative_slope` = 0.01 (explorer range 0 to 1).
        >>> print(formula_markdown("gelu").splitlines()[-1])
        Parameters: `approximate` = `none` (one of `none`, `tanh`).
    """
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
