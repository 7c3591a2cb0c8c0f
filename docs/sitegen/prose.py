"""Registry text (quotes, explanations, measurements) as safe Markdown that renders as a reader expects.

Everything is escaped (every Markdown, math and HTML character becomes an entity) except four things
the registry's text means: TeX becomes math (left as ``\\(...\\)`` for the math step of the build, which
turns it into MathML), in our own prose ```code``` becomes inline code and ``*word*`` emphasis, and a
prime after a letter (``f'(z)``) becomes the prime sign on that letter.
"""

from __future__ import annotations

import re

_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>\"'$\\`*_[]{}#|~"}  # quotes too: text may land in an attribute

# TeX a quote or explanation may hold: \( .. \), $ .. $, or a quote that is a TeX formula as a whole
_DELIMITED = re.compile(r"\\\((?P<a>.+?)\\\)|(?<![\w$])\$(?P<b>[^$\s](?:[^$]*?[^$\s])?)\$(?!\w)")
_TEX_COMMAND = re.compile(r"\\(?:frac|sum|partial|hat|widehat|alpha|sigma|cdot|sqrt|prod|delta|theta|left|right)\b")
# a TeX fragment inside prose: a word with a braced super- or subscript, e.g. z^{2}, w^{T}x
_TEX_WORD = re.compile(r"(?<![\w\\])[A-Za-z]\w*(?:[\^_]\{[^{}\s]*\})+\w*")
_EMPHASIS = re.compile(r"(?<![\w*\\])\*(?P<t>[^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])")
_PRIME = re.compile(r"(?<=[A-Za-z])'(?=\()")
_CODE_SPAN = re.compile(r"`([^`]+)`")  # code in our own prose (never in a verbatim quote)


def escape(text: str) -> str:
    """Text shown literally in Markdown: every markup, math and HTML character as an entity."""
    return "".join(_ENTITIES.get(c, c) for c in text)


def code(text: str) -> str:
    """Text shown as inline code."""
    return "<code>" + escape(text) + "</code>"


def math(tex: str) -> str:
    """Inline math for the build's math step (docs/sitegen/mathml.py)."""
    return r"\(" + " ".join(tex.split()) + r"\)"


def is_formula(text: str) -> bool:
    """A quote that is a TeX formula as a whole (the tutorial printed it in TeX without delimiters)."""
    return bool(_TEX_COMMAND.search(text)) and not _DELIMITED.search(text) and len(text.split()) < 30


def _plain(text: str, emphasis: bool) -> str:
    out, last = [], 0
    pattern = _EMPHASIS if emphasis else None
    for m in pattern.finditer(text) if pattern else ():
        out.append(_words(text[last : m.start()]))
        out.append(f"<em>{_words(m.group('t'))}</em>")
        last = m.end()
    out.append(_words(text[last:]))
    return "".join(out)


def _words(text: str) -> str:
    out, last = [], 0
    for m in _TEX_WORD.finditer(text):
        out.append(escape(_PRIME.sub("\u2032", text[last : m.start()])))
        out.append(math(m.group(0)))
        last = m.end()
    out.append(escape(_PRIME.sub("\u2032", text[last:])))
    return "".join(out)


def render(text: str, emphasis: bool = True) -> str:
    """Registry text as Markdown: TeX as math, ```x``` as code and ``*x*`` as emphasis (unless ``emphasis``
    is False, for a tutorial's verbatim quote), everything else literal."""
    if is_formula(text):
        return math(text)
    if not emphasis:
        return _math_and_words(text, emphasis)
    out, last = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_math_and_words(text[last : m.start()], emphasis))
        out.append(code(m.group(1)))
        last = m.end()
    out.append(_math_and_words(text[last:], emphasis))
    return "".join(out)


def _math_and_words(text: str, emphasis: bool) -> str:
    out, last = [], 0
    for m in _DELIMITED.finditer(text):
        out.append(_plain(text[last : m.start()], emphasis))
        out.append(math(m.group("a") or m.group("b")))
        last = m.end()
    out.append(_plain(text[last:], emphasis))
    return "".join(out)


def first_sentence(text: str, limit: int = 170) -> str:
    """The first sentence of a text, cut at a word boundary near ``limit`` characters."""
    m = re.search(r"(?<![A-Z]\.)(?<!e\.g)(?<!i\.e)(?<!vs)\.(?=\s+[A-Z(\"])", text)
    sentence = text[: m.start() + 1] if m else text
    if len(sentence) > limit:
        formulas = [m.span() for m in _DELIMITED.finditer(sentence)]  # never cut one: its $ would show
        spaces = [i for i, c in enumerate(sentence[:limit]) if c == " " and not any(a < i < b for a, b in formulas)]
        sentence = sentence[: spaces[-1] if spaces else limit].rstrip(",;:") + " ..."
    return sentence


def short_quote(text: str, limit: int = 70) -> str:
    """A quote cut at a word boundary near ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " ..."
