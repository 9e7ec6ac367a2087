"""Verdict words computed from intervals, so prose and the claims ledger cannot drift from the numbers.

A chapter glues the word these functions return, never a word typed by hand: a re-run
that moves an interval changes the sentence with it.
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np
from scipy import stats

__all__ = ["Interval", "mean_interval", "paired_interval", "interval_verdict", "ratio_verdict", "is_fragile", "ledger_verdict", "LEDGER_WORDS"]

LEDGER_WORDS = ("supported", "partly", "depends", "not supported", "not tested")
"""The verdicts of the claims ledger, from agreement to contradiction, and "not tested" for a
claim the course names but does not measure."""


class Interval(NamedTuple):
    """A mean over seeds and its confidence interval ``[low, high]``."""

    mean: float
    low: float
    high: float


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> Interval:
    r"""Mean of ``values`` and its Student-t interval :math:`\bar v \pm t_{n-1}\, s / \sqrt{n}` (``s`` with ddof=1).

    The one convention the course uses for an interval over seeds. NaN values (a diverged
    run) are not dropped: they make the interval NaN, so a chapter must decide about them.

    Example:
        >>> mean_interval([1.0, 2.0, 3.0])
        Interval(mean=2.0, low=-0.48..., high=4.48...)
    """
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size < 2:
        raise ValueError(f"values must be a 1-D sequence of at least two numbers, got shape {array.shape}")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")
    mean = float(array.mean())
    half = float(stats.t.ppf(0.5 + confidence / 2.0, array.size - 1) * array.std(ddof=1) / math.sqrt(array.size))
    return Interval(mean, mean - half, mean + half)


def paired_interval(values: Sequence[float], reference: Sequence[float], confidence: float = 0.95) -> Interval:
    """:func:`mean_interval` of the differences ``values[s] - reference[s]``, paired by seed ``s``.

    Example:
        >>> paired_interval([0.91, 0.93, 0.92], [0.90, 0.91, 0.91]).mean
        0.0133...
    """
    a, b = np.asarray(values, dtype=float), np.asarray(reference, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"values and reference must pair up seed by seed, got shapes {a.shape} and {b.shape}")
    return mean_interval(a - b, confidence)


def _check_interval(low, high) -> tuple[float, float]:
    for value, name in ((low, "low"), (high, "high")):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
        if math.isnan(value):
            raise ValueError(f"{name} must not be NaN")
    if low > high:
        raise ValueError(f"low must not exceed high, got low={low}, high={high}")
    return float(low), float(high)


def interval_verdict(low: float, high: float, *, reference: float = 0.0) -> str:
    """``"higher"``, ``"lower"`` or ``"within noise"``: where an interval lies against ``reference``.

    Example:
        >>> interval_verdict(0.01, 0.03), interval_verdict(-0.02, 0.01), interval_verdict(-0.5, -0.1)
        ('higher', 'within noise', 'lower')
    """
    low, high = _check_interval(low, high)
    if low > reference:
        return "higher"
    if high < reference:
        return "lower"
    return "within noise"


def ratio_verdict(low: float, high: float, factor: float = 2.0) -> str:
    """Compare an interval of ratios with ``factor``: ``"more than"``, ``"less than"`` or ``"about"``.

    Example:
        >>> ratio_verdict(2.3, 3.1), ratio_verdict(1.2, 1.6), ratio_verdict(1.8, 2.4)
        ('more than', 'less than', 'about')
    """
    low, high = _check_interval(low, high)
    if isinstance(factor, bool) or not isinstance(factor, (int, float)) or not factor > 0:
        raise ValueError(f"factor must be a positive number, got {factor!r}")
    return "more than" if low > factor else "less than" if high < factor else "about"


def is_fragile(low: float, high: float, *, reference: float = 0.0, margin: float = 0.1) -> bool:
    """True when the interval excludes ``reference`` by less than ``margin`` of its own width.

    Such a verdict rests on an interval that barely clears the reference: a few more
    seeds could move it, so the ledger marks it "fragile".

    Example:
        >>> is_fragile(0.001, 0.05), is_fragile(0.02, 0.05), is_fragile(-0.01, 0.05)
        (True, False, False)
    """
    low, high = _check_interval(low, high)
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 <= margin < 1:
        raise ValueError(f"margin must be a number in [0, 1), got {margin!r}")
    if low <= reference <= high:
        return False
    clearance = low - reference if low > reference else reference - high
    return clearance < margin * (high - low)


def ledger_verdict(word: str, *, fragile: bool = False) -> str:
    """One of :data:`LEDGER_WORDS`, with ``" (fragile)"`` appended when the evidence barely holds.

    Example:
        >>> ledger_verdict("partly", fragile=True)
        'partly (fragile)'
    """
    if word not in LEDGER_WORDS:
        raise ValueError(f"word must be one of {LEDGER_WORDS}, got {word!r}")
    if not isinstance(fragile, bool):
        raise TypeError(f"fragile must be a bool, got {type(fragile).__name__}")
    return f"{word} (fragile)" if fragile else word
