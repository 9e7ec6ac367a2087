"""Finding dead units: units whose pre-activation is never positive on a data set.

A ReLU unit whose pre-activation is <= 0 on every input outputs 0 and passes no
gradient back on any of them, so gradient descent cannot move its own weights.
Sparse units are different: they are off on most inputs but on for some.
The probe hooks the *inputs* of the activation layers (the pre-activations);
after a ReLU, a dead unit and a unit that is merely off look alike.

Beyond the probe: when units died and whether for good (:func:`dead_since`,
:func:`transitions`), the normalized dormancy score of Sokar et al. (2023)
(:func:`dormancy_scores`), removing units (:func:`without_units`), recycling them
during training (:func:`recycle_dormant_`, :func:`redo`) and an initialization
designed against dead networks (:func:`randomized_asymmetric_init_`).
"""

from __future__ import annotations

import math
from copy import deepcopy
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np
import torch
from torch import nn

from ._shared import check_int, check_model, model_mode
from .data import Dataset
from .functions._checks import check_real
from .networks import INIT_SCHEMES, init_std
from .probes import activation_modules
from .registry import ACTIVATION_TYPES

__all__ = ["DeadUnitReport", "dead_unit_report", "born_dead_probability", "dormancy_scores", "dead_since",
           "transitions", "without_units", "recycle_dormant_", "redo", "randomized_asymmetric_init_"]


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


@torch.no_grad()
def dormancy_scores(model: nn.Module, data, *, batch_size: int = 1024, unit_dim: int = 1) -> tuple[np.ndarray, ...]:
    r"""Per activation layer, each unit's normalized activity :math:`s_j = \mathbb{E}|h_j| \,/\, \frac{1}{H}\sum_k \mathbb{E}|h_k|`.

    The score of Sokar et al. (2023): a unit's mean absolute *output* over the
    inputs, divided by the mean of that over the :math:`H` units of its layer. A
    unit is :math:`\tau`-dormant when :math:`s_j \le \tau`. For ReLU,
    :math:`s_j = 0` exactly when the unit is dead (its pre-activation is never
    positive); :math:`\tau > 0` also counts units that are merely weak. A layer whose
    outputs are all zero scores 0 everywhere; a layer that saw a non-finite output
    scores NaN. Runs in eval mode and leaves the model as it was.

    Args:
        model: any ``torch.nn.Module`` whose activations are modules.
        data: a Tensor of inputs, a ``Dataset`` (its training inputs) or an iterable of batches.
        batch_size: batch size used when ``data`` is a Tensor or a Dataset (default 1024).
        unit_dim: the axis of the activation's output that indexes units (default 1).

    Returns:
        One float array of scores per activation call, in the order of :func:`dead_unit_report`.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> from activation_lab.dead_units import dormancy_scores
        >>> layer = nn.Sequential(nn.Linear(1, 3), nn.ReLU())
        >>> with torch.no_grad():
        ...     _ = layer[0].weight.fill_(1.0), layer[0].bias.copy_(torch.tensor([-5.0, 0.0, 1.0]))
        >>> dormancy_scores(layer, torch.tensor([[1.0], [2.0]]))[0]  # mean |h| 0, 1.5, 2.5; layer mean 4/3
        array([0.   , 1.125, 1.875])
    """
    check_model(model)
    _check_options(0.0, batch_size, unit_dim)
    modules = activation_modules(model)
    if not modules:
        raise ValueError("model has no activation modules to score")
    totals: dict[tuple[int, int], list] = {}
    calls: dict[int, int] = {}

    def reset_calls(_module, _inputs) -> None:
        calls.clear()

    def hook(module, _inputs, output) -> None:
        call = calls.get(id(module), 0)
        calls[id(module)] = call + 1
        units = _per_unit(output, unit_dim).double().abs()
        entry = totals.setdefault((id(module), call), [torch.zeros(units.shape[1], dtype=torch.float64), 0])
        if entry[0].shape[0] != units.shape[1]:
            raise ValueError(f"an activation layer had {entry[0].shape[0]} units on one batch and {units.shape[1]} "
                             f"on another; is unit_dim={unit_dim} the unit axis?")
        entry[0] += units.sum(dim=0).cpu()
        entry[1] += units.shape[0]

    handles = [model.register_forward_pre_hook(reset_calls)]
    handles += [module.register_forward_hook(hook) for module in modules]
    device = next((p.device for p in model.parameters()), None)
    try:
        with model_mode(model, training=False):
            for batch in _batches(data, batch_size):
                model(batch if device is None else batch.to(device))
    finally:
        for handle in handles:
            handle.remove()
    if not totals or any(count == 0 for _, count in totals.values()):
        raise ValueError("data held no inputs")
    scores = []
    for total, count in totals.values():
        mean_abs = (total / count).numpy()
        layer_mean = mean_abs.mean()
        if not np.isfinite(layer_mean):
            scores.append(np.full_like(mean_abs, np.nan))
        else:
            scores.append(mean_abs / layer_mean if layer_mean > 0 else np.zeros_like(mean_abs))
    return tuple(scores)


def _check_masks(masks) -> np.ndarray:
    array = np.asarray(masks)
    if array.dtype != bool or array.ndim != 2 or array.shape[0] == 0:
        raise ValueError(f"masks must be a 2-D boolean array (probes x units) with at least one probe, "
                         f"got dtype {array.dtype} and shape {array.shape}")
    return array


def dead_since(masks) -> np.ndarray:
    r"""Per unit, the first probe from which it is dead at every later probe: dead for good from there on.

    ``masks[t, j]`` says whether unit ``j`` was dead at probe ``t`` (e.g. the
    concatenated ``dead_masks`` of a :func:`dead_unit_report` taken after every
    step). A unit counts as *permanently dead as of probe t* when
    ``dead_since(masks)[j] <= t``: dead then and at every probe until the end.
    A unit alive at the last probe gets the number of probes (never dead for good).

    Args:
        masks: a boolean array of shape ``(probes, units)``.

    Returns:
        An int array with one probe index per unit.

    Shape:
        - masks: ``(probes, units)``.
        - output: ``(units,)``.

    Example:
        >>> import numpy as np
        >>> from activation_lab.dead_units import dead_since
        >>> masks = np.array([[False, True, True], [True, True, False], [True, True, True]])
        >>> dead_since(masks)  # unit 2 died, came back and died again at probe 2
        array([1, 0, 2])
        >>> dead_since(np.array([[True], [False]]))  # alive at the end
        array([2])
    """
    masks = _check_masks(masks)
    probes = masks.shape[0]
    alive = ~masks
    last_alive = np.where(alive.any(axis=0), probes - 1 - np.argmax(alive[::-1], axis=0), -1)
    return (last_alive + 1).astype(int)


def transitions(masks) -> tuple[np.ndarray, np.ndarray]:
    r"""Deaths and revivals between consecutive probes: units alive then dead, and dead then alive.

    Args:
        masks: a boolean array of shape ``(probes, units)``, True where a unit was dead.

    Returns:
        ``(deaths, revivals)``: two int arrays with one count per pair of consecutive probes.

    Shape:
        - masks: ``(probes, units)``.
        - deaths, revivals: ``(probes - 1,)``.

    Example:
        >>> import numpy as np
        >>> from activation_lab.dead_units import transitions
        >>> masks = np.array([[False, True, True], [True, True, False], [True, True, True]])
        >>> transitions(masks)
        (array([1, 1]), array([1, 0]))
    """
    masks = _check_masks(masks)
    deaths = (masks[1:] & ~masks[:-1]).sum(axis=1)
    revivals = (~masks[1:] & masks[:-1]).sum(axis=1)
    return deaths.astype(int), revivals.astype(int)


@dataclass(frozen=True)
class _HiddenLayer:
    incoming: nn.Linear        # computes the units' pre-activations
    outgoing: nn.Linear        # reads the units' outputs


def _hidden_layers(model: nn.Module) -> list[_HiddenLayer]:
    """The hidden layers of a plain MLP: each activation with the Linear before and after it."""
    check_model(model)
    if not isinstance(model, nn.Sequential):
        raise ValueError(f"model must be an nn.Sequential of Linear, BatchNorm1d, Dropout and activation modules "
                         f"(a plain MLP), got {type(model).__name__}")
    layers, incoming, waiting = [], None, None
    for module in model:
        if isinstance(module, nn.Linear):
            if waiting is not None:
                if module.in_features != waiting.out_features:
                    raise ValueError(f"a Linear layer reads {module.in_features} features after a hidden layer "
                                     f"of {waiting.out_features} units")
                layers.append(_HiddenLayer(waiting, module))
            incoming, waiting = module, None
        elif isinstance(module, ACTIVATION_TYPES):
            if incoming is None:
                raise ValueError("each activation must follow a Linear layer (with at most a BatchNorm1d or "
                                 "Dropout between them)")
            incoming, waiting = None, incoming
        elif not isinstance(module, (nn.BatchNorm1d, nn.Dropout)):
            raise ValueError(f"model must be a plain MLP of Linear, BatchNorm1d, Dropout and activation modules; "
                             f"it holds a {type(module).__name__}, whose units this cannot follow")
    if waiting is not None:
        raise ValueError("the last activation has no Linear layer after it to read its units")
    if not layers:
        raise ValueError("model has no hidden layer (an activation between two Linear layers)")
    return layers


def _check_unit_masks(masks, layers: list[_HiddenLayer]) -> list[torch.Tensor]:
    if isinstance(masks, (str, bytes)) or not isinstance(masks, Sequence):
        raise TypeError(f"masks must be a sequence of boolean arrays, one per hidden layer, got {type(masks).__name__}")
    if len(masks) != len(layers):
        raise ValueError(f"masks must hold one array per hidden layer ({len(layers)}), got {len(masks)}")
    checked = []
    for index, (mask, layer) in enumerate(zip(masks, layers)):
        array = np.asarray(mask)
        if array.dtype != bool or array.shape != (layer.incoming.out_features,):
            raise ValueError(f"masks[{index}] must be a boolean array of shape ({layer.incoming.out_features},), "
                             f"got dtype {array.dtype} and shape {array.shape}")
        checked.append(torch.from_numpy(array.copy()))
    return checked


def without_units(model: nn.Module, masks) -> nn.Module:
    r"""A copy of a plain MLP with the chosen hidden units removed: their outgoing weights set to 0.

    A removed unit still computes its output, but no later layer reads it. For a
    unit dead on a data set that output is already 0 on every input of it, so
    removing it cannot change anything the network computes there: the outputs
    and the loss stay exactly the same. ``model`` itself is not changed.

    Args:
        model: an ``nn.Sequential`` of ``Linear``, activation (and optionally
            ``BatchNorm1d`` or ``Dropout``) modules, such as :func:`~activation_lab.networks.make_mlp` builds.
        masks: one boolean array per hidden layer, True for the units to remove
            (e.g. ``dead_unit_report(model, data).dead_masks``).

    Returns:
        A new model (a deep copy) with the units' columns of the next ``Linear`` layer zeroed.

    Example:
        >>> import numpy as np
        >>> import torch
        >>> import activation_lab as al
        >>> from activation_lab.dead_units import without_units
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> x = al.xor_data(n=40).x_train
        >>> dead = al.dead_unit_report(model, x).dead_masks
        >>> torch.equal(without_units(model, dead)(x), model(x))  # dead units: nothing changes
        True
        >>> live = [~mask for mask in dead]
        >>> torch.equal(without_units(model, live)(x), model(x))
        False
    """
    layers = _hidden_layers(model)
    tensors = _check_unit_masks(masks, layers)
    copy = deepcopy(model)
    with torch.no_grad():
        for layer, mask in zip(_hidden_layers(copy), tensors):
            layer.outgoing.weight[:, mask] = 0.0
    return copy


def _redraw_incoming(linear: nn.Linear, rows: torch.Tensor, scheme: str, generator) -> None:
    fan_in, fan_out = linear.in_features, linear.out_features
    shape = (int(rows.sum()), fan_in)
    weight = linear.weight
    if scheme == "default":                    # nn.Linear's own: uniform on +-1/sqrt(fan_in)
        bound = 1.0 / math.sqrt(fan_in)
        values = (torch.rand(shape, generator=generator, dtype=weight.dtype) * 2.0 - 1.0) * bound
    else:
        values = torch.randn(shape, generator=generator, dtype=weight.dtype) * init_std(scheme, fan_in, fan_out)
    weight[rows] = values.to(weight.device)
    if linear.bias is not None:
        linear.bias[rows] = 0.0


def _clear_state(optimizer, parameter: torch.Tensor, index: tuple) -> None:
    """Zero the optimizer's per-entry state (momentum buffers, Adam's moments) at ``index`` of a parameter."""
    for value in optimizer.state.get(parameter, {}).values():
        if isinstance(value, torch.Tensor) and value.shape == parameter.shape:
            value[index] = 0.0


@torch.no_grad()
def recycle_dormant_(model: nn.Module, data, *, tau: float = 0.0, optimizer: torch.optim.Optimizer | None = None,
                     scheme: str = "default", generator: torch.Generator | None = None) -> np.ndarray:
    r"""ReDo (Sokar et al. 2023): re-initialize in place every hidden unit with dormancy score :math:`s_j \le \tau`.

    For each such unit the incoming weights are drawn afresh from ``scheme``'s
    distribution, its bias is set to 0 and its outgoing weights to 0, so the
    network's output does not jump; if ``optimizer`` is given, its per-entry state
    for those weights (SGD's momentum buffer, Adam's two moments) is zeroed too.
    This follows the authors' published code. Scores come from :func:`dormancy_scores` on ``data``.

    Args:
        model: a plain MLP (see :func:`without_units`).
        data: the inputs the scores are computed on (a Tensor, ``Dataset`` or batches).
        tau: the dormancy threshold, 0 or more (default 0.0: dead units only, for ReLU).
        optimizer: the optimizer training ``model``, or ``None`` (default).
        scheme: the distribution of the new incoming weights: ``"default"`` (PyTorch's
            uniform on :math:`\pm 1/\sqrt{n_{\text{in}}}`), ``"he"``, ``"xavier"`` or ``"lecun"``.
        generator: a ``torch.Generator`` to draw from (default: PyTorch's global one).

    Returns:
        An int array: the number of units recycled in each hidden layer.

    Example:
        >>> import torch
        >>> import activation_lab as al
        >>> from activation_lab.dead_units import recycle_dormant_
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> x = al.xor_data(n=40).x_train
        >>> before = model(x)
        >>> recycle_dormant_(model, x, generator=torch.Generator().manual_seed(0))
        array([1, 3])
        >>> al.dead_unit_report(model, x).dead, torch.equal(model(x), before)
        (array([0, 0]), True)
    """
    layers = _hidden_layers(model)
    tau = check_real(tau, "tau")
    if tau < 0:
        raise ValueError(f"tau must be non-negative, got {tau}")
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, got {scheme!r}")
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer or None, got {type(optimizer).__name__}")
    scores = dormancy_scores(model, data)
    if len(scores) != len(layers):
        raise ValueError(f"model has {len(layers)} hidden layers but {len(scores)} activation calls")
    chosen = [torch.from_numpy(np.nan_to_num(score, nan=np.inf) <= tau).to(layer.incoming.weight.device)
              for layer, score in zip(layers, scores)]
    # All incoming weights first, then all outgoing ones, so that a recycled unit's zero outgoing weights
    # stay zero even where they are the incoming weights of a recycled unit of the next layer.
    for layer, rows in zip(layers, chosen):
        if rows.any():
            _redraw_incoming(layer.incoming, rows, scheme, generator)
    for layer, rows in zip(layers, chosen):
        if not rows.any():
            continue
        layer.outgoing.weight[:, rows] = 0.0
        if optimizer is not None:
            _clear_state(optimizer, layer.incoming.weight, (rows,))
            if layer.incoming.bias is not None:
                _clear_state(optimizer, layer.incoming.bias, (rows,))
            _clear_state(optimizer, layer.outgoing.weight, (slice(None), rows))
    return np.array([int(rows.sum()) for rows in chosen], dtype=int)


def redo(data, *, tau: float = 0.0, every: int = 100, scheme: str = "default",
         seed: int = 0) -> Callable[[nn.Module, int, torch.optim.Optimizer], dict]:
    r"""A ``train(on_step_end=...)`` callback that runs :func:`recycle_dormant_` every ``every`` steps.

    Args:
        data: the inputs the dormancy scores are computed on (e.g. the training inputs).
        tau: the dormancy threshold, 0 or more (default 0.0).
        every: recycle after every this many gradient steps (default 100).
        scheme: the distribution of the new incoming weights (default ``"default"``).
        seed: seeds the callback's own generator for the new weights (default 0).

    Returns:
        A function ``(model, step, optimizer) -> {"recycled": count}``, the count being
        the number of units recycled at that step (0 between recycling steps).

    Example:
        >>> import activation_lab as al
        >>> from activation_lab.dead_units import redo
        >>> data = al.xor_data(n=40)
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> history = al.train(model, data, epochs=2, batch_size=5, on_step_end=redo(data.x_train, every=4))
        >>> history.steps["recycled"]
        [0, 0, 0, 4, 0, 0, 0, 0]
    """
    tau = check_real(tau, "tau")
    if tau < 0:
        raise ValueError(f"tau must be non-negative, got {tau}")
    every = check_int(every, "every")
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme must be one of {INIT_SCHEMES}, got {scheme!r}")
    generator = torch.Generator().manual_seed(check_int(seed, "seed", minimum=0))

    def recycle(model: nn.Module, step: int, optimizer: torch.optim.Optimizer) -> dict:
        if step % every:
            return {"recycled": 0}
        counts = recycle_dormant_(model, data, tau=tau, optimizer=optimizer, scheme=scheme, generator=generator)
        return {"recycled": int(counts.sum())}

    return recycle


@torch.no_grad()
def randomized_asymmetric_init_(model: nn.Module, *, generator: torch.Generator | None = None) -> nn.Module:
    r"""Randomized asymmetric initialization after Lu et al. (2019), in place, for the hidden layers of a plain MLP.

    For each hidden unit, one of its :math:`n_{\text{in}} + 1` parameters (weights
    and bias), chosen uniformly at random, is drawn from :math:`\mathrm{Beta}(2, 1)`
    (positive, mean 2/3), and the others from :math:`\mathcal{N}(0, \sigma^2)`. This
    package's scale, not the paper's: :math:`\sigma^2` makes the mean square of a
    parameter, averaged over the random choice, equal He's :math:`2/n_{\text{in}}`,
    that is :math:`\sigma^2 = (2/n_{\text{in}} - \tfrac{1}{2}/(n_{\text{in}}+1))\,(n_{\text{in}}+1)/n_{\text{in}}`
    (:math:`\mathbb{E}[B^2] = 1/2` for :math:`B \sim \mathrm{Beta}(2, 1)`).
    The output layer keeps its weights.

    Args:
        model: a plain MLP (see :func:`without_units`).
        generator: a ``torch.Generator`` to draw from (default: PyTorch's global one).

    Returns:
        ``model`` itself, changed in place.

    Example:
        >>> import torch
        >>> import activation_lab as al
        >>> from activation_lab.dead_units import randomized_asymmetric_init_
        >>> model = randomized_asymmetric_init_(al.make_mlp([100, 400, 2], seed=0),
        ...                                     generator=torch.Generator().manual_seed(0))
        >>> params = torch.cat([model[0].weight, model[0].bias[:, None]], dim=1).detach()
        >>> round(float(params.pow(2).mean() * 100), 1)  # mean square, times 100; He: 2/100
        2.0
    """
    for layer in _hidden_layers(model):
        linear = layer.incoming
        units, fan_in = linear.out_features, linear.in_features
        count = fan_in + (linear.bias is not None)           # parameters per unit
        variance = (2.0 / fan_in - 0.5 / count) * count / (count - 1) if count > 1 else 0.0
        params = torch.randn(units, count, generator=generator, dtype=torch.float64) * math.sqrt(variance)
        chosen = torch.randint(count, (units,), generator=generator)
        # Beta(2, 1) by inversion: its distribution function is u^2, so sqrt of a uniform number.
        params[torch.arange(units), chosen] = torch.rand(units, generator=generator, dtype=torch.float64).sqrt()
        params = params.to(dtype=linear.weight.dtype, device=linear.weight.device)
        linear.weight.copy_(params[:, :fan_in])
        if linear.bias is not None:
            linear.bias.copy_(params[:, fan_in])
    return model
