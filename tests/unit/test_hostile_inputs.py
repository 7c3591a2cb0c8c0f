"""Hostile inputs: every activation, loss and the dense layer on values no tutorial tried.

Property tests (hypothesis, fixed profile below: derandomized, no example database, no deadline, so
every run draws the same examples) over finite values up to +-1e300, subnormal values, one sample,
a few samples and zero-size batches, plus one large batch per function. Every call runs under
``np.errstate(over, divide, invalid = "raise")``: an overflow, a division by zero or an invalid
operation is an error even where NumPy would only warn. Underflow to 0 or to a subnormal is the
correctly rounded result and stays allowed.

The domains are stated where the mathematically correct result stops being representable:
squared errors need |p - y| <= 1e150 (its square must stay below 1.8e308), the dense layer
|x|, |W|, |b|, dL/da <= 1e150 with at most 5 inputs (sums of products stay below 1e301), the linear
and ReLU slopes |a|, |b| <= 100, the cross-entropies probabilities p and targets y in [0, 1].
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference_nn import ACTIVATIONS, LOSSES, Dense, Network, Softmax, get_activation, get_loss, train_many

settings.register_profile(
    "reference_nn-hostile",
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.too_slow],
)
PROFILE = settings.get_profile("reference_nn-hostile")

STRICT = {"over": "raise", "divide": "raise", "invalid": "raise"}
HUGE = 1e300
SUBNORMALS = [5e-324, -5e-324, 1e-310, -2.2250738585072e-308]


def floats(bound):
    """Finite floats in [-bound, bound], subnormals and signed zeros included, edges favoured."""
    edges = st.sampled_from([0.0, -0.0, bound, -bound, *SUBNORMALS])
    return st.one_of(edges, st.floats(-bound, bound, allow_nan=False, allow_infinity=False))


def unit_floats():
    """Floats in [0, 1], with 0, 1, subnormals and 1 - 2^-53 favoured."""
    edges = st.sampled_from([0.0, 1.0, 5e-324, 1e-310, 1.0 - 2.0**-53, 1e-16, 0.5])
    return st.one_of(edges, st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False))


# zero-size, one sample, a few samples; 1 to 5 columns
SHAPES = st.tuples(st.sampled_from([0, 1, 2, 7]), st.integers(1, 5))
NONEMPTY = st.tuples(st.sampled_from([1, 2, 7]), st.integers(1, 5))


def arrays(shape_strategy, elements):
    return shape_strategy.flatmap(lambda shape: hnp.arrays(np.float64, shape, elements=elements))


def large_batch(shape=(20_000, 3), low=-323.0, high=300.0, seed=0):
    """Random signs and magnitudes 10^U(low, high): subnormal to 1e300, plus zeros and the extremes."""
    rng = np.random.default_rng(seed)
    values = rng.choice([-1.0, 1.0], size=shape) * 10.0 ** rng.uniform(low, high, size=shape)
    flat = values.reshape(-1)
    flat[:8] = [0.0, -0.0, 10.0**high, -(10.0**high), 5e-324, -5e-324, 1.0, -1.0]
    return values


def strict(fn, *args):
    with np.errstate(**STRICT):
        return fn(*args)


def assert_finite(*arrays_):
    for a in arrays_:
        assert np.all(np.isfinite(a)), a


# ---- activations --------------------------------------------------------------------------------------

SLOPES = floats(100.0)

#: an element-wise activation with hostile parameters: (name, params strategy, range of f)
ELEMENTWISE = {
    "identity": (st.just({}), None),
    "linear": (st.fixed_dictionaries({"a": SLOPES}), None),
    "sigmoid": (st.just({}), (0.0, 1.0)),
    "tanh": (st.just({}), (-1.0, 1.0)),
    "binary_step": (st.fixed_dictionaries({"threshold": floats(HUGE)}), (0.0, 1.0)),
    "relu": (st.fixed_dictionaries({"a": SLOPES}), None),
    "leaky_relu": (st.fixed_dictionaries({"a": SLOPES, "b": SLOPES}), None),
}


def test_every_activation_and_loss_is_covered():
    assert set(ACTIVATIONS) == set(ELEMENTWISE) | {"softmax"}
    assert set(LOSSES) == set(SQUARED) | set(CROSS_ENTROPY)


def _check_elementwise(name, params, z, g):
    f = get_activation(name, **params)
    a, d, back = strict(f.fn, z), strict(f.grad, z), strict(f.backward, z, g)
    assert a.shape == d.shape == back.shape == z.shape
    assert_finite(a, d, back)
    low_high = ELEMENTWISE[name][1]
    if low_high is not None:
        assert np.all((low_high[0] <= a) & (a <= low_high[1]))
    if name == "sigmoid":
        assert np.all((0.0 <= d) & (d <= 0.25))
    if name == "tanh":
        assert np.all((0.0 <= d) & (d <= 1.0))


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@PROFILE
@given(data=st.data())
def test_elementwise_activations_stay_finite_and_in_range_up_to_1e300(name, data):
    """|z| <= 1e300, |dL/da| <= 1e300 / 100 with a slope (|a|, |b| <= 100), else 1e300: f, f', backward finite."""
    params = data.draw(ELEMENTWISE[name][0], label="params")
    z = data.draw(arrays(SHAPES, floats(HUGE)), label="z")
    bound = HUGE / 100 if params else HUGE
    g = data.draw(hnp.arrays(np.float64, z.shape, elements=floats(bound)), label="grad_out")
    _check_elementwise(name, params, z, g)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_activations_on_a_large_batch(name):
    z = large_batch()
    params = {"linear": {"a": 100.0}, "relu": {"a": -100.0}, "leaky_relu": {"a": 100.0, "b": -100.0}}
    g = large_batch(seed=1, high=298.0)
    _check_elementwise(name, params.get(name, {}), z, g)


@PROFILE
@given(z=arrays(SHAPES, floats(HUGE)), data=st.data())
def test_softmax_rows_sum_to_one_and_its_derivatives_are_finite(z, data):
    """|z| <= 1e300 (row max minus row min <= 2e300): rows in [0, 1] summing to 1 within 1e-12."""
    g = data.draw(hnp.arrays(np.float64, z.shape, elements=floats(1e300 / 10)), label="grad_out")
    s = strict(Softmax().fn, z)
    back = strict(Softmax().backward, z, g)
    jac = strict(Softmax().jacobian, z)
    assert s.shape == back.shape == z.shape and jac.shape == z.shape + (z.shape[-1],)
    assert_finite(s, back, jac)
    assert np.all((0.0 <= s) & (s <= 1.0))
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(jac.sum(axis=-1), 0.0, rtol=0, atol=1e-12)  # d(sum s)/dz = 0


def test_softmax_on_a_large_batch():
    z = large_batch()
    s, back = strict(Softmax().fn, z), strict(Softmax().backward, z, large_batch(seed=1, high=299.0))
    assert_finite(s, back)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=0, atol=1e-12)


def test_sigmoid_is_exact_where_the_textbook_formula_overflows():
    """Below z = -709, e^-z would overflow: f(z) is e^z there, subnormal down to about -745, then 0."""
    z = np.array([-709.5, -740.0, -745.2, -1000.0, -1e300])
    s = strict(get_activation("sigmoid").fn, z)
    np.testing.assert_array_equal(s, np.exp(z))
    assert s[1] > 0.0 and s[-1] == 0.0


# ---- losses -------------------------------------------------------------------------------------------

SQUARED = ("sse", "half_sse", "mse")
CROSS_ENTROPY = ("binary_cross_entropy", "categorical_cross_entropy")


def pair(bound_or_unit):
    """(y_pred, y_true) of the same non-empty shape."""
    elements = unit_floats() if bound_or_unit is None else floats(bound_or_unit)
    return NONEMPTY.flatmap(
        lambda shape: st.tuples(
            hnp.arrays(np.float64, shape, elements=elements), hnp.arrays(np.float64, shape, elements=elements)
        )
    )


def _check_loss(name, p, y):
    loss = get_loss(name)
    value, grad = strict(loss.fn, p, y), strict(loss.grad, p, y)
    assert np.isfinite(value) and value >= 0.0
    assert grad.shape == p.shape
    assert_finite(grad)


@pytest.mark.parametrize("name", SQUARED)
@PROFILE
@given(py=pair(5e149))
def test_squared_errors_are_finite_while_the_square_is_representable(name, py):
    """|p|, |y| <= 5e149, so |p - y| <= 1e150 and (p - y)^2 <= 1e300: value >= 0 and gradient finite."""
    _check_loss(name, *py)


@pytest.mark.parametrize("name", CROSS_ENTROPY)
@PROFILE
@given(py=pair(None))
def test_cross_entropies_are_finite_for_probabilities_in_0_1(name, py):
    """p and y in [0, 1], including exact 0 and 1 and subnormals: p is clipped, so no log(0) and no 1/0."""
    _check_loss(name, *py)


@pytest.mark.parametrize("name", SQUARED + CROSS_ENTROPY)
def test_losses_on_a_large_batch(name):
    if name in SQUARED:
        p, y = large_batch(high=149.0), large_batch(seed=1, high=149.0)
    else:
        p, y = np.abs(large_batch(high=0.0)), np.abs(large_batch(seed=1, high=0.0))
    _check_loss(name, p, y)


@pytest.mark.parametrize("name", SQUARED + CROSS_ENTROPY)
def test_losses_refuse_a_zero_size_batch_naming_y_pred(name):
    with pytest.raises(ValueError, match=r"^y_pred: expected at least one row"):
        get_loss(name).fn(np.zeros((0, 2)), np.zeros((0, 2)))


# ---- the dense layer ----------------------------------------------------------------------------------

LAYER_BOUND = 1e150


@st.composite
def layers(draw):
    """A Dense layer with 1-5 inputs, 1-4 outputs, hostile weights, bias or not, any activation."""
    n_in, n_out = draw(st.integers(1, 5), label="n_in"), draw(st.integers(1, 4), label="n_out")
    W = draw(hnp.arrays(np.float64, (n_in, n_out), elements=floats(LAYER_BOUND)), label="W")
    b = draw(st.none() | hnp.arrays(np.float64, (n_out,), elements=floats(LAYER_BOUND)), label="b")
    name = draw(st.sampled_from(sorted(ACTIVATIONS)), label="activation")
    params = draw(ELEMENTWISE[name][0], label="params") if name in ELEMENTWISE else {}
    if name in ("linear", "relu", "leaky_relu"):  # keep slope * z representable: |a|, |b| <= 2.5 here
        params = {k: float(np.clip(v, -2.5, 2.5)) for k, v in params.items()}
    return Dense(W, b, name, **params)


def _check_layer(layer, x, grad_a):
    a = strict(layer.forward, x)
    dx, dW, db = strict(layer.backward, grad_a)
    assert a.shape == (x.shape[0], layer.n_out)
    assert dx.shape == x.shape and dW.shape == layer.W.shape
    assert (db is None) == (layer.b is None) and (db is None or db.shape == layer.b.shape)
    assert_finite(a, dx, dW, *([] if db is None else [db]))


@PROFILE
@given(layer=layers(), m=st.sampled_from([1, 2, 7]), data=st.data())
def test_dense_layer_forward_and_backward_stay_finite(layer, m, data):
    """|x|, |W|, |b|, |dL/da| <= 1e150, n_in <= 5, slopes <= 2.5: z <= 5e300 + 1e150; every output finite."""
    x = data.draw(hnp.arrays(np.float64, (m, layer.n_in), elements=floats(LAYER_BOUND)), label="x")
    grad_a = data.draw(hnp.arrays(np.float64, (m, layer.n_out), elements=floats(LAYER_BOUND)), label="grad_a")
    _check_layer(layer, x, grad_a)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_dense_layer_on_a_large_batch(name):
    rng = np.random.default_rng(2)
    params = {"linear": {"a": 2.5}, "relu": {"a": 2.5}, "leaky_relu": {"a": 2.5, "b": -2.5}}.get(name, {})
    layer = Dense(rng.choice([-1.0, 1.0], (5, 3)) * LAYER_BOUND, rng.normal(size=3), name, **params)
    x = large_batch((20_000, 5), high=150.0)
    _check_layer(layer, x, large_batch((20_000, 3), seed=1, high=150.0))


def test_dense_layer_refuses_a_zero_size_batch_naming_x():
    with pytest.raises(ValueError, match=r"^x: expected at least one row"):
        Dense(np.ones((3, 2))).forward(np.zeros((0, 3)))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_keep_a_zero_size_batch_as_it_is(name):
    f = get_activation(name)
    z = np.zeros((0, 3))
    assert strict(f.fn, z).shape == (0, 3)
    if name == "softmax":
        assert strict(f.backward, z, z).shape == (0, 3) and strict(f.jacobian, z).shape == (0, 3, 3)
    else:
        assert strict(f.grad, z).shape == (0, 3) and strict(f.backward, z, z).shape == (0, 3)


# ---- NaN and infinity are refused, naming the argument ------------------------------------------------

BAD = [np.nan, np.inf, -np.inf]


def _with_bad(shape, value, at=0):
    a = np.full(shape, 0.5)
    a.reshape(-1)[at] = value
    return a


def _activation_calls(name):
    f = get_activation(name)
    ok = np.full((2, 3), 0.5)
    calls = [("z", lambda v: f.fn(_with_bad((2, 3), v))), ("z", lambda v: f.backward(_with_bad((2, 3), v), ok))]
    calls.append(("grad_out", lambda v: f.backward(ok, _with_bad((2, 3), v, at=4))))
    calls.append(
        (
            "z",
            (lambda v: f.jacobian(_with_bad((2, 3), v)))
            if name == "softmax"
            else lambda v: f.grad(_with_bad((2, 3), v)),
        )
    )
    return calls


CALLS = [(f"activation {n}", arg, call) for n in sorted(ACTIVATIONS) for arg, call in _activation_calls(n)]
CALLS += [
    ("activation parameter", "a", lambda v: get_activation("linear", a=v)),
    ("activation parameter", "b", lambda v: get_activation("leaky_relu", b=v)),
    ("activation parameter", "threshold", lambda v: get_activation("binary_step", threshold=v)),
]
for _name in sorted(LOSSES):
    CALLS += [
        (f"loss {_name}", "y_pred", lambda v, n=_name: get_loss(n).fn(_with_bad((2, 2), v), np.full((2, 2), 0.5))),
        (f"loss {_name}", "y_true", lambda v, n=_name: get_loss(n).grad(np.full((2, 2), 0.5), _with_bad((2, 2), v, 3))),
    ]
CALLS += [
    ("dense", "weights", lambda v: Dense(_with_bad((3, 2), v))),
    ("dense", "bias", lambda v: Dense(np.ones((3, 2)), _with_bad((2,), v))),
    ("dense", "x", lambda v: Dense(np.ones((3, 2))).forward(_with_bad((4, 3), v))),
    ("dense", "grad_a", lambda v: _forwarded().backward(_with_bad((4, 2), v))),
    ("network", "X", lambda v: _net().fit(_with_bad((4, 3), v), np.zeros((4, 1)))),
    ("network", "Y", lambda v: _net().fit(np.zeros((4, 3)), _with_bad((4, 1), v))),
    ("network", "learning_rate", lambda v: _net().fit(np.zeros((4, 3)), np.zeros((4, 1)), learning_rate=v)),
    ("network", "X", lambda v: _net().predict(_with_bad((4, 3), v))),
    (
        "train_many",
        "weights[1]",
        lambda v: train_many(
            np.zeros((4, 3)), np.zeros((4, 1)), [np.ones((2, 3, 4)), _with_bad((2, 4, 1), v)], "sigmoid"
        ),
    ),
]


def _forwarded():
    layer = Dense(np.ones((3, 2)), activation="sigmoid")
    layer.forward(np.ones((4, 3)))
    return layer


def _net():
    return Network.from_weights([np.ones((3, 4)), np.ones((4, 1))], "sigmoid")


@pytest.mark.parametrize("value", BAD, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(("where", "argument", "call"), CALLS, ids=[f"{w}-{a}" for w, a, _ in CALLS])
def test_nan_and_infinity_raise_a_value_error_naming_the_argument(where, argument, call, value):
    with pytest.raises(ValueError, match=rf"^{re.escape(argument)}: "):
        call(value)
