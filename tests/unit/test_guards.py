"""The package's guards: divergence, input dtypes, loss domains, the size limit, constructor types.

Property tests use the project's fixed hypothesis profile (derandomized, from test_hostile_inputs);
every refusal also has a plain test of its exact message ("what was expected, what came").
Warnings are errors in the suite, so a divergence that warned instead of raising would fail here.
"""

from __future__ import annotations

import pickle
import re
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import reference_nn
from reference_nn import (
    MAX_ELEMENTS,
    Dense,
    DivergenceError,
    LeakyReLU,
    Linear,
    Network,
    ReLU,
    SizeLimitError,
    Softmax,
    datasets,
    get_activation,
    get_loss,
    train_many,
)
from reference_nn import network as network_module
from reference_nn._checks import as_float_array, check_size
from reference_nn.initializers import legacy_rng, scaled_normal, uniform

from .test_hostile_inputs import PROFILE

X4 = np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]])
Y4 = np.array([[0.0], [1.0], [1.0], [0.0]])

# ---- divergence ---------------------------------------------------------------------------------------


def _growing_net():
    """Identity layers and the sum of squared errors: a large learning rate makes the loss grow geometrically."""
    return Network.from_weights([np.ones((3, 4)), np.ones((4, 1))], "identity", loss="sse")


def _all_finite(arrays):
    return all(a is None or np.isfinite(a).all() for a in arrays)


@pytest.mark.parametrize("chunk", [1, 3, network_module.CHUNK])
def test_a_diverging_fit_names_the_iteration_whose_loss_is_not_finite(chunk):
    """The same iteration whatever the number of iterations between two checks (3: found in the second chunk)."""
    net = _growing_net()
    with mock.patch.object(network_module, "CHUNK", chunk), pytest.raises(DivergenceError) as caught:
        net.fit(X4, Y4, learning_rate=10.0, iterations=10_000)
    assert str(caught.value) == (
        "fit diverged at iteration 4 of 10000 (counting from 0): the loss became inf. "
        "A smaller learning_rate may help; on_nonfinite='keep' trains on regardless."
    )
    assert caught.value.iteration == 4 and caught.value.losses.shape == (4,)
    assert np.isfinite(caught.value.losses).all() and caught.value.losses[-1] > 1e150
    kept = _growing_net()
    np.testing.assert_array_equal(kept.fit(X4, Y4, 10.0, 4), caught.value.losses)
    for left, before in zip(net.weights, kept.weights):  # the weights from before iteration 4
        np.testing.assert_array_equal(left, before)


def test_a_diverging_fit_names_the_update_that_made_a_weight_infinite():
    """x = 1e300 (finite): the first update is 1e10 * 1e300 / 2, so the weight overflows; the loss stays finite."""
    net = Network([Dense([[0.0]], activation="sigmoid")], loss="binary_cross_entropy")
    with pytest.raises(DivergenceError) as caught:
        net.fit([[1e300]], [[1.0]], learning_rate=1e10, iterations=5)
    assert str(caught.value).startswith(
        "fit diverged at iteration 0 of 5 (counting from 0): after its update, the weights of layer 0 became inf."
    )
    assert caught.value.iteration == 0 and caught.value.losses.shape == (0,)
    assert net.weights == [np.zeros((1, 1))]  # as before iteration 0
    net = Network([Dense([[0.0]], [0.0], activation="sigmoid")], loss="binary_cross_entropy")
    losses = net.fit([[1e300]], [[1.0]], learning_rate=1e10, iterations=5, on_nonfinite="keep")
    assert np.isfinite(losses).all() and net.weights[0][0, 0] == np.inf  # finite losses, infinite weight


def test_keep_trains_on_without_warnings_and_gives_nan():
    losses = _growing_net().fit(X4, Y4, learning_rate=10.0, iterations=300, on_nonfinite="keep")
    assert np.isnan(losses[-1]) and np.isfinite(losses[:4]).all()


def test_train_many_names_the_network_that_diverged():
    W = [np.ones((3, 3, 4)), np.ones((3, 4, 1))]
    W[0][0] *= 0.01
    W[1][0] *= 0.01  # network 0 starts small and stays finite longest; networks 1 and 2 diverge together
    with pytest.raises(DivergenceError) as caught:
        train_many(X4, Y4, W, "identity", "sse", learning_rate=0.5, iterations=100)
    assert re.match(
        r"train_many diverged at iteration \d+ of 100 \(counting from 0\): the loss of network 1 ", str(caught.value)
    )
    assert caught.value.losses.shape == (caught.value.iteration, 3)
    _, _, kept = train_many(X4, Y4, W, "identity", "sse", 0.5, 100, on_nonfinite="keep")
    first_bad = int(np.argmax(~np.isfinite(kept).all(axis=1)))
    assert caught.value.iteration == first_bad
    np.testing.assert_array_equal(kept[:first_bad], caught.value.losses)


def test_divergence_error_is_a_floating_point_error_exported_and_picklable():
    assert issubclass(DivergenceError, FloatingPointError) and "DivergenceError" in reference_nn.__all__
    with pytest.raises(DivergenceError) as caught:
        _growing_net().fit(X4, Y4, learning_rate=10.0, iterations=10)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value) and copy.iteration == 4
    np.testing.assert_array_equal(copy.losses, caught.value.losses)


@pytest.mark.parametrize(
    "value, error, message",
    [
        ("ignore", ValueError, r"^unknown on_nonfinite 'ignore'; expected one of \['keep', 'raise'\]$"),
        (None, TypeError, r"^on_nonfinite: expected 'raise' or 'keep', got NoneType$"),
    ],
)
def test_on_nonfinite_takes_raise_or_keep(value, error, message):
    with pytest.raises(error, match=message):
        _growing_net().fit(X4, Y4, on_nonfinite=value)
    with pytest.raises(error, match=message):
        train_many(X4, Y4, [np.ones((1, 3, 1))], "identity", on_nonfinite=value)


@st.composite
def training_runs(draw):
    """A 2-layer network, inputs up to 1e300, a rate from 1e-3 to 1e300, a chunk size between checks.

    A sigmoid output with the binary cross-entropy keeps the loss finite while huge updates can
    overflow the weights; identity, ReLU or tanh layers with a squared error let the loss itself overflow.
    """
    n_in, n_hidden, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    act = draw(st.sampled_from(["identity", "relu", "tanh", "sigmoid"]))
    loss = draw(st.sampled_from(["sse", "half_sse", "mse", "binary_cross_entropy"]))
    unit = st.floats(-1.0, 1.0)
    X = draw(hnp.arrays(np.float64, (m, n_in), elements=unit)) * draw(st.sampled_from([1.0, 1e3, 1e150, 1e300]))
    Y = np.abs(draw(hnp.arrays(np.float64, (m, 1), elements=unit)))
    weights = [draw(hnp.arrays(np.float64, s, elements=st.floats(-3, 3))) for s in [(n_in, n_hidden), (n_hidden, 1)]]
    acts = [act, "sigmoid" if loss == "binary_cross_entropy" else act]
    rate = draw(st.sampled_from([1e-3, 1.0, 10.0, 1e10, 1e100, 1e300]))
    return X, Y, weights, acts, loss, rate, draw(st.sampled_from([1, 2, 3, network_module.CHUNK]))


@PROFILE
@given(run=training_runs())
def test_fit_either_stays_finite_or_stops_at_the_first_non_finite_iteration(run):
    """Against on_nonfinite='keep' from the same weights: the same losses up to the failing iteration i, the
    weights left as after i iterations (all finite), and at i the loss or the update is non-finite. Any chunk
    size between checks gives the same answer."""
    X, Y, weights, act, loss, rate, chunk = run
    iterations = 60

    def net():
        return Network.from_weights([W.copy() for W in weights], act, loss=loss)

    kept = net()
    with mock.patch.object(network_module, "CHUNK", chunk):
        checked = net()
        try:
            losses = checked.fit(X, Y, rate, iterations)
        except DivergenceError as error:
            i = error.iteration
            assert error.losses.shape == (i,) and np.isfinite(error.losses).all()
            np.testing.assert_array_equal(kept.fit(X, Y, rate, i, on_nonfinite="keep"), error.losses)
            assert _all_finite(checked.weights + checked.biases)
            for left, before in zip(checked.weights, kept.weights):
                np.testing.assert_array_equal(left, before)
            (next_loss,) = kept.fit(X, Y, rate, 1, on_nonfinite="keep")
            assert not np.isfinite(next_loss) or not _all_finite(kept.weights)
            return
    np.testing.assert_array_equal(kept.fit(X, Y, rate, iterations, on_nonfinite="keep"), losses)
    assert np.isfinite(losses).all() and _all_finite(checked.weights)


# ---- input dtypes -------------------------------------------------------------------------------------

INTEGER_DTYPES = [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64]


@PROFILE
@given(data=st.data(), dtype=st.sampled_from(INTEGER_DTYPES))
def test_integers_are_converted_exactly(data, dtype):
    info = np.iinfo(dtype)
    low, high = max(int(info.min), -(2**53)), min(int(info.max), 2**53)
    x = data.draw(hnp.arrays(dtype, hnp.array_shapes(max_dims=2, max_side=4), elements=st.integers(low, high)))
    out = as_float_array(x, "x")
    assert out.dtype == np.float64 and out.shape == x.shape
    assert [int(v) for v in out.reshape(-1)] == [int(v) for v in x.reshape(-1)]


@PROFILE
@given(data=st.data(), dtype=st.sampled_from([np.float16, np.float32]))
def test_float16_and_float32_are_converted_exactly(data, dtype):
    x = data.draw(
        hnp.arrays(
            dtype,
            hnp.array_shapes(max_dims=2, max_side=4),
            elements=st.floats(width=np.finfo(dtype).bits, allow_nan=False, allow_infinity=False),
        )
    )
    out = as_float_array(x, "x")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.astype(dtype), x)
    np.testing.assert_array_equal(out, x.astype(np.float64))


@PROFILE
@given(x=hnp.arrays(np.bool_, hnp.array_shapes(min_dims=2, max_dims=2, max_side=4)))
def test_booleans_are_refused_by_every_entry_point(x):
    message = r": expected a real numeric array, got dtype bool \(write \.astype\(float\) if 0 and 1 are meant\)$"
    ones = np.ones(x.shape)
    net = Network.from_weights([np.ones((x.shape[1], 1))], "sigmoid")
    for argument, call in [
        ("y_pred", lambda: get_loss("mse").fn(x, ones)),
        ("y_true", lambda: get_loss("binary_cross_entropy").grad(ones, x)),
        ("z", lambda: get_activation("sigmoid").fn(x)),
        ("weights", lambda: Dense(x)),
        ("X", lambda: net.predict(x)),
        ("Y", lambda: net.fit(ones, x[:, :1])),
    ]:
        with pytest.raises(TypeError, match="^" + argument + message):
            call()


@pytest.mark.parametrize(
    "value, error, message",
    [
        (
            np.array([2**53 + 1]),
            ValueError,
            r"^x: expected integers of magnitude at most 2\^53 \(exact in float64\), "
            r"got values from 9007199254740993 to 9007199254740993$",
        ),
        (
            np.array([0, np.iinfo(np.uint64).max], dtype=np.uint64),
            ValueError,
            "got values from 0 to 18446744073709551615$",
        ),
        (np.array([-(2**53) - 1, 0]), ValueError, "got values from -9007199254740993 to 0$"),
        (np.ones(2, dtype=np.longdouble), TypeError, r"^x: expected a real numeric array, got dtype float128$"),
        (np.ones(2, dtype=object), TypeError, r"^x: expected a real numeric array, got dtype object$"),
        (np.ones(2, dtype=np.complex64), TypeError, r"^x: expected a real numeric array, got dtype complex64$"),
    ],
)
def test_integers_beyond_2_53_and_other_dtypes_are_refused(value, error, message):
    if value.dtype == np.longdouble and np.finfo(np.longdouble).bits == 64:
        pytest.skip("long double is float64 on this platform")
    with pytest.raises(error, match=message):
        as_float_array(value, "x")


def test_2_53_itself_is_exact_and_accepted():
    assert as_float_array(np.array([2**53, -(2**53)]), "x").tolist() == [2.0**53, -(2.0**53)]


# ---- loss domains -------------------------------------------------------------------------------------

CROSS_ENTROPY = ("binary_cross_entropy", "categorical_cross_entropy")
OUTSIDE_0_1 = st.one_of(
    st.floats(max_value=-5e-324, allow_nan=False, allow_infinity=False),
    st.floats(min_value=1.0000000000000002, allow_nan=False, allow_infinity=False),
)


@pytest.mark.parametrize("name", CROSS_ENTROPY)
@PROFILE
@given(data=st.data())
def test_cross_entropies_refuse_values_outside_0_1(name, data):
    """One entry outside [0, 1] in the target (or the prediction) is refused by fn, grad, fit and train_many."""
    shape = data.draw(st.tuples(st.integers(1, 4), st.integers(1, 3)), label="shape")
    y = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(0.0, 1.0)), label="y")
    y.reshape(-1)[data.draw(st.integers(0, y.size - 1), label="at")] = data.draw(OUTSIDE_0_1, label="bad")
    p = np.full(shape, 0.5)
    low, high = re.escape(str(y.min())), re.escape(str(y.max()))
    expected = rf"expected values in \[0, 1\] \({name} takes probabilities\), got values from {low} to {high}$"
    loss = get_loss(name)
    for argument, call in [
        ("y_true", lambda: loss.fn(p, y)),
        ("y_true", lambda: loss.grad(p, y)),
        ("y_pred", lambda: loss.fn(y, p)),
        (
            "Y",
            lambda: Network.from_weights([np.ones((2, shape[1]))], "sigmoid", loss=name).fit(np.ones((shape[0], 2)), y),
        ),
        ("Y", lambda: train_many(np.ones((shape[0], 2)), y, [np.ones((2, 2, shape[1]))], "sigmoid", name)),
    ]:
        with pytest.raises(ValueError, match=f"^{argument}: {expected}"):
            call()


def test_binary_cross_entropy_of_a_target_of_minus_one_is_refused():
    with pytest.raises(
        ValueError,
        match=r"^y_true: expected values in \[0, 1\] \(binary_cross_entropy takes probabilities\), "
        r"got values from -1.0 to 0.0$",
    ):
        get_loss("binary_cross_entropy").fn([[0.5], [0.5]], [[-1.0], [0.0]])


def test_squared_errors_take_any_real_target_and_categorical_rows_need_not_sum_to_1():
    assert get_loss("mse").fn([[0.5]], [[-1.0]]) == 2.25
    assert get_loss("categorical_cross_entropy").fn([[0.5, 0.5]], [[0.5, 0.0]]) == pytest.approx(0.5 * np.log(2))


# ---- the size limit -----------------------------------------------------------------------------------


def test_max_elements_is_one_gib_of_float64_and_size_limit_error_is_a_memory_error():
    assert MAX_ELEMENTS * 8 == 2**30 and issubclass(SizeLimitError, MemoryError)
    check_size((MAX_ELEMENTS,), "x")
    with pytest.raises(
        SizeLimitError,
        match=r"^x: expected at most MAX_ELEMENTS = 134,217,728 values \(1 GiB\), "
        r"got a request for shape \(134217729,\), 134,217,729 values \(1.0 GiB\)$",
    ):
        check_size((MAX_ELEMENTS + 1,), "x")


@PROFILE
@given(shape=st.lists(st.integers(0, 2**40), min_size=1, max_size=4))
def test_check_size_refuses_exactly_the_shapes_above_the_limit_without_overflowing(shape):
    total = 1
    for n in shape:
        total *= n
    if total <= MAX_ELEMENTS:
        check_size(shape, "x")
    else:
        with pytest.raises(
            SizeLimitError, match=f"got a request for shape {re.escape(str(tuple(shape)))}, {total:,} values"
        ):
            check_size(shape, "x")


@pytest.mark.parametrize(
    "what, call",
    [
        ("softmax jacobian", lambda: Softmax().jacobian(np.zeros((1, 20_000)))),  # 3.0 GiB
        ("loss history", lambda: _growing_net().fit(X4, Y4, 1e-3, 10**9)),  # 7.5 GiB
        ("loss history", lambda: train_many(X4, Y4, [np.ones((2, 3, 1))], "identity", iterations=10**8)),
        (
            "layer outputs",
            lambda: train_many(np.ones((200_000, 1)), np.ones((200_000, 1)), [np.ones((1000, 1, 1))], "identity"),
        ),
        ("layer outputs", lambda: Network([Dense(np.ones((1, 300)))]).predict(np.ones((2**19, 1)))),
        ("layer output", lambda: Dense(np.ones((1, 300))).forward(np.ones((2**19, 1)))),
        ("shape", lambda: uniform(np.random.default_rng(0), (2**14, 2**14 + 1))),
        ("shape", lambda: Dense.init(2**14, 2**14 + 1, "zeros", np.random.default_rng(0))),
        ("one_hot", lambda: datasets.one_hot(np.array([0, 1]), 10**8)),
        ("line_points", lambda: datasets.line_points(np.random.default_rng(0), 10**8)),
        ("shuffle_split", lambda: datasets.shuffle_split(10**9)),
    ],
    ids=[
        "jacobian",
        "fit-history",
        "train_many-history",
        "train_many-outputs",
        "predict",
        "dense",
        "initializer",
        "dense-init",
        "one_hot",
        "line_points",
        "shuffle_split",
    ],
)
def test_requests_above_the_limit_are_refused_before_allocating(what, call):
    with pytest.raises(SizeLimitError, match=f"^{what}: expected at most MAX_ELEMENTS = 134,217,728 values"):
        call()


# ---- constructors -------------------------------------------------------------------------------------

W = np.ones((2, 1))
RNG = np.random.default_rng(0)

CONSTRUCTORS = [
    (lambda: Network(None), TypeError, "layers: expected a non-empty sequence of Dense layers, got NoneType"),
    (lambda: Network(Dense(W)), TypeError, "layers: expected a non-empty sequence of Dense layers, got Dense"),
    (lambda: Network(np.array(1.0)), TypeError, "layers: expected a non-empty sequence of Dense layers, got ndarray"),
    (lambda: Network([]), TypeError, "layers: expected a non-empty sequence of Dense layers, got an empty sequence"),
    (lambda: Network([W]), TypeError, "layers: expected a non-empty sequence of Dense layers, got ['ndarray']"),
    (lambda: Network([Dense(W)], loss=None), TypeError, "loss: expected a name or a Loss, got NoneType"),
    (
        lambda: Network([Dense(W)], loss="l2"),
        ValueError,
        "unknown loss 'l2'; expected one of "
        "['binary_cross_entropy', 'categorical_cross_entropy', 'half_sse', 'mse', 'sse']",
    ),
    (
        lambda: Network.from_weights(None, "sigmoid"),
        TypeError,
        "weights: expected a sequence of (n_in, n_out) arrays, got NoneType",
    ),
    (
        lambda: Network.from_weights([], "sigmoid"),
        ValueError,
        "weights: expected at least one (n_in, n_out) array, got none",
    ),
    (
        lambda: Network.from_weights([W], None),
        TypeError,
        "activations: expected an activation name, an Activation or a sequence of them, got NoneType",
    ),
    (
        lambda: Network.from_weights([W], "sigmoid", biases=3),
        TypeError,
        "biases: expected None or a sequence of biases, got int",
    ),
    (
        lambda: Network.from_weights([W, W], ["sigmoid"]),
        ValueError,
        "got 2 weight matrices, 1 activations and 2 biases",
    ),
    (lambda: Dense(None), TypeError, "weights: expected a numeric array, got None"),
    (lambda: Dense(W, "x"), TypeError, "bias: expected a numeric array, got str"),
    (lambda: Dense(W, activation=3), TypeError, "activation: expected a name or an Activation, got int"),
    (lambda: Dense.init("2", 1, "zeros", RNG), TypeError, "n_in: expected an integer, got str"),
    (lambda: Dense.init(2, 0, "zeros", RNG), ValueError, "n_out: expected an integer >= 1, got 0"),
    (lambda: Dense.init(2, 1, "zeros", RNG, bias="yes"), TypeError, "bias: expected True or False, got str"),
    (lambda: Dense.init(2, 1, 3, RNG), TypeError, "initializer: expected a name or a callable, got int"),
    (
        lambda: Dense.init(2, 1, "uniform", None),
        TypeError,
        "rng: expected a numpy Generator or legacy_rng(seed), got NoneType",
    ),
    (lambda: get_activation("linear", a="1"), TypeError, "activation 'linear': a: expected a real number, got str"),
    (lambda: get_activation("sigmoid", a=1.0), TypeError, "activation 'sigmoid': Sigmoid() takes no arguments"),
    (lambda: get_activation("swish"), ValueError, "unknown activation 'swish'; expected one of"),
    (lambda: Linear(None), TypeError, "a: expected a real number, got NoneType"),
    (lambda: ReLU(a=True), TypeError, "a: expected a real number, got bool"),
    (lambda: LeakyReLU(b=np.nan), ValueError, "b: expected a finite number, got nan"),
    (lambda: get_loss(3), TypeError, "loss: expected a name or a Loss, got int"),
    (lambda: legacy_rng("1"), TypeError, "seed: expected an integer, got str"),
    (lambda: scaled_normal(RNG, 3, scale="x"), TypeError, "scale: expected a real number, got str"),
    (lambda: uniform(RNG, 2.5), TypeError, "shape: expected an integer or a tuple of integers, got float"),
    (
        lambda: train_many(X4, Y4, None, "sigmoid"),
        TypeError,
        "weights: expected a sequence of (S, n_in, n_out) arrays, got NoneType",
    ),
    (
        lambda: train_many(X4, Y4, [np.ones((1, 3, 1))], None),
        TypeError,
        "activations: expected an activation name, an Activation or a sequence of them, got NoneType",
    ),
]


@pytest.mark.parametrize("call, error, message", CONSTRUCTORS, ids=[m[:50] for _, _, m in CONSTRUCTORS])
def test_constructors_refuse_wrong_types_saying_what_they_expected(call, error, message):
    with pytest.raises(error, match="^" + re.escape(message)):
        call()


SCALAR_JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=2), st.builds(object), st.just(Ellipsis)
)


@PROFILE
@given(junk=SCALAR_JUNK | st.lists(SCALAR_JUNK, max_size=2), scalar=SCALAR_JUNK)
def test_constructors_refuse_junk_naming_the_argument(junk, scalar):
    """Whatever comes, a TypeError or ValueError whose message starts with the argument's name."""
    for call, starts in [
        (lambda: Network(junk), ("layers: ",)),
        (lambda: Network.from_weights(junk, "sigmoid"), ("weights: ",)),
        (lambda: Network.from_weights([W], scalar), ("activations: ", "unknown activation ")),
        (lambda: Dense(junk), ("weights: ",)),
        (lambda: get_loss(scalar), ("loss: ", "unknown loss ")),
        (lambda: train_many(X4, Y4, junk, "sigmoid"), ("weights", "X has")),
    ]:
        with pytest.raises((TypeError, ValueError)) as caught:
            call()
        assert str(caught.value).startswith(starts), str(caught.value)
