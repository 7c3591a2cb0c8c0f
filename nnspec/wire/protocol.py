"""Wire protocol v1: how values and messages cross between the harness and an implementation.

One JSON object per line (UTF-8). Values (``encode`` / ``decode``):

- null, booleans, numbers, strings; arrays for Python lists and tuples; objects for dicts;
- a float64 ndarray is ``{"shape": [d1, ...], "data": [row-major entries]}``; a non-finite entry (and a
  non-finite float anywhere) is the string ``"nan"``, ``"inf"`` or ``"-inf"``;
- floats are written by Python's ``repr`` (the shortest string that reads back as the same float64), so
  every float64 crosses exactly, subnormals and -0.0 included;
- optional, written by the Python server only: ``"dtype"`` beside shape and data for an array that is
  *not* float64 (so the harness can say "dtype float32", as in process), and ``{"unsupported": TYPE,
  "repr": TEXT}`` for a result JSON cannot hold (so the harness can say "a Tensor").

Any violation raises :class:`WireError`, whose message quotes the offending text through :func:`shown`.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np

from nnspec import display

VERSION = 1
NONFINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
ARRAY_KEYS = frozenset({"shape", "data"})
#: dtypes the optional "dtype" key may name (what a NumPy adapter may plausibly return)
DTYPES = frozenset({"float64", "float32", "float16", "longdouble", "int64", "int32", "int16", "int8", "uint8", "bool"})
SHOWN = 300  # characters of offending text a message quotes


class WireError(ValueError):
    """A line or value that breaks protocol v1 (the claim being run fails, with the text shown)."""


def shown(text: object, limit: int = SHOWN) -> str:
    """``text`` safe to print anywhere (nnspec.display.safe: control characters and newlines escaped, at
    most ``limit`` characters, the rest counted)."""
    return display.safe(text, limit)


# ---- values ----------------------------------------------------------------------------------------------


def _float(x: float):
    return x if math.isfinite(x) else ("nan" if x != x else ("inf" if x > 0 else "-inf"))


def encode(value):
    """A Python/NumPy value as its JSON-ready wire form."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, np.ndarray):
        return _encode_array(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return _float(float(value)) if value.dtype == np.float64 else _encode_array(np.asarray(value))
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return {"unsupported": type(value).__name__, "repr": shown(repr(value))}


def _encode_array(a: np.ndarray) -> dict:
    flat = a.ravel(order="C")
    if a.dtype == np.float64:
        data = flat.tolist()
        if not np.isfinite(flat).all():
            data = [_float(x) for x in data]
        return {"shape": list(a.shape), "data": data}
    if a.dtype.kind == "f":
        data = [_float(float(x)) for x in flat.tolist()]
    elif a.dtype.kind in "biu":
        data = flat.tolist()
    else:
        return {"unsupported": f"ndarray of dtype {a.dtype}", "repr": shown(repr(a))}
    name = a.dtype.name if a.dtype.name in DTYPES else str(a.dtype)
    return {"shape": list(a.shape), "data": data, "dtype": name}


def decode(value, *, results: bool = False):
    """The Python value of a wire value. ``results``: a bare number is a NumPy float64 (every number the
    protocol's functions return is a float64: a loss, f(z) of a scalar z; and JavaScript writes 1.0 as
    ``1``); in arguments, integers stay integers (``iterations``)."""
    if isinstance(value, str):
        number = NONFINITE.get(value)
        return value if number is None else (np.float64(number) if results else number)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return np.float64(value) if results else value
    if isinstance(value, list):
        return [decode(v, results=results) for v in value]
    if isinstance(value, dict):
        keys = set(value)
        if keys == ARRAY_KEYS or keys == ARRAY_KEYS | {"dtype"}:
            return _decode_array(value)
        if keys == {"unsupported", "repr"} and isinstance(value["unsupported"], str):
            return opaque(value["unsupported"], value["repr"])
        if "shape" in keys and "data" in keys:
            raise WireError(f"an array has exactly the keys shape and data (and dtype): got {shown(sorted(keys))}")
        return {k: decode(v, results=results) for k, v in value.items()}
    raise WireError(f"not a wire value: {shown(repr(value))}")


def _decode_array(value: dict) -> np.ndarray:
    shape, data = value["shape"], value["data"]
    if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise WireError(f"an array's shape is a list of non-negative integers: got {shown(json.dumps(shape))}")
    if not isinstance(data, list):
        raise WireError(f"an array's data is a flat list: got {shown(json.dumps(data))}")
    size = math.prod(shape)
    if len(data) != size:
        raise WireError(f"an array of shape {shape} has {size} entries: data has {len(data)}")
    dtype = value.get("dtype", "float64")
    if dtype not in DTYPES:
        raise WireError(f"unknown dtype {shown(dtype)}")
    kinds = set(map(type, data))
    if dtype == "bool":
        if not kinds <= {bool}:
            raise WireError(f"a bool array's data are booleans: got {shown(json.dumps(data))}")
    elif dtype.startswith(("int", "uint")):
        if not kinds <= {int}:
            raise WireError(f"an integer array's data are integers: got {shown(json.dumps(data))}")
    else:
        if not kinds <= {float, int, str}:
            raise WireError(f"an array's data are numbers or 'nan', 'inf', '-inf': got {shown(json.dumps(data))}")
        if str in kinds:
            bad = [v for v in data if isinstance(v, str) and v not in NONFINITE]
            if bad:
                raise WireError(f"an array entry that is a string must be 'nan', 'inf' or '-inf': got {shown(bad[0])}")
            data = [NONFINITE[v] if isinstance(v, str) else v for v in data]
    return np.array(data, dtype=np.dtype(dtype)).reshape(shape)


_OPAQUE: dict[str, type] = {}


class Opaque:
    """A result the Python server could not put on the wire; its class is named after the original type."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return self.text


def opaque(type_name: str, text: str) -> Opaque:
    name = re.sub(r"\W", "_", type_name)[:60] or "object"
    cls = _OPAQUE.setdefault(name, type(name, (Opaque,), {}))
    return cls(str(text))


# ---- lines -------------------------------------------------------------------------------------------------


def dumps(message: dict) -> str:
    """One line: compact JSON, no NaN literals (non-finite floats are encoded as strings first)."""
    return json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n"


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON (write it as the string 'nan', 'inf' or '-inf')")


def loads(line: str) -> dict:
    """The JSON object on ``line``; WireError (quoting the line) when it is not one."""
    try:
        message = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"a line that is not JSON ({exc}): {shown(line.rstrip())}") from None
    if not isinstance(message, dict):
        raise WireError(f"a line that is not a JSON object: {shown(line.rstrip())}")
    return message


def call(seq: int, fn: str, args, kwargs) -> dict:
    return {"cmd": "call", "seq": seq, "fn": fn, "args": [encode(a) for a in args], "kwargs": encode(dict(kwargs))}


START = {"cmd": "start", "version": VERSION}
STOP = {"cmd": "stop"}
