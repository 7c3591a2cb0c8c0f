"""reference_nn.losses: values by definition, gradients against central differences, stability, errors."""

import math
import warnings

import numpy as np
import pytest

from reference_nn.gradcheck import numerical_gradient, relative_error
from reference_nn.losses import EPS, LOSSES, Loss, get_loss

RNG = np.random.default_rng(7)
P = RNG.uniform(0.05, 0.95, size=(5, 3))  # predictions away from the clipping at EPS and 1 - EPS
Y01 = RNG.integers(0, 2, size=(5, 3)).astype(float)
YSOFT = RNG.uniform(0.0, 1.0, size=(5, 3))
ONE_HOT = np.eye(3)[[0, 2, 1, 1, 0]]
M, K = P.shape

DEFINITIONS = {
    "sse": lambda p, y: np.sum((p - y) ** 2),
    "half_sse": lambda p, y: 0.5 * np.sum((p - y) ** 2),
    "mse": lambda p, y: np.sum((p - y) ** 2) / (M * K),
    "binary_cross_entropy": lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / M,
    "categorical_cross_entropy": lambda p, y: -np.sum(y * np.log(p)) / M,
}
TARGETS = {"binary": Y01, "soft": YSOFT, "one_hot": ONE_HOT}


def test_every_loss_is_tested():
    assert set(LOSSES) == set(DEFINITIONS)


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_value_matches_the_definition(name, target):
    y = TARGETS[target]
    value = get_loss(name).fn(P, y)
    assert isinstance(value, float)
    assert value == pytest.approx(DEFINITIONS[name](P, y), rel=1e-14)


@pytest.mark.parametrize("target", sorted(TARGETS))
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_grad_agrees_with_central_differences(name, target):
    loss, y, p = get_loss(name), TARGETS[target], P.copy()
    numeric = numerical_gradient(lambda: loss.fn(p, y), p)
    grad = loss.grad(P, y)
    assert grad.shape == P.shape
    assert relative_error(grad, numeric) < 1e-8


def test_instances_pass_through_and_print():
    loss = get_loss("mse")
    assert get_loss(loss) is loss
    assert repr(loss) == "MeanSquaredError()"
    assert isinstance(loss, Loss)


def test_integer_inputs_are_read_as_float_and_boolean_ones_refused():
    assert get_loss("sse").fn([[1, 0]], np.array([[1, 1]], dtype=np.uint8)) == 1.0
    with pytest.raises(TypeError, match=r"^y_true: expected a real numeric array, got dtype bool"):
        get_loss("sse").fn([[1, 0]], [[True, True]])


# ---- stability: log losses at predictions of exactly 0 and 1 ------------------------------------------


def _silently(f, *args):
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return f(*args)


def test_binary_log_loss_at_exact_0_and_1_with_matching_labels_is_about_zero():
    bce = get_loss("binary_cross_entropy")
    # the true value is 0; clipping p to [EPS, 1 - EPS] leaves about EPS
    for p, y in [(0.0, 0.0), (1.0, 1.0)]:
        value = _silently(bce.fn, [[p]], [[y]])
        assert math.isfinite(value) and 0.0 <= value <= 1.2 * EPS
        grad = _silently(bce.grad, [[p]], [[y]])
        assert np.isfinite(grad).all() and abs(grad[0, 0]) == pytest.approx(1.0, rel=1e-14)


def test_binary_log_loss_at_exact_0_and_1_with_wrong_labels_is_the_clipped_value():
    """The exact loss is +inf; clipping to [EPS, 1 - EPS] gives -ln(EPS) = 34.5388 instead.

    At p = 1 the clip is at fl(1 - 1e-15) = 1 - 9.992e-16 (1 - EPS is not representable), so the
    value there is -ln(9.992e-16) = 34.5396, not exactly -ln(EPS).
    """
    bce = get_loss("binary_cross_entropy")
    at_zero = _silently(bce.fn, [[0.0]], [[1.0]])
    at_one = _silently(bce.fn, [[1.0]], [[0.0]])
    assert at_zero == -math.log(EPS)
    assert at_one == pytest.approx(-math.log(1.0 - (1.0 - EPS)), rel=1e-15)
    assert at_one == pytest.approx(-math.log(EPS), rel=1e-4)
    assert np.isfinite(_silently(bce.grad, [[0.0, 1.0]], [[1.0, 0.0]])).all()
    # averaged over m = 2 samples, one right and one wrong
    assert _silently(bce.fn, [[0.0], [0.0]], [[0.0], [1.0]]) == pytest.approx(-math.log(EPS) / 2, rel=1e-14)


def test_categorical_log_loss_at_exact_0_and_1():
    cce = get_loss("categorical_cross_entropy")
    assert _silently(cce.fn, [[1.0, 0.0]], [[1.0, 0.0]]) == -math.log(1.0 - EPS)  # p = 1 clipped at 1 - EPS (R27)
    assert _silently(cce.fn, [[0.0, 1.0]], [[1.0, 0.0]]) == -math.log(EPS)  # +inf clipped at EPS
    grad = _silently(cce.grad, [[0.0, 1.0]], [[1.0, 0.0]])
    assert grad.tolist() == [[-1.0 / EPS, -0.0]]


# ---- error paths --------------------------------------------------------------------------------------


def test_unknown_loss_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; expected one of \['binary_cross_entropy', "):
        get_loss("hinge")


def test_loss_spec_of_the_wrong_type():
    with pytest.raises(TypeError, match="loss: expected a name or a Loss, got NoneType"):
        get_loss(None)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_shapes_must_match_exactly(name):
    loss = get_loss(name)
    with pytest.raises(ValueError, match=r"y_pred has shape \(3, 1\) but y_true has shape \(1, 3\); they must match"):
        loss.fn(np.zeros((3, 1)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"y_pred has shape \(3, 1\) but y_true has shape \(3, 2\)"):
        loss.grad(np.zeros((3, 1)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"y_pred: expected a 2-D array, got shape \(3,\)"):
        loss.fn(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"y_true: expected a 2-D array, got shape \(2, 3, 1\)"):
        loss.grad(np.zeros((3, 1)), np.zeros((2, 3, 1)))


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_empty_input_is_refused_instead_of_dividing_by_zero(name):
    with pytest.raises(ValueError, match=r"y_pred: expected at least one row and one column, got shape \(0, 2\)"):
        get_loss(name).fn(np.zeros((0, 2)), np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"y_true: expected at least one row and one column, got shape \(2, 0\)"):
        get_loss(name).grad(np.zeros((2, 1)), np.zeros((2, 0)))


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_non_finite_and_non_numeric_input_is_refused(name):
    loss = get_loss(name)
    with pytest.raises(ValueError, match="y_pred: expected finite values, but it contains NaN or infinite values"):
        loss.fn([[np.nan]], [[1.0]])
    with pytest.raises(ValueError, match="y_true: expected finite values"):
        loss.grad([[0.5]], [[-np.inf]])
    with pytest.raises(TypeError, match="y_true: expected a real numeric array, got dtype complex128"):
        loss.fn([[0.5]], [[1j]])
