r"""Smooth relatives of ReLU: softplus, gelu, silu and mish.

Each behaves like ReLU far from 0 and bends smoothly near it. Forms such as
:math:`x\,\Phi(x)` are evaluated so that the limits at :math:`\pm\infty` come out
right (``gelu(-inf)`` is 0, not ``-inf * 0 = nan``).

Example:
    >>> import numpy as np
    >>> from activation_lab.functions import gelu, mish, silu
    >>> [float(f(-np.inf)) for f in (gelu, silu, mish)]
    [0.0, 0.0, 0.0]
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from ._checks import as_float_array, check_choice, check_real, finish
from .classic import _logistic

__all__ = [
    "softplus",
    "softplus_derivative",
    "gelu",
    "gelu_derivative",
    "silu",
    "silu_derivative",
    "mish",
    "mish_derivative",
]

# Beyond this |x| every function here equals its asymptote to float64 precision.
_FAR = 60.0
_SQRT_2_OVER_PI = np.sqrt(2.0 / np.pi)
_GELU_TANH_COEFF = 0.044715


def _with_limits(z: np.ndarray, core, right, left) -> np.ndarray:
    """Evaluate ``core`` on z clipped to [-_FAR, _FAR]; use the asymptotes beyond."""
    clipped = np.clip(z, -_FAR, _FAR)
    values = core(clipped)
    values = np.where(z > _FAR, right(z), values)
    return np.where(z < -_FAR, left(z), values)


def _zero(z):
    return np.zeros_like(z)


def _one(z):
    return np.ones_like(z)


def _softplus_stable(z):
    with np.errstate(invalid="ignore"):  # logaddexp warns on NaN; NaN out is what we want
        return np.logaddexp(0.0, z)


def softplus(x, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    r"""Softplus, :math:`f(x) = \frac{1}{\beta}\log(1 + e^{\beta x})`, a smooth ReLU.

    Where :math:`\beta x` exceeds ``threshold`` the function returns :math:`x`
    (PyTorch's shortcut). As :math:`\beta \to \infty` it tends to ReLU.

    Args:
        x: input of any shape.
        beta: the sharpness, a positive number (default 1.0).
        threshold: above this value of :math:`\beta x` the result is :math:`x`
            itself (default 20.0, as PyTorch).

    Returns:
        A new array of positive values; floating input keeps its dtype, integer
        and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(softplus([-1.0, 0.0, 30.0]), 4)
        array([ 0.3133,  0.6931, 30.    ])
        >>> np.round(softplus([-1.0, 0.0, 1.0], beta=10.0), 4)
        array([0.    , 0.0693, 1.    ])
    """
    z, dtype = as_float_array(x)
    beta = check_real(beta, "beta", positive=True)
    threshold = check_real(threshold, "threshold")
    scaled = beta * z
    smooth = _softplus_stable(np.minimum(scaled, threshold)) / beta
    return finish(np.where(scaled > threshold, z, smooth), dtype)


def softplus_derivative(x, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    r"""Derivative of softplus, :math:`f'(x) = \sigma(\beta x)`: the sigmoid.

    Past the threshold, where :func:`softplus` returns :math:`x`, the derivative is 1.

    Args:
        x: input of any shape.
        beta: the sharpness, a positive number (default 1.0).
        threshold: above this value of :math:`\beta x` the derivative is 1
            (default 20.0).

    Returns:
        A new array of values in [0, 1]; floating input keeps its dtype, integer
        and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(softplus_derivative([-1.0, 0.0, 30.0]), 4)
        array([0.2689, 0.5   , 1.    ])
    """
    z, dtype = as_float_array(x)
    beta = check_real(beta, "beta", positive=True)
    threshold = check_real(threshold, "threshold")
    scaled = beta * z
    return finish(np.where(scaled > threshold, 1.0, _logistic(scaled)), dtype)


def _gelu_tanh_inner(z):
    return np.tanh(_SQRT_2_OVER_PI * (z + _GELU_TANH_COEFF * z**3))


def _gelu_core(z, approximate):
    if approximate == "tanh":
        return 0.5 * z * (1.0 + _gelu_tanh_inner(z))
    return z * ndtr(z)


def _gelu_derivative_core(z, approximate):
    if approximate == "tanh":
        t = _gelu_tanh_inner(z)
        inner_slope = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_COEFF * z**2)
        return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * inner_slope
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    return ndtr(z) + z * density


def gelu(x, approximate: str = "none") -> np.ndarray:
    r"""Gaussian error linear unit, :math:`f(x) = x\,\Phi(x)` with :math:`\Phi` the normal CDF.

    Not monotonic: it dips to about -0.17 near :math:`x \approx -0.75`.

    Args:
        x: input of any shape.
        approximate: ``"none"`` (default) for the exact form, ``"tanh"`` for
            :math:`\tfrac12 x(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))`, as ``F.gelu``.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(gelu([-np.inf, -1.0, 0.0, 1.0]), 4)
        array([ 0.    , -0.1587,  0.    ,  0.8413])
        >>> np.round(gelu([-1.0, 1.0], approximate="tanh"), 4)
        array([-0.1588,  0.8412])
    """
    z, dtype = as_float_array(x)
    approximate = check_choice(approximate, "approximate", ("none", "tanh"))
    return finish(_with_limits(z, lambda c: _gelu_core(c, approximate), np.copy, _zero), dtype)


def gelu_derivative(x, approximate: str = "none") -> np.ndarray:
    r"""Derivative of GELU, :math:`f'(x) = \Phi(x) + x\,\varphi(x)` with :math:`\varphi` the normal density.

    With ``approximate="tanh"`` it is the derivative of the tanh form instead.

    Args:
        x: input of any shape.
        approximate: ``"none"`` (default) or ``"tanh"``, as in :func:`gelu`.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(gelu_derivative([-1.0, 0.0, 1.0]), 4)
        array([-0.0833,  0.5   ,  1.0833])
        >>> np.round(gelu_derivative([-1.0, 0.0, 1.0], approximate="tanh"), 4)
        array([-0.083,  0.5  ,  1.083])
    """
    z, dtype = as_float_array(x)
    approximate = check_choice(approximate, "approximate", ("none", "tanh"))
    core = lambda c: _gelu_derivative_core(c, approximate)  # noqa: E731
    return finish(_with_limits(z, core, _one, _zero), dtype)


def silu(x) -> np.ndarray:
    r"""Sigmoid linear unit (swish with :math:`\beta = 1`), :math:`f(x) = x\,\sigma(x)`.

    Not monotonic: it dips to about -0.28 near :math:`x \approx -1.28`.

    Args:
        x: input of any shape.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(silu([-1.0, 0.0, 1.0]), 4)
        array([-0.2689,  0.    ,  0.7311])
    """
    z, dtype = as_float_array(x)
    return finish(_with_limits(z, lambda c: c * _logistic(c), np.copy, _zero), dtype)


def silu_derivative(x) -> np.ndarray:
    r"""Derivative of SiLU, :math:`f'(x) = \sigma(x)(1 + x(1 - \sigma(x)))`; negative for :math:`x \lesssim -1.28`.

    Args:
        x: input of any shape.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(silu_derivative([-2.0, 0.0, 2.0]), 4)
        array([-0.0908,  0.5   ,  1.0908])
    """
    z, dtype = as_float_array(x)

    def core(c):
        s = _logistic(c)
        return s * (1.0 + c * (1.0 - s))

    return finish(_with_limits(z, core, _one, _zero), dtype)


def mish(x) -> np.ndarray:
    r"""Mish, :math:`f(x) = x \tanh(\log(1 + e^x))`.

    Not monotonic: it dips to about -0.31 near :math:`x \approx -1.19`.

    Args:
        x: input of any shape.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(mish([-1.0, 0.0, 1.0]), 4)
        array([-0.3034,  0.    ,  0.8651])
    """
    z, dtype = as_float_array(x)
    return finish(_with_limits(z, lambda c: c * np.tanh(_softplus_stable(c)), np.copy, _zero), dtype)


def mish_derivative(x) -> np.ndarray:
    r"""Derivative of Mish, :math:`f'(x) = \tanh(s) + x\,(1 - \tanh^2(s))\,\sigma(x)` with :math:`s = \log(1 + e^x)`.

    Args:
        x: input of any shape.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(mish_derivative([-2.0, 0.0, 2.0]), 4)
        array([-0.1084,  0.6   ,  1.0693])
    """
    z, dtype = as_float_array(x)

    def core(c):
        t = np.tanh(_softplus_stable(c))
        return t + c * (1.0 - t**2) * _logistic(c)

    return finish(_with_limits(z, core, _one, _zero), dtype)
