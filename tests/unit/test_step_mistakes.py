"""Naming the mistake of a training step taken at two learning rates (nnspec.step_mistakes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnspec import content, mistakes, shapes, step_mistakes
from nnspec.step_mistakes import RATES, name
from reference_nn import adapter as reference

PROGRAMS = content.TESTS / "learners" / "programs"
OWN = Path(mistakes.__file__).parent / "shapes" / "own_code"

E1 = np.array([0.3, -0.2, 0.05, 0.7])  # a reference step at rate 1: e(alpha) = alpha E1
EXPECTED = [r * E1 for r in RATES]


@pytest.mark.parametrize(
    ("steps", "named"),
    [
        ([0.1 * E1, 0.1 * E1], "the learning rate passed is not used: a rate is hard-coded in the update (it steps"),
        ([-0.3 * E1, -0.3 * E1], "(it steps at 0.3 whatever rate is asked, uphill)"),
        ([-r * E1 for r in RATES], "the update has the wrong sign: it climbs the loss"),
        ([5 * r * E1 for r in RATES], "the gradient is summed over the m samples, not averaged"),
        ([-5 * r * E1 for r in RATES], "by m (each step is m times too long) and the update has the wrong sign"),
        (
            [r * r * E1 for r in RATES],
            "does not scale with the learning rate passed: it is 0.1 times gradient descent at rate 0.1",
        ),
        ([2 * r * E1 for r in RATES], "the update is 2 times gradient descent at the rate passed"),
        ([0 * E1, 0 * E1], "the update leaves the weights and biases as they were"),
    ],
)
def test_each_known_wrong_step_is_named(steps, named):
    assert named in name(steps, EXPECTED, m=5)


# the last entry of E1 is the bias part (n_weights=3): one part right, the other wrong
BIAS_ONLY = [
    (
        [np.append(r * E1[:3], 0.0) for r in RATES],
        "the weights' update is right, the biases' is not: the update leaves the biases",
    ),
    (
        [np.append(r * E1[:3], 5 * r * E1[3]) for r in RATES],
        "the biases' is not: the gradient is summed over the m samples",
    ),
    (
        [np.append(-r * E1[:3], r * E1[3]) for r in RATES],
        "the biases' update is right, the weights' is not: the update has the wrong sign",
    ),
]


@pytest.mark.parametrize(("steps", "named"), BIAS_ONLY)
def test_a_mistake_in_one_part_only_is_named_for_that_part(steps, named):
    assert named in name(steps, EXPECTED, m=5, n_weights=3)


def test_a_mistake_in_both_parts_is_named_for_the_whole_step():
    hint = name([-r * E1 for r in RATES], EXPECTED, m=5, n_weights=3)
    assert hint.startswith("the update has the wrong sign"), hint
    # with no bias part there is no "other part" to call right
    assert name([-r * E1 for r in RATES], EXPECTED, m=5, n_weights=4).startswith("the update has the wrong sign")


def test_a_right_step_or_an_unknown_one_gets_no_hint():
    assert name([e.copy() for e in EXPECTED], EXPECTED, m=5) is None
    other = np.array([0.3, 0.2, 0.05, 0.7])  # not a multiple of the gradient: nothing to name here
    assert name([r * other for r in RATES], EXPECTED, m=5) is None


class _FixedRate:
    """reference_nn's adapter with the learning rate hard-coded at 0.2, whatever rate is passed."""

    def train(self, X, Y, weights, biases, activations, loss, learning_rate, iterations):
        return reference.train(X, Y, weights, biases, activations, loss, 0.2, iterations)


def test_any_implementation_with_train_is_diagnosed_through_the_protocol():
    assert step_mistakes.diagnose(reference) == []
    hints = step_mistakes.diagnose(_FixedRate())
    assert hints == [
        "the learning rate passed is not used: a rate is hard-coded in the update "
        "(it steps at 0.2 whatever rate is asked); use the learning_rate argument"
    ]


@pytest.mark.parametrize(
    ("program", "named"),
    [
        ("002_rate_hard_coded", "a rate is hard-coded in the update (it steps at 0.01 whatever rate is asked)"),
        ("003_rate_hard_coded", "a rate is hard-coded in the update (it steps at 0.1 whatever rate is asked)"),
        ("003_update_climbs", "the update has the wrong sign: it climbs the loss"),
        ("003_gradient_not_averaged", "the gradient is summed over the m samples, not averaged"),
        ("003_bias_not_updated", "the weights' update is right, the biases' is not: the update leaves the biases"),
    ],
)
def test_the_learners_training_step_mistake_is_named(program, named):
    hints = step_mistakes.diagnose(shapes.adapter(program[:3], PROGRAMS / f"{program}.py"))
    assert len(hints) == 1 and named in hints[0], hints


@pytest.mark.parametrize(
    "path",
    [PROGRAMS / f"{n:03d}_correct.py" for n in range(5)]
    + [PROGRAMS / "004_update_climbs.py", OWN / "seed002.py", OWN / "seed003.py"],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_no_hint_for_a_right_step_nor_for_the_rate_free_shapes(path):
    """002's and 003's right programs and the tutorials' own get none; 000, 001 and 004's shapes train without
    biases at their own rate (nnspec.mistakes names their mistakes), so this module names nothing there."""
    chapter = path.name[:3] if path.parent == PROGRAMS else path.stem[-3:]
    assert step_mistakes.diagnose(shapes.adapter(chapter, path)) == []
