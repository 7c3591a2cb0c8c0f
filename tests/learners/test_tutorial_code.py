"""Learners' tutorial-shaped programs (tests/learners/programs/) checked with ``pytest --tutorial-code``.

Each program is our own code in one tutorial's shape: ``NNN_correct.py`` differs from the tutorial
only in ways that do not matter (its own sigmoid formula, ``@``, its own initial weights) and must
pass; every other program has one typical mistake, named in its docstring, and must fail exactly
the claims that mistake breaks, for the reason the check gives. The checks run in subprocesses,
two at a time, the way a learner runs them (the README's command).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from nnspec import content

pytestmark = pytest.mark.conformance  # subprocess runs of a chapter: `pytest -m conformance tests/learners`

ROOT = content.ROOT
PROGRAMS = Path(__file__).resolve().parent / "programs"

#: program -> {claim: a test whose failure the report must name}; the claims are exactly the wrong ones
#: what a wrong hidden-layer step of tutorial 001 fails (two of the programs make one, differently)
WRONG_HIDDEN_STEP_001 = {
    "001.update-descends-half-sse": "test_one_backward_step_is_gradient_descent_on_half_sse_with_rate_1",
    "001.backpropagation-uses-loss": "test_one_backward_step_is_gradient_descent_on_half_sse_with_rate_1",
    "001.mean-sum-squared-loss": "test_one_backward_step_is_gradient_descent_on_half_sse_with_rate_1",
    "001.train-loop-1000": "test_the_1000_iteration_loop_prints_the_mse_the_clean_network_reproduces",
    "001.training-minimises-loss": "test_train_is_forward_then_the_five_backward_steps_and_lowers_the_loss",
    "001.train-calls-forward-backward": "test_train_is_forward_then_the_five_backward_steps_and_lowers_the_loss",
    "001.four-steps": "test_train_is_forward_then_the_five_backward_steps_and_lowers_the_loss",
}

#: what a tutorial-003 step that is wrong at every rate fails (two of the programs make one, differently)
WRONG_STEP_003 = {
    "003.gradient-direction": "test_the_negative_gradient_descends_but_does_not_point_at_where_training_ends",
    "003.update-rule": "test_one_training_step_is_w_minus_alpha_times_the_symbolic_gradient",
    "003.backprop-verified-by-cost": "test_one_training_step_is_w_minus_alpha_times_the_symbolic_gradient",
    "003.backpropagation-step": "test_backpropagation_is_one_gradient_step_on_the_mean_log_loss",
    "003.zero-init-one-neuron": "test_a_single_neuron_learns_from_zeros",
    "003.model-steps": "test_the_corrected_model_prints_every_5_iterations_and_is_the_neurons_training",
    "003.returns-optimal": "test_on_separable_data_the_cost_has_no_minimum_to_return",
    "003.reach-minimum": "test_on_separable_data_the_cost_has_no_minimum_to_return",
    "003.cost-decreases": "test_the_batched_statistics_are_the_adapters_training",
    "003.accuracy-99": "test_the_batched_statistics_are_the_adapters_training",
    "003.errors-on-the-line": "test_the_batched_statistics_are_the_adapters_training",
}

WRONG = {
    "000_derivative_of_preactivation": {
        "000.two-hidden-printed-errors": "test_the_as_printed_run_matches_its_reference_golden",
        "000.two-hidden-printed-output": "test_the_as_printed_run_matches_its_reference_golden",
        "000.xor-net-converges-under-seed-1": "test_the_clean_xor_network_from_the_stored_weights",
        "000.digits-printed-loss-is-mse": "test_the_digits_loss_is_the_mse_and_the_update_descends_half_sse",
        "000.digits-update-descends-half-sse": "test_the_digits_loss_is_the_mse_and_the_update_descends_half_sse",
        # the shape has no loss: the update step itself decides this claim (nnspec.mistakes)
        "000.two-hidden-update-is-gradient-descent-on-half-sse": "judged on the update step itself",
        # a training step compared with the tutorial's: the learner's own mistake decides these too
        "000.then-syn0-update": "test_syn0_is_updated_after_syn1_from_deltas_computed_before_either_update",
    },
    "001_output_updated_first": WRONG_HIDDEN_STEP_001,
    "002_relu_backward_as_tutorial": {
        "002.relu-backward-code": "test_the_relu_backward_returns_relu_again_not_its_derivative",
        "002.dz-equation": "test_g_prime_in_dz_is_the_sympy_derivative_of_each_activation[relu]",
        "002.iris-tutorial-hyperparameters": "test_one_update_at_lr_0_001_leaves_the_network_near_chance",
        "002.iris-trains-a-classifier": "test_with_sensible_settings_the_network_learns_iris",
    },
    "003_gradient_not_averaged": {
        "003.backpropagation-step": "test_backpropagation_is_one_gradient_step_on_the_mean_log_loss",
        "003.update-rule": "test_one_training_step_is_w_minus_alpha_times_the_symbolic_gradient",
        "003.backprop-verified-by-cost": "test_one_training_step_is_w_minus_alpha_times_the_symbolic_gradient",
        "003.gradient-direction": "test_the_negative_gradient_descends_but_does_not_point_at_where_training_ends",
        "003.model-steps": "test_the_corrected_model_prints_every_5_iterations_and_is_the_neurons_training",
        "003.cost-decreases": "test_the_batched_statistics_are_the_adapters_training",
        "003.accuracy-99": "test_the_batched_statistics_are_the_adapters_training",
        "003.errors-on-the-line": "test_the_batched_statistics_are_the_adapters_training",
    },
    "003_rate_hard_coded": {  # right at the tutorial's rate 0.1: only the step at another rate shows it
        "003.update-rule": "test_the_step_is_alpha_times_the_gradient_for_the_alpha_given_not_for_one_alpha_only",
    },
    "003_update_climbs": WRONG_STEP_003,
    "003_bias_not_updated": WRONG_STEP_003,  # the weights' step is right: the bias's alone breaks these
    "002_rate_hard_coded": {
        # the check reads a layer's gradients from its update at lr = 1: a fixed 0.01 shows as dW / 100
        # (one test decides the four backward equations, dA_prev included)
        "002.dw-equation": "test_the_column_layout_backward_equations_are_the_sympy_gradients",
        "002.db-equation": "test_the_column_layout_backward_equations_are_the_sympy_gradients",
        "002.da-prev-equation": "test_the_column_layout_backward_equations_are_the_sympy_gradients",
        "002.dz-equation": "test_the_column_layout_backward_equations_are_the_sympy_gradients",
        "002.update-rule": "test_one_training_iteration_steps_by_alpha_times_the_gradient_for_the_alpha_given",
        "002.iris-tutorial-hyperparameters": "test_one_update_at_lr_0_001_leaves_the_network_near_chance",
        "002.iris-trains-a-classifier": "test_with_sensible_settings_the_network_learns_iris",
    },
    "004_derivative_of_input": {
        "004.sigmoid-derivative-of-output": "test_sigmoid_derivative_is_right_when_given_the_output",
        "004.update-descends-sse": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.gradient-descent-idea": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.chain-rule-comment": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.goal-minimise-loss": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.iteration-steps": "test_the_printed_output_comes_from_before_the_last_update",
        "004.after-1500-iterations": "test_the_printed_output_comes_from_before_the_last_update",
        "004.may-never-be-trained": "test_a_network_that_can_represent_xor_can_still_fail_to_learn_it",
        "004.slight-difference-prevents-overfitting": "test_more_iterations_shrink_the_residual_further",
        # (not 004.universal-approximators: its sigmoid overflows at -1000, as the tutorial's, a note only)
    },
    "001_derivative_of_z": WRONG_HIDDEN_STEP_001,  # (not 001.step1-output-error: its output step is right)
    # no test of the shape sees the data: the data the program holds decide these (nnspec.data_claims)
    "001_data_not_scaled": {"001.scale-by-maximum": "X is not scaled"},
    "001_query_not_scaled": {"001.query-scaled-as-training": "the query (4, 8) is not scaled"},
    "004_update_climbs": {
        "004.update-descends-sse": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.gradient-descent-idea": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.chain-rule-comment": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.goal-minimise-loss": "test_one_backprop_call_is_gradient_descent_on_the_sum_of_squares_with_rate_1",
        "004.iteration-steps": "test_the_printed_output_comes_from_before_the_last_update",
        "004.after-1500-iterations": "test_the_printed_output_comes_from_before_the_last_update",
        "004.slight-difference-prevents-overfitting": "test_more_iterations_shrink_the_residual_further",
    },
}
#: claims a mistaken program fails the same way as the tutorial's own code (same check, same cause)
AS_THE_TUTORIAL = {
    "002_relu_backward_as_tutorial": {"002.relu-backward-code"},
}
#: the mistake the report names first ("fix first: ..."), as nnspec.mistakes words it
NAMED = {
    "000_derivative_of_preactivation": "fed the pre-activation z",
    "001_output_updated_first": "output layer's weights are updated before the hidden layer's error",
    "001_derivative_of_z": "fed the pre-activation z",
    "001_data_not_scaled": "X is not scaled",
    "001_query_not_scaled": "divided by (3, 9)",
    "004_derivative_of_input": "derivative is taken of the output as if it were the input",
    "004_update_climbs": "the update has the wrong sign",
    # 002 and 003: the training step at two learning rates against the reference's (nnspec.step_mistakes)
    "003_gradient_not_averaged": "the gradient is summed over the m samples, not averaged",
    "003_rate_hard_coded": "a rate is hard-coded in the update (it steps at 0.1 ",
    "003_update_climbs": "the update has the wrong sign: it climbs the loss",
    "003_bias_not_updated": "the weights' update is right, the biases' is not: the update leaves the biases",
    "002_rate_hard_coded": "a rate is hard-coded in the update (it steps at 0.01 ",
}
CORRECT = [f"{n:03d}_correct" for n in range(5)] + ["004_correct_rate_half"]


def check(program: str, tmp: Path, chapter: str | None = None) -> dict:
    """Run the README's command on one program; returns exit code, output and the Gradescope results."""
    results = tmp / f"{Path(program).name}.json"  # a program given as a path must not put it beside itself
    path = program if program.endswith((".py", ".ipynb")) else PROGRAMS / f"{program}.py"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += ["--tutorial-code", f"{chapter or program[:3]}={path}", "--gradescope-results", str(results)]
    env = {k: v for k, v in os.environ.items() if k != "REFERENCE_NN_IMPL"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    gradescope = json.loads(results.read_text()) if results.is_file() else None
    return {"code": done.returncode, "out": done.stdout + done.stderr, "results": gradescope}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tutorial_code")
    programs = CORRECT + list(WRONG)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(programs, pool.map(lambda p: check(p, tmp), programs)))


def _claims(run: dict) -> dict[str, dict]:
    return {t["name"]: t for t in run["results"]["tests"]}


def _cells(run: dict) -> dict[str, str]:
    return {t["name"]: t["extra_data"]["cell"] for t in run["results"]["tests"]}


def _report(run: dict) -> list[str]:
    """The learner's section of the terminal output: it starts with the summary and the fix-first line."""
    lines = run["out"].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("=") and "your code (" in line)
    return lines[start + 1 :]


@pytest.mark.parametrize("program", CORRECT)
def test_a_correct_program_in_the_tutorials_shape_passes(runs, program):
    run = runs[program]
    assert run["code"] == 0, run["out"][-3000:]
    claims = _claims(run)
    judged = [t for t in claims.values() if t["extra_data"]["cell"] != "not-checked"]
    assert len(judged) >= 9, "the shape expresses at least nine of the chapter's claims"
    assert all(t["score"] == t["max_score"] and t["status"] == "passed" for t in judged)
    assert run["results"]["score"] == sum(t["max_score"] for t in judged)
    report = _report(run)
    assert report[0].startswith(f"{program}.py against tutorial {program[:3]}: ") and " 0 wrong" in report[0]
    assert report[1] == "nothing of your own to fix"
    assert not any(line.startswith(("Traceback", "E   ")) for line in run["out"].splitlines())


def test_a_program_at_its_own_learning_rate_is_judged_at_that_rate(runs):
    """Its steps are read at its own rate (0.5): the claims about gradient descent hold at any rate."""
    cells = _cells(runs["004_correct_rate_half"])
    for cid in ("004.chain-rule-comment", "004.gradient-descent-idea", "004.goal-minimise-loss"):
        assert cells[cid] == "right"
    # said, over the wire as in process (the program's start message carries the note)
    said = _report(runs["004_correct_rate_half"])[2]
    assert "note: the update uses a learning rate of its own, 0.5 (the tutorial's is 1)" in said


@pytest.mark.parametrize("program", list(WRONG))
def test_a_program_with_a_typical_mistake_fails_exactly_its_claims(runs, program):
    run = runs[program]
    assert run["code"] == 1, run["out"][-3000:]
    claims, cells = _claims(run), _cells(run)
    wrong = {cid for cid, c in cells.items() if c in ("wrong", "wrong-as-tutorial")}
    assert wrong == set(WRONG[program])
    for cid, test in WRONG[program].items():
        assert claims[cid]["status"] == "failed"
        assert test in claims[cid]["output"], claims[cid]["output"]
    said = {cid for cid, c in cells.items() if c == "wrong-as-tutorial"}
    assert said == AS_THE_TUTORIAL.get(program, set())
    if program in NAMED:
        assert _report(run)[1].startswith("fix first: ") and NAMED[program] in _report(run)[1], _report(run)[:2]


def test_a_check_that_fails_only_with_a_note_exits_0(tmp_path):
    """Tutorial 004's own program: its sigmoid overflows at -1000 (a test fails, with a warning), a note only."""
    run = check(str(ROOT / "nnspec" / "shapes" / "own_code" / "seed004.py"), tmp_path, chapter="004")
    assert " 0 wrong" in _report(run)[0] and "note (not graded): RuntimeWarning: overflow" in run["out"]
    assert " failed" in run["out"].splitlines()[-1]  # pytest's own line counts the failing test
    assert run["code"] == 0


def test_the_report_lists_the_claims_in_the_tutorials_order(runs):
    from nnspec.registry import load_claims

    order = [cid for cid, c in load_claims().items() if c.tutorial == "002"]
    shown = [t["name"] for t in runs["002_relu_backward_as_tutorial"]["results"]["tests"]]
    assert shown == [cid for cid in order if cid in shown]
    lines = runs["002_relu_backward_as_tutorial"]["out"].splitlines()
    wrong = [line.split()[1].rstrip(":") for line in lines if line.startswith("WRONG")]
    assert wrong == [cid for cid in order if cid in WRONG["002_relu_backward_as_tutorial"]]


def test_a_file_of_another_shape_is_one_usage_error(tmp_path):
    run = check(str(PROGRAMS / "001_correct.py"), tmp_path, chapter="004")
    assert run["code"] == 4
    errors = [line for line in run["out"].splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1
    assert run["results"] == {"score": 0.0, "output": errors[0].removeprefix("ERROR: "), "tests": []}
    assert "tutorial 004 expects class NeuralNetwork(x, y)" in errors[0]
    assert "001_correct.py has classes Neural_Network" in errors[0]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import not_a_module_anywhere\nprint('x' * 100000)\n", "its top level raised: line 1: ModuleNotFoundError"),
        ("def nonlin(x, deriv=False:\n    return x\n", "line 1: SyntaxError"),
        ("def nonlin(x, deriv=False):\n    return x\n", "has no top-level loop"),
    ],
)
def test_a_broken_file_is_one_usage_error_naming_what_was_found(tmp_path, source, found):
    path = tmp_path / "broken.py"
    path.write_text(source, encoding="utf-8")
    run = check(str(path), tmp_path, chapter="000")
    assert run["code"] == 4, run["out"][-2000:]
    errors = [line for line in run["out"].splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1 and found in errors[0], run["out"][-2000:]


@pytest.mark.parametrize("chapter", ["001", "003", "004"])
def test_the_tutorials_code_pasted_as_is_is_wrong_only_as_the_tutorial(tmp_path, chapter):
    """A learner who pasted the tutorial's program (its transcription, reference_nn/tutorials) gets no WRONG
    of their own: every claim it fails, it fails the same way as the tutorial's own code."""
    pasted = tmp_path / f"pasted_{chapter}.py"
    pasted.write_text((ROOT / "reference_nn" / "tutorials" / f"seed{chapter}.py").read_text(encoding="utf-8"))
    run = check(str(pasted), tmp_path, chapter=chapter)
    cells = _cells(run)
    assert "wrong" not in cells.values(), {c: v for c, v in cells.items() if v == "wrong"}
    assert run["code"] in (0, 1), run["out"][-2000:]
    assert _report(run)[1].startswith("nothing of your own to fix")
