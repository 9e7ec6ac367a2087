"""Timing small operations honestly: warm-up, repeats, medians, and ratios to a reference.

A single wall-clock reading on a shared machine is mostly noise. The helpers here
run each function a few times untimed (warm-up: caches, lazy allocations), then
time several rounds and keep the median. :func:`compare_timings` interleaves the
functions within each round, so a burst of load from elsewhere slows all of them
alike and largely cancels in the ratio to the reference.

Seconds change from run to run and machine to machine: print them only through
:func:`format_duration`, which writes them in one recognizable form ("12.3 ms").
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np
import torch
from torch import nn

from ._shared import check_names
from .registry import ACTIVATIONS

__all__ = ["Timing", "time_call", "compare_timings", "format_duration", "relative_cost"]

_clock = time.perf_counter  # a module attribute, so that tests can substitute a fake clock
_UNITS = ((1.0, "s"), (1e-3, "ms"), (1e-6, "\u00b5s"), (1e-9, "ns"))


@dataclass(frozen=True)
class Timing:
    r"""Seconds per call of each timed round; ``median`` is what to report.

    ``str(timing)`` writes the median through :func:`format_duration`.

    Attributes:
        seconds: one value per round, in the order the rounds ran.

    Example:
        >>> from activation_lab.timing import Timing
        >>> timing = Timing((0.3, 0.1, 0.2))
        >>> print(timing)
        median 200 ms over 3 runs
    """

    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        r"""The median of the rounds' seconds per call: the figure to report.

        Example:
            >>> from activation_lab.timing import Timing
            >>> Timing((0.3, 0.1, 0.2)).median
            0.2
        """
        return float(np.median(self.seconds))

    @property
    def best(self) -> float:
        r"""The fastest round's seconds per call: a floor, optimistic on a busy machine.

        Example:
            >>> from activation_lab.timing import Timing
            >>> Timing((0.3, 0.1, 0.2)).best
            0.1
        """
        return float(min(self.seconds))

    def per_element(self, n: int) -> float:
        r"""Median seconds per element for a call that processes ``n`` elements.

        Args:
            n: elements one call processes, at least 1.

        Returns:
            :attr:`median` divided by ``n``.

        Example:
            >>> from activation_lab.timing import Timing, format_duration
            >>> format_duration(Timing((0.3, 0.1, 0.2)).per_element(1000))
            '200 µs'
        """
        _check_count(n, "n", minimum=1)
        return self.median / n

    def __str__(self) -> str:
        return f"median {format_duration(self.median)} over {len(self.seconds)} runs"


def _check_count(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def _check_callable(function, name: str) -> None:
    if not callable(function):
        raise TypeError(f"{name} must be callable with no arguments, got {type(function).__name__}")


def _time_once(function: Callable[[], object], number: int) -> float:
    start = _clock()
    for _ in range(number):
        function()
    return (_clock() - start) / number


def _check_schedule(repeats, warmup, number) -> tuple[int, int, int]:
    return _check_count(repeats, "repeats", 1), _check_count(warmup, "warmup", 0), _check_count(number, "number", 1)


def time_call(function: Callable[[], object], *, repeats: int = 7, warmup: int = 2, number: int = 1) -> Timing:
    r"""Time ``function()``: ``warmup`` untimed calls, then ``repeats`` rounds of ``number`` calls each.

    Each round's seconds per call (round time / ``number``) is kept; report
    ``Timing.median``. ``function`` takes no arguments (wrap it in a lambda).
    Raise ``number`` for calls too quick for the clock to resolve one by one.

    Args:
        function: the callable to time, taking no arguments; its result is discarded.
        repeats: timed rounds, at least 1 (default 7).
        warmup: untimed calls before the first round (default 2).
        number: calls per round (default 1).

    Returns:
        A :class:`Timing` with one value per round.

    Example:
        >>> from activation_lab.timing import time_call
        >>> calls = []
        >>> timing = time_call(lambda: calls.append(1), repeats=3, warmup=1, number=10)
        >>> len(timing.seconds), len(calls)
        (3, 31)
        >>> timing.median >= 0
        True
    """
    _check_callable(function, "function")
    repeats, warmup, number = _check_schedule(repeats, warmup, number)
    for _ in range(warmup):
        function()
    return Timing(tuple(_time_once(function, number) for _ in range(repeats)))


def compare_timings(
    functions: Mapping[str, Callable[[], object]],
    reference: Callable[[], object],
    *,
    repeats: int = 7,
    warmup: int = 2,
    number: int = 1,
) -> tuple[dict[str, Timing], Timing, dict[str, float]]:
    r"""Time each function and a reference in interleaved rounds; ratio :math:`= \mathrm{median}_r (t_{f,r} / t_{\mathrm{ref},r})`.

    In round ``r`` the reference runs first, then each function in the mapping's
    order. The ratio of a function is the median over rounds of its time divided
    by the reference's time in the same round. Returns ``(timings, reference
    timing, ratios)``, keyed by the mapping's names.

    Args:
        functions: maps a name to a callable taking no arguments.
        reference: the callable the others are measured against.
        repeats: timed rounds, at least 1 (default 7).
        warmup: untimed rounds before the first timed one (default 2).
        number: calls of each callable per round (default 1).

    Returns:
        ``(timings, reference_timing, ratios)``: a dict of :class:`Timing`, the
        reference's :class:`Timing`, and a dict of float ratios.

    Raises:
        ValueError: the reference took no measurable time in some round.

    Example:
        >>> from activation_lab.timing import compare_timings
        >>> timings, reference, ratios = compare_timings(
        ...     {"sorted": lambda: sorted(range(2000), reverse=True)},
        ...     lambda: list(range(2000)), repeats=3, number=5)
        >>> list(timings), len(reference.seconds), ratios["sorted"] > 0
        (['sorted'], 3, True)
    """
    if not isinstance(functions, Mapping) or not functions:
        raise ValueError("functions must be a non-empty mapping from name to a callable")
    for name, function in functions.items():
        _check_callable(function, f"functions[{name!r}]")
    _check_callable(reference, "reference")
    repeats, warmup, number = _check_schedule(repeats, warmup, number)
    for _ in range(warmup):
        reference()
        for function in functions.values():
            function()
    reference_seconds: list[float] = []
    seconds: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeats):
        reference_seconds.append(_time_once(reference, number))
        for name, function in functions.items():
            seconds[name].append(_time_once(function, number))
    ref = np.array(reference_seconds)
    if not np.all(ref > 0):
        raise ValueError("the reference took no measurable time in some round; raise `number`")
    ratios = {name: float(np.median(np.array(values) / ref)) for name, values in seconds.items()}
    timings = {name: Timing(tuple(values)) for name, values in seconds.items()}
    return timings, Timing(tuple(reference_seconds)), ratios


def format_duration(seconds: float, digits: int = 3) -> str:
    r"""``seconds`` as a short string in s, ms, µs or ns with ``digits`` significant digits, e.g. ``"12.3 ms"``.

    One fixed form (a number, a space, a unit) so that a reader or a tool can tell durations apart.
    The unit is the largest one that keeps the number at 1 or more; a value that
    rounds up to 1000 moves to the next unit (``"1.00 s"``, not ``"1000 ms"``).

    Args:
        seconds: a finite, non-negative number of seconds.
        digits: significant digits, at least 1 (default 3).

    Returns:
        The duration as ``"<number> <unit>"``.

    Example:
        >>> from activation_lab.timing import format_duration
        >>> format_duration(0.0123)
        '12.3 ms'
        >>> format_duration(4.2e-6), format_duration(0.9999996), format_duration(2.5, digits=2)
        ('4.20 µs', '1.00 s', '2.5 s')
    """
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float, np.floating, np.integer)):
        raise TypeError(f"seconds must be a number, got {type(seconds).__name__}")
    seconds = float(seconds)
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be finite and non-negative, got {seconds}")
    digits = _check_count(digits, "digits", 1)
    index = next((i for i, (scale, _) in enumerate(_UNITS) if seconds >= scale), len(_UNITS) - 1)
    while True:
        scale, unit = _UNITS[index]
        value = float(f"{seconds / scale:.{digits - 1}e}")  # rounded to `digits` significant digits
        if value >= 1000 and index > 0:  # 999.96 ms rounds up to 1000: say 1.00 s instead
            index -= 1
            continue
        decimals = max(0, digits - 1 - math.floor(math.log10(value))) if value > 0 else 0
        return f"{value:.{decimals}f} {unit}"


def relative_cost(names: Sequence[str], *, size: int = 1_000_000, repeats: int = 7, seed: int = 0) -> dict[str, float]:
    r"""Time of one forward and backward pass of each ``torch.nn`` module over ``size`` numbers, as a ratio to ReLU's.

    Built on :func:`~activation_lab.timing.compare_timings`: ReLU and the others run
    in interleaved rounds, and each ratio is the median over rounds, so a slow
    moment of the machine hits all of them alike. Ratios still vary between runs
    and machines: show them in a figure, not as printed digits. ``relu`` is
    always included (first, unless named elsewhere in ``names``) and is 1.0.
    The input is standard normal, drawn from a generator seeded with ``seed``,
    in PyTorch's current default dtype.

    Args:
        names: registry names of the activations to time.
        size: numbers in the input (default 1,000,000).
        repeats: timed rounds (default 7), after one warm-up round.
        seed: seeds the input (default 0).

    Returns:
        A dict from name to ratio, ReLU's being 1.0.

    Example:
        >>> from activation_lab.timing import relative_cost
        >>> ratios = relative_cost(["tanh", "gelu"], size=1000, repeats=3)
        >>> list(ratios), ratios["relu"], ratios["gelu"] > 0
        (['relu', 'tanh', 'gelu'], 1.0, True)
    """
    chosen = check_names(names)
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"size must be a positive int, got {size!r}")
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a positive int, got {repeats!r}")
    if "relu" not in chosen:
        chosen = ["relu", *chosen]
    x = torch.randn(size, generator=torch.Generator().manual_seed(int(seed))).requires_grad_(True)
    upstream = torch.ones(size)

    def forward_and_backward(module: nn.Module) -> Callable[[], None]:
        def call() -> None:
            module(x).backward(upstream)
            x.grad = None
            module.zero_grad(set_to_none=True)
        return call

    calls = {name: forward_and_backward(ACTIVATIONS[name].module()) for name in chosen}
    others = {name: call for name, call in calls.items() if name != "relu"}
    ratios = compare_timings(others, calls["relu"], repeats=repeats, warmup=1)[2] if others else {}
    return {name: 1.0 if name == "relu" else ratios[name] for name in chosen}
