"""Input checks shared by every module: clear errors instead of silent broadcasting or conversion.

Every message says what was expected and what came, and names the argument. What is accepted:

- arrays (or nested lists, or scalars) of integers or floats. Integers are converted to float64
  exactly, so their magnitude must be at most 2^53; float16 and float32 are converted to float64
  exactly. Booleans are refused (TypeError): a comparison result passed where numbers are meant is
  a mistake more often than not, so write ``.astype(float)`` when 0 and 1 are meant. Complex,
  ``float128``, object, string and date arrays are refused too (TypeError). NaN and infinity are
  refused (ValueError).
- no single array of more than :data:`MAX_ELEMENTS` values is allocated on request: a larger
  request (a softmax Jacobian, a training history, the layer outputs of a batch or a stack of
  networks, an initialiser's shape, a one-hot table, a generated data set) raises
  :class:`SizeLimitError` before any memory is taken.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

#: The most float64 values one requested array may hold: 2^27, that is 1 GiB.
MAX_ELEMENTS = 2**27

#: Integers above this magnitude are not all exactly representable as float64.
_EXACT_INT = 2**53


class SizeLimitError(MemoryError):
    """A request for an array larger than :data:`MAX_ELEMENTS`, refused before allocating it."""


def check_size(shape, what: str) -> tuple[int, ...]:
    """``shape``, or :class:`SizeLimitError` if an array of that shape would hold more than MAX_ELEMENTS values."""
    shape = tuple(int(d) for d in shape)
    n = math.prod(shape)
    if n > MAX_ELEMENTS:
        raise SizeLimitError(
            f"{what}: expected at most MAX_ELEMENTS = {MAX_ELEMENTS:,} values ({MAX_ELEMENTS * 8 / 2**30:.0f} GiB), "
            f"got a request for shape {shape}, {n:,} values ({n * 8 / 2**30:,.1f} GiB)"
        )
    return shape


def as_float_array(x, name: str, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise naming ``name`` (see the module docstring).

    TypeError for data that are not integers or floats; ValueError for integers beyond 2^53, the
    wrong number of dimensions, or NaN/inf entries.
    """
    if x is None:
        raise TypeError(f"{name}: expected a numeric array, got None")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name}: expected a numeric array, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name}: expected a rectangular numeric array ({exc})") from None
    if arr.dtype.kind == "b":
        raise TypeError(
            f"{name}: expected a real numeric array, got dtype bool (write .astype(float) if 0 and 1 are meant)"
        )
    if arr.dtype.kind not in "iuf" or arr.dtype.itemsize > 8:
        raise TypeError(f"{name}: expected a real numeric array, got dtype {arr.dtype}")
    if arr.dtype.kind in "iu" and arr.size and (arr.max() > _EXACT_INT or arr.min() < -_EXACT_INT):
        raise ValueError(
            f"{name}: expected integers of magnitude at most 2^53 (exact in float64), "
            f"got values from {arr.min()} to {arr.max()}"
        )
    arr = arr.astype(np.float64, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name}: expected a {want} array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite values, but it contains NaN or infinite values")
    return arr


def as_matrix(x, name: str, n_cols: int | None = None) -> np.ndarray:
    """A 2-D float64 array of shape (m, n_cols): samples are rows."""
    arr = as_float_array(x, name, ndim=2)
    if arr.size == 0:
        raise ValueError(f"{name}: expected at least one row and one column, got shape {arr.shape}")
    if n_cols is not None and arr.shape[1] != n_cols:
        raise ValueError(f"{name}: expected shape (m, {n_cols}), got {arr.shape}")
    return arr


def in_unit_interval(arr: np.ndarray, name: str, why: str) -> np.ndarray:
    """Refuse values outside [0, 1] (probabilities): ``why`` says who needs them."""
    if arr.size and (arr.min() < 0.0 or arr.max() > 1.0):
        raise ValueError(f"{name}: expected values in [0, 1] ({why}), got values from {arr.min()} to {arr.max()}")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Refuse to broadcast two arrays that should match element for element."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; they must match")


def as_list(x, name: str, expected: str) -> list:
    """``list(x)`` for a list, tuple or other iterable; TypeError naming ``name`` for anything else."""
    try:
        if x is None or isinstance(x, (str, bytes)):
            raise TypeError
        return list(x)
    except TypeError:
        raise TypeError(f"{name}: expected {expected}, got {type(x).__name__}") from None


def lookup(table: dict, spec, what: str, expected: str):
    """``table[spec]`` for a name ``spec``: TypeError if it is not a string, ValueError if unknown."""
    if not isinstance(spec, str):
        raise TypeError(f"{what}: expected {expected}, got {type(spec).__name__}")
    try:
        return table[spec]
    except KeyError:
        raise ValueError(f"unknown {what} {spec!r}; expected one of {sorted(table)}") from None


def positive_int(n, name: str, allow_zero: bool = False) -> int:
    """An integer >= 1 (or >= 0); bools are refused."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {type(n).__name__}")
    low = 0 if allow_zero else 1
    if n < low:
        raise ValueError(f"{name}: expected an integer >= {low}, got {n}")
    return int(n)


def finite_number(x, name: str, positive: bool = False) -> float:
    """A finite real scalar (and > 0 when ``positive``)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(x).__name__}")
    x = float(x)
    if not np.isfinite(x):
        raise ValueError(f"{name}: expected a finite number, got {x}")
    if positive and x <= 0:
        raise ValueError(f"{name}: expected a number > 0, got {x}")
    return x
