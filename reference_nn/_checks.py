"""Input checks shared by every module: clear errors instead of silent broadcasting."""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(x, name: str, ndim: int | tuple[int, ...] | None = None) -> np.ndarray:
    """Return ``x`` as a float64 array, or raise naming ``name``.

    TypeError for non-numeric data (strings, objects, complex, None); ValueError for
    the wrong number of dimensions or for NaN/inf entries.
    """
    if x is None:
        raise TypeError(f"{name}: expected a numeric array, got None")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name}: expected a numeric array, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name}: expected a rectangular numeric array ({exc})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected a real numeric array, got dtype {arr.dtype}")
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


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Refuse to broadcast two arrays that should match element for element."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; they must match")


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
