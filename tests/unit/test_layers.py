"""reference_nn.layers: the dense layer's forward value, its backward pass against central differences, errors."""

import numpy as np
import pytest

from reference_nn.activations import ACTIVATIONS, Softmax, get_activation
from reference_nn.gradcheck import numerical_gradient, relative_error
from reference_nn.initializers import legacy_rng
from reference_nn.layers import Dense, dense_backward, dense_forward

PARAMS = {"linear": {"a": 2.5}, "relu": {"a": 2.0}, "leaky_relu": {"a": 1.5, "b": 0.1}, "binary_step": {}}
KINKS = {"relu": 0.0, "leaky_relu": 0.0, "binary_step": 0.0}


def _layer_and_data(name, bias, seed=3):
    rng = np.random.default_rng(seed)
    x, W, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    layer = Dense(W, b if bias else None, name, **PARAMS.get(name, {}))
    return layer, x, rng.standard_normal((5, 4))


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_backward_agrees_with_central_differences(name, bias):
    """L = sum(G * layer(x)) has dL/da = G, so backward(G) must be the gradient of L in x, W and b."""
    layer, x, G = _layer_and_data(name, bias)
    layer.forward(x)
    if name in KINKS:  # keep every pre-activation clear of the kink, where no derivative exists
        assert np.min(np.abs(layer._cache[1] - KINKS[name])) > 1e-3
    dx, dW, db = layer.backward(G)

    def L():
        return np.sum(G * layer.forward(x))

    assert relative_error(dW, numerical_gradient(L, layer.W)) < 1e-8
    assert relative_error(dx, numerical_gradient(L, x)) < 1e-8
    if bias:
        assert relative_error(db, numerical_gradient(L, layer.b)) < 1e-8
    else:
        assert db is None and layer.b is None
    assert (dx.shape, dW.shape) == (x.shape, layer.W.shape)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_forward_is_f_of_x_W_plus_b(name):
    layer, x, _ = _layer_and_data(name, bias=True)
    f = get_activation(name, **PARAMS.get(name, {}))
    np.testing.assert_array_equal(layer.forward(x), f.fn(x @ layer.W + layer.b))
    no_bias = Dense(layer.W, None, f)
    np.testing.assert_array_equal(no_bias.forward(x), f.fn(x @ layer.W))


def test_backward_formulas_as_documented():
    layer, x, G = _layer_and_data("tanh", bias=True)
    layer.forward(x)
    dx, dW, db = layer.backward(G)
    dz = G * (1 - np.tanh(x @ layer.W + layer.b) ** 2)
    np.testing.assert_allclose(dW, x.T @ dz, rtol=1e-14)
    np.testing.assert_allclose(db, dz.sum(axis=0), rtol=1e-14)
    np.testing.assert_allclose(dx, dz @ layer.W.T, rtol=1e-14)


def test_stacked_functions_give_each_network_its_own_result():
    """dense_forward / dense_backward with a leading axis S equal S separate calls."""
    rng = np.random.default_rng(5)
    x, W, b, G = (rng.standard_normal(s) for s in [(5, 3), (4, 3, 2), (4, 2), (4, 5, 2)])
    act = Softmax()
    z, a = dense_forward(x, W, b, act)
    dx, dW, db = dense_backward(x, W, z, act, G)
    assert (z.shape, dx.shape, dW.shape, db.shape) == ((4, 5, 2), (4, 5, 3), (4, 3, 2), (4, 2))
    for s in range(4):
        zs, a_s = dense_forward(x, W[s], b[s], act)
        np.testing.assert_allclose(z[s], zs, rtol=1e-15)
        np.testing.assert_allclose(a[s], a_s, rtol=1e-15)
        for got, want in zip((dx[s], dW[s], db[s]), dense_backward(x, W[s], zs, act, G[s])):
            np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-15)


def test_dense_backward_with_a_known_dz_skips_the_activation():
    rng = np.random.default_rng(6)
    x, W, dz = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
    dx, dW, db = dense_backward(x, W, None, Softmax(), None, has_bias=False, dz=dz)
    np.testing.assert_array_equal(dW, x.T @ dz)
    np.testing.assert_array_equal(dx, dz @ W.T)
    assert db is None


def test_the_layer_owns_copies_of_its_parameters():
    W, b = np.ones((2, 3)), np.zeros((1, 3))  # a (1, n_out) row is accepted as the bias
    layer = Dense(W, b, "relu")
    W[:] = 5.0
    b[:] = 5.0
    assert layer.W.tolist() == [[1.0] * 3] * 2 and layer.b.shape == (3,) and layer.b.tolist() == [0.0] * 3
    assert (layer.n_in, layer.n_out) == (2, 3)
    assert repr(layer) == "Dense(2 -> 3, ReLU(a=1.0), bias)"
    assert repr(Dense(np.ones((2, 1)))) == "Dense(2 -> 1, Identity(), no bias)"


def test_a_one_output_layer_takes_a_1_by_1_bias():
    assert Dense(np.ones((2, 1)), [[0.5]]).b.tolist() == [0.5]


def test_init_draws_weights_then_bias_from_the_initializer():
    layer = Dense.init(3, 4, "symmetric_uniform", legacy_rng(1), activation="leaky_relu", bias=True, b=0.2)
    rng = legacy_rng(1)
    np.testing.assert_array_equal(layer.W, 2 * rng.random((3, 4)) - 1)
    np.testing.assert_array_equal(layer.b, 2 * rng.random(4) - 1)
    assert layer.activation.b == 0.2
    no_bias = Dense.init(3, 4, lambda rng, shape: np.full(shape, 0.5), None)
    assert no_bias.b is None and np.all(no_bias.W == 0.5) and no_bias.activation.name == "identity"
    assert Dense.init(2, 2, "zeros", None).W.tolist() == [[0.0, 0.0], [0.0, 0.0]]


# ---- error paths --------------------------------------------------------------------------------------


def test_bias_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"bias: expected shape \(3,\), got \(2,\)"):
        Dense(np.ones((2, 3)), np.zeros(2))
    with pytest.raises(ValueError, match=r"bias: expected shape \(3,\), got \(3, 1\)"):
        Dense(np.ones((2, 3)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"bias: expected a 1-D or 2-D array, got shape \(\)"):
        Dense(np.ones((2, 3)), 0.5)


def test_weights_must_be_a_non_empty_matrix():
    with pytest.raises(ValueError, match=r"weights: expected a 2-D array, got shape \(3,\)"):
        Dense(np.ones(3))
    with pytest.raises(ValueError, match=r"weights: expected at least one row and one column, got shape \(2, 0\)"):
        Dense(np.ones((2, 0)))
    with pytest.raises(TypeError, match="weights: expected a real numeric array, got dtype object"):
        Dense([[1.0, None]])


def test_backward_needs_a_forward_first():
    with pytest.raises(RuntimeError, match=r"backward\(\) needs a forward\(\) first"):
        Dense(np.ones((2, 3))).backward(np.ones((1, 3)))


def test_input_and_upstream_gradient_shapes():
    layer = Dense(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"x: expected shape \(m, 2\), got \(4, 3\)"):
        layer.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"x: expected a 2-D array, got shape \(2,\)"):
        layer.forward(np.ones(2))
    layer.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"grad_a: expected shape \(4, 3\), got \(3, 4\)"):
        layer.backward(np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"grad_a: expected shape \(4, 3\), got \(1, 3\)"):
        layer.backward(np.ones((1, 3)))  # would broadcast; refused
    with pytest.raises(ValueError, match="grad_a: expected finite values"):
        layer.backward(np.full((4, 3), np.nan))


def test_unknown_activation_in_a_layer():
    with pytest.raises(ValueError, match="unknown activation 'elu'"):
        Dense(np.ones((2, 3)), activation="elu")
