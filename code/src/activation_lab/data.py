"""Small data sets that ship with a package or are generated: nothing is downloaded.

Classification sets come back as a :class:`Dataset` of floating inputs (in
:func:`~activation_lab.reproducibility.get_dtype`, float64 unless changed) and int64
labels, already split into training and validation parts and standardized with
the training part's statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits, make_moons

from .functions._checks import check_real
from ._shared import check_int
from .reproducibility import _check_dtype, get_dtype

__all__ = ["Dataset", "xor_data", "moons_data", "digits_data", "sine_data"]


@dataclass(frozen=True)
class Dataset:
    """Training and validation tensors. ``x_*`` are floating (the package dtype), ``y_*`` int64 labels.

    The data-set functions below build it already split and standardized; it is
    frozen, so the four tensors cannot be swapped for others after construction.

    Attributes:
        x_train: training inputs, shape ``(n_train, n_features)``.
        y_train: training labels, shape ``(n_train,)``, values ``0 .. n_classes - 1``.
        x_val: validation inputs, shape ``(n_val, n_features)``.
        y_val: validation labels, shape ``(n_val,)``.

    Example:
        >>> from activation_lab.data import xor_data
        >>> data = xor_data(n=8)
        >>> data.x_train.shape, data.x_train.dtype, data.y_train.dtype
        (torch.Size([4, 2]), torch.float64, torch.int64)
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor

    @property
    def n_features(self) -> int:
        """The number of input features, the width of ``x_train``.

        Returns:
            An int.

        Example:
            >>> from activation_lab.data import digits_data
            >>> digits_data().n_features
            64
        """
        return int(self.x_train.shape[1])

    @property
    def n_classes(self) -> int:
        """The number of classes: one more than the largest label of either split.

        Returns:
            An int.

        Example:
            >>> from activation_lab.data import digits_data
            >>> digits_data().n_classes
            10
        """
        return int(max(self.y_train.max().item(), self.y_val.max().item())) + 1


def _check_count(n, name: str = "n", minimum: int = 4) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}")
    if n < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {n}")
    return int(n)


def _check_fraction(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value}")
    return float(value)


def _check_noise(noise) -> float:
    if isinstance(noise, bool) or not isinstance(noise, (int, float)):
        raise TypeError(f"noise must be a number, got {type(noise).__name__}")
    if noise < 0:
        raise ValueError(f"noise must be non-negative, got {noise}")
    return float(noise)


def _resolve_dtype(dtype) -> torch.dtype:
    return get_dtype() if dtype is None else _check_dtype(dtype)


def _split(x: np.ndarray, y: np.ndarray, val_fraction: float, rng: np.random.Generator,
           dtype: torch.dtype) -> Dataset:
    order = rng.permutation(len(x))
    # At least one point on each side, whatever the rounding of a tiny data set.
    n_val = min(max(1, int(round(val_fraction * len(x)))), len(x) - 1)
    val, train = order[:n_val], order[n_val:]
    mean = x[train].mean(axis=0)
    std = x[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)  # constant pixels in digits stay 0, not NaN
    scale = lambda a: torch.from_numpy((a - mean) / std).to(dtype)  # noqa: E731
    label = torch.from_numpy(y.astype(np.int64))
    return Dataset(scale(x[train]), label[train], scale(x[val]), label[val])


def xor_data(n: int = 400, noise: float = 0.3, val_fraction: float = 0.5, seed: int = 0,
             dtype: torch.dtype | None = None) -> Dataset:
    """Four Gaussian clusters at (+-1, +-1); the label is 1 where the two signs differ.

    No straight line separates the classes: the smallest problem a linear model fails.
    ``dtype=None`` uses the package's dtype, as do the other data sets.

    Args:
        n: the number of points, at least 4 (default 400); each picks a corner at random.
        noise: the standard deviation of the Gaussian around each corner (default 0.3).
        val_fraction: the share of points held out for validation, strictly
            between 0 and 1 (default 0.5); at least one point lands on each side.
        seed: seeds the points and the split (default 0), so a seed gives the
            same data set every time.
        dtype: ``torch.float32``, ``torch.float64`` or ``None`` (default) for
            :func:`~activation_lab.reproducibility.get_dtype`.

    Returns:
        A :class:`Dataset` with 2 features and 2 classes, standardized with the
        training part's mean and standard deviation.

    Example:
        >>> import torch
        >>> from activation_lab.data import xor_data
        >>> data = xor_data(n=400, seed=0)
        >>> data.x_train.shape, data.x_val.shape, data.n_classes
        (torch.Size([200, 2]), torch.Size([200, 2]), 2)
        >>> torch.equal(data.x_train, xor_data(n=400, seed=0).x_train)
        True
    """
    n = _check_count(n)
    noise = _check_noise(noise)
    val_fraction = _check_fraction(val_fraction, "val_fraction")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    corners = rng.choice([-1.0, 1.0], size=(n, 2))
    x = corners + noise * rng.standard_normal((n, 2))
    y = (corners[:, 0] != corners[:, 1]).astype(np.int64)
    return _split(x, y, val_fraction, rng, _resolve_dtype(dtype))


def moons_data(n: int = 400, noise: float = 0.2, val_fraction: float = 0.5, seed: int = 0,
               dtype: torch.dtype | None = None) -> Dataset:
    """Two interleaving half circles (scikit-learn's ``make_moons``), standardized.

    Args:
        n: the number of points, at least 4 (default 400), half on each moon
            (class 0 gets one fewer when ``n`` is odd).
        noise: the standard deviation of the Gaussian noise added (default 0.2).
        val_fraction: the share of points held out for validation, strictly
            between 0 and 1 (default 0.5).
        seed: seeds the points and the split (default 0).
        dtype: ``torch.float32``, ``torch.float64`` or ``None`` (default) for
            :func:`~activation_lab.reproducibility.get_dtype`.

    Returns:
        A :class:`Dataset` with 2 features and 2 classes.

    Example:
        >>> from activation_lab.data import moons_data
        >>> data = moons_data(n=100, seed=0)
        >>> data.x_train.shape, data.x_val.shape, data.n_classes
        (torch.Size([50, 2]), torch.Size([50, 2]), 2)
    """
    n = _check_count(n)
    noise = _check_noise(noise)
    val_fraction = _check_fraction(val_fraction, "val_fraction")
    seed = check_int(seed, "seed", minimum=0)
    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return _split(x, y, val_fraction, np.random.default_rng(seed), _resolve_dtype(dtype))


def digits_data(val_fraction: float = 0.25, seed: int = 0, dtype: torch.dtype | None = None) -> Dataset:
    """The 1,797 8x8 handwritten digits that ship with scikit-learn, 64 standardized pixels, 10 classes.

    Nothing is downloaded. Pixels that are constant in the training part stay 0
    after standardizing instead of becoming NaN.

    Args:
        val_fraction: the share of images held out for validation, strictly
            between 0 and 1 (default 0.25).
        seed: seeds the split (default 0).
        dtype: ``torch.float32``, ``torch.float64`` or ``None`` (default) for
            :func:`~activation_lab.reproducibility.get_dtype`.

    Returns:
        A :class:`Dataset` with 64 features (flat pixel rows) and 10 classes.

    Example:
        >>> from activation_lab.data import digits_data
        >>> data = digits_data()
        >>> data.x_train.shape, data.x_val.shape, data.n_classes
        (torch.Size([1348, 64]), torch.Size([449, 64]), 10)
    """
    val_fraction = _check_fraction(val_fraction, "val_fraction")
    bunch = load_digits()
    return _split(bunch.data.astype(np.float64), bunch.target, val_fraction,
                  np.random.default_rng(check_int(seed, "seed", minimum=0)),
                  _resolve_dtype(dtype))


def sine_data(n: int = 200, low: float = -np.pi, high: float = np.pi,
              dtype: torch.dtype | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    r"""``n`` evenly spaced points of :math:`\sin` on ``[low, high]`` as column tensors ``(x, y)``.

    A regression target, not a :class:`Dataset`: there is no split and no
    standardizing. Both ends are included.

    Args:
        n: the number of points, at least 2 (default 200).
        low: the first point (default :math:`-\pi`).
        high: the last point (default :math:`\pi`), greater than ``low``.
        dtype: ``torch.float32``, ``torch.float64`` or ``None`` (default) for
            :func:`~activation_lab.reproducibility.get_dtype`.

    Returns:
        A pair of tensors ``(x, sin(x))``, each of shape ``(n, 1)``.

    Example:
        >>> import numpy as np
        >>> from activation_lab.data import sine_data
        >>> x, y = sine_data(n=3, low=0.0, high=np.pi / 2)
        >>> x.shape, [round(value, 4) for value in y.flatten().tolist()]
        (torch.Size([3, 1]), [0.0, 0.7071, 1.0])
    """
    n = _check_count(n, minimum=2)
    low, high = check_real(low, "low"), check_real(high, "high")
    if not low < high:
        raise ValueError(f"low must be less than high, got low={low}, high={high}")
    x = np.linspace(low, high, n, dtype=np.float64)
    dtype = _resolve_dtype(dtype)
    to_column = lambda a: torch.from_numpy(a).to(dtype).reshape(-1, 1)  # noqa: E731
    return to_column(x), to_column(np.sin(x))
