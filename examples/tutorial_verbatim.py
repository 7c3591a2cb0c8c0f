"""The tutorials' own code and formulas, as printed, errors included, behind the adapter protocol.

Run the specification against it with::

    pytest --impl examples/tutorial_verbatim.py --known-failures examples/tutorial_verbatim.known-failures

The claims it fails are the tutorial mistakes the suite catches; the list file names them, and
``tests/conformance/test_examples.py`` checks that it fails exactly those.

How the code was taken over:

- The tutorials' programs (``reference_nn.tutorials``, faithful transcriptions) are wrapped by the
  same tutorial-shaped wrappers that check a learner's program (``nnspec.shapes``,
  ``pytest --tutorial-code``): 002's activation classes give the activations, 001's
  ``sigmoidPrime`` the sigmoid's slope from its output, 003's ``cost`` the cross-entropy, and
  training runs 000's loop bodies, 004's ``backprop`` and 003's ``backpropagation``. What this
  module adds is the tutorials' own reading of those programs: 000 and 001 print the MSE and call
  it the loss their update descends, so a run "on the MSE" is their update unchanged.
- Formulas the tutorials print only in their text are written here (seed numbers in the comments:
  000 .. 004), and so is 002's ``LinearLayer`` read on rows with its activation's ``backward``
  given the layer's output (the transcription applies it to ``Z``, see below). Where two
  tutorials define the same thing, the comment says which one is used and why.
- Slips that only stop the printed code from running are repaired, because the text says what
  they mean: ``def forward(X)`` without ``self``, ``a`` for ``self.a``, the ReLU and leaky ReLU
  ``forward`` methods that never ``return``. Comments that disagree with the code (001's "(3x2)
  weight matrix" for a 2 x 3 array) are ignored: the code is what ran.
- The protocol's layout is samples as rows. 002 and 003 write samples as columns
  (``np.dot(self.W, X)``, ``np.dot(X, dZ.T)``); their formulas are transposed onto rows, and
  their ``m`` (``A_prev.shape[1]``, ``X.shape[1]``) is the number of samples.
- Where no tutorial defines something (half SSE, most activation derivatives, the softmax
  Jacobian), this adapter delegates to reference_nn; each such place says so.
"""

from __future__ import annotations

import functools

import numpy as np

from nnspec.shapes.seed000 import Shape000
from nnspec.shapes.seed001 import Shape001
from nnspec.shapes.seed002 import ACTIVATIONS, Shape002
from nnspec.shapes.seed003 import Shape003
from nnspec.shapes.seed004 import Shape004
from reference_nn import adapter as _reference
from reference_nn.tutorials import seed000, seed001, seed002, seed003, seed004

NAME = "tutorial_verbatim"
VERSION = "as printed"


def _float(x):
    return np.asarray(x, dtype=np.float64)


# ---- the tutorials' programs behind their tutorial-shaped wrappers ------------------------------------------


def _first_example_steps(X, y):  # 000 section 4.2: the loop body, one layer of weights
    def step(weights):
        l1 = seed000.first_example_step(X, y, weights[0])  # updates syn0 in place
        return l1, weights

    return step


def _two_hidden_steps(X, y):  # 000 section 4.4: the loop body, two layers of weights
    def step(weights):
        _, l2, _ = seed000.two_hidden_step(X, y, *weights)
        return l2, weights

    return step


_SAID = {"mse": "half_sse"}  # 000's digits program and 001 print the MSE as the loss their update descends
_T000 = Shape000(seed000.nonlin, {1: _first_example_steps, 2: _two_hidden_steps}, "000", reads=_SAID)
_T001 = Shape001(seed001.Neural_Network, "001", reads=_SAID)
_T002 = Shape002(vars(seed002), "002")
_T003 = Shape003(seed003.sigmoid, seed003.forward_propagation, seed003.cost, seed003.backpropagation, "003")


def _recorded_cost(A, Y, m):
    """003's model records cost(A, Y, m) every iteration; here through this module's ``loss`` (which is
    003's cost), so that a repair of ``loss`` (tests/conformance/verbatim_list.py) reaches training too."""
    return loss("binary_cross_entropy", A.T, Y.T)


_T003_TRAINING = Shape003(seed003.sigmoid, seed003.forward_propagation, _recorded_cost, seed003.backpropagation)
_T004 = Shape004(seed004.NeuralNetwork, seed004.sigmoid, seed004.sigmoid_derivative, "004")

# ---- activations: 002 defines them all; the sigmoid is 000's nonlin as 003 writes it -------------------------

_FORWARD = {name: functools.partial(_T002.activation, name) for name in ACTIVATIONS}
_FORWARD["sigmoid"] = functools.partial(_T003.activation, "sigmoid")  # 000, 001, 003, 004: 1/(1+np.exp(-x))
# 002's quirks, through its classes: the binary step ignores its threshold, the softmax sums over the whole
# array (np.e**x / np.sum(np.e**x)), ReLUActivation.backward(A) is relu again


def activation(name, z, **params):
    return _FORWARD[name](_float(z), **params)


def activation_grad(name, z, **params):
    z = _float(z)
    if name == "sigmoid":  # 003: dA/dZ = -e^-Z / (1 + e^-Z)^2, the one derivative written as a function of Z
        return -np.exp(-z) / (1 + np.exp(-z)) ** 2
    if name == "relu":  # 002 ReLUActivation.backward(A): relu again, of the output A = relu(z)
        return _T002.slope_from_output("relu", _FORWARD["relu"](z, **params), **params)
    return _reference.activation_grad(name, z, **params)  # no tutorial writes the others' derivatives


def sigmoid_grad_from_output(s):  # 000 nonlin(x, True), 001 sigmoidPrime, 002 backward(A), 004
    return _T001.sigmoid_grad_from_output(s)


def softmax_jacobian(z):  # no tutorial writes it
    return _reference.softmax_jacobian(z)


# ---- losses ----------------------------------------------------------------------------------------------


def _categorical_crossentropy(target, output):  # 002, as printed: renormalises its argument in place
    output /= output.sum(axis=-1, keepdims=True)
    output = np.clip(output, 1e-7, 1 - 1e-7)  # So that weights dont become 0
    return np.sum(target * -np.log(output), axis=-1, keepdims=False)


def loss(name, y_pred, y_true):
    p, y = y_pred, y_true
    if name == "sse":  # 004: "the sum of the difference between each predicted value and the actual value", squared
        return np.sum((y - p) ** 2)
    if name == "mse":  # 001: np.mean(np.square(y - NN.forward(X)))
        return np.mean(np.square(y - p))
    if name == "binary_cross_entropy":  # 003: cost = 1/m * np.sum(loss(A, Y)), no clipping
        return _T003.loss(name, p, y)
    if name == "categorical_cross_entropy":  # 002: one value per sample, never averaged
        return _categorical_crossentropy(y, p)
    return _reference.loss(name, y_pred, y_true)  # half_sse: no tutorial prints it


def loss_grad(name, y_pred, y_true):
    p, y = _float(y_pred), _float(y_true)
    if name == "binary_cross_entropy":  # 003: dL/dA = -Y/A + (1 - Y)/(1 - A), of J = 1/m sum L
        m = p.shape[0]
        return 1 / m * (-y / p + (1 - y) / (1 - p))
    if name == "sse":  # 004: the "derivation of the loss function" starts from 2*(self.y - self.output)
        return 2 * (y - p)
    if name == "categorical_cross_entropy":  # 002 fit: dA_curr = categorical_crossentropy(y, X), the loss itself
        return np.broadcast_to(_categorical_crossentropy(y, p.copy())[:, None], p.shape).copy()
    return _reference.loss_grad(name, y_pred, y_true)  # half_sse, mse: no tutorial writes their derivative


# ---- 002's LinearLayer, on rows --------------------------------------------------------------------------


def _layer_slope(name, A):
    """g' in 002's LinearLayer.backward: the activation's backward(A) method, given the layer's output A.

    (The printed call, ``self.activation.backward(dA_curr, self.Z_curr)``, does not match the printed
    ``def backward(self, A)``; the parameter's name and the sigmoid's A*(1-A) say A is the output.)
    """
    if name == "sigmoid":
        return seed002.SigmoidActivation().backward(A)  # A * (1 - A)
    if name == "relu":
        return seed002.ReLUActivation().backward(A)  # A[A <= 0] = 0; A *= self.a
    return None  # 002 defines no other backward


def _layer_dz(name, Z, dA):
    """002: dZ[l] = dA[l] * g'(Z[l]); for an activation 002 gives no backward, reference_nn's chain rule."""
    slope = _layer_slope(name, _FORWARD[name](Z))
    if slope is not None:
        return dA * slope
    if name == "softmax":
        return np.einsum("mij,mi->mj", _reference.softmax_jacobian(Z), dA)
    return dA * _reference.activation_grad(name, Z)


def dense_forward(x, W, b, activation):  # 002 LinearLayer.forward: Z = W X + b, on rows x W + b
    Z = np.dot(_float(x), W)
    if b is not None:
        Z = Z + b
    return _FORWARD[activation](Z)


def _layer_backward(x, W, b, activation, dA):
    """002 LinearLayer.backward on rows: (dA_prev, dZ A_prev^T, sum of dZ), before the 1/m."""
    A_prev, W = _float(x), _float(W)
    Z = np.dot(A_prev, W) + (0 if b is None else b)
    dZ = _layer_dz(activation, Z, _float(dA))  # dZ = dA * g'(Z)
    dA_prev = np.dot(dZ, W.T)  # dA_prev = W^T dZ
    return dA_prev, np.dot(A_prev.T, dZ), None if b is None else np.sum(dZ, axis=0)


def dense_backward(x, W, b, activation, grad_a):
    """002's dW = 1/m dZ A_prev^T and db = 1/m sum dZ are the mean loss's gradients for a per-sample dA;
    the protocol keeps any 1/m in the loss (grad_a is the whole loss's derivative), so: without it."""
    return _layer_backward(x, W, b, activation, grad_a)


def predict(X, weights, biases, activations):  # 002 NeuralNet.predict: each layer's forward in turn
    A = _float(X)
    for W, b, name in zip(weights, biases, activations):
        A = dense_forward(A, W, b, name)
    return A


# ---- training: each loss as the tutorial that uses it trains ---------------------------------------------


def _slope_from_output(name, a, z):
    """000, 001, 004 take the sigmoid's slope from its output; no tutorial trains other activations so."""
    if name == "sigmoid":
        return sigmoid_grad_from_output(a)
    return _reference.activation_grad(name, z)


def _train_delta_rule(X, Y, Ws, bs, acts, loss_name, lr, iterations):
    """000 (half SSE, implied), 001 (prints MSE), 004 (SSE), 003 (cross-entropy, one sigmoid neuron).

    000/001: l_delta = (y - l) * nonlin(l, True); 004 doubles the error: 2*(y - output); 003:
    dZ = A - Y and dw = 1/m X dZ^T, then w = w - learning_rate * dw. Hidden layers as 000 and 001:
    error = delta . W^T, delta = error * slope. Updates: W += l_prev^T . delta (times the rate; the
    tutorials' rate is 1).
    """
    m = X.shape[0]
    losses = []
    for _ in range(iterations):
        a, inputs, zs = X, [], []
        for W, b, name in zip(Ws, bs, acts):
            inputs.append(a)
            zs.append(np.dot(a, W) + (0 if b is None else b))
            a = _FORWARD[name](zs[-1])
        losses.append(loss(loss_name, a, Y))
        if loss_name == "binary_cross_entropy":
            delta = -(a - Y) / m  # 003, with the sign of the += updates below
        else:
            error = 2 * (Y - a) if loss_name == "sse" else Y - a
            delta = error * _slope_from_output(acts[-1], a, zs[-1])
        for i in range(len(Ws) - 1, -1, -1):
            step_W, step_b = np.dot(inputs[i].T, delta), delta.sum(axis=0)
            if loss_name == "binary_cross_entropy" and i == len(Ws) - 1:
                step_b = np.sum(delta)  # 003: db = 1/m * np.sum(dZ), one number for every output
            if i:
                delta = np.dot(delta, Ws[i].T) * _slope_from_output(acts[i - 1], inputs[i], zs[i - 1])
            Ws[i] += lr * step_W
            if bs[i] is not None:
                bs[i] += lr * step_b
    return losses


def _train_002(X, Y, Ws, bs, acts, lr, iterations):
    """002 NeuralNet.fit: the loss value is the upstream gradient; each layer updates in its backward."""
    losses = []
    for _ in range(iterations):
        A, inputs = X, []
        for W, b, name in zip(Ws, bs, acts):
            inputs.append(A)
            A = dense_forward(A, W, b, name)
        losses.append(loss("categorical_cross_entropy", A.copy(), Y))
        dA_curr = loss_grad("categorical_cross_entropy", A, Y)
        for i in range(len(Ws) - 1, -1, -1):
            m = X.shape[0]  # 002: m = A_prev.shape[1], the number of samples
            dA_prev, dW, db = _layer_backward(inputs[i], Ws[i], bs[i], acts[i], dA_curr)
            Ws[i] -= lr * dW / m  # W = W - alpha dW, dW = 1/m dZ A_prev^T
            if bs[i] is not None:
                bs[i] -= lr * db / m
            dA_curr = dA_prev
    return losses


#: the tutorials' programs that train on each loss, tried in turn (their wrappers refuse other networks)
_TRAINERS = {"half_sse": _T000, "mse": _T000, "sse": _T004, "binary_cross_entropy": _T003_TRAINING}


def train(X, Y, weights, biases, activations, loss, learning_rate, iterations):
    if loss in _TRAINERS:
        try:
            return _TRAINERS[loss].train(X, Y, weights, biases, activations, loss, learning_rate, iterations)
        except NotImplementedError:
            pass  # a network no tutorial's program trains: the tutorials' delta rule, below
    X, Y = _float(X), _float(Y)
    Ws = [_float(W).copy() for W in weights]
    bs = [None if b is None else _float(b).copy() for b in biases]
    if loss == "categorical_cross_entropy":
        losses = _train_002(X, Y, Ws, bs, list(activations), learning_rate, iterations)
    else:
        losses = _train_delta_rule(X, Y, Ws, bs, list(activations), loss, learning_rate, iterations)
    return {"weights": Ws, "biases": bs, "losses": np.array(losses)}
