"""reference_nn.network: gradients against central differences, fit, train_many, iris, error paths."""

import numpy as np
import pytest

from reference_nn import datasets
from reference_nn.activations import LeakyReLU, Sigmoid, get_activation
from reference_nn.gradcheck import numerical_gradient, relative_error
from reference_nn.initializers import scaled_normal
from reference_nn.layers import Dense
from reference_nn.network import Network, train_many

_R = np.random.default_rng(11)
X6 = _R.standard_normal((6, 3))
TARGETS = {
    "unit": _R.uniform(0.0, 1.0, (6, 2)),
    "real": _R.standard_normal((6, 2)),
    "binary": _R.integers(0, 2, (6, 2)).astype(float),
    "one_hot": np.eye(3)[[0, 1, 2, 2, 1, 0]],
    "soft": _R.uniform(0.0, 1.0, (6, 3)),  # rows do not sum to 1
}

# activations (one per layer), loss, target, bias. Fused output steps: sigmoid + binary cross-entropy and
# softmax + categorical cross-entropy; every other pairing goes through the chain rule.
CASES = {
    "sse-tanh-sigmoid": (["tanh", "sigmoid"], "sse", "unit", True),
    "half_sse-sigmoid-no-bias": (["sigmoid", "sigmoid"], "half_sse", "binary", False),
    "mse-leaky-tanh-identity": (["leaky_relu", "tanh", "identity"], "mse", "real", True),
    "mse-linear-relu-no-bias": ([get_activation("linear", a=0.5), "relu", "linear"], "mse", "real", False),
    "bce-fused-sigmoid": (["tanh", "sigmoid"], "binary_cross_entropy", "binary", True),
    "bce-fused-sigmoid-soft-targets": (["relu", "tanh", "sigmoid"], "binary_cross_entropy", "unit", True),
    "bce-chain-softmax": (["sigmoid", "softmax"], "binary_cross_entropy", "binary", True),
    "cce-fused-softmax": (["relu", "tanh", "softmax"], "categorical_cross_entropy", "one_hot", True),
    "cce-fused-softmax-soft-targets": (["tanh", "softmax"], "categorical_cross_entropy", "soft", False),
    "cce-fused-softmax-one-layer": (["softmax"], "categorical_cross_entropy", "one_hot", True),
    "cce-chain-sigmoid": (["tanh", "sigmoid"], "categorical_cross_entropy", "one_hot", True),
}


def _network(acts, loss, n_out, bias, seed=0):
    rng = np.random.default_rng(seed)
    sizes = [3, 4, 3][: len(acts)] + [n_out]
    weights = [rng.standard_normal((a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.standard_normal(b) if bias else None for b in sizes[1:]]
    return Network.from_weights(weights, acts, biases, loss)


def _pre_activations(net, X):
    zs, a = [], X
    for layer in net.layers:
        zs.append(a @ layer.W + (0 if layer.b is None else layer.b))
        a = layer.activation.fn(zs[-1])
    return zs


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradients_agree_with_central_differences_of_loss_value(case):
    acts, loss, target, bias = CASES[case]
    Y = TARGETS[target]
    net = _network(acts, loss, Y.shape[1], bias)
    for z, layer in zip(_pre_activations(net, X6), net.layers):
        if layer.activation.name in ("relu", "leaky_relu"):  # clear of the kink at 0
            assert np.min(np.abs(z)) > 1e-3
    grads = net.gradients(X6, Y)
    assert len(grads) == len(acts)
    for layer, (dW, db) in zip(net.layers, grads):
        assert relative_error(dW, numerical_gradient(lambda: net.loss_value(X6, Y), layer.W)) < 1e-7
        if bias:
            assert relative_error(db, numerical_gradient(lambda: net.loss_value(X6, Y), layer.b)) < 1e-7
        else:
            assert db is None


def test_predict_is_the_layers_applied_in_order():
    net = _network(["relu", "tanh", "softmax"], "categorical_cross_entropy", 3, True)
    a = X6
    for layer in net.layers:
        a = layer.forward(a)
    np.testing.assert_array_equal(net.predict(X6), a)
    assert net.loss_value(X6, TARGETS["one_hot"]) == net.loss.fn(a, TARGETS["one_hot"])


def test_fit_records_the_loss_before_each_update_and_descends_the_gradient():
    net = _network(["tanh", "sigmoid"], "binary_cross_entropy", 2, True)
    Y = TARGETS["binary"]
    before, grads = net.loss_value(X6, Y), net.gradients(X6, Y)
    expected = [(W - 0.3 * dW, b - 0.3 * db) for W, b, (dW, db) in zip(net.weights, net.biases, grads)]
    losses = net.fit(X6, Y, learning_rate=0.3, iterations=1)
    assert losses.shape == (1,) and losses[0] == before
    for layer, (W, b) in zip(net.layers, expected):
        np.testing.assert_array_equal(layer.W, W)
        np.testing.assert_array_equal(layer.b, b)
    after = net.fit(X6, Y, learning_rate=0.3, iterations=50)
    assert after[0] == net.loss.fn(expected_prediction(expected, net, X6), Y)
    assert np.all(np.diff(after) < 0) and after[-1] < before


def expected_prediction(params, net, X):
    a = X
    for (W, b), layer in zip(params, net.layers):
        a = layer.activation.fn(a @ W + b)
    return a


def test_fit_with_zero_iterations_changes_nothing():
    net = _network(["sigmoid"], "half_sse", 2, False)
    W = net.weights[0]
    assert net.fit(X6, TARGETS["unit"], 1.0, 0).shape == (0,)
    np.testing.assert_array_equal(net.layers[0].W, W)


def test_weights_and_biases_are_copies():
    net = _network(["sigmoid", "sigmoid"], "half_sse", 2, True)
    net.weights[0][:] = 9.0
    net.biases[1][:] = 9.0
    assert not np.any(net.layers[0].W == 9.0) and not np.any(net.layers[1].b == 9.0)
    assert _network(["sigmoid"], "half_sse", 2, False).biases == [None]


def test_from_weights_broadcasts_one_activation_to_every_layer():
    W = [np.ones((3, 4)), np.ones((4, 2))]
    assert [layer.activation.name for layer in Network.from_weights(W, "tanh").layers] == ["tanh", "tanh"]
    leaky = LeakyReLU(b=0.2)
    assert all(layer.activation is leaky for layer in Network.from_weights(W, leaky).layers)
    net = Network([Dense(W[0], None, "relu"), Dense(W[1], np.zeros(2), "sigmoid")], loss="mse")
    assert repr(net).startswith("Network([Dense(3 -> 4, ReLU(a=1.0), no bias), Dense(4 -> 2, Sigmoid(), bias)]")
    assert repr(net).endswith("loss=MeanSquaredError())")


# ---- train_many ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "acts, loss, bias",
    [
        (["leaky_relu", "tanh", "softmax"], "categorical_cross_entropy", True),
        ("sigmoid", "half_sse", False),
        ([Sigmoid(), LeakyReLU(b=0.2), "sigmoid"], "binary_cross_entropy", True),
    ],
)
def test_train_many_gives_each_network_exactly_what_fit_gives_it_alone(acts, loss, bias):
    """Bit-identical, not just within 1e-12 (measured: maximum difference 0.0).

    Network s goes through the same float64 operations in the same order either way: numpy's stacked
    matmul runs the same BLAS routine on each (m, n) @ (n, k) slice that a 2-D matmul runs, the
    element-wise steps are the same, and the loss and bias sums reduce the same axes in the same order.
    """
    X, labels = datasets.iris()
    Y = datasets.one_hot(labels)
    sizes, S = [4, 10, 5, 3], 4
    rng = np.random.default_rng(21)
    W = [0.3 * rng.standard_normal((S, a, b)) for a, b in zip(sizes, sizes[1:])]
    b = [rng.standard_normal((S, n)) for n in sizes[1:]] if bias else None
    W_in, b_in = [w.copy() for w in W], None if b is None else [x.copy() for x in b]
    Ws, bs, losses = train_many(X, Y, W, acts, loss, 0.01, 60, biases=b)
    assert losses.shape == (60, S) and [w.shape for w in Ws] == [w.shape for w in W]
    for s in range(S):
        net = Network.from_weights([w[s] for w in W], acts, None if b is None else [x[s] for x in b], loss)
        np.testing.assert_array_equal(losses[:, s], net.fit(X, Y, 0.01, 60))
        for layer, w_s, b_s in zip(net.layers, Ws, bs):
            np.testing.assert_array_equal(layer.W, w_s[s])
            if bias:
                np.testing.assert_array_equal(layer.b, b_s[s])
            else:
                assert b_s is None
    for w, w0 in zip(W, W_in):  # the inputs are not modified
        np.testing.assert_array_equal(w, w0)
    if bias:
        for x, x0 in zip(b, b_in):
            np.testing.assert_array_equal(x, x0)


def test_train_many_with_zero_iterations_returns_copies():
    W = [np.ones((2, 3, 1))]
    Ws, bs, losses = train_many(X6, TARGETS["unit"][:, :1], W, "sigmoid", iterations=0)
    assert losses.shape == (0, 2) and bs == [None]
    Ws[0][:] = 5.0
    assert np.all(W[0] == 1.0)


# ---- iris ---------------------------------------------------------------------------------------------


def test_iris_4_10_5_3_reaches_90_percent_on_the_held_out_quarter():
    """ReLU, ReLU, softmax with biases; categorical cross-entropy; full-batch descent with fit.

    Split: shuffle_split(150, 0.25, seed=42), 112 training and 38 held-out rows. Features are
    standardised with the training rows' mean and standard deviation only. Weights 0.5 N(0, 1) from
    default_rng(0), biases 0; learning rate 0.1, 1000 iterations (measured: 38/38 held-out rows right).
    """
    X, labels = datasets.iris()
    train, test = datasets.shuffle_split(150, 0.25, seed=42)
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    Z = (X - mean) / std
    rng = np.random.default_rng(0)
    weights = [scaled_normal(rng, shape, 0.5) for shape in [(4, 10), (10, 5), (5, 3)]]
    biases = [np.zeros(10), np.zeros(5), np.zeros(3)]
    net = Network.from_weights(weights, ["relu", "relu", "softmax"], biases, "categorical_cross_entropy")
    losses = net.fit(Z[train], datasets.one_hot(labels[train]), learning_rate=0.1, iterations=1000)
    assert losses[-1] < 0.2 * losses[0]
    assert len(test) == 38
    assert datasets.accuracy(net.predict(Z[test]).argmax(axis=1), labels[test]) >= 0.9


# ---- error paths --------------------------------------------------------------------------------------


def test_layers_must_be_a_non_empty_sequence_of_dense_layers():
    with pytest.raises(TypeError, match="expected a non-empty sequence of Dense layers, got an empty sequence"):
        Network([])
    with pytest.raises(TypeError, match=r"expected a non-empty sequence of Dense layers, got \['ndarray'\]"):
        Network([np.ones((2, 2))])


def test_consecutive_layers_must_fit():
    with pytest.raises(ValueError, match="layer 0 gives 4 outputs but layer 1 expects 3 inputs"):
        Network.from_weights([np.ones((3, 4)), np.ones((3, 1))], "sigmoid")


def test_from_weights_counts_must_agree():
    with pytest.raises(ValueError, match="got 2 weight matrices, 1 activations and 2 biases"):
        Network.from_weights([np.ones((3, 4)), np.ones((4, 1))], ["sigmoid"], [None, None])


def test_unknown_loss_in_a_network():
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        Network.from_weights([np.ones((3, 1))], "sigmoid", loss="l1")


@pytest.mark.parametrize("method", ["fit", "gradients", "loss_value"])
def test_data_shapes_are_checked(method):
    net = Network.from_weights([np.ones((3, 2))], "sigmoid")
    call = getattr(net, method)
    with pytest.raises(ValueError, match=r"X: expected shape \(m, 3\), got \(4, 2\)"):
        call(np.ones((4, 2)), np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"Y: expected shape \(m, 2\), got \(4, 1\)"):
        call(np.ones((4, 3)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="X has 4 samples but Y has 3"):
        call(np.ones((4, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"Y: expected a 2-D array, got shape \(4,\)"):
        call(np.ones((4, 3)), np.ones(4))
    with pytest.raises(ValueError, match=r"X: expected at least one row and one column, got shape \(0, 3\)"):
        call(np.ones((0, 3)), np.ones((0, 2)))
    with pytest.raises(ValueError, match="Y: expected finite values"):
        call(np.ones((4, 3)), np.full((4, 2), np.nan))


def test_predict_checks_its_input():
    net = Network.from_weights([np.ones((3, 2))], "sigmoid")
    with pytest.raises(ValueError, match=r"X: expected shape \(m, 3\), got \(1, 4\)"):
        net.predict(np.ones((1, 4)))
    with pytest.raises(TypeError, match="X: expected a numeric array, got str"):
        net.predict("1 2 3")


def test_fit_hyper_parameters_are_checked():
    net = Network.from_weights([np.ones((3, 1))], "sigmoid")
    X, Y = np.ones((2, 3)), np.ones((2, 1))
    with pytest.raises(ValueError, match="learning_rate: expected a number > 0, got 0.0"):
        net.fit(X, Y, learning_rate=0)
    with pytest.raises(ValueError, match="learning_rate: expected a finite number, got nan"):
        net.fit(X, Y, learning_rate=float("nan"))
    with pytest.raises(TypeError, match="learning_rate: expected a real number, got str"):
        net.fit(X, Y, learning_rate="0.1")
    with pytest.raises(ValueError, match="iterations: expected an integer >= 0, got -1"):
        net.fit(X, Y, iterations=-1)
    with pytest.raises(TypeError, match="iterations: expected an integer, got float"):
        net.fit(X, Y, iterations=10.0)
    with pytest.raises(TypeError, match="iterations: expected an integer, got bool"):
        net.fit(X, Y, iterations=True)


def test_train_many_checks_its_arguments():
    X, Y = np.ones((4, 3)), np.ones((4, 1))
    W = [np.ones((2, 3, 5)), np.ones((2, 5, 1))]
    with pytest.raises(ValueError, match="X has 4 samples but Y has 3"):
        train_many(X, np.ones((3, 1)), W, "sigmoid")
    with pytest.raises(ValueError, match=r"weights: expected at least one \(S, n_in, n_out\) array, got none"):
        train_many(X, Y, [], "sigmoid")
    with pytest.raises(ValueError, match="got 2 weight stacks, 3 activations and 2 biases"):
        train_many(X, Y, W, ["sigmoid"] * 3)
    with pytest.raises(ValueError, match="got 2 weight stacks, 2 activations and 1 biases"):
        train_many(X, Y, W, "sigmoid", biases=[None])
    with pytest.raises(ValueError, match=r"weights\[1\]: expected shape \(2, 5, n_out\), got \(3, 5, 1\)"):
        train_many(X, Y, [W[0], np.ones((3, 5, 1))], "sigmoid")
    with pytest.raises(ValueError, match=r"weights\[0\]: expected shape \(2, 3, n_out\), got \(2, 4, 5\)"):
        train_many(X, Y, [np.ones((2, 4, 5)), W[1]], "sigmoid")
    with pytest.raises(ValueError, match=r"weights\[0\]: expected a 3-D array, got shape \(3, 5\)"):
        train_many(X, Y, [np.ones((3, 5))], "sigmoid")
    with pytest.raises(ValueError, match=r"biases\[0\]: expected a 2-D array, got shape \(5,\)"):
        train_many(X, Y, W, "sigmoid", biases=[np.ones(5), None])
    with pytest.raises(ValueError, match=r"biases\[0\]: expected shape \(2, 5\), got \(1, 5\)"):
        train_many(X, Y, W, "sigmoid", biases=[np.ones((1, 5)), None])  # would broadcast; refused
    with pytest.raises(ValueError, match=r"biases\[1\]: expected shape \(2, 1\), got \(1, 2\)"):
        train_many(X, Y, W, "sigmoid", biases=[None, np.ones((1, 2))])
    with pytest.raises(ValueError, match=r"Y: expected shape \(m, 1\), got \(4, 2\)"):
        train_many(X, np.ones((4, 2)), W, "sigmoid")
    with pytest.raises(ValueError, match="learning_rate: expected a number > 0, got -1.0"):
        train_many(X, Y, W, "sigmoid", learning_rate=-1.0)
    with pytest.raises(ValueError, match="unknown activation 'sigmoidal'"):
        train_many(X, Y, W, "sigmoidal")


@pytest.mark.parametrize(
    "act, loss, W, Y, dW",
    [
        ("sigmoid", "binary_cross_entropy", [[1000.0]], [[1.0], [1.0]], [[0.5]]),
        ("softmax", "categorical_cross_entropy", [[1000.0, -1000.0]], [[1.0, 0.0], [1.0, 0.0]], [[0.5, -0.5]]),
    ],
)
def test_saturated_outputs_train_without_warnings_and_with_finite_values(act, loss, W, Y, dW):
    """Outputs of exactly 0 and 1 for x = 1 and x = -1, the first right and the second wrong.

    The loss is the clipped one, (0 + -ln(1e-15)) / 2; the fused output step (a - y) / m still gives
    the wrong sample its full gradient: dW = x^T (a - y) / 2.
    """
    X = np.array([[1.0], [-1.0]])
    net = Network.from_weights([np.array(W)], act, loss=loss)
    assert set(np.unique(net.predict(X))) == {0.0, 1.0}
    ((grad, _),) = net.gradients(X, Y)
    np.testing.assert_array_equal(grad, dW)
    losses = net.fit(X, Y, learning_rate=0.1, iterations=3)
    assert np.all(np.isfinite(losses)) and losses[0] == pytest.approx(-np.log(1e-15) / 2, rel=1e-4)
