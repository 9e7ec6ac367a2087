"""Verdict words computed from intervals, so prose and the claims ledger cannot drift from the numbers.

A chapter glues the word these functions return, never a word typed by hand: a re-run
that moves an interval changes the sentence with it.

Example:
    >>> from activation_lab.verdicts import interval_verdict, paired_interval
    >>> difference = paired_interval([0.93, 0.95, 0.94, 0.96], [0.90, 0.91, 0.91, 0.92])
    >>> interval_verdict(difference.low, difference.high)
    'higher'
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

import numpy as np
from scipy import stats

__all__ = ["Interval", "mean_interval", "paired_interval", "paired_power", "seeds_needed", "interval_verdict",
           "ratio_verdict", "is_fragile", "ledger_verdict", "LEDGER_WORDS"]

LEDGER_WORDS = ("supported", "partly", "depends", "not supported", "not tested")
"""The verdicts of the claims ledger, from agreement to contradiction, and "not tested" for a
claim the course names but does not measure."""


class Interval(NamedTuple):
    """A mean over seeds and its confidence interval ``[low, high]``.

    A named tuple, so ``mean, low, high = interval`` unpacks it.

    Attributes:
        mean: the mean of the values.
        low: the lower end of the interval.
        high: the upper end of the interval.

    Example:
        >>> from activation_lab.verdicts import Interval
        >>> interval = Interval(mean=2.0, low=1.0, high=3.0)
        >>> interval.high - interval.low
        2.0
    """

    mean: float
    low: float
    high: float


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> Interval:
    r"""Mean of ``values`` and its Student-t interval :math:`\bar v \pm t_{n-1}\, s / \sqrt{n}` (``s`` with ddof=1).

    The one convention the course uses for an interval over seeds. NaN values (a diverged
    run) are not dropped: they make the interval NaN, so a chapter must decide about them.

    Args:
        values: one number per seed, at least two, in a 1-D sequence.
        confidence: the coverage, strictly between 0 and 1 (default 0.95).

    Returns:
        An :class:`Interval` of floats.

    Raises:
        ValueError: for fewer than two values, values that are not 1-D, or a
            confidence outside (0, 1).

    Example:
        >>> from activation_lab.verdicts import mean_interval
        >>> mean_interval([1.0, 2.0, 3.0])
        Interval(mean=2.0, low=-0.48..., high=4.48...)
        >>> mean_interval([1.0, float("nan")])
        Interval(mean=nan, low=nan, high=nan)
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

    Pairing by seed cancels what the two runs of one seed have in common (the data
    split, the batch order), which usually makes the interval narrower than one
    built from two separate means.

    Args:
        values: one number per seed for the function under test.
        reference: one number per seed for the reference, in the same seed order.
        confidence: the coverage, strictly between 0 and 1 (default 0.95).

    Returns:
        An :class:`Interval` of the mean difference.

    Raises:
        ValueError: if the two do not have the same shape, or as :func:`mean_interval`.

    Example:
        >>> from activation_lab.verdicts import paired_interval
        >>> paired_interval([0.91, 0.93, 0.92], [0.90, 0.91, 0.91]).mean
        0.0133...
    """
    a, b = np.asarray(values, dtype=float), np.asarray(reference, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"values and reference must pair up seed by seed, got shapes {a.shape} and {b.shape}")
    return mean_interval(a - b, confidence)


def _check_probability(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < value < 1.0:
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {value!r}")
    return float(value)


def _check_design(sd_of_differences, effect) -> tuple[float, float]:
    for value, name in ((sd_of_differences, "sd_of_differences"), (effect, "effect")):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
    if sd_of_differences < 0:
        raise ValueError(f"sd_of_differences must not be negative, got {sd_of_differences!r}")
    if effect == 0:
        raise ValueError("effect must not be 0: no number of seeds detects a difference that is not there")
    return float(sd_of_differences), float(effect)


def paired_power(sd_of_differences: float, effect: float, n_seeds: int, confidence: float = 0.95) -> float:
    r"""The chance that :func:`paired_interval` over ``n_seeds`` seeds excludes 0 on the side of a true ``effect``.

    With normal per-seed differences of mean ``effect`` (:math:`\Delta`) and standard deviation
    ``sd_of_differences`` (:math:`s_d`), the interval lies wholly above 0 exactly when the t
    statistic exceeds :math:`t_{n-1}` at ``0.5 + confidence / 2``; the statistic follows a
    noncentral t distribution with :math:`n - 1` degrees of freedom and noncentrality
    :math:`\Delta\sqrt{n}/s_d`. This is the power of a two-sided paired t-test, less the
    (negligible) chance of a verdict with the wrong sign.

    Args:
        sd_of_differences: the seed-to-seed standard deviation of the paired differences, 0 or more.
        effect: the true mean difference to detect, not 0; its sign says which verdict counts.
        n_seeds: the number of paired seeds, at least 2.
        confidence: the interval's coverage, strictly between 0 and 1 (default 0.95).

    Returns:
        A probability in [0, 1] (1.0 when ``sd_of_differences`` is 0).

    Raises:
        TypeError: if ``sd_of_differences`` or ``effect`` is not a real number, or ``n_seeds`` not an int.
        ValueError: for a negative or non-finite sd, a zero effect, fewer than 2 seeds or a
            confidence outside (0, 1).

    Example:
        >>> from activation_lab.verdicts import paired_power
        >>> round(paired_power(1.0, 1.0, 10), 3)  # effect of one standard deviation, ten seeds
        0.803
    """
    sd, effect = _check_design(sd_of_differences, effect)
    if isinstance(n_seeds, bool) or not isinstance(n_seeds, (int, np.integer)):
        raise TypeError(f"n_seeds must be an int, got {type(n_seeds).__name__}")
    if n_seeds < 2:
        raise ValueError(f"n_seeds must be at least 2 for an interval, got {n_seeds}")
    confidence = _check_probability(confidence, "confidence")
    if sd == 0:
        return 1.0
    df = int(n_seeds) - 1
    critical = stats.t.ppf(0.5 + confidence / 2.0, df)
    return float(stats.nct.sf(critical, df, abs(effect) * math.sqrt(n_seeds) / sd))


def seeds_needed(sd_of_differences: float, effect: float, confidence: float = 0.95, power: float = 0.8,
                 *, max_seeds: int = 1_000_000) -> int:
    r"""The fewest paired seeds for which :func:`paired_power` reaches ``power``.

    The sample size of a paired t-test: for a gain :math:`\Delta` against seed-to-seed noise
    :math:`s_d` of the differences, roughly :math:`((q_{1-a/2} + q_{\text{power}})\,s_d/\Delta)^2`
    with :math:`a = 1 - \text{confidence}` and :math:`q` normal quantiles, plus a few seeds because :math:`s_d` is estimated.

    Args:
        sd_of_differences: the standard deviation of the paired per-seed differences, 0 or more.
        effect: the true mean difference to detect, not 0 (in the differences' units).
        confidence: the interval's coverage, strictly between 0 and 1 (default 0.95).
        power: the chance of detection wanted, strictly between 0 and 1 (default 0.8).
        max_seeds: give up above this many seeds (default 1,000,000).

    Returns:
        An int, at least 2.

    Raises:
        TypeError: as :func:`paired_power`.
        ValueError: as :func:`paired_power`, for ``power`` outside (0, 1), or if even
            ``max_seeds`` seeds fall short.

    Example:
        >>> from activation_lab.verdicts import seeds_needed
        >>> seeds_needed(1.0, 0.5)  # Cohen's d = 0.5: the textbook 34 pairs
        34
        >>> seeds_needed(0.016, 0.005), seeds_needed(0.016, 0.01)
        (83, 23)
    """
    sd, effect = _check_design(sd_of_differences, effect)
    power = _check_probability(power, "power")
    confidence = _check_probability(confidence, "confidence")
    max_seeds = _check_max(max_seeds)
    reaches = lambda n: paired_power(sd, effect, n, confidence) >= power  # noqa: E731
    if reaches(2):
        return 2
    if not reaches(max_seeds):
        raise ValueError(f"even {max_seeds} seeds do not reach power {power} for effect {effect} and sd {sd}")
    low, high = 2, 4  # reaches(low) is False; double high until it is True, then bisect
    while high < max_seeds and not reaches(high):
        low, high = high, 2 * high
    high = min(high, max_seeds)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if reaches(middle) else (middle, high)
    return high


def _check_max(max_seeds) -> int:
    if isinstance(max_seeds, bool) or not isinstance(max_seeds, (int, np.integer)) or max_seeds < 2:
        raise ValueError(f"max_seeds must be an int of at least 2, got {max_seeds!r}")
    return int(max_seeds)


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

    An interval that touches or contains ``reference`` is ``"within noise"``.

    Args:
        low: the lower end of the interval.
        high: the upper end, not below ``low``.
        reference: the value to compare with (default 0.0, for a difference).

    Returns:
        ``"higher"`` when ``low > reference``, ``"lower"`` when ``high < reference``,
        else ``"within noise"``.

    Raises:
        TypeError: if an end is not a real number.
        ValueError: if an end is NaN or ``low > high``.

    Example:
        >>> from activation_lab.verdicts import interval_verdict
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

    Used for timings: with ``factor=2``, an interval of time ratios that lies
    wholly above 2 supports "more than twice as slow as the reference".

    Args:
        low: the lower end of the interval of ratios.
        high: the upper end, not below ``low``.
        factor: the positive ratio to compare with (default 2.0).

    Returns:
        ``"more than"`` when ``low > factor``, ``"less than"`` when ``high < factor``,
        else ``"about"``.

    Raises:
        TypeError: if an end is not a real number.
        ValueError: if an end is NaN, ``low > high``, or ``factor`` is not positive.

    Example:
        >>> from activation_lab.verdicts import ratio_verdict
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

    Args:
        low: the lower end of the interval.
        high: the upper end, not below ``low``.
        reference: the value the verdict compares with (default 0.0).
        margin: the share of the interval's width that counts as "barely", in
            [0, 1) (default 0.1).

    Returns:
        ``False`` for an interval that contains ``reference`` (there is no verdict
        to be fragile); otherwise whether the gap to ``reference`` is below
        ``margin * (high - low)``.

    Raises:
        TypeError: if an end is not a real number.
        ValueError: if an end is NaN, ``low > high``, or ``margin`` is outside [0, 1).

    Example:
        >>> from activation_lab.verdicts import is_fragile
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

    Args:
        word: one of :data:`LEDGER_WORDS`.
        fragile: whether to mark the verdict fragile (default False), e.g. from
            :func:`is_fragile`.

    Returns:
        The verdict as the ledger prints it.

    Raises:
        ValueError: if ``word`` is not a ledger word.
        TypeError: if ``fragile`` is not a bool.

    Example:
        >>> from activation_lab.verdicts import ledger_verdict
        >>> ledger_verdict("supported")
        'supported'
        >>> ledger_verdict("partly", fragile=True)
        'partly (fragile)'
    """
    if word not in LEDGER_WORDS:
        raise ValueError(f"word must be one of {LEDGER_WORDS}, got {word!r}")
    if not isinstance(fragile, bool):
        raise TypeError(f"fragile must be a bool, got {type(fragile).__name__}")
    return f"{word} (fragile)" if fragile else word
