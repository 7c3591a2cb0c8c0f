"""reference_nn.gradcheck: central differences on known functions, in-place perturbation, error paths."""

import numpy as np
import pytest

from reference_nn.gradcheck import numerical_derivative, numerical_gradient, relative_error
from reference_nn.network import Network


def test_numerical_gradient_of_a_known_function_and_param_restored():
    rng = np.random.default_rng(0)
    A, W = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    W0 = W.copy()
    g = numerical_gradient(lambda: np.sum(A * np.sin(W)), W)
    assert g.shape == W.shape and g.dtype == np.float64
    np.testing.assert_allclose(g, A * np.cos(W), rtol=1e-8, atol=1e-9)
    np.testing.assert_array_equal(W, W0)  # every entry put back exactly


def test_central_differences_are_exact_for_quadratics_up_to_rounding():
    w = np.array([0.5, -2.0, 3.0])
    g = numerical_gradient(lambda: float(w @ w), w, h=1e-3)
    np.testing.assert_allclose(g, 2 * w, rtol=1e-10)  # the O(h^2) term vanishes for a quadratic


def test_a_contiguous_view_is_perturbed_in_the_array_it_belongs_to():
    W = np.arange(6.0).reshape(2, 3)
    g = numerical_gradient(lambda: np.sum(W**2), W[1])  # row 1 is a contiguous view into W
    np.testing.assert_allclose(g, 2 * W[1], rtol=1e-8)
    g0 = numerical_gradient(lambda: float(np.sum(W) ** 2), W[0, 0, ...])  # a 0-d view
    assert g0.shape == () and g0 == pytest.approx(2 * W.sum(), rel=1e-8)


def test_usable_on_any_network_parameter():
    """The docstring's use: numerical_gradient(lambda: net.loss_value(X, Y), net.layers[0].W)."""
    rng = np.random.default_rng(1)
    net = Network.from_weights([rng.standard_normal((2, 3)), rng.standard_normal((3, 1))], "tanh", [None, np.zeros(1)])
    X, Y = rng.standard_normal((4, 2)), rng.standard_normal((4, 1))
    (dW0, _), (_, db1) = net.gradients(X, Y)
    assert relative_error(numerical_gradient(lambda: net.loss_value(X, Y), net.layers[0].W), dW0) < 1e-8
    assert relative_error(numerical_gradient(lambda: net.loss_value(X, Y), net.layers[1].b), db1) < 1e-8


def test_numerical_derivative_of_an_elementwise_function():
    x = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(numerical_derivative(np.sin, x), np.cos(x), rtol=1e-9, atol=1e-10)
    assert numerical_derivative(lambda t: t**3, 2, h=1e-4) == pytest.approx(12.0, rel=1e-8)


def test_relative_error():
    assert relative_error([1.0, 200.0], [1.5, 202.0]) == 0.5 / 1.5  # 0.5 / max(1, 1, 1.5) beats 2 / 202
    assert relative_error([0.0], [1e-9]) == 1e-9  # small values compare absolutely
    assert relative_error(np.zeros((0, 2)), np.zeros((0, 2))) == 0.0
    assert relative_error(3.0, 3.0) == 0.0


# ---- error paths --------------------------------------------------------------------------------------


def test_param_must_be_a_float64_array():
    with pytest.raises(TypeError, match="param: expected a float64 numpy array that f reads, got list"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])
    with pytest.raises(TypeError, match="param: expected a float64 numpy array that f reads, got dtype float32"):
        numerical_gradient(lambda: 0.0, np.ones(2, dtype=np.float32))


def test_param_must_be_perturbable_in_place():
    W = np.ones((3, 4))
    for view in (W.T, W[:, :2]):
        with pytest.raises(ValueError, match="param: expected a contiguous array .* got a non-contiguous view"):
            numerical_gradient(lambda: np.sum(W), view)
    # a strided view that is still one flat run with a single stride is fine: W[:, ::2] is every other entry
    g = numerical_gradient(lambda: float(np.sum(np.arange(12.0).reshape(3, 4) * W)), W[:, ::2])
    np.testing.assert_allclose(g, np.arange(12.0).reshape(3, 4)[:, ::2], rtol=1e-8, atol=1e-8)


def test_step_must_be_a_positive_finite_number():
    with pytest.raises(ValueError, match="h: expected a number > 0, got 0.0"):
        numerical_gradient(lambda: 0.0, np.ones(2), h=0.0)
    with pytest.raises(ValueError, match="h: expected a finite number, got inf"):
        numerical_derivative(np.sin, [1.0], h=float("inf"))
    with pytest.raises(TypeError, match="h: expected a real number, got NoneType"):
        numerical_derivative(np.sin, [1.0], h=None)


def test_relative_error_refuses_to_broadcast():
    with pytest.raises(ValueError, match=r"cannot compare shapes \(3, 1\) and \(1, 3\)"):
        relative_error(np.zeros((3, 1)), np.zeros((1, 3)))
