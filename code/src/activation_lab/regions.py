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
    """Region ids over a ``resolution x resolution`` grid of the box ``[low, high]^2``.

    ``ids[i, j]`` is the region of the point ``(x1[j], x2[i])`` (rows follow ``x2``,
    as ``plt.pcolormesh(x1, x2, ids)`` expects); ids run from 0 to ``count - 1``.
    """

    x1: np.ndarray
    x2: np.ndarray
    ids: np.ndarray

    @property
    def count(self) -> int:
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
    """Boolean ``(n, units)`` array: ``True`` where a hidden unit's pre-activation is > 0 at a point.

    Units are listed layer by layer, in the order the activations run.
    A model without activations gives shape ``(n, 0)``: one pattern, one region.
    Runs in eval mode with temporary forward hooks; the model is left as it was.
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
    """Integer region id per point: points share an id exactly when they share an activation pattern.

    Ids are numbered 0, 1, 2, ... in order of first appearance among ``points``.
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
    """The region id of every point of a ``resolution x resolution`` grid over ``[low, high]^2``."""
    axis = _grid(low, high, resolution)
    g1, g2 = np.meshgrid(axis, axis)
    points = torch.from_numpy(np.column_stack([g1.ravel(), g2.ravel()]))  # cast to the model's dtype later
    ids = region_ids(model, points).reshape(resolution, resolution)
    return RegionMap(axis, axis.copy(), ids)


def count_linear_regions(model: nn.Module, low: float = -1.0, high: float = 1.0, resolution: int = 256) -> int:
    """Number of distinct activation patterns on a grid over ``[low, high]^2``.

    A lower bound on the regions that meet the box: raise ``resolution`` until
    the count stops growing.
    """
    return region_map(model, low, high, resolution).count


def region_count_bounds(hidden_widths: Sequence[int], input_dim: int = 2) -> tuple[int, int]:
    """Bounds ``(lower, upper)`` on the largest number of regions a ReLU net with these hidden widths can have.

    upper = prod_l sum_{j=0}^{d_l} C(n_l, j) with d_l = min(input_dim, n_1, ..., n_{l-1}): within one
    region, layer l's n_l units cut a space of dimension at most d_l by hyperplanes. For one layer it
    is exact (an arrangement of lines in general position). lower: the construction of Montufar et
    al. (2014), prod_{l<L} floor(n_l / d)^d * sum_{j=0}^{d} C(n_L, j) when every n_l >= d, and never
    less than the first layer's count.
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
