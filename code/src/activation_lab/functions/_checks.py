"""Input checks shared by every activation function.

Each public function converts its input with :func:`as_float_array` and its
parameters with :func:`check_real`, so that bad input fails early with a message
that names the argument, and valid input is never modified in place.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_float_array", "check_real", "check_choice", "finish"]


def as_float_array(x, name: str = "x") -> tuple[np.ndarray, np.dtype]:
    """Return ``(x as float64 working copy, dtype of the result)``.

    Floating input keeps its dtype in the result (float32 in, float32 out);
    integers and booleans are promoted to float64. Working in float64 keeps
    float32 results correctly rounded.

    Args:
        x: a real number or an array-like of real numbers.
        name: the argument's name, for error messages (default ``"x"``).

    Returns:
        A float64 copy of ``x`` (never a view) and the dtype to give the result.

    Raises:
        TypeError: for strings, ``None``, complex numbers, object arrays and
            ragged nested lists.

    Example:
        >>> as_float_array([1, 2])
        (array([1., 2.]), dtype('float64'))
        >>> as_float_array(np.array([0.5], dtype=np.float32))
        (array([0.5]), dtype('float32'))
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {type(x).__name__}")
    try:
        array = np.asarray(x)
    except (ValueError, TypeError) as error:  # ragged nested lists, for example
        raise TypeError(f"{name} must be a real number or an array of real numbers: {error}") from None
    kind = array.dtype.kind
    if kind == "f":
        result_dtype = array.dtype
    elif kind in "biu":
        result_dtype = np.dtype(np.float64)
    else:
        raise TypeError(
            f"{name} must hold real numbers (float, int or bool), got an array of dtype {array.dtype}"
        )
    # Working in float64 keeps float32 results correctly rounded; np.array copies.
    return np.array(array, dtype=np.float64), result_dtype


def finish(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Cast a float64 result back to the caller's dtype.

    Args:
        values: the float64 result.
        dtype: the dtype :func:`as_float_array` returned.

    Returns:
        ``values`` as an array of ``dtype``.

    Example:
        >>> finish(np.array([0.5, 1.0]), np.dtype(np.float32))
        array([0.5, 1. ], dtype=float32)
    """
    return np.asarray(values, dtype=dtype)


def check_real(value, name: str, *, positive: bool = False, nonzero: bool = False) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number.

    Args:
        value: the parameter to check; a bool is rejected.
        name: the parameter's name, for error messages.
        positive: also require ``value > 0`` (default False).
        nonzero: also require ``value != 0`` (default False).

    Returns:
        ``float(value)``.

    Raises:
        TypeError: if ``value`` is not a real number.
        ValueError: if it is not finite, or breaks ``positive`` or ``nonzero``.

    Example:
        >>> check_real(2, "alpha")
        2.0
        >>> check_real(0, "beta", positive=True)
        Traceback (most recent call last):
        ...
        ValueError: beta must be positive, got 0.0
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    if nonzero and value == 0:
        raise ValueError(f"{name} must be non-zero, got {value}")
    return value


def check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``.

    Args:
        value: the string to check.
        name: the parameter's name, for error messages.
        choices: the allowed strings.

    Returns:
        ``value`` unchanged.

    Example:
        >>> check_choice("tanh", "approximate", ("none", "tanh"))
        'tanh'
        >>> check_choice("exact", "approximate", ("none", "tanh"))
        Traceback (most recent call last):
        ...
        ValueError: approximate must be 'none' or 'tanh', got 'exact'
    """
    if not isinstance(value, str) or value not in choices:
        expected = " or ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return value
