"""Tutorial 004's shape: James Loy's ``NeuralNetwork(x, y)`` class.

The interface your file provides (names as in the tutorial):

    class NeuralNetwork:
        def __init__(self, x, y): ...   # keeps x as self.input and y as self.y; sets weights1, weights2
        def feedforward(self): ...      # sets self.output (samples x 1): sigmoid layers, no biases
        def backprop(self): ...         # after feedforward(): one update of weights1 and weights2 in place

    def sigmoid(x): ...                 # optional: the logistic function
    def sigmoid_derivative(x): ...      # optional: its derivative given the sigmoid's OUTPUT (as the tutorial's)

How the check uses it: it builds ``NeuralNetwork(X, y)``, sets ``weights1`` and ``weights2``;
``feedforward`` gives the prediction (``output``), ``feedforward`` then ``backprop`` one training
step, read as gradient descent at learning rate 1 on the sum of squared errors (the tutorial's
``2*(self.y - self.output)``). Not expressible: losses and their gradients, single layers or
layers with biases or other activations (beyond ``sigmoid(x W)``), a layer's backward pass.
"""

from __future__ import annotations

import numpy as np

from .base import SteppedSigmoidNetwork, f64, global_stream_kept
from .program import Program, ShapeError

CLASS = "NeuralNetwork"
METHODS = ("feedforward", "backprop")
EXPECTED = f"class {CLASS}(x, y) with methods feedforward() and backprop() and attributes weights1, weights2, output"


class Shape004(SteppedSigmoidNetwork):
    chapter = "004"
    step_loss = "sse"

    def __init__(self, cls, sigmoid=None, sigmoid_derivative=None, name="tutorial 004 shape", reads=None):
        super().__init__(name, reads)
        self.cls, self.sigmoid, self.sigmoid_derivative = cls, sigmoid, sigmoid_derivative

    def _net(self, X, Y, weights):
        with global_stream_kept():
            net = self.cls(X, Y)
        net.weights1, net.weights2 = weights
        return net

    def forward(self, X, weights):
        net = self._net(X, np.zeros((X.shape[0], weights[-1].shape[1])), weights)
        net.feedforward()
        return net.output

    def stepper(self, X, Y, n_layers):
        with global_stream_kept():
            net = self.cls(X, Y)

        def step(weights):
            net.weights1, net.weights2 = weights
            net.feedforward()
            output = np.array(net.output, dtype=np.float64)
            net.backprop()
            return output, [net.weights1, net.weights2]

        return step

    def _sigmoid(self):
        if self.sigmoid is None:
            self.lacks("module-level sigmoid(x)")
        return self.sigmoid

    def activation(self, name, z, **params):
        if name != "sigmoid" or params:
            self.lacks(f"activation {name!r}")
        return self._sigmoid()(f64(z))

    def sigmoid_grad_from_output(self, s):
        if self.sigmoid_derivative is None:
            self.lacks("module-level sigmoid_derivative(x)")
        return self.sigmoid_derivative(f64(s))

    def activation_grad(self, name, z, **params):
        if name != "sigmoid" or params:
            self.lacks(f"derivative of {name!r}")
        return self.sigmoid_grad_from_output(self._sigmoid()(f64(z)))

    def dense_forward(self, x, W, b, activation):
        if b is not None or activation != "sigmoid":
            self.lacks(f"layer with activation {activation!r}{' and a bias' if b is not None else ''}")
        return self._sigmoid()(np.dot(f64(x), f64(W)))


def from_program(program: Program) -> Shape004:
    module = program.module
    cls = getattr(module, CLASS, None)
    if not isinstance(cls, type):
        raise ShapeError(f"tutorial 004 expects {EXPECTED}; {program.found()}")
    missing = [m for m in METHODS if not callable(getattr(cls, m, None))]
    if missing:
        raise ShapeError(f"tutorial 004 expects {EXPECTED}; class {CLASS} lacks {', '.join(missing)}")
    X, y = np.ones((4, 3)), np.zeros((4, 1))
    try:
        with global_stream_kept():
            net = cls(X, y)
    except Exception as exc:  # noqa: BLE001 - the learner's constructor
        raise ShapeError(f"tutorial 004 expects {EXPECTED}; {CLASS}(x, y) raised {type(exc).__name__}: {exc}") from exc
    absent = [w for w in ("weights1", "weights2") if not hasattr(net, w)]
    if absent:
        raise ShapeError(f"tutorial 004 expects {EXPECTED}; {CLASS}(x, y) sets no {', '.join(absent)}")
    functions = [getattr(module, f, None) for f in ("sigmoid", "sigmoid_derivative")]
    return Shape004(cls, *(f if callable(f) else None for f in functions), name=program.path.name)
