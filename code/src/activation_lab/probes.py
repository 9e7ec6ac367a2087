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

from ._shared import LOSSES, check_batch, check_builder, check_int, check_model, check_seeds, loss_function, seeded, untouched
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
    """What one activation layer did on a batch.

    ``pre`` and ``post`` are the layer's inputs and outputs as NumPy arrays
    (batch x units); ``kind`` is the module's class name, e.g. ``"Tanh"``.
    """

    index: int
    kind: str
    pre: np.ndarray
    post: np.ndarray

    @property
    def mean(self) -> float:
        """Mean of the outputs over batch and units."""
        return float(self.post.mean())

    @property
    def std(self) -> float:
        """Standard deviation of the outputs over batch and units."""
        return float(self.post.std())

    @property
    def zero_fraction(self) -> float:
        """Fraction of outputs that are exactly 0.0: ReLU's sparsity."""
        return float(np.mean(self.post == 0.0))

    @property
    def saturated_fraction(self) -> float:
        """Fraction of outputs within 0.03 of an asymptote: |tanh| > 0.97, sigmoid < 0.03 or > 0.97.

        NaN for every other kind of activation (they do not saturate on both sides).
        """
        return _saturated(self.kind, self.post, SATURATION_THRESHOLD)


def activation_modules(model: nn.Module) -> list[nn.Module]:
    """The activation modules of ``model`` (instances of
    :data:`~activation_lab.registry.ACTIVATION_TYPES`), in the order ``model.modules()`` visits them."""
    return [module for module in check_model(model).modules() if isinstance(module, ACTIVATION_TYPES)]


def activation_stats(model: nn.Module, x: torch.Tensor, *, training: bool = False) -> list[LayerStats]:
    """Run ``x`` through ``model`` and record each activation layer's inputs and outputs.

    Hooks are attached for this one pass and removed afterwards; the input is
    copied before the layer runs, so an in-place activation still reports its true
    input. The pass runs in eval mode unless ``training=True`` (which matters for
    batch norm, whose running statistics are restored afterwards).
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
    """Per activation layer, the fraction of outputs on ``x`` closer than ``1 - threshold`` to an asymptote.

    Tanh: :math:`|f| > t`; sigmoid: :math:`f < 1 - t` or :math:`f > t`; NaN for
    other activations. One forward pass in eval mode via :func:`activation_stats`.
    """
    threshold = _check_threshold(threshold)
    return np.array([_saturated(s.kind, s.post, threshold) for s in activation_stats(model, x)])


GRADIENT_TARGETS = ("weights", "outputs")


def _norm(tensor: torch.Tensor) -> float:
    # in float64: squaring float32 entries below about 1e-19 underflows to 0, and vanishing gradients get there
    return float(tensor.detach().double().norm())


def gradient_norms_by_layer(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                            loss: str = "cross_entropy", *, of: str = "weights") -> np.ndarray:
    """The gradient's L2 norm at each linear layer, input side first.

    ``of="weights"``: :math:`\\|\\partial \\mathcal{L} / \\partial W^{(\\ell)}\\|` (Frobenius), what an update uses.
    ``of="outputs"``: :math:`\\|\\delta^{(\\ell)}\\| = \\|\\partial \\mathcal{L} / \\partial z^{(\\ell)}\\|` with
    :math:`z^{(\\ell)} = W^{(\\ell)} h^{(\\ell-1)} + b^{(\\ell)}`,
    the signal backpropagation carries down. One forward and backward pass on
    ``(x, y)`` in the model's current mode, even inside ``torch.no_grad()``; ``.grad``
    values and buffers are restored. A layer the loss does not reach reports NaN.
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
    """A ``(len(seeds), layers)`` array: row ``i`` is :func:`gradient_norms_by_layer` of ``build_model(seeds[i])``.

    The rows are what :func:`plot_mean_spread` expects; every seed's model must
    have the same number of linear layers.
    """
    check_builder(build_model)
    check_seeds(seeds)
    rows = [gradient_norms_by_layer(build_model(seed), x, y, loss, of=of) for seed in seeds]
    if len({len(row) for row in rows}) != 1:
        raise ValueError(f"models built for different seeds have different depths: {[len(r) for r in rows]}")
    return np.stack(rows)


def weight_snapshot(model: nn.Module) -> list[torch.Tensor]:
    """Copies of each linear layer's weight, to compare with after some training steps."""
    return [layer.weight.detach().clone() for layer in linear_layers(model)]


def update_ratios(before: Sequence[torch.Tensor], model: nn.Module) -> np.ndarray:
    """Per linear layer, :math:`\\|W_\\text{now} - W_\\text{before}\\| / \\|W_\\text{before}\\|`.

    How far training moved each layer, relative to its size (``before`` comes from
    :func:`weight_snapshot`). NaN for a layer whose snapshot is all zeros.
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


DROPOUT_KINDS = ("dropout", "alpha_dropout")


@dataclass(frozen=True)
class SignalTrace:
    """Mean and variance of the activations after each of ``len(mean)`` layers (index 0 is layer 1)."""

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
    r"""Push standard normal inputs through ``depth`` untrained blocks ``x -> f(W x)`` [-> dropout].

    Weights are drawn by :func:`~activation_lab.networks.initialize_` with ``init``
    and ``gain`` (``"lecun"``: :math:`\mathrm{std} = 1/\sqrt{\text{width}}`), with no biases.
    ``dropout`` adds ``nn.Dropout`` or ``nn.AlphaDropout`` at ``rate`` after each
    activation, active as in training. Returns the mean and variance over all
    units and inputs after each block, computed in ``dtype`` (``None``: the package's).
    """
    record = get_activation(activation)
    for value, label in ((depth, "depth"), (width, "width"), (batch, "batch")):
        check_int(value, label)
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
