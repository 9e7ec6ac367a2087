r"""ReLU and the rectifiers built on it: relu6, leaky_relu, prelu, rrelu, elu, selu, celu.

Derivatives at a kink follow PyTorch's autograd. ReLU is not differentiable at 0,
but every value in [0, 1] is a subgradient there (a slope of a line through the
origin that stays below the graph); PyTorch picks 0, and so do we. An input of
exactly 0.0 is rare in float arithmetic, so the choice almost never matters.

Example:
    >>> from activation_lab.functions import relu, relu_derivative
    >>> relu([-1.0, 0.0, 2.0]), relu_derivative([-1.0, 0.0, 2.0])
    (array([0., 0., 2.]), array([0., 0., 1.]))
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
    "squared_relu",
    "squared_relu_derivative",
    "SELU_ALPHA",
    "SELU_SCALE",
]

# Klambauer et al. (2017), equation (14): the constants that make (0, 1) a fixed point.
SELU_ALPHA = 1.6732632423543772848170429916717
r""":math:`\alpha` of SELU (Klambauer et al. 2017, equation 14), the same value as PyTorch's."""
SELU_SCALE = 1.0507009873554804934193349852946
r""":math:`\lambda` of SELU (Klambauer et al. 2017, equation 14): with :data:`SELU_ALPHA` it makes
mean 0 and variance 1 a fixed point of the activations."""


def _keep_nan(z: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(z), np.nan, values)


def _scaled_negative(z: np.ndarray, slope) -> np.ndarray:
    """``slope * z`` with a zero slope giving 0 even at -inf (not 0 * -inf = NaN); NaN kept."""
    with np.errstate(invalid="ignore"):
        product = np.where(slope == 0, 0.0, slope * z)
    return _keep_nan(z, product)


def relu(x) -> np.ndarray:
    r"""Rectified linear unit, :math:`f(x) = \max(0, x)`.

    Args:
        x: input of any shape.

    Returns:
        A new array of non-negative values; floating input keeps its dtype
        (float32 stays float32), integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> relu([-2.0, 0.0, 3.0])
        array([0., 0., 3.])
    """
    z, dtype = as_float_array(x)
    return finish(np.maximum(z, 0.0), dtype)


def relu_derivative(x) -> np.ndarray:
    r"""Derivative of ReLU, :math:`f'(x) = 1` for :math:`x > 0`, 0 for :math:`x < 0`.

    At the kink the derivative is 0, as PyTorch's autograd has it (any value in
    [0, 1] is a subgradient there).

    Args:
        x: input of any shape.

    Returns:
        A new array of 0s and 1s (NaN where ``x`` is NaN); floating input keeps
        its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> relu_derivative([-2.0, 0.0, 3.0])
        array([0., 0., 1.])
    """
    z, dtype = as_float_array(x)
    return finish(_keep_nan(z, (z > 0).astype(np.float64)), dtype)


def relu6(x) -> np.ndarray:
    r"""ReLU capped at 6, :math:`f(x) = \min(\max(0, x), 6)` (used in mobile networks).

    It is :func:`hardtanh` with bounds 0 and 6.

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [0, 6]; floating input keeps its dtype, integer
        and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> relu6([-1.0, 3.0, 8.0])
        array([0., 3., 6.])
    """
    return hardtanh(x, 0.0, 6.0)


def relu6_derivative(x) -> np.ndarray:
    r"""Derivative of ReLU6: 1 on (0, 6), 0 elsewhere.

    At both kinks the derivative is 0, as PyTorch's autograd has it.

    Args:
        x: input of any shape.

    Returns:
        A new array of 0s and 1s (NaN where ``x`` is NaN); floating input keeps
        its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> relu6_derivative([0.0, 3.0, 6.0])
        array([0., 1., 0.])
    """
    return hardtanh_derivative(x, 0.0, 6.0)


def leaky_relu(x, negative_slope: float = 0.01) -> np.ndarray:
    r"""Leaky ReLU, :math:`f(x) = x` for :math:`x > 0`, :math:`\text{negative\_slope}\cdot x` otherwise.

    A small slope on the negative side keeps a gradient flowing where ReLU's is 0.

    Args:
        x: input of any shape.
        negative_slope: the slope for :math:`x \le 0` (default 0.01, as PyTorch).

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> leaky_relu([-2.0, 0.0, 3.0])
        array([-0.02,  0.  ,  3.  ])
        >>> leaky_relu([-2.0, 3.0], negative_slope=0.2)
        array([-0.4,  3. ])
    """
    z, dtype = as_float_array(x)
    slope = check_real(negative_slope, "negative_slope")
    return finish(np.where(z > 0, z, _scaled_negative(z, slope)), dtype)


def leaky_relu_derivative(x, negative_slope: float = 0.01) -> np.ndarray:
    r"""Derivative of leaky ReLU: 1 for :math:`x > 0`, ``negative_slope`` for :math:`x \le 0`.

    The kink takes the negative slope, as PyTorch's autograd has it.

    Args:
        x: input of any shape.
        negative_slope: the slope for :math:`x \le 0` (default 0.01).

    Returns:
        A new array (NaN where ``x`` is NaN); floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> leaky_relu_derivative([-2.0, 0.0, 3.0])
        array([0.01, 0.01, 1.  ])
    """
    z, dtype = as_float_array(x)
    slope = check_real(negative_slope, "negative_slope")
    return finish(_keep_nan(z, np.where(z > 0, 1.0, slope)), dtype)


def _prelu_weight(weight, z: np.ndarray) -> np.ndarray:
    if isinstance(weight, (str, bytes, bool, np.bool_)) or weight is None:
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
        weight: the slope :math:`a`, one number or one per channel (a 1-D array).
            In a network it is learned; here it is given.

    Returns:
        A new array of ``x``'s shape; floating input keeps its dtype, integer and
        bool input becomes float64.

    Shape:
        - Input: ``(*)`` with a single slope; ``(N, C, *)`` with ``C`` slopes.
        - Output: same shape as the input.

    Example:
        >>> prelu([-2.0, 1.0], weight=0.25)
        array([-0.5,  1. ])
        >>> prelu(np.array([[-1.0, -1.0], [2.0, -4.0]]), weight=[0.1, 0.5])
        array([[-0.1, -0.5],
               [ 2. , -2. ]])
    """
    z, dtype = as_float_array(x)
    a = _prelu_weight(weight, z)
    return finish(np.where(z > 0, z, _scaled_negative(z, a)), dtype)


def prelu_derivative(x, weight) -> np.ndarray:
    r"""Derivative of PReLU with respect to ``x``: 1 for :math:`x > 0`, :math:`a` for :math:`x \le 0`.

    The kink takes the slope :math:`a`, as PyTorch's autograd has it.

    Args:
        x: input; with a per-channel ``weight``, channels run along dim 1.
        weight: the slope :math:`a`, one number or one per channel.

    Returns:
        A new array of ``x``'s shape (NaN where ``x`` is NaN); floating input
        keeps its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)`` with a single slope; ``(N, C, *)`` with ``C`` slopes.
        - Output: same shape as the input.

    Example:
        >>> prelu_derivative([-2.0, 0.0, 1.0], weight=0.25)
        array([0.25, 0.25, 1.  ])
        >>> prelu_derivative(np.array([[-1.0, -1.0], [2.0, -4.0]]), weight=[0.1, 0.5])
        array([[0.1, 0.5],
               [1. , 0.5]])
    """
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
        lower: the smallest random slope (default 1/8, as PyTorch).
        upper: the largest random slope (default 1/3); ``0 <= lower <= upper``.
        training: draw random slopes (needs ``rng``) instead of using their mean
            (default False).
        rng: a ``numpy.random.Generator``, required when ``training=True`` so that a
            run can be repeated; ignored otherwise.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> rrelu([-2.0, 3.0], lower=0.1, upper=0.3)
        array([-0.4,  3. ])
        >>> out = rrelu([-1.0, -1.0, -1.0], training=True, rng=np.random.default_rng(0))
        >>> bool(np.all((-1 / 3 <= out) & (out <= -1 / 8)))
        True
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
    r"""Evaluation-mode derivative of RReLU: 1 for :math:`x > 0`, :math:`(\text{lower} + \text{upper})/2` for :math:`x \le 0`.

    The kink takes the mean slope, as PyTorch's autograd has it for leaky ReLU.

    Args:
        x: input of any shape.
        lower: the smallest random slope (default 1/8).
        upper: the largest random slope (default 1/3); ``0 <= lower <= upper``.

    Returns:
        A new array (NaN where ``x`` is NaN); floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> rrelu_derivative([-1.0, 0.0, 2.0], lower=0.1, upper=0.3)
        array([0.2, 0.2, 1. ])
    """
    z, dtype = as_float_array(x)
    low, high = _check_rrelu_bounds(lower, upper)
    return finish(_keep_nan(z, np.where(z > 0, 1.0, (low + high) / 2.0)), dtype)


def elu(x, alpha: float = 1.0) -> np.ndarray:
    r"""Exponential linear unit, :math:`f(x) = x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise.

    The negative side saturates at :math:`-\alpha`, which pulls mean activations
    towards 0.

    Args:
        x: input of any shape.
        alpha: the size of the negative saturation (default 1.0); only
            ``alpha=1`` makes the derivative continuous at 0.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(elu([-1.0, 0.0, 2.0]), 4)
        array([-0.6321,  0.    ,  2.    ])
        >>> np.round(elu([-50.0], alpha=0.5), 4)
        array([-0.5])
    """
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    # min(z, 0) keeps expm1 from overflowing in the branch np.where throws away.
    return finish(np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0))), dtype)


def elu_derivative(x, alpha: float = 1.0) -> np.ndarray:
    r"""Derivative of ELU: 1 for :math:`x > 0`, :math:`\alpha e^x` for :math:`x \le 0`.

    The kink takes the left piece, :math:`\alpha`, as PyTorch's autograd has it.

    Args:
        x: input of any shape.
        alpha: the size of the negative saturation (default 1.0).

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(elu_derivative([-1.0, 0.0, 2.0]), 4)
        array([0.3679, 1.    , 1.    ])
    """
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha")
    return finish(np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0))), dtype)


def selu(x) -> np.ndarray:
    r"""Scaled ELU, :math:`f(x) = \lambda\,\mathrm{elu}(x, \alpha)` with Klambauer et al.'s :math:`\lambda, \alpha`.

    The constants are :data:`SELU_SCALE` (:math:`\lambda`) and :data:`SELU_ALPHA`
    (:math:`\alpha`); the output is bounded below by :math:`-\lambda\alpha \approx -1.7581`.

    Args:
        x: input of any shape.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(selu([-np.inf, -1.0, 0.0, 1.0]), 4)
        array([-1.7581, -1.1113,  0.    ,  1.0507])
    """
    z, dtype = as_float_array(x)
    return finish(SELU_SCALE * elu(z, SELU_ALPHA), dtype)


def selu_derivative(x) -> np.ndarray:
    r"""Derivative of SELU: :math:`\lambda` for :math:`x > 0`, :math:`\lambda\alpha e^x` for :math:`x \le 0`.

    The derivative jumps at 0 (from :math:`\lambda\alpha \approx 1.7581` to
    :math:`\lambda \approx 1.0507`); the kink takes the left piece, as PyTorch's
    autograd has it.

    Args:
        x: input of any shape.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(selu_derivative([-1.0, 0.0, 1.0]), 4)
        array([0.6468, 1.7581, 1.0507])
    """
    z, dtype = as_float_array(x)
    return finish(SELU_SCALE * elu_derivative(z, SELU_ALPHA), dtype)


def celu(x, alpha: float = 1.0) -> np.ndarray:
    r"""Continuously differentiable ELU, :math:`f(x) = \max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))`.

    Unlike :func:`elu`, its derivative is continuous at 0 for every ``alpha``.

    Args:
        x: input of any shape.
        alpha: the size of the negative saturation (default 1.0, non-zero); with
            ``alpha=1`` CELU equals ELU.

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(celu([-1.0, 0.0, 2.0], alpha=2.0), 4)
        array([-0.7869,  0.    ,  2.    ])
    """
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha", nonzero=True)
    negative = alpha * np.expm1(np.minimum(z, 0.0) / alpha)
    return finish(np.where(z > 0, z, negative), dtype)


def celu_derivative(x, alpha: float = 1.0) -> np.ndarray:
    r"""Derivative of CELU: 1 for :math:`x > 0`, :math:`e^{x/\alpha}` for :math:`x \le 0`.

    Both pieces equal 1 at 0, for every alpha.

    Args:
        x: input of any shape.
        alpha: the size of the negative saturation (default 1.0, non-zero).

    Returns:
        A new array; floating input keeps its dtype, integer and bool input
        becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(celu_derivative([-1.0, 0.0, 2.0], alpha=2.0), 4)
        array([0.6065, 1.    , 1.    ])
    """
    z, dtype = as_float_array(x)
    alpha = check_real(alpha, "alpha", nonzero=True)
    return finish(np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0) / alpha)), dtype)


def squared_relu(x) -> np.ndarray:
    r"""Squared ReLU, :math:`f(x) = \max(0, x)^2`, the activation Primer found (So et al. 2021).

    Zero for every :math:`x \le 0` like ReLU, so it gives exact zeros, but smooth at 0:
    its derivative :math:`2\max(0, x)` is continuous (the second derivative jumps).

    Args:
        x: input of any shape.

    Returns:
        A new array of non-negative values; floating input keeps its dtype, integer
        and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> squared_relu([-2.0, 0.5, 3.0])
        array([0.  , 0.25, 9.  ])
    """
    z, dtype = as_float_array(x)
    with np.errstate(over="ignore"):  # a square beyond the float range is +inf, the right limit
        return finish(np.square(np.maximum(z, 0.0)), dtype)


def squared_relu_derivative(x) -> np.ndarray:
    r"""Derivative of squared ReLU, :math:`f'(x) = 2\max(0, x)`: 0 at and below 0, continuous everywhere.

    Args:
        x: input of any shape.

    Returns:
        A new array (NaN where ``x`` is NaN); floating input keeps its dtype, integer
        and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> squared_relu_derivative([-2.0, 0.0, 3.0])
        array([0., 0., 6.])
    """
    z, dtype = as_float_array(x)
    with np.errstate(over="ignore"):
        return finish(2.0 * np.maximum(z, 0.0), dtype)
