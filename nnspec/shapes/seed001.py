"""Tutorial 001's shape: the exam-score ``Neural_Network`` class.

The interface your file provides (names as in the tutorial; everything else in the file is free):

    class Neural_Network:
        def __init__(self): ...             # no arguments; sets self.W1 (inputs x hidden), self.W2 (hidden x 1)
        def forward(self, X): ...           # X (samples x inputs) -> output o (samples x 1), sigmoid layers
        def sigmoid(self, s): ...           # the logistic function, element-wise
        def sigmoidPrime(self, s): ...      # its derivative, given the sigmoid's OUTPUT s (as the tutorial's)
        def backward(self, X, y, o): ...    # after forward(X): one update of W1 and W2 in place

How the check uses it: it sets ``W1`` and ``W2`` on one instance, then ``forward`` is the network's
prediction and ``forward`` followed by ``backward`` one training step, read as gradient descent at
learning rate 1 on half the sum of squared errors (what the tutorial's ``backward`` does). The
sigmoid's derivative at z is ``sigmoidPrime(sigmoid(z))``; a single layer is ``sigmoid(x W)``.
Not expressible (reported as not implemented): losses and their gradients, layers with biases or
other activations, a layer's backward pass, the softmax.

The data, as your top level leaves them: ``X``, ``y`` and the query ``xPredicted`` (names as in the
tutorial; absent ones are not judged). The scaling claims are judged from them (nnspec.data_claims): X
divided by each column's maximum, y into [0, 1], and the query scaled as the training inputs were.
"""

from __future__ import annotations

import ast

import numpy as np

from .base import SteppedSigmoidNetwork, f64, global_stream_kept
from .program import Program, ShapeError

CLASS = "Neural_Network"
METHODS = ("forward", "sigmoid", "sigmoidPrime", "backward")
EXPECTED = (
    f"class {CLASS} with __init__(self) setting W1, W2 and methods forward(X), sigmoid(s), sigmoidPrime(s), "
    "backward(X, y, o)"
)


class Shape001(SteppedSigmoidNetwork):
    chapter = "001"

    def __init__(self, cls, name="tutorial 001 shape", reads=None):
        super().__init__(name, reads)
        with global_stream_kept():
            self.net = cls()

    data: dict = {}

    def tutorial_data(self) -> dict:
        return dict(self.data)

    def _with(self, weights):
        self.net.W1, self.net.W2 = weights
        return self.net

    def forward(self, X, weights):
        return self._with(weights).forward(X)

    def stepper(self, X, Y, n_layers):
        def step(weights):
            net = self._with(weights)
            o = net.forward(X)
            net.backward(X, Y, o)
            return o, [net.W1, net.W2]

        return step

    def activation(self, name, z, **params):
        if name != "sigmoid" or params:
            self.lacks(f"activation {name!r}")
        return self.net.sigmoid(f64(z))

    def activation_grad(self, name, z, **params):
        if name != "sigmoid" or params:
            self.lacks(f"derivative of {name!r}")
        return self.net.sigmoidPrime(self.net.sigmoid(f64(z)))

    def sigmoid_grad_from_output(self, s):
        return self.net.sigmoidPrime(f64(s))

    def dense_forward(self, x, W, b, activation):
        if b is not None or activation != "sigmoid":
            self.lacks(f"layer with activation {activation!r}{' and a bias' if b is not None else ''}")
        return self.net.sigmoid(np.dot(f64(x), f64(W)))


#: the tutorial's data as its program names them (X, y scaled at the top level; xPredicted, the query)
DATA_NAMES = ("X", "y", "xPredicted")
DATA_LIMIT = 10_000  # entries of an array that count as the tutorial's data (its table has 6)


def program_data(program: Program) -> dict:
    """{name: float64 array} for each of DATA_NAMES the program's top level leaves as numbers, and
    ``scaled_where_not_run``: those of them divided in code the check does not run (a loop, a __main__ block)."""
    out = {}
    for name in DATA_NAMES:
        value = vars(program.module).get(name)
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            continue
        if value is not None and 0 < array.size <= DATA_LIMIT and array.ndim <= 2:
            out[name] = array
    out["scaled_where_not_run"] = sorted(_divided(program.unrun, DATA_NAMES))
    return out


def _divided(nodes, names) -> set[str]:
    """The names among ``names`` that a division in ``nodes`` applies to (``X / m``, ``X /= m``)."""
    found = set()
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Div) and isinstance(sub.left, ast.Name):
                found.add(sub.left.id)
            elif isinstance(sub, ast.AugAssign) and isinstance(sub.op, ast.Div) and isinstance(sub.target, ast.Name):
                found.add(sub.target.id)
    return found & set(names)


def from_program(program: Program) -> Shape001:
    cls = getattr(program.module, CLASS, None)
    if not isinstance(cls, type):
        raise ShapeError(f"tutorial 001 expects {EXPECTED}; {program.found()}")
    missing = [m for m in METHODS if not callable(getattr(cls, m, None))]
    if missing:
        raise ShapeError(f"tutorial 001 expects {EXPECTED}; class {CLASS} lacks {', '.join(missing)}")
    try:
        with global_stream_kept():
            net = cls()
    except Exception as exc:  # noqa: BLE001 - the learner's constructor
        raise ShapeError(f"tutorial 001 expects {EXPECTED}; {CLASS}() raised {type(exc).__name__}: {exc}") from exc
    absent = [w for w in ("W1", "W2") if not hasattr(net, w)]
    if absent:
        raise ShapeError(f"tutorial 001 expects {EXPECTED}; {CLASS}() sets no {', '.join(absent)}")
    shape = Shape001(cls, name=program.path.name)
    shape.data = program_data(program)
    return shape
