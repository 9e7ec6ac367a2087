"""Linear regions of a ReLU network on a 2-D input, counted on a grid.

A ReLU network computes a piecewise-linear function. Fix which hidden units are
active (pre-activation > 0): that *activation pattern* makes every layer an
affine map, and the inputs sharing one pattern form a convex polygon on which
the network is affine, an *activation region*. Counting the distinct patterns met
by the points of a fine grid counts the regions that the grid touches: a lower
bound on the regions that meet the box, since a region thinner than the grid
spacing can fall between the points. (Two neighbouring regions can also carry the
same affine map, so regions are an upper bound on distinct linear pieces; for
random weights the two counts agree.)
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb
from typing import Sequence

import numpy as np
import torch
from torch import nn

from ._shared import check_model, model_mode
from .networks import linear_layers
from .registry import ACTIVATION_TYPES, ONE_KINK_TYPES

__all__ = [
    "RegionMap",
    "activation_patterns",
    "region_ids",
    "region_map",
    "count_linear_regions",
    "region_count_bounds",
]

@dataclass(frozen=True)
class RegionMap:
    r"""Region ids over a ``resolution x resolution`` grid of the box :math:`[\text{low}, \text{high}]^2`.

    What :func:`region_map` returns. ``ids[i, j]`` is the region of the point
    ``(x1[j], x2[i])`` (rows follow ``x2``, as ``plt.pcolormesh(x1, x2, ids)``
    expects); ids run from 0 to ``count - 1``.

    Attributes:
        x1: the grid's coordinates along the first input.
        x2: the grid's coordinates along the second input.
        ids: the region id of each grid point.

    Shape:
        - x1: ``(resolution,)``.
        - x2: ``(resolution,)``.
        - ids: ``(resolution, resolution)``, rows along ``x2``.

    Example:
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
        >>> regions = al.regions.region_map(model, resolution=64)
        >>> regions.x1.shape, regions.x2.shape, regions.ids.shape
        ((64,), (64,), (64, 64))
    """

    x1: np.ndarray
    x2: np.ndarray
    ids: np.ndarray

    @property
    def count(self) -> int:
        r"""Number of distinct regions on the grid.

        Example:
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
            >>> al.regions.region_map(model, resolution=64).count
            8
        """
        return int(self.ids.max()) + 1


def _one_kink_units(model) -> list[nn.Module]:
    """The model's activation modules, if all of them have one kink at 0 and its input is 2-D."""
    check_model(model)
    other = [type(m).__name__ for m in model.modules()
             if isinstance(m, ACTIVATION_TYPES) and not isinstance(m, ONE_KINK_TYPES)]
    if other:
        raise ValueError(f"linear regions need activations with one kink at 0 "
                         f"({', '.join(t.__name__ for t in ONE_KINK_TYPES)}); model has {sorted(set(other))}")
    layers = linear_layers(model)
    if layers and layers[0].in_features != 2:
        raise ValueError(f"model must take 2-D input, its first linear layer takes {layers[0].in_features}")
    return [m for m in model.modules() if isinstance(m, ONE_KINK_TYPES)]


def _check_points(points) -> torch.Tensor:
    if isinstance(points, np.ndarray):
        points = torch.from_numpy(points)
    if not isinstance(points, torch.Tensor):
        raise TypeError(f"points must be a torch.Tensor or numpy array, got {type(points).__name__}")
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {tuple(points.shape)}")
    if not torch.is_floating_point(points):
        raise TypeError(f"points must hold floats, got {points.dtype}")
    if len(points) == 0:
        raise ValueError("points must hold at least one point")
    return points


@torch.no_grad()
def activation_patterns(model: nn.Module, points, *, chunk: int = 65536) -> np.ndarray:
    r"""Boolean ``(n, units)`` array: ``True`` where a hidden unit's pre-activation is > 0 at a point.

    Units are listed layer by layer, in the order the activations run.
    A model without activations gives shape ``(n, 0)``: one pattern, one region.
    Runs in eval mode with temporary forward hooks; the model is left as it was.

    Args:
        model: a network on 2-D inputs whose activations all have one kink at 0
            (those in :data:`~activation_lab.registry.ONE_KINK_TYPES`, e.g. ReLU).
        points: the inputs, a floating tensor or NumPy array (cast to the model's dtype).
        chunk: points per forward pass, to bound memory (default 65536).

    Returns:
        A boolean NumPy array, one row per point and one column per hidden unit.

    Shape:
        - points: ``(n, 2)``.
        - output: ``(n, units)``.

    Example:
        >>> import torch
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
        >>> points = torch.tensor([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
        >>> al.regions.activation_patterns(model, points)
        array([[ True, False, False, False],
               [ True,  True,  True, False],
               [False,  True, False, False]])
    """
    units = _one_kink_units(model)
    points = _check_points(points)
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be a positive int, got {chunk!r}")
    collected: list[torch.Tensor] = []
    handles = [m.register_forward_hook(lambda module, inputs, output: collected.append(inputs[0] > 0))
               for m in units]
    parts = []
    try:
        with model_mode(model, training=False):
            dtype = next(iter(model.parameters()), points).dtype
            for start in range(0, len(points), chunk):
                collected.clear()
                model(points[start:start + chunk].to(dtype))
                block = [c.reshape(c.shape[0], -1) for c in collected]
                rows = min(chunk, len(points) - start)
                parts.append(torch.cat(block, dim=1).numpy() if block else np.zeros((rows, 0), dtype=bool))
    finally:
        for handle in handles:
            handle.remove()
    return np.concatenate(parts, axis=0)


def region_ids(model: nn.Module, points) -> np.ndarray:
    r"""Integer region id per point: points share an id exactly when they share an activation pattern.

    Ids are numbered 0, 1, 2, ... in order of first appearance among ``points``.

    Args:
        model: a network on 2-D inputs whose activations have one kink at 0,
            as for :func:`activation_patterns`.
        points: the inputs, a floating tensor or NumPy array.

    Returns:
        An int64 NumPy array with one id per point.

    Shape:
        - points: ``(n, 2)``.
        - output: ``(n,)``.

    Example:
        >>> import numpy as np
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
        >>> points = np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
        >>> al.regions.region_ids(model, points)
        array([0, 1, 0, 2])
    """
    patterns = activation_patterns(model, points)
    n = len(patterns)
    if patterns.shape[1] == 0:
        return np.zeros(n, dtype=np.int64)
    # Pack 64 units per integer word and sort the rows: equal patterns end up side by side.
    packed = np.packbits(patterns, axis=1)
    packed = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8)))
    words = np.ascontiguousarray(packed).view(np.uint64)
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    starts_group = np.ones(n, dtype=bool)
    starts_group[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.empty(n, dtype=np.int64)
    group[order] = np.cumsum(starts_group) - 1
    first_seen = np.full(group.max() + 1, n, dtype=np.int64)
    np.minimum.at(first_seen, group, np.arange(n))
    rank = np.empty_like(first_seen)
    rank[np.argsort(first_seen, kind="stable")] = np.arange(len(first_seen))
    return rank[group]


def _grid(low: float, high: float, resolution: int) -> np.ndarray:
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise TypeError(f"{name} must be a finite number, got {value!r}")
    if not low < high:
        raise ValueError(f"low must be below high, got low={low}, high={high}")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int of at least 2, got {resolution!r}")
    return np.linspace(low, high, resolution)


def region_map(model: nn.Module, low: float = -1.0, high: float = 1.0, resolution: int = 256) -> RegionMap:
    r"""The region id of every point of a ``resolution x resolution`` grid over :math:`[\text{low}, \text{high}]^2`.

    Args:
        model: a network on 2-D inputs whose activations have one kink at 0,
            as for :func:`activation_patterns`.
        low: the box's lower end on both axes (default -1.0).
        high: the box's upper end on both axes (default 1.0).
        resolution: grid points per axis, at least 2 (default 256).

    Returns:
        A :class:`RegionMap` ready for :func:`~activation_lab.plots.plot_regions`.

    Example:
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
        >>> regions = al.regions.region_map(model, -2.0, 2.0, resolution=32)
        >>> float(regions.x1[0]), float(regions.x1[-1]), regions.ids.shape
        (-2.0, 2.0, (32, 32))
    """
    axis = _grid(low, high, resolution)
    g1, g2 = np.meshgrid(axis, axis)
    points = torch.from_numpy(np.column_stack([g1.ravel(), g2.ravel()]))  # cast to the model's dtype later
    ids = region_ids(model, points).reshape(resolution, resolution)
    return RegionMap(axis, axis.copy(), ids)


def count_linear_regions(model: nn.Module, low: float = -1.0, high: float = 1.0, resolution: int = 256) -> int:
    r"""Number of distinct activation patterns on a grid over :math:`[\text{low}, \text{high}]^2`.

    A lower bound on the regions that meet the box: raise ``resolution`` until
    the count stops growing.

    Args:
        model: a network on 2-D inputs whose activations have one kink at 0,
            as for :func:`activation_patterns`.
        low: the box's lower end on both axes (default -1.0).
        high: the box's upper end on both axes (default 1.0).
        resolution: grid points per axis, at least 2 (default 256).

    Returns:
        The number of regions the grid touches.

    Example:
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> al.regions.count_linear_regions(model, resolution=64)
        30
        >>> al.regions.count_linear_regions(model, resolution=256)
        33
    """
    return region_map(model, low, high, resolution).count


def region_count_bounds(hidden_widths: Sequence[int], input_dim: int = 2) -> tuple[int, int]:
    r"""Bounds ``(lower, upper)`` on the largest number of regions a ReLU net with these hidden widths can have.

    Upper: :math:`\prod_\ell \sum_{j=0}^{d_\ell} \binom{n_\ell}{j}` with
    :math:`d_\ell = \min(d, n_1, \dots, n_{\ell-1})` and :math:`d` = ``input_dim``: within one
    region, layer :math:`\ell`'s :math:`n_\ell` units cut a space of dimension at most
    :math:`d_\ell` by hyperplanes. For one layer it is exact (an arrangement of lines in
    general position). Lower: the construction of Montufar et al. (2014),
    :math:`\prod_{\ell<L} \lfloor n_\ell / d \rfloor^d \cdot \sum_{j=0}^{d} \binom{n_L}{j}`
    when every :math:`n_\ell \ge d`, and never less than the first layer's count.

    Args:
        hidden_widths: the hidden layers' widths :math:`n_1, \dots, n_L`, input side first.
        input_dim: the input's dimension :math:`d` (default 2).

    Returns:
        The pair ``(lower, upper)`` of ints.

    Example:
        >>> import activation_lab as al
        >>> al.regions.region_count_bounds([4])
        (11, 11)
        >>> al.regions.region_count_bounds([4, 4])
        (44, 121)
    """
    if isinstance(hidden_widths, (str, bytes)) or not isinstance(hidden_widths, Sequence):
        raise TypeError(f"hidden_widths must be a sequence of ints, got {type(hidden_widths).__name__}")
    widths = list(hidden_widths)
    if not widths or not all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths):
        raise ValueError(f"hidden_widths must hold at least one positive int, got {widths}")
    if isinstance(input_dim, bool) or not isinstance(input_dim, int) or input_dim < 1:
        raise ValueError(f"input_dim must be a positive int, got {input_dim!r}")

    def arrangement(n: int, d: int) -> int:
        return sum(comb(n, j) for j in range(min(n, d) + 1))

    upper, dimension = 1, input_dim
    for n in widths:
        upper *= arrangement(n, dimension)
        dimension = min(dimension, n)
    lower = arrangement(widths[0], input_dim)
    if all(n >= input_dim for n in widths):
        montufar = arrangement(widths[-1], input_dim)
        for n in widths[:-1]:
            montufar *= (n // input_dim) ** input_dim
        lower = max(lower, montufar)
    return lower, upper
