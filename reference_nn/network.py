"""A sequential network of dense layers, trained by full-batch gradient descent.

One training iteration is what every tutorial loop does: a forward pass on all samples,
the loss of that pass recorded, a backward pass, then for every layer::

    W <- W - learning_rate * dL/dW        b <- b - learning_rate * dL/db

:func:`train_many` runs the same iterations for S networks at once (a leading axis of size S
on every weight array), which is how statistics over many seeds are computed.

Divergence: by default (``on_nonfinite="raise"``) training stops with :class:`DivergenceError` at
the first iteration whose loss is NaN or infinite, or whose update makes a weight or bias NaN or
infinite; the message names the iteration (counting from 0), the quantity and the layer, and the
weights are left as they were before that iteration, all finite. ``on_nonfinite="keep"`` trains on
regardless, without checks and without warnings, for anyone studying divergence: the losses and
weights then hold whatever IEEE arithmetic gives (inf, NaN).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, as_list, as_matrix, check_size, finite_number, lookup, positive_int
from .activations import Activation, get_activation
from .layers import Dense, dense_forward
from .losses import Loss, get_loss


def _transpose(a):
    """The last two axes swapped (a view): ``a.T`` for one network, per network for a stack."""
    return a.T if a.ndim == 2 else np.swapaxes(a, -1, -2)


def _output_delta(loss, activation):
    """dL/dz of the output layer as a function of (z, a, Y).

    The plain chain rule reuses the output ``a`` (``Activation._backward_out``); a loss with a
    fused form for this activation (cross-entropy after sigmoid or softmax) gives it itself.
    """
    if type(loss)._delta is Loss._delta:
        return lambda z, a, Y: activation._backward_out(z, a, loss._grad(a, Y))
    return lambda z, a, Y: loss._delta(activation, z, a, Y)


def _forward(X, Ws, bs, acts, matmul):
    """(inputs of every layer, pre-activations of every layer, output of the last layer)."""
    inputs, zs = [], []
    a = X
    for W, b, act in zip(Ws, bs, acts):
        inputs.append(a)
        z = matmul(a, W)
        if b is not None:
            z += b[..., None, :]
        zs.append(z)
        a = act._fn(z)
    return inputs, zs, a


def _matmul(Ws):
    # np.dot is the faster call for one network; a stack needs matmul's broadcasting. Both give the same
    # bits for each network (train_many == Network.fit is tested).
    return np.dot if Ws[0].ndim == 2 else np.matmul


def _gradients(X, Y, Ws, bs, acts, loss):
    """One forward and backward pass: (loss value, [dL/dW], [dL/db]) for every layer.

    The arithmetic is the same as one iteration of :func:`_train`.
    """
    matmul = _matmul(Ws)
    X = np.ascontiguousarray(X)  # one memory layout, so BLAS sees the same operands in every path
    inputs, zs, a = _forward(X, Ws, bs, acts, matmul)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    dz = _output_delta(loss, acts[-1])(zs[-1], a, Y)
    for layer in range(len(Ws) - 1, -1, -1):
        dWs[layer] = matmul(_transpose(inputs[layer]), dz)
        dbs[layer] = None if bs[layer] is None else dz.sum(axis=-2)
        if layer:
            dz = acts[layer - 1]._backward_out(zs[layer - 1], inputs[layer], matmul(dz, _transpose(Ws[layer])))
    return loss._fn(a, Y), dWs, dbs


class DivergenceError(FloatingPointError):
    """Training produced a NaN or infinite loss, weight or bias (see the module docstring).

    ``iteration`` is the failing iteration counting from 0, ``losses`` the finite losses before it.
    """

    def __init__(self, message, iteration, losses):
        super().__init__(message)
        self.iteration, self.losses = iteration, losses

    def __reduce__(self):  # pickled whole, e.g. from a worker process
        return type(self), (str(self), self.iteration, self.losses)


#: the accepted values of ``on_nonfinite``: whether to check for divergence
_ON_NONFINITE = {"raise": True, "keep": False}


#: iterations trained between two divergence checks
CHUNK = 4096


def _copy(Ws, bs):
    return [W.copy() for W in Ws], [None if b is None else b.copy() for b in bs]


def _restore(Ws, bs, saved):
    """Copy the saved values back into the arrays themselves (the network holds them)."""
    for p, q in zip(Ws + bs, saved[0] + saved[1]):
        if p is not None:
            p[...] = q


def _first_nonfinite(named, stack):
    """'<name> [of network s] became <value>' for the first of the (name, array) pairs holding NaN or inf, or None."""
    for name, p in named:
        if p is not None and not np.isfinite(p).all():
            p = np.asarray(p)
            bad = tuple(np.argwhere(~np.isfinite(p))[0])
            return f"{name}{f' of network {bad[0]}' if stack else ''} became {p[bad]}"
    return None


def _train(X, Y, Ws, bs, acts, loss, learning_rate, iterations):
    """Gradient descent in place on the lists ``Ws`` and ``bs``; returns the loss of each iteration.

    The same arithmetic as :func:`_gradients` followed by the updates, written to cost what the
    tutorials' own loops cost: no validation inside the loop, transposed weights and bias rows made
    once as views (they follow the in-place updates), no multiplication by a learning rate of 1, and
    the losses computed from the kept outputs in blocks rather than one call per iteration.
    """
    matmul = _matmul(Ws)
    X = np.ascontiguousarray(X)  # as in _gradients
    one = Ws[0].ndim == 2
    out_act, plain = acts[-1], type(loss)._delta is Loss._delta  # plain: the chain rule, as _output_delta
    rate = None if learning_rate == 1.0 else learning_rate
    forward = list(zip(Ws, [None if b is None else b[..., None, :] for b in bs], acts))
    # backward, last layer first: (index, W, W^T, b, activation of the layer below or None)
    backward = [(i, Ws[i], _transpose(Ws[i]), bs[i], acts[i - 1] if i else None) for i in range(len(Ws) - 1, -1, -1)]
    XT = _transpose(X)
    n_out = X.shape[0] * Ws[-1].shape[-1] * (Ws[0].shape[0] if Ws[0].ndim == 3 else 1)
    block = max(1, min(1024, 2**16 // max(n_out, 1)))
    losses, outputs = [], []
    for _ in range(iterations):
        inputs, zs = [], []
        a = X
        for W, b, act in forward:
            inputs.append(a)
            z = matmul(a, W)
            if b is not None:
                z += b
            zs.append(z)
            a = act._fn(z)
        outputs.append(a)
        if len(outputs) == block:
            losses.append(loss._fn(np.stack(outputs), Y))
            outputs = []
        dz = out_act._backward_out(z, a, loss._grad(a, Y)) if plain else loss._delta(out_act, z, a, Y)
        for i, W, WT, b, below in backward:
            x = inputs[i]
            dW = matmul(XT if not i else x.T if one else x.swapaxes(-1, -2), dz)
            if below is not None:
                dx = matmul(dz, WT)  # with the weights before this update
            if rate is None:
                W -= dW
            else:
                W -= rate * dW
            if b is not None:
                db = dz.sum(axis=-2)
                b -= db if rate is None else rate * db
            if below is not None:
                dz = below._backward_out(zs[i - 1], inputs[i], dx)
    if outputs:
        losses.append(loss._fn(np.stack(outputs), Y))
    if not losses:  # no iterations: (0,) for one network, (0, S) for a stack
        return np.empty((0, Ws[0].shape[0]) if Ws[0].ndim == 3 else 0)
    return np.concatenate(losses)


def _train_checked(X, Y, Ws, bs, acts, loss, learning_rate, iterations, on_nonfinite, caller):
    """:func:`_train` without floating-point warnings, checked for divergence unless ``on_nonfinite="keep"``.

    Training runs in chunks of CHUNK iterations; after a chunk whose losses or parameters are not all
    finite, the chunk is replayed from a copy one iteration at a time to find the first failing one.
    """
    check = lookup(_ON_NONFINITE, on_nonfinite, "on_nonfinite", "'raise' or 'keep'")
    stack = Ws[0].ndim == 3
    S = (Ws[0].shape[0],) if stack else ()
    check_size((iterations, *S), "loss history")
    check_size((*S, X.shape[0], max(W.shape[-1] for W in Ws)), "layer outputs")
    args = (X, Y, Ws, bs, acts, loss, learning_rate)
    if not check:
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return _train(*args, iterations)
    params = [
        (f"the {what} of layer {i}", p)
        for i, W_b in enumerate(zip(Ws, bs))
        for what, p in zip(("weights", "bias"), W_b)
    ]
    losses = [np.empty((0, *S))]
    for start in range(0, iterations, CHUNK):
        saved = _copy(Ws, bs)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            chunk = _train(*args, min(CHUNK, iterations - start))
            if not np.isfinite(chunk).all() or _first_nonfinite(params, stack):
                _restore(Ws, bs, saved)
                for j, row in enumerate(chunk):  # replay: the loss of iteration start + j, then its update
                    if (what := _first_nonfinite([("the loss", row)], stack)) is None:
                        before = _copy(Ws, bs)
                        _train(*args, 1)
                        if (what := _first_nonfinite(params, stack)) is None:
                            continue
                        _restore(Ws, bs, before)
                        what = "after its update, " + what
                    raise DivergenceError(
                        f"{caller} diverged at iteration {start + j} of {iterations} (counting from 0): {what}. "
                        "A smaller learning_rate may help; on_nonfinite='keep' trains on regardless.",
                        start + j,
                        np.concatenate([*losses, chunk[:j]]),
                    )
        losses.append(chunk)
    return np.concatenate(losses)


def _predict(X, Ws, bs, acts):
    a = X
    for W, b, act in zip(Ws, bs, acts):
        _, a = dense_forward(a, W, b, act)
    return a


def _per_layer(weights, activations, biases, stack):
    """Three lists of one length: weights, activations (one for all, or one each) and biases (None: none)."""
    kind, shape = ("weight stacks", "(S, n_in, n_out)") if stack else ("weight matrices", "(n_in, n_out)")
    weights = as_list(weights, "weights", f"a sequence of {shape} arrays")
    if not weights:
        raise ValueError(f"weights: expected at least one {shape} array, got none")
    if isinstance(activations, (str, Activation)):
        activations = [activations] * len(weights)
    else:
        activations = as_list(activations, "activations", "an activation name, an Activation or a sequence of them")
    biases = [None] * len(weights) if biases is None else as_list(biases, "biases", "None or a sequence of biases")
    if not len(weights) == len(activations) == len(biases):
        raise ValueError(f"got {len(weights)} {kind}, {len(activations)} activations and {len(biases)} biases")
    return weights, activations, biases


class Network:
    """Dense layers applied in order, with a loss for :meth:`fit`."""

    def __init__(self, layers, loss="half_sse"):
        layers = as_list(layers, "layers", "a non-empty sequence of Dense layers")
        if not layers or not all(isinstance(layer, Dense) for layer in layers):
            got = "an empty sequence" if not layers else sorted({type(layer).__name__ for layer in layers})
            raise TypeError(f"layers: expected a non-empty sequence of Dense layers, got {got}")
        for i, (prev, nxt) in enumerate(zip(layers, layers[1:])):
            if prev.n_out != nxt.n_in:
                raise ValueError(f"layer {i} gives {prev.n_out} outputs but layer {i + 1} expects {nxt.n_in} inputs")
        self.layers = layers
        self.loss = get_loss(loss)

    @classmethod
    def from_weights(cls, weights, activations, biases=None, loss="half_sse"):
        """A network from weight matrices (n_in, n_out), one activation name each, optional biases."""
        weights, activations, biases = _per_layer(weights, activations, biases, stack=False)
        return cls([Dense(W, b, act) for W, b, act in zip(weights, biases, activations)], loss)

    @property
    def weights(self):
        """Copies of the weight matrices, first layer first."""
        return [layer.W.copy() for layer in self.layers]

    @property
    def biases(self):
        """Copies of the biases (None for a layer without one)."""
        return [None if layer.b is None else layer.b.copy() for layer in self.layers]

    def _check_xy(self, X, Y=None):
        X = as_matrix(X, "X", n_cols=self.layers[0].n_in)
        check_size((X.shape[0], max(layer.n_out for layer in self.layers)), "layer outputs")
        if Y is None:
            return X
        Y = self.loss._in_domain(as_matrix(Y, "Y", n_cols=self.layers[-1].n_out), "Y")
        if Y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} samples but Y has {Y.shape[0]}")
        return X, Y

    def predict(self, X):
        """The output of the last layer for X of shape (m, n_in)."""
        X = self._check_xy(X)
        return _predict(
            X,
            [layer.W for layer in self.layers],
            [layer.b for layer in self.layers],
            [layer.activation for layer in self.layers],
        )

    def fit(self, X, Y, learning_rate=1.0, iterations=1, on_nonfinite="raise"):
        """Full-batch gradient descent on ``self.loss``; returns the loss before each update.

        A NaN or infinite loss, weight or bias raises :class:`DivergenceError` and leaves the weights
        as they were before the failing iteration; ``on_nonfinite="keep"`` trains on regardless.
        """
        X, Y = self._check_xy(X, Y)
        learning_rate = finite_number(learning_rate, "learning_rate", positive=True)
        iterations = positive_int(iterations, "iterations", allow_zero=True)
        Ws = [layer.W for layer in self.layers]
        bs = [layer.b for layer in self.layers]
        acts = [layer.activation for layer in self.layers]
        return _train_checked(X, Y, Ws, bs, acts, self.loss, learning_rate, iterations, on_nonfinite, "fit")

    def gradients(self, X, Y):
        """[(dL/dW, dL/db)] for every layer at the current weights (db is None without a bias)."""
        X, Y = self._check_xy(X, Y)
        _, dWs, dbs = _gradients(
            X,
            Y,
            [layer.W for layer in self.layers],
            [layer.b for layer in self.layers],
            [layer.activation for layer in self.layers],
            self.loss,
        )
        return list(zip(dWs, dbs))

    def loss_value(self, X, Y) -> float:
        """The loss of the current prediction."""
        X, Y = self._check_xy(X, Y)
        return self.loss.fn(self.predict(X), Y)

    def __repr__(self):
        return f"Network({self.layers!r}, loss={self.loss!r})"


def train_many(
    X, Y, weights, activations, loss="half_sse", learning_rate=1.0, iterations=1, biases=None, on_nonfinite="raise"
):
    """Train S networks at once: every ``weights[l]`` has shape (S, n_in, n_out).

    Returns ``(weights, biases, losses)`` with the trained stacks (the inputs are not modified)
    and the losses as an (iterations, S) array. Network s gets exactly the updates that
    ``Network.fit`` would give it alone. A NaN or infinite value in any network raises
    :class:`DivergenceError` naming it; ``on_nonfinite="keep"`` trains on regardless.
    """
    loss = get_loss(loss)
    X = as_matrix(X, "X")
    Y = loss._in_domain(as_matrix(Y, "Y"), "Y")
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but Y has {Y.shape[0]}")
    weights, activations, bs = _per_layer(weights, activations, biases, stack=True)
    Ws = [as_float_array(W, f"weights[{i}]", ndim=3).copy() for i, W in enumerate(weights)]
    S, n_prev = Ws[0].shape[0], X.shape[1]
    for i, W in enumerate(Ws):
        if W.shape[0] != S or W.shape[1] != n_prev:
            raise ValueError(f"weights[{i}]: expected shape ({S}, {n_prev}, n_out), got {W.shape}")
        if bs[i] is not None:
            bs[i] = as_float_array(bs[i], f"biases[{i}]", ndim=2).copy()
            if bs[i].shape != (S, W.shape[2]):
                raise ValueError(f"biases[{i}]: expected shape ({S}, {W.shape[2]}), got {bs[i].shape}")
        n_prev = W.shape[2]
    if Y.shape[1] != n_prev:
        raise ValueError(f"Y: expected shape (m, {n_prev}), got {Y.shape}")
    acts = [get_activation(a) for a in activations]
    losses = _train_checked(
        X,
        Y,
        Ws,
        bs,
        acts,
        loss,
        finite_number(learning_rate, "learning_rate", positive=True),
        positive_int(iterations, "iterations", allow_zero=True),
        on_nonfinite,
        "train_many",
    )
    return Ws, bs, losses
