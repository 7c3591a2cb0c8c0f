"""The adapter boundary: every value an implementation returns is checked where it comes out.

A test that gets a Python list where the protocol promises an array, an (m,) vector for (m, 1), a
float32 array or a NaN would otherwise fail somewhere inside its own arithmetic with a message about
the test, or pass by accident. :func:`checked_call` calls one protocol function and fails the test at
once with a reason that names the function and what the protocol expected; it also fails when the
function modified one of its inputs (the protocol: inputs are not modified).

What is checked (reference_nn/adapter.py states the protocol):

- every array result is a ``numpy.ndarray`` of dtype float64 with the shape the protocol gives;
- results computed from finite inputs are finite (training excepted: a learning rate can diverge);
- ``loss`` is one real number (a Python float, a NumPy floating scalar or a 0-d float64 array);
- ``dense_backward`` returns (dx, dW, db) with db None exactly when b is None;
- ``train`` returns {"weights", "biases", "losses"} shaped like the initial weights and biases, with
  one loss per iteration.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
import pytest

from reference_nn.adapter import Adapter

PROTOCOL_DOC = "see reference_nn/adapter.py"
_SIGNATURES = {
    name: inspect.signature(getattr(Adapter, name)).replace(
        parameters=list(inspect.signature(getattr(Adapter, name)).parameters.values())[1:]
    )
    for name in ("activation", "activation_grad", "sigmoid_grad_from_output", "softmax_jacobian", "loss")
    + ("loss_grad", "dense_forward", "dense_backward", "predict", "train")
}


class BoundaryError(AssertionError):
    pass


def checked_call(name: str, function: Callable, args: tuple, kwargs: dict):
    """Call ``function`` (protocol function ``name``); fail the test if it breaks the boundary."""
    result, changed = watched_call(name, function, args, kwargs)
    fail_if_modified(name, changed)
    check_result(name, args, kwargs, result)
    return result


def watched_call(name: str, function: Callable, args: tuple, kwargs: dict) -> tuple[object, list[str]]:
    """(the result, the names of the inputs the call modified) of one protocol call. Also used by the
    wire's Python server, which reports the modified inputs in its answer."""
    try:
        bound = _SIGNATURES[name].bind(*args, **kwargs)
    except TypeError:
        return function(*args, **kwargs), []  # the test called it in a way of its own: nothing to check
    inputs = {key: _snapshot(value) for key, value in bound.arguments.items()}
    result = function(*args, **kwargs)
    return result, [key for key, before in inputs.items() if not _same(before, bound.arguments[key])]


def fail_if_modified(name: str, changed: list[str]) -> None:
    if changed:
        pytest.fail(
            f"{name} modified its input {', '.join(changed)} (the protocol: inputs are not modified; work on a copy)",
            pytrace=False,
        )


def check_result(name: str, args: tuple, kwargs: dict, result) -> None:
    """Fail the test when ``result`` of ``name(*args, **kwargs)`` breaks the boundary (see the module docs);
    the wire runs it on decoded results, so every outcome is the same over the wire as in process."""
    try:
        bound = _SIGNATURES[name].bind(*args, **kwargs)
    except TypeError:
        return
    try:
        problem = _check(name, bound.arguments, result)
    except (ValueError, TypeError, IndexError, KeyError):
        problem = ""  # arguments outside the protocol's shapes (a test probing an edge): nothing to compare
    if problem:
        pytest.fail(f"{name} returned {problem} ({PROTOCOL_DOC})", pytrace=False)


def _snapshot(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, list | tuple):
        return type(value)(_snapshot(v) for v in value)
    return value


def _same(before, after) -> bool:
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and before.dtype == after.dtype
            and np.array_equal(before, after, equal_nan=True)
        )
    if isinstance(before, list | tuple):
        return isinstance(after, list | tuple) and len(before) == len(after) and all(map(_same, before, after))
    return True


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}, dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _finite_inputs(*values) -> bool:
    arrays = [np.asarray(v, dtype=float) for v in values if isinstance(v, np.ndarray | float | int)]
    return all(np.all(np.isfinite(a)) for a in arrays)


def _array(value, shape: tuple, what: str, finite: bool) -> str:
    """'' when ``value`` is a float64 ndarray of ``shape`` (finite if asked), else what is wrong. For a
    scalar input (shape ()) a NumPy float64 scalar is an answer too."""
    if shape == () and isinstance(value, np.float64):
        value = np.asarray(value)
    if not isinstance(value, np.ndarray):
        return f"{_describe(value)} for {what}; expected a numpy.ndarray of shape {shape}, dtype float64"
    if value.dtype != np.float64:
        hint = " (the protocol is float64: convert at the adapter's boundary)"
        return f"dtype {value.dtype} for {what}; expected float64{hint}"
    if value.shape != tuple(shape):
        return f"shape {value.shape} for {what}; expected {tuple(shape)}"
    if finite and not np.all(np.isfinite(value)):
        bad = np.argwhere(~np.isfinite(value))[0]
        where = tuple(int(i) for i in bad)
        return f"a non-finite value {float(value[where])!r} at index {where} for {what}, from finite inputs"
    return ""


def _shape(value) -> tuple:
    return np.shape(value)


def _check(name: str, a: dict, result) -> str:
    if name in ("activation", "activation_grad", "sigmoid_grad_from_output"):
        z = a.get("z", a.get("s"))
        return _array(result, _shape(z), "f(z)" if name == "activation" else "the derivative", _finite_inputs(z))
    if name == "softmax_jacobian":
        m, k = _shape(a["z"])
        return _array(result, (m, k, k), "the Jacobian", _finite_inputs(a["z"]))
    if name == "loss":
        value = result
        if isinstance(value, np.ndarray) and value.shape == ():
            value = value[()]
        if not isinstance(value, float | np.floating) or isinstance(value, np.float32 | np.float16):
            return f"{_describe(result)} for the loss; expected one float64 number"
        if _finite_inputs(a["y_pred"], a["y_true"]) and not np.isfinite(value):
            return f"a non-finite loss {value!r} from finite inputs"
        return ""
    if name == "loss_grad":
        return _array(result, _shape(a["y_pred"]), "dL/dy_pred", _finite_inputs(a["y_pred"], a["y_true"]))
    if name == "dense_forward":
        shape = (_shape(a["x"])[0], _shape(a["W"])[1])
        return _array(result, shape, "the layer's output", _finite_inputs(a["x"], a["W"], *_present(a["b"])))
    if name == "dense_backward":
        return _check_backward(a, result)
    if name == "predict":
        shape = (_shape(a["X"])[0], _shape(a["weights"][-1])[1]) if a["weights"] else None
        finite = _finite_inputs(a["X"], *a["weights"], *_present(*a["biases"]))
        return _array(result, shape, "the network's output", finite) if shape else ""
    if name == "train":
        return _check_train(a, result)
    return ""


def _present(*values) -> list:
    return [v for v in values if v is not None]


def _check_backward(a: dict, result) -> str:
    if not isinstance(result, tuple | list) or len(result) != 3:
        return f"{_describe(result)}; expected the tuple (dL/dx, dL/dW, dL/db)"
    dx, dW, db = result
    finite = _finite_inputs(a["x"], a["W"], a["grad_a"], *_present(a["b"]))
    for value, shape, what in ((dx, _shape(a["x"]), "dL/dx"), (dW, _shape(a["W"]), "dL/dW")):
        problem = _array(value, shape, what, finite)
        if problem:
            return problem
    if a["b"] is None:
        return "" if db is None else f"{_describe(db)} for dL/db of a layer without bias; expected None"
    return _array(db, _shape(a["b"]), "dL/db", finite)


def _check_train(a: dict, result) -> str:
    if not isinstance(result, dict) or not {"weights", "biases", "losses"} <= set(result):
        keys = sorted(result) if isinstance(result, dict) else None
        return f"{_describe(result)} with keys {keys}; expected a dict with weights, biases and losses"
    weights, biases = result["weights"], result["biases"]
    if not isinstance(weights, list | tuple) or len(weights) != len(a["weights"]):
        return f"{_describe(weights)} for weights; expected a list of {len(a['weights'])} arrays"
    if not isinstance(biases, list | tuple) or len(biases) != len(a["biases"]):
        return f"{_describe(biases)} for biases; expected a list of {len(a['biases'])} (array or None)"
    for i, (W, W0) in enumerate(zip(weights, a["weights"], strict=True)):
        problem = _array(W, _shape(W0), f"weights[{i}]", finite=False)
        if problem:
            return problem
    for i, (b, b0) in enumerate(zip(biases, a["biases"], strict=True)):
        if b0 is None:
            if b is not None:
                return f"{_describe(b)} for biases[{i}] of a layer without bias; expected None"
            continue
        problem = _array(b, _shape(b0), f"biases[{i}]", finite=False)
        if problem:
            return problem
    return _array(result["losses"], (int(a["iterations"]),), "losses (one per iteration)", finite=False)
