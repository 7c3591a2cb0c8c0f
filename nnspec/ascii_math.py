"""ASCII formulas in learner-facing prose: mathematics that should have been written as TeX.

The registry writes formulas as TeX between ``$...$`` (the book renders MathML, the terminal Unicode,
nnspec/plain_math.py) and code as code spans between backticks. :func:`ascii_formulas` strips both and
returns what is left that still reads as an ASCII formula. Each pattern in ``PATTERNS`` is a notation
prose never uses (a caret, a one-letter subscript, ``dL/dW``, ``-inf``, ``s(1-s)``, ``x @ W``, ``<=``,
``2*3``, ``1 - p``, ``|x|``), so a hit is a formula, not a false alarm on ordinary words. The registry's
test (tests/test_prose.py) and the site's test over the built pages use the same patterns.
"""

from __future__ import annotations

import re

from nnspec.plain_math import CODE, MATH

PATTERNS: dict[str, re.Pattern] = {
    "caret exponent or superscript (e^-z, w^T, x^2)": re.compile(r"[\w)]\^"),
    "underscore subscript (x_i, w_1, delta_ij, sum_i)": re.compile(
        r"(?<![\w.])(?:[A-Za-z]|sum|delta|sigma|alpha|eta|theta|lambda|mu|epsilon)_(?:[A-Za-z0-9]{1,3}|\{)(?![\w(])"
    ),
    "Greek letter spelt out as a function or symbol (sigma(z), delta_)": re.compile(
        r"\b(?:sigma|delta|theta|lambda|epsilon|eta|alpha|mu)(?=[(_^'])"
    ),
    "infinity written inf (-inf, +inf, [0, infinity))": re.compile(
        r"(?<![\w.])[-+]?inf\b|[\[(,]\s*[-+]?infinity\b|\binfinity\s*[\])]|[-+]infinity\b"
    ),
    "derivative written d/d (dL/dW, ds/dz)": re.compile(r"(?<![\w.])d[A-Za-z]\w{0,3}\s?/\s?d[A-Za-z]\w{0,3}\b"),
    "matrix product written @ (x @ W)": re.compile(r"\b[A-Za-z]\w?\s?@\s?[A-Za-z]\w?\b"),
    "comparison written <=, >=, != or ==": re.compile(r"<=|>=|!=|=="),
    "product or power written with * (2*3, np.e**x)": re.compile(r"\*\*|[\w)]\*[\w(]|[\w)] \* [\w(]"),
    "one minus or plus a symbol (1 - p, 1+e)": re.compile(r"(?<![\w.,])1\s?[-+]\s?[A-Za-z(]"),
    "fraction with a bracketed part (1/(1+x), (a + b)/4)": re.compile(r"\w\s?/\s?\(|\)\s?/\s?\w"),
    "absolute value bars (|x|)": re.compile(r"(?<![\w|])\|[^|\s]{1,20}\|"),
    "transpose written .T (l0.T)": re.compile(r"\b\w+\.T\b"),
    "equation on a one-letter symbol (z = 0, x3 = 1, L = 1/2 SSE)": re.compile(r"(?<![\w.'])[A-Za-z]\d?\s?=\s?[-\w(]"),
    "inequality written with < or > (z < 0, MSE < 1e-17)": re.compile(r"[\w)]\s?[<>]\s?[-\w(]"),
    "function spelt out in an equation (sigmoid(7.6) = 0.9995, z2 = sigmoid(X W1))": re.compile(
        r"\b(?:sigmoid|relu|tanh|softmax|exp|ln|log|sqrt)\([^()]*\)\s?=|=\s?(?:sigmoid|relu|tanh|softmax)\("
    ),
    "hat written (y-hat)": re.compile(r"\b[A-Za-z]-hat\b"),
    "arrow written -> or <- between symbols (p -> 0, W <- W - a)": re.compile(
        r"(?:(?<![\w.])(?:[A-Za-z]|\d+(?:\.\d+)?)|\))\s?(?:->|<-)\s?[-\w(]"
    ),
}

_SPANS = re.compile(f"{CODE.pattern}|{MATH.pattern}")


def ascii_formulas(text: str) -> list[tuple[str, str]]:
    """(pattern name, matched text) for every ASCII formula left outside math and code spans."""
    prose = _SPANS.sub(" ", text)
    return [(name, m.group(0)) for name, pattern in PATTERNS.items() for m in pattern.finditer(prose)]
