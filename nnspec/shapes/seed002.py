"""Tutorial 002's shape: activation classes, ``LinearLayer`` and ``NeuralNet``, samples as columns.

The interface your file provides (names as in the tutorial; X is features x samples):

    class SigmoidActivation:  def forward(self, X); def backward(self, A)  # backward: the slope g'
    class ReLUActivation:     __init__(self, a=1); forward; backward        # and any of IdentityActivation,
    class LinearActivation(a), TanhActivation, BinaryStepActivation(thresh=0),
    class LeakyReLUActivation(a, b), SoftMaxActivation (forward; backward optional)

    class LinearLayer:
        def __init__(self, input_size, output_size, activation=None): ...  # W (output x input), b (output x 1)
        def forward(self, X): ...                   # the activation of W X + b
        def backward(self, dA_curr, lr): ...        # after forward: W, b -= lr * mean gradient; returns dA_prev
    class NeuralNet:
        def __init__(self, layers): ...
        def predict(self, X): ...
        def fit(self, X, y, lr, epoch): ...         # epoch=1: forward, loss gradient, every layer's backward
    def categorical_crossentropy(target, output): ...   # optional: the mean loss, a number

How the check uses it: arrays are turned into columns and back; an activation is its class's
``forward``; its derivative at z is the slope your ``LinearLayer.backward`` applies (through a 1 x 1
identity layer, so ``backward`` may take the output, as the tutorial's ``def backward(self, A)``, or Z,
as its printed call; the sigmoid's slope from an output s is ``SigmoidActivation().backward(s)``);
a layer is a ``LinearLayer`` whose ``W``
and ``b`` the check sets (a layer without bias gets b = 0); a layer's backward pass is
``backward(dA, 1)`` (the gradients read from the update, times the number of samples m, since the
protocol keeps 1/m in the loss); training on the categorical cross-entropy calls ``fit`` once per
iteration (the losses it records are the cross-entropy of ``predict``'s outputs, measured by the
check). Not expressible: other losses and their gradients, the softmax Jacobian.
"""

from __future__ import annotations

import numpy as np

from reference_nn.losses import get_loss

from .base import Shape, f64, global_stream_kept
from .program import Program, ShapeError

#: protocol activation name -> (class name, the protocol parameters passed to its constructor, in order)
ACTIVATIONS = {
    "identity": ("IdentityActivation", ()),
    "linear": ("LinearActivation", (("a", 1.0),)),
    "sigmoid": ("SigmoidActivation", ()),
    "tanh": ("TanhActivation", ()),
    "binary_step": ("BinaryStepActivation", (("threshold", 0.0),)),
    "relu": ("ReLUActivation", (("a", 1.0),)),
    "leaky_relu": ("LeakyReLUActivation", (("a", 1.0), ("b", 0.01))),
    "softmax": ("SoftMaxActivation", ()),
}
EXPECTED = (
    "activation classes such as SigmoidActivation with forward(X), and class "
    "LinearLayer(input_size, output_size, activation) with forward(X) and backward(dA_curr, lr)"
)


def _columns(x):
    x = f64(x)
    return x.T if x.ndim == 2 else x


class Shape002(Shape):
    chapter = "002"

    def __init__(self, namespace: dict, name="tutorial 002 shape"):
        super().__init__(name)
        self.ns = namespace
        self._layers = {}  # (sizes, activation) -> a LinearLayer, built once: the check sets W and b

    def _activation(self, name, params=None):
        params = dict(params or {})
        cls_name, names = ACTIVATIONS.get(name, (None, ()))
        cls = self.ns.get(cls_name)
        if cls is None or set(params) - {p for p, _ in names}:
            self.lacks(f"activation class for {name!r}{f' with {params}' if params else ''}")
        values = [params.get(p, default) for p, default in names]
        return cls(thresh=values[0]) if name == "binary_step" else cls(*values)

    def activation(self, name, z, **params):
        return _columns(self._activation(name, params).forward(_columns(z)))

    def slope_from_output(self, name, A, **params):
        """The activation's ``backward(A)`` given its output A, as the tutorial's ``def backward(self, A)`` reads."""
        act = self._activation(name, params)
        if not callable(getattr(act, "backward", None)):
            self.lacks(f"backward for {name!r}")
        return _columns(act.backward(_columns(f64(A))))

    def activation_grad(self, name, z, **params):
        """g'(z) as the program's own LinearLayer applies it: dA_prev of a 1 x 1 identity layer with dA = 1.

        (Whether ``backward`` takes the layer's output, as the tutorial's definition says, or Z, as its
        printed call passes, is the program's choice: its layer uses it consistently.)"""
        act = self._activation(name, params)
        if not callable(getattr(act, "backward", None)):
            self.lacks(f"backward for {name!r}")
        z = f64(z)
        rows = z.reshape(-1, 1)
        dA_prev, _, _ = self._backward(rows, np.ones((1, 1)), None, name, np.ones_like(rows), params)
        return f64(dA_prev).reshape(z.shape)

    def sigmoid_grad_from_output(self, s):
        return self.slope_from_output("sigmoid", s)

    def _layer(self, W, b, activation, slot=0, params=None):
        W = f64(W)
        key = (slot, W.shape, activation, tuple(sorted((params or {}).items())))
        if key not in self._layers:
            with global_stream_kept():
                self._layers[key] = self.ns["LinearLayer"](
                    W.shape[0], W.shape[1], activation=self._activation(activation, params)
                )
        layer = self._layers[key]
        layer.W = W.T.copy()
        layer.b = np.zeros((W.shape[1], 1)) if b is None else f64(b).reshape(-1, 1).copy()
        return layer

    def dense_forward(self, x, W, b, activation):
        return _columns(self._layer(W, b, activation).forward(_columns(x)))

    def dense_backward(self, x, W, b, activation, grad_a):
        return self._backward(x, W, b, activation, grad_a)

    def _backward(self, x, W, b, activation, grad_a, params=None):
        layer = self._layer(W, b, activation, params=params)
        W0, b0 = layer.W.copy(), layer.b.copy()
        layer.forward(_columns(x))
        dA_prev = layer.backward(_columns(grad_a), 1.0)
        m = f64(x).shape[0]
        dW = m * (W0 - f64(layer.W)).T
        db = None if b is None else m * (b0 - f64(layer.b)).reshape(-1)
        return _columns(dA_prev), dW, db

    def _net(self, weights, biases, activations):
        layers = [self._layer(W, b, a, slot) for slot, (W, b, a) in enumerate(zip(weights, biases, activations))]
        if "NeuralNet" not in self.ns:
            self.lacks("class NeuralNet")
        return self.ns["NeuralNet"](layers), layers

    def predict(self, X, weights, biases, activations):
        net, _ = self._net(weights, biases, activations)
        return _columns(net.predict(_columns(X)))

    def loss(self, name, y_pred, y_true):
        function = self.ns.get("categorical_crossentropy")
        if name != "categorical_cross_entropy" or function is None:
            self.lacks(f"loss {name!r}")
        return function(_columns(y_true), _columns(y_pred))

    def train(self, X, Y, weights, biases, activations, loss, learning_rate, iterations):
        if loss != "categorical_cross_entropy" or not callable(getattr(self.ns.get("NeuralNet"), "fit", None)):
            self.lacks(f"training on {loss!r}: NeuralNet.fit trains on the categorical cross-entropy")
        if any(b is None for b in biases):
            self.lacks("layer without a bias: LinearLayer always has b")
        net, layers = self._net(weights, biases, activations)
        Xc, Yc = _columns(X), _columns(Y)
        losses = []
        measure = get_loss(loss).fn  # fit computes no loss value: the check measures the program's outputs
        for _ in range(iterations):
            losses.append(measure(f64(_columns(net.predict(Xc.copy()))), f64(Y)))
            net.fit(Xc.copy(), Yc.copy(), lr=learning_rate, epoch=1)
        return {
            "weights": [f64(layer.W).T.copy() for layer in layers],
            "biases": [f64(layer.b).reshape(-1).copy() for layer in layers],
            "losses": np.array(losses, dtype=np.float64),
        }


def from_program(program: Program) -> Shape002:
    ns = vars(program.module)
    found = [cls for cls, _ in ACTIVATIONS.values() if isinstance(ns.get(cls), type)]
    layer = ns.get("LinearLayer")
    if (
        not found
        or not isinstance(layer, type)
        or not all(callable(getattr(layer, m, None)) for m in ("forward", "backward"))
    ):
        raise ShapeError(f"tutorial 002 expects {EXPECTED}; {program.found()}")
    return Shape002(dict(ns), name=program.path.name)
