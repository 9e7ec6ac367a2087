"""What several test files need: hand-built layers, seeded inputs, and checks that a model was left as it was."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def linear(weight, bias=None) -> nn.Linear:
    """An ``nn.Linear`` (in PyTorch's default dtype) with the given weight (out x in) and bias (zeros if None)."""
    weight = torch.as_tensor(np.asarray(weight, dtype=np.float64))
    layer = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(torch.zeros(weight.shape[0]) if bias is None else torch.as_tensor(np.asarray(bias, dtype=np.float64)))
    return layer


def inputs(n: int = 50, features: int = 3, seed: int = 0) -> torch.Tensor:
    """``n`` standard normal rows of ``features`` values, from a generator of their own."""
    return torch.randn(n, features, generator=torch.Generator().manual_seed(seed))


def hooks_left(model: nn.Module) -> int:
    """How many forward, forward-pre and backward hooks the model's modules still hold."""
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks) for m in model.modules())


def state(model: nn.Module) -> dict[str, torch.Tensor]:
    """A copy of every parameter and buffer, to compare with :func:`unchanged` afterwards."""
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


def unchanged(model: nn.Module, before: dict[str, torch.Tensor]) -> bool:
    """True when every parameter and buffer of ``model`` equals its copy in ``before``."""
    now = model.state_dict()
    return now.keys() == before.keys() and all(torch.equal(now[name], value) for name, value in before.items())
