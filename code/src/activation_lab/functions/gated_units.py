r"""Gated linear units and maxout: activations that take more than one number per output.

A gated unit splits its input in two halves along ``dim``, a value :math:`u` and a gate
pre-activation :math:`z`, and returns :math:`h = u \odot f(z)` (Dauphin et al. 2017 with
:math:`f = \sigma`; Shazeer 2020 with ReLU, GELU or SiLU). As in ``torch.nn.functional.glu``,
the first half is the value and the second the gate. Each input feeds exactly one
output, so ``*_derivative`` returns, at every input position, the derivative of the output
it feeds (:math:`f(z)` for a value, :math:`u\,f'(z)` for a gate): the gradient of
``sum(h)``, which is what autograd gives. Maxout (Goodfellow et al. 2013) returns the
largest of each group of ``pieces`` consecutive inputs along ``dim``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_choice, finish
from .classic import sigmoid, sigmoid_derivative
from .rectifiers import relu, relu_derivative
from .smooth import gelu, gelu_derivative, silu, silu_derivative

__all__ = [
    "glu",
    "glu_derivative",
    "reglu",
    "reglu_derivative",
    "geglu",
    "geglu_derivative",
    "swiglu",
    "swiglu_derivative",
    "maxout",
    "maxout_derivative",
]


def _check_dim(dim, ndim: int) -> int:
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if ndim == 0:
        raise ValueError("x must have at least one dimension to split, got a scalar")
    if not -ndim <= dim < ndim:
        raise ValueError(f"dim must be in [{-ndim}, {ndim - 1}] for an input with {ndim} dimensions, got {dim}")
    return int(dim) % ndim


def _halves(x, dim) -> tuple[np.ndarray, np.ndarray, np.dtype, int]:
    """(value half, gate half, result dtype, axis) of ``x`` split along ``dim``."""
    z, dtype = as_float_array(x)
    axis = _check_dim(dim, z.ndim)
    if z.shape[axis] % 2:
        raise ValueError(f"x must have an even size along dim {dim} to split into value and gate, "
                         f"got shape {z.shape}")
    value, gate = np.split(z, 2, axis=axis)
    return value, gate, dtype, axis


def _gated(x, dim, gate_function) -> np.ndarray:
    value, gate, dtype, _ = _halves(x, dim)
    opened = gate_function(gate)
    # u * f(z) with f(z) = 0 and u = +-inf is 0 * inf: the gate is shut, so the output is 0.
    with np.errstate(invalid="ignore"):
        product = np.where(opened == 0.0, 0.0, value * opened)
    return finish(np.where(np.isnan(value) | np.isnan(gate), np.nan, product), dtype)


def _gated_derivative(x, dim, gate_function, gate_derivative) -> np.ndarray:
    value, gate, dtype, axis = _halves(x, dim)
    slope = gate_derivative(gate)
    with np.errstate(invalid="ignore"):
        by_gate = np.where(slope == 0.0, 0.0, value * slope)  # a flat gate passes nothing back, even for u = inf
    by_value = gate_function(gate)
    either_nan = np.isnan(value) | np.isnan(gate)
    both = np.concatenate([by_value, by_gate], axis=axis)
    return finish(np.where(np.concatenate([either_nan, either_nan], axis=axis), np.nan, both), dtype)


def glu(x, dim: int = -1) -> np.ndarray:
    r"""Gated linear unit, :math:`h = u \odot \sigma(z)` for ``x`` split into halves :math:`(u, z)`.

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last); value first, gate second.

    Returns:
        A new array, half as long as ``x`` along ``dim``; floating input keeps its
        dtype, integer and bool input becomes float64.

    Shape:
        - Input: ``(*, 2n, *)``, with ``2n`` along ``dim``.
        - Output: ``(*, n, *)``.

    Example:
        >>> glu([2.0, -1.0, 0.0, 100.0])
        array([ 1., -1.])
    """
    return _gated(x, dim, sigmoid)


def glu_derivative(x, dim: int = -1) -> np.ndarray:
    r"""Per-branch derivative of GLU: :math:`\sigma(z)` at a value, :math:`u\,\sigma'(z)` at a gate.

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last).

    Returns:
        A new array of ``x``'s shape: the gradient of ``glu(x, dim).sum()`` with
        respect to ``x``, which holds every non-zero entry of the Jacobian.

    Shape:
        - Input: ``(*, 2n, *)``.
        - Output: ``(*, 2n, *)``, same shape as the input.

    Example:
        >>> glu_derivative([2.0, 0.0])
        array([0.5, 0.5])
    """
    return _gated_derivative(x, dim, sigmoid, sigmoid_derivative)


def reglu(x, dim: int = -1) -> np.ndarray:
    r"""ReGLU, :math:`h = u \odot \max(0, z)`: a GLU whose gate is a ReLU (Shazeer 2020).

    The gate is shut, and both derivatives are exactly 0, wherever :math:`z \le 0`.

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last); value first, gate second.

    Returns:
        A new array, half as long as ``x`` along ``dim``.

    Shape:
        - Input: ``(*, 2n, *)``.
        - Output: ``(*, n, *)``.

    Example:
        >>> reglu([[3.0, 2.0], [3.0, -2.0]])
        array([[6.],
               [0.]])
    """
    return _gated(x, dim, relu)


def reglu_derivative(x, dim: int = -1) -> np.ndarray:
    r"""Per-branch derivative of ReGLU: :math:`\max(0, z)` at a value, :math:`u\,[z > 0]` at a gate.

    At :math:`z = 0` the gate's derivative is 0, as PyTorch's ReLU has it.

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last).

    Returns:
        A new array of ``x``'s shape, the gradient of ``reglu(x, dim).sum()``.

    Shape:
        - Input: ``(*, 2n, *)``.
        - Output: ``(*, 2n, *)``, same shape as the input.

    Example:
        >>> reglu_derivative([3.0, 2.0])
        array([2., 3.])
    """
    return _gated_derivative(x, dim, relu, relu_derivative)


def geglu(x, dim: int = -1, approximate: str = "none") -> np.ndarray:
    r"""GeGLU, :math:`h = u \odot \mathrm{gelu}(z)` (Shazeer 2020).

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last); value first, gate second.
        approximate: ``"none"`` (exact GELU) or ``"tanh"``, as in ``torch.nn.functional.gelu``.

    Returns:
        A new array, half as long as ``x`` along ``dim``.

    Shape:
        - Input: ``(*, 2n, *)``.
        - Output: ``(*, n, *)``.

    Example:
        >>> np.round(geglu([2.0, 1.0]), 4)
        array([1.6827])
    """
    check_choice(approximate, "approximate", ("none", "tanh"))
    return _gated(x, dim, lambda z: gelu(z, approximate))


def geglu_derivative(x, dim: int = -1, approximate: str = "none") -> np.ndarray:
    r"""Per-branch derivative of GeGLU: :math:`\mathrm{gelu}(z)` at a value, :math:`u\,\mathrm{gelu}'(z)` at a gate.

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last).
        approximate: ``"none"`` or ``"tanh"``, as in :func:`geglu`.

    Returns:
        A new array of ``x``'s shape, the gradient of ``geglu(x, dim).sum()``.

    Shape:
        - Input: ``(*, 2n, *)``.
        - Output: ``(*, 2n, *)``, same shape as the input.

    Example:
        >>> np.round(geglu_derivative([2.0, 0.0]), 4)
        array([0., 1.])
    """
    check_choice(approximate, "approximate", ("none", "tanh"))
    return _gated_derivative(x, dim, lambda z: gelu(z, approximate), lambda z: gelu_derivative(z, approximate))


def swiglu(x, dim: int = -1) -> np.ndarray:
    r"""SwiGLU, :math:`h = u \odot \mathrm{silu}(z) = u \odot z\,\sigma(z)` (Shazeer 2020, swish with :math:`\beta = 1`).

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last); value first, gate second.

    Returns:
        A new array, half as long as ``x`` along ``dim``.

    Shape:
        - Input: ``(*, 2n, *)``.
        - Output: ``(*, n, *)``.

    Example:
        >>> np.round(swiglu([2.0, 1.0]), 4)
        array([1.4621])
    """
    return _gated(x, dim, silu)


def swiglu_derivative(x, dim: int = -1) -> np.ndarray:
    r"""Per-branch derivative of SwiGLU: :math:`\mathrm{silu}(z)` at a value, :math:`u\,\mathrm{silu}'(z)` at a gate.

    Args:
        x: input with at least one dimension, of even size along ``dim``.
        dim: the dimension to split (default -1, the last).

    Returns:
        A new array of ``x``'s shape, the gradient of ``swiglu(x, dim).sum()``.

    Shape:
        - Input: ``(*, 2n, *)``.
        - Output: ``(*, 2n, *)``, same shape as the input.

    Example:
        >>> swiglu_derivative([2.0, 0.0])
        array([0., 1.])
    """
    return _gated_derivative(x, dim, silu, silu_derivative)


def _groups(x, pieces, dim) -> tuple[np.ndarray, np.dtype, int]:
    """``x`` as float64 with ``dim`` moved last and reshaped to ``(..., n, pieces)``."""
    z, dtype = as_float_array(x)
    if isinstance(pieces, bool) or not isinstance(pieces, (int, np.integer)):
        raise TypeError(f"pieces must be an int, got {type(pieces).__name__}")
    if pieces < 1:
        raise ValueError(f"pieces must be at least 1, got {pieces}")
    axis = _check_dim(dim, z.ndim)
    if z.shape[axis] % pieces:
        raise ValueError(f"x must have a size divisible by pieces={pieces} along dim {dim}, got shape {z.shape}")
    moved = np.moveaxis(z, axis, -1)
    return moved.reshape(moved.shape[:-1] + (moved.shape[-1] // int(pieces), int(pieces))), dtype, axis


def maxout(x, pieces: int = 2, dim: int = -1) -> np.ndarray:
    r"""Maxout, :math:`h_i = \max_{j} x_{i,j}`: the largest of each group of ``pieces`` consecutive inputs.

    In a network the inputs are ``pieces`` affine functions of the layer's input, so a
    maxout unit is a learned convex piecewise-linear function (Goodfellow et al. 2013).
    A NaN in a group makes its output NaN.

    Args:
        x: input with at least one dimension, its size along ``dim`` divisible by ``pieces``.
        pieces: the group size :math:`k` (default 2).
        dim: the dimension to group along (default -1, the last).

    Returns:
        A new array, ``pieces`` times shorter along ``dim``.

    Shape:
        - Input: ``(*, k n, *)``.
        - Output: ``(*, n, *)``.

    Example:
        >>> maxout([1.0, -2.0, -1.0, -3.0])
        array([ 1., -1.])
    """
    groups, dtype, axis = _groups(x, pieces, dim)
    return finish(np.moveaxis(groups.max(axis=-1), -1, axis), dtype)


def maxout_derivative(x, pieces: int = 2, dim: int = -1) -> np.ndarray:
    r"""Derivative of maxout: 1 at the largest input of a group and 0 at the others.

    Where several inputs of a group tie for the largest, each gets :math:`1/m` for
    :math:`m` tied inputs, as PyTorch's ``amax`` gradient does; a group holding a
    NaN gets NaN throughout.

    Args:
        x: input with at least one dimension, its size along ``dim`` divisible by ``pieces``.
        pieces: the group size :math:`k` (default 2).
        dim: the dimension to group along (default -1, the last).

    Returns:
        A new array of ``x``'s shape, the gradient of ``maxout(x, pieces, dim).sum()``.

    Shape:
        - Input: ``(*, k n, *)``.
        - Output: ``(*, k n, *)``, same shape as the input.

    Example:
        >>> maxout_derivative([1.0, -2.0, 3.0, 3.0])
        array([1. , 0. , 0.5, 0.5])
    """
    groups, dtype, axis = _groups(x, pieces, dim)
    winners = (groups == groups.max(axis=-1, keepdims=True)).astype(np.float64)
    with np.errstate(invalid="ignore"):  # a NaN group has no winner: 0 / 0 gives its NaN
        shares = winners / winners.sum(axis=-1, keepdims=True)
    flat = shares.reshape(shares.shape[:-2] + (-1,))
    return finish(np.moveaxis(flat, -1, axis), dtype)
