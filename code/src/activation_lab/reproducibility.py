"""Same numbers on every run and on every x86-64 machine: seeds, threads and one dtype.

Seeds and a fixed thread count make a run repeat on one machine. They are not enough
across machines: float32 kernels differ between CPUs (SIMD width; MKL, oneDNN and
OpenBLAS code paths; NumPy's dispatch), and training amplifies last-bit differences.
Measured on a ReLU MLP ``[64, 64, 64, 64, 10]`` trained on digits for 6 epochs, 3 seeds,
under three kernel configurations of one machine: in float32 the validation accuracy
differed by up to 0.016 (Adam, lr 0.02) and up to 0.20 (SGD, lr 1); in float64 the
configurations agreed to 4 decimals on accuracy and to 5 significant digits on the
training loss, and the run took the same time. So :mod:`activation_lab` builds data and
networks in one dtype, float64 unless a lesson is about float32 itself.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import torch

__all__ = ["reproducible", "get_dtype", "set_dtype", "building_in", "DEFAULT_DTYPE"]

DEFAULT_DTYPE = torch.float64
"""The dtype experiments train and propagate signals in, unless told otherwise."""

_FLOATING = (torch.float32, torch.float64)
_dtype = DEFAULT_DTYPE


def _check_dtype(dtype) -> torch.dtype:
    if not isinstance(dtype, torch.dtype):
        raise TypeError(f"dtype must be torch.float32 or torch.float64, got {type(dtype).__name__}")
    if dtype not in _FLOATING:
        raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype}")
    return dtype


def get_dtype() -> torch.dtype:
    """The dtype that data sets, :func:`~activation_lab.networks.make_mlp` and the runners use.

    Returns:
        ``torch.float64`` (:data:`DEFAULT_DTYPE`) unless :func:`set_dtype` or
        :func:`reproducible` changed it.

    Example:
        >>> from activation_lab.reproducibility import get_dtype
        >>> get_dtype()
        torch.float64
    """
    return _dtype


def set_dtype(dtype: torch.dtype) -> torch.dtype:
    """Make ``dtype`` the package's dtype and PyTorch's default; return the previous package dtype.

    PyTorch's default matters for tensors and layers a notebook creates itself
    (``torch.randn``, ``nn.Linear``), so that they match the package's.

    Args:
        dtype: ``torch.float32`` or ``torch.float64``.

    Returns:
        The package's dtype before the call (not PyTorch's previous default).

    Raises:
        TypeError: if ``dtype`` is not a ``torch.dtype``.
        ValueError: for any other dtype than float32 or float64.

    Example:
        >>> import torch
        >>> from activation_lab.reproducibility import get_dtype, set_dtype
        >>> torch_default = torch.get_default_dtype()
        >>> previous = set_dtype(torch.float32)
        >>> previous, get_dtype(), torch.get_default_dtype()
        (torch.float64, torch.float32, torch.float32)
        >>> _ = set_dtype(previous)  # put both settings back
        >>> torch.set_default_dtype(torch_default)
    """
    global _dtype
    dtype = _check_dtype(dtype)
    previous, _dtype = _dtype, dtype
    torch.set_default_dtype(dtype)
    return previous


@contextmanager
def building_in(dtype: torch.dtype | None = None) -> Iterator[torch.dtype]:
    """Within the block, PyTorch's default dtype is ``dtype`` (``None``: the package's); restored after.

    Layers built inside draw their initial weights directly in that dtype, so a
    seeded network is the same whatever the default was before. The package's
    own dtype (:func:`get_dtype`) does not change.

    Args:
        dtype: ``torch.float32``, ``torch.float64`` or ``None`` (default) for
            :func:`get_dtype`.

    Yields:
        The dtype in force inside the block.

    Example:
        >>> import torch
        >>> from activation_lab.reproducibility import building_in
        >>> before = torch.get_default_dtype()
        >>> with building_in(torch.float32) as dtype:
        ...     layer = torch.nn.Linear(2, 1)
        >>> dtype, layer.weight.dtype, torch.get_default_dtype() == before
        (torch.float32, torch.float32, True)
    """
    dtype = get_dtype() if dtype is None else _check_dtype(dtype)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        yield dtype
    finally:
        torch.set_default_dtype(previous)


def reproducible(seed: int = 0, threads: int = 1, dtype: torch.dtype | None = None) -> np.random.Generator:
    """Seed Python, NumPy and PyTorch, fix PyTorch's CPU thread count and the dtype.

    A fixed thread count matters as much as the seed: a parallel reduction adds
    floating-point numbers in a different order with a different number of
    threads, and the last digits change.

    Args:
        seed: an integer in [0, 2**32) (default 0).
        threads: number of intra-op threads PyTorch may use (default 1).
        dtype: ``torch.float32`` or ``torch.float64``; ``None`` keeps the package's
            (float64 unless :func:`set_dtype` changed it). It becomes PyTorch's default too.

    Returns:
        A NumPy ``Generator`` seeded with ``seed``, for code that takes one.

    Raises:
        TypeError: if ``seed`` or ``threads`` is not an int, or ``dtype`` not a dtype.
        ValueError: if ``seed`` is outside [0, 2**32), ``threads`` below 1, or
            ``dtype`` neither float32 nor float64.

    Example:
        >>> import torch
        >>> from activation_lab import reproducible
        >>> threads, torch_default = torch.get_num_threads(), torch.get_default_dtype()
        >>> rng = reproducible(seed=1)
        >>> first = (rng.random(), torch.rand(1).item())
        >>> rng = reproducible(seed=1)
        >>> first == (rng.random(), torch.rand(1).item())
        True
        >>> torch.get_num_threads(), torch.get_default_dtype()
        (1, torch.float64)
        >>> torch.set_num_threads(threads)  # put back what the example changed
        >>> torch.set_default_dtype(torch_default)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32) (NumPy's legacy seed range), got {seed}")
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)):
        raise TypeError(f"threads must be an int, got {type(threads).__name__}")
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    set_dtype(get_dtype() if dtype is None else dtype)
    seed, threads = int(seed), int(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    return np.random.default_rng(seed)
