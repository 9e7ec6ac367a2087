r"""``torch.nn`` modules of the activations PyTorch lacks: squared ReLU, ReGLU, GeGLU, SwiGLU and maxout.

- :class:`SquaredReLU` (So et al. 2021), elementwise;
- :class:`ReGLU`, :class:`GeGLU`, :class:`SwiGLU` (Shazeer 2020): like ``torch.nn.GLU``, they
  split their input in two halves along ``dim``, a value :math:`u` and a gate pre-activation
  :math:`z`, and return :math:`u \odot f(z)`;
- :class:`Maxout` (Goodfellow et al. 2013): the largest of each group of ``pieces`` inputs.

The registry builds its records' modules from these classes, so this module imports nothing
else from the package.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

__all__ = ["SquaredReLU", "ReGLU", "GeGLU", "SwiGLU", "Maxout"]


def _check_dim(dim) -> int:
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    return dim


class SquaredReLU(nn.Module):
    r"""Squared ReLU, :math:`f(z) = \max(0, z)^2`, the activation Primer found (So et al. 2021).

    Shape:
        - Input: ``(*)``, any shape.
        - Output: ``(*)``, same shape as the input.

    Example:
        >>> SquaredReLU()(torch.tensor([-1.0, 0.5, 2.0], dtype=torch.float64)).tolist()
        [0.0, 0.25, 4.0]
    """

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.square(F.relu(z))


class _GatedUnit(nn.Module):
    """Split along ``dim`` into a value and a gate half and return ``value * gate(gate half)``."""

    inputs_per_output = 2  # two numbers in, one out: what FeedForward widens its first layer by

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = _check_dim(dim)

    def gate(self, z: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[self.dim] % 2:
            raise ValueError(f"x must have an even size along dim {self.dim}, got shape {tuple(x.shape)}")
        value, gate = x.chunk(2, dim=self.dim)
        return value * self.gate(gate)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class ReGLU(_GatedUnit):
    r"""ReGLU, :math:`h = u \odot \max(0, z)` for an input split into halves :math:`(u, z)` along ``dim``.

    Shape:
        - Input: ``(*, 2n, *)``, with ``2n`` along ``dim`` (default -1).
        - Output: ``(*, n, *)``.

    Example:
        >>> ReGLU()(torch.tensor([[3.0, 2.0], [3.0, -2.0]], dtype=torch.float64)).tolist()
        [[6.0], [0.0]]
    """

    def gate(self, z: torch.Tensor) -> torch.Tensor:
        return F.relu(z)


class GeGLU(_GatedUnit):
    r"""GeGLU, :math:`h = u \odot \mathrm{gelu}(z)`; ``approximate`` as in ``torch.nn.GELU``.

    Shape:
        - Input: ``(*, 2n, *)``, with ``2n`` along ``dim`` (default -1).
        - Output: ``(*, n, *)``.

    Example:
        >>> [round(v, 4) for v in GeGLU()(torch.tensor([2.0, 1.0], dtype=torch.float64)).tolist()]
        [1.6827]
    """

    def __init__(self, dim: int = -1, approximate: str = "none"):
        super().__init__(dim)
        if approximate not in ("none", "tanh"):
            raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def gate(self, z: torch.Tensor) -> torch.Tensor:
        return F.gelu(z, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, approximate={self.approximate!r}"


class SwiGLU(_GatedUnit):
    r"""SwiGLU, :math:`h = u \odot \mathrm{silu}(z) = u \odot z\,\sigma(z)`.

    Shape:
        - Input: ``(*, 2n, *)``, with ``2n`` along ``dim`` (default -1).
        - Output: ``(*, n, *)``.

    Example:
        >>> [round(v, 4) for v in SwiGLU()(torch.tensor([2.0, 1.0], dtype=torch.float64)).tolist()]
        [1.4621]
    """

    def gate(self, z: torch.Tensor) -> torch.Tensor:
        return F.silu(z)


class Maxout(nn.Module):
    r"""Maxout, :math:`h_i = \max_{j \le k} z_{i,j}`: the largest of each group of ``pieces`` consecutive inputs.

    Placed after a linear layer with ``pieces`` times as many outputs, each unit is a
    learned convex piecewise-linear function of the layer's input (Goodfellow et al. 2013).
    Ties share the gradient equally (``torch.amax``).

    Args:
        pieces: the number :math:`k` of affine pieces per unit (default 2).
        dim: the dimension to group along (default -1).

    Shape:
        - Input: ``(*, k n, *)``, with ``k n`` along ``dim``.
        - Output: ``(*, n, *)``.

    Example:
        >>> Maxout(pieces=2)(torch.tensor([1.0, -2.0, -1.0, -3.0], dtype=torch.float64)).tolist()
        [1.0, -1.0]
    """

    def __init__(self, pieces: int = 2, dim: int = -1):
        super().__init__()
        if isinstance(pieces, bool) or not isinstance(pieces, int):
            raise TypeError(f"pieces must be an int, got {type(pieces).__name__}")
        if pieces < 1:
            raise ValueError(f"pieces must be at least 1, got {pieces}")
        self.pieces = pieces
        self.dim = _check_dim(dim)

    @property
    def inputs_per_output(self) -> int:
        """Inputs consumed per output: ``pieces``."""
        return self.pieces

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[self.dim] % self.pieces:
            raise ValueError(f"x must have a size divisible by pieces={self.pieces} along dim {self.dim}, "
                             f"got shape {tuple(x.shape)}")
        grouped = x.unflatten(self.dim, (-1, self.pieces))
        return grouped.amax(dim=self.dim if self.dim < 0 else self.dim + 1)

    def extra_repr(self) -> str:
        return f"pieces={self.pieces}, dim={self.dim}"
