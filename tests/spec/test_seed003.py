"""Tutorial 003, "How Deep Neural Networks Work" (seed file 003_264379ac69d91242.txt).

The tutorial is column-major: its X is (n, m) with one sample per column, w is (n, 1), b a number,
and w^T X + b is a (1, m) row. Adapters take samples as rows, so the tutorial's X is our X.T, its
row of predictions is the transpose of our (m, 1) column, and its dw = 1/m X (A - Y)^T is our
1/m X^T (A - Y). Formulas are checked in the tutorial's layout (SymPy, the transcription
``reference_nn.tutorials.seed003``) and in rows (the adapter under test).

The tutorial gives no data for its test on the line y = 1.23x + 3.23. The statistics use, for each
seed 0..99, ``datasets.line_points(np.random.default_rng(seed), 200)`` (uniform on [-10, 10]^2) to
train and the next 2,000 points from the same generator to test; the neuron starts from zeros and
takes model()'s 2,000 steps at learning rate 0.1.
"""

import inspect
import timeit

import numpy as np
import pytest
import sympy as sp

from nnspec import derivations as D
from nnspec.golden import assert_matches_printed, check_run, load_case, printed
from reference_nn import datasets
from reference_nn.initializers import legacy_rng, symmetric_uniform, uniform
from reference_nn.tutorials import seed003

LEARNING_RATE, N_ITER = 0.1, 2000  # model()'s defaults
SLOPE, INTERCEPT = 1.23, 3.23
SEEDS = range(100)
M_TRAIN, M_TEST = 200, 2000
Z = np.linspace(-30, 30, 601)
SIGMOID = D.activation_definitions()["sigmoid"]
BCE = "binary_cross_entropy"

# A small problem in the tutorial's column layout: n = 2 inputs, m = 4 samples.
XC = np.array([[0.5, -1.2, 2.0, 0.3], [1.5, 0.7, -0.4, -2.2]])
YC = np.array([[1.0, 0.0, 1.0, 0.0]])
W0, B0 = np.array([[0.3], [-0.2]]), 0.1


def _neuron(impl, X, Y, iterations=N_ITER, w=None, b=0.0, learning_rate=LEARNING_RATE):
    """model() through the adapter, in rows: one sigmoid neuron (from zeros by default), mean log loss."""
    w = np.zeros((X.shape[1], 1)) if w is None else w
    return impl.train(X, Y, [w], [np.array([b], dtype=float)], ["sigmoid"], BCE, learning_rate, iterations)


def _symbolic_gradient(Xc, Yc):
    """dJ/dw (n,) and dJ/db of J = 1/m sum_i L(sigmoid(w^T x_i + b), y_i) by SymPy, as a function of (w, b)."""
    n, m = Xc.shape
    w, b = sp.symbols(f"w1:{n + 1}", real=True), sp.Symbol("b", real=True)
    J = 0
    for i in range(m):
        zi = sum(w[k] * sp.Float(Xc[k, i]) for k in range(n)) + b
        J += D.log_loss().subs({D.p: SIGMOID.subs(D.z, zi), D.y: sp.Float(Yc[0, i])})
    f = sp.lambdify((w, b), [sp.diff(J / m, v) for v in (*w, b)], "numpy")
    return lambda w0, b0: (lambda g: (np.array(g[:-1]), g[-1]))(f(tuple(np.ravel(w0)), b0))


def _train_neurons(X, Y, learning_rate=LEARNING_RATE, iterations=N_ITER):
    """model()'s update for S independent neurons at once (statistics only; checked against the adapter).

    X (S, m, n), Y (S, m, 1); from w = 0, b = 0. Returns w (S, n), b (S, 1) and the costs (iterations, S).
    """
    S, m, n = X.shape
    XT, Y = np.ascontiguousarray(X.transpose(0, 2, 1)), Y[..., 0]
    w, b, costs = np.zeros((S, n)), np.zeros((S, 1)), np.empty((iterations, S))
    for i in range(iterations):
        Z = np.einsum("snm,sn->sm", XT, w) + b
        e = np.exp(-np.abs(Z))
        costs[i] = np.mean(np.log1p(e) + np.maximum(Z, 0.0) - Y * Z, axis=1)  # log loss, stable form
        dZ = np.where(Z >= 0, 1.0, e) / (1.0 + e) - Y  # sigmoid(Z) - Y
        w -= learning_rate * np.einsum("snm,sm->sn", XT, dZ) / m
        b -= learning_rate * dZ.mean(axis=1, keepdims=True)
    return w, b, costs


@pytest.fixture(scope="module")
def line_case():
    return load_case("neuron_line_zeros")


@pytest.fixture(scope="module")
def neuron_run(impl, line_case):
    """The adapter's neuron trained as model() on the run case's 200 line points (seed 0)."""
    return _neuron(impl, line_case["X"], line_case["Y"])


@pytest.fixture(scope="module")
def line_runs():
    """Seeds 0..99: training and test sets, and the neurons trained on them."""
    data = []
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        data.append(datasets.line_points(rng, M_TRAIN) + datasets.line_points(rng, M_TEST))
    X, Y, Xt, Yt = (np.stack(a) for a in zip(*data))
    w, b, costs = _train_neurons(X, Y)
    correct = ((np.einsum("smn,sn->sm", Xt, w) + b) > 0) == (Yt[..., 0] > 0.5)
    return {"X": X, "Y": Y, "Xt": Xt, "Yt": Yt, "w": w, "b": b, "costs": costs, "correct": correct}


def _accuracy(impl, X, Y, weights, biases):
    return float(np.mean((impl.predict(X, weights, biases, ["sigmoid"]) > 0.5) == (Y > 0.5)))


# ---- the neuron and forward propagation ------------------------------------------------------------------


@pytest.mark.claim("003.neuron-is-a-line")
def test_a_neuron_with_the_identity_activation_is_the_line_wx_plus_b(impl):
    x = np.linspace(-5, 5, 11).reshape(-1, 1)
    w, b = 1.7, -0.4
    line = impl.dense_forward(x, np.array([[w]]), np.array([b]), "identity")
    np.testing.assert_allclose(line, w * x + b, rtol=1e-15, atol=1e-15)
    s = impl.dense_forward(x, np.array([[w]]), np.array([b]), "sigmoid")
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-(w * x + b))), rtol=1e-14)
    assert np.abs(np.diff(s.ravel(), 2)).max() > 1e-3  # the sigmoid neuron's output is not a line


@pytest.mark.claim("003.sigmoid-bounded")
def test_the_sigmoid_is_limited_by_0_and_1(impl):
    assert sp.limit(SIGMOID, D.z, sp.oo) == 1 and sp.limit(SIGMOID, D.z, -sp.oo) == 0
    wide = np.linspace(-1000, 1000, 4001)
    s = impl.activation("sigmoid", wide)
    assert np.all((s >= 0) & (s <= 1)) and np.all(np.diff(s) >= 0)
    inner = impl.activation("sigmoid", Z)
    assert np.all((inner > 0) & (inner < 1))
    assert seed003.sigmoid(37.0) == 1.0  # the textbook formula rounds to 1 once e^-z < 2^-53


@pytest.mark.claim("003.vector-form")
def test_w_transpose_x_plus_b_is_the_weighted_sum_in_both_layouts(impl):
    rng = np.random.default_rng(3)
    w, x, b = rng.normal(size=(4, 1)), rng.normal(size=(4, 1)), 0.7
    weighted_sum = sum(w[i, 0] * x[i, 0] for i in range(4)) + b
    assert (w.T @ x + b).item() == pytest.approx(weighted_sum, rel=1e-14)  # columns, as written
    assert impl.dense_forward(x.T, w, np.array([b]), "identity").item() == pytest.approx(weighted_sum, rel=1e-14)


@pytest.mark.claim("003.forward-propagation")
def test_forward_propagation_is_a_sigmoid_layer_on_the_transposed_data(impl):
    rng = np.random.default_rng(4)
    Xc, w, b = rng.normal(size=(3, 7)), rng.normal(size=(3, 1)), -0.3
    row = seed003.forward_propagation(w, b, Xc)
    assert row.shape == (1, 7)
    np.testing.assert_allclose(row, impl.dense_forward(Xc.T, w, np.array([b]), "sigmoid").T, rtol=1e-14)


SPEED_MARGIN = 5  # a speed claim holds when the vectorised way is at least 5x faster (measured 170x and 1,900x)


def _best_time(fn):
    """The best of 5 repeats of 3 calls, in seconds: the least disturbed run on a shared machine."""
    return min(timeit.repeat(fn, number=3, repeat=5))


@pytest.mark.claim("003.numpy-compiled-faster")
def test_numpys_compiled_dot_product_is_the_loops_sum_and_much_faster():
    rng = np.random.default_rng(31)
    n = 10_000
    w, x = rng.normal(size=(n, 1)), rng.normal(size=(n, 1))
    ws, xs = w.ravel().tolist(), x.ravel().tolist()

    def loop():  # w^T x feature by feature, in the interpreter
        total = 0.0
        for i in range(n):
            total += ws[i] * xs[i]
        return total

    def compiled():
        return np.dot(w.T, x)

    assert compiled()[0, 0] == pytest.approx(loop(), rel=1e-9)
    t_loop, t_numpy = _best_time(loop), _best_time(compiled)
    assert t_loop >= SPEED_MARGIN * t_numpy, f"loop {t_loop:.2e} s, NumPy {t_numpy:.2e} s"


@pytest.mark.claim("003.vectorisation-speed")
def test_the_tutorials_vectorised_forward_pass_equals_a_loop_over_samples_and_is_much_faster():
    rng = np.random.default_rng(32)
    Xc, w, b = rng.normal(size=(2, 2000)), rng.normal(size=(2, 1)), 0.4

    def per_sample():  # forward_propagation one sample (column) at a time
        return np.hstack([seed003.forward_propagation(w, b, Xc[:, [i]]) for i in range(Xc.shape[1])])

    def vectorised():
        return seed003.forward_propagation(w, b, Xc)

    np.testing.assert_allclose(vectorised(), per_sample(), rtol=1e-14)
    t_loop, t_vec = _best_time(per_sample), _best_time(vectorised)
    assert t_loop >= SPEED_MARGIN * t_vec, f"loop {t_loop:.2e} s, vectorised {t_vec:.2e} s"


@pytest.mark.claim("003.vectorised-backprop")
def test_the_vectorised_backpropagation_is_the_mean_of_the_per_sample_gradients():
    rng = np.random.default_rng(33)
    Xc, Y = rng.normal(size=(3, 8)), rng.integers(0, 2, size=(1, 8)).astype(float)
    w, b = rng.normal(size=(3, 1)), 0.3
    A = seed003.forward_propagation(w, b, Xc)
    w_new, b_new = seed003.backpropagation(w, b, Xc, A, Y, 1.0, 8)  # at learning rate 1 the step is the gradient
    per_sample_dw = [Xc[:, [i]] * (A[0, i] - Y[0, i]) for i in range(8)]
    np.testing.assert_allclose(w - w_new, np.mean(per_sample_dw, axis=0), rtol=1e-12)
    assert b - b_new == pytest.approx(np.mean(A - Y), rel=1e-12)


@pytest.mark.claim("003.vectorised-rows")
def test_every_row_of_x_transpose_w_plus_b_is_one_samples_forward_pass(impl):
    rng = np.random.default_rng(5)
    Xc, w, b = rng.normal(size=(3, 6)), rng.normal(size=(3, 1)), 0.2
    stacked = Xc.T @ w + b  # (m, 1): the tutorial's X^T w + b
    loop = np.array([[Xc[:, i] @ w[:, 0] + b] for i in range(6)])
    np.testing.assert_allclose(stacked, loop, rtol=1e-14)
    np.testing.assert_allclose(impl.dense_forward(Xc.T, w, np.array([b]), "identity"), loop, rtol=1e-14)
    np.testing.assert_allclose(np.dot(w.T, Xc) + b, loop.T, rtol=1e-14)  # the code's row is its transpose


# ---- loss and cost ----------------------------------------------------------------------------------------


@pytest.mark.claim("003.log-loss-formula")
def test_the_log_loss_formula_and_code(impl):
    written = -(D.y * sp.log(D.p) + (1 - D.y) * sp.log(1 - D.p))
    assert sp.simplify(written - D.log_loss()) == 0
    f = sp.lambdify((D.p, D.y), D.log_loss(), "numpy")
    for p in np.linspace(0.05, 0.95, 7):
        for y in (0.0, 1.0, 0.3):
            assert seed003.loss(p, y) == pytest.approx(f(p, y), rel=1e-12)
            assert impl.loss(BCE, np.array([[p]]), np.array([[y]])) == pytest.approx(f(p, y), rel=1e-12)


@pytest.mark.claim("003.log-loss-limits")
def test_the_log_loss_is_infinite_only_in_the_limit_and_zero_only_for_hard_labels(impl):
    L = D.log_loss()
    assert sp.limit(L.subs(D.y, 1), D.p, 0, "+") == sp.oo
    assert sp.limit(L.subs(D.y, 0), D.p, 1, "-") == sp.oo
    assert sp.limit(L.subs(D.y, 1), D.p, 1, "-") == 0 and sp.limit(L.subs(D.y, 0), D.p, 0, "+") == 0
    wrong_side = impl.loss(BCE, np.array([[0.4]]), np.array([[1.0]]))
    assert wrong_side == pytest.approx(-np.log(0.4), rel=1e-12) and wrong_side < 1  # finite, even below 1
    # a soft label y = 0.3: the loss is smallest at p = y, and that smallest value is positive
    soft = sp.Rational(3, 10)
    assert sp.solve(sp.diff(L.subs(D.y, soft), D.p), D.p) == [soft]
    at_y = impl.loss(BCE, np.array([[0.3]]), np.array([[0.3]]))
    assert at_y == pytest.approx(-(0.3 * np.log(0.3) + 0.7 * np.log(0.7)), rel=1e-12) and at_y > 0.6
    for p in (0.29, 0.31):
        assert impl.loss(BCE, np.array([[p]]), np.array([[0.3]])) > at_y


@pytest.mark.claim("003.cost-mean")
def test_the_cost_is_the_mean_of_the_per_sample_losses(impl):
    A = np.array([[0.9], [0.2], [0.6], [0.35], [0.05]])
    Y = np.array([[1.0], [0.0], [0.0], [1.0], [0.0]])
    mean_loss = np.mean(seed003.loss(A, Y))
    assert seed003.cost(A.T, Y.T, 5) == pytest.approx(mean_loss, rel=1e-14)
    assert impl.loss(BCE, A, Y) == pytest.approx(mean_loss, rel=1e-12)


@pytest.mark.claim("003.cost-code-nan")
def test_the_cost_is_finite_in_the_tutorials_run_and_turns_nan_only_long_after(capsys):
    X, Y = datasets.line_points(np.random.default_rng(0), M_TRAIN)
    costs = [[], []]
    w, b = seed003.model_fixed(X.T, Y.T, LEARNING_RATE, 7501, costs)  # iterations 0 .. 7,500
    assert np.all(np.isfinite(costs[1])) and capsys.readouterr().out.count("\n") == 1501
    default = inspect.signature(seed003.model).parameters["n_iter"].default
    assert default == 2000 and np.all(np.isfinite(costs[1][:default]))  # the tutorial's own run: every cost finite
    A = seed003.forward_propagation(w, b, X.T)  # iteration 7,501
    assert np.any(A == 1.0)  # a prediction has rounded to exactly 1 (for a point labelled 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) and 0 * -inf, as the tutorial computes them
        assert np.isnan(seed003.cost(A, Y.T, M_TRAIN))
    z = np.dot(w.T, X.T) + b
    stable = np.mean(np.logaddexp(0, z) - Y.T * z)  # the same cost, computed from z
    assert np.isfinite(stable) and stable == pytest.approx(costs[1][-1], rel=1e-3)


# ---- gradient descent and the derivatives -------------------------------------------------------------------


@pytest.mark.claim("003.gradient-direction")
def test_the_negative_gradient_descends_but_does_not_point_at_where_training_ends(impl, line_case, neuron_run):
    first = _neuron(impl, line_case["X"], line_case["Y"], iterations=1)
    step = np.append(first["weights"][0].ravel(), first["biases"][0])  # -0.1 * gradient at zero
    end = np.append(neuron_run["weights"][0].ravel(), neuron_run["biases"][0])
    assert neuron_run["losses"][1] < neuron_run["losses"][0]
    angle = np.degrees(np.arccos(step @ end / np.linalg.norm(step) / np.linalg.norm(end)))
    assert angle > 45


@pytest.mark.claim("003.update-rule", "003.backprop-verified-by-cost")
def test_one_training_step_is_w_minus_alpha_times_the_symbolic_gradient(impl):
    dw, db = _symbolic_gradient(XC, YC)(W0, B0)
    step = _neuron(impl, XC.T, YC.T, iterations=1, w=W0, b=B0)
    np.testing.assert_allclose(step["weights"][0].ravel(), W0.ravel() - LEARNING_RATE * dw, rtol=1e-12)
    assert step["biases"][0].item() == pytest.approx(B0 - LEARNING_RATE * db, rel=1e-12)


@pytest.mark.claim("003.update-rule")
def test_the_step_is_alpha_times_the_gradient_for_the_alpha_given_not_for_one_alpha_only(impl):
    """w_new = w - alpha dJ/dw for each alpha passed (0.1, the tutorial's, and 0.5): a rate fixed inside
    the update passes the first only."""
    dw, db = _symbolic_gradient(XC, YC)(W0, B0)
    for alpha in (LEARNING_RATE, 0.5):
        step = _neuron(impl, XC.T, YC.T, iterations=1, w=W0, b=B0, learning_rate=alpha)
        np.testing.assert_allclose(step["weights"][0].ravel(), W0.ravel() - alpha * dw, rtol=1e-12)
        assert step["biases"][0].item() == pytest.approx(B0 - alpha * db, rel=1e-12), alpha


@pytest.mark.claim("003.dj-dz")
def test_dj_dz_is_the_residual_over_m(impl):
    assert sp.simplify(D.log_loss_of_sigmoid_grad() - (SIGMOID - D.y)) == 0  # per sample: y-hat - y
    # for the cost over m samples, through a layer whose pre-activation is its input (w = 1, b = 0)
    z = np.array([[-2.0], [0.5], [1.5]])
    Y = np.array([[0.0], [1.0], [0.0]])
    A = impl.dense_forward(z, np.ones((1, 1)), np.zeros(1), "sigmoid")
    dz, _, _ = impl.dense_backward(z, np.ones((1, 1)), np.zeros(1), "sigmoid", impl.loss_grad(BCE, A, Y))
    np.testing.assert_allclose(dz, (A - Y) / 3, rtol=1e-9)


@pytest.mark.claim("003.dw-formula", "003.db-formula")
def test_dw_and_db_in_the_tutorials_layout_equal_the_symbolic_gradient():
    dw, db = _symbolic_gradient(XC, YC)(W0, B0)
    A = seed003.forward_propagation(W0, B0, XC)
    m = XC.shape[1]
    np.testing.assert_allclose(1 / m * XC @ (A - YC).T, dw.reshape(-1, 1), rtol=1e-12)
    assert 1 / m * np.sum(A - YC) == pytest.approx(db, rel=1e-12)  # one sum, over the m samples


@pytest.mark.claim("003.db-formula")
def test_summing_db_over_n_rows_counts_the_bias_gradient_n_times():
    n, m = XC.shape
    w, b_column = seed003.initialisation(n)  # b of shape (n, 1): n equal rows of predictions
    A_rows = seed003.forward_propagation(w, b_column, XC)
    A = seed003.forward_propagation(w, 0, XC)
    assert A_rows.shape == (n, m)
    assert 1 / m * np.sum(A_rows - YC) == pytest.approx(n * (1 / m * np.sum(A - YC)), rel=1e-14)
    assert _symbolic_gradient(XC, YC)(w, 0.0)[1] == pytest.approx(1 / m * np.sum(A - YC), rel=1e-12)


@pytest.mark.claim("003.dl-da")
def test_dl_da_is_minus_y_over_a_plus_one_minus_y_over_one_minus_a(impl):
    written = -D.y / D.p + (1 - D.y) / (1 - D.p)
    assert sp.simplify(sp.diff(D.log_loss(), D.p) - written) == 0
    A = np.array([[0.1], [0.45], [0.8]])
    Y = np.array([[1.0], [0.0], [1.0]])
    np.testing.assert_allclose(impl.loss_grad(BCE, A[:1], Y[:1]), -Y[:1] / A[:1] + (1 - Y[:1]) / (1 - A[:1]))
    np.testing.assert_allclose(impl.loss_grad(BCE, A, Y), (-Y / A + (1 - Y) / (1 - A)) / 3, rtol=1e-12)


@pytest.mark.claim("003.da-dz-written")
def test_the_written_da_dz_has_the_wrong_sign(impl):
    derivation = D.activation_derivative("sigmoid")
    written = -sp.exp(-D.z) / (1 + sp.exp(-D.z)) ** 2
    assert sp.simplify(written - derivation) != 0
    assert sp.simplify(written + derivation) == 0  # exactly the negative
    grad = impl.activation_grad("sigmoid", Z)
    assert np.all(grad > 0)  # the sigmoid increases
    np.testing.assert_allclose(grad, D.numeric(derivation)(Z), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(D.numeric(written)(Z), -grad, rtol=1e-9, atol=1e-15)
    # in the chain rule the written form gives Y - A, the opposite of the tutorial's own result
    dl_da = sp.diff(D.log_loss(), D.p).subs(D.p, SIGMOID)
    assert sp.simplify(dl_da * written - (D.y - SIGMOID)) == 0


@pytest.mark.claim("003.da-dz-sigma")
def test_da_dz_is_sigma_times_one_minus_sigma(impl):
    assert sp.simplify(D.activation_derivative("sigmoid") - SIGMOID * (1 - SIGMOID)) == 0
    np.testing.assert_allclose(
        impl.sigmoid_grad_from_output(impl.activation("sigmoid", Z)),
        impl.activation_grad("sigmoid", Z),
        rtol=1e-9,
        atol=1e-15,
    )


@pytest.mark.claim("003.dl-dz-algebra")
def test_the_chain_rule_algebra_gives_a_minus_y():
    A, Y = sp.symbols("A Y", real=True)
    assert sp.expand((1 - A) * (-Y) + (1 - Y) * A - (A - Y)) == 0
    assert sp.simplify((-Y / A + (1 - Y) / (1 - A)) * A * (1 - A) - (A - Y)) == 0


@pytest.mark.claim("003.dz-code", "003.dw-formula")
def test_dz_is_a_minus_y_and_the_three_lines_are_the_layers_gradients(impl):
    assert sp.simplify(D.log_loss_of_sigmoid_grad() - (SIGMOID - D.y)) == 0
    X, Y, m = XC.T, YC.T, XC.shape[1]
    A = impl.dense_forward(X, W0, np.array([B0]), "sigmoid")
    _, dW, db = impl.dense_backward(X, W0, np.array([B0]), "sigmoid", impl.loss_grad(BCE, A, Y))
    dZ = A.T - YC  # the tutorial's three lines, in its column layout
    np.testing.assert_allclose(dW, 1 / m * np.dot(XC, dZ.T), rtol=1e-9)
    np.testing.assert_allclose(db, [1 / m * np.sum(dZ)], rtol=1e-9)
    np.testing.assert_allclose(dW, X.T @ (A - Y) / m, rtol=1e-9)  # the same in rows


@pytest.mark.claim("003.backpropagation-step")
def test_backpropagation_is_one_gradient_step_on_the_mean_log_loss(impl):
    A = seed003.forward_propagation(W0, B0, XC)
    w, b = seed003.backpropagation(W0, B0, XC, A, YC, LEARNING_RATE, XC.shape[1])  # its assert passes
    step = _neuron(impl, XC.T, YC.T, iterations=1, w=W0, b=B0)
    assert w.shape == W0.shape and np.ndim(b) == 0
    np.testing.assert_allclose(step["weights"][0], w, rtol=1e-12)
    assert step["biases"][0].item() == pytest.approx(b, rel=1e-12)


# ---- initialisation -----------------------------------------------------------------------------------------


@pytest.mark.claim("003.zero-init-one-neuron")
def test_a_single_neuron_learns_from_zeros(impl, line_case, neuron_run):
    assert np.all(neuron_run["weights"][0] != 0)
    assert _accuracy(impl, line_case["X"], line_case["Y"], neuron_run["weights"], neuron_run["biases"]) > 0.97


@pytest.mark.claim("003.zero-init-several-neurons")
def test_zero_initialised_hidden_units_develop_identically_and_cannot_fit_xor(impl):
    X, xor = datasets.xor()
    acts = ["sigmoid", "sigmoid"]
    zeros = ([np.zeros((3, 4)), np.zeros((4, 1))], [np.zeros(4), np.zeros(1)])
    # on XOR the gradient at zero is exactly zero (the residuals cancel): nothing moves, every output stays 1/2
    stuck = impl.train(X, xor, *zeros, acts, "sse", 1.0, 1500)
    assert all(np.all(W == 0) for W in stuck["weights"])
    np.testing.assert_allclose(impl.predict(X, stuck["weights"], stuck["biases"], acts), 0.5, rtol=0, atol=1e-15)
    # on OR the network moves, but its four hidden units move in lockstep: in effect one unit
    OR = np.array([[0.0], [1.0], [1.0], [1.0]])
    sym = impl.train(X, OR, *zeros, acts, "sse", 1.0, 1500)
    W1, b1, W2 = sym["weights"][0], sym["biases"][0], sym["weights"][1]
    assert np.abs(W1).max() > 0.1
    np.testing.assert_allclose(W1, np.repeat(W1[:, :1], 4, axis=1), rtol=0, atol=1e-12)
    np.testing.assert_allclose(b1, np.full(4, b1[0]), rtol=0, atol=1e-12)
    np.testing.assert_allclose(W2, np.full((4, 1), W2[0, 0]), rtol=0, atol=1e-12)
    # the same network from random weights fits XOR
    rng = legacy_rng(0)
    random = impl.train(X, xor, [uniform(rng, (3, 4)), uniform(rng, (4, 1))], zeros[1], acts, "sse", 1.0, 1500)
    assert np.abs(impl.predict(X, random["weights"], random["biases"], acts) - xor).max() < 0.1


@pytest.mark.claim("003.zero-init-several-neurons")
def test_several_output_neurons_of_one_layer_learn_from_zeros(impl):
    X, _ = datasets.xor()
    Y = np.column_stack([X[:, 0] * X[:, 1], np.maximum(X[:, 0], X[:, 1])])  # AND and OR
    run = impl.train(X, Y, [np.zeros((3, 2))], [np.zeros(2)], ["sigmoid"], BCE, 1.0, 2000)
    W = run["weights"][0]
    assert np.abs(W[:, 0] - W[:, 1]).max() > 1  # the two neurons developed differently
    assert np.all((impl.predict(X, run["weights"], run["biases"], ["sigmoid"]) > 0.5) == (Y > 0.5))


@pytest.mark.claim("003.init-bias-shape")
def test_the_printed_initialisation_gives_b_the_wrong_shape():
    n, m = XC.shape
    w, b = seed003.initialisation(n)
    assert b.shape == (n, 1)
    assert seed003.forward_propagation(w, 0, XC).shape == (1, m)  # model()'s b = 0
    A = seed003.forward_propagation(w, b, XC)
    assert A.shape == (n, m)  # n copies of the predictions
    with pytest.raises(AssertionError):
        seed003.backpropagation(w, b, XC, A, YC, LEARNING_RATE, m)  # dw comes out (n, n)


# ---- the model ---------------------------------------------------------------------------------------------


@pytest.mark.claim("003.model-name-error")
def test_model_as_printed_raises_name_error():
    with pytest.raises(NameError, match="forwardpropagation"):
        seed003.model(XC, YC, n_iter=1, costIter=[[], []])
    w, b = seed003.model_fixed(XC, YC, n_iter=1, costIter=[[], []])  # with the name corrected it runs
    assert w.shape == (2, 1)


@pytest.mark.claim("003.model-cost-history")
def test_the_default_cost_history_is_shared_between_calls(capsys):
    history = seed003.model_fixed.__defaults__[2]
    before = len(history[1])
    seed003.model_fixed(XC, YC, n_iter=3)
    seed003.model_fixed(XC, YC, n_iter=3)
    assert len(history[0]) == len(history[1]) == before + 6  # the second run appended to the first's
    assert history[0][-6:] == [0, 1, 2, 0, 1, 2] and history[1][-6:-3] == history[1][-3:]
    fresh = [[], []]
    seed003.model_fixed(XC, YC, n_iter=3, costIter=fresh)
    assert len(fresh[1]) == 3 and len(history[1]) == before + 6
    capsys.readouterr()


@pytest.mark.claim("003.model-steps")
def test_the_corrected_model_prints_every_5_iterations_and_is_the_neurons_training(capsys, line_case, neuron_run):
    history = [[], []]
    w, b = seed003.model_fixed(line_case["X"].T, line_case["Y"].T, costIter=history)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 400 and lines[0].startswith("Iteration 0: 0.693147180559")
    assert [float(line.split(": ")[1]) for line in lines] == history[1][::5]
    np.testing.assert_allclose(history[1], neuron_run["losses"], rtol=1e-9)
    np.testing.assert_allclose(w, neuron_run["weights"][0], rtol=1e-9)
    assert b == pytest.approx(neuron_run["biases"][0].item(), rel=1e-9)


@pytest.mark.claim("003.model-steps")
def test_the_neuron_run_matches_its_reference_golden(impl, num_regression):
    check_run(impl, num_regression, "neuron_line_zeros")


@pytest.mark.claim("003.returns-optimal", "003.reach-minimum")
def test_on_separable_data_the_cost_has_no_minimum_to_return(impl, line_case, neuron_run):
    X, Y = line_case["X"], line_case["Y"]
    losses = neuron_run["losses"]
    assert losses[-1] < losses[-2]  # still falling at the last step
    W, b = neuron_run["weights"][0], neuron_run["biases"][0]
    costs = [impl.loss(BCE, impl.predict(X, [k * W], [k * b], ["sigmoid"]), Y) for k in (1, 2, 4, 8)]
    assert all(later < earlier for earlier, later in zip(costs, costs[1:])) and costs[-1] > 0


# ---- testing on the line -------------------------------------------------------------------------------------


@pytest.mark.claim("003.line-classes")
def test_one_neuron_can_separate_the_line_classes(impl, line_case):
    X, Y = line_case["X"], line_case["Y"]
    assert np.array_equal(Y[:, 0] == 1, X[:, 1] > SLOPE * X[:, 0] + INTERCEPT)  # blue above, red below
    k = 100.0
    out = impl.predict(X, [k * np.array([[-SLOPE], [1.0]])], [np.array([-k * INTERCEPT])], ["sigmoid"])
    assert np.array_equal(out > 0.5, Y > 0.5)


@pytest.mark.claim("003.cost-decreases", "003.accuracy-99", "003.errors-on-the-line")
def test_the_batched_statistics_are_the_adapters_training(impl, line_runs, neuron_run):
    for seed, run in ((0, neuron_run), (1, None)):
        if run is None:
            run = _neuron(impl, line_runs["X"][seed], line_runs["Y"][seed])
        np.testing.assert_allclose(run["weights"][0].ravel(), line_runs["w"][seed], rtol=1e-9)
        np.testing.assert_allclose(run["biases"][0], line_runs["b"][seed], rtol=1e-9)
        np.testing.assert_allclose(run["losses"], line_runs["costs"][:, seed], rtol=1e-9)


@pytest.mark.claim("003.cost-decreases")
def test_the_cost_decreases_at_every_iteration(line_runs):
    assert np.all(np.diff(line_runs["costs"], axis=0) < 0)
    # why: the mean log loss is convex and L-smooth with L = lambda_max(X~^T X~) / (4m), and 0.1 < 2/L
    X = line_runs["X"]
    Xa = np.concatenate([X, np.ones(X.shape[:2] + (1,))], axis=2)
    L = np.linalg.eigvalsh(np.einsum("smi,smj->sij", Xa, Xa) / M_TRAIN).max(axis=1) / 4
    assert np.all(LEARNING_RATE < 2 / L)


@pytest.mark.claim("003.backprop-verified-by-cost")
def test_a_falling_cost_does_not_prove_the_gradient_right(impl, line_case, neuron_run):
    Xc, Yc = line_case["X"].T, line_case["Y"].T
    m = Xc.shape[1]
    w, costs = np.zeros((2, 1)), []
    for _ in range(N_ITER):  # the tutorial's functions with the bias gradient left out
        A = seed003.forward_propagation(w, 0, Xc)
        costs.append(seed003.cost(A, Yc, m))
        w = w - LEARNING_RATE * 1 / m * np.dot(Xc, (A - Yc).T)
    # the cost falls at every step until it settles (near step 900), then moves only by rounding
    assert np.all(np.diff(costs[:900]) < 0) and np.all(np.diff(costs) <= 4 * np.spacing(costs[-1]))
    wrong = _accuracy(impl, line_case["X"], line_case["Y"], [w], [np.zeros(1)])
    right = _accuracy(impl, line_case["X"], line_case["Y"], neuron_run["weights"], neuron_run["biases"])
    assert costs[-1] > neuron_run["losses"][-1] and wrong < right


@pytest.mark.claim("003.accuracy-99")
def test_the_accuracy_on_2000_fresh_points_is_around_99_percent(line_runs):
    accuracy = line_runs["correct"].mean(axis=1)
    assert_matches_printed(accuracy.mean(), printed("003", "accuracy"))  # measured 0.98866
    assert accuracy.min() >= 0.965  # measured 0.9705
    assert np.mean(accuracy >= 0.98) >= 0.8  # measured 0.89


@pytest.mark.claim("003.errors-on-the-line")
def test_the_errors_are_near_the_line_not_on_it(line_runs):
    Xt, wrong = line_runs["Xt"], ~line_runs["correct"]
    distance = np.abs(Xt[..., 1] - SLOPE * Xt[..., 0] - INTERCEPT) / np.hypot(SLOPE, 1.0)
    assert distance.min() > 1e-6  # no test point lies on the line
    assert 0.005 < wrong.mean() < 0.02  # about 1% errors (measured 1.13%)
    assert 0.05 < np.median(distance[wrong]) < 0.3  # measured 0.113
    w, b = line_runs["w"], line_runs["b"][:, 0]
    assert np.median(-b / w[:, 1]) < INTERCEPT - 0.1  # the learned boundary sits too low (measured 3.02)


# ---- what is special about this classifier ----------------------------------------------------------------


@pytest.mark.claim("003.one-neuron-linear")
def test_a_neurons_output_is_constant_along_its_linear_boundary(impl):
    w, b = np.array([[1.5], [-2.0]]), np.array([0.3])
    x0, along = np.array([0.4, -1.0]), np.array([2.0, 1.5])  # along is orthogonal to w
    line = x0 + np.linspace(-3, 3, 7)[:, None] * along
    out = impl.dense_forward(line, w, b, "sigmoid")
    np.testing.assert_allclose(out, np.full_like(out, out[0, 0]), rtol=1e-14)
    on_boundary = np.array([[0.0, 0.15]])  # 1.5*0 - 2*0.15 + 0.3 = 0
    assert impl.dense_forward(on_boundary, w, b, "sigmoid").item() == pytest.approx(0.5, abs=1e-15)
    p, q = np.array([[3.0, 0.0]]), np.array([[-3.0, 0.0]])
    mid = impl.dense_forward((p + q) / 2, w, b, "sigmoid").item()
    ends = (impl.dense_forward(p, w, b, "sigmoid").item() + impl.dense_forward(q, w, b, "sigmoid").item()) / 2
    assert abs(mid - ends) > 0.01  # the output itself is not linear


@pytest.mark.claim("003.linear-compositions")
def test_stacked_linear_layers_collapse_to_one_and_activations_break_the_collapse(impl):
    rng = legacy_rng(2)
    W1, b1, W2, b2 = (symmetric_uniform(rng, s) for s in ((3, 4), (4,), (4, 2), (2,)))
    X = symmetric_uniform(rng, (5, 3))
    stacked = impl.predict(X, [W1, W2], [b1, b2], ["identity", "identity"])
    np.testing.assert_allclose(stacked, impl.predict(X, [W1 @ W2], [b1 @ W2 + b2], ["identity"]), rtol=1e-12)
    p, q = X[:1], X[1:2]
    f = lambda x: impl.predict(x, [3 * W1, W2], [b1, b2], ["sigmoid", "identity"])  # noqa: E731
    assert np.abs(f((p + q) / 2) - (f(p) + f(q)) / 2).max() > 1e-3  # with a sigmoid between: not affine


# ---- issue 18: the plain statements a second reading found -------------------------------------------------


@pytest.mark.claim("003.adjust-w-b-best-fit")
def test_adjusting_w_and_b_by_gradient_descent_reaches_the_least_squares_line(impl):
    r = np.random.default_rng(3)
    x = r.uniform(-2, 2, size=(40, 1))
    y = 1.23 * x + 3.23 + r.normal(scale=0.3, size=x.shape)
    run = impl.train(x, y, [np.zeros((1, 1))], [np.zeros(1)], ["identity"], "mse", 0.5, 2000)
    slope, intercept = np.polyfit(x[:, 0], y[:, 0], 1)  # the best fit in closed form
    np.testing.assert_allclose([run["weights"][0][0, 0], run["biases"][0][0]], [slope, intercept], rtol=1e-8)


@pytest.mark.claim("003.line-not-limited")
def test_a_line_leaves_0_1_and_its_sigmoid_does_not(impl):
    x = np.linspace(-10, 10, 201).reshape(-1, 1)
    line = impl.dense_forward(x, np.array([[1.23]]), np.array([3.23]), "identity")
    assert line.min() < 0 and line.max() > 1
    squashed = impl.dense_forward(x, np.array([[1.23]]), np.array([3.23]), "sigmoid")
    assert np.all((squashed > 0) & (squashed < 1))


@pytest.mark.claim("003.w-is-a-vector", "003.transpose-gives-scalar")
def test_each_component_has_its_own_weight_and_w_transpose_x_is_one_number():
    w, x, b = np.array([[0.5], [-2.0], [3.0]]), np.array([[1.0], [1.0], [1.0]]), 0.25
    z = seed003.forward_propagation(w, b, x)
    assert (w.T @ x).shape == (1, 1) and (w.T @ x)[0, 0] == pytest.approx(float(np.sum(w * x)), rel=1e-15)
    for i in range(3):  # raising x_i by 1 moves z by w_i: a different effect per component
        bumped = x.copy()
        bumped[i] += 1
        assert (np.dot(w.T, bumped) - np.dot(w.T, x))[0, 0] == pytest.approx(w[i, 0], rel=1e-15)
    assert z.shape == (1, 1)
    with pytest.raises(ValueError, match="not aligned"):
        np.dot(w, x)  # two columns do not multiply without the transpose


@pytest.mark.claim("003.np-dot-comment")
def test_np_dot_of_two_matrices_is_the_matrix_product():
    r = np.random.default_rng(4)
    A, B = r.normal(size=(1, 3)), r.normal(size=(3, 5))
    np.testing.assert_array_equal(np.dot(A, B), A @ B)
    by_hand = np.array([[sum(A[0, k] * B[k, j] for k in range(3)) for j in range(5)]])
    np.testing.assert_allclose(np.dot(A, B), by_hand, rtol=1e-14)


@pytest.mark.claim("003.stack-x-into-columns")
def test_one_call_on_the_stacked_columns_gives_every_samples_output():
    w, b = np.array([[0.7], [-1.1]]), 0.3
    out = seed003.forward_propagation(w, b, XC)  # XC: (n, m) = (2, 4), one sample per column
    assert out.shape == (1, XC.shape[1])
    for j in range(XC.shape[1]):
        assert out[0, j] == pytest.approx(seed003.forward_propagation(w, b, XC[:, j : j + 1])[0, 0], rel=1e-15)


@pytest.mark.claim("003.a-names-the-activation")
def test_a_is_the_sigmoid_of_z():
    w, b = np.array([[0.7], [-1.1]]), 0.3
    A = seed003.forward_propagation(w, b, XC)
    np.testing.assert_array_equal(A, seed003.sigmoid(np.dot(w.T, XC) + b))


@pytest.mark.claim("003.init-with-zeros")
def test_model_starts_from_zeros_so_its_first_cost_is_ln_2(capsys):
    costs = [[], []]
    seed003.model_fixed(XC, YC, n_iter=1, costIter=costs)
    capsys.readouterr()
    assert costs[1][0] == pytest.approx(np.log(2), rel=1e-15)  # every first prediction is sigmoid(0) = 1/2
    source = inspect.getsource(seed003.model)
    assert "w = np.zeros((n, 1))" in source and "b = 0" in source
