"""The adapter protocol, rule by rule (tests/spec/rules.yaml), over each function's whole domain.

Every test names its rules with ``@pytest.mark.rule`` and fails with a message that starts with
the rule's id and sentence. Expected values come from ``nnspec.oracle`` (the formulas written
out independently of reference_nn; mpmath where float64 formulas could lose digits) and are computed
before the implementation is called, on copies, so that a function that modifies its inputs
breaks only R04. The tolerances are ``nnspec.rules.RTOL``/``ATOL`` (derived there).
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest

from nnspec import oracle
from nnspec.rules import ATOL, check, close, fail, no_warnings

ELEMENTWISE = ("identity", "linear", "sigmoid", "tanh", "binary_step", "relu", "leaky_relu")
LOSSES = ("sse", "half_sse", "mse", "binary_cross_entropy", "categorical_cross_entropy")
#: the whole documented domain: both extremes, the overflow edges of exp, the kinks, tiny and huge values
EXTREMES = np.array(
    [-1000.0, -746.0, -709.8, -100.0, -30.0, -1e-300, -0.0, 0.0, 1e-300, 30.0, 100.0, 709.8, 746.0, 1000.0]
)
#: parameters on both sides of their usual order (a > b > 0, b > a, negative, zero)
PARAMS = {
    "identity": [{}],
    "linear": [{}, {"a": 2.5}, {"a": -0.5}, {"a": 0.0}],
    "sigmoid": [{}],
    "tanh": [{}],
    "binary_step": [{}, {"threshold": 0.5}, {"threshold": -1.25}],
    "relu": [{}, {"a": 2.5}, {"a": 0.5}, {"a": -1.0}],
    "leaky_relu": [{}, {"a": 2.0, "b": 0.3}, {"a": 0.1, "b": 3.0}, {"a": -1.0, "b": 0.5}, {"a": 1.0, "b": 0.0}],
}


def rng():
    return np.random.default_rng(11)


def grid(lo=-30.0, hi=30.0, n=241):
    return np.linspace(lo, hi, n)


def label(name, params):
    return f"{name}({', '.join(f'{k}={v}' for k, v in params.items())})"


def call(rule_id, what, fn, *args, **kwargs):
    """One call of the implementation; a warning it emits fails ``rule_id``."""
    with no_warnings(rule_id, what):
        return fn(*args, **kwargs)


def activation_case(impl, rule_id, name, z, params, expected, grad=False, atol=ATOL):
    """The activation (or its derivative) on z, compared with ``expected``; warnings are R06's, not checked here."""
    f = impl.activation_grad if grad else impl.activation
    moderate = np.abs(z) <= 700  # also alone: an implementation may branch on the whole array's range
    for part, where in ((slice(None), "z"), (moderate, "z with |z| <= 700")):
        what = f"{label(name, params)}{chr(39) if grad else ''} on {where}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = f(name, z[part].copy(), **params)
        close(rule_id, what, out, expected[part], atol=atol)


def dense_case(r, m=4, n_in=3, n_out=5, bias=True):
    x, W = r.normal(size=(m, n_in)), r.normal(size=(n_in, n_out))
    return x, W, (r.normal(size=n_out) if bias else None)


# ---- the boundary -------------------------------------------------------------------------------------------


@pytest.mark.rule("R01")
def test_name_and_version_are_strings(impl):
    for attr in ("NAME", "VERSION"):
        value = getattr(impl, attr, None)  # read through impl: recorded like a protocol call
        check(isinstance(value, str), "R01", f"{attr} = {value!r} is a {type(value).__name__}")


def _every_array_result(impl):
    """(what, value) for one call of every protocol function that returns arrays."""
    r = rng()
    z = r.normal(size=(3, 4))
    x, W, b = dense_case(r)
    g = r.normal(size=(4, 5))
    p, y = r.uniform(0.1, 0.9, size=(3, 4)), r.uniform(0, 1, size=(3, 4))
    yield "activation", impl.activation("sigmoid", z)
    yield "activation (softmax)", impl.activation("softmax", z)
    yield "activation_grad", impl.activation_grad("relu", z)
    yield "sigmoid_grad_from_output", impl.sigmoid_grad_from_output(p)
    yield "softmax_jacobian", impl.softmax_jacobian(z)
    yield "loss_grad", impl.loss_grad("mse", p, y)
    yield "dense_forward", impl.dense_forward(x, W, b, "tanh")
    dx, dW, db = impl.dense_backward(x, W, b, "tanh", g)
    yield from (("dense_backward dL/dx", dx), ("dense_backward dL/dW", dW), ("dense_backward dL/db", db))
    yield "predict", impl.predict(x, [W, W.T], [b, None], ["tanh", "sigmoid"])
    out = impl.train(x, r.uniform(size=(4, 3)), [W, W.T], [b, None], ["tanh", "sigmoid"], "sse", 0.1, 2)
    yield "train losses", out["losses"]
    yield from ((f"train weights[{i}]", w) for i, w in enumerate(out["weights"]))
    yield "train biases[0]", out["biases"][0]


@pytest.mark.rule("R02")
def test_every_array_returned_is_a_float64_numpy_array(impl):
    for what, value in _every_array_result(impl):
        check(isinstance(value, np.ndarray), "R02", f"{what} returned a {type(value).__name__}")
        check(value.dtype == np.float64, "R02", f"{what} returned dtype {value.dtype}")


@pytest.mark.rule("R03")
def test_loss_returns_a_python_float(impl):
    p, y = np.full((3, 2), 0.25), np.array([[0.0, 1.0]] * 3)
    for name in LOSSES:
        value = impl.loss(name, p, y)
        check(isinstance(value, float), "R03", f"loss({name!r}) returned {value!r}, a {type(value).__name__}")


def _calls_with_inputs(impl):
    """(what, call, input arrays) for every protocol function, with inputs where in-place work would show."""
    r = rng()
    z = r.normal(scale=5, size=(3, 4))
    z[0, :2] = [0.0, -1000.0]
    p = np.array([[0.0, 1.0, 1.0 - 2.0**-53], [5e-16, 1e-20, 0.3]])
    y = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])
    x, W, b = dense_case(r)
    g = r.normal(size=(4, 5))
    for name in (*ELEMENTWISE, "softmax"):
        for params in PARAMS.get(name, [{}])[:2]:
            yield f"activation {label(name, params)}", lambda n=name, q=params: impl.activation(n, z, **q), [z]
            if name != "softmax":
                yield (
                    f"activation_grad {label(name, params)}",
                    lambda n=name, q=params: impl.activation_grad(n, z, **q),
                    [z],
                )
    s = r.uniform(size=(3, 4))
    yield "sigmoid_grad_from_output", lambda: impl.sigmoid_grad_from_output(s), [s]
    yield "softmax_jacobian", lambda: impl.softmax_jacobian(z), [z]
    for name in LOSSES:
        yield f"loss {name}", lambda n=name: impl.loss(n, p, y), [p, y]
        yield f"loss_grad {name}", lambda n=name: impl.loss_grad(n, p, y), [p, y]
    for act in ("identity", "sigmoid", "relu", "softmax"):
        yield f"dense_forward {act}", lambda f=act: impl.dense_forward(x, W, b, f), [x, W, b]
        yield f"dense_backward {act}", lambda f=act: impl.dense_backward(x, W, b, f, g), [x, W, b, g]
    Ws, bs = [W, r.normal(size=(5, 2))], [b, r.normal(size=2)]
    acts = ["relu", "sigmoid"]
    yield "predict", lambda: impl.predict(x, Ws, bs, acts), [x, *Ws, *bs]
    Y = r.uniform(size=(4, 2))
    for loss in LOSSES:
        yield f"train {loss}", lambda n=loss: impl.train(x, Y, Ws, bs, acts, n, 0.5, 3), [x, Y, *Ws, *bs]


@pytest.mark.rule("R04")
def test_no_function_modifies_its_input_arrays(impl):
    for what, run, inputs in _calls_with_inputs(impl):
        before = [a.copy() for a in inputs]
        with warnings.catch_warnings():  # warnings at the extremes are R06's
            warnings.simplefilter("ignore")
            run()
        for i, (a, kept) in enumerate(zip(inputs, before)):
            if not np.array_equal(a, kept):
                fail("R04", f"{what} changed its input #{i}: {kept.ravel()[:4]} became {a.ravel()[:4]}")


@pytest.mark.rule("R05")
@pytest.mark.parametrize("shape", [(7,), (1, 1), (3, 4), (2, 3, 4)])
def test_elementwise_functions_keep_the_shape_of_z(impl, shape):
    z = rng().normal(size=shape)
    for name in ELEMENTWISE:
        for grad, f in ((False, impl.activation), (True, impl.activation_grad)):
            out = f(name, z.copy())
            what = f"{name}{chr(39) if grad else ''}"
            check(np.shape(out) == shape, "R05", f"{what} of z with shape {shape} has shape {np.shape(out)}")
    s = rng().uniform(size=shape)
    out = impl.sigmoid_grad_from_output(s)
    check(np.shape(out) == shape, "R05", f"sigmoid_grad_from_output of shape {shape} has shape {np.shape(out)}")
    if len(shape) <= 2:
        out = impl.activation("softmax", z.copy())
        check(np.shape(out) == shape, "R05", f"softmax of z with shape {shape} has shape {np.shape(out)}")


@pytest.mark.rule("R06")
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_activation_and_derivative_is_finite_and_quiet_at_the_extremes(impl, name):
    z = EXTREMES.copy()
    for params in PARAMS[name]:
        for grad in (False, True):
            f = impl.activation_grad if grad else impl.activation
            what = f"{label(name, params)}{chr(39) if grad else ''} at |z| up to 1000"
            out = np.asarray(call("R06", what, f, name, z.copy(), **params), dtype=np.float64)
            bad = ~np.isfinite(out)
            check(not bad.any(), "R06", f"{what}: {out[bad][:3]} at z = {z[bad][:3]}")


@pytest.mark.rule("R06")
def test_softmax_and_its_jacobian_are_finite_and_quiet_at_the_extremes(impl):
    z = np.array([[-1000.0, 0.0, 1000.0], [1000.0, 1000.0, -1000.0], [-1000.0, -1000.0, -999.0], [746.0, 745.0, 0.0]])
    out = np.asarray(call("R06", "softmax at |z| up to 1000", impl.activation, "softmax", z.copy()), dtype=np.float64)
    check(np.all(np.isfinite(out)), "R06", f"softmax at |z| up to 1000: {out}")
    J = np.asarray(call("R06", "softmax_jacobian at |z| up to 1000", impl.softmax_jacobian, z.copy()), dtype=np.float64)
    check(np.all(np.isfinite(J)), "R06", "softmax_jacobian at |z| up to 1000 is not finite")


# ---- activations -----------------------------------------------------------------------------------------------


@pytest.mark.rule("R07")
def test_identity(impl):
    z = np.concatenate([grid(), EXTREMES])
    close("R07", "identity(z)", impl.activation("identity", z.copy()), z, rtol=0)
    close("R07", "identity'(z)", impl.activation_grad("identity", z.copy()), np.ones_like(z), rtol=0)


@pytest.mark.rule("R08")
@pytest.mark.parametrize("params", PARAMS["linear"], ids=str)
def test_linear_is_a_z_with_slope_a(impl, params):
    z = np.concatenate([grid(), EXTREMES])
    activation_case(impl, "R08", "linear", z, params, oracle.activation("linear", z, **params))
    activation_case(impl, "R08", "linear", z, params, oracle.activation_grad("linear", z, **params), grad=True)


@pytest.mark.rule("R09")
def test_sigmoid_is_one_over_one_plus_e_to_minus_z(impl):
    z = np.concatenate([grid(-700, 700, 281), grid(-5, 5, 101), [-1e-8, 1e-8, -37.0, 37.0], EXTREMES])
    activation_case(impl, "R09", "sigmoid", z, {}, oracle.sigmoid_exact(z))


@pytest.mark.rule("R10")
def test_sigmoid_derivative_is_sigma_times_one_minus_sigma(impl):
    z = np.concatenate([grid(-700, 700, 281), grid(-5, 5, 101), EXTREMES])
    activation_case(impl, "R10", "sigmoid", z, {}, oracle.sigmoid_grad_exact(z), grad=True, atol=ATOL / 4)


@pytest.mark.rule("R11")
@pytest.mark.parametrize("shape", [(11,), (3, 4)])
def test_sigmoid_derivative_from_the_output_is_s_times_one_minus_s(impl, shape):
    s = rng().uniform(size=shape)
    s.flat[:3] = [0.0, 1.0, 0.5]
    expected = s * (1.0 - s)
    close("R11", "sigmoid_grad_from_output(s)", impl.sigmoid_grad_from_output(s.copy()), expected, atol=ATOL)


@pytest.mark.rule("R12")
def test_tanh_and_its_derivative(impl):
    z = np.concatenate([grid(-30, 30, 241), [-1e-8, 1e-8], EXTREMES])
    # atol 0: tanh z ~ z near 0, and a faithful tanh keeps its relative accuracy there (2 sigma(2z) - 1 does not)
    activation_case(impl, "R12", "tanh", z, {}, oracle.exact(mpmath.tanh, z), atol=0.0)
    activation_case(impl, "R12", "tanh", z, {}, oracle.tanh_grad_exact(z), grad=True)


@pytest.mark.rule("R13")
@pytest.mark.parametrize("params", PARAMS["binary_step"], ids=str)
def test_binary_step_is_one_above_the_threshold(impl, params):
    t = params.get("threshold", 0.0)
    z = np.concatenate([grid(-3, 3, 121), [t, np.nextafter(t, 10), np.nextafter(t, -10)], EXTREMES])
    activation_case(impl, "R13", "binary_step", z, params, (z > t).astype(np.float64))


@pytest.mark.rule("R14")
@pytest.mark.parametrize("params", PARAMS["binary_step"], ids=str)
def test_binary_step_derivative_is_zero_everywhere(impl, params):
    z = np.concatenate([grid(-3, 3, 121), [params.get("threshold", 0.0)], EXTREMES])
    activation_case(impl, "R14", "binary_step", z, params, np.zeros_like(z), grad=True)


#: (rule, activation, derivative?) of the piecewise-linear activations, checked over all their PARAMS off the kink
PIECEWISE = [("R15", "relu", False), ("R16", "relu", True), ("R17", "leaky_relu", False), ("R18", "leaky_relu", True)]


@pytest.mark.parametrize(
    "rule_id,name,grad",
    [pytest.param(*case, marks=pytest.mark.rule(case[0]), id=f"{case[0]}-{case[1]}") for case in PIECEWISE],
)
def test_relu_and_leaky_relu_and_their_derivatives_for_every_a_and_b(impl, rule_id, name, grad):
    z = np.concatenate([grid(), EXTREMES])
    z = z[z != 0] if grad else z  # the derivative at the kink is R19's
    for params in PARAMS[name]:
        expected = (oracle.activation_grad if grad else oracle.activation)(name, z, **params)
        activation_case(impl, rule_id, name, z, params, expected, grad=grad)


@pytest.mark.rule("R19")
def test_the_derivative_at_a_kink_takes_the_left_value(impl):
    kinks = np.array([0.0, -0.0])
    for params in PARAMS["relu"]:
        got = impl.activation_grad("relu", kinks.copy(), **params)
        check(np.all(np.asarray(got) == 0.0), "R19", f"{label('relu', params)}'(0) = {got}, expected 0")
    for params in PARAMS["leaky_relu"]:
        b = params.get("b", 0.01)
        got = impl.activation_grad("leaky_relu", kinks.copy(), **params)
        check(np.all(np.asarray(got) == b), "R19", f"{label('leaky_relu', params)}'(0) = {got}, expected b = {b}")
    for params in PARAMS["binary_step"]:
        t = np.array([params.get("threshold", 0.0)])
        got = impl.activation_grad("binary_step", t.copy(), **params)
        check(np.all(np.asarray(got) == 0.0), "R19", f"{label('binary_step', params)}'({t[0]}) = {got}, expected 0")


#: the kink of each piecewise activation at its default parameters, and the derivative R19 gives there
KINKS = {"relu": (0.0, 0.0), "leaky_relu": (0.0, 0.01), "binary_step": (0.0, 0.0)}


@pytest.mark.rule("R19")
@pytest.mark.parametrize("act", sorted(KINKS))
def test_the_kink_convention_holds_through_dense_backward(impl, act):
    """A layer whose pre-activation is exactly at the kink (x = 0, b = the kink) back-propagates f' at the kink.

    dz = dL/da f'(kink), so dL/db = m f'(kink) dL/da summed per unit and dL/dx = dz W^T; training reaches
    the kink whenever a unit's input is exactly zero (a ReLU layer after another ReLU layer, zero inputs).
    """
    kink, slope = KINKS[act]
    m, W = 3, rng().normal(size=(4, 5))
    x, b, g = np.zeros((m, 4)), np.full(5, kink), np.ones((m, 5))
    what = f"dense_backward(x, W, b, {act!r}) with x W + b = {kink} everywhere"
    dx, dW, db = call("R19", what, impl.dense_backward, x.copy(), W.copy(), b.copy(), act, g.copy())
    dz = np.full((m, 5), slope)
    close("R19", f"{what}: dL/db (f' at the kink is {slope})", db, dz.sum(axis=0), atol=ATOL)
    close("R19", f"{what}: dL/dx", dx, dz @ W.T, atol=ATOL * (np.abs(dz) @ np.abs(W.T)))
    close("R19", f"{what}: dL/dW", dW, x.T @ dz, atol=ATOL)


@pytest.mark.rule("R20")
@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (1, 5), (6, 1), (5,)])
def test_softmax_normalises_each_row(impl, shape):
    z = rng().normal(scale=4, size=shape)
    z2 = np.atleast_2d(z)
    expected = oracle.softmax(z2).reshape(shape)
    close("R20", f"softmax of z with shape {shape}", impl.activation("softmax", z.copy()), expected, atol=ATOL)
    if z.ndim == 2 and shape[0] > 1:  # each row on its own: the same result one row at a time
        rows = np.vstack([impl.activation("softmax", z[i : i + 1].copy()) for i in range(shape[0])])
        close("R20", "softmax of each row alone", rows, expected, atol=ATOL)


@pytest.mark.rule("R21")
@pytest.mark.parametrize("shape", [(3, 4), (1, 1), (2, 2), (1, 5)])
def test_softmax_jacobian(impl, shape):
    z = rng().normal(scale=3, size=shape)
    close(
        "R21",
        f"softmax_jacobian of z with shape {shape}",
        impl.softmax_jacobian(z.copy()),
        oracle.softmax_jacobian(z),
        atol=ATOL,
    )


# ---- losses -------------------------------------------------------------------------------------------------------

LOSS_RULES = {
    "sse": "R22",
    "half_sse": "R23",
    "mse": "R24",
    "binary_cross_entropy": "R25",
    "categorical_cross_entropy": "R26",
}


def _loss_data(name, m, k, r):
    if name == "categorical_cross_entropy":
        p = r.uniform(0.05, 1, size=(m, k))
        p /= p.sum(axis=1, keepdims=True)
        y = np.eye(k)[r.integers(0, k, size=m)]
        return p, y
    p = r.uniform(0.05, 0.95, size=(m, k))
    y = r.integers(0, 2, size=(m, k)).astype(np.float64) if "entropy" in name else r.normal(size=(m, k))
    return p, y


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.rule(r), id=n) for n, r in LOSS_RULES.items()])
@pytest.mark.parametrize("m,k", [(1, 1), (5, 1), (1, 3), (4, 3), (3, 4)])
def test_each_loss_and_its_gradient_for_m_samples_and_k_outputs(impl, name, m, k):
    rule_id = LOSS_RULES[name]
    p, y = _loss_data(name, m, k, rng())
    value, grad = oracle.loss(name, p, y), oracle.loss_grad(name, p, y)
    got = impl.loss(name, p.copy(), y.copy())
    # atol: clipping the categorical cross-entropy at 1 - 1e-15 or at 1 moves each ln p by at most 1e-15
    close(rule_id, f"loss({name!r}) for m = {m}, k = {k}", got, value, atol=2e-15 * k)
    scale = ATOL * (np.abs(p) + np.abs(y))
    close(
        rule_id, f"loss_grad({name!r}) for m = {m}, k = {k}", impl.loss_grad(name, p.copy(), y.copy()), grad, atol=scale
    )


CLIPPED = (
    np.array([[0.0, 1.0, 1e-15, 1.0 - 1e-15], [5e-16, 1.0 - 2.0**-53, 1e-20, 1.0 - 2.0**-52]]),
    np.array([[0.0, 1.0, 1.0, 0.0], [1.0, 0.0, 1.0, 1.0]]),
)


def clipped_case(y_case):
    """Predictions at and beyond the clip bounds (0 and 1 included), with targets of one kind."""
    p, y = CLIPPED
    return p, {"mixed": y, "ones": np.ones_like(y), "zeros": np.zeros_like(y)}[y_case]


CROSS_ENTROPY_CASES = pytest.mark.parametrize(
    "name,y_case",
    [(n, y) for n in ("binary_cross_entropy", "categorical_cross_entropy") for y in ("mixed", "ones", "zeros")],
)


@pytest.mark.rule("R27")
@CROSS_ENTROPY_CASES
def test_cross_entropies_clip_p_before_the_logarithm(impl, name, y_case):
    p, y = clipped_case(y_case)
    expected = oracle.loss(name, p, y)
    what = f"loss({name!r}) at p at or beyond [1e-15, 1 - 1e-15]"
    got = call("R27", what, impl.loss, name, p.copy(), y.copy())
    check(np.isfinite(got), "R27", f"{what} = {got}")
    close("R27", what, got, expected)


#: one sample, two classes, the true class's p exactly at the upper bound and at 1 (beyond it): the loss there is
#: -ln(1 - 1e-15), about 1.1e-15, which a sum with larger entries would hide below its relative tolerance
AT_THE_UPPER_BOUND = [np.array([[1.0 - 1e-15, 1e-15]]), np.array([[1.0, 0.0]])]


@pytest.mark.rule("R27")
@pytest.mark.parametrize("name", ["binary_cross_entropy", "categorical_cross_entropy"])
@pytest.mark.parametrize("which", [0, 1], ids=["p=1-1e-15", "p=1"])
def test_cross_entropies_clip_exactly_at_the_upper_bound(impl, name, which):
    p, y = AT_THE_UPPER_BOUND[which], np.array([[1.0, 0.0]])
    expected = oracle.loss(name, p, y)  # -ln(1 - 1e-15) (twice for the binary one: both entries clip)
    what = f"loss({name!r}) at p = {p.tolist()} with y = {y.tolist()}, each entry at a bound"
    got = call("R27", what, impl.loss, name, p.copy(), y.copy())
    check(expected > 0, "R27", f"{what}: the oracle's value {expected} should be -ln(1 - 1e-15) > 0")
    # The bound itself, not 0 (a clip at 1): a clip at 1 misses by about 1e-15 per entry. What a legitimate
    # implementation may miss by is the rule's "few ulps of its scale": ln(1 - p) computed as log(1 - p)
    # rather than log1p(-p) is off by the rounding of 1 - p, half an ulp of 1 (1.1e-16) per entry, which is
    # 10% of these tiny losses; so the tolerance is one ulp of 1 per entry (4.4e-16 here), 2.5x below the miss.
    close("R27", what, got, expected, rtol=1e-9, atol=p.size * np.finfo(float).eps)


@pytest.mark.rule("R28")
@CROSS_ENTROPY_CASES
def test_the_gradient_at_a_clipped_prediction_is_the_derivative_at_the_clipped_p(impl, name, y_case):
    p, y = clipped_case(y_case)
    expected = oracle.loss_grad(name, p, y)
    what = f"loss_grad({name!r}) at p at or beyond [1e-15, 1 - 1e-15]"
    close("R28", what, call("R28", what, impl.loss_grad, name, p.copy(), y.copy()), expected)


# ---- the dense layer ------------------------------------------------------------------------------------------------

DENSE_ACTS = ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax")


def _matmul_atol(x, W, b, scale=1.0):
    """How far a legitimate x W + b may be from another summation order: 1e-12 of |x| |W| + |b|."""
    return 1e-12 * scale * (np.abs(x) @ np.abs(W) + (0.0 if b is None else np.abs(b)))


@pytest.mark.rule("R29")
@pytest.mark.parametrize("act", DENSE_ACTS)
def test_dense_forward_is_f_of_x_w_plus_b(impl, act):
    x, W, b = dense_case(rng())
    expected = oracle.activation(act, x @ W + b)
    close(
        "R29",
        f"dense_forward(x, W, b, {act!r})",
        impl.dense_forward(x.copy(), W.copy(), b.copy(), act),
        expected,
        atol=_matmul_atol(x, W, b),
    )


@pytest.mark.rule("R30")
def test_a_layer_without_bias_adds_none(impl):
    r = rng()
    x, W, _ = dense_case(r)
    for act in ("identity", "sigmoid"):
        close(
            "R30",
            f"dense_forward(x, W, None, {act!r})",
            impl.dense_forward(x.copy(), W.copy(), None, act),
            oracle.activation(act, x @ W),
            atol=_matmul_atol(x, W, None),
        )
    W2 = r.normal(size=(5, 2))
    expected = oracle.forward(x, [W, W2], [None, None], ["tanh", "identity"])[2]
    got = impl.predict(x.copy(), [W.copy(), W2.copy()], [None, None], ["tanh", "identity"])
    close("R30", "predict with biases [None, None]", got, expected, atol=1e-11)
    Y = r.normal(size=(4, 2))
    Ws, _, losses = oracle.train(x, Y, [W, W2], [None, None], ["tanh", "identity"], "half_sse", 0.1, 2)
    out = impl.train(x.copy(), Y.copy(), [W.copy(), W2.copy()], [None, None], ["tanh", "identity"], "half_sse", 0.1, 2)
    for i, W_expected in enumerate(Ws):
        close("R30", f"train without biases: weights[{i}]", out["weights"][i], W_expected, atol=1e-11)
    close("R30", "train without biases: losses", out["losses"], losses, rtol=1e-10)


@pytest.mark.rule("R31")
@pytest.mark.parametrize("act", DENSE_ACTS[:-1])
def test_dense_backward_gives_dx_dw_db_of_one_sample(impl, act):
    r = rng()
    x, W, b = dense_case(r, m=1)
    g = r.normal(size=(1, 5))
    dz = g * oracle.activation_grad(act, x @ W + b)
    dx, dW, db = impl.dense_backward(x.copy(), W.copy(), b.copy(), act, g.copy())
    tol = 1e-12 * (np.abs(dz) @ np.abs(W.T))
    close("R31", f"dense_backward({act!r}) dL/dx", dx, dz @ W.T, atol=tol)
    close("R31", f"dense_backward({act!r}) dL/dW", dW, x.T @ dz, atol=ATOL * np.abs(x.T @ dz))
    close("R31", f"dense_backward({act!r}) dL/db", db, dz.sum(axis=0), atol=ATOL)


@pytest.mark.rule("R32")
@pytest.mark.parametrize("act", ("identity", "sigmoid", "softmax"))
def test_dense_backward_sums_over_the_batch_without_one_over_m(impl, act):
    r = rng()
    x, W, b = dense_case(r, m=3)
    g = r.normal(size=(3, 5))
    dz = oracle.backward_z(act, x @ W + b, g)
    dx, dW, db = impl.dense_backward(x.copy(), W.copy(), b.copy(), act, g.copy())
    tol = 1e-12 * (np.abs(x.T) @ np.abs(dz))
    close("R32", f"dense_backward({act!r}) dL/dW for 3 samples (the sum of x_r^T dz_r)", dW, x.T @ dz, atol=tol)
    close(
        "R32",
        f"dense_backward({act!r}) dL/db for 3 samples (the sum of dz_r)",
        db,
        dz.sum(axis=0),
        atol=1e-12 * np.abs(dz).sum(axis=0),
    )
    close("R32", f"dense_backward({act!r}) dL/dx for 3 samples", dx, dz @ W.T, atol=1e-12 * (np.abs(dz) @ np.abs(W.T)))


@pytest.mark.rule("R33")
@pytest.mark.parametrize("m", [1, 4])
def test_dense_backward_through_softmax_uses_the_jacobian_of_each_row(impl, m):
    r = rng()
    x, W, b = dense_case(r, m=m)
    g = r.normal(size=(m, 5))
    dz = oracle.backward_z("softmax", x @ W + b, g)
    dx, dW, db = impl.dense_backward(x.copy(), W.copy(), b.copy(), "softmax", g.copy())
    close("R33", "dense_backward('softmax') dL/db", db, dz.sum(axis=0), atol=1e-12 * np.abs(g).sum())
    close("R33", "dense_backward('softmax') dL/dW", dW, x.T @ dz, atol=1e-12 * (np.abs(x.T) @ np.abs(g)))


@pytest.mark.rule("R34")
def test_dense_backward_without_bias_returns_none_for_db(impl):
    r = rng()
    x, W, _ = dense_case(r)
    g = r.normal(size=(4, 5))
    for act in ("identity", "sigmoid", "softmax"):
        out = impl.dense_backward(x.copy(), W.copy(), None, act, g.copy())
        check(
            isinstance(out, tuple) and len(out) == 3,
            "R34",
            f"dense_backward returned {type(out).__name__} of {len(out)}",
        )
        check(out[2] is None, "R34", f"dense_backward(x, W, None, {act!r}) returned dL/db = {out[2]!r}, expected None")
        dz = oracle.backward_z(act, x @ W, g)
        close(
            "R34",
            f"dense_backward(x, W, None, {act!r}) dL/dW",
            out[1],
            x.T @ dz,
            atol=1e-12 * (np.abs(x.T) @ np.abs(g)),
        )


# ---- networks -----------------------------------------------------------------------------------------------------

#: (activations, loss, output columns): every loss with k > 1 outputs, hidden layers of several kinds
NETWORKS = [
    (["tanh", "sigmoid"], "binary_cross_entropy", 3),
    (["relu", "softmax"], "categorical_cross_entropy", 3),
    (["sigmoid", "identity"], "mse", 2),
    (["leaky_relu", "tanh"], "sse", 2),
    (["sigmoid", "sigmoid"], "half_sse", 2),
    (["tanh", "softmax"], "half_sse", 3),
    (["identity", "linear", "sigmoid"], "binary_cross_entropy", 2),
]


def network_case(acts, loss, k, bias=(True, False, True), m=6, seed=11):
    r = np.random.default_rng(seed)
    sizes = [4, 5, 3, 4][: len(acts)] + [k]
    Ws = [r.normal(scale=0.7, size=(sizes[i], sizes[i + 1])) for i in range(len(acts))]
    bs = [r.normal(scale=0.5, size=sizes[i + 1]) if bias[i % len(bias)] else None for i in range(len(acts))]
    X = r.normal(size=(m, 4))
    if loss == "categorical_cross_entropy":
        Y = np.eye(k)[r.integers(0, k, size=m)]
    elif loss == "binary_cross_entropy":
        Y = r.integers(0, 2, size=(m, k)).astype(np.float64)
    else:
        Y = r.uniform(size=(m, k))
    return X, Y, Ws, bs


def run_train(impl, X, Y, Ws, bs, acts, loss, lr, n):
    return impl.train(
        X.copy(),
        Y.copy(),
        [W.copy() for W in Ws],
        [None if b is None else b.copy() for b in bs],
        list(acts),
        loss,
        lr,
        n,
    )


def close_params(rule_id, what, out, Ws, bs, tol=1e-10):
    for i, (W, b) in enumerate(zip(Ws, bs)):
        close(rule_id, f"{what}: weights[{i}]", out["weights"][i], W, rtol=tol, atol=tol * np.max(np.abs(W)))
        if b is None:
            check(out["biases"][i] is None, rule_id, f"{what}: biases[{i}] = {out['biases'][i]!r}, expected None")
        else:
            close(rule_id, f"{what}: biases[{i}]", out["biases"][i], b, rtol=tol, atol=tol * np.max(np.abs(b)))


@pytest.mark.rule("R35")
@pytest.mark.parametrize("acts,loss,k", NETWORKS)
def test_predict_applies_the_layers_in_order(impl, acts, loss, k):
    X, _, Ws, bs = network_case(acts + ["leaky_relu"], loss, k)
    acts = [*acts, "leaky_relu"]
    expected = oracle.forward(X, Ws, bs, acts)[2]
    close(
        "R35",
        f"predict through {acts}",
        impl.predict(X.copy(), [W.copy() for W in Ws], [None if b is None else b.copy() for b in bs], acts),
        expected,
        atol=1e-11,
    )


@pytest.mark.rule("R36")
@pytest.mark.parametrize("acts,loss,k", NETWORKS)
def test_train_is_full_batch_gradient_descent_on_the_named_loss(impl, acts, loss, k):
    X, Y, Ws, _ = network_case(acts, loss, k)
    bs = [None] * len(Ws)  # the biases are R37's
    Ws1, bs1, _ = oracle.train(X, Y, Ws, bs, acts, loss, 1.0, 2)
    out = run_train(impl, X, Y, Ws, bs, acts, loss, 1.0, 2)
    close_params("R36", f"two steps of {acts} on {loss}, learning rate 1", out, Ws1, bs1)


@pytest.mark.rule("R37")
@pytest.mark.parametrize("acts,loss,k", NETWORKS[:3])
def test_train_updates_every_bias(impl, acts, loss, k):
    X, Y, Ws, bs = network_case(acts, loss, k, bias=(True, True, True))
    Ws1, bs1, _ = oracle.train(X, Y, Ws, bs, acts, loss, 1.0, 2)
    out = run_train(impl, X, Y, Ws, bs, acts, loss, 1.0, 2)
    close_params("R37", f"two steps of {acts} on {loss} with biases", out, Ws1, bs1)
    X, Y, Ws, bs = network_case(acts, loss, k, bias=(False, True))
    Ws1, bs1, _ = oracle.train(X, Y, Ws, bs, acts, loss, 1.0, 2)
    out = run_train(impl, X, Y, Ws, bs, acts, loss, 1.0, 2)
    close_params("R37", f"two steps of {acts} on {loss}, some layers without bias", out, Ws1, bs1)


@pytest.mark.rule("R38")
@pytest.mark.parametrize("lr", [0.05, 3.0])
def test_train_uses_the_given_learning_rate(impl, lr):
    """One step with rate lr moves every parameter lr times as far as one step with rate 1."""
    for acts, loss, k in NETWORKS[2:4]:
        X, Y, Ws, bs = network_case(acts, loss, k)
        unit, step = run_train(impl, X, Y, Ws, bs, acts, loss, 1.0, 1), run_train(impl, X, Y, Ws, bs, acts, loss, lr, 1)
        for kind, given in (("weights", Ws), ("biases", bs)):
            for i, P in enumerate(given):
                if P is None:
                    continue
                moved = lr * (np.asarray(unit[kind][i]) - P)
                tol = 1e-12 * (lr * np.abs(P) + np.abs(moved))
                close(
                    "R38",
                    f"{kind}[{i}] after one step at rate {lr} of {acts} on {loss} (minus the given)",
                    np.asarray(step[kind][i]) - P,
                    moved,
                    atol=tol,
                )


@pytest.mark.rule("R39")
@pytest.mark.parametrize("acts,loss,k", NETWORKS)
def test_train_records_the_loss_before_each_update(impl, acts, loss, k):
    """losses[i] of one run is the loss of the weights that a run of i iterations returns."""
    X, Y, Ws, bs = network_case(acts, loss, k)
    losses = np.asarray(run_train(impl, X, Y, Ws, bs, acts, loss, 0.5, 3)["losses"], dtype=np.float64)
    check(losses.shape == (3,), "R39", f"losses of 3 iterations have shape {losses.shape}")
    for i in range(3):
        out = run_train(impl, X, Y, Ws, bs, acts, loss, 0.5, i)
        before = impl.loss(loss, impl.predict(X.copy(), out["weights"], out["biases"], list(acts)), Y.copy())
        close("R39", f"losses[{i}] of {acts} on {loss} (the loss after {i} updates)", losses[i], before, rtol=1e-10)


@pytest.mark.rule("R40")
@pytest.mark.parametrize("n", [0, 1, 3])
def test_train_runs_exactly_the_given_number_of_iterations(impl, n):
    acts, loss, k = NETWORKS[0]
    X, Y, Ws, bs = network_case(acts, loss, k)
    out = run_train(impl, X, Y, Ws, bs, acts, loss, 0.5, n)
    got = np.asarray(out["losses"])
    check(got.shape == (n,), "R40", f"train(iterations={n}) returned losses of shape {got.shape}, expected ({n},)")
    if n == 0:
        close_params("R40", "train(iterations=0)", out, Ws, bs, tol=0.0)
    else:  # n iterations are one iteration, then n - 1 more from where it stopped
        one = run_train(impl, X, Y, Ws, bs, acts, loss, 0.5, 1)
        rest = run_train(impl, X, Y, one["weights"], one["biases"], acts, loss, 0.5, n - 1)
        close_params("R40", f"train(1) then train({n - 1}), against train({n})", rest, out["weights"], out["biases"])


@pytest.mark.rule("R41")
def test_train_returns_parameters_of_the_shapes_it_was_given(impl):
    for acts, loss, k in NETWORKS:
        X, Y, Ws, bs = network_case(acts, loss, k, bias=(True, False, True))
        out = run_train(impl, X, Y, Ws, bs, acts, loss, 0.5, 1)
        check(
            len(out["weights"]) == len(Ws) and len(out["biases"]) == len(bs),
            "R41",
            f"{len(out['weights'])} weights, {len(out['biases'])} biases for {len(Ws)} layers",
        )
        for i, (W, b) in enumerate(zip(Ws, bs)):
            check(
                np.shape(out["weights"][i]) == W.shape,
                "R41",
                f"weights[{i}] has shape {np.shape(out['weights'][i])}, given {W.shape}",
            )
            if b is not None:
                check(
                    np.shape(out["biases"][i]) == b.shape,
                    "R41",
                    f"biases[{i}] has shape {np.shape(out['biases'][i])}, given {b.shape}",
                )
