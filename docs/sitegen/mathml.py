"""Build-time math: TeX between $...$, $$...$$, \\(...\\) or \\[...\\] becomes MathML.

Browsers render MathML natively, so the site needs no script and no network for its math.
Markdown pages are handled in two steps: :func:`protect_markdown` swaps every formula for an
inert token before Markdown runs (so ``_`` and ``*`` inside TeX are not read as emphasis), and
:func:`restore` puts the MathML in after. Notebook HTML (and anything else already in HTML) goes
through :func:`render_html`, which converts formulas in text but never inside code, scripts or
styles.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

# Display math first, then inline. A $ must not be followed (inline: nor preceded) by a space.
_MATH = re.compile(
    r"\$\$(?P<d1>.+?)\$\$"
    r"|\\\[(?P<d2>.+?)\\\]"
    r"|\\\((?P<i1>.+?)\\\)"
    r"|(?<![\\$\w])\$(?P<i2>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\w)",
    re.DOTALL,
)
# Markdown regions left alone: fenced code, inline code, HTML comments.
_MD_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$|`+[^`\n]*?`+|<!--.*?-->", re.DOTALL | re.MULTILINE)
# HTML regions left alone: code (also the hidden copy of each notebook cell's source that mkdocs-jupyter
# keeps for its copy button), scripts, styles, and the tags themselves.
_HTML_SKIP = re.compile(
    r"<(?P<tag>pre|code|script|style|math|textarea)\b.*?</(?P=tag)>"
    r"|<div class=\"clipboard-copy-txt\"[^>]*>.*?</div>|<!--.*?-->|<[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_TOKEN = re.compile(r"MATHTOKEN(\d+)X")


# latex2mathml writes f' as a superscript prime; the prime sign already sits high, so as a superscript it
# floats above the letter. MathML's own way is the prime as an operator right after its base.
_SUPERSCRIPT_PRIME = re.compile(r"<msup>(<mi>[^<]*</mi>)(?:<mrow>)?<mi>(&#x0203[234];)</mi>(?:</mrow>)?</msup>")


def to_mathml(tex: str, display: bool) -> str:
    """One formula as a <math> element; a formula latex2mathml cannot read raises ValueError."""
    try:
        mathml = convert(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own exception types
        raise ValueError(f"cannot convert TeX to MathML: {tex!r} ({exc})") from exc
    return _SUPERSCRIPT_PRIME.sub(r'\1<mo lspace="0" rspace="0">\2</mo>', mathml)


def _convert_match(m: re.Match, unescape: bool) -> str:
    display = m.group("d1") is not None or m.group("d2") is not None
    tex = next(g for g in m.group("d1", "d2", "i1", "i2") if g is not None)
    return to_mathml(html.unescape(tex) if unescape else tex, display)


def _outside(pattern: re.Pattern, text: str, fn) -> str:
    """Apply fn to the parts of text that pattern does not match."""
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(fn(text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(fn(text[last:]))
    return "".join(out)


def protect_markdown(markdown: str) -> tuple[str, list[str]]:
    """Replace each formula outside code by MATHTOKEN<n>X; returns the text and the MathML list."""
    store: list[str] = []

    def swap(m):
        mathml = _convert_match(m, unescape=False)
        if m.group("d1") is not None or m.group("d2") is not None:
            mathml = f'<div class="arithmatex">{mathml}</div>'
        store.append(mathml)
        return f"MATHTOKEN{len(store) - 1}X"

    return _outside(_MD_CODE, markdown, lambda part: _MATH.sub(swap, part)), store


def restore(html_text: str, store: list[str]) -> str:
    """Put the MathML back where protect_markdown left tokens (a lone block token loses its <p>)."""
    html_text = re.sub(r"<p>\s*(MATHTOKEN\d+X)\s*</p>", r"\1", html_text)
    return _TOKEN.sub(lambda m: store[int(m.group(1))], html_text)


def render_html(html_text: str) -> str:
    """Convert the formulas in the text of an HTML fragment (not in code, scripts, styles or tags)."""
    return _outside(_HTML_SKIP, html_text, lambda part: _MATH.sub(lambda m: _convert_match(m, True), part))
