"""Piecewise-linear fits built from ReLU hinges: the picture behind universal approximation.

A network with one input, ``k`` ReLU units and one output computes
:math:`f(x) = c + \\sum_j a_j \\max(0, w_j x + b_j)`, a continuous piecewise-linear
function with at most ``k`` kinks. Fix the kinks (knots) :math:`t_j` by taking
:math:`w_j = 1, b_j = -t_j`, and what is left, the :math:`a_j` and :math:`c`, is a
linear least-squares problem with one exact answer: no training, no seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .networks import make_mlp

__all__ = ["HingeFit", "hinge_basis", "fit_hinges"]


def _as_vector(values, name: str) -> np.ndarray:
    """A 1-D float64 copy of an array, list or tensor whose non-trivial axis is at most one."""
    if isinstance(values, torch.Tensor):
        values = values.detach().cpu().numpy()
    if isinstance(values, (str, bytes)) or values is None:
        raise TypeError(f"{name} must be an array of real numbers, got {type(values).__name__}")
    try:
        array = np.asarray(values)
    except ValueError as error:  # ragged nested lists
        raise TypeError(f"{name} must be an array of real numbers: {error}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    array = array.astype(np.float64)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D (or a single column), got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold only finite numbers")
    return array


def hinge_basis(x, knots) -> np.ndarray:
    """The hinge features :math:`\\max(0, x_i - t_j)`: an ``(n, k)`` float64 array.

    Column ``j`` is what ReLU unit ``j`` outputs on every input when its weight
    is 1 and its bias is ``-knots[j]``.
    """
    x = _as_vector(x, "x")
    knots = _as_vector(knots, "knots")
    if knots.size == 0:
        raise ValueError("knots must hold at least one knot")
    return np.maximum(0.0, x[:, None] - knots[None, :])


@dataclass(frozen=True, eq=False)
class HingeFit:
    """A fitted sum of hinges, :math:`f(x) = c + \\sum_j a_j \\max(0, x - t_j)`.

    ``knots`` are the :math:`t_j`, ``coefficients`` the :math:`a_j`, ``intercept``
    is :math:`c`; ``max_error`` and ``rms_error`` measure the fit on the points it
    was fitted to. Call the fit on new inputs; ``to_network()`` gives the same
    function as a ``make_mlp([1, k, 1], "relu")`` network.
    """

    knots: np.ndarray
    coefficients: np.ndarray
    intercept: float
    max_error: float
    rms_error: float

    @property
    def n_units(self) -> int:
        """The number of ReLU units, ``k``."""
        return int(self.knots.size)

    def __call__(self, x) -> np.ndarray:
        """Evaluate the fit at ``x`` (1-D); returns a float64 array of the same length."""
        return self.intercept + hinge_basis(x, self.knots) @ self.coefficients

    def to_network(self) -> nn.Sequential:
        """The fit as a ``Linear(1, k) -> ReLU -> Linear(k, 1)`` network in the package's dtype."""
        model = make_mlp([1, self.n_units, 1], "relu", seed=0)
        hidden, output = model[0], model[2]
        with torch.no_grad():
            hidden.weight.fill_(1.0)
            hidden.bias.copy_(torch.from_numpy(-self.knots))  # copy_ casts to the layer's dtype
            output.weight.copy_(torch.from_numpy(self.coefficients).reshape(1, -1))
            output.bias.fill_(float(self.intercept))
        return model


def fit_hinges(x, y, k: int | None = None, *, knots=None) -> HingeFit:
    """Least-squares fit of ``y`` by :math:`c + \\sum_{j=1}^{k} a_j \\max(0, x - t_j)`.

    Give either ``k``, for knots evenly spaced from ``min(x)`` with spacing
    ``(max(x) - min(x)) / k`` (the first knot at ``min(x)`` makes the first
    hinge a straight line over the data), or ``knots`` explicitly.

    Args:
        x, y: inputs and targets, 1-D or single columns of the same length
            (arrays, lists or tensors, such as the output of :func:`sine_data`).
        k: the number of ReLU units, a positive int.
        knots: the kink positions, instead of ``k``.
    """
    x = _as_vector(x, "x")
    y = _as_vector(y, "y")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.size} and {y.size}")
    if x.size < 2:
        raise ValueError(f"x must hold at least 2 points, got {x.size}")
    if (k is None) == (knots is None):
        raise TypeError("give exactly one of k and knots")
    if knots is None:
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
            raise TypeError(f"k must be an int, got {type(k).__name__}")
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        low, high = x.min(), x.max()
        if not high > low:
            raise ValueError("x must hold at least two distinct values to place knots")
        knots = low + (high - low) * np.arange(int(k)) / int(k)
    features = hinge_basis(x, knots)
    knots = _as_vector(knots, "knots")
    design = np.column_stack([np.ones_like(x), features])
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    residual = design @ solution - y
    return HingeFit(
        knots=knots,
        coefficients=solution[1:],
        intercept=float(solution[0]),
        max_error=float(np.abs(residual).max()),
        rms_error=float(np.sqrt(np.mean(residual**2))),
    )
