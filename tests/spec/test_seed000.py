"""Tutorial 000, "Understand how a Neural Network works" (seed file 000_fa0cf981052f2e6d.txt)."""

import numpy as np
import pytest
import sympy as sp

from reference_nn.tutorials import seed000
from tests._spec.golden import assert_matches_printed, check_run, load_case, printed

Z = np.linspace(-30, 30, 601)


@pytest.mark.claim("000.sigmoid-derivative-from-output")
def test_the_sigmoid_derivative_is_out_times_one_minus_out(impl):
    z = sp.Symbol("z", real=True)
    s = 1 / (1 + sp.exp(-z))
    assert sp.simplify(sp.diff(s, z) - s * (1 - s)) == 0
    exact = sp.lambdify(z, sp.diff(s, z), "numpy")(Z)
    np.testing.assert_allclose(
        impl.sigmoid_grad_from_output(impl.activation("sigmoid", Z)), exact, rtol=1e-9, atol=1e-15
    )


@pytest.mark.claim("000.first-example-output")
def test_the_first_program_prints_its_published_output():
    assert_matches_printed(seed000.first_example(), printed("000", "first_example_output"))


@pytest.mark.claim("000.first-example-output")
def test_the_clean_network_from_the_same_weights_prints_the_same_output(impl):
    case = load_case("first_example_seed1")
    result = impl.train(
        case["X"],
        case["Y"],
        case["weights"],
        case["biases"],
        case["activations"],
        case["loss"],
        case["learning_rate"],
        case["iterations"] - 1,
    )
    output = impl.predict(case["X"], result["weights"], result["biases"], case["activations"])
    assert_matches_printed(output, printed("000", "first_example_output"))


@pytest.mark.claim("000.first-example-output")
def test_the_first_example_run_matches_its_reference_golden(impl, num_regression):
    check_run(impl, num_regression, "first_example_seed1")
