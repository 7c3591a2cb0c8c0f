"""reference_nn.activations: values, derivatives against central differences, stability, error paths."""

import math
import warnings

import numpy as np
import pytest

from reference_nn.activations import (
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sigmoid,
    Softmax,
    get_activation,
)
from reference_nn.gradcheck import numerical_derivative, numerical_gradient, relative_error

# Every element-wise activation, with non-default parameters where it has any.
ELEMENTWISE = {
    "identity": {},
    "linear": {"a": 2.5},
    "sigmoid": {},
    "tanh": {},
    "binary_step": {"threshold": 0.3},
    "relu": {"a": 2.0},
    "leaky_relu": {"a": 1.5, "b": 0.1},
}

# By definition, written out independently of the package.
DEFINITIONS = {
    "identity": lambda z: z,
    "linear": lambda z: 2.5 * z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
    "binary_step": lambda z: np.where(z > 0.3, 1.0, 0.0),
    "relu": lambda z: np.maximum(2.0 * z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, 1.5 * z, 0.1 * z),
}

# -3.95, -3.85, ..., 3.95: at least 0.05 from every kink (0 and the step threshold 0.3), in a 2-D shape.
Z = np.linspace(-3.95, 3.95, 80).reshape(8, 10)

# overflow, division by zero and invalid results raise; underflow to 0 (the correctly rounded value of
# e^-1000 or e^-999, both far below the smallest subnormal 4.9e-324) stays numpy's default, ignored.
STRICT = {"over": "raise", "divide": "raise", "invalid": "raise"}


def test_every_activation_is_tested():
    assert set(ACTIVATIONS) == set(ELEMENTWISE) | {"softmax"}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_value_matches_the_definition(name):
    f = get_activation(name, **ELEMENTWISE[name])
    np.testing.assert_allclose(f.fn(Z), DEFINITIONS[name](Z), rtol=1e-15, atol=1e-15)
    assert f.fn(Z).shape == Z.shape and f.fn(Z).dtype == np.float64


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_grad_agrees_with_central_differences_away_from_kinks(name):
    f = get_activation(name, **ELEMENTWISE[name])
    assert relative_error(f.grad(Z), numerical_derivative(f.fn, Z)) < 1e-8


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_backward_is_grad_out_times_grad(name):
    f = get_activation(name, **ELEMENTWISE[name])
    g = np.random.default_rng(0).standard_normal(Z.shape)
    np.testing.assert_array_equal(f.backward(Z, g), g * f.grad(Z))


def test_derivatives_at_the_kinks_follow_the_documented_convention():
    z = np.array([0.0])
    assert ReLU().grad(z)[0] == 0.0
    assert LeakyReLU(a=1.5, b=0.1).grad(z)[0] == 0.1
    assert get_activation("binary_step").grad(z)[0] == 0.0
    assert get_activation("binary_step").fn(z)[0] == 0.0  # 1 only for z > threshold


def test_sigmoid_grad_from_output_is_s_times_one_minus_s():
    s = Sigmoid().fn(Z)
    np.testing.assert_allclose(Sigmoid.grad_from_output(s), Sigmoid().grad(Z), rtol=1e-12, atol=1e-16)
    assert relative_error(Sigmoid.grad_from_output(s), numerical_derivative(Sigmoid().fn, Z)) < 1e-8
    np.testing.assert_array_equal(Sigmoid.grad_from_output([0.0, 0.5, 1.0]), [0.0, 0.25, 0.0])


def test_defaults_and_none_give_the_documented_activation():
    assert isinstance(get_activation(), Identity)
    assert isinstance(get_activation(None), Identity)
    assert get_activation("linear").a == 1.0
    assert (LeakyReLU().a, LeakyReLU().b) == (1.0, 0.01)
    inst = Sigmoid()
    assert get_activation(inst) is inst
    assert repr(Linear(2.0)) == "Linear(a=2.0)"


# ---- softmax ------------------------------------------------------------------------------------------

ZS = np.array([[0.3, -1.2, 2.0, 0.5], [1.0, 1.0, 1.0, 1.0], [-3.0, 0.0, 4.0, -0.7]])


def test_softmax_rows_are_probabilities_and_shift_invariant():
    s = Softmax().fn(ZS)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert np.all(s > 0)
    np.testing.assert_allclose(s, np.exp(ZS) / np.exp(ZS).sum(axis=1, keepdims=True), rtol=1e-15)
    np.testing.assert_allclose(Softmax().fn(ZS + 100.0), s, rtol=1e-13)
    np.testing.assert_array_equal(s[1], [0.25] * 4)


def test_softmax_jacobian_agrees_with_central_differences():
    z = ZS.copy()
    m, k = z.shape
    numeric = np.zeros((m, k, k))
    for r in range(m):
        for i in range(k):
            d = numerical_gradient(lambda r=r, i=i: Softmax().fn(z)[r, i], z)
            assert np.all(np.delete(d, r, axis=0) == 0)  # row r's output depends on row r only
            numeric[r, i] = d[r]
    J = Softmax().jacobian(ZS)
    assert J.shape == (m, k, k)
    assert relative_error(J, numeric) < 1e-8
    s = Softmax().fn(ZS)
    np.testing.assert_allclose(J, np.einsum("ri,ij->rij", s, np.eye(k)) - np.einsum("ri,rj->rij", s, s), atol=1e-16)


def test_softmax_jacobian_of_one_row_and_of_a_stack():
    J1 = Softmax().jacobian(ZS[0])
    assert J1.shape == (4, 4)
    np.testing.assert_array_equal(J1, Softmax().jacobian(ZS)[0])
    J3 = Softmax().jacobian(np.stack([ZS, -ZS]))
    assert J3.shape == (2, 3, 4, 4)
    np.testing.assert_array_equal(J3[1], Softmax().jacobian(-ZS))


def test_softmax_backward_agrees_with_central_differences_and_the_jacobian():
    z = ZS.copy()
    g = np.random.default_rng(1).standard_normal(z.shape)
    numeric = numerical_gradient(lambda: np.sum(g * Softmax().fn(z)), z)
    back = Softmax().backward(ZS, g)
    assert relative_error(back, numeric) < 1e-8
    np.testing.assert_allclose(back, np.einsum("ri,rij->rj", g, Softmax().jacobian(ZS)), atol=1e-15)


# ---- stability ----------------------------------------------------------------------------------------


def test_sigmoid_at_plus_and_minus_1000_is_exact_finite_and_silent():
    with warnings.catch_warnings(), np.errstate(**STRICT):
        warnings.simplefilter("error")
        s = Sigmoid().fn([1000.0, -1000.0, 0.0])
        d = Sigmoid().grad([1000.0, -1000.0])
    # sigmoid(1000) = 1 - e^-1000 rounds to 1.0; sigmoid(-1000) = e^-1000 / (1 + e^-1000) ~ 5e-435
    # rounds to 0.0 (below the smallest subnormal), so exactly 0.0 is the correctly rounded value.
    assert s.tolist() == [1.0, 0.0, 0.5]
    assert d.tolist() == [0.0, 0.0]
    assert math.exp(-1000) == 0.0  # the same underflow in plain Python


def test_tanh_at_plus_and_minus_1000_is_exact():
    with warnings.catch_warnings(), np.errstate(**STRICT):
        warnings.simplefilter("error")
        assert get_activation("tanh").fn([1000.0, -1000.0]).tolist() == [1.0, -1.0]
        assert get_activation("tanh").grad([1000.0, -1000.0]).tolist() == [0.0, 0.0]


def test_softmax_of_1000_and_1_is_exact_finite_and_silent():
    with warnings.catch_warnings(), np.errstate(**STRICT):
        warnings.simplefilter("error")
        s = Softmax().fn([1000.0, 1.0])
        rows = Softmax().fn([[1000.0, 1.0], [-1000.0, -1001.0]])
        back = Softmax().backward([1000.0, 1.0], [1.0, 0.0])
    # [1 / (1 + e^-999), e^-999 / (1 + e^-999)]: e^-999 ~ 2.5e-434 rounds to 0.
    assert s.tolist() == [1.0, 0.0]
    np.testing.assert_array_equal(rows[0], [1.0, 0.0])
    np.testing.assert_allclose(rows[1], [1 / (1 + math.exp(-1)), math.exp(-1) / (1 + math.exp(-1))], rtol=1e-15)
    assert back.tolist() == [0.0, 0.0]


# ---- error paths --------------------------------------------------------------------------------------


def test_unknown_activation_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'swish'; expected one of \['binary_step', 'identity'"):
        get_activation("swish")


def test_activation_spec_of_the_wrong_type():
    with pytest.raises(TypeError, match="activation: expected a name or an Activation, got int"):
        get_activation(3)


def test_parameters_with_an_instance_are_refused():
    with pytest.raises(TypeError, match="parameters can only be given with an activation name, not an instance"):
        get_activation(Sigmoid(), a=2.0)


def test_a_parameter_the_activation_does_not_take():
    with pytest.raises(TypeError, match=r"activation 'sigmoid': Sigmoid\(\) takes no arguments"):
        get_activation("sigmoid", a=2.0)
    with pytest.raises(TypeError, match=r"activation 'linear': .*unexpected keyword argument 'b'"):
        get_activation("linear", b=2.0)


def test_bad_activation_parameters():
    with pytest.raises(TypeError, match="activation 'relu': a: expected a real number, got str"):
        get_activation("relu", a="2")
    with pytest.raises(ValueError, match="a: expected a finite number, got nan"):
        Linear(float("nan"))
    with pytest.raises(TypeError, match="threshold: expected a real number, got bool"):
        get_activation("binary_step", threshold=True)
    with pytest.raises(ValueError, match="b: expected a finite number, got inf"):
        LeakyReLU(b=float("inf"))


def test_backward_refuses_to_broadcast():
    with pytest.raises(ValueError, match=r"grad_out has shape \(1, 3\) but z has shape \(3, 1\); they must match"):
        Sigmoid().backward(np.zeros((3, 1)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"grad_out has shape \(2,\) but z has shape \(2, 2\)"):
        Softmax().backward(np.zeros((2, 2)), np.zeros(2))


def test_softmax_has_no_elementwise_grad():
    with pytest.raises(TypeError, match=r"softmax has no element-wise derivative; use Softmax.jacobian\(z\)"):
        Softmax().grad(ZS)
    # the internal hook is never reached through the public API, but it must not return silently either
    with pytest.raises(TypeError, match="softmax has no element-wise derivative"):
        Softmax()._grad(ZS)


@pytest.mark.parametrize("method", ["fn", "jacobian", "backward"])
def test_softmax_input_shape_checks(method):
    call = getattr(Softmax(), method)
    args = (lambda z: (z, z)) if method == "backward" else (lambda z: (z,))
    with pytest.raises(ValueError, match=r"z: expected a 1-D or 2-D or 3-D array, got shape \(\)"):
        call(*args(np.float64(1.0)))
    with pytest.raises(ValueError, match=r"z: expected a 1-D or 2-D or 3-D array, got shape \(1, 1, 1, 2\)"):
        call(*args(np.zeros((1, 1, 1, 2))))
    with pytest.raises(ValueError, match=r"z: expected at least one entry on the last axis, got shape \(2, 0\)"):
        call(*args(np.zeros((2, 0))))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_bad_input_is_refused_by_every_activation(name):
    f = get_activation(name)
    with pytest.raises(ValueError, match="z: expected finite values, but it contains NaN or infinite values"):
        f.fn([[0.0, np.nan]])
    with pytest.raises(TypeError, match="z: expected a real numeric array, got dtype <U1"):
        f.fn([["a", "b"]])
    with pytest.raises(TypeError, match="z: expected a numeric array, got None"):
        f.backward(None, [[1.0]])
    with pytest.raises(ValueError, match="grad_out: expected finite values"):
        f.backward([[0.0, 1.0]], [[np.inf, 1.0]])
