"""Tutorial 002, neural networks from scratch (seed file 002_d2866bb17a7abc4c.txt).

The lesson writes its layer in the column layout: ``X`` is features x samples, ``W`` is
(outputs, inputs) and ``Z = W X + b``. The clean API uses rows, ``Z = X W + b`` with ``W`` of
shape (inputs, outputs), so the lesson's formulas map onto rows by transposing every matrix:
``W_rows = W^T``, ``b_rows = b.ravel()``, ``X_rows = X^T``. Tests of the lesson's own code use
``reference_nn.tutorials.seed002`` (the printed snippets, and the nearest program that runs).
"""

import array
import ast
import functools
import re
import time
import timeit

import numpy as np
import pytest
import sympy as sp

from nnspec import derivations as d
from nnspec.golden import check_run, load_case
from nnspec.rules import ATOL  # the rules' few ulps of a value of scale 1 (see nnspec.rules)
from nnspec.stats import wilson
from reference_nn import adapter as reference_adapter
from reference_nn import datasets, train_many
from reference_nn.gradcheck import numerical_gradient
from reference_nn.tutorials import seed002 as tut
from tests.golden.authoring import seed002 as iris_cases

GRID = np.linspace(-50, 50, 2001)


@pytest.fixture
def rng():
    """A fresh random stream for each test, so that a test's data do not depend on which tests ran before."""
    return np.random.default_rng(2002)


def raises(exc, fn, *args, match=None):
    """Run ``fn(*args)`` and assert it raises ``exc`` (message matching ``match``)."""
    with pytest.raises(exc, match=match):
        fn(*args)


class ImplActivation:
    """An activation for the lesson's LinearLayer whose forward and backward (g'(Z)) come from ``impl``."""

    def __init__(self, impl, name):
        self.impl, self.name = impl, name

    def forward(self, Z):
        return self.impl.activation(self.name, Z)

    def backward(self, Z):
        return self.impl.activation_grad(self.name, Z)


def column_layer(W, b, activation):
    """The lesson's repaired LinearLayer with given W (out, in) and b (out, 1)."""
    layer = tut.LinearLayer(W.shape[1], W.shape[0], activation=activation)
    layer.W, layer.b = W.copy(), b.copy()
    return layer


# ---- the neuron and the linear layer -------------------------------------------------------------------


@pytest.mark.claim("002.neuron-weighted-sum-plus-bias", "002.neuron-products-ai", "002.cheat-sheet-neuron")
def test_a_neuron_is_the_sum_of_the_products_plus_the_bias(impl, rng):
    X, w, b = rng.normal(size=(6, 5)), rng.normal(size=(5, 1)), rng.normal(size=1)
    a = X * w.ravel()  # a_i = X_i W_i, one column per feature
    out = impl.dense_forward(X, w, b, "identity")
    np.testing.assert_allclose(out.ravel(), a.sum(axis=1) + b[0], rtol=1e-12)
    assert not np.allclose(out, a[:, :1])  # a single product a_i is not the neuron's output


@pytest.mark.claim("002.pixel-count")
def test_a_4000_by_2000_image_has_8000000_pixels():
    assert np.empty((4000, 2000), dtype=np.uint8).size == 4000 * 2000 == 8_000_000


def _features(rng, n=10_000):
    """One sample of n features and one unit's weights, and the Python loop that sums their products."""
    x, w = rng.normal(size=(1, n)), rng.normal(size=(n, 1))
    xs, ws = x.ravel().tolist(), w.ravel().tolist()

    def loop():
        total = 0.0
        for i in range(n):
            total += xs[i] * ws[i]
        return total

    return x, w, loop


@pytest.mark.claim(
    "002.loop-takes-forever", "002.quiz-matmul-slower", "002.matmul-gives-weighted-sums", "002.same-weight-per-column"
)
def test_the_matrix_product_gives_the_loops_weighted_sum(impl, rng):
    x, w, loop = _features(rng)
    # 1e-9: both sum 10,000 products of standard normals in float64 (error <= n u sum |x_i w_i|, about 1e-12
    # relative to that sum), and the sum itself is about sqrt(n) = 100 times smaller than sum |x_i w_i|
    np.testing.assert_allclose(impl.dense_forward(x, w, None, "identity")[0, 0], loop(), rtol=1e-9)


@pytest.mark.claim("002.loop-takes-forever", "002.quiz-matmul-slower")
def test_the_matrix_product_is_much_faster_than_the_loop_but_the_loop_is_not_forever(rng):
    """Speed is a fact about NumPy, measured on the reference (never a verdict on another implementation).

    At the tutorial's own size, a 4000 x 2000 image: 8,000,000 features. The features are held in
    ``array.array('d')`` (indexing gives Python floats as a list would, at a third of a list's memory);
    the loop runs once (about a second), the product best of 3.
    """
    n = 4000 * 2000
    x, w = rng.normal(size=(1, n)), rng.normal(size=(n, 1))
    xs, ws = array.array("d", x.ravel()), array.array("d", w.ravel())

    def loop():
        total = 0.0
        for i in range(n):
            total += xs[i] * ws[i]
        return total

    def vectorised():
        return reference_adapter.dense_forward(x, w, None, "identity")

    start = time.perf_counter()
    by_loop = loop()
    t_loop = time.perf_counter() - start
    t_vec = min(timeit.repeat(vectorised, number=1, repeat=3))
    assert vectorised()[0, 0] == pytest.approx(by_loop, rel=1e-6, abs=1e-6 * np.sqrt(n))  # the same sum
    assert t_loop >= 5 * t_vec, f"loop {t_loop:.2e} s vs vectorised {t_vec:.2e} s"
    assert t_loop < 60.0  # slower, but not "forever": about a second per neuron for 8,000,000 pixels


@pytest.mark.claim("002.cheat-sheet-any-random-order", "002.quiz-matmul-slower")
def test_matrix_multiplication_is_not_commutative_only_the_summation_order_is_free(impl, rng):
    A, B = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    assert not np.allclose(A @ B, B @ A)
    X, W = rng.normal(size=(5, 4)), rng.normal(size=(4, 3))
    raises(ValueError, np.matmul, W, X)  # the other order is not even defined
    perm = rng.permutation(4)  # summing the products in another order: the same result up to rounding
    np.testing.assert_allclose(
        impl.dense_forward(X[:, perm], W[perm], None, "identity"),
        impl.dense_forward(X, W, None, "identity"),
        rtol=1e-12,
    )


@pytest.mark.claim("002.bias-as-column-of-ones")
def test_a_column_of_ones_folds_the_bias_into_the_product(impl, rng):
    X, W, b = rng.normal(size=(7, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    augmented = np.hstack([np.ones((7, 1)), X]) @ np.vstack([b, W])
    np.testing.assert_allclose(impl.dense_forward(X, W, b, "identity"), augmented, rtol=1e-12)


@pytest.mark.claim("002.cheat-sheet-layer-is-single-neuron")
def test_a_linear_layer_is_many_neurons_side_by_side(impl, rng):
    X, W, b = rng.normal(size=(7, 4)), rng.normal(size=(4, 3)), rng.normal(size=3)
    layer = impl.dense_forward(X, W, b, "sigmoid")
    neurons = [impl.dense_forward(X, W[:, [j]], b[[j]], "sigmoid") for j in range(3)]
    np.testing.assert_allclose(layer, np.hstack(neurons), rtol=1e-12)


@pytest.mark.claim("002.linear-layer-init-small")
def test_the_layer_draws_weights_with_standard_deviation_0_1():
    layer = tut.seeded_layer(0, 500, 200)
    assert layer.W.shape == (200, 500) and layer.b.shape == (200, 1)
    # 100,000 draws: the sample std of 0.1 randn is 0.1 +- 0.0002 (one sigma); allow 15 sigma
    assert abs(layer.W.std() - 0.1) < 0.003
    assert abs(layer.W.mean()) < 0.003
    assert isinstance(layer.activation, tut.IdentityActivation)  # no activation given: the identity


@pytest.mark.claim("002.linear-layer-forward-column-layout", "002.rows-are-samples-columns-features")
def test_the_column_layout_forward_is_the_transpose_of_the_row_forward(impl, rng):
    layer = tut.seeded_layer(1, 4, 3)
    X_rows = rng.normal(size=(6, 4))
    Z_cols = layer.forward(X_rows.T)
    np.testing.assert_allclose(Z_cols.T, impl.dense_forward(X_rows, layer.W.T, layer.b.ravel(), "identity"), rtol=1e-12)
    # the layout the text describes (one sample per row) does not fit np.dot(self.W, X)
    raises(ValueError, layer.forward, X_rows)


@pytest.mark.claim("002.linear-layer-snippet-syntax-error", "002.conclusion-full-fledged")
def test_the_linear_layer_block_does_not_compile():
    with pytest.raises(SyntaxError) as first:
        tut.compile_snippet("linear_layer")
    assert "if __name__ = " in first.value.text
    fixed = tut.SNIPPETS["linear_layer"].replace("__name__ = '__main__'", "__name__ == '__main__'")
    with pytest.raises(SyntaxError, match="never closed"):
        compile(fixed, "<linear_layer, == fixed>", "exec")


@pytest.mark.claim("002.linear-layer-self-test-layout")
def test_the_linear_layer_self_test_fails_on_its_row_input_once_the_syntax_is_repaired(capsys):
    repaired = (
        tut.SNIPPETS["linear_layer"]
        .replace("__name__ = '__main__'", "__name__ == '__main__'")
        .replace("    ])\n", "    ]))\n")  # close the print(
        .replace("def forward(X):", "def forward(self, X):")
    )
    code = compile(repaired, "<linear_layer, repaired>", "exec")
    namespace = {"np": np, "IdentityActivation": tut.IdentityActivation, "__name__": "__main__"}
    with pytest.raises(ValueError, match="not aligned"):
        exec(code, namespace)  # the self-test: one sample as a row, [[1, 2, 3, 4]]
    layer = namespace["ll1"]
    assert layer.W.shape == (1, 4)
    assert layer.forward([[1], [2], [3], [4]]).shape == (1, 1)  # one sample per column fits
    capsys.readouterr()


@pytest.mark.claim("002.methods-lack-self", "002.conclusion-full-fledged")
def test_every_printed_forward_lacks_self():
    x = np.array([[-1.0, 2.0]])
    made = {
        "identity": lambda ns: ns["IdentityActivation"](),
        "linear": lambda ns: ns["LinearActivation"](2.0),
        "sigmoid": lambda ns: ns["SigmoidActivation"](),
        "tanh": lambda ns: ns["TanhActivation"](),
        "binary_step": lambda ns: ns["BinaryStepActivation"](),
        "leaky_relu": lambda ns: ns["LeakyReLUActivation"](1.0, 0.1),
        "softmax": lambda ns: ns["SoftMaxActivation"](),
    }
    for name, make in made.items():
        raises(TypeError, make(tut.run_snippet(name)).forward, x, match="positional argument")
    predict = tut.run_snippet("predict")["NeuralNet"]([])
    raises(TypeError, predict.predict, x, match="positional argument")


# ---- activation functions ------------------------------------------------------------------------------


@pytest.mark.claim("002.activation-desirable-shape", "002.cheat-sheet-activation-shape")
def test_without_activations_stacked_layers_collapse_into_one(impl, rng):
    X = rng.normal(size=(8, 3))
    W1, b1, W2, b2 = rng.normal(size=(3, 5)), rng.normal(size=5), rng.normal(size=(5, 2)), rng.normal(size=2)
    two = impl.predict(X, [W1, W2], [b1, b2], ["identity", "identity"])
    np.testing.assert_allclose(two, impl.dense_forward(X, W1 @ W2, b1 @ W2 + b2, "identity"), rtol=1e-10)
    bent = impl.predict(X, [W1, W2], [b1, b2], ["relu", "identity"])
    assert bent.shape == two.shape and not np.allclose(bent, two)  # same shape; the activation bends the map


@pytest.mark.claim("002.identity-function", "002.cheat-sheet-identity")
def test_the_identity_returns_its_input(impl):
    np.testing.assert_array_equal(impl.activation("identity", GRID), GRID)
    assert d.activation_derivative("identity") == 1
    np.testing.assert_array_equal(impl.activation_grad("identity", GRID), np.ones_like(GRID))
    np.testing.assert_array_equal(tut.IdentityActivation().forward(GRID), GRID)


@pytest.mark.claim("002.linear-function", "002.cheat-sheet-linear")
def test_the_linear_activation_is_a_times_x(impl):
    for a in (-0.5, 2.0):
        np.testing.assert_allclose(impl.activation("linear", GRID, a=a), a * GRID, rtol=1e-15)
        np.testing.assert_allclose(
            impl.activation_grad("linear", GRID, a=a), d.numeric(d.activation_derivative("linear"), {"a": a})(GRID)
        )


@pytest.mark.claim("002.linear-activation-code", "002.conclusion-full-fledged")
def test_the_printed_linear_activation_reads_an_undefined_a():
    cls = tut.run_snippet("linear")["LinearActivation"]
    raises(NameError, cls.forward, np.ones(3), match="'a'")
    raises(TypeError, cls(2.0).forward, np.ones(3))
    np.testing.assert_array_equal(tut.LinearActivation(2.0).forward(np.ones(3)), 2 * np.ones(3))


@pytest.mark.claim("002.sigmoid-range", "002.quiz-output-within-0-1", "002.cheat-sheet-sigmoid-range")
def test_the_sigmoid_stays_between_0_and_1(impl):
    s = impl.activation("sigmoid", np.linspace(-1000, 1000, 20001))
    assert s.min() >= 0 and s.max() <= 1
    inner = impl.activation("sigmoid", np.linspace(-30, 30, 601))
    assert inner.min() > 0 and inner.max() < 1  # strictly inside where float64 can tell


@pytest.mark.claim("002.sigmoid-formula")
def test_the_sigmoid_formula_and_the_lessons_code(impl):
    exact = d.numeric(d.activation_definitions()["sigmoid"])
    np.testing.assert_allclose(impl.activation("sigmoid", GRID), exact(GRID), rtol=1e-12, atol=ATOL)
    np.testing.assert_allclose(tut.SigmoidActivation().forward(GRID), exact(GRID), rtol=1e-12)
    with pytest.warns(RuntimeWarning, match="overflow"):  # np.e**1000 overflows; the result is still 0
        assert tut.SigmoidActivation().forward(np.array([-1000.0]))[0] == 0.0


@pytest.mark.claim("002.tanh-range", "002.tanh-range-cheat-sheet")
def test_tanh_is_inside_minus_1_1_exactly_and_reaches_the_ends_in_float64(impl):
    z = d.z
    gap = (1 - sp.tanh(z)).rewrite(sp.exp)  # 1 - tanh z = 2 / (e^{2z} + 1) > 0 for every real z
    assert sp.simplify(gap - 2 / (sp.exp(2 * z) + 1)) == 0
    assert (2 / (sp.exp(2 * z) + 1)).is_positive
    t = impl.activation("tanh", np.array([-20.0, -5.0, 5.0, 20.0]))
    assert t[0] == -1.0 and t[3] == 1.0 and -1 < t[1] < t[2] < 1


@pytest.mark.claim("002.tanh-like-sigmoid")
def test_tanh_is_a_rescaled_and_compressed_sigmoid(impl):
    z = d.z
    sig = d.activation_definitions()["sigmoid"]
    assert sp.simplify((2 * sig.subs(z, 2 * z) - 1 - sp.tanh(z)).rewrite(sp.exp)) == 0
    np.testing.assert_allclose(
        impl.activation("tanh", GRID), 2 * impl.activation("sigmoid", 2 * GRID) - 1, rtol=1e-12, atol=1e-15
    )
    # not only the range differs: the slopes at 0 are 1 and 1/4
    np.testing.assert_allclose(
        impl.activation_grad("tanh", GRID), d.numeric(d.activation_derivative("tanh"))(GRID), rtol=1e-9, atol=1e-15
    )
    np.testing.assert_allclose(impl.activation_grad("tanh", np.zeros(1)), [1.0])
    np.testing.assert_allclose(impl.activation_grad("sigmoid", np.zeros(1)), [0.25])


@pytest.mark.claim("002.binary-step-definition", "002.cheat-sheet-binary-step")
def test_the_binary_step_maps_negatives_and_zero_to_0_and_positives_to_1(impl):
    x = np.array([-3.0, -1e-9, 0.0, 1e-9, 4.0])
    expected = np.array([0.0, 0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(tut.BinaryStepActivation().forward(x), expected)
    np.testing.assert_array_equal(impl.activation("binary_step", x), expected)


@pytest.mark.claim("002.binary-step-thresh-ignored")
def test_the_lessons_binary_step_ignores_its_threshold(impl):
    x = np.array([0.5, 1.5])
    np.testing.assert_array_equal(tut.BinaryStepActivation(thresh=1).forward(x), [1.0, 1.0])
    np.testing.assert_array_equal(impl.activation("binary_step", x, threshold=1.0), [0.0, 1.0])


@pytest.mark.claim("002.binary-step-for-binary-classification")
def test_no_gradient_flows_through_a_binary_step(impl, rng):
    assert d.activation_derivative("binary_step") == 0
    np.testing.assert_array_equal(impl.activation_grad("binary_step", GRID[GRID != 0]), 0.0)
    X, W, b, G = rng.normal(size=(6, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(6, 2))
    dx, dW, db = impl.dense_backward(X, W, b, "binary_step", G)
    assert not dx.any() and not dW.any() and not db.any()  # gradient descent cannot move these weights


@pytest.mark.claim("002.relu-definition", "002.cheat-sheet-relu")
def test_relu_zeroes_negatives_and_scales_positives(impl):
    for a in (1.0, 2.5):
        exact = d.numeric(d.activation_definitions()["relu"], {"a": a})
        np.testing.assert_allclose(impl.activation("relu", GRID, a=a), exact(GRID), rtol=1e-15)
        np.testing.assert_allclose(tut.ReLUActivation(a).forward(GRID), exact(GRID), rtol=1e-15)


def _forward_returns(snippet):
    """Whether the printed ``forward`` in ``snippet`` (top-level def or class) has a return statement."""
    tree = ast.parse(tut.SNIPPETS[snippet])
    forward = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "forward")
    return any(isinstance(n, ast.Return) for n in ast.walk(forward))


@pytest.mark.claim("002.relu-code", "002.conclusion-full-fledged")
def test_the_printed_relu_is_a_function_that_returns_none():
    relu = tut.run_snippet("relu")["ReLUActivation"]
    assert not isinstance(relu, type) and relu() is None
    assert not _forward_returns("relu")


@pytest.mark.claim("002.leaky-relu-code", "002.conclusion-full-fledged")
def test_the_printed_leaky_relu_forward_returns_none():
    assert not _forward_returns("leaky_relu")
    # run its body, giving it the self it lacks as a global: it computes, then returns None
    cls = tut.run_snippet("leaky_relu", self=tut.LeakyReLUActivation(2.0, 0.1))["LeakyReLUActivation"]
    assert cls.forward(np.array([-1.0, 3.0])) is None
    np.testing.assert_allclose(tut.LeakyReLUActivation(2.0, 0.1).forward(np.array([-1.0, 3.0])), [-0.1, 6.0])


@pytest.mark.claim("002.leaky-relu-formula")
def test_leaky_relu_is_bx_below_zero_and_ax_above(impl):
    a, b = 1.5, 0.1
    exact = d.numeric(d.activation_definitions()["leaky_relu"], {"a": a, "b": b})
    np.testing.assert_allclose(impl.activation("leaky_relu", GRID, a=a, b=b), exact(GRID), rtol=1e-15)
    np.testing.assert_allclose(
        impl.activation_grad("leaky_relu", GRID[GRID != 0], a=a, b=b),
        d.numeric(d.activation_derivative("leaky_relu"), {"a": a, "b": b})(GRID[GRID != 0]),
    )


@pytest.mark.claim("002.cheat-sheet-leaky-relu-form")
def test_the_cheat_sheet_leaky_relu_uses_a_as_the_leak_slope(impl):
    alpha = 0.2
    cheat = np.where(GRID < 0, alpha * GRID, GRID)
    np.testing.assert_allclose(impl.activation("leaky_relu", GRID, a=1.0, b=alpha), cheat, rtol=1e-15)
    lesson = impl.activation("leaky_relu", GRID, a=2.0, b=0.1)  # the lesson's letters, a = 2 and b = 0.1
    assert not np.allclose(lesson, np.where(GRID < 0, 2.0 * GRID, GRID))


def _quiz_outputs(impl, z):
    """The four options of the lesson's two activation quizzes, evaluated on z."""
    return {
        "tanh": impl.activation("tanh", z),
        "sigmoid": impl.activation("sigmoid", z),
        "relu": impl.activation("relu", z),
        "leaky_relu": impl.activation("leaky_relu", z, a=1.0, b=0.01),
    }


@pytest.mark.claim("002.leaky-relu-range", "002.quiz-range-infinite")
def test_only_leaky_relu_with_a_positive_leak_is_unbounded_both_ways(impl):
    z = np.array([-1e8, 1e8])
    unbounded = {name: bool(out[0] <= -1e5 and out[1] >= 1e5) for name, out in _quiz_outputs(impl, z).items()}
    assert unbounded == {"tanh": False, "sigmoid": False, "relu": False, "leaky_relu": True}
    assert impl.activation("leaky_relu", z, a=1.0, b=0.0).min() == 0.0  # b = 0: the ReLU's [0, inf)


@pytest.mark.claim("002.quiz-output-within-0-1")
def test_only_the_sigmoid_is_limited_to_0_1(impl):
    z = np.linspace(-100, 100, 2001)
    within = {name: bool(out.min() >= 0 and out.max() <= 1) for name, out in _quiz_outputs(impl, z).items()}
    assert within == {"tanh": False, "sigmoid": True, "relu": False, "leaky_relu": False}


def _random_logits(rng):
    """Rows of logits at scales from 1 to 1000 (the large ones would overflow a naive e**x)."""
    return np.vstack([scale * rng.normal(size=(250, 5)) for scale in (1.0, 10.0, 100.0, 1000.0)])


@pytest.mark.claim("002.softmax-sums-to-one", "002.softmax-formula", "002.cheat-sheet-softmax-total")
def test_softmax_rows_sum_to_one_and_follow_the_formula(impl, rng):
    Z = _random_logits(rng)
    S = impl.activation("softmax", Z)
    np.testing.assert_allclose(S.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    small = Z[:250]
    np.testing.assert_allclose(
        impl.activation("softmax", small), np.exp(small) / np.exp(small).sum(axis=1, keepdims=True), rtol=1e-12
    )


@pytest.mark.claim("002.softmax-non-negative")
def test_softmax_is_non_negative_and_positive_unless_it_underflows(impl, rng):
    assert impl.activation("softmax", _random_logits(rng)).min() >= 0
    assert impl.activation("softmax", rng.normal(size=(100, 5))).min() > 0
    assert impl.activation("softmax", np.array([[0.0, -1000.0]]))[0, 1] == 0.0  # e^-1000 underflows


@pytest.mark.claim("002.softmax-not-continuous", "002.cheat-sheet-softmax-non-continuous")
def test_softmax_is_smooth_with_the_jacobian_s_i_delta_ij_minus_s_j(impl, rng):
    from sympy.calculus.util import continuous_domain

    zs, J = d.softmax_jacobian(3)
    total = sum(sp.exp(v) for v in zs)
    s = [sp.exp(v) / total for v in zs]
    for i in range(3):
        for j in range(3):
            assert sp.simplify(J[i, j] - s[i] * (int(i == j) - s[j])) == 0
            assert sp.denom(sp.together(J[i, j])).is_positive  # never divides by zero
    assert continuous_domain(J[0, 1], zs[0], sp.S.Reals) == sp.S.Reals
    z = rng.normal(size=(4, 3))
    exact = np.array([d.substitute(J, [(zs, row)]) for row in z])
    np.testing.assert_allclose(impl.softmax_jacobian(z), exact, rtol=1e-10, atol=1e-14)
    h = 1e-6  # a small step in the input makes a small, proportional step in the output
    numeric = np.stack(
        [(impl.activation("softmax", z + h * e) - impl.activation("softmax", z - h * e)) / (2 * h) for e in np.eye(3)],
        axis=-1,
    )
    np.testing.assert_allclose(numeric, exact, atol=1e-8)


@pytest.mark.claim("002.softmax-code")
def test_the_printed_softmax_reads_x_sums_the_whole_batch_and_overflows(rng):
    raises(NameError, tut.run_snippet("softmax")["SoftMaxActivation"].forward, np.ones((3, 2)), match="'x'")
    Z = rng.normal(size=(3, 4))  # 3 classes x 4 samples, the lesson's layout
    S = tut.SoftMaxActivation().forward(Z)
    assert np.isclose(S.sum(), 1.0) and not np.allclose(S.sum(axis=0), 1.0)  # per batch, not per sample
    with pytest.warns(RuntimeWarning):  # e**710 overflows to inf, and inf / inf is nan
        assert np.isnan(tut.SoftMaxActivation().forward(np.array([[710.0], [0.0]]))).any()


# ---- the network, the loss and backward propagation ----------------------------------------------------


@pytest.mark.claim("002.predict-code", "002.conclusion-full-fledged")
def test_the_printed_predict_reads_undefined_names():
    raises(NameError, tut.run_snippet("predict")["NeuralNet"].predict, np.ones((4, 1)), match="'layers'")
    with_layers = tut.run_snippet("predict", layers=[tut.IdentityActivation()])["NeuralNet"]
    raises(UnboundLocalError, with_layers.predict, np.ones((4, 1)))


@pytest.mark.claim("002.neural-net-shared-default")
def test_neural_nets_made_without_layers_share_one_default_list():
    first, second = tut.NeuralNet(), tut.NeuralNet()
    try:
        first.layers.append("a layer")
        assert second.layers == ["a layer"] and second.layers is first.layers  # one list, made once
    finally:
        first.layers.clear()  # the shared default, emptied again for the other tests
    own = tut.NeuralNet(["a layer"])
    assert own.layers is not first.layers  # a list passed in, as the iris program does, is its own


@pytest.mark.claim("002.cce-function", "002.cheat-sheet-cce")
def test_the_loss_function_returns_each_samples_cross_entropy(impl, rng):
    P = impl.activation("softmax", rng.normal(size=(9, 3)))
    Y = datasets.one_hot(rng.integers(0, 3, size=9), 3)
    per_sample = tut.categorical_crossentropy(Y, P.copy())
    assert per_sample.shape == (9,)
    np.testing.assert_allclose(per_sample, -np.log(P[Y == 1]), rtol=1e-12)
    np.testing.assert_allclose(per_sample.mean(), impl.loss("categorical_cross_entropy", P, Y), rtol=1e-12)


@pytest.mark.claim("002.cce-mutates-output")
def test_the_loss_function_rewrites_the_callers_array():
    output = np.array([[2.0, 1.0, 1.0]])
    tut.categorical_crossentropy(np.array([[1.0, 0.0, 0.0]]), output)
    np.testing.assert_allclose(output, [[0.5, 0.25, 0.25]])  # the caller's array was normalised in place
    probs = np.array([[0.2, 0.3, 0.5]])
    before = probs.copy()
    tut.categorical_crossentropy(np.array([[0.0, 0.0, 1.0]]), probs)
    np.testing.assert_allclose(probs, before, rtol=1e-15)  # harmless when the rows already sum to 1


@pytest.mark.claim("002.cce-clip-comment")
def test_the_clip_keeps_the_log_finite_it_has_no_weights():
    loss = tut.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]]))
    np.testing.assert_allclose(loss, [-np.log(1e-7)], rtol=1e-12)  # 16.1 instead of infinity
    with pytest.warns(RuntimeWarning, match="divide by zero"):
        assert np.isinf(-np.log(np.array([0.0]))[0])  # what the clip prevents


@pytest.mark.claim("002.cce-axis-in-column-layout")
def test_in_the_column_layout_the_loss_sums_over_samples(impl, rng):
    Z_cols = rng.normal(size=(3, 5))  # 3 classes x 5 samples
    A_cols = np.exp(Z_cols) / np.exp(Z_cols).sum(axis=0)
    Y_cols = datasets.one_hot(np.array([0, 2, 1, 1, 0]), 3).T
    columns = tut.categorical_crossentropy(Y_cols, A_cols.copy())
    assert columns.shape == (3,)  # one number per class, not per sample
    rows = tut.categorical_crossentropy(Y_cols.T, A_cols.T.copy())
    np.testing.assert_allclose(rows.mean(), impl.loss("categorical_cross_entropy", A_cols.T, Y_cols.T), rtol=1e-12)
    assert not np.isclose(columns.sum() / 5, rows.mean())


@functools.cache
def _dense_case():
    """SymPy's exact gradients of L = sum(G * sigmoid(X W + b)) at fixed random values, in rows."""
    L = d.dense_layer(3, 2, 2, "sigmoid")
    rng = np.random.default_rng(20020)
    X, W, b, G = (rng.normal(size=s) for s in ((3, 2), (2, 2), (1, 2), (3, 2)))
    at = [(L["X"], X), (L["W"], W), (L["b"], b), (L["G"], G)]
    return X, W, b, G, {k: d.substitute(L[k], at) for k in ("dX", "dW", "db")}


@pytest.mark.claim("002.dw-equation", "002.db-equation", "002.da-prev-equation", "002.dz-equation")
def test_the_column_layout_backward_equations_are_the_sympy_gradients(impl):
    X, W, b, G, exact = _dense_case()
    m = X.shape[0]
    g_prime = d.numeric(d.activation_derivative("sigmoid"))
    A_prev, W_c, b_c, dA = X.T, W.T, b.T, G.T  # the lesson's layout: one sample per column
    Z = W_c @ A_prev + b_c
    dZ = dA * g_prime(Z)  # dZ = dA * g'(Z)
    dW = dZ @ A_prev.T / m  # dW = 1/m dZ A_prev^T
    db = dZ.sum(axis=1, keepdims=True) / m  # db = 1/m sum_i dZ^(i)
    dA_prev = W_c.T @ dZ  # dA_prev = W^T dZ
    # L = sum(G * A) is m times the mean loss whose per-sample derivative is G: the 1/m makes dW, db
    # the gradients of the mean; dA_prev (no 1/m) is the per-sample derivative, like dZ
    np.testing.assert_allclose(dW, exact["dW"].T / m, rtol=1e-10)
    np.testing.assert_allclose(db, exact["db"].T / m, rtol=1e-10)
    np.testing.assert_allclose(dA_prev, exact["dX"].T, rtol=1e-10)
    # in rows: dW_rows = X^T dZ_rows, db_rows = sum of dZ_rows, dX = dZ_rows W^T
    dx, dW_rows, db_rows = impl.dense_backward(X, W, b.ravel(), "sigmoid", G)
    np.testing.assert_allclose(dW_rows, exact["dW"], rtol=1e-10)
    np.testing.assert_allclose(db_rows, exact["db"].ravel(), rtol=1e-10)
    np.testing.assert_allclose(dx, exact["dX"], rtol=1e-10)


@pytest.mark.claim("002.layer-backward-equations-code", "002.backward-outputs-input-gradient", "002.update-rule")
def test_the_repaired_layer_backward_returns_the_input_gradient_and_steps_down_the_mean_gradient(impl):
    X, W, b, G, exact = _dense_case()
    m, lr = X.shape[0], 0.3
    layer = column_layer(W.T, b.T, ImplActivation(impl, "sigmoid"))
    layer.forward(X.T)
    dA_prev = layer.backward(G.T, lr=lr)
    np.testing.assert_allclose(dA_prev, exact["dX"].T, rtol=1e-10)  # the gradient of the input, not of W
    np.testing.assert_allclose(layer.W, W.T - lr * exact["dW"].T / m, rtol=1e-10)  # W <- W - alpha dW
    np.testing.assert_allclose(layer.b, b.T - lr * exact["db"].T / m, rtol=1e-10)


@pytest.mark.claim("002.update-rule", "002.dw-equation", "002.db-equation")
def test_the_lessons_layer_update_is_gradient_descent_on_the_mean_loss(impl, rng):
    """Fed the per-sample derivative dA, the layer's step with the 1/m equals one step on the mean loss."""
    X, Y = rng.normal(size=(8, 3)), rng.integers(0, 2, size=(8, 1)).astype(float)
    W, b = rng.normal(size=(3, 1)), rng.normal(size=1)
    for lr in (0.4, 0.05):  # alpha is the one passed: a rate fixed inside the update matches one of them only
        layer = column_layer(W.T, b.reshape(1, 1), ImplActivation(impl, "sigmoid"))
        A = layer.forward(X.T)
        per_sample = impl.loss_grad("binary_cross_entropy", A.T, Y) * len(X)  # dL_i/dA_i, no 1/m
        layer.backward(per_sample.T, lr=lr)
        step = impl.train(X, Y, [W], [b], ["sigmoid"], "binary_cross_entropy", lr, 1)  # L = mean over samples
        np.testing.assert_allclose(layer.W.T, step["weights"][0], rtol=1e-12)
        np.testing.assert_allclose(layer.b.ravel(), step["biases"][0], rtol=1e-12)


@pytest.mark.claim("002.update-rule")
def test_one_training_iteration_steps_by_alpha_times_the_gradient_for_the_alpha_given(impl, rng):
    """W <- W - alpha dW, b <- b - alpha db for every layer and each alpha passed (0.1 and 0.5), dW the gradient
    of the mean cross-entropy J = -1/m sum y ln softmax(sigmoid(X W1 + b1) W2 + b2) (central differences)."""
    X, Y = rng.normal(size=(6, 3)), np.eye(3)[[0, 1, 2, 1, 0, 2]]
    params = [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3)]

    def mean_cross_entropy():
        W1, b1, W2, b2 = params
        H = 1 / (1 + np.exp(-(X @ W1 + b1)))
        Z = H @ W2 + b2
        log_p = Z - Z.max(axis=1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
        return -np.sum(Y * log_p) / len(X)

    gradient = [numerical_gradient(mean_cross_entropy, p) for p in params]
    CCE = "categorical_cross_entropy"
    for alpha in (0.1, 0.5):  # a rate fixed inside the update matches one of them at most
        run = impl.train(X, Y, params[0::2], params[1::2], ["sigmoid", "softmax"], CCE, alpha, 1)
        new = [run["weights"][0], run["biases"][0], run["weights"][1], run["biases"][1]]
        for p, p_new, g in zip(params, new, gradient):
            np.testing.assert_allclose(np.asarray(p_new) - p, -alpha * g, rtol=1e-6, atol=1e-9)


class _ColumnSigmoid:
    """A sigmoid for the lesson's LinearLayer, its backward the derivative at Z (dZ = dA * g'(Z))."""

    def forward(self, Z):
        return 1 / (1 + np.exp(-Z))

    def backward(self, Z):
        s = self.forward(Z)
        return s * (1 - s)


@pytest.mark.claim("002.gd-and-backprop-swapped", "002.cheat-sheet-backprop-summary", "002.update-rule")
def test_the_lessons_backward_pass_computes_the_gradient_and_its_update_rule_applies_it(rng):
    """In the lesson's own code the backward propagation (its four equations) yields the gradient without a
    learning rate and without touching a weight; the weights change only by its W = W - alpha dW."""
    X, Y = rng.normal(size=(3, 6)), rng.random(size=(2, 6))  # column layout: 3 features, 6 samples
    W, b, alpha = rng.normal(size=(2, 3)), rng.normal(size=(2, 1)), 0.7
    sig = _ColumnSigmoid()

    def mean_loss(W_, b_=b):  # 1/m sum_i 1/2 ||sigmoid(W x_i + b) - y_i||^2
        return 0.5 * np.sum((sig.forward(W_ @ X + b_) - Y) ** 2) / X.shape[1]

    def per_sample_loss(X_):  # sum_i 1/2 ||...||^2: dA_prev carries no 1/m
        return 0.5 * np.sum((sig.forward(W @ X_ + b) - Y) ** 2)

    layer = column_layer(W, b, sig)
    A = layer.forward(X)
    dA_prev = layer.backward(A - Y, lr=0.0)  # backward propagation alone: the gradients, no step
    np.testing.assert_array_equal(layer.W, W)  # it changed no weight
    dX = numerical_gradient(lambda: per_sample_loss(X), X)
    np.testing.assert_allclose(dA_prev, dX, rtol=1e-6, atol=1e-9)
    layer.forward(X)
    layer.backward(A - Y, lr=alpha)  # the same pass followed by the lesson's update rule
    dW = numerical_gradient(lambda: mean_loss(W), W)
    np.testing.assert_allclose(layer.W, W - alpha * dW, rtol=1e-6, atol=1e-9)  # W <- W - alpha dW
    assert mean_loss(layer.W, layer.b) < mean_loss(W)  # and that step is a descent step


@pytest.mark.claim("002.sigmoid-backward-code")
def test_the_sigmoid_backward_needs_the_output_not_z(impl):
    z = np.linspace(-6, 6, 121)
    exact = d.numeric(d.activation_derivative("sigmoid"))(z)
    np.testing.assert_allclose(tut.SigmoidActivation().backward(impl.activation("sigmoid", z)), exact, rtol=1e-10)
    two = np.array([2.0])
    assert tut.SigmoidActivation().backward(two)[0] == -2.0  # given Z = 2: 2 (1 - 2), not sigmoid'(2) ~ 0.105
    np.testing.assert_allclose(impl.activation_grad("sigmoid", two), d.numeric(d.activation_derivative("sigmoid"))(two))


@pytest.mark.claim("002.relu-backward-code")
def test_the_relu_backward_returns_relu_again_not_its_derivative(impl):
    A = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_array_equal(tut.ReLUActivation(1.0).backward(A), [0.0, 0.5, 2.0])
    np.testing.assert_array_equal(impl.activation_grad("relu", A), [0.0, 1.0, 1.0])
    exact = d.numeric(d.activation_derivative("relu"), {"a": 3.0})
    np.testing.assert_array_equal(impl.activation_grad("relu", A, a=3.0), exact(A))
    assert not np.allclose(tut.ReLUActivation(3.0).backward(A), exact(A))


@pytest.mark.claim("002.layer-backward-code", "002.conclusion-full-fledged")
def test_the_printed_layer_backward_cannot_run():
    ns = tut.run_snippet("backward")
    raises(TypeError, ns["SigmoidActivation"]().backward, np.ones(3), np.ones(3), match="positional arguments")
    raises(TypeError, ns["ReLUActivation"]().backward, np.ones(3), np.ones(3), match="positional arguments")
    raises(NameError, ns["LinearLayer"].backward, np.ones((2, 3)), match="'A_prev'")


@pytest.mark.claim("002.fit-feeds-loss-as-gradient")
def test_fit_feeds_the_loss_where_the_gradient_A_minus_Y_belongs(impl, rng):
    zs, ys, grad = d.softmax_cross_entropy_grad(3)
    total = sum(sp.exp(v) for v in zs)
    s_minus_y = [sp.exp(zs[i]) / total - (ys[i] if i < 2 else 1 - ys[0] - ys[1]) for i in range(3)]
    assert all(sp.simplify(grad[i] - s_minus_y[i]) == 0 for i in range(3))
    m = 5
    Z, Y = rng.normal(size=(m, 3)), datasets.one_hot(np.array([0, 1, 2, 1, 0]), 3)
    A = impl.activation("softmax", Z)
    # with X = I the layer's dW is its dZ: the chain rule through softmax gives (A - Y) / m
    _, dZ, _ = impl.dense_backward(np.eye(m), Z, None, "softmax", impl.loss_grad("categorical_cross_entropy", A, Y))
    np.testing.assert_allclose(dZ, (A - Y) / m, atol=1e-12)
    fed = tut.categorical_crossentropy(Y, A.copy())  # what fit passes on: one loss value per sample
    assert fed.shape != dZ.shape and (fed >= 0).all()
    assert (dZ[Y == 1] < 0).all()  # the gradient pushes the true class up; a loss value cannot say so


@pytest.mark.claim("002.fit-code", "002.conclusion-full-fledged")
def test_the_printed_fit_cannot_run():
    net = tut.run_snippet("fit")["NeuralNet"]()
    raises(NameError, net.fit, np.ones((4, 3)), np.ones((3, 3)), match="'self'")
    assert not hasattr(tut.iris_network(0), "lr")  # self.lr is never set
    with pytest.raises(ValueError, match="too many values to unpack"):
        (dA_curr,) = np.zeros((10, 112))  # what `dA_curr, = layer.backward(...)` does with a (10, m) array


# ---- iris -----------------------------------------------------------------------------------------------


@pytest.mark.claim("002.iris-program-runs")
def test_the_iris_program_cannot_run_even_with_the_classes_repaired():
    tree = ast.parse(tut.SNIPPETS["iris"])
    imported = {
        alias.asname or alias.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for alias in n.names
    }
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "train_test_split" in called and "train_test_split" not in imported
    assert tut.run_snippet("relu")["ReLUActivation"]() is None  # activation=ReLUActivation() passes None
    X_train, Y_train, _, _ = iris_cases.iris_split(standardise=False)
    raises(ValueError, tut.iris_network(0).fit, X_train, Y_train, match="not aligned")  # rows do not fit W X
    raises(AttributeError, tut.iris_network(0).fit, X_train.T, Y_train.T, match="backward")  # softmax has none
    labels = datasets.iris()[1]  # iris.target: integers, which broadcast silently instead of raising
    A_cols = tut.iris_network(0).predict(datasets.iris()[0].T)
    assert labels.dtype.kind == "i" and tut.categorical_crossentropy(labels, A_cols).shape == (3,)


@pytest.mark.claim("002.conclusion-any-shape-deep-wide")
def test_repaired_layers_chain_to_any_widths_on_column_data(impl, rng):
    sizes = [7, 13, 2, 9, 4]
    np.random.seed(3)  # noqa: NPY002 - the lesson's LinearLayer draws from the global stream
    layers = [tut.LinearLayer(i, o, activation=tut.TanhActivation()) for i, o in zip(sizes, sizes[1:])]
    X_rows = rng.normal(size=(11, 7))
    out = tut.NeuralNet(layers).predict(X_rows.T)
    expected = impl.predict(X_rows, [lay.W.T for lay in layers], [lay.b.ravel() for lay in layers], ["tanh"] * 4)
    np.testing.assert_allclose(out.T, expected, rtol=1e-12)
    raises(ValueError, tut.NeuralNet(layers).predict, X_rows)


def _test_accuracy(impl, result, X_test, labels):
    P = impl.predict(X_test, result["weights"], result["biases"], iris_cases.ACTIVATIONS)
    return datasets.accuracy(P.argmax(axis=1).astype(float), labels.astype(float))


@pytest.mark.claim("002.iris-tutorial-hyperparameters")
def test_one_update_at_lr_0_001_leaves_the_network_near_chance(impl, num_regression):
    case = load_case("iris_tutorial_settings_seed0")
    lesson = tut.iris_network(0)  # the stored weights are the lesson's draws under np.random.seed(0)
    for layer, W, b in zip(lesson.layers, case["weights"], case["biases"]):
        np.testing.assert_array_equal(layer.W.T, W)
        np.testing.assert_array_equal(layer.b.ravel(), b)
    result = check_run(impl, num_regression, "iris_tutorial_settings_seed0")
    change = max(np.abs(W1 - W0).max() for W1, W0 in zip(result["weights"], case["weights"]))
    assert change < 1e-4  # the update barely moves weights of size 0.1 (measured 4.1e-5)
    _, _, X_test, labels = iris_cases.iris_split(standardise=False)
    assert _test_accuracy(impl, result, X_test, labels) < 0.5


@pytest.mark.claim("002.iris-trains-a-classifier")
def test_with_sensible_settings_the_network_learns_iris(impl, num_regression):
    result = check_run(impl, num_regression, "iris_standardized_seed0")
    _, _, X_test, labels = iris_cases.iris_split(standardise=True)
    assert _test_accuracy(impl, result, X_test, labels) >= 0.9
    assert result["losses"][-1] < 0.1 * result["losses"][0]


def _share_reaching(X_train, Y_train, X_test, labels, learning_rate, iterations, seeds=range(100)):
    """Train one network per seed together; (share with test accuracy >= 0.9, mean test accuracy)."""
    weights, biases = iris_cases.stacked_weights(seeds)
    Ws, bs, _ = train_many(
        X_train, Y_train, weights, iris_cases.ACTIVATIONS, iris_cases.LOSS, learning_rate, iterations, biases
    )
    a = X_test
    for W, b, act in zip(Ws, bs, iris_cases.ACTIVATIONS):
        a = a @ W + b[:, None, :]
        a = np.maximum(a, 0) if act == "relu" else a
    accuracy = (a.argmax(axis=-1) == labels).mean(axis=1)  # the softmax keeps the argmax of its input
    return float(np.mean(accuracy >= 0.9)), float(accuracy.mean())


@pytest.mark.claim("002.iris-fit-statistics")
def test_over_100_seeds_the_settings_decide_whether_the_network_trains():
    standardised, _ = _share_reaching(*iris_cases.iris_split(standardise=True), 1.0, 100)
    raw_fast, _ = _share_reaching(*iris_cases.iris_split(standardise=False), 1.0, 100)
    raw_slow, _ = _share_reaching(*iris_cases.iris_split(standardise=False), 0.1, 1000)
    assert wilson(round(standardised * 100), 100)[0] >= 0.9  # measured 99/100
    assert wilson(round(raw_fast * 100), 100)[1] <= 0.1  # measured 0/100: lr 1.0 is too fast for raw features
    assert wilson(round(raw_slow * 100), 100)[0] >= 0.7  # measured 83/100: raw features do train at lr 0.1


@pytest.mark.claim("002.iris-fit-statistics")
def test_over_100_seeds_the_lessons_settings_stay_near_chance():
    share, mean = _share_reaching(*iris_cases.iris_split(standardise=False), 0.001, 1)
    assert share == 0.0 and mean < 0.45  # measured 0/100, mean about 0.3 (chance 1/3)


ELEMENTWISE = {
    "identity": {},
    "linear": {"a": 2.5},
    "sigmoid": {},
    "tanh": {},
    "binary_step": {"threshold": 0.5},
    "relu": {"a": 1.5},
    "leaky_relu": {"a": 1.0, "b": 0.1},
}


@pytest.mark.claim("002.dz-equation")
@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_g_prime_in_dz_is_the_sympy_derivative_of_each_activation(impl, name):
    """dZ = dA * g'(Z) needs g' for every activation: each agrees with SymPy's derivative off its kinks."""
    params = ELEMENTWISE[name]
    z = GRID[np.abs(GRID - params.get("threshold", 0.0)) > 1e-9]
    exact = d.numeric(d.activation_derivative(name), params)(z)
    np.testing.assert_allclose(impl.activation_grad(name, z, **params), exact, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(
        impl.activation(name, z, **params),
        d.numeric(d.activation_definitions()[name], params)(z),
        rtol=1e-12,
        atol=ATOL,
    )


# ---- issue 18: fit's rebinding, accuracy_score, the scikit-learn style, backward everywhere --------------------


def _column_network(seed):
    """The nearest program's NeuralNet with activations that all have backward (ReLU, ReLU, sigmoid)."""
    np.random.seed(seed)  # noqa: NPY002 - the lesson's LinearLayer draws from the global stream
    return tut.NeuralNet(
        [
            tut.LinearLayer(4, 10, activation=tut.ReLUActivation()),
            tut.LinearLayer(10, 5, activation=tut.ReLUActivation()),
            tut.LinearLayer(5, 3, activation=tut.SigmoidActivation()),
        ]
    )


def _gradient_instead_of_loss(target, output):
    """What fit should pass back (002.fit-feeds-loss-as-gradient repaired): A - Y, one column per sample."""
    return output - target


@pytest.mark.claim("002.fit-rebinds-x")
def test_fit_rebinds_x_so_a_second_epoch_feeds_the_output_to_the_first_layer(monkeypatch):
    monkeypatch.setattr(tut, "categorical_crossentropy", _gradient_instead_of_loss)  # only the rebinding is left
    X_train, Y_train, _, _ = iris_cases.iris_split(standardise=True)
    X, Y = X_train.T, Y_train.T  # the lesson's layout: one sample per column
    _column_network(0).fit(X.copy(), Y, lr=0.1, epoch=1)  # one epoch: the rebinding does not show
    with pytest.raises(ValueError, match="not aligned"):
        _column_network(0).fit(X.copy(), Y, lr=0.1, epoch=2)  # epoch 2 feeds the (3, m) output to W (10, 4)
    net = _column_network(0)
    A = X
    for layer in net.layers:
        A = layer.forward(A)
    assert A.shape == (3, X.shape[1]) != X.shape  # what X holds when the second epoch begins


def _lesson_predictions():
    """The nearest program's iris network (seed 0) and its predict on the test columns, with the labels."""
    X_train, Y_train, X_test, labels = iris_cases.iris_split(standardise=True)
    net = tut.iris_network(0)
    return net.predict(X_test.T), labels


@pytest.mark.claim("002.accuracy-of-probabilities")
def test_predict_returns_probabilities_not_the_labels_accuracy_score_compares():
    pred, labels = _lesson_predictions()
    assert pred.dtype.kind == "f" and pred.shape == (3, labels.size)  # a float matrix, not one label per flower
    assert not np.array_equal(pred, np.round(pred))  # not integers
    np.testing.assert_allclose(pred.sum(), 1.0, rtol=1e-12)  # the lesson's softmax normalises over everything
    predicted = pred.argmax(axis=0)
    assert predicted.shape == labels.shape and set(predicted) <= {0, 1, 2}  # what accuracy_score needs


@pytest.mark.claim("002.scikit-learn-api-style")
def test_fit_returns_none_and_predict_returns_columns_of_probabilities(monkeypatch):
    monkeypatch.setattr(tut, "categorical_crossentropy", _gradient_instead_of_loss)
    X_train, Y_train, X_test, labels = iris_cases.iris_split(standardise=True)
    net = _column_network(0)
    assert net.fit(X_train.T.copy(), Y_train.T, lr=0.1) is None  # scikit-learn's fit returns self
    out = net.predict(X_test.T)
    assert out.shape == (3, labels.size) and out.dtype.kind == "f"  # scikit-learn's: (m,) labels, samples as rows
    raises(ValueError, net.predict, X_test)  # samples as rows, scikit-learn's layout, do not fit W X


def _classes_with(method):
    """{class name: whether some printed snippet gives it ``method``}, read line by line (some snippets do not
    parse: the linear layer's has ``=`` for ``==``), a class being a name in CamelCase at column 0."""
    found = {}
    for text in tut.SNIPPETS.values():
        current = None
        for line in text.splitlines():
            head = re.match(r"(?:class|def) ([A-Z]\w*)", line)
            if head:
                current = head[1]
                found.setdefault(current, False)
            elif current and re.match(rf"\s+def {method}\(", line):
                found[current] = True
    return found


@pytest.mark.claim("002.backward-for-all-classes", "002.backward-only-three")
def test_only_sigmoid_relu_and_the_linear_layer_get_a_backward_method():
    has_backward = _classes_with("backward")
    assert {name for name, has in has_backward.items() if has} == {
        "SigmoidActivation",
        "ReLUActivation",
        "LinearLayer",
    }
    assert not has_backward["IdentityActivation"] and not has_backward["SoftMaxActivation"]
    assert not hasattr(tut.IdentityActivation(), "backward")  # every layer's default, in the nearest program too
    X_train, Y_train, _, _ = iris_cases.iris_split(standardise=True)
    raises(AttributeError, tut.iris_network(0).fit, X_train.T.copy(), Y_train.T, match="backward")


@pytest.mark.claim("002.tanh-code")
def test_the_tanh_activation_computes_the_hyperbolic_tangent(impl):
    z = np.linspace(-20, 20, 401)
    forward = tut.run_snippet("tanh")["TanhActivation"].forward  # called as printed: X is its only parameter
    expected = (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))
    np.testing.assert_allclose(forward(z), expected, rtol=1e-12)
    np.testing.assert_allclose(impl.activation("tanh", z), expected, rtol=1e-12)


@pytest.mark.claim("002.predict-uses-forward-methods", "002.cheat-sheet-neuralnet-api")
def test_predict_chains_the_layers_forward_methods_to_the_output(impl, rng):
    net = _column_network(1)
    X = rng.normal(size=(4, 6))
    A = X
    for layer in net.layers:
        A = layer.forward(A)
    np.testing.assert_array_equal(net.predict(X), A)
    expected = impl.predict(
        X.T, [lay.W.T for lay in net.layers], [lay.b.ravel() for lay in net.layers], ["relu", "relu", "sigmoid"]
    )
    np.testing.assert_allclose(net.predict(X).T, expected, rtol=1e-12)


@pytest.mark.claim("002.input-propagates-to-output", "002.cheat-sheet-propagate-inputs")
def test_every_input_feature_reaches_every_output_through_the_layers(rng):
    net = _column_network(2)
    X = rng.normal(size=(4, 1))
    base = net.predict(X)
    for i in range(4):
        moved = X.copy()
        moved[i] += 0.5
        assert np.all(net.predict(moved) != base), i  # each feature changes all three outputs
    A = X
    for layer in net.layers:
        A = layer.forward(A)  # each layer's output is the next one's input
    np.testing.assert_array_equal(A, base)


@pytest.mark.claim("002.identity-as-default")
def test_a_layer_without_an_activation_stores_the_identity(rng):
    np.random.seed(4)  # noqa: NPY002 - the lesson's LinearLayer draws from the global stream
    layer = tut.LinearLayer(3, 2)
    assert isinstance(layer.activation, tut.IdentityActivation)
    X = rng.normal(size=(3, 5))
    np.testing.assert_array_equal(layer.forward(X), np.dot(layer.W, X) + layer.b)  # W X + b, unchanged
