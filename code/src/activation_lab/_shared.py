"""What several modules of the package share: argument checks, model state, seeded construction, losses.

Private: the public functions call these so that each check and each piece of
bookkeeping is written once and fails with the same message everywhere.
"""

from __future__ import annotations

import math
import numbers
from contextlib import contextmanager
from typing import Iterator, Sequence

import torch
from torch import nn

from .registry import ACTIVATIONS, get_activation
from .reproducibility import building_in

LOSSES = ("cross_entropy", "mse")
"""Loss functions by name, as in ``torch.nn.functional``."""


def check_model(model) -> nn.Module:
    """Return ``model`` if it is a ``torch.nn.Module``, else raise ``TypeError``."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def check_batch(x, name: str = "x") -> torch.Tensor:
    """Return ``x`` if it is a tensor with a non-empty first (batch) dimension."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if x.ndim == 0 or x.shape[0] == 0:
        raise ValueError(f"{name} must hold a non-empty batch along its first dimension, got shape {tuple(x.shape)}")
    return x


def check_int(value, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int if it is an integer (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def check_number(value, name: str, *, low: float = -math.inf, high: float = math.inf,
                 low_open: bool = False, high_open: bool = False) -> float:
    """Return ``value`` as a float if it is a real number (not a bool) in the given interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if math.isnan(value) or too_low or too_high:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return value


def check_seeds(seeds) -> list[int]:
    """Return ``seeds`` as a list if it is a non-empty sequence of ints."""
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence):
        raise TypeError(f"seeds must be a sequence of ints, got {type(seeds).__name__}")
    if len(seeds) == 0:
        raise ValueError("seeds must not be empty")
    return [check_int(seed, "each seed", minimum=0) for seed in seeds]


def check_builder(build_model, signature: str = "a seed") -> None:
    """Raise ``TypeError`` unless ``build_model`` is a function (a module instance is not one)."""
    if isinstance(build_model, nn.Module) or not callable(build_model):
        raise TypeError(f"build_model must be a function taking {signature} and returning a new model, "
                        f"got {type(build_model).__name__}")


def check_names(names, *, elementwise: bool = False) -> list[str]:
    """Return ``names`` (registry names, none repeated) as a list; ``None``: every record
    (every elementwise one with ``elementwise=True``)."""
    if names is None:
        return [name for name, record in ACTIVATIONS.items() if record.elementwise or not elementwise]
    if isinstance(names, (str, bytes)) or not isinstance(names, Sequence):
        raise TypeError(f"names must be a sequence of registry names, got {type(names).__name__}")
    if len(names) == 0:
        raise ValueError("names must not be empty")
    if len(set(names)) != len(names):
        raise ValueError(f"names must not repeat, got {list(names)}")
    for name in names:
        record = get_activation(name)
        if elementwise and not record.elementwise:
            raise ValueError(f"{name!r} is not elementwise, so it has no row in the comparison table")
    return list(names)


def loss_function(name: str) -> nn.Module:
    """The ``torch.nn`` loss module for a name in :data:`LOSSES`."""
    if name == "cross_entropy":
        return nn.CrossEntropyLoss()
    if name == "mse":
        return nn.MSELoss()
    raise ValueError(f"loss must be one of {LOSSES}, got {name!r}")


@contextmanager
def model_mode(model: nn.Module, training: bool | None) -> Iterator[nn.Module]:
    """Run a block with ``model`` in train (True) or eval (False) mode, or its own (None);
    afterwards every submodule gets back its own mode (a frozen batch norm stays in eval)."""
    modes = [(module, module.training) for module in model.modules()]
    if training is not None:
        model.train(training)
    try:
        yield model
    finally:
        for module, mode in modes:
            module.training = mode


@contextmanager
def untouched(model: nn.Module, training: bool | None = None) -> Iterator[nn.Module]:
    """:func:`model_mode`, and also buffers (batch-norm running statistics) and PyTorch's global
    random state put back afterwards: what a probe needs to leave no trace."""
    buffers = [(buffer, buffer.detach().clone()) for buffer in model.buffers()]
    with torch.random.fork_rng(devices=[]), model_mode(model, training):
        try:
            yield model
        finally:
            with torch.no_grad():
                for buffer, saved in buffers:
                    buffer.copy_(saved)


@contextmanager
def seeded(seed: int | None, dtype: torch.dtype | None = None) -> Iterator[None]:
    """Build inside: PyTorch's global generator seeded with ``seed`` (and restored afterwards;
    ``None`` leaves it alone) and default dtype ``dtype`` (``None``: the package's)."""
    with torch.random.fork_rng(enabled=seed is not None, devices=[]), building_in(dtype):
        if seed is not None:
            torch.manual_seed(int(seed))
        yield
