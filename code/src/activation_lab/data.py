"""Small data sets that ship with a package or are generated: nothing is downloaded.

Classification sets come back as a :class:`Dataset` of floating inputs (in
:func:`~activation_lab.reproducibility.get_dtype`, float64 unless changed) and int64
labels, already split into training and validation parts (and, on request, a test
part) and standardized with the training part's statistics.
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
    """Training, validation and optional test tensors. ``x_*`` are floating (the package dtype), ``y_*`` int64 labels.

    The data-set functions below build it already split and standardized; it is
    frozen, so the tensors cannot be swapped for others after construction. The test
    part exists only when a data-set function was asked for one (``test_fraction``):
    choose settings on the validation part, then report the test part once.

    Attributes:
        x_train: training inputs, shape ``(n_train, n_features)``.
        y_train: training labels, shape ``(n_train,)``, values ``0 .. n_classes - 1``.
        x_val: validation inputs, shape ``(n_val, n_features)``.
        y_val: validation labels, shape ``(n_val,)``.
        x_test: test inputs, shape ``(n_test, n_features)``, or ``None`` (default).
        y_test: test labels, shape ``(n_test,)``, or ``None`` (default).

    Example:
        >>> from activation_lab.data import xor_data
        >>> data = xor_data(n=8)
        >>> data.x_train.shape, data.x_train.dtype, data.y_train.dtype, data.x_test
        (torch.Size([4, 2]), torch.float64, torch.int64, None)
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    x_test: torch.Tensor | None = None
    y_test: torch.Tensor | None = None

    def __post_init__(self):
        if (self.x_test is None) != (self.y_test is None):
            raise ValueError("x_test and y_test must be given together, or neither")

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
        """The number of classes: one more than the largest label of any split.

        Returns:
            An int.

        Example:
            >>> from activation_lab.data import digits_data
            >>> digits_data().n_classes
            10
        """
        labels = [self.y_train, self.y_val] + ([] if self.y_test is None else [self.y_test])
        return int(max(y.max().item() for y in labels)) + 1


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


def _check_test_fraction(test_fraction, val_fraction: float) -> float | None:
    if test_fraction is None:
        return None
    test_fraction = _check_fraction(test_fraction, "test_fraction")
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(f"val_fraction + test_fraction must be below 1 to leave a training part, "
                         f"got {val_fraction} + {test_fraction}")
    return test_fraction


def _split(x: np.ndarray, y: np.ndarray, val_fraction: float, rng: np.random.Generator,
           dtype: torch.dtype, test_fraction: float | None = None) -> Dataset:
    order = rng.permutation(len(x))
    # At least one point on each side, whatever the rounding of a tiny data set.
    n_val = min(max(1, int(round(val_fraction * len(x)))), len(x) - 1)
    val, train = order[:n_val], order[n_val:]
    test = None
    if test_fraction is not None:
        # The test part comes out of what would have been training data, so the
        # validation part is the same images with or without it.
        n_test = max(1, int(round(test_fraction * len(x))))
        if n_test > len(train) - 1:
            raise ValueError(f"{len(x)} points leave no training point after {n_val} for validation "
                             f"and {n_test} for test")
        test, train = train[:n_test], train[n_test:]
    mean = x[train].mean(axis=0)
    std = x[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)  # constant pixels in digits stay 0, not NaN
    scale = lambda a: torch.from_numpy((a - mean) / std).to(dtype)  # noqa: E731
    label = torch.from_numpy(y.astype(np.int64))
    if test is None:
        return Dataset(scale(x[train]), label[train], scale(x[val]), label[val])
    return Dataset(scale(x[train]), label[train], scale(x[val]), label[val], scale(x[test]), label[test])


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


def digits_data(val_fraction: float = 0.25, seed: int = 0, dtype: torch.dtype | None = None, *,
                test_fraction: float | None = None) -> Dataset:
    """The 1,797 8x8 handwritten digits that ship with scikit-learn, 64 standardized pixels, 10 classes.

    Nothing is downloaded. Pixels that are constant in the training part stay 0
    after standardizing instead of becoming NaN. With ``test_fraction`` a test part
    is cut from the images that would otherwise be training data: the validation
    images stay the same, and the training part shrinks.

    Args:
        val_fraction: the share of images held out for validation, strictly
            between 0 and 1 (default 0.25).
        seed: seeds the split (default 0).
        dtype: ``torch.float32``, ``torch.float64`` or ``None`` (default) for
            :func:`~activation_lab.reproducibility.get_dtype`.
        test_fraction: the share of images held out for a final test, strictly
            between 0 and ``1 - val_fraction``; ``None`` (default) makes no test part.

    Returns:
        A :class:`Dataset` with 64 features (flat pixel rows) and 10 classes.

    Raises:
        TypeError: if a fraction is not a number or ``seed`` not an int.
        ValueError: if a fraction is outside (0, 1), the two leave no training
            part, or ``seed`` is negative.

    Example:
        >>> from activation_lab.data import digits_data
        >>> data = digits_data()
        >>> data.x_train.shape, data.x_val.shape, data.n_classes
        (torch.Size([1348, 64]), torch.Size([449, 64]), 10)
        >>> held_out = digits_data(val_fraction=0.2, test_fraction=0.2)
        >>> len(held_out.x_train), len(held_out.x_val), len(held_out.x_test)
        (1079, 359, 359)
    """
    val_fraction = _check_fraction(val_fraction, "val_fraction")
    test_fraction = _check_test_fraction(test_fraction, val_fraction)
    bunch = load_digits()
    return _split(bunch.data.astype(np.float64), bunch.target, val_fraction,
                  np.random.default_rng(check_int(seed, "seed", minimum=0)),
                  _resolve_dtype(dtype), test_fraction)


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
