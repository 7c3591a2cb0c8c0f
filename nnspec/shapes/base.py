"""What every tutorial shape shares: unexpressed protocol functions, and sigmoid networks trained by steps.

A tutorial's program computes some of the protocol (``reference_nn.adapter``) and not the rest. A
:class:`Shape` answers every protocol function it cannot express with ``NotImplementedError``
(reported as "not implemented"), naming the tutorial and what its program lacks.

:class:`SteppedSigmoidNetwork` is the shape of the programs of tutorials 000, 001 and 004: sigmoid
layers without biases whose update has no learning rate, one fixed step ``W -> W + D`` per call.
Such a step is read as gradient descent at rate 1 on the tutorial's ``step_loss``; since the
squared-error losses are multiples of each other (SSE = 2 * half SSE = m k * MSE for m samples and
k outputs), a run at rate ``r`` on loss ``L`` is ``W -> W + r c D`` with c = (dL/dp) / (d step_loss/dp).
The losses that ``train`` records are the named loss of the program's own outputs, computed by the
check (``reference_nn.losses``).
"""

from __future__ import annotations

import contextlib

import numpy as np

from reference_nn.adapter import PROTOCOL

#: The gradient of each squared-error loss, as a multiple of (p - y) (m samples, k outputs).
_SQUARED = {"sse": lambda m, k: 2.0, "half_sse": lambda m, k: 1.0, "mse": lambda m, k: 2.0 / (m * k)}
#: The same losses' values for a stack of outputs (n, m, k), as in reference_nn.losses (one call per run)
_SQUARED_VALUES = {
    "sse": lambda d: np.sum(d**2, axis=(-2, -1)),
    "half_sse": lambda d: 0.5 * np.sum(d**2, axis=(-2, -1)),
    "mse": lambda d: np.mean(d**2, axis=(-2, -1)),
}


class Shape:
    """A tutorial-shaped program behind the adapter protocol; what it cannot express is not implemented."""

    chapter = "???"
    VERSION = "tutorial-shaped"

    def __init__(self, name: str):
        self.NAME = name

    notes: list[str] = []  # what loading the program found worth saying (nnspec.shapes.adapter)

    def tutorial_notes(self) -> list[str]:
        """Notes for the learner's report: lines a notebook's program left out, a learning rate of its own."""
        return list(self.notes)

    def tutorial_data(self) -> dict:
        """The tutorial's data as the program holds them after its top level (nnspec.data_claims)."""
        return {}

    def lacks(self, what: str):
        raise NotImplementedError(f"the program (tutorial {self.chapter}'s shape) has no {what}")

    def __getattr__(self, name):
        if name in PROTOCOL:
            return self._not_expressed(name)
        raise AttributeError(name)

    def _not_expressed(self, name):
        def not_expressed(*args, **kwargs):
            self.lacks(name.replace("_", " "))

        not_expressed.__name__ = name
        return not_expressed


def f64(x):
    return np.asarray(x, dtype=np.float64)


@contextlib.contextmanager
def global_stream_kept():
    """Constructing a program's network (which may draw weights the check then replaces) leaves
    NumPy's global random stream as it was: the check's calls do not shift a caller's seeded draws."""
    state = np.random.get_state()  # noqa: NPY002 - the tutorials' programs draw from the global stream
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


class SteppedSigmoidNetwork(Shape):
    """Sigmoid layers without biases, a forward pass and a rate-free update step (see the module docs).

    Subclasses give ``layer_counts`` (the numbers of weight layers the program handles),
    ``step_loss``, and :meth:`forward` and :meth:`stepper`.
    """

    layer_counts: tuple[int, ...] = (2,)
    step_loss = "half_sse"
    architecture = "two sigmoid layers without biases"

    def __init__(self, name: str, reads: dict[str, str] | None = None):
        super().__init__(name)
        #: losses the program's own text names differently: {protocol name: the loss its step is read as}
        self.reads = dict(reads or {})

    def own_rate(self, n_layers: int) -> float:
        """The learning rate the program's own step takes (1 for the tutorials'): a program that steps at
        0.5 is read at 0.5, so a run "at rate r" is r / 0.5 of its steps (nnspec.mistakes.own_rate)."""
        rates = self.__dict__.setdefault("_own_rates", {})
        if n_layers not in rates:
            from nnspec.mistakes import own_rate

            with global_stream_kept():
                rates[n_layers] = own_rate(self, n_layers)
        return rates[n_layers]

    def rate_notes(self) -> list[str]:
        """A note when the program's update steps at a learning rate of its own (one per distinct rate)."""
        rates = dict.fromkeys(self.own_rate(n) for n in self.layer_counts)
        return [
            f"the update uses a learning rate of its own, {r:g} (the tutorial's is 1): checked at that rate"
            for r in rates
            if r != 1.0
        ]

    def forward(self, X, weights):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def stepper(self, X, Y, n_layers):
        """A function weights -> (the output before the update, the updated weights)."""
        raise NotImplementedError  # pragma: no cover

    def _network(self, weights, biases, activations):
        if (
            len(weights) not in self.layer_counts
            or any(b is not None for b in biases)
            or any(a != "sigmoid" for a in activations)
        ):
            self.lacks(
                f"network with {len(weights)} layers of activations {list(activations)}"
                f"{' and biases' if any(b is not None for b in biases) else ''}: it builds {self.architecture}"
            )
        return [f64(W).copy() for W in weights]

    def predict(self, X, weights, biases, activations):
        return np.asarray(self.forward(f64(X), self._network(weights, biases, activations)))

    def train(self, X, Y, weights, biases, activations, loss, learning_rate, iterations):
        Ws = self._network(weights, biases, activations)
        X, Y = f64(X), f64(Y)
        read_as = self.reads.get(loss, loss)
        if read_as not in _SQUARED or self.step_loss not in _SQUARED:
            self.lacks(f"training on the loss {loss!r}: its update descends a squared error")
        m, k = Y.shape
        factor = learning_rate * _SQUARED[read_as](m, k) / _SQUARED[self.step_loss](m, k)
        factor /= self.own_rate(len(Ws))
        step = self.stepper(X, Y, len(Ws))
        outputs = []
        for _ in range(iterations):
            output, stepped = step(Ws if factor == 1.0 else [W.copy() for W in Ws])  # Ws are this run's own
            outputs.append(output)
            if factor == 1.0:
                Ws = [f64(W) for W in stepped]
            else:
                Ws = [W + factor * (f64(new) - W) for W, new in zip(Ws, stepped)]
        outputs = np.array(outputs, dtype=np.float64).reshape(iterations, *Y.shape)
        losses = _SQUARED_VALUES[loss](outputs - Y)
        return {"weights": Ws, "biases": [None] * len(Ws), "losses": losses}
