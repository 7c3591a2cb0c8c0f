"""An adapter that records every call the specification makes: reference_nn's answers, with the test.

``python -m nnspec.vectors`` runs the specification as ``pytest -p nnspec.vector_recorder --impl
nnspec.vector_recorder`` with ``$NNSPEC_VECTOR_RECORD`` naming a file: as the adapter, each protocol
function calls reference_nn's adapter on a copy of its inputs and keeps ``Call(test, fn, args, kwargs,
result)``; as a plugin, this module notes which test is running, each test's claim and rule markers
and the tests that failed, and pickles all of it to that file at the end of the session. It is not
the reference (``nnspec.impl.is_reference`` is by identity), so the specification runs exactly as it
runs for any other implementation. reference_nn is imported at the first call, after pytest has
set up its assertion rewriting.
"""

from __future__ import annotations

import copy
import importlib
import os
import pickle
from dataclasses import dataclass

ENV = "NNSPEC_VECTOR_RECORD"
NAME = "reference_nn (recorded)"
VERSION = "recorded"


@dataclass
class Call:
    test: str
    fn: str
    args: tuple
    kwargs: dict
    result: object


#: every call so far, in order; the test running now; each test's (claims, rules); the tests that failed
CALLS: list[Call] = []
CURRENT = [""]
MARKERS: dict[str, tuple[list[str], list[str]]] = {}
FAILED: set[str] = set()


def _recording(fn):
    def call(*args, **kwargs):
        function = getattr(importlib.import_module("reference_nn.adapter"), fn)
        inputs = copy.deepcopy((args, kwargs))
        result = function(*args, **kwargs)  # an exception propagates: a call that raises is no vector
        CALLS.append(Call(CURRENT[0], fn, *inputs, copy.deepcopy(result)))
        return result

    call.__name__ = fn
    return call


activation = _recording("activation")
activation_grad = _recording("activation_grad")
sigmoid_grad_from_output = _recording("sigmoid_grad_from_output")
softmax_jacobian = _recording("softmax_jacobian")
loss = _recording("loss")
loss_grad = _recording("loss_grad")
dense_forward = _recording("dense_forward")
dense_backward = _recording("dense_backward")
predict = _recording("predict")
train = _recording("train")


# ---- as a pytest plugin ----------------------------------------------------------------------------


def pytest_collection_modifyitems(items):
    from nnspec import markers

    for item in items:
        MARKERS[item.nodeid] = (markers.claims_of(item), markers.rules_of(item))


def pytest_runtest_logstart(nodeid, location):
    CURRENT[0] = nodeid


def pytest_runtest_logreport(report):
    if report.failed:
        FAILED.add(report.nodeid)


def pytest_sessionfinish(session):
    if os.environ.get(ENV):
        with open(os.environ[ENV], "wb") as f:
            pickle.dump({"calls": CALLS, "markers": MARKERS, "failed": FAILED}, f)
