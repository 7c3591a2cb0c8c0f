"""The tutorial-shaped wrappers (nnspec.shapes): loading a program, and faithful translation.

A correct program in a tutorial's shape, behind its wrapper, must compute what reference_nn's own
adapter computes (to rounding): the wrapper adds nothing and hides nothing. What a shape cannot
express is NotImplementedError; a file of another shape is a ShapeError naming both sides.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from nnspec import content
from nnspec import shapes as tutorial_shapes
from nnspec.shapes import ShapeError, load, program
from reference_nn import adapter as reference

PROGRAMS = content.TESTS / "learners" / "programs"
RNG = np.random.default_rng(12)


def shaped(chapter: str):
    return tutorial_shapes.adapter(chapter, PROGRAMS / f"{chapter}_correct.py")


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)


def _same_run(run, expected):
    for key in ("weights", "biases"):
        for mine, theirs in zip(run[key], expected[key]):
            assert (mine is None) == (theirs is None)
            if theirs is not None:
                _close(mine, theirs)
    _close(run["losses"], expected["losses"])


def test_loading_skips_the_loops_captures_printing_and_writes_nothing_here(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    program = tmp_path / "prog.py"
    program.write_text(
        "import numpy as np\nprint('hello')\nnp.savetxt('w1.txt', np.ones(2))\ncount = 0\n"
        "for j in range(10**9):\n    count += 1\nprint(l1)\nif __name__ == '__main__':\n    raise SystemExit(3)\n",
        encoding="utf-8",
    )
    loaded = load(program)
    assert loaded.module.count == 0 and len(loaded.loops) == 1
    assert loaded.errors == ["line 7: NameError: name 'l1' is not defined"]
    assert not (tmp_path / "w1.txt").exists()
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("chapter", list(tutorial_shapes.SHAPES))
def test_a_file_without_the_shape_is_a_shape_error_naming_what_it_has(tmp_path, chapter):
    program = tmp_path / "other.py"
    program.write_text("def helper():\n    pass\n", encoding="utf-8")
    with pytest.raises(ShapeError, match=rf"tutorial {chapter} expects .*other\.py has no classes; functions helper"):
        tutorial_shapes.adapter(chapter, program)


def test_what_a_shape_cannot_express_is_not_implemented():
    with pytest.raises(NotImplementedError, match=r"the program \(tutorial 004's shape\) has no loss"):
        shaped("004").loss("sse", np.zeros((2, 1)), np.ones((2, 1)))
    with pytest.raises(NotImplementedError, match="it builds two sigmoid layers without biases"):
        shaped("004").predict(np.ones((2, 3)), [np.ones((3, 1))], [None], ["relu"])


@pytest.mark.parametrize(
    ("chapter", "layers"), [("000", [(3, 1)]), ("000", [(3, 4), (4, 1)]), ("001", [(2, 3), (3, 1)])]
)
@pytest.mark.parametrize(("loss", "rate"), [("half_sse", 1.0), ("sse", 0.5), ("mse", 1.5), ("half_sse", 0.3)])
def test_a_correct_program_trains_as_the_reference_on_every_squared_loss(chapter, layers, loss, rate):
    m = 3
    X, Y = RNG.uniform(0, 1, (m, layers[0][0])), RNG.uniform(0, 1, (m, 1))
    weights = [RNG.normal(size=shape) for shape in layers]
    args = (X, Y, weights, [None] * len(layers), ["sigmoid"] * len(layers), loss, rate, 20)
    _same_run(shaped(chapter).train(*args), reference.train(*args))
    _close(shaped(chapter).predict(X, *args[2:5]), reference.predict(X, *args[2:5]))


def test_the_004_program_trains_as_the_reference_on_the_sum_of_squares():
    X, Y = RNG.uniform(0, 1, (4, 3)), RNG.uniform(0, 1, (4, 1))
    args = (X, Y, [RNG.uniform(size=(3, 4)), RNG.uniform(size=(4, 1))], [None, None], ["sigmoid"] * 2, "sse", 1.0, 30)
    _same_run(shaped("004").train(*args), reference.train(*args))


def test_a_reading_names_the_loss_a_programs_update_is_said_to_descend():
    """tutorial_verbatim's reading: the MSE the tutorials print is the loss their update descends."""
    from nnspec.shapes.seed001 import Shape001

    cls = type(shaped("001").net)
    X, Y = RNG.uniform(0, 1, (3, 2)), RNG.uniform(0, 1, (3, 1))
    weights = [RNG.normal(size=(2, 3)), RNG.normal(size=(3, 1))]
    args = (X, Y, weights, [None, None], ["sigmoid"] * 2)
    said = Shape001(cls, reads={"mse": "half_sse"}).train(*args, "mse", 1.0, 5)
    half = reference.train(*args, "half_sse", 1.0, 5)
    for mine, theirs in zip(said["weights"], half["weights"]):
        _close(mine, theirs)  # the update unchanged, as on half the sum of squares
    _close(said["losses"], half["losses"] * 2 / 3)  # and the MSE of the same outputs (3 samples)


def test_the_003_neuron_predicts_and_trains_as_the_reference():
    X, Y = RNG.normal(size=(20, 2)), (RNG.uniform(size=(20, 1)) > 0.5).astype(float)
    args = (X, Y, [RNG.normal(size=(2, 1))], [RNG.normal(size=1)], ["sigmoid"], "binary_cross_entropy", 0.4, 25)
    _same_run(shaped("003").train(*args), reference.train(*args))
    p = shaped("003").predict(X, *args[2:5])
    _close(p, reference.predict(X, *args[2:5]))
    _close(shaped("003").loss("binary_cross_entropy", p, Y), reference.loss("binary_cross_entropy", p, Y))


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh", "identity", "softmax"])
@pytest.mark.parametrize("bias", [True, False])
def test_the_002_layer_runs_forward_and_backward_as_the_reference(activation, bias):
    x, W, g = RNG.normal(size=(6, 4)), RNG.normal(size=(4, 3)), RNG.normal(size=(6, 3))
    b = RNG.normal(size=3) if bias else None
    _close(shaped("002").dense_forward(x, W, b, activation), reference.dense_forward(x, W, b, activation))
    mine, theirs = (
        shaped("002").dense_backward(x, W, b, activation, g),
        reference.dense_backward(x, W, b, activation, g),
    )
    for a, e in zip(mine, theirs):
        assert (a is None) == (e is None)
        if e is not None:
            _close(a, e)


def test_the_002_network_predicts_and_trains_as_the_reference():
    X, Y = RNG.normal(size=(8, 4)), np.eye(3)[RNG.integers(0, 3, 8)]
    shapes = [(4, 5), (5, 3)]
    args = (X, Y, [RNG.normal(size=s) for s in shapes], [RNG.normal(size=s[1]) for s in shapes], ["relu", "softmax"])
    _close(shaped("002").predict(*args[:1], *args[2:]), reference.predict(*args[:1], *args[2:]))
    _same_run(
        shaped("002").train(*args, "categorical_cross_entropy", 0.5, 10),
        reference.train(*args, "categorical_cross_entropy", 0.5, 10),
    )


def test_building_a_programs_network_leaves_the_global_random_stream_alone():
    np.random.seed(3)  # noqa: NPY002 - the stream the tutorials draw from
    expected = np.random.random(3)  # noqa: NPY002
    np.random.seed(3)  # noqa: NPY002
    shaped("001").predict(np.ones((2, 2)), [np.ones((2, 3)), np.ones((3, 1))], [None, None], ["sigmoid"] * 2)
    np.testing.assert_array_equal(np.random.random(3), expected)  # noqa: NPY002


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_the_002_slope_is_the_one_the_programs_own_layer_applies_whichever_argument_backward_takes(name):
    """The 002 text defines backward(self, A) on the output but its printed call passes Z: a program may do either."""
    from nnspec.shapes.seed002 import Shape002
    from reference_nn.tutorials.corrected import seed002 as takes_z  # its backward takes Z, as the printed call

    z = np.linspace(-4, 4, 81)
    for shape in (shaped("002"), Shape002(vars(takes_z))):
        _close(shape.activation_grad(name, z), reference.activation_grad(name, z))


def test_loading_stops_a_top_level_that_runs_too_long(tmp_path, monkeypatch):
    from nnspec.shapes import program as loader

    monkeypatch.setattr(loader, "TIME_LIMIT", 0.2)
    path = tmp_path / "slow.py"
    path.write_text("def train():\n    while True:\n        pass\n\n\ntrain()\nAFTER = 1\n", encoding="utf-8")
    loaded = load(path)
    assert loaded.errors == ["line 6: stopped after 0.2 s"]
    assert not hasattr(loaded.module, "AFTER")  # loading stopped there


# ---- naming the mistake of a program's update step (nnspec.mistakes) ------------------------------------

PROGRAMS = Path(__file__).resolve().parents[1] / "learners" / "programs"


@pytest.mark.parametrize(
    ("program", "named"),
    [
        ("000_derivative_of_preactivation", "fed the pre-activation z"),
        ("001_derivative_of_z", "fed the pre-activation z"),
        ("001_output_updated_first", "output layer's weights are updated before"),
        ("004_derivative_of_input", "derivative is taken of the output as if it were the input"),
        ("004_update_climbs", "the update has the wrong sign"),
    ],
)
def test_the_update_steps_mistake_is_named(program, named):
    from nnspec import mistakes, shapes

    hints = mistakes.diagnose(shapes.adapter(program[:3], PROGRAMS / f"{program}.py"))
    assert len(hints) == 1 and named in hints[0], hints


@pytest.mark.parametrize("program", ["000_correct", "001_correct", "004_correct", "004_correct_rate_half"])
def test_a_right_update_step_gets_no_hint_and_is_read_at_its_own_rate(program):
    from nnspec import mistakes, shapes

    adapter = shapes.adapter(program[:3], PROGRAMS / f"{program}.py")
    assert mistakes.diagnose(adapter) == []
    assert all(all(ok) for ok in mistakes.layers_right(adapter).values())
    rates = [adapter.own_rate(n) for n in adapter.layer_counts]
    assert rates == ([pytest.approx(0.5)] if program.endswith("rate_half") else [1.0] * len(rates))


def test_the_tutorials_own_programs_steps_are_gradient_descent():
    from nnspec import mistakes, shapes

    own = Path(mistakes.__file__).parent / "shapes" / "own_code"
    for chapter in ("000", "001", "004"):
        adapter = shapes.adapter(chapter, own / f"seed{chapter}.py")
        assert mistakes.diagnose(adapter) == [] and mistakes.layers_right(adapter), chapter


def _exits():
    os._exit(3)


def _hangs():
    while True:
        print("still here")


@pytest.mark.parametrize("function", [_exits, _hangs, lambda: 1 / 0], ids=["os._exit", "endless", "raises"])
def test_what_is_asked_of_a_program_before_the_tests_costs_at_most_its_limit(function):
    """A learning rate of its own is read in a forked copy: exiting, hanging or raising there is the default."""
    start = time.monotonic()
    assert program.bounded(function, seconds=0.5, default="default") == "default"
    assert time.monotonic() - start < 5
    assert program.bounded(lambda: [0.5, "x"], seconds=5) == [0.5, "x"]
