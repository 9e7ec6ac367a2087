"""ReLU and the rectifiers built on it: relu6, leaky_relu, prelu, rrelu, elu, selu, celu.

Derivatives at a kink follow PyTorch's autograd. ReLU is not differentiable at 0,
but every value in [0, 1] is a subgradient there (a slope of a line through the
origin that stays below the graph); PyTorch picks 0, and so do we. An input of
exactly 0.0 is rare in float arithmetic, so the choice almost never matters.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_real, finish
from .classic import hardtanh, hardtanh_derivative

__all__ = [
    "relu",
    "relu_derivative",
    "relu6",
    "relu6_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "prelu",
    "prelu_derivative",
    "rrelu",
    "rrelu_derivative",
    "elu",
    "elu_derivative",
    "selu",
    "selu_derivative",
    "celu",
    "celu_derivative",
    "SELU_ALPHA",
    "SELU_SCALE",
]

# Klambauer et al. (2017), equation (14): the constants that make (0, 1) a fixed point.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _keep_nan(z: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(z), np.nan, values)


def _scaled_negative(z: np.ndarray, slope) -> np.ndarray:
    """``slope * z`` with a zero slope giving 0 even at -inf (not 0 * -inf = NaN); NaN kept."""
    with np.errstate(invalid="ignore"):
        product = np.where(slope == 0, 0.0, slope * z)
    return _keep_nan(z, product)


def relu(x) -> np.ndarray:
    r"""Rectified linear unit, :math:`f(x) = \max(0, x)`."""
    z, dtype = as_float_array(x)
    return finish(np.maximum(z, 0.0), dtype)


def relu_derivative(x) -> np.ndarray:
    r""":math:`f'(x) = 1` for :math:`x > 0`, 0 for :math:`x < 0`, and 0 at the kink (as PyTorch)."""
    z, dtype = as_float_array(x)
    return finish(_keep_nan(z, (z > 0).astype(np.float64)), dtype)


def relu6(x) -> np.ndarray:
    r"""ReLU capped at 6, :math:`f(x) = \min(\max(0, x), 6)` (used in mobile networks)."""
    return hardtanh(x, 0.0, 6.0)


def relu6_derivative(x) -> np.ndarray:
    r"""1 on (0, 6), 0 elsewhere, 0 at both kinks (as PyTorch)."""
    return hardtanh_derivative(x, 0.0, 6.0)


def leaky_relu(x, negative_slope: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU, :math:`f(x) = x` for :math:`x > 0`, :math:`\text{negative\_slope}\cdot x` otherwise."""
    z, dtype = as_float_array(x)
    slope = check_real(negative_slope, "negative_slope")
    return finish(np.where(z > 0, z, _scaled_negative(z, slope)), dtype)


def leaky_relu_derivative(x, negative_slope: float = 0.01) -> np.ndarray:
    r"""1 for :math:`x > 0`, ``negative_slope`` for :math:`x \le 0` (the kink takes the slope, as PyTorch)."""
    z, dtype = as_float_array(x)
    slope = check_real(negative_slope, "negative_slope")
    return finish(_keep_nan(z, np.where(z > 0, 1.0, slope)), dtype)


def _prelu_weight(weight, z: np.ndarray) -> np.ndarray:
    if isinstance(weight, (str, bytes)) or weight is None:
        raise TypeError(f"weight must be a real number or a 1-D array of slopes, got {type(weight).__name__}")
    w, _ = as_float_array(weight, "weight")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"weight must hold finite slopes, got {weight!r}")
    if w.ndim == 0 or w.size == 1:
        return w.reshape(())
    if w.ndim != 1:
        raise ValueError(f"weight must be a scalar or 1-D, got shape {w.shape}")
    channels = z.shape[1] if z.ndim >= 2 else None
    if channels != w.size:
        raise ValueError(
            f"weight has {w.size} slopes, so x must have {w.size} channels along dim 1, got shape {z.shape}"
        )
    return w.reshape((w.size,) + (1,) * (z.ndim - 2))


def prelu(x, weight) -> np.ndarray:
    r"""Parametric ReLU, :math:`f(x) = x` for :math:`x > 0`, :math:`a\,x` otherwise.

    Args:
        x: input; with a per-channel ``weight``, channels run along dim 1 (as PyTorch).
        weight: the slope :math:`a`, one number or one per channel. In a network
            it is learned; here it is given.
    """
    z, dtype = as_float_array(x)
    a = _prelu_weight(weight, z)
    return finish(np.where(z > 0, z, _scaled_negative(z, a)), dtype)


def prelu_derivative(x, weight) -> np.ndarray:
    r"""Derivative with respect to ``x``: 1 for :math:`x > 0`, :math:`a` for :math:`x \le 0`."""
    z, dtype = as_float_array(x)
    a = _prelu_weight(weight, z)
    return finish(_keep_nan(z, np.where(z > 0, 1.0, a * np.ones_like(z))), dtype)


def _check_rrelu_bounds(lower, upper) -> tuple[float, float]:
    low = check_real(lower, "lower")
    high = check_real(upper, "upper")
    if not 0.0 <= low <= high:
        raise ValueError(f"lower and upper must satisfy 0 <= lower <= upper, got lower={low}, upper={high}")
    return low, high


def rrelu(x, lower: float = 1.0 / 8.0, upper: float = 1.0 / 3.0, training: bool = False,
          rng: np.random.Generator | None = None) -> np.ndarray:
    r"""Randomized leaky ReLU (Xu et al. 2015), as ``F.rrelu``: :math:`f(x) = x` for :math:`x \ge 0`, :math:`a x` below.

    In training each element draws its own slope :math:`a \sim U(\text{lower}, \text{upper})`;
    in evaluation the slope is fixed at the mean, :math:`(\text{lower} + \text{upper}) / 2`,
    so ``rrelu`` is then ``leaky_relu`` with that slope.

    Args:
        x: input of any shape.
        lower, upper: the range of the random slope, ``0 <= lower <= upper``.
        training: draw random slopes (needs ``rng``) instead of using their mean.
        rng: a ``numpy.random.Generator``, required when ``training=True`` so that a
            run can be repeated.

    Example:
        >>> rrelu([-2.0, 3.0], lower=0.1, upper=0.3)
        array([-0.4,  3. ])
    """
    z, dtype = as_float_array(x)
    low, high = _check_rrelu_bounds(lower, upper)
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(f"training must be a bool, got {type(training).__name__}")
    if training:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator when training=True, got {type(rng).__name__}")
        slope = rng.uniform(low, high, size=z.shape)
    else:
        slope = (low + high) / 2.0
    return finish(np.where(z >= 0, z, _scaled_negative(z, slope)), dtype)


def rrelu_derivative(x, lower: float = 1.0 / 8.0, upper: float = 1.0 / 3.0) -> np.ndarray:
    r"""The evaluation-mode derivative: 1 for :math:`x > 0`, :math:`(\text{lower} + \text{upper})/2` for :math:`x \le 0`.

    Example:
        >>> rrelu_derivative([-1.0, 0.0, 2.0], lower=0.1, upper=0.3)
        array([0.2, 0.2, 1. ])
    """
    z, dtype = as_float_array(x)
    low, high = _check_rrelu_bounds(lower, upper)
    return finish(_keep_nan(z, np.where(z > 0, 1.0, (low + high) / 2.0)), dtype)


def elu(x, alpha: float = 1.0) -> np.ndarray:
    r"""Exponential linear unit, :math:`f(x) = x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise."""
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    # min(z, 0) keeps expm1 from overflowing in the branch np.where throws away.
    return finish(np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0))), dtype)


def elu_derivative(x, alpha: float = 1.0) -> np.ndarray:
    r"""1 for :math:`x > 0`, :math:`\alpha e^x` for :math:`x \le 0` (so :math:`\alpha` at the kink, as PyTorch)."""
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    return finish(np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0))), dtype)


def selu(x) -> np.ndarray:
    r"""Scaled ELU, :math:`f(x) = \lambda\,\mathrm{elu}(x, \alpha)` with Klambauer et al.'s :math:`\lambda, \alpha`."""
    z, dtype = as_float_array(x)
    return finish(SELU_SCALE * elu(z, SELU_ALPHA), dtype)


def selu_derivative(x) -> np.ndarray:
    r""":math:`\lambda` for :math:`x > 0`, :math:`\lambda\alpha e^x` for :math:`x \le 0`."""
    z, dtype = as_float_array(x)
    return finish(SELU_SCALE * elu_derivative(z, SELU_ALPHA), dtype)


def celu(x, alpha: float = 1.0) -> np.ndarray:
    r"""Continuously differentiable ELU, :math:`f(x) = \max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))`."""
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha", nonzero=True)
    negative = alpha * np.expm1(np.minimum(z, 0.0) / alpha)
    return finish(np.where(z > 0, z, negative), dtype)


def celu_derivative(x, alpha: float = 1.0) -> np.ndarray:
    r"""1 for :math:`x > 0`, :math:`e^{x/\alpha}` for :math:`x \le 0`: equal to 1 at 0 for every alpha."""
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha", nonzero=True)
    return finish(np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0) / alpha)), dtype)
