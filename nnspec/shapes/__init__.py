"""Tutorial-shaped programs as implementations under test.

A learner who followed one of the five tutorials has a program of that tutorial's shape (001's
``Neural_Network`` class, 004's ``NeuralNetwork(x, y)``, 000's ``nonlin`` and training loop, 003's
functions, 002's layer classes). Each ``seedNNN`` module here writes that shape down and wraps any
program following it in the adapter protocol (``reference_nn.adapter``), for that chapter's
claims: what the shape cannot express raises ``NotImplementedError`` (reported as not implemented).
``reference_nn.tutorials`` (the tutorials' own code) is one user of these wrappers
(``examples/tutorial_verbatim.py``); a learner's file is another::

    pytest --tutorial-code 004=my_network.py

:func:`adapter` loads a file (see :mod:`.program`: its training loops are not run) and wraps it.
"""

from __future__ import annotations

from pathlib import Path

from . import seed000, seed001, seed002, seed003, seed004
from .program import ShapeError, bounded, load

SHAPES = {"000": seed000, "001": seed001, "002": seed002, "003": seed003, "004": seed004}

__all__ = ["SHAPES", "ShapeError", "adapter", "load"]


def adapter(chapter: str, path: str | Path):
    """The program at ``path``, of tutorial ``chapter``'s shape, as an adapter (raises ShapeError)."""
    if chapter not in SHAPES:
        raise ShapeError(f"no tutorial {chapter!r}: expected one of {', '.join(SHAPES)}")
    program = load(path)
    shape = SHAPES[chapter].from_program(program)
    rates = bounded(shape.rate_notes, default=[]) if hasattr(shape, "rate_notes") else []
    shape.notes = list(program.notes) + rates  # what was dropped from a notebook, a rate of its own
    return shape
