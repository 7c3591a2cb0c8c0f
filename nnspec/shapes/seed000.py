"""Tutorial 000's shape: ``nonlin(x, deriv=False)`` and the training loops of its sections 4.2 and 4.4.

The interface your file provides (names as in the tutorial):

    def nonlin(x, deriv=False): ...   # the sigmoid; with deriv=True its derivative given the OUTPUT (as the tutorial's)

    for j in range(60000):             # a top-level loop (or one under if __name__ == "__main__":)
        ...                            # reads X and y; computes l1 (and l2) from X, syn0 (and syn1);
        syn1 += ...                    # updates syn0 (and syn1) in place or by assignment
        syn0 += ...

Your file's loops are not run when it is loaded. A loop whose body updates ``syn0`` only is a one-layer
network (output ``l1``, section 4.2); one that updates ``syn0`` and ``syn1`` a two-layer network
(output ``l2``, section 4.4). The check runs a body once per training step, with its own ``X``, ``y``
and weights; the body's output layer before the update is the network's prediction, and the step is
read as gradient descent at learning rate 1 on half the sum of squared errors (what the tutorial's
``y - l1`` error term descends). A single layer is ``nonlin(x W)``; the sigmoid's derivative at z is
``nonlin(nonlin(z), True)``. Not expressible: losses and their gradients, biases, other activations,
a layer's backward pass.
"""

from __future__ import annotations

import ast

import numpy as np

from .base import SteppedSigmoidNetwork, f64
from .program import Program, ShapeError

EXPECTED = "nonlin(x, deriv=False) and a top-level for loop whose body reads X and y and updates syn0 (and syn1)"
WEIGHTS = ("syn0", "syn1")
OUTPUTS = {1: "l1", 2: "l2"}


class Shape000(SteppedSigmoidNetwork):
    """``steps`` maps a number of layers to a function (X, y) -> step, where step(weights) returns
    (the output before the update, the updated weights)."""

    chapter = "000"
    architecture = "sigmoid layers without biases"

    def __init__(self, nonlin, steps, name="tutorial 000 shape", reads=None):
        super().__init__(name, reads)
        self.nonlin, self.steps = nonlin, dict(steps)
        self.layer_counts = tuple(sorted(self.steps))
        self.architecture = " or ".join(f"{n} sigmoid layer{'s' if n > 1 else ''}" for n in self.layer_counts)
        self.architecture += " without biases (one per training loop)"

    def forward(self, X, weights):
        return self.steps[len(weights)](X, np.zeros((X.shape[0], weights[-1].shape[1])))(weights)[0]

    def stepper(self, X, Y, n_layers):
        return self.steps[n_layers](X, Y)

    def activation(self, name, z, **params):
        if name != "sigmoid" or params:
            self.lacks(f"activation {name!r}")
        return self.nonlin(f64(z))

    def sigmoid_grad_from_output(self, s):
        return self.nonlin(f64(s), True)

    def activation_grad(self, name, z, **params):
        if name != "sigmoid" or params:
            self.lacks(f"derivative of {name!r}")
        return self.nonlin(self.nonlin(f64(z)), True)

    def dense_forward(self, x, W, b, activation):
        if b is not None or activation != "sigmoid":
            self.lacks(f"layer with activation {activation!r}{' and a bias' if b is not None else ''}")
        return self.nonlin(np.dot(f64(x), f64(W)))


def _assigned(body) -> set[str]:
    """The names a loop body assigns, ``syn0, syn1 = ...`` included."""
    names = set()
    for node in ast.walk(ast.Module(body, [])):
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            for target in targets:
                parts = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
                names |= {t.id for t in parts if isinstance(t, ast.Name)}
    return names


def loop_steps(program: Program, loop: ast.For | ast.While, n_layers: int):
    """The loop's body as steps: (X, y) -> step, run in a copy of the module's namespace."""
    code = compile(ast.Module(loop.body, []), str(program.path), "exec")
    counter = loop.target.id if isinstance(loop, ast.For) and isinstance(loop.target, ast.Name) else None
    output, weights_names = OUTPUTS[n_layers], WEIGHTS[:n_layers]

    def steps(X, y):
        namespace = dict(vars(program.module), X=X, y=y)

        def step(weights):
            namespace.update(zip(weights_names, weights))
            namespace.pop(output, None)
            if counter:
                namespace[counter] = 1  # not a printing iteration of `if j % 10000 == 0`
            exec(code, namespace)
            if output not in namespace:
                raise ShapeError(f"tutorial 000 expects the loop body to compute {output}, the output layer")
            return namespace[output], [namespace[w] for w in weights_names]

        return step

    return steps


def from_program(program: Program) -> Shape000:
    nonlin = getattr(program.module, "nonlin", None)
    if not callable(nonlin):
        raise ShapeError(f"tutorial 000 expects {EXPECTED}; {program.found()}")
    steps = {}
    for loop in program.loops:
        assigned = _assigned(loop.body)
        n_layers = 2 if "syn1" in assigned else 1 if "syn0" in assigned else 0
        if n_layers and n_layers not in steps:
            steps[n_layers] = loop_steps(program, loop, n_layers)
    if not steps:
        found = f"{len(program.loops)} top-level loops, none updating syn0" if program.loops else "no top-level loop"
        raise ShapeError(f"tutorial 000 expects {EXPECTED}; {program.path.name} has {found}")
    return Shape000(nonlin, steps, name=program.path.name)
