"""What several modules of the package share: argument checks, model state, seeded construction, losses.

Private: the public functions call these so that each check and each piece of
bookkeeping is written once and fails with the same message everywhere.
"""

from __future__ import annotations

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
    r"""Return ``model`` unchanged if it is a ``torch.nn.Module``, else raise ``TypeError``.

    Args:
        model: the object to check.

    Returns:
        ``model`` itself.

    Example:
        >>> from torch import nn
        >>> from activation_lab._shared import check_model
        >>> layer = nn.Linear(2, 3)
        >>> check_model(layer) is layer
        True
        >>> check_model("a model")
        Traceback (most recent call last):
            ...
        TypeError: model must be a torch.nn.Module, got str
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def check_batch(x, name: str = "x") -> torch.Tensor:
    r"""Return ``x`` unchanged if it is a tensor with a non-empty first (batch) dimension.

    Args:
        x: the tensor to check.
        name: the argument's name in the error message (default ``"x"``).

    Returns:
        ``x`` itself.

    Raises:
        TypeError: ``x`` is not a ``torch.Tensor``.
        ValueError: ``x`` is 0-d or holds no example along its first dimension.

    Shape:
        - x: ``(batch, ...)`` with ``batch >= 1``.

    Example:
        >>> import torch
        >>> from activation_lab._shared import check_batch
        >>> check_batch(torch.zeros(3, 2)).shape
        torch.Size([3, 2])
        >>> check_batch(torch.zeros(0, 2), "y")
        Traceback (most recent call last):
            ...
        ValueError: y must hold a non-empty batch along its first dimension, got shape (0, 2)
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if x.ndim == 0 or x.shape[0] == 0:
        raise ValueError(f"{name} must hold a non-empty batch along its first dimension, got shape {tuple(x.shape)}")
    return x


def check_int(value, name: str, *, minimum: int = 1) -> int:
    r"""Return ``value`` as an ``int`` if it is an integer (not a bool) of at least ``minimum``.

    Args:
        value: the number to check; NumPy integers pass too.
        name: the argument's name in the error message.
        minimum: the smallest value allowed (default 1).

    Returns:
        ``value`` as a Python ``int``.

    Raises:
        TypeError: ``value`` is a bool or not an integer.
        ValueError: ``value`` is below ``minimum``.

    Example:
        >>> import numpy as np
        >>> from activation_lab._shared import check_int
        >>> check_int(np.int64(3), "width")
        3
        >>> check_int(0, "seed", minimum=0)
        0
        >>> check_int(0, "width")
        Traceback (most recent call last):
            ...
        ValueError: width must be at least 1, got 0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def check_seeds(seeds) -> list[int]:
    r"""Return ``seeds`` as a list if it is a non-empty sequence of non-negative ints.

    Args:
        seeds: a list, tuple or range of seeds (a string is refused).

    Returns:
        The seeds as a list of Python ``int``.

    Raises:
        TypeError: ``seeds`` is not a sequence, or a seed is not an int.
        ValueError: ``seeds`` is empty, or a seed is negative.

    Example:
        >>> from activation_lab._shared import check_seeds
        >>> check_seeds(range(3))
        [0, 1, 2]
        >>> check_seeds([])
        Traceback (most recent call last):
            ...
        ValueError: seeds must not be empty
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence):
        raise TypeError(f"seeds must be a sequence of ints, got {type(seeds).__name__}")
    if len(seeds) == 0:
        raise ValueError("seeds must not be empty")
    return [check_int(seed, "each seed", minimum=0) for seed in seeds]


def check_builder(build_model, signature: str = "a seed") -> None:
    r"""Raise ``TypeError`` unless ``build_model`` is a function (a module instance is not one).

    A model instance is callable too, but calling it runs a forward pass instead
    of building a fresh network, so it is refused by name.

    Args:
        build_model: the builder to check.
        signature: what the builder takes, for the error message (default ``"a seed"``).

    Returns:
        ``None``.

    Example:
        >>> from torch import nn
        >>> from activation_lab._shared import check_builder
        >>> check_builder(lambda seed: nn.Linear(2, 2))
        >>> check_builder(nn.Linear(2, 2))
        Traceback (most recent call last):
            ...
        TypeError: build_model must be a function taking a seed and returning a new model, got Linear
    """
    if isinstance(build_model, nn.Module) or not callable(build_model):
        raise TypeError(f"build_model must be a function taking {signature} and returning a new model, "
                        f"got {type(build_model).__name__}")


def check_names(names, *, elementwise: bool = False) -> list[str]:
    r"""Return ``names`` (registry names, none repeated) as a list.

    Args:
        names: a sequence of names in :data:`~activation_lab.registry.ACTIVATIONS`,
            or ``None`` for every record, in the registry's order.
        elementwise: refuse (or, with ``names=None``, leave out) the records that are
            not elementwise, such as softmax (default ``False``).

    Returns:
        The names as a list.

    Raises:
        TypeError: ``names`` is a string or not a sequence.
        ValueError: ``names`` is empty, repeats a name, or names a record that
            ``elementwise=True`` refuses; an unknown name fails in
            :func:`~activation_lab.registry.get_activation`.

    Example:
        >>> import activation_lab as al
        >>> from activation_lab._shared import check_names
        >>> check_names(("relu", "tanh"))
        ['relu', 'tanh']
        >>> len(check_names(None)) == len(al.ACTIVATIONS)
        True
        >>> "softmax" in check_names(None, elementwise=True)
        False
        >>> check_names(["relu", "relu"])
        Traceback (most recent call last):
            ...
        ValueError: names must not repeat, got ['relu', 'relu']
    """
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
    r"""The ``torch.nn`` loss module for a name in :data:`LOSSES`.

    Args:
        name: ``"cross_entropy"`` (``nn.CrossEntropyLoss``) or ``"mse"`` (``nn.MSELoss``).

    Returns:
        A new loss module with PyTorch's defaults (mean over the batch).

    Example:
        >>> from activation_lab._shared import loss_function
        >>> loss_function("cross_entropy")
        CrossEntropyLoss()
        >>> loss_function("hinge")
        Traceback (most recent call last):
            ...
        ValueError: loss must be one of ('cross_entropy', 'mse'), got 'hinge'
    """
    if name == "cross_entropy":
        return nn.CrossEntropyLoss()
    if name == "mse":
        return nn.MSELoss()
    raise ValueError(f"loss must be one of {LOSSES}, got {name!r}")


@contextmanager
def model_mode(model: nn.Module, training: bool | None) -> Iterator[nn.Module]:
    r"""Run a block with ``model`` in train (``True``) or eval (``False``) mode, or its own (``None``).

    Afterwards every submodule gets back its own mode, so a batch norm frozen in
    eval mode inside a training model stays in eval mode.

    Args:
        model: the model whose mode the block sets.
        training: the mode for the block; ``None`` leaves the model's modes as they are.

    Returns:
        A context manager that yields ``model``.

    Example:
        >>> from torch import nn
        >>> from activation_lab._shared import model_mode
        >>> model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        >>> _ = model[1].eval()
        >>> with model_mode(model, training=True):
        ...     print(model.training, model[1].training)
        True True
        >>> model.training, model[1].training
        (True, False)
    """
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
    r"""Run a block as :func:`model_mode` does, and also put back buffers and PyTorch's global random state.

    Buffers are batch-norm running statistics and the like; together with the
    modes and the random state, that is what a probe needs to leave no trace.
    Parameters and their ``.grad`` are not saved: the caller leaves those alone
    or restores them itself.

    Args:
        model: the model to restore afterwards.
        training: the mode for the block; ``None`` (default) leaves the modes as they are.

    Returns:
        A context manager that yields ``model``.

    Example:
        >>> import torch
        >>> from torch import nn
        >>> from activation_lab._shared import untouched
        >>> norm = nn.BatchNorm1d(2)
        >>> state = torch.random.get_rng_state()
        >>> with untouched(norm, training=True):
        ...     _ = norm(torch.randn(4, 2))
        >>> norm.running_mean
        tensor([0., 0.])
        >>> torch.equal(torch.random.get_rng_state(), state)
        True
    """
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
    r"""Run a block that builds layers with PyTorch's global generator seeded and a chosen default dtype.

    The generator's state before the block is restored afterwards, and so is
    the default dtype.

    Args:
        seed: seeds PyTorch's global generator for the block; ``None`` leaves it alone.
        dtype: the default dtype inside the block; ``None`` uses the package's
            (see :func:`~activation_lab.reproducibility.get_dtype`).

    Returns:
        A context manager that yields ``None``.

    Example:
        >>> import torch
        >>> from activation_lab._shared import seeded
        >>> with seeded(0):
        ...     first = torch.rand(2)
        >>> with seeded(0):
        ...     second = torch.rand(2)
        >>> torch.equal(first, second), first.dtype
        (True, torch.float64)
        >>> with seeded(None, torch.float32):
        ...     print(torch.get_default_dtype())
        torch.float32
    """
    with torch.random.fork_rng(enabled=seed is not None, devices=[]), building_in(dtype):
        if seed is not None:
            torch.manual_seed(int(seed))
        yield
