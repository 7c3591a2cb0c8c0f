"""The derivations shown on the chapters, computed by calling ``nnspec/derivations.py``.

A view takes the arguments a test passed to a derivation function, calls that same function and
returns display formulas (TeX). Where a simpler closed form reads better, it is shown only after
SymPy confirms here, at build time, that it equals the derived expression.
"""

from __future__ import annotations

import sympy as sp

from nnspec import derivations as D

MAX_TEX = 1800  # longer formulas are shown entry by entry


def _simplified_equal(a, b) -> bool:
    return sp.simplify(a - b) == 0


def _tex(expr) -> str:
    return sp.latex(expr)


def _activation(name: str, *_, **__) -> list[str]:
    f = D.activation_definitions()[name]
    d = D.activation_derivative(name)
    lines = [rf"f(z) = {_tex(f)}", rf"f'(z) = \frac{{d}}{{dz}} f(z) = {_tex(d)}"]
    s = sp.Symbol("f(z)", real=True)
    for closed in (s * (1 - s), 1 - s**2):
        if not isinstance(f, sp.Piecewise) and f.has(D.z) and _simplified_equal(d, closed.subs(s, f)):
            lines.append(rf"f'(z) = {_tex(closed)}")
    return lines


def _softmax_jacobian(k: int = 3, *_, **__) -> list[str]:
    zs, J = D.softmax_jacobian(k)
    total = sum(sp.exp(v) for v in zs)
    s = [sp.exp(v) / total for v in zs]
    lines = [
        rf"s_i = \frac{{e^{{z_i}}}}{{\sum_{{j=1}}^{{{k}}} e^{{z_j}}}}",
        rf"\frac{{\partial s_1}}{{\partial z_1}} = {_tex(sp.simplify(J[0, 0]))}",
        rf"\frac{{\partial s_1}}{{\partial z_2}} = {_tex(sp.simplify(J[0, 1]))}",
    ]
    if all(_simplified_equal(J[i, j], s[i] * ((1 if i == j else 0) - s[j])) for i in range(k) for j in range(k)):
        lines.append(r"\frac{\partial s_i}{\partial z_j} = s_i\,(\delta_{ij} - s_j)")
    return lines


def _softmax_cross_entropy(k: int = 3, *_, **__) -> list[str]:
    zs, ys, grad = D.softmax_cross_entropy_grad(k)
    total = sum(sp.exp(v) for v in zs)
    lines = [
        r"L = -\sum_i y_i \ln s_i(z), \qquad \sum_i y_i = 1",
        rf"\frac{{\partial L}}{{\partial z_1}} = {_tex(grad[0])}",
    ]
    y_last = 1 - sum(ys[:-1])
    labels = list(ys[:-1]) + [y_last]
    if all(_simplified_equal(grad[i], sp.exp(zs[i]) / total - labels[i]) for i in range(k)):
        lines.append(r"\frac{\partial L}{\partial z_i} = s_i - y_i")
    return lines


def _log_loss(*_, **__) -> list[str]:
    return [rf"L(p, y) = {_tex(D.log_loss())}"]


def _log_loss_of_sigmoid(*_, **__) -> list[str]:
    g = D.log_loss_of_sigmoid_grad()
    lines = [rf"L = {_tex(D.log_loss())}, \qquad p = \frac{{1}}{{1 + e^{{-z}}}}", rf"\frac{{dL}}{{dz}} = {_tex(g)}"]
    if _simplified_equal(g, 1 / (1 + sp.exp(-D.z)) - D.y):
        lines.append(r"\frac{dL}{dz} = p - y")
    return lines


def _loss_gradient(name: str, m: int = 1, k: int = 1, *_, **__) -> list[str]:
    P, Y, L, G = D.loss_gradient(name, m, k)
    return [rf"L = {_tex(L)}", rf"\frac{{\partial L}}{{\partial P}} = {_tex(G)}"]


def _dense_layer(m: int, n_in: int, n_out: int, activation: str = "sigmoid", *_, **__) -> list[str]:
    d = D.dense_layer(m, n_in, n_out, activation)
    return [
        rf"L = \sum_{{i,j}} g_{{ij}}\, f\big((XW + b)_{{ij}}\big), \quad f = \text{{{activation.replace('_', ' ')}}}",
        rf"\frac{{\partial L}}{{\partial w_{{00}}}} = {_tex(d['dW'][0, 0])}",
        rf"\frac{{\partial L}}{{\partial b_{{0}}}} = {_tex(d['db'][0, 0])}",
        rf"\frac{{\partial L}}{{\partial x_{{00}}}} = {_tex(d['dX'][0, 0])}",
    ]


VIEWS = {
    "activation_derivative": _activation,
    "activation_definitions": None,  # a table of definitions, shown through activation_derivative
    "softmax_jacobian": _softmax_jacobian,
    "softmax_cross_entropy_grad": _softmax_cross_entropy,
    "log_loss": _log_loss,
    "log_loss_of_sigmoid_grad": _log_loss_of_sigmoid,
    "loss_gradient": _loss_gradient,
    "loss_definitions": None,
    "dense_layer": _dense_layer,
    "numeric": None,  # helpers, not derivations
    "substitute": None,
}


def _generic(result) -> list[str]:
    """A derivation function added later, shown as its SymPy result."""
    if isinstance(result, dict):
        items = [(k, v) for k, v in result.items() if isinstance(v, sp.Basic | sp.MatrixBase)]
        return [rf"\text{{{k}}} = {_tex(v)}" for k, v in items[-2:]]
    if isinstance(result, tuple):
        result = result[-1]
    if isinstance(result, sp.Basic | sp.MatrixBase):
        return [_tex(result)]
    return []


def render(function: str, args: tuple = (), kwargs: dict | None = None) -> list[str]:
    """Display formulas (TeX) for ``derivations.<function>(*args, **kwargs)``; [] for a helper."""
    kwargs = kwargs or {}
    view = VIEWS.get(function, _generic)
    if view is None:
        return []
    if view is _generic:
        lines = _generic(getattr(D, function)(*args, **kwargs))
    else:
        lines = view(*args, **kwargs)
    short = []
    for line in lines:
        if len(line) > MAX_TEX:
            line = line[: line.index("=") + 1] + r"\ \text{(too long to show; see the test)}"
        short.append(line)
    return short


def public_functions() -> set[str]:
    """Names a test may call in nnspec/derivations.py."""
    defined_there = {
        n
        for n, v in vars(D).items()
        if callable(v) and not n.startswith("_") and getattr(v, "__module__", "") == D.__name__
    }
    return defined_there | set(VIEWS)
