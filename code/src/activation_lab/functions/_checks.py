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
    integers and booleans are promoted to float64. Strings, ``None``, complex
    numbers and object arrays raise ``TypeError``.
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
    """Cast a float64 result back to the caller's dtype."""
    return np.asarray(values, dtype=dtype)


def check_real(value, name: str, *, positive: bool = False, nonzero: bool = False) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
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
    """Return ``value`` if it is one of ``choices``, else raise ``ValueError``."""
    if not isinstance(value, str) or value not in choices:
        expected = " or ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return value
