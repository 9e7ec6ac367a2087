r"""Piecewise-linear fits built from ReLU hinges: the picture behind universal approximation.

A network with one input, ``k`` ReLU units and one output computes
:math:`f(x) = c + \sum_j a_j \max(0, w_j x + b_j)`, a continuous piecewise-linear
function with at most ``k`` kinks. Fix the kinks (knots) :math:`t_j` by taking
:math:`w_j = 1, b_j = -t_j`, and what is left, the :math:`a_j` and :math:`c`, is a
linear least-squares problem with one exact answer: no training, no seed.

Example:
    >>> from activation_lab.approximation import fit_hinges
    >>> from activation_lab.data import sine_data
    >>> x, y = sine_data()
    >>> [round(fit_hinges(x, y, k=k).max_error, 3) for k in (2, 4, 8, 16)]
    [0.941, 0.186, 0.05, 0.011]
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
    r"""The hinge features :math:`\max(0, x_i - t_j)`: an ``(n, k)`` float64 array.

    Column ``j`` is what ReLU unit ``j`` outputs on every input when its weight
    is 1 and its bias is ``-knots[j]``.

    Args:
        x: the ``n`` inputs: a 1-D array, list or tensor, or a single column.
        knots: the ``k`` knots :math:`t_j`, at least one, in the same forms.

    Returns:
        A new float64 array, one row per input and one column per knot.

    Raises:
        TypeError: if an argument does not hold real numbers.
        ValueError: if an argument is not 1-D, holds NaN or infinity, or
            ``knots`` is empty.

    Shape:
        - Input: ``x`` of shape ``(n,)`` or ``(n, 1)``; ``knots`` of shape ``(k,)``.
        - Output: ``(n, k)``.

    Example:
        >>> from activation_lab.approximation import hinge_basis
        >>> hinge_basis([0.0, 1.0, 2.0], knots=[0.5, 1.5])
        array([[0. , 0. ],
               [0.5, 0. ],
               [1.5, 0.5]])
    """
    x = _as_vector(x, "x")
    knots = _as_vector(knots, "knots")
    if knots.size == 0:
        raise ValueError("knots must hold at least one knot")
    return np.maximum(0.0, x[:, None] - knots[None, :])


@dataclass(frozen=True, eq=False)
class HingeFit:
    r"""A fitted sum of hinges, :math:`f(x) = c + \sum_j a_j \max(0, x - t_j)`.

    ``knots`` are the :math:`t_j`, ``coefficients`` the :math:`a_j`, ``intercept``
    is :math:`c`; ``max_error`` and ``rms_error`` measure the fit on the points it
    was fitted to. Call the fit on new inputs; ``to_network()`` gives the same
    function as a ``make_mlp([1, k, 1], "relu")`` network. :func:`fit_hinges`
    builds it; the record is frozen.

    Attributes:
        knots: the :math:`t_j`, a float64 array of shape ``(k,)``.
        coefficients: the :math:`a_j`, a float64 array of shape ``(k,)``.
        intercept: :math:`c`, a float.
        max_error: the largest absolute residual on the fitted points.
        rms_error: the root mean square residual on the fitted points.

    Example:
        >>> import numpy as np
        >>> from activation_lab.approximation import fit_hinges
        >>> x = np.linspace(-1.0, 1.0, 5)
        >>> fit = fit_hinges(x, np.abs(x), k=2)  # |x| = 1 - (x + 1) + 2 max(0, x) on [-1, 1]
        >>> fit.knots, np.round(fit.coefficients, 6).tolist(), round(fit.intercept, 6)
        (array([-1.,  0.]), [-1.0, 2.0], 1.0)
        >>> fit.max_error < 1e-12
        True
    """

    knots: np.ndarray
    coefficients: np.ndarray
    intercept: float
    max_error: float
    rms_error: float

    @property
    def n_units(self) -> int:
        """The number of ReLU units, ``k``: one per knot.

        Returns:
            An int.

        Example:
            >>> import numpy as np
            >>> from activation_lab.approximation import fit_hinges
            >>> fit_hinges(np.linspace(0.0, 1.0, 11), np.zeros(11), k=3).n_units
            3
        """
        return int(self.knots.size)

    def __call__(self, x) -> np.ndarray:
        """Evaluate the fit at ``x`` (1-D); returns a float64 array of the same length.

        Outside the fitted range the fit goes on linearly with its end slopes.

        Args:
            x: the inputs: a 1-D array, list or tensor, or a single column.

        Returns:
            A new float64 array of shape ``(n,)``.

        Example:
            >>> import numpy as np
            >>> from activation_lab.approximation import fit_hinges
            >>> x = np.linspace(-1.0, 1.0, 5)
            >>> fit = fit_hinges(x, np.abs(x), k=2)
            >>> np.round(fit([-0.5, 0.25]), 6)
            array([0.5 , 0.25])
        """
        return self.intercept + hinge_basis(x, self.knots) @ self.coefficients

    def to_network(self) -> nn.Sequential:
        """The fit as a ``Linear(1, k) -> ReLU -> Linear(k, 1)`` network in the package's dtype.

        The hidden weights are 1, the hidden biases :math:`-t_j`, the output
        weights the :math:`a_j` and the output bias :math:`c`, so the network
        computes the same function as the fit (to the dtype's precision).

        Returns:
            A new ``nn.Sequential`` built by :func:`~activation_lab.networks.make_mlp`.

        Example:
            >>> import numpy as np, torch
            >>> from activation_lab.approximation import fit_hinges
            >>> x = np.linspace(-1.0, 1.0, 5)
            >>> network = fit_hinges(x, np.abs(x), k=2).to_network()
            >>> network
            Sequential(
              (0): Linear(in_features=1, out_features=2, bias=True)
              (1): ReLU()
              (2): Linear(in_features=2, out_features=1, bias=True)
            )
            >>> with torch.no_grad():
            ...     output = network(torch.tensor([[-0.5], [0.25]], dtype=torch.float64))
            >>> np.round(output.numpy().ravel(), 6)
            array([0.5 , 0.25])
        """
        model = make_mlp([1, self.n_units, 1], "relu", seed=0)
        hidden, output = model[0], model[2]
        with torch.no_grad():
            hidden.weight.fill_(1.0)
            hidden.bias.copy_(torch.from_numpy(-self.knots))  # copy_ casts to the layer's dtype
            output.weight.copy_(torch.from_numpy(self.coefficients).reshape(1, -1))
            output.bias.fill_(float(self.intercept))
        return model


def fit_hinges(x, y, k: int | None = None, *, knots=None) -> HingeFit:
    r"""Least-squares fit of ``y`` by :math:`c + \sum_{j=1}^{k} a_j \max(0, x - t_j)`.

    Give either ``k``, for knots evenly spaced from ``min(x)`` with spacing
    ``(max(x) - min(x)) / k`` (the first knot at ``min(x)`` makes the first
    hinge a straight line over the data), or ``knots`` explicitly. The solution
    is NumPy's ``lstsq``: exact, with no training and no seed.

    Args:
        x: inputs, 1-D or a single column (an array, list or tensor, such as the
            output of :func:`~activation_lab.data.sine_data`), at least 2 points.
        y: targets, in the same forms and of the same length as ``x``.
        k: the number of ReLU units, a positive int.
        knots: the kink positions, instead of ``k``.

    Returns:
        A :class:`HingeFit`.

    Raises:
        TypeError: unless exactly one of ``k`` and ``knots`` is given, or if ``k``
            is not an int or an array does not hold real numbers.
        ValueError: for lengths that differ, fewer than 2 points, ``k < 1``, all
            ``x`` equal (with ``k``), or arrays that are not 1-D or not finite.

    Example:
        >>> import numpy as np
        >>> from activation_lab.approximation import fit_hinges
        >>> x = np.linspace(-1.0, 1.0, 5)
        >>> fit = fit_hinges(x, x**2, knots=[-0.5, 0.0, 0.5])  # constant left of -0.5
        >>> fit.n_units, round(fit.max_error, 4)
        (3, 0.375)
        >>> fit = fit_hinges(x, x**2, k=4)  # the first knot at min(x)
        >>> fit.knots, round(fit.max_error, 6)
        (array([-1. , -0.5,  0. ,  0.5]), 0.0)
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
