r"""The classic activations: identity, step, sigmoid, tanh, their hard and soft relatives, and softmax.

Every function takes an array-like ``x`` (floats keep their dtype, integers
become float64), returns a new array of the same shape and never modifies ``x``.
NaN in gives NaN out, in the function and in its derivative.

Example:
    >>> import numpy as np
    >>> from activation_lab.functions import sigmoid, tanh
    >>> x = np.array([-2.0, 0.0, 2.0])
    >>> bool(np.allclose(tanh(x), 2.0 * sigmoid(2.0 * x) - 1.0))
    True
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_real, finish

__all__ = [
    "identity",
    "identity_derivative",
    "step",
    "step_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "hardtanh",
    "hardtanh_derivative",
    "hardsigmoid",
    "hardsigmoid_derivative",
    "softsign",
    "softsign_derivative",
    "softmax",
    "softmax_jacobian",
]


def identity(x) -> np.ndarray:
    r"""Identity, :math:`f(x) = x`: what a layer computes with no activation.

    A network whose layers all use it collapses to one affine map, however deep it is.

    Args:
        x: input of any shape (array-like of real numbers).

    Returns:
        A new array equal to ``x``; floating input keeps its dtype (float32 stays
        float32), integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> identity([-1.5, 0, 2])
        array([-1.5,  0. ,  2. ])
        >>> identity(np.array([1.0, 2.0], dtype=np.float32))
        array([1., 2.], dtype=float32)
    """
    z, dtype = as_float_array(x)
    return finish(z, dtype)


def identity_derivative(x) -> np.ndarray:
    r"""Derivative of the identity, :math:`f'(x) = 1` everywhere (NaN stays NaN).

    Args:
        x: input of any shape.

    Returns:
        A new array of ones in ``x``'s shape, NaN where ``x`` is NaN; floating
        input keeps its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> identity_derivative([-1.0, 0.0, np.nan])
        array([ 1.,  1., nan])
    """
    z, dtype = as_float_array(x)
    return finish(np.where(np.isnan(z), np.nan, 1.0), dtype)


def step(x, value_at_zero: float = 0.0) -> np.ndarray:
    r"""Heaviside step, :math:`f(x) = 1` if :math:`x > 0`, 0 if :math:`x < 0`.

    The perceptron's activation (Rosenblatt 1958), as ``torch.heaviside``.

    Args:
        x: input of any shape.
        value_at_zero: the value at exactly 0 (default 0.0; ``torch.heaviside``
            calls it ``values``).

    Returns:
        A new array of 0s and 1s (``value_at_zero`` where ``x == 0``); floating
        input keeps its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> step([-1.0, 0.0, 2.0])
        array([0., 0., 1.])
        >>> step([-1.0, 0.0, 2.0], value_at_zero=0.5)
        array([0. , 0.5, 1. ])
    """
    z, dtype = as_float_array(x)
    value_at_zero = check_real(value_at_zero, "value_at_zero")
    return finish(np.heaviside(z, value_at_zero), dtype)


def step_derivative(x, value_at_zero: float = 0.0) -> np.ndarray:
    r"""Derivative of the step: 0 everywhere except at 0, where it has none; 0 is returned there.

    This is why the perceptron's step cannot be trained by backpropagation: the
    gradient carries no information.

    Args:
        x: input of any shape.
        value_at_zero: accepted (and checked) for symmetry with :func:`step`; it
            does not change the result.

    Returns:
        A new array of zeros in ``x``'s shape, NaN where ``x`` is NaN; floating
        input keeps its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> step_derivative([-1.0, 0.0, 2.0])
        array([0., 0., 0.])
    """
    z, dtype = as_float_array(x)
    check_real(value_at_zero, "value_at_zero")
    return finish(np.where(np.isnan(z), np.nan, 0.0), dtype)


def _logistic(z: np.ndarray) -> np.ndarray:
    # exp(-|z|) never overflows, so sigmoid(-1000) is 0 without a RuntimeWarning.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid(x) -> np.ndarray:
    r"""Logistic sigmoid, :math:`\sigma(x) = 1 / (1 + e^{-x})`, range (0, 1).

    Evaluated without overflow: ``sigmoid(-1000.0)`` is 0 with no warning.

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [0, 1] (exactly 0 or 1 only where float
        precision runs out); floating input keeps its dtype, integer and bool
        input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(sigmoid([-1000.0, 0.0, 2.0]), 4)
        array([0.    , 0.5   , 0.8808])
    """
    z, dtype = as_float_array(x)
    return finish(_logistic(z), dtype)


def sigmoid_derivative(x) -> np.ndarray:
    r"""Derivative of the sigmoid, :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`, at most 1/4 (at 0).

    Backpropagation multiplies the gradient by this factor at every sigmoid layer
    (and by the weights), so at most 1/4 per layer: one cause of vanishing gradients.

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [0, 1/4]; floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(sigmoid_derivative([-2.0, 0.0, 2.0]), 4)
        array([0.105, 0.25 , 0.105])
    """
    z, dtype = as_float_array(x)
    e = np.exp(-np.abs(z))
    return finish(e / (1.0 + e) ** 2, dtype)


def tanh(x) -> np.ndarray:
    r"""Hyperbolic tangent, :math:`\tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})`, range (-1, 1).

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [-1, 1]; floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(tanh([-1.0, 0.0, 2.0]), 4)
        array([-0.7616,  0.    ,  0.964 ])
    """
    z, dtype = as_float_array(x)
    return finish(np.tanh(z), dtype)


def tanh_derivative(x) -> np.ndarray:
    r"""Derivative of tanh, :math:`\tanh'(x) = 1 - \tanh^2(x)`, at most 1 (at 0).

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [0, 1]; floating input keeps its dtype, integer
        and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(tanh_derivative([0.0, 1.0, 3.0]), 4)
        array([1.    , 0.42  , 0.0099])
    """
    z, dtype = as_float_array(x)
    return finish(1.0 - np.tanh(z) ** 2, dtype)


def _check_bounds(min_val, max_val) -> tuple[float, float]:
    low = check_real(min_val, "min_val")
    high = check_real(max_val, "max_val")
    if not low < high:
        raise ValueError(f"min_val must be less than max_val, got min_val={low}, max_val={high}")
    return low, high


def hardtanh(x, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    r"""Hard tanh, :math:`f(x) = \min(\max(x, \text{min\_val}), \text{max\_val})`.

    Args:
        x: input of any shape.
        min_val: the lower bound (default -1.0).
        max_val: the upper bound (default 1.0); it must exceed ``min_val``.

    Returns:
        A new array, ``x`` clipped to ``[min_val, max_val]``; floating input keeps
        its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> hardtanh([-2.0, 0.5, 3.0])
        array([-1. ,  0.5,  1. ])
        >>> hardtanh([-2.0, 0.5, 3.0], min_val=0.0, max_val=2.0)
        array([0. , 0.5, 2. ])
    """
    z, dtype = as_float_array(x)
    low, high = _check_bounds(min_val, max_val)
    return finish(np.clip(z, low, high), dtype)


def hardtanh_derivative(x, min_val: float = -1.0, max_val: float = 1.0) -> np.ndarray:
    r"""Derivative of hard tanh: 1 strictly between the bounds, 0 outside.

    At the two kinks the derivative is 0, as PyTorch's autograd has it.

    Args:
        x: input of any shape.
        min_val: the lower bound (default -1.0).
        max_val: the upper bound (default 1.0); it must exceed ``min_val``.

    Returns:
        A new array of 0s and 1s (NaN where ``x`` is NaN); floating input keeps
        its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> hardtanh_derivative([-1.0, 0.0, 1.0])
        array([0., 1., 0.])
    """
    z, dtype = as_float_array(x)
    low, high = _check_bounds(min_val, max_val)
    inside = ((z > low) & (z < high)).astype(np.float64)
    return finish(np.where(np.isnan(z), np.nan, inside), dtype)


def hardsigmoid(x) -> np.ndarray:
    r"""Hard sigmoid, :math:`f(x) = \min(\max(x/6 + 1/2, 0), 1)`: 0 below -3, 1 above 3, as ``F.hardsigmoid``.

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [0, 1]; floating input keeps its dtype (float32
        stays float32), integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> hardsigmoid([-4.0, 0.0, 1.5, 4.0])
        array([0.  , 0.5 , 0.75, 1.  ])
    """
    z, dtype = as_float_array(x)
    return finish(np.clip(z / 6.0 + 0.5, 0.0, 1.0), dtype)


def hardsigmoid_derivative(x) -> np.ndarray:
    r"""Derivative of the hard sigmoid, :math:`f'(x) = 1/6` strictly between -3 and 3, 0 outside.

    At both kinks the derivative is 0, as PyTorch's autograd has it.

    Args:
        x: input of any shape.

    Returns:
        A new array of 0s and 1/6s (NaN where ``x`` is NaN); floating input keeps
        its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> hardsigmoid_derivative([-3.0, 0.0, 3.0])
        array([0.        , 0.16666667, 0.        ])
    """
    z, dtype = as_float_array(x)
    inside = ((z > -3.0) & (z < 3.0)) / 6.0
    return finish(np.where(np.isnan(z), np.nan, inside), dtype)


def softsign(x) -> np.ndarray:
    r"""Softsign, :math:`f(x) = x / (1 + |x|)`: tanh's shape, approached polynomially, range (-1, 1).

    At :math:`\pm\infty` it returns the limit, :math:`\pm 1`.

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [-1, 1]; floating input keeps its dtype,
        integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> softsign([-3.0, 0.0, 1.0])
        array([-0.75,  0.  ,  0.5 ])
        >>> softsign([-np.inf, np.inf])
        array([-1.,  1.])
    """
    z, dtype = as_float_array(x)
    with np.errstate(invalid="ignore"):  # +-inf / inf: the limit is +-1
        values = np.where(np.isinf(z), np.sign(z), z / (1.0 + np.abs(z)))
    return finish(values, dtype)


def softsign_derivative(x) -> np.ndarray:
    r"""Derivative of softsign, :math:`f'(x) = 1 / (1 + |x|)^2`: 1 at 0, decaying like :math:`1/x^2`.

    Tanh's derivative decays much faster, like :math:`e^{-2|x|}`, so softsign
    saturates more gently.

    Args:
        x: input of any shape.

    Returns:
        A new array of values in [0, 1]; floating input keeps its dtype, integer
        and bool input becomes float64.

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> softsign_derivative([0.0, 1.0, -3.0])
        array([1.    , 0.25  , 0.0625])
    """
    z, dtype = as_float_array(x)
    return finish(1.0 / (1.0 + np.abs(z)) ** 2, dtype)


def _check_dim(dim, ndim: int) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if ndim == 0:
        raise ValueError("x must have at least one dimension for softmax, got a scalar")
    if not -ndim <= dim < ndim:
        raise ValueError(f"dim must be in [{-ndim}, {ndim - 1}] for an input with {ndim} dimensions, got {dim}")
    return int(dim) % ndim


def softmax(x, dim: int = -1) -> np.ndarray:
    r"""Softmax along ``dim``, :math:`f(x)_i = e^{x_i} / \sum_j e^{x_j}`.

    The outputs along ``dim`` are positive and sum to 1, so softmax turns a
    vector of scores into probabilities; it belongs in the output layer. The
    largest score is subtracted first, so large scores do not overflow; a slice
    that is all :math:`-\infty` gives NaN, as in PyTorch.

    Args:
        x: input with at least one dimension.
        dim: the dimension to normalize along (default -1, the last).

    Returns:
        A new array of ``x``'s shape whose slices along ``dim`` sum to 1;
        floating input keeps its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, at least one dimension.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> np.round(softmax([1.0, 2.0, 3.0]), 4)
        array([0.09  , 0.2447, 0.6652])
        >>> np.round(softmax([[0.0, 0.0], [np.log(3.0), 0.0]], dim=0), 4)
        array([[0.25, 0.5 ],
               [0.75, 0.5 ]])
    """
    z, dtype = as_float_array(x)
    axis = _check_dim(dim, z.ndim)
    with np.errstate(invalid="ignore"):  # an all -inf slice is NaN, as in PyTorch
        shifted = z - np.max(z, axis=axis, keepdims=True)
        e = np.exp(shifted)
        return finish(e / np.sum(e, axis=axis, keepdims=True), dtype)


def softmax_jacobian(x, dim: int = -1) -> np.ndarray:
    r"""Jacobian of softmax along ``dim``: :math:`J_{ij} = s_i(\delta_{ij} - s_j)`.

    Each row sums to 0: adding a constant to every score does not change the
    probabilities.

    Args:
        x: input with at least one dimension.
        dim: the dimension softmax normalizes along (default -1, the last).

    Returns:
        A new array with ``J[..., i, j] = d s_i / d x_j``: ``dim`` is moved last
        and a second axis of the same length is appended. Floating input keeps
        its dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*)``, at least one dimension; call ``n`` the length of ``dim``.
        - Output: ``(*other_dims, n, n)``, the other dimensions in their order.

    Example:
        >>> softmax_jacobian([0.0, 0.0])
        array([[ 0.25, -0.25],
               [-0.25,  0.25]])
        >>> softmax_jacobian(np.zeros((2, 3)), dim=0).shape
        (3, 2, 2)
    """
    z, dtype = as_float_array(x)
    axis = _check_dim(dim, z.ndim)
    s = np.moveaxis(softmax(z, dim=axis), axis, -1)
    jacobian = s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])
    return finish(jacobian, dtype)
