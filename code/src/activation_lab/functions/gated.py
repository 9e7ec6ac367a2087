r"""Self-gated activations :math:`x\,g(x)` beyond SiLU: swish with a slope ``beta``, and hard-swish.

``swish(x, beta)`` is the family :math:`x\,\sigma(\beta x)` of Ramachandran et al.
(2017): :math:`\beta = 1` is SiLU, :math:`\beta = 0` the line :math:`x/2`, and
:math:`\beta \to \infty` tends to ReLU. ``hardswish`` is MobileNetV3's
piecewise-polynomial stand-in for SiLU, :math:`x\,\mathrm{relu6}(x + 3) / 6`.
Derivatives at hard-swish's kinks follow PyTorch's autograd.

Example:
    >>> import numpy as np
    >>> from activation_lab.functions import silu, swish
    >>> x = np.array([-2.0, 0.5, 3.0])
    >>> bool(np.allclose(swish(x, beta=1.0), silu(x)))
    True
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_real, finish
from .smooth import silu, silu_derivative

__all__ = ["swish", "swish_derivative", "hardswish", "hardswish_derivative"]


def _check_beta(beta) -> float:
    beta = check_real(beta, "beta")
    if beta < 0:
        raise ValueError(f"beta must be non-negative, got {beta}")
    return beta


def swish(x, beta: float = 1.0) -> np.ndarray:
    r"""Swish, :math:`f(x) = x\,\sigma(\beta x)`, evaluated as :math:`\mathrm{silu}(\beta x)/\beta`.

    PyTorch has no ``F.swish``; with ``beta=1`` it is ``F.silu``.

    Args:
        x: input of any shape.
        beta: a non-negative slope (default 1.0); 1 gives SiLU, 0 gives :math:`x/2`,
            and large values approach ReLU (the largest gap, :math:`|f(x) - \max(0, x)|`,
            shrinks like :math:`1/\beta`).

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(swish([-1.0, 0.0, 1.0], beta=2.0), 4)
        array([-0.1192,  0.    ,  0.8808])
        >>> swish([-1.0, 2.0], beta=0.0)
        array([-0.5,  1. ])
        >>> x = np.linspace(-3.0, 3.0, 6001)
        >>> round(float(np.max(np.abs(swish(x, beta=100.0) - np.maximum(x, 0.0)))), 4)
        0.0028
    """
    z, dtype = as_float_array(x)
    beta = _check_beta(beta)
    if beta == 0.0:
        return finish(0.5 * z, dtype)
    with np.errstate(over="ignore"):  # beta * x overflowing to +-inf is the right limit
        scaled = beta * z
    return finish(silu(scaled) / beta, dtype)


def swish_derivative(x, beta: float = 1.0) -> np.ndarray:
    r"""Derivative of swish, :math:`f'(x) = \sigma(\beta x)\,(1 + \beta x\,(1 - \sigma(\beta x)))`, i.e. :math:`\mathrm{silu}'(\beta x)`.

    Args:
        x: input of any shape.
        beta: a non-negative slope (default 1.0); with 0 the derivative is 1/2
            everywhere.

    Returns:
        A new array (NaN where ``x`` is NaN); floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(swish_derivative([-1.0, 0.0, 1.0], beta=2.0), 4)
        array([-0.0908,  0.5   ,  1.0908])
        >>> swish_derivative([-1.0, 2.0], beta=0.0)
        array([0.5, 0.5])
    """
    z, dtype = as_float_array(x)
    beta = _check_beta(beta)
    if beta == 0.0:
        return finish(np.where(np.isnan(z), np.nan, 0.5), dtype)
    with np.errstate(over="ignore"):
        scaled = beta * z
    return finish(silu_derivative(scaled), dtype)


def hardswish(x) -> np.ndarray:
    r"""Hard-swish, :math:`f(x) = x\,\min(\max(x + 3, 0), 6) / 6`: 0 below -3, :math:`x` above 3.

    Its lowest value is -0.375, at :math:`x = -1.5`.

    Args:
        x: input of any shape.

    Returns:
        A new array (NaN where ``x`` is NaN); floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> hardswish([-4.0, -1.5, 0.0, 1.0, 4.0])
        array([ 0.        , -0.375     ,  0.        ,  0.66666667,  4.        ])
    """
    z, dtype = as_float_array(x)
    # The middle branch is only used on [-3, 3], so -inf * 0 never happens.
    middle = np.clip(z, -3.0, 3.0)
    values = np.where(z <= -3.0, 0.0, np.where(z >= 3.0, z, middle * (middle + 3.0) / 6.0))
    return finish(np.where(np.isnan(z), np.nan, values), dtype)


def hardswish_derivative(x) -> np.ndarray:
    r"""Derivative of hard-swish, :math:`f'(x) = 0` below -3, :math:`x/3 + 1/2` between -3 and 3, 1 above 3.

    At the kinks PyTorch takes the outer pieces, :math:`f'(-3) = 0` and
    :math:`f'(3) = 1`; we do the same. (Just right of -3 the slope is -1/2.)

    Args:
        x: input of any shape.

    Returns:
        A new array (NaN where ``x`` is NaN); floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> hardswish_derivative([-3.0, -1.5, 0.0, 3.0])
        array([0. , 0. , 0.5, 1. ])
    """
    z, dtype = as_float_array(x)
    values = np.where(z <= -3.0, 0.0, np.where(z >= 3.0, 1.0, z / 3.0 + 0.5))
    return finish(np.where(np.isnan(z), np.nan, values), dtype)
