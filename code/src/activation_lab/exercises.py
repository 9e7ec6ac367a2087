"""Checkers for the chapters' coding exercises: run the reader's function against the package.

A reader writes, say, ``def leaky_relu_derivative(x, negative_slope=0.01): ...`` and calls
``check.leaky_relu_derivative(leaky_relu_derivative)`` (after
``from activation_lab import exercises as check``). The checker runs it on random points
and on the inputs where implementations go wrong (0, -0.0, +-inf, NaN, float32 and float64)
and returns a :class:`CheckResult` that prints one line: a pass, or the first failing input
with the expected and the actual value.

Example:
    >>> import numpy as np
    >>> from activation_lab import exercises as check
    >>> print(check.relu_derivative(lambda x: np.where(np.asarray(x) > 0, 1.0, 0.0)))
    relu_derivative: wrong at x = nan (float64): expected nan, got 0
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch
from scipy.integrate import quad
from torch import nn

from . import functions as F
from .dead_units import dead_unit_report
from .networks import linear_layers, make_mlp

__all__ = [
    "CheckResult",
    "sigmoid_derivative",
    "softmax",
    "tanh_derivative",
    "xavier_std",
    "relu_derivative",
    "he_std",
    "leaky_relu_derivative",
    "dead_units_per_layer",
    "elu_derivative",
    "selu_moments",
    "swiglu",
    "maxout",
]

# The inputs where implementations go wrong, then random points at several scales.
_SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, -1e-300, 1.0, -1.0, 40.0, -40.0, 800.0, -800.0])
_RANDOM = np.random.default_rng(20240101).standard_normal(400) * np.repeat([0.1, 1.0, 5.0, 30.0], 100)
_TOLERANCE = {np.float64: (1e-9, 1e-12), np.float32: (1e-5, 1e-6)}


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a checker: ``passed`` and one line of ``message`` (what it prints).

    Example:
        >>> wrong = lambda x, negative_slope=0.01: np.where(np.isnan(x), np.nan, np.where(x > 0, 1.0, 0.01))
        >>> print(leaky_relu_derivative(wrong))
        leaky_relu_derivative: wrong at x = 0, negative_slope=0.2 (float64): expected 0.2, got 0.01
    """

    name: str
    passed: bool
    message: str

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.passed


def _fail(name: str, message: str) -> CheckResult:
    return CheckResult(name, False, f"{name}: {message}")


def _passed(name: str, count: int, what: str) -> CheckResult:
    return CheckResult(name, True, f"{name}: passed all {count:,} checks ({what})")


def _format(value) -> str:
    value = float(value)
    if math.isnan(value):
        return "nan"
    return "-0.0" if value == 0.0 and math.copysign(1.0, value) < 0 else f"{value:.10g}"


def _agree(expected: np.ndarray, actual: np.ndarray, dtype) -> np.ndarray:
    rtol, atol = _TOLERANCE[dtype]
    both_nan = np.isnan(expected) & np.isnan(actual)
    with np.errstate(invalid="ignore"):
        close = np.isclose(actual, expected, rtol=rtol, atol=atol) | (expected == actual)
    return both_nan | (close & ~np.isnan(expected) & ~np.isnan(actual))


def _call(candidate: Callable, name: str, x: np.ndarray, params: dict, shape: tuple | None = None,
          shape_note: str = ""):
    """Run the reader's function on a copy; return (result array, None) or (None, failure).

    The result must have ``shape`` (default: the input's); ``shape_note`` explains why."""
    if not callable(candidate):
        return None, _fail(name, f"expected a function, got {type(candidate).__name__}")
    original = x.copy()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):  # an overflow shows up as a wrong value
            warnings.simplefilter("ignore")
            result = candidate(x, **params)
    except Exception as error:  # the reader's bug, reported rather than raised
        return None, _fail(name, f"raised {type(error).__name__}: {error} on an array of {x.dtype} (shape {x.shape})")
    if not np.array_equal(x, original, equal_nan=True):
        return None, _fail(name, "modified its input array in place; compute into a new array instead")
    try:
        result = np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        return None, _fail(name, f"returned {type(result).__name__}, not an array of numbers")
    if result.shape != (x.shape if shape is None else shape):
        return None, _fail(name, f"returned shape {result.shape} for an input of shape {x.shape}{shape_note}")
    return result, None


def _elementwise(candidate: Callable, oracle: Callable, name: str, params: dict | None = None,
                 extra: Sequence[float] = ()) -> CheckResult:
    params = params or {}
    shown = "".join(f", {key}={value!r}" for key, value in params.items())
    base = np.concatenate([_SPECIAL, np.asarray(extra, dtype=float), _RANDOM])
    count = 0
    for dtype in (np.float64, np.float32):
        with np.errstate(all="ignore"):
            x = base.astype(dtype)
            expected = np.asarray(oracle(x, **params), dtype=np.float64)
        actual, failure = _call(candidate, name, x, params)
        if failure is not None:
            return failure
        good = _agree(expected, actual, dtype)
        if not good.all():
            i = int(np.argmin(good))
            return _fail(name, f"wrong at x = {_format(x[i])}{shown} ({np.dtype(dtype).name}): "
                               f"expected {_format(expected[i])}, got {_format(actual[i])}")
        count += x.size
    return _passed(name, count, "random points, 0, -0.0, ±inf, NaN; float32 and float64")


def sigmoid_derivative(candidate: Callable) -> CheckResult:
    r"""Check :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`, including far out where naive code overflows.

    Args:
        candidate: the reader's ``f(x)`` on a NumPy array.

    Returns:
        A :class:`CheckResult` that prints a pass line or the first failing input.

    Example:
        >>> print(sigmoid_derivative(F.sigmoid_derivative))
        sigmoid_derivative: passed all 826 checks (random points, 0, -0.0, ±inf, NaN; float32 and float64)
    """
    return _elementwise(candidate, F.sigmoid_derivative, "sigmoid_derivative")


def tanh_derivative(candidate: Callable) -> CheckResult:
    r"""Check :math:`\tanh'(x) = 1 - \tanh^2(x)`.

    Example:
        >>> print(tanh_derivative(lambda x: 1 - np.tanh(x)))
        tanh_derivative: wrong at x = -inf (float64): expected 0, got 2
        >>> tanh_derivative(lambda x: 1 - np.tanh(x) ** 2).passed
        True
    """
    return _elementwise(candidate, F.tanh_derivative, "tanh_derivative")


def relu_derivative(candidate: Callable) -> CheckResult:
    """Check ReLU's derivative with PyTorch's convention at the kink (0 at 0 and at -0.0) and NaN kept.

    Example:
        >>> print(relu_derivative(lambda x: (np.asarray(x) >= 0).astype(float)))
        relu_derivative: wrong at x = 0 (float64): expected 0, got 1
    """
    return _elementwise(candidate, F.relu_derivative, "relu_derivative")


def leaky_relu_derivative(candidate: Callable, negative_slope: float = 0.01) -> CheckResult:
    """Check leaky ReLU's derivative (the kink takes ``negative_slope``, as PyTorch), at two slopes."""
    for slope in (negative_slope, 0.2):
        result = _elementwise(candidate, F.leaky_relu_derivative, "leaky_relu_derivative", {"negative_slope": slope})
        if not result:
            return result
    return result


def elu_derivative(candidate: Callable, alpha: float = 1.0) -> CheckResult:
    r"""Check ELU's derivative, :math:`1` above 0 and :math:`\alpha e^{x}` at and below 0, at two alphas.

    Example:
        >>> elu_derivative(F.elu_derivative).passed
        True
    """
    for value in (alpha, 0.5):
        result = _elementwise(candidate, F.elu_derivative, "elu_derivative", {"alpha": value})
        if not result:
            return result
    return result


def softmax(candidate: Callable) -> CheckResult:
    """Check a softmax over the last axis on batches of scores, including scores of ±1000.

    Example:
        >>> print(softmax(lambda x: np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)))
        softmax: wrong for the row [ 1000.  1000. -1000.] (float64): expected [0.5 0.5 0. ], got [nan nan  0.]
    """
    rng = np.random.default_rng(7)
    cases = [rng.standard_normal((5, 4)), rng.standard_normal((3, 10)) * 30, np.array([[1000.0, 1000.0, -1000.0]]),
             np.array([[-1000.0, -1001.0, -1002.0]]), np.array([[0.0, 0.0]]), np.array([[5.0]])]
    return _rows(candidate, lambda x: F.softmax(x, dim=-1), "softmax", cases, {},
                 "rows of random scores and scores of ±1000; float32 and float64")


def _std_checker(candidate: Callable, name: str, oracle: Callable, cases: Sequence[tuple]) -> CheckResult:
    if not callable(candidate):
        return _fail(name, f"expected a function, got {type(candidate).__name__}")
    for args in cases:
        try:
            actual = float(candidate(*args))
        except Exception as error:
            return _fail(name, f"raised {type(error).__name__}: {error} for {args}")
        expected = oracle(*args)
        if not math.isclose(actual, expected, rel_tol=1e-9):
            shown = ", ".join(f"{value}" for value in args)
            return _fail(name, f"wrong for ({shown}): expected {expected:.6g}, got {actual:.6g}")
    return _passed(name, len(cases), "layer sizes from 1 to 4096")


_SIZES = [(1, 1), (2, 3), (64, 64), (784, 256), (256, 10), (4096, 1000)]


def he_std(candidate: Callable) -> CheckResult:
    r"""Check ``candidate(fan_in, fan_out)`` returns He's standard deviation :math:`\sqrt{2 / n_{\text{in}}}`.

    Example:
        >>> print(he_std(lambda fan_in, fan_out: (2 / fan_in) ** 0.5))
        he_std: passed all 6 checks (layer sizes from 1 to 4096)
    """
    return _std_checker(candidate, "he_std", lambda fan_in, fan_out: math.sqrt(2.0 / fan_in), _SIZES)


def xavier_std(candidate: Callable) -> CheckResult:
    r"""Check ``candidate(fan_in, fan_out)`` returns Glorot and Bengio's :math:`\sqrt{2 / (n_{\text{in}} + n_{\text{out}})}`.

    Example:
        >>> print(xavier_std(lambda fan_in, fan_out: (2 / fan_in) ** 0.5))
        xavier_std: wrong for (1, 1): expected 1, got 1.41421
    """
    return _std_checker(candidate, "xavier_std",
                        lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)), _SIZES)


def _probe_cases() -> list[tuple[nn.Module, torch.Tensor]]:
    """Small ReLU networks, some with units killed by a very negative bias, and their inputs."""
    cases = []
    for seed, widths, killed in ((0, [3, 6, 4, 2], {0: [1, 4]}), (1, [2, 5, 5, 5, 2], {1: [0, 2, 3], 2: [4]}),
                                 (2, [4, 8, 2], {}), (3, [3, 4, 4, 2], {0: [0, 1, 2, 3]})):
        model = make_mlp(widths, "relu", seed=seed)
        with torch.no_grad():
            for layer, units in killed.items():
                linear_layers(model)[layer].bias[units] = -1e3
        x = torch.randn(50, widths[0], generator=torch.Generator().manual_seed(seed), dtype=model[0].weight.dtype)
        cases.append((model, x))
    return cases


def dead_units_per_layer(candidate: Callable) -> CheckResult:
    """Check ``candidate(model, x)`` returns, per ReLU layer, how many units are never positive on ``x``.

    The models are ``nn.Sequential`` ReLU networks; the checker also makes sure the function
    leaves the model's parameters and train/eval mode as they were.

    Example:
        >>> print(dead_units_per_layer(lambda model, x: [0] * 5))
        dead_units_per_layer: wrong on a network with hidden widths [6, 4]: expected dead units per layer [2, 0], got [0, 0, 0, 0, 0]
    """
    name = "dead_units_per_layer"
    if not callable(candidate):
        return _fail(name, f"expected a function, got {type(candidate).__name__}")
    cases = _probe_cases()
    for index, (model, x) in enumerate(cases):
        model.train(index % 2 == 0)
        before = [p.detach().clone() for p in model.parameters()]
        mode = model.training
        expected = [int(v) for v in dead_unit_report(model, x).dead]
        try:
            actual = [int(v) for v in candidate(model, x)]
        except Exception as error:
            return _fail(name, f"raised {type(error).__name__}: {error} on network {index} ({model})")
        if model.training != mode:
            return _fail(name, "changed the model's train/eval mode; restore it before returning")
        if any(not torch.equal(a, b) for a, b in zip(before, model.parameters())):
            return _fail(name, "changed the model's parameters; a probe must only look")
        if actual != expected:
            widths = [layer.out_features for layer in linear_layers(model)][:-1]
            return _fail(name, f"wrong on a network with hidden widths {widths}: expected dead units "
                               f"per layer {expected}, got {actual}")
    return _passed(name, len(cases), "networks with and without dead units, in train and eval mode")


def _normal_expectation(function: Callable, mean: float, variance: float) -> float:
    """E[function(z)] for z ~ N(mean, variance), integrated on each side of the kink at z = 0."""
    std = math.sqrt(variance)
    kink = -mean / std

    def integrand(t: float) -> float:
        return float(function(np.array(mean + std * t))) * math.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)

    return sum(quad(integrand, low, high, epsabs=1e-12, epsrel=1e-12)[0]
               for low, high in ((-math.inf, kink), (kink, math.inf)))


def selu_moments(candidate: Callable) -> CheckResult:
    r"""Check ``candidate(mean, variance)`` returns the mean and variance of :math:`\mathrm{selu}(z)`
    for :math:`z \sim \mathcal{N}(\text{mean}, \text{variance})`: the map whose fixed point is (0, 1).

    Example:
        >>> print(selu_moments(lambda mean, variance: (0.0, 1.0)))
        selu_moments: wrong for mean 0.5, variance 2.0: expected (0.55974, 1.95028), got (0.00000, 1.00000)
    """
    name = "selu_moments"
    if not callable(candidate):
        return _fail(name, f"expected a function, got {type(candidate).__name__}")
    cases = [(0.0, 1.0), (0.5, 2.0), (-0.3, 0.5), (1.0, 0.1), (0.0, 3.0)]
    for mean, variance in cases:
        first = _normal_expectation(F.selu, mean, variance)
        second = _normal_expectation(lambda z: F.selu(z) ** 2, mean, variance)
        expected = (first, second - first**2)
        try:
            actual = tuple(float(v) for v in candidate(mean, variance))
        except Exception as error:
            return _fail(name, f"raised {type(error).__name__}: {error} for mean {mean}, variance {variance}")
        if len(actual) != 2 or not all(math.isclose(a, e, rel_tol=1e-4, abs_tol=1e-4) for a, e in zip(actual, expected)):
            return _fail(name, f"wrong for mean {mean}, variance {variance}: expected "
                               f"({expected[0]:.5f}, {expected[1]:.5f}), got "
                               f"({', '.join(f'{a:.5f}' for a in actual)})")
    return _passed(name, len(cases), "five input distributions, the fixed point (0, 1) among them")


def _rows(candidate: Callable, oracle: Callable, name: str, cases: Sequence[np.ndarray], params: dict,
          what: str, shape_note: str = "") -> CheckResult:
    """Compare the reader's function of 2-D arrays with the package's, case by case, in both
    precisions, and report the first row where they differ."""
    if not callable(candidate):
        return _fail(name, f"expected a function, got {type(candidate).__name__}")
    shown = "".join(f", {key}={value!r}" for key, value in params.items())
    count = 0
    for case in cases:
        for dtype in (np.float64, np.float32):
            x = case.astype(dtype)
            with np.errstate(all="ignore"):
                expected = np.asarray(oracle(x, **params), dtype=np.float64)
            actual, failure = _call(candidate, name, x, params, expected.shape, shape_note)
            if failure is not None:
                return failure
            good = _agree(expected, actual, dtype)
            if not good.all():
                row = int(np.argmin(good.all(axis=-1)))
                return _fail(name, f"wrong for the row {np.array2string(x[row], precision=4)}{shown} "
                                   f"({np.dtype(dtype).name}): expected {np.array2string(expected[row], precision=4)}, "
                                   f"got {np.array2string(actual[row], precision=4)}")
            count += expected.size
    return _passed(name, count, what)


def swiglu(candidate: Callable) -> CheckResult:
    r"""Check ``candidate(x)``: split the last axis into a value half :math:`u` and a gate half :math:`z`,
    return :math:`u\,\mathrm{silu}(z)`, including gates of ±800, where the exponential overflows.

    Example:
        >>> def wrong(x):
        ...     z, u = np.split(np.asarray(x, dtype=float), 2, axis=-1)  # the halves swapped
        ...     return u * z / (1 + np.exp(-z))
        >>> print(swiglu(wrong))
        swiglu: wrong for the row [ 2. -1.] (float64): expected [-0.5379], got [-1.7616]
    """
    rng = np.random.default_rng(11)
    cases = [np.array([[2.0, -1.0], [0.0, 3.0], [-1.5, 0.0]]), rng.standard_normal((6, 8)) * 3.0,
             np.array([[1.0, 2.0, 800.0, -800.0], [-3.0, 0.5, -40.0, 40.0]])]
    return _rows(candidate, F.swiglu, "swiglu", cases, {},
                 "values and gates at random and at ±800; float32 and float64", " (the last axis halves)")


def maxout(candidate: Callable, pieces: int = 3) -> CheckResult:
    r"""Check ``candidate(x, pieces)``: the largest of each group of ``pieces`` consecutive numbers along the last axis.

    Example:
        >>> interleaved = lambda x, pieces: np.asarray(x).reshape(len(x), pieces, -1).max(axis=1)
        >>> print(maxout(interleaved))
        maxout: wrong for the row [1. 5. 2. 0. 3. 4.], pieces=3 (float64): expected [5. 4.], got [3. 5.]
    """
    rng = np.random.default_rng(12)
    cases = [np.array([[1.0, 5.0, 2.0, 0.0, 3.0, 4.0]]), rng.standard_normal((4, 12)),
             np.array([[-np.inf, -2.0, -np.inf, 1.0, 1.0, 1.0]])]
    return _rows(candidate, F.maxout, "maxout", cases, {"pieces": pieces},
                 "random groups, ties and -inf; float32 and float64",
                 f" (the last axis {pieces} times shorter)")
