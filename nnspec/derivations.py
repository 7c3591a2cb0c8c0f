"""The symbolic oracle: derivatives and gradients derived by SymPy from the definitions.

Every function returns SymPy objects built from a definition only, never from a tutorial's
answer. Tests lambdify them and compare with the implementation under test; the docs site
renders the same expressions with ``sympy.latex``, so the page shows what was checked.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from nnspec.evidence import derivation

z = sp.Symbol("z", real=True)
a_, b_, t_ = sp.symbols("a b theta", real=True)
y = sp.Symbol("y", real=True)
p = sp.Symbol("p", positive=True)


# ---- activations: definition f(z) and its derivative --------------------------------------------------


def activation_definitions() -> dict[str, sp.Expr]:
    """f(z) for every element-wise activation, written from its mathematical definition."""
    return {
        "identity": z,
        "linear": a_ * z,
        "sigmoid": 1 / (1 + sp.exp(-z)),
        "tanh": sp.tanh(z),
        "binary_step": sp.Piecewise((0, z <= t_), (1, True)),
        "relu": sp.Piecewise((0, z <= 0), (a_ * z, True)),
        "leaky_relu": sp.Piecewise((b_ * z, z <= 0), (a_ * z, True)),
    }


@derivation
@cache
def activation_derivative(name: str) -> sp.Expr:
    """df/dz by SymPy (for the piecewise ones, the derivative on each open piece)."""
    return sp.diff(activation_definitions()[name], z)


def numeric(expr: sp.Expr, params: dict | None = None):
    """A NumPy function of z from a SymPy expression in z (and the parameters a, b, theta)."""
    params = params or {}
    subs = {a_: params.get("a", 1.0), b_: params.get("b", 0.01), t_: params.get("threshold", 0.0)}
    f = sp.lambdify(z, expr.subs(subs), "numpy")
    return lambda x: np.broadcast_to(
        np.asarray(f(np.asarray(x, dtype=np.float64)), dtype=np.float64), np.shape(x)
    ).copy()


# ---- softmax ----------------------------------------------------------------------------------------------


@derivation
@cache
def softmax_jacobian(k: int = 3) -> tuple[tuple[sp.Symbol, ...], sp.Matrix]:
    """(z_1..z_k, J) with J[i, j] = d s_i / d z_j for s_i = e^{z_i} / sum_j e^{z_j}."""
    zs = sp.symbols(f"z1:{k + 1}", real=True)
    total = sum(sp.exp(v) for v in zs)
    s = [sp.exp(v) / total for v in zs]
    return zs, sp.Matrix(k, k, lambda i, j: sp.diff(s[i], zs[j]))


@derivation
@cache
def softmax_cross_entropy_grad(k: int = 3) -> tuple[tuple, tuple, sp.Matrix]:
    """(z, y, dL/dz) for L = -sum_i y_i ln softmax(z)_i with sum_i y_i = 1: simplifies to s - y."""
    zs = sp.symbols(f"z1:{k + 1}", real=True)
    ys = sp.symbols(f"y1:{k + 1}", real=True)
    total = sum(sp.exp(v) for v in zs)
    loss = -sum(yi * sp.log(sp.exp(zi) / total) for yi, zi in zip(ys, zs, strict=True))
    grad = sp.Matrix([sp.diff(loss, v) for v in zs])
    # use sum(y) = 1 to eliminate the last label
    grad = grad.subs(ys[-1], 1 - sum(ys[:-1]))
    return zs, ys, sp.simplify(grad)


# ---- losses -------------------------------------------------------------------------------------------


@derivation
def log_loss() -> sp.Expr:
    """L(p, y) = -(y ln p + (1 - y) ln(1 - p)) for one sample."""
    return -(y * sp.log(p) + (1 - y) * sp.log(1 - p))


@derivation
@cache
def log_loss_of_sigmoid_grad() -> sp.Expr:
    """dL/dz for L = log loss of p = sigmoid(z): simplifies to sigmoid(z) - y."""
    expr = log_loss().subs(p, 1 / (1 + sp.exp(-z)))
    return sp.simplify(sp.diff(expr, z))


def loss_definitions(m: int, k: int):
    """(P, Y, {name: L}) for (m, k) symbolic predictions P and targets Y."""
    P = sp.Matrix(m, k, lambda i, j: sp.Symbol(f"p_{i}{j}", positive=True))
    Y = sp.Matrix(m, k, lambda i, j: sp.Symbol(f"y_{i}{j}", real=True))
    sq = sum((P[i, j] - Y[i, j]) ** 2 for i in range(m) for j in range(k))
    return (
        P,
        Y,
        {
            "sse": sq,
            "half_sse": sq / 2,
            "mse": sq / (m * k),
            "binary_cross_entropy": -sum(
                Y[i, j] * sp.log(P[i, j]) + (1 - Y[i, j]) * sp.log(1 - P[i, j]) for i in range(m) for j in range(k)
            )
            / m,
            "categorical_cross_entropy": -sum(Y[i, j] * sp.log(P[i, j]) for i in range(m) for j in range(k)) / m,
        },
    )


@derivation
def loss_gradient(name: str, m: int, k: int):
    """(P, Y, L, dL/dP as a Matrix) by SymPy."""
    P, Y, losses = loss_definitions(m, k)
    L = losses[name]
    return P, Y, L, sp.Matrix(m, k, lambda i, j: sp.diff(L, P[i, j]))


# ---- the dense layer -----------------------------------------------------------------------------------


@derivation
def dense_layer(m: int, n_in: int, n_out: int, activation: str = "sigmoid"):
    """Symbols and gradients of L = sum(G * f(X W + b)) for a constant upstream gradient G.

    Returns a dict with X, W, b, G, A (the output) and dX, dW, db: the exact gradients of L, so
    that dL/dA = G and the layer's backward pass must return (dX, dW, db).
    """
    X = sp.Matrix(m, n_in, lambda i, j: sp.Symbol(f"x_{i}{j}", real=True))
    W = sp.Matrix(n_in, n_out, lambda i, j: sp.Symbol(f"w_{i}{j}", real=True))
    b = sp.Matrix(1, n_out, lambda i, j: sp.Symbol(f"b_{j}", real=True))
    G = sp.Matrix(m, n_out, lambda i, j: sp.Symbol(f"g_{i}{j}", real=True))
    f = sp.Lambda(z, activation_definitions()[activation])
    Z = X * W + sp.ones(m, 1) * b
    A = Z.applyfunc(f)
    L = sum(G[i, j] * A[i, j] for i in range(m) for j in range(n_out))
    grad = lambda M: M.applyfunc(lambda s: sp.diff(L, s))  # noqa: E731
    return {"X": X, "W": W, "b": b, "G": G, "A": A, "L": L, "dX": grad(X), "dW": grad(W), "db": grad(b)}


def substitute(expr, values) -> np.ndarray:
    """A SymPy matrix or expression evaluated at [(symbol matrix, ndarray), ...] as a float64 array."""
    subs = {}
    for symbols, array in values:
        for s, v in zip(list(symbols), np.asarray(array, dtype=np.float64).ravel(), strict=True):
            subs[s] = v
    result = sp.Matrix(expr).evalf(subs=subs) if isinstance(expr, sp.MatrixBase) else expr.evalf(subs=subs)
    return np.array(result.tolist() if isinstance(result, sp.MatrixBase) else float(result), dtype=np.float64)
