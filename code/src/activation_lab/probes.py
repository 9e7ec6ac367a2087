"""Probes that look inside a network without changing it: per-layer activations and gradients.

Every probe leaves the model as it found it: hooks are removed, train/eval mode
restored, existing ``.grad`` values put back, and no parameter is updated.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .networks import linear_layers

__all__ = [
    "ACTIVATION_TYPES",
    "LayerStats",
    "activation_modules",
    "activation_stats",
    "gradient_norms_by_layer",
    "weight_snapshot",
    "update_ratios",
]

ACTIVATION_TYPES = (
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU,
    nn.Softplus, nn.Mish, nn.Hardtanh, nn.Hardswish, nn.Sigmoid, nn.Tanh,
)
"""The module classes a probe treats as hidden-layer activations."""

SATURATION_THRESHOLD = 0.97  # Glorot & Bengio (2010) count a unit saturated this close to an asymptote


@dataclass(frozen=True)
class LayerStats:
    """What one activation layer did on a batch.

    ``pre`` and ``post`` are the layer's inputs and outputs as NumPy arrays
    (batch x units); ``saturated_fraction`` is NaN for activations that do not
    saturate on both sides.
    """

    index: int
    kind: str
    pre: np.ndarray
    post: np.ndarray

    @property
    def mean(self) -> float:
        return float(self.post.mean())

    @property
    def std(self) -> float:
        return float(self.post.std())

    @property
    def zero_fraction(self) -> float:
        """Fraction of outputs that are exactly 0.0: ReLU's sparsity."""
        return float(np.mean(self.post == 0.0))

    @property
    def saturated_fraction(self) -> float:
        """Fraction of outputs within 0.03 of an asymptote: |tanh| > 0.97, sigmoid < 0.03 or > 0.97."""
        if self.kind == "Tanh":
            return float(np.mean(np.abs(self.post) > SATURATION_THRESHOLD))
        if self.kind == "Sigmoid":
            low, high = 1.0 - SATURATION_THRESHOLD, SATURATION_THRESHOLD
            return float(np.mean((self.post < low) | (self.post > high)))
        return float("nan")


def _check_model(model) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")


def _check_batch(x, name: str = "x") -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")


def activation_modules(model: nn.Module) -> list[nn.Module]:
    """The activation modules of ``model`` (instances of :data:`ACTIVATION_TYPES`), in order."""
    _check_model(model)
    return [module for module in model.modules() if isinstance(module, ACTIVATION_TYPES)]


@contextmanager
def _mode(model: nn.Module, training: bool):
    was_training = model.training
    model.train(training)
    try:
        yield
    finally:
        model.train(was_training)


@torch.no_grad()
def activation_stats(model: nn.Module, x: torch.Tensor, *, training: bool = False) -> list[LayerStats]:
    """Run ``x`` through ``model`` and record each activation layer's inputs and outputs.

    Forward hooks are attached for this one pass and removed afterwards. The pass
    runs in eval mode unless ``training=True`` (which matters for batch norm).
    """
    _check_model(model)
    _check_batch(x)
    records: list[LayerStats] = []

    def hook(module, inputs, output):
        records.append(LayerStats(len(records), type(module).__name__,
                                  inputs[0].detach().numpy().copy(), output.detach().numpy().copy()))

    handles = [module.register_forward_hook(hook) for module in activation_modules(model)]
    try:
        with _mode(model, training):
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    return records


def gradient_norms_by_layer(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                            loss: str = "cross_entropy") -> np.ndarray:
    """L2 norm of the loss gradient with respect to each linear layer's weight, input side first.

    One forward and backward pass on ``(x, y)`` in the model's current mode; the
    parameters' previous ``.grad`` values are restored afterwards.
    """
    _check_model(model)
    _check_batch(x)
    _check_batch(y, "y")
    if loss not in ("cross_entropy", "mse"):
        raise ValueError(f"loss must be 'cross_entropy' or 'mse', got {loss!r}")
    layers = linear_layers(model)
    if not layers:
        raise ValueError("model has no nn.Linear layers to probe")
    parameters = list(model.parameters())
    saved = [None if p.grad is None else p.grad.clone() for p in parameters]
    try:
        for p in parameters:
            p.grad = None
        output = model(x)
        criterion = nn.CrossEntropyLoss() if loss == "cross_entropy" else nn.MSELoss()
        criterion(output, y).backward()
        norms = np.array([float(layer.weight.grad.norm()) for layer in layers])
    finally:
        for p, grad in zip(parameters, saved):
            p.grad = grad
    return norms


def weight_snapshot(model: nn.Module) -> list[torch.Tensor]:
    """Copies of each linear layer's weight, to compare with after some training steps."""
    return [layer.weight.detach().clone() for layer in linear_layers(model)]


def update_ratios(before: list[torch.Tensor], model: nn.Module) -> np.ndarray:
    """Per linear layer, ``||W_now - W_before|| / ||W_before||``: how far training moved it, relatively."""
    layers = linear_layers(model)
    if len(before) != len(layers):
        raise ValueError(f"before holds {len(before)} weights but the model has {len(layers)} linear layers")
    ratios = []
    for old, layer in zip(before, layers):
        if old.shape != layer.weight.shape:
            raise ValueError(f"a snapshot of shape {tuple(old.shape)} does not match a layer of shape "
                             f"{tuple(layer.weight.shape)}")
        ratios.append(float((layer.weight.detach() - old).norm() / old.norm()))
    return np.array(ratios)
