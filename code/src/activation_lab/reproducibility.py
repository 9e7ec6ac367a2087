"""One call that makes a notebook print the same numbers on every run."""

from __future__ import annotations

import random

import numpy as np
import torch

__all__ = ["reproducible"]


def reproducible(seed: int = 0, threads: int = 1) -> np.random.Generator:
    """Seed Python, NumPy and PyTorch, and fix PyTorch's CPU thread count.

    A fixed thread count matters as much as the seed: a parallel reduction adds
    floating-point numbers in a different order with a different number of
    threads, and the last digits change.

    Args:
        seed: an integer in [0, 2**32).
        threads: number of intra-op threads PyTorch may use.

    Returns:
        A NumPy ``Generator`` seeded with ``seed``, for code that takes one.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2**32) (NumPy's legacy seed range), got {seed}")
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)):
        raise TypeError(f"threads must be an int, got {type(threads).__name__}")
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    seed, threads = int(seed), int(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    return np.random.default_rng(seed)
