"""Finding dead units: units whose pre-activation is never positive on a data set.

A ReLU unit whose pre-activation is <= 0 on every input outputs 0 and passes no
gradient back on any of them, so gradient descent cannot move its own weights.
Sparse units are different: they are off on most inputs but on for some.
The probe hooks the *inputs* of the activation layers (the pre-activations);
after a ReLU, a dead unit and a unit that is merely off look alike.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import torch
from torch import nn

from ._shared import check_int, check_model, model_mode
from .data import Dataset
from .probes import activation_modules

__all__ = ["DeadUnitReport", "dead_unit_report", "born_dead_probability"]


@dataclass(frozen=True, eq=False)
class DeadUnitReport:
    r"""Per activation layer: on what fraction of the inputs each unit was on.

    What :func:`dead_unit_report` returns; ``print(report)`` shows a table of dead
    and sparse units per layer. ``activity[i][j]`` is the fraction of inputs on
    which unit ``j`` of layer ``i`` had a pre-activation above ``threshold``: the
    unit is dead when that is 0. ``peak[i][j]`` is the largest pre-activation it
    saw (how far from reviving a dead unit is). Both are NaN for a unit that saw a
    non-finite pre-activation (a diverged model), and a layer holding such a unit
    has a NaN dead fraction. For convolutional layers a unit is a channel,
    observed at every position.

    Attributes:
        layers: one label per probed layer, the module's name and class, e.g. ``"1 (ReLU)"``.
        activity: per layer, the fraction of observations on which each unit was on.
        threshold: the pre-activation a unit had to exceed to count as on.
        peak: per layer, each unit's largest pre-activation.
        inputs: the number of inputs run through the model.

    Shape:
        - activity[i]: ``(units_i,)``.
        - peak[i]: ``(units_i,)``.

    Example:
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> report = al.dead_unit_report(model, al.xor_data(n=40))
        >>> print(report)
        layer                        units  dead  dead %  sparse %
        1 (ReLU)                         8     1   12.5%     12.5%
        3 (ReLU)                         8     3   37.5%      0.0%
        all layers                      16     4   25.0%
        dead: pre-activation <= 0 on all 20 inputs; sparse: alive but on for fewer than 10% of them
        >>> report.layers, report.inputs, report.threshold
        (('1 (ReLU)', '3 (ReLU)'), 20, 0.0)
    """

    layers: tuple[str, ...]
    activity: tuple[np.ndarray, ...]
    threshold: float
    peak: tuple[np.ndarray, ...] = ()
    inputs: int = 0

    @property
    def units(self) -> np.ndarray:
        r"""Number of units per layer.

        Example:
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 8, 4, 2], "relu", seed=0)
            >>> al.dead_unit_report(model, al.xor_data(n=40)).units
            array([8, 4])
        """
        return np.array([len(a) for a in self.activity], dtype=int)

    @property
    def dead_masks(self) -> tuple[np.ndarray, ...]:
        r"""Per layer, a boolean array: True where the unit is dead (never above the threshold).

        A unit that saw a non-finite pre-activation is not marked dead.

        Example:
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
            >>> masks = al.dead_unit_report(model, al.xor_data(n=40)).dead_masks
            >>> [mask.nonzero()[0].tolist() for mask in masks]
            [[6], [2, 6, 7]]
        """
        return tuple(a == 0.0 for a in self.activity)

    @property
    def dead(self) -> np.ndarray:
        r"""Number of dead units per layer (units with a non-finite pre-activation are not counted).

        Example:
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 8, 8, 2], "relu", bias=-1.0, seed=0)
            >>> al.dead_unit_report(model, al.xor_data(n=40)).dead
            array([7, 8])
        """
        return np.array([int(np.sum(mask)) for mask in self.dead_masks], dtype=int)

    @property
    def finite(self) -> np.ndarray:
        r"""Per layer, True when every pre-activation the layer saw was finite.

        Example:
            >>> import torch
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 4, 4, 2], "relu", seed=0)
            >>> x = torch.tensor([[0.0, 1.0], [float("inf"), 0.0]], dtype=torch.float64)
            >>> al.dead_unit_report(model, x).finite
            array([False, False])
            >>> al.dead_unit_report(model, x[:1]).finite
            array([ True,  True])
        """
        return np.array([not np.isnan(a).any() for a in self.activity], dtype=bool)

    @property
    def dead_fraction(self) -> np.ndarray:
        r"""Fraction of dead units per layer; NaN for a layer that saw non-finite values.

        Example:
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
            >>> al.dead_unit_report(model, al.xor_data(n=40)).dead_fraction
            array([0.125, 0.375])
        """
        return np.where(self.finite, self.dead / self.units, np.nan)

    @property
    def overall_dead_fraction(self) -> float:
        r"""Dead units over all units of all probed layers; NaN if any layer saw non-finite values.

        Example:
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
            >>> al.dead_unit_report(model, al.xor_data(n=40)).overall_dead_fraction
            0.25
        """
        if not self.finite.all():
            return float("nan")
        return float(self.dead.sum() / self.units.sum())

    def sparse_fraction(self, below: float = 0.1) -> np.ndarray:
        r"""Per layer, the fraction of units that are alive but on for fewer than ``below`` of the inputs.

        Args:
            below: the activity under which a live unit counts as sparse, in (0, 1]
                (default 0.1, the cut the printed table uses).

        Returns:
            A float array with one fraction per layer; NaN for a layer that saw
            non-finite values.

        Example:
            >>> import activation_lab as al
            >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
            >>> report = al.dead_unit_report(model, al.xor_data(n=40))
            >>> report.sparse_fraction()
            array([0.125, 0.   ])
            >>> report.sparse_fraction(below=0.5)
            array([0.25 , 0.375])
        """
        if isinstance(below, bool) or not isinstance(below, (int, float)) or not 0.0 < below <= 1.0:
            raise ValueError(f"below must be a number in (0, 1], got {below!r}")
        fractions = [float(np.mean((a > 0.0) & (a < below))) for a in self.activity]
        return np.where(self.finite, fractions, np.nan)

    def __str__(self) -> str:
        width = max(28, *(len(name) + 2 for name in self.layers))
        rows = [f"{'layer':<{width}}{'units':>6}{'dead':>6}{'dead %':>8}{'sparse %':>10}"]
        sparse = self.sparse_fraction()
        for name, units, dead, fraction, rare in zip(self.layers, self.units, self.dead, self.dead_fraction, sparse):
            if np.isnan(fraction):
                rows.append(f"{name:<{width}}{units:>6}{'n/a':>6}{'n/a':>8}{'n/a':>10}  (non-finite values)")
            else:
                rows.append(f"{name:<{width}}{units:>6}{dead:>6}{100 * fraction:>7.1f}%{100 * rare:>9.1f}%")
        overall = self.overall_dead_fraction
        total = "n/a" if np.isnan(overall) else f"{100 * overall:.1f}%"
        rows.append(f"{'all layers':<{width}}{self.units.sum():>6}{self.dead.sum():>6}{total:>8}")
        rows.append(f"dead: pre-activation <= {self.threshold:g} on all {self.inputs} inputs; "
                    f"sparse: alive but on for fewer than 10% of them")
        return "\n".join(rows)


def _batches(data, batch_size: int) -> Iterable[torch.Tensor]:
    if isinstance(data, Dataset):
        data = data.x_train
    if isinstance(data, torch.Tensor):
        if data.ndim < 1:
            raise ValueError("data must have a batch dimension, got a 0-d tensor")
        for begin in range(0, len(data), batch_size):
            yield data[begin : begin + batch_size]
        return
    if isinstance(data, (str, bytes, np.ndarray)) or not hasattr(data, "__iter__"):
        raise TypeError("data must be a torch.Tensor, an activation_lab.Dataset or an iterable of batches "
                        f"(e.g. a DataLoader), got {type(data).__name__}")
    for batch in data:
        inputs = batch[0] if isinstance(batch, (tuple, list)) and len(batch) > 0 else batch
        if not isinstance(inputs, torch.Tensor):
            raise TypeError(f"each batch must be a Tensor or a (Tensor, ...) tuple, got {type(inputs).__name__}")
        yield inputs


def _per_unit(pre: torch.Tensor, unit_dim: int) -> torch.Tensor:
    """Move the unit axis last and flatten the rest: (observations, units), a view for (batch, units)."""
    if pre.ndim < 2:
        raise ValueError(f"an activation layer saw input of shape {tuple(pre.shape)}; expected (batch, units, ...)")
    if not -pre.ndim < unit_dim < pre.ndim or unit_dim == 0:
        raise ValueError(f"unit_dim={unit_dim} is not a unit axis of an input of shape {tuple(pre.shape)} "
                         "(axis 0 is the batch)")
    return pre.detach().movedim(unit_dim, -1).reshape(-1, pre.shape[unit_dim])


class _Tally:
    """Running per-unit counts for one activation call site."""

    def __init__(self, units: int) -> None:
        self.on = torch.zeros(units, dtype=torch.long)
        self.nonfinite = torch.zeros(units, dtype=torch.bool)
        self.peak = torch.full((units,), -math.inf, dtype=torch.float64)
        self.observations = 0

    def add(self, values: torch.Tensor, threshold: float) -> None:
        """Count ``values`` (observations x units); NaN and +-inf show up in the max or the min."""
        if values.shape[0] == 0:
            return
        self.on += (values > threshold).sum(dim=0, dtype=torch.int32).cpu()
        high = values.amax(dim=0)
        self.nonfinite |= ~(torch.isfinite(values.amin(dim=0)) & torch.isfinite(high)).cpu()
        self.peak = torch.maximum(self.peak, high.double().cpu())
        self.observations += values.shape[0]


def _check_options(threshold, batch_size, unit_dim) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold must be a number, got {type(threshold).__name__}")
    if not math.isfinite(threshold):
        raise ValueError(f"threshold must be finite, got {threshold!r}")
    check_int(batch_size, "batch_size")
    if isinstance(unit_dim, bool) or not isinstance(unit_dim, int):
        raise TypeError(f"unit_dim must be an int, got {type(unit_dim).__name__}")


@torch.no_grad()
def dead_unit_report(model: nn.Module, data, *, threshold: float = 0.0, batch_size: int = 1024,
                     unit_dim: int = 1) -> DeadUnitReport:
    r"""For each unit of each activation layer: the fraction of inputs with pre-activation > ``threshold``.

    ``print(dead_unit_report(model, loader))`` shows dead and sparse units per layer;
    ``.dead_fraction`` and ``.activity`` hold the numbers.
    Runs ``data`` through ``model`` in eval mode with forward pre-hooks on its
    activation modules (see ``registry.ACTIVATION_TYPES``); hooks are removed and the
    mode restored afterwards, and no parameter or buffer changes. A module called
    twice in one forward pass (a shared ``self.relu``) counts as two layers.

    Args:
        model: any ``torch.nn.Module`` whose activations are modules (not ``F.relu``).
        data: a Tensor of inputs, a ``Dataset`` (its training inputs) or an iterable of
            batches such as a ``DataLoader`` (tensors or ``(inputs, targets)`` tuples).
        threshold: a unit is on for an input when its pre-activation exceeds this.
        batch_size: batch size used when ``data`` is a Tensor or a Dataset.
        unit_dim: the axis of the activation's input that indexes units (1: features
            of ``Linear`` or channels of ``Conv``; -1 for ``(batch, tokens, features)``).

    Returns:
        A :class:`DeadUnitReport`, one entry per activation call.

    Shape:
        - data: ``(inputs, features)`` for an MLP, ``(inputs, channels, height, width)``
          for a CNN, or batches of those.

    Example:
        >>> import torch
        >>> import activation_lab as al
        >>> data = al.xor_data(n=40)
        >>> model = al.make_mlp([2, 4, 2], "relu", seed=0)
        >>> with torch.no_grad():
        ...     _ = model[0].bias.fill_(-10.0)
        >>> report = al.dead_unit_report(model, data.x_train, batch_size=8)
        >>> report.dead, report.inputs
        (array([4]), 20)
        >>> loader = torch.utils.data.DataLoader(list(zip(data.x_train, data.y_train)), batch_size=8)
        >>> al.dead_unit_report(model, loader).dead
        array([4])
    """
    check_model(model)
    _check_options(threshold, batch_size, unit_dim)
    modules = activation_modules(model)
    if not modules:
        raise ValueError("model has no activation modules to probe (activations called as functions, "
                         "such as F.relu, cannot be hooked)")
    names = {id(module): name or "(model)" for name, module in model.named_modules()}
    tallies: dict[tuple[int, int], _Tally] = {}
    labels: dict[tuple[int, int], str] = {}
    calls: dict[int, int] = {}

    def reset_calls(_module, _inputs) -> None:
        calls.clear()

    def hook(module, inputs) -> None:
        call = calls.get(id(module), 0)
        calls[id(module)] = call + 1
        units = _per_unit(inputs[0], unit_dim)
        key = (id(module), call)
        if key not in tallies:
            tallies[key] = _Tally(units.shape[1])
            suffix = f", call {call + 1}" if call else ""
            labels[key] = f"{names[id(module)]} ({type(module).__name__}{suffix})"
        elif tallies[key].on.shape[0] != units.shape[1]:
            raise ValueError(f"layer {labels[key]} had {tallies[key].on.shape[0]} units on one batch and "
                             f"{units.shape[1]} on another; is unit_dim={unit_dim} the unit axis?")
        tallies[key].add(units, float(threshold))

    handles = [model.register_forward_pre_hook(reset_calls)]
    handles += [module.register_forward_pre_hook(hook) for module in modules]
    device = next((p.device for p in model.parameters()), None)
    seen = 0
    try:
        with model_mode(model, training=False):
            for batch in _batches(data, batch_size):
                model(batch if device is None else batch.to(device))
                seen += len(batch)
    finally:
        for handle in handles:
            handle.remove()
    if seen == 0:
        raise ValueError("data held no inputs")
    if not tallies:
        raise ValueError("no activation module was called in the forward pass")
    activity, peak = [], []
    for tally in tallies.values():
        bad = tally.nonfinite.numpy()
        activity.append(np.where(bad, np.nan, tally.on.double().numpy() / tally.observations))
        peak.append(np.where(bad, np.nan, tally.peak.numpy()))
    return DeadUnitReport(tuple(labels.values()), tuple(activity), float(threshold), tuple(peak), seen)


@torch.no_grad()
def born_dead_probability(x: torch.Tensor, width: int, depth: int, *, networks: int = 1000,
                          bias: float = 0.0, seed: int = 0) -> np.ndarray:
    r"""P(some hidden layer among the first :math:`k` is entirely dead on ``x``), for each :math:`k` from 1 to ``depth``.

    Draws ``networks`` random ReLU networks of ``depth`` hidden layers of ``width``
    units, He-normal weights (:math:`\mathrm{std} = \sqrt{2 / \text{fan\_in}}`) and
    every bias equal to ``bias``, and checks each layer: dead when every unit's
    pre-activation is <= 0 on every row of ``x``. Such a network computes a
    constant function ("born dead", Lu et al. 2019). Forward passes only, all
    networks at once, in ``x``'s dtype; the estimate is a Monte Carlo fraction,
    so it moves in steps of ``1 / networks``.

    Args:
        x: the inputs, a non-empty floating 2-D tensor.
        width: units per hidden layer.
        depth: number of hidden layers.
        networks: number of random networks drawn (default 1000).
        bias: the value of every bias (default 0.0).
        seed: seeds the weights, from a generator of its own (default 0).

    Returns:
        A float array whose entry ``k - 1`` is the fraction of networks with a dead
        layer among the first ``k``; it never decreases with ``k``.

    Shape:
        - x: ``(inputs, features)``.
        - output: ``(depth,)``.

    Example:
        >>> import numpy as np
        >>> import activation_lab as al
        >>> x = al.xor_data(n=40).x_train
        >>> p = al.dead_units.born_dead_probability(x, width=2, depth=5, networks=200)
        >>> p
        array([0.   , 0.055, 0.235, 0.46 , 0.605])
        >>> bool(np.all(np.diff(p) >= 0))
        True
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must be a non-empty 2-D tensor (inputs x features), got shape {tuple(x.shape)}")
    width = check_int(width, "width")
    depth = check_int(depth, "depth")
    networks = check_int(networks, "networks")
    if isinstance(bias, bool) or not isinstance(bias, (int, float)) or not math.isfinite(bias):
        raise ValueError(f"bias must be a finite number, got {bias!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    generator = torch.Generator().manual_seed(int(seed))
    if not x.is_floating_point():
        raise TypeError(f"x must be a floating tensor, got dtype {x.dtype}")
    hidden = x.detach()  # computed in x's dtype
    dead = torch.zeros(networks, dtype=torch.bool)
    probability = np.empty(depth)
    for layer in range(depth):
        fan_in = hidden.shape[-1]
        weight = torch.randn(networks, fan_in, width, generator=generator, dtype=hidden.dtype) * math.sqrt(2.0 / fan_in)
        pre = torch.matmul(hidden, weight) + bias
        dead |= (pre <= 0).flatten(1).all(dim=1)
        hidden = torch.relu(pre)
        probability[layer] = float(dead.double().mean())
    return probability
