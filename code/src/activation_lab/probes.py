"""Probes that look inside a network without changing it: per-layer activations, gradients, signal.

Every probe leaves the model as it found it: hooks are removed, train/eval mode
restored, buffers (batch-norm running statistics) and existing ``.grad`` values
put back, PyTorch's global random state untouched, and no parameter updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch
from torch import nn

from torch.optim.optimizer import register_optimizer_step_post_hook, register_optimizer_step_pre_hook

from ._shared import check_batch, check_builder, check_int, check_model, check_seeds, loss_function, seeded, untouched
from .networks import INIT_SCHEMES, initialize_, linear_layers
from .registry import ACTIVATION_TYPES, get_activation

__all__ = [
    "SATURATION_THRESHOLD",
    "LayerStats",
    "activation_modules",
    "activation_stats",
    "saturated_fraction_by_layer",
    "GRADIENT_TARGETS",
    "gradient_norms_by_layer",
    "gradient_norms_over_seeds",
    "weight_snapshot",
    "update_ratios",
    "UpdateRatioRecorder",
    "saturation_mask",
    "SignalTrace",
    "signal_propagation",
]

SATURATION_THRESHOLD = 0.97
"""The course's own cut-off: a tanh unit counts as saturated when |tanh| > 0.97 (its slope
is then below 0.06), a sigmoid unit below 0.03 or above 0.97 (slope below 0.03). Glorot &
Bengio (2010) plot percentiles of activation values, not a count against a threshold."""


def _check_threshold(threshold) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise TypeError(f"threshold must be a number, got {type(threshold).__name__}")
    if not 0.5 < threshold < 1.0:
        raise ValueError(f"threshold must lie strictly between 0.5 and 1, got {threshold}")
    return float(threshold)


def _saturated(kind: str, post: np.ndarray, threshold: float) -> float:
    if kind == "Tanh":
        return float(np.mean(np.abs(post) > threshold))
    if kind == "Sigmoid":
        return float(np.mean((post < 1.0 - threshold) | (post > threshold)))
    return float("nan")


@dataclass(frozen=True, eq=False)
class LayerStats:
    r"""What one activation layer did on a batch, as :func:`activation_stats` records it.

    Attributes:
        index: the layer's position among the model's activation layers, from 0.
        kind: the module's class name, e.g. ``"Tanh"``.
        pre: the layer's inputs (pre-activations) as a NumPy array.
        post: the layer's outputs as a NumPy array.

    Shape:
        - pre: ``(batch, units)`` for a linear layer (``(batch, channels, ...)`` after a convolution).
        - post: the same shape as ``pre``.

    Example:
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 3, 2], "tanh", seed=0)
        >>> stats = al.activation_stats(model, al.xor_data(n=40).x_train)[0]
        >>> stats.index, stats.kind, stats.pre.shape, stats.post.shape
        (0, 'Tanh', (20, 3), (20, 3))
    """

    index: int
    kind: str
    pre: np.ndarray
    post: np.ndarray

    @property
    def mean(self) -> float:
        r"""Mean of the outputs over batch and units.

        Example:
            >>> import numpy as np
            >>> from activation_lab.probes import LayerStats
            >>> post = np.array([[0.0, 1.0], [2.0, 3.0]])
            >>> LayerStats(0, "ReLU", post, post).mean
            1.5
        """
        return float(self.post.mean())

    @property
    def std(self) -> float:
        r"""Standard deviation of the outputs over batch and units (population std, ddof=0).

        Example:
            >>> import numpy as np
            >>> from activation_lab.probes import LayerStats
            >>> post = np.array([[0.0, 2.0], [0.0, 2.0]])
            >>> LayerStats(0, "ReLU", post, post).std
            1.0
        """
        return float(self.post.std())

    @property
    def zero_fraction(self) -> float:
        r"""Fraction of outputs that are exactly 0.0: ReLU's sparsity.

        Example:
            >>> import numpy as np
            >>> from activation_lab.probes import LayerStats
            >>> pre = np.array([[-1.0, 2.0], [-3.0, -0.5]])
            >>> LayerStats(0, "ReLU", pre, np.maximum(pre, 0.0)).zero_fraction
            0.75
        """
        return float(np.mean(self.post == 0.0))

    @property
    def saturated_fraction(self) -> float:
        r"""Fraction of outputs within 0.03 of an asymptote: :math:`|\tanh| > 0.97`, sigmoid :math:`< 0.03` or :math:`> 0.97`.

        The cut-off is :data:`SATURATION_THRESHOLD`. NaN for every other kind of
        activation (they do not saturate on both sides).

        Example:
            >>> import numpy as np
            >>> from activation_lab.probes import LayerStats
            >>> pre = np.array([[-3.0, -1.0, 0.0, 3.0]])
            >>> LayerStats(0, "Tanh", pre, np.tanh(pre)).saturated_fraction
            0.5
            >>> LayerStats(0, "ReLU", pre, np.maximum(pre, 0.0)).saturated_fraction
            nan
        """
        return _saturated(self.kind, self.post, SATURATION_THRESHOLD)


def activation_modules(model: nn.Module) -> list[nn.Module]:
    r"""The activation modules of ``model``, in the order ``model.modules()`` visits them.

    An activation module is an instance of one of
    :data:`~activation_lab.registry.ACTIVATION_TYPES`; activations called as
    functions (``F.relu``) are not modules and do not appear.

    Args:
        model: any ``torch.nn.Module``.

    Returns:
        A list of the activation modules (the modules themselves, not copies).

    Example:
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 4, 4, 2], "gelu", seed=0)
        >>> al.probes.activation_modules(model)
        [GELU(approximate='none'), GELU(approximate='none')]
    """
    return [module for module in check_model(model).modules() if isinstance(module, ACTIVATION_TYPES)]


def activation_stats(model: nn.Module, x: torch.Tensor, *, training: bool = False) -> list[LayerStats]:
    r"""Run ``x`` through ``model`` and record each activation layer's inputs and outputs.

    Hooks are attached for this one pass and removed afterwards; the input is
    copied before the layer runs, so an in-place activation still reports its true
    input. The pass runs in eval mode unless ``training=True`` (which matters for
    batch norm, whose running statistics are restored afterwards). No gradient is
    computed and the model is left as it was.

    Args:
        model: any ``torch.nn.Module`` whose activations are modules.
        x: a batch of inputs in the model's dtype.
        training: run the pass in train mode instead of eval mode (default ``False``).

    Returns:
        One :class:`LayerStats` per activation call, in the order they ran.

    Shape:
        - x: ``(batch, features)`` for an MLP, or whatever ``model`` takes.

    Example:
        >>> import activation_lab as al
        >>> data = al.xor_data(n=40)
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> stats = al.activation_stats(model, data.x_train)
        >>> [(s.kind, s.post.shape) for s in stats]
        [('ReLU', (20, 8)), ('ReLU', (20, 8))]
        >>> [round(s.zero_fraction, 2) for s in stats]
        [0.57, 0.62]
    """
    check_model(model)
    check_batch(x)
    modules = activation_modules(model)
    inputs_seen: dict[int, np.ndarray] = {}
    records: list[LayerStats] = []

    def before(module, inputs):
        inputs_seen[id(module)] = inputs[0].detach().cpu().numpy().copy()

    def after(module, inputs, output):
        records.append(LayerStats(len(records), type(module).__name__, inputs_seen.pop(id(module)),
                                  output.detach().cpu().numpy().copy()))

    handles = [module.register_forward_pre_hook(before) for module in modules]
    handles += [module.register_forward_hook(after) for module in modules]
    try:
        with untouched(model, training), torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return records


def saturated_fraction_by_layer(model: nn.Module, x: torch.Tensor, *,
                                threshold: float = SATURATION_THRESHOLD) -> np.ndarray:
    r"""Per activation layer, the fraction of outputs on ``x`` closer than ``1 - threshold`` to an asymptote.

    Tanh: :math:`|f| > t`; sigmoid: :math:`f < 1 - t` or :math:`f > t`; NaN for
    other activations. One forward pass in eval mode via :func:`activation_stats`.

    Args:
        model: any ``torch.nn.Module`` whose activations are modules.
        x: a batch of inputs in the model's dtype.
        threshold: :math:`t`, strictly between 0.5 and 1 (default
            :data:`SATURATION_THRESHOLD`, 0.97).

    Returns:
        A float array with one fraction per activation layer.

    Shape:
        - x: ``(batch, features)``.
        - output: ``(layers,)``.

    Example:
        >>> import activation_lab as al
        >>> x = al.xor_data(n=40).x_train
        >>> calm = al.make_mlp([2, 8, 8, 2], "tanh", seed=0)
        >>> al.probes.saturated_fraction_by_layer(calm, x)
        array([0., 0.])
        >>> loud = al.make_mlp([2, 8, 8, 2], "tanh", init="xavier", gain=4.0, seed=0)
        >>> al.probes.saturated_fraction_by_layer(loud, x).round(2)
        array([0.48, 0.61])
    """
    threshold = _check_threshold(threshold)
    return np.array([_saturated(s.kind, s.post, threshold) for s in activation_stats(model, x)])


GRADIENT_TARGETS = ("weights", "outputs")
"""What :func:`gradient_norms_by_layer` can take the norm of (its ``of`` argument)."""


def _norm(tensor: torch.Tensor) -> float:
    # in float64: squaring float32 entries below about 1e-19 underflows to 0, and vanishing gradients get there
    return float(tensor.detach().double().norm())


def gradient_norms_by_layer(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                            loss: str = "cross_entropy", *, of: str = "weights") -> np.ndarray:
    r"""The gradient's L2 norm at each linear layer, input side first.

    ``of="weights"``: :math:`\|\partial \mathcal{L} / \partial W^{(\ell)}\|` (Frobenius), what an update uses.
    ``of="outputs"``: :math:`\|\delta^{(\ell)}\| = \|\partial \mathcal{L} / \partial z^{(\ell)}\|` with
    :math:`z^{(\ell)} = W^{(\ell)} h^{(\ell-1)} + b^{(\ell)}`,
    the signal backpropagation carries down. One forward and backward pass on
    ``(x, y)`` in the model's current mode, even inside ``torch.no_grad()``; ``.grad``
    values and buffers are restored. A layer the loss does not reach reports NaN.
    Norms are computed in float64, so a vanishing gradient does not underflow to 0.

    Args:
        model: a model with ``nn.Linear`` layers.
        x: a batch of inputs in the model's dtype.
        y: the targets, as ``loss`` expects them (class indices for cross-entropy).
        loss: ``"cross_entropy"`` (default) or ``"mse"``.
        of: ``"weights"`` (default) or ``"outputs"``, see above.

    Returns:
        A float array with one norm per linear layer.

    Shape:
        - x: ``(batch, features)``.
        - y: ``(batch,)`` for cross-entropy, ``(batch, outputs)`` for MSE.
        - output: ``(layers,)``.

    Example:
        >>> import activation_lab as al
        >>> data = al.xor_data(n=40)
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> al.probes.gradient_norms_by_layer(model, data.x_train, data.y_train).round(3)
        array([0.069, 0.171, 0.153])
        >>> al.probes.gradient_norms_by_layer(model, data.x_train, data.y_train, of="outputs").shape
        (3,)
        >>> [p.grad for p in model.parameters()][:2]
        [None, None]
    """
    check_model(model)
    check_batch(x)
    check_batch(y, "y")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x and y must hold the same number of examples, got {x.shape[0]} and {y.shape[0]}")
    criterion = loss_function(loss)
    if of not in GRADIENT_TARGETS:
        raise ValueError(f"of must be one of {GRADIENT_TARGETS}, got {of!r}")
    layers = linear_layers(model)
    if not layers:
        raise ValueError("model has no nn.Linear layers to probe")
    parameters = list(model.parameters())
    saved = [p.grad for p in parameters]
    output_grads: dict[int, float] = {}

    def capture(layer, inputs, output):
        if output.requires_grad:
            output.register_hook(lambda grad: output_grads.__setitem__(id(layer), _norm(grad)))

    handles = [layer.register_forward_hook(capture) for layer in layers] if of == "outputs" else []
    try:
        for p in parameters:
            p.grad = None
        with untouched(model, None), torch.enable_grad():
            output = model(x)
            criterion(output, y).backward()
        if of == "outputs":
            norms = [output_grads.get(id(layer), float("nan")) for layer in layers]
        else:
            norms = [float("nan") if layer.weight.grad is None else _norm(layer.weight.grad) for layer in layers]
    finally:
        for handle in handles:
            handle.remove()
        for p, grad in zip(parameters, saved):
            p.grad = grad
    return np.array(norms)


def gradient_norms_over_seeds(build_model: Callable[[int], nn.Module], x: torch.Tensor, y: torch.Tensor,
                              seeds: Sequence[int] = (0, 1, 2, 3, 4), *, loss: str = "cross_entropy",
                              of: str = "weights") -> np.ndarray:
    r"""A ``(len(seeds), layers)`` array: row ``i`` is :func:`gradient_norms_by_layer` of ``build_model(seeds[i])``.

    The rows are what :func:`~activation_lab.plots.plot_mean_spread` expects; every
    seed's model must have the same number of linear layers.

    Args:
        build_model: a function taking a seed and returning a new model.
        x: a batch of inputs in the models' dtype.
        y: the targets for ``loss``.
        seeds: the seeds to build with (default ``(0, 1, 2, 3, 4)``).
        loss: ``"cross_entropy"`` (default) or ``"mse"``.
        of: ``"weights"`` (default) or ``"outputs"``, as in :func:`gradient_norms_by_layer`.

    Returns:
        A float array, one row per seed and one column per linear layer.

    Shape:
        - x: ``(batch, features)``.
        - y: ``(batch,)`` for cross-entropy.
        - output: ``(len(seeds), layers)``.

    Example:
        >>> import activation_lab as al
        >>> data = al.xor_data(n=40)
        >>> norms = al.gradient_norms_over_seeds(
        ...     lambda seed: al.make_mlp([2, 8, 8, 2], "tanh", seed=seed),
        ...     data.x_train, data.y_train, seeds=(0, 1, 2))
        >>> norms.shape, bool((norms > 0).all())
        ((3, 3), True)
    """
    check_builder(build_model)
    check_seeds(seeds)
    rows = [gradient_norms_by_layer(build_model(seed), x, y, loss, of=of) for seed in seeds]
    if len({len(row) for row in rows}) != 1:
        raise ValueError(f"models built for different seeds have different depths: {[len(r) for r in rows]}")
    return np.stack(rows)


def weight_snapshot(model: nn.Module) -> list[torch.Tensor]:
    r"""Copies of each linear layer's weight, to compare with after some training steps.

    Args:
        model: a model with ``nn.Linear`` layers.

    Returns:
        A list of detached tensors, one per linear layer, input side first;
        training the model later does not change them.

    Example:
        >>> import activation_lab as al
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> [tuple(w.shape) for w in al.probes.weight_snapshot(model)]
        [(8, 2), (8, 8), (2, 8)]
    """
    return [layer.weight.detach().clone() for layer in linear_layers(model)]


def update_ratios(before: Sequence[torch.Tensor], model: nn.Module) -> np.ndarray:
    r"""Per linear layer, :math:`\|W_\text{now} - W_\text{before}\| / \|W_\text{before}\|` (Frobenius norms).

    How far training moved each layer, relative to its size (``before`` comes from
    :func:`weight_snapshot`). NaN for a layer whose snapshot is all zeros.

    Args:
        before: the list :func:`weight_snapshot` returned for this model.
        model: the same model, after some training.

    Returns:
        A float array with one ratio per linear layer, input side first.

    Shape:
        - output: ``(layers,)``.

    Example:
        >>> import activation_lab as al
        >>> data = al.xor_data(n=40)
        >>> model = al.make_mlp([2, 8, 8, 2], "relu", seed=0)
        >>> before = al.probes.weight_snapshot(model)
        >>> _ = al.train(model, data, epochs=1)
        >>> ratios = al.probes.update_ratios(before, model)
        >>> ratios.shape, bool((ratios > 0).all())
        ((3,), True)
    """
    layers = linear_layers(model)
    if isinstance(before, torch.Tensor) or not isinstance(before, Sequence):
        raise TypeError(f"before must be a list of tensors from weight_snapshot, got {type(before).__name__}")
    if len(before) != len(layers):
        raise ValueError(f"before holds {len(before)} weights but the model has {len(layers)} linear layers")
    ratios = []
    for old, layer in zip(before, layers):
        if not isinstance(old, torch.Tensor):
            raise TypeError(f"before must hold tensors, got {type(old).__name__}")
        if old.shape != layer.weight.shape:
            raise ValueError(f"a snapshot of shape {tuple(old.shape)} does not match a layer of shape "
                             f"{tuple(layer.weight.shape)}")
        size = float(old.norm())
        change = float((layer.weight.detach() - old).norm())
        ratios.append(change / size if size > 0 else float("nan"))
    return np.array(ratios)


def _relative_changes(before: Sequence[torch.Tensor], layers: Sequence[nn.Linear]) -> np.ndarray:
    # float64 norms, as in _norm: a float32 step far below a weight's size must not round to 0
    return np.array([_norm(layer.weight.detach() - old) / size if (size := _norm(old)) > 0 else float("nan")
                     for old, layer in zip(before, layers)])


class UpdateRatioRecorder:
    r"""Per linear layer, :math:`\|W_\text{after} - W_\text{before}\| / \|W_\text{before}\|` for every step and every epoch.

    Two ways to use it, together or apart. Inside a ``with`` block it records every
    optimizer step that touches the model's linear weights, whatever the training
    loop (PyTorch calls it before and after each ``optimizer.step()``); steps of other
    optimizers are ignored, and leaving the block removes the hooks. Passed as
    ``train(..., on_epoch_end=recorder)`` it returns ``{"update_ratio": ratios}`` at
    every recorded epoch: the change since the previous call (zeros at epoch 0),
    which ``train`` collects in ``history.extra``. Ratios use Frobenius norms in
    float64; NaN for a layer whose weight was all zeros. The model is not changed.

    Args:
        model: a model with ``nn.Linear`` layers; its layers are fixed at construction.

    Shape:
        - steps: ``(steps, layers)``, one row per optimizer step, input side first.
        - epochs: ``(calls, layers)``, one row per ``on_epoch_end`` call.

    Example:
        >>> import activation_lab as al
        >>> data = al.xor_data(n=40)
        >>> model = al.make_mlp([2, 8, 8, 2], "tanh", init="xavier", seed=0)
        >>> recorder = al.probes.UpdateRatioRecorder(model)
        >>> with recorder:
        ...     history = al.train(model, data, epochs=2, batch_size=10, on_epoch_end=recorder)
        >>> recorder.steps.shape, recorder.epochs.shape, len(history.extra["update_ratio"])
        ((4, 3), (3, 3), 3)
        >>> bool((recorder.epochs[0] == 0).all()), bool((recorder.steps > 0).all())
        (True, True)
    """

    def __init__(self, model: nn.Module):
        self._layers = linear_layers(check_model(model))
        if not self._layers:
            raise ValueError("model has no nn.Linear layers to record")
        self._model = model
        self._weights = {id(layer.weight) for layer in self._layers}
        self._epoch_start = weight_snapshot(model)
        self._step_start: list[torch.Tensor] | None = None
        self._steps: list[np.ndarray] = []
        self._epochs: list[np.ndarray] = []
        self._handles: list = []

    def _touches_model(self, optimizer: torch.optim.Optimizer) -> bool:
        return any(id(p) in self._weights for group in optimizer.param_groups for p in group["params"])

    def _before_step(self, optimizer, args, kwargs) -> None:
        if self._touches_model(optimizer):
            self._step_start = weight_snapshot(self._model)

    def _after_step(self, optimizer, args, kwargs) -> None:
        if self._step_start is not None and self._touches_model(optimizer):
            self._steps.append(_relative_changes(self._step_start, self._layers))
            self._step_start = None

    def __enter__(self) -> "UpdateRatioRecorder":
        if self._handles:
            raise RuntimeError("this UpdateRatioRecorder is already recording; nested with blocks are not allowed")
        self._handles = [register_optimizer_step_pre_hook(self._before_step),
                         register_optimizer_step_post_hook(self._after_step)]
        return self

    def __exit__(self, *exc_info) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._step_start = None

    def __call__(self, model: nn.Module, epoch: int) -> dict[str, np.ndarray]:
        if model is not self._model:
            raise ValueError("model is not the model this UpdateRatioRecorder was built for")
        ratios = _relative_changes(self._epoch_start, self._layers)
        self._epochs.append(ratios)
        self._epoch_start = weight_snapshot(model)
        return {"update_ratio": ratios}

    @property
    def steps(self) -> np.ndarray:
        """The ratio of every recorded optimizer step, one row per step (``(0, layers)`` before any)."""
        return np.array(self._steps).reshape(len(self._steps), len(self._layers))

    @property
    def epochs(self) -> np.ndarray:
        """The ratio of every ``on_epoch_end`` call, one row per call (``(0, layers)`` before any)."""
        return np.array(self._epochs).reshape(len(self._epochs), len(self._layers))


def saturation_mask(model: nn.Module, x: torch.Tensor, layer: int, *,
                    threshold: float = SATURATION_THRESHOLD) -> np.ndarray:
    r"""Which units of one tanh or sigmoid layer are saturated on which inputs: an ``(examples, units)`` bool array.

    Saturated as in :func:`saturated_fraction_by_layer`: :math:`|f| > t` for tanh,
    :math:`f < 1 - t` or :math:`f > t` for the sigmoid. Drawn as an image, a column
    that is saturated on every input is a unit whose slope is near 0 for all of them.
    One forward pass in eval mode via :func:`activation_stats`.

    Args:
        model: a network with tanh or sigmoid activation modules.
        x: a batch of inputs in the model's dtype.
        layer: the activation layer's index among the model's activation layers, from 0.
        threshold: :math:`t`, strictly between 0.5 and 1 (default 0.97).

    Returns:
        A bool array, ``True`` where the unit is saturated on that input.

    Shape:
        - x: ``(batch, features)``.
        - output: ``(batch, units)``.

    Example:
        >>> import activation_lab as al
        >>> x = al.xor_data(n=40).x_train
        >>> loud = al.make_mlp([2, 8, 8, 2], "tanh", init="xavier", gain=4.0, seed=0)
        >>> mask = al.probes.saturation_mask(loud, x, layer=1)
        >>> mask.shape, round(float(mask.mean()), 2)
        ((20, 8), 0.61)
    """
    threshold = _check_threshold(threshold)
    check_int(layer, "layer", minimum=0)
    stats = activation_stats(model, x)
    if layer >= len(stats):
        raise ValueError(f"layer must be below the number of activation layers, {len(stats)}, got {layer}")
    kind, post = stats[layer].kind, stats[layer].post
    if kind == "Tanh":
        return np.abs(post) > threshold
    if kind == "Sigmoid":
        return (post < 1.0 - threshold) | (post > threshold)
    raise ValueError(f"layer {layer} is {kind}; saturation is defined here for Tanh and Sigmoid layers only")


DROPOUT_KINDS = ("dropout", "alpha_dropout")
"""The dropout layers :func:`signal_propagation` can add: ``nn.Dropout`` and ``nn.AlphaDropout``."""


@dataclass(frozen=True)
class SignalTrace:
    r"""Mean and variance of the activations after each of ``len(mean)`` layers (index 0 is layer 1).

    Attributes:
        mean: the mean over all units and inputs after each block.
        variance: the variance (population, ddof=0) over all units and inputs after each block.

    Shape:
        - mean: ``(depth,)``.
        - variance: ``(depth,)``.

    Example:
        >>> import activation_lab as al
        >>> trace = al.probes.signal_propagation("tanh", depth=4, width=16, batch=32)
        >>> trace.mean.shape, trace.variance.shape
        ((4,), (4,))
    """

    mean: np.ndarray
    variance: np.ndarray


@torch.no_grad()
def signal_propagation(
    activation: str,
    *,
    depth: int = 64,
    width: int = 128,
    batch: int = 512,
    init: str = "lecun",
    gain: float = 1.0,
    dropout: str | None = None,
    rate: float = 0.1,
    seed: int = 0,
    dtype: torch.dtype | None = None,
) -> SignalTrace:
    r"""Push standard normal inputs through ``depth`` untrained blocks :math:`x \mapsto f(W x)` [-> dropout].

    Weights are drawn by :func:`~activation_lab.networks.initialize_` with ``init``
    and ``gain`` (``"lecun"``: :math:`\mathrm{std} = 1/\sqrt{\text{width}}`), with no biases.
    ``dropout`` adds ``nn.Dropout`` or ``nn.AlphaDropout`` at ``rate`` after each
    activation, active as in training. Returns the mean and variance over all
    units and inputs after each block, computed in ``dtype`` (``None``: the package's).
    The weights, inputs and dropout masks all come from ``seed``, so a call
    repeats exactly; PyTorch's global random state is left as it was.

    Args:
        activation: a name in :data:`~activation_lab.registry.ACTIVATIONS`.
        depth: number of blocks (default 64).
        width: units per block, and the input's width (default 128).
        batch: number of random inputs (default 512).
        init: a scheme in :data:`~activation_lab.networks.INIT_SCHEMES` (default ``"lecun"``).
        gain: multiplies the scheme's standard deviation (default 1.0).
        dropout: ``None`` (default), ``"dropout"`` or ``"alpha_dropout"``.
        rate: the dropout probability, in [0, 1) (default 0.1).
        seed: seeds the weights, the inputs and the dropout masks (default 0).
        dtype: ``torch.float32`` or ``torch.float64``; ``None`` uses the package's.

    Returns:
        A :class:`SignalTrace` with one mean and one variance per block.

    Example:
        >>> import activation_lab as al
        >>> trace = al.probes.signal_propagation("tanh", depth=4, width=16, batch=32)
        >>> trace.variance.round(3)
        array([0.39 , 0.242, 0.173, 0.134])
        >>> selu = al.probes.signal_propagation("selu", depth=3, width=64, batch=64)
        >>> selu.variance.round(1)
        array([1., 1., 1.])
    """
    record = get_activation(activation)
    for value, label in ((depth, "depth"), (width, "width"), (batch, "batch")):
        check_int(value, label)
    check_int(seed, "seed", minimum=0)
    if init not in INIT_SCHEMES:
        raise ValueError(f"init must be one of {INIT_SCHEMES}, got {init!r}")
    if dropout is not None and dropout not in DROPOUT_KINDS:
        raise ValueError(f"dropout must be None or one of {DROPOUT_KINDS}, got {dropout!r}")
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must be a number in [0, 1), got {rate!r}")
    generator = torch.Generator().manual_seed(int(seed))
    blocks = []
    with seeded(seed, dtype):
        for _ in range(depth):
            layers = [nn.Linear(width, width, bias=False), record.module()]
            if dropout == "dropout":
                layers.append(nn.Dropout(rate))
            elif dropout == "alpha_dropout":
                layers.append(nn.AlphaDropout(rate))
            blocks.append(nn.Sequential(*layers))
        model = nn.Sequential(*blocks)
        initialize_(model, init, gain=gain, generator=generator)
        x = torch.randn(batch, width, generator=generator)
        model.train()
        means, variances = [], []
        for block in model:
            x = block(x)
            means.append(float(x.mean()))
            variances.append(float(x.var(unbiased=False)))
    return SignalTrace(np.array(means), np.array(variances))
