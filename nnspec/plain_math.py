"""Registry text for the terminal: the TeX between ``$...$`` (or ``\\(...\\)``) written in Unicode.

The registry writes mathematics once, as TeX, for the book (docs/sitegen/prose.py turns it into MathML);
a terminal cannot show MathML, so :func:`plain` spells the same TeX in Unicode: ``$\\sigma(z)(1 -
\\sigma(z))$`` becomes ``σ(z)(1 − σ(z))``, ``$w^{T}x$`` ``wᵀx``, ``$\\sum_i x_i w_i$`` ``Σᵢ xᵢ wᵢ``,
``$\\partial L/\\partial W$`` ``∂L/∂W``, ``$\\frac{a}{b + c}$`` ``a/(b + c)``. Code spans (```np.dot```)
lose their backticks; everything else is left as written.

Hand-written rather than a library's: the TeX the registry uses is a small, fixed subset (Greek letters,
fractions, scripts, a few operators), and the libraries that read TeX target HTML or images, not a
line of terminal text. A command outside that subset raises ``ValueError``, so the registry's tests
catch it (tests/test_prose.py renders every formula of the registry).
"""

from __future__ import annotations

import re

# The registry's two kinds of span (docs/sitegen/prose.py reads the same for the book): math and code.
MATH = re.compile(r"\\\((?P<a>.+?)\\\)|(?<![\w$])\$(?P<b>[^$\s](?:[^$]*?[^$\s])?)\$(?!\w)")
CODE = re.compile(r"`([^`]+)`")
# a tutorial quote printed in TeX without delimiters (as docs/sitegen/prose.py's is_formula reads it)
_TEX_COMMAND = re.compile(r"\\(?:frac|sum|partial|hat|widehat|alpha|sigma|cdot|sqrt|prod|delta|theta)\b")

_GREEK = {
    name: chr(code)
    for name, code in [
        ("alpha", 0x3B1),
        ("beta", 0x3B2),
        ("gamma", 0x3B3),
        ("delta", 0x3B4),
        ("epsilon", 0x3B5),
        ("varepsilon", 0x3B5),
        ("zeta", 0x3B6),
        ("eta", 0x3B7),
        ("theta", 0x3B8),
        ("iota", 0x3B9),
        ("kappa", 0x3BA),
        ("lambda", 0x3BB),
        ("mu", 0x3BC),
        ("nu", 0x3BD),
        ("xi", 0x3BE),
        ("pi", 0x3C0),
        ("rho", 0x3C1),
        ("sigma", 0x3C3),
        ("tau", 0x3C4),
        ("phi", 0x3C6),
        ("varphi", 0x3C6),
        ("chi", 0x3C7),
        ("psi", 0x3C8),
        ("omega", 0x3C9),
        ("Delta", 0x394),
        ("Sigma", 0x3A3),
        ("Theta", 0x398),
        ("Phi", 0x3A6),
        ("Omega", 0x3A9),
    ]
}
# Symbols that read as a letter: the space after them is TeX's, not the text's (\partial L -> ∂L).
_ORDINARY = {
    **_GREEK,
    "partial": "∂",
    "nabla": "∇",
    "infty": "∞",
    "sum": "Σ",
    "prod": "Π",
    "ell": "ℓ",
}
_FUNCTIONS = ("ln", "log", "exp", "max", "min", "tanh", "sin", "cos")
# Operators and punctuation: the spaces around them are kept as written (a \cdot b -> a · b).
_OPERATORS = {
    "cdot": "·",
    "times": "×",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "approx": "≈",
    "in": "∈",
    "notin": "∉",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "gets": "←",
    "mapsto": "↦",
    "pm": "±",
    "ldots": "…",
    "dots": "…",
    "cdots": "⋯",
    "odot": "⊙",
    "lVert": "‖",
    "rVert": "‖",
    "|": "‖",
    "{": "{",
    "}": "}",
    "%": "%",
    "$": "$",
    ",": " ",
    ";": " ",
    "!": "",
    "quad": "  ",
    " ": " ",
    "lvert": "|",
    "rvert": "|",
    "langle": "⟨",
    "rangle": "⟩",
    "circ": "∘",
    "propto": "∝",
}
_TEXT = ("text", "mathrm", "operatorname", "mathbf", "mathit", "textrm", "boldsymbol", "mathbb")
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0304", "tilde": "\u0303"}
_DROPPED = ("left", "right", "big", "Big", "bigl", "bigr", "displaystyle")

_SUPERSCRIPT = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ",
        strict=True,
    )
)
_SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))


def plain(text: str) -> str:
    """Registry text with its formulas in Unicode and its code spans without backticks."""
    text = MATH.sub(lambda m: tex(m.group("a") or m.group("b")), text)
    return CODE.sub(r"\1", text)


def quote(text: str) -> str:
    """A tutorial's verbatim quote for the terminal: its TeX (the whole quote, or ``\\(...\\)`` parts) in
    Unicode; a quote the terminal's subset cannot read is shown as printed."""
    try:
        if _TEX_COMMAND.search(text) and not MATH.search(text):
            return tex(text)
        return MATH.sub(lambda m: tex(m.group("a") or m.group("b")), text)
    except ValueError:
        return text


def tex(source: str) -> str:
    """One TeX formula in Unicode (a minus sign for ``-``, scripts raised or lowered where Unicode can)."""
    out, _ = _Reader(source).sequence(until=None)
    out = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", out))
    return re.sub(r" {2,}", " ", out).strip()


class _Reader:
    """A small recursive reader over the TeX subset: commands, {groups}, ^ and _ scripts, characters."""

    def __init__(self, source: str):
        self.s, self.i = source, 0

    def sequence(self, until: str | None) -> tuple[str, bool]:
        out: list[str] = []
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == until:
                self.i += 1
                return "".join(out), True
            if c in "^_":
                self.i += 1
                out.append(_script(self.atom(), _SUPERSCRIPT if c == "^" else _SUBSCRIPT, c))
            else:
                out.append(self.atom())
        if until:
            raise ValueError(f"unbalanced braces in TeX: {self.s!r}")
        return "".join(out), False

    def atom(self) -> str:
        """The next unit: a {group}, a command with its arguments, or one character."""
        c = self.s[self.i]
        self.i += 1
        if c == "{":
            return self.sequence(until="}")[0]
        if c == "\\":
            return self.command()
        if c == "-":
            return "−"
        if c == "'":
            return "′"
        return c

    def command(self) -> str:
        m = re.compile(r"[A-Za-z]+|.").match(self.s, self.i)
        if not m:
            raise ValueError(f"a lone backslash in TeX: {self.s!r}")
        name = m.group(0)
        self.i = m.end()
        if name == "frac":
            num, den = self.argument(), self.argument()
            after = " " if self.s[self.i : self.i + 1].isalpha() or self.s[self.i : self.i + 1] == "\\" else ""
            return f"{_grouped(num)}/{_grouped(den)}{after}"
        if name == "sqrt":
            return "√" + _grouped(self.argument())
        if name == "mathbb":
            return {"R": "ℝ", "N": "ℕ", "Z": "ℤ"}.get(self.argument(), "")
        if name in _TEXT:
            return self.argument()
        if name in _ACCENTS:
            base = self.argument()
            return base + _ACCENTS[name] if len(base) == 1 else f"{base}{_ACCENTS[name]}"
        if name in _DROPPED:
            self.skip_spaces()
            return ""
        if name in _OPERATORS:
            return _OPERATORS[name]
        if name in _FUNCTIONS:  # \tanh x -> tanh x, \ln(p) -> ln(p)
            self.skip_spaces()
            following = self.s[self.i : self.i + 1]
            return name + (" " if following.isalnum() or following == "\\" else "")
        if name in _ORDINARY:
            if not self.operator_follows():
                self.skip_spaces()
            return _ORDINARY[name]
        raise ValueError(f"TeX command \\{name} is not in the terminal's subset (nnspec/plain_math.py): {self.s!r}")

    def argument(self) -> str:
        self.skip_spaces()
        if self.i >= len(self.s):
            raise ValueError(f"a TeX command lacks its argument: {self.s!r}")
        return self.atom()

    def operator_follows(self) -> bool:
        """Whether the next thing after the spaces is an operator (\\alpha \\cdot x keeps its spaces)."""
        m = re.compile(r" *\\([A-Za-z]+)").match(self.s, self.i)
        return bool(m) and m.group(1) in _OPERATORS

    def skip_spaces(self) -> None:
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1


def _grouped(part: str) -> str:
    """A fraction's numerator or denominator, in parentheses when it is more than one term or factor:
    a space, ``+``, ``−``, ``/`` or ``·`` outside its own parentheses (a leading minus sign aside)."""
    part = part.strip()
    top = part
    while re.search(r"\([^()]*\)", top):
        top = re.sub(r"\([^()]*\)", "", top)
    return f"({part})" if re.search(r"[ +−/·×]", top[1:]) else part


def _script(part: str, table: dict[str, str], mark: str) -> str:
    """A super- or subscript in raised or lowered characters, or ``^(...)`` where Unicode has none."""
    if part and all(ch in table for ch in part):
        return "".join(table[ch] for ch in part)
    return mark + (part if len(part) == 1 else f"({part})")
