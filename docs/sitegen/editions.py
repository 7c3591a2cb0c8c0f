"""The corrected editions: each tutorial's program as transcribed, beside our corrected edition, as a diff.

For tutorial NNN the printed side is the transcription ``reference_nn/tutorials/seedNNN.py`` (the
tutorial's code with Python 3 syntax) and the corrected side ``reference_nn/tutorials/corrected/seedNNN.py``.
The diff covers the transcription's top-level statements that the edition also defines (helpers the
edition leaves out, such as the printed code blocks kept as strings, are not part of it); the edition's
docstring introduces its page. Every change names the claims it fixes in a comment (``# NNN.claim-id: why``):
a change that names none, or names a claim the registry lacks, stops the build.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import re
from dataclasses import dataclass

from nnspec import content
from nnspec.registry import Claim

from .spec_pages import chapter_path, md_code, md_text, rel, source_path

ROOT = content.ROOT
PRINTED_DIR = ROOT / "reference_nn" / "tutorials"
CORRECTED_DIR = PRINTED_DIR / "corrected"
TESTS = "tests/spec/test_editions.py"  # the tests that run the corrected programs
CLAIM_ID = re.compile(r"\b\d{3}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
CONTEXT = 3  # unchanged lines shown around each change


@dataclass
class Change:
    printed: list[int]  # the numbers of the transcription's lines shown (1-based)
    corrected: list[int]  # the same in the corrected edition
    where: list[str]  # the definitions it touches
    lines: list[str]  # unified diff lines: " ", "-" or "+" then the code
    claims: list[str]  # the claim ids its changed lines name, in order


def page_path(tutorial: str) -> str:
    return f"editions/{tutorial}.md"


def tutorials() -> list[str]:
    return sorted(p.stem.removeprefix("seed") for p in CORRECTED_DIR.glob("seed[0-9][0-9][0-9].py"))


def _statements(text: str) -> tuple[str, list[tuple[set[str] | None, int, int]]]:
    """(module docstring, [(names bound, first line, last line)]) for each top-level statement after the
    docstring; a statement's lines include the comments and blank lines above it. Imports bind None (kept)."""
    tree = ast.parse(text)
    doc = ast.get_docstring(tree) or ""
    body = tree.body[1:] if doc else tree.body
    start = tree.body[0].end_lineno + 1 if doc else 1
    out = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = None
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names = {node.name}
        else:
            names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        out.append((names, start, node.end_lineno))
        start = node.end_lineno + 1
    if out:  # trailing comments belong to the last statement
        out[-1] = (out[-1][0], out[-1][1], len(text.splitlines()))
    return doc, out


def _numbered(text: str, statements, keep=None) -> list[tuple[int, str]]:
    lines = text.splitlines()
    out = []
    for names, first, last in statements:
        if keep is None or names is None or names & keep:
            out += [(i, lines[i - 1]) for i in range(first, last + 1)]
    while out and not out[0][1].strip():  # the blank lines after the docstring
        out.pop(0)
    return out


def _definitions(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function and class, and of top-level assignments."""
    tree = ast.parse(text)
    out = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.ClassDef):
                out.append((child.lineno, child.end_lineno, prefix + child.name))
                visit(child, prefix + child.name + ".")
            elif prefix == "" and isinstance(child, ast.Assign | ast.ImportFrom | ast.Import):
                names = [ast.unparse(t) for t in getattr(child, "targets", [])] or ["imports"]
                out.append((child.lineno, child.end_lineno, ", ".join(names)))

    visit(tree, "")
    return out


def _where(defs, lines: list[int]) -> list[str]:
    """The innermost definition around each of these lines of the corrected edition (or after it, for a
    comment above a statement), without the classes of the methods named."""
    found = []
    for line in lines:
        inside = [d for d in defs if d[0] <= line <= d[1]] or [d for d in defs if d[0] > line][:1]
        if inside:
            name = min(inside, key=lambda d: d[1] - d[0])[2]
            if name not in found:
                found.append(name)
    return [n for n in found if not any(f.startswith(n + ".") for f in found)] or ["module"]


def changes(tutorial: str, claims: dict[str, Claim]) -> tuple[str, list[Change]]:
    """(the edition's docstring, its changes). Raises ValueError for a change that names no known claim."""
    corrected_text = (CORRECTED_DIR / f"seed{tutorial}.py").read_text(encoding="utf-8")
    printed_text = (PRINTED_DIR / f"seed{tutorial}.py").read_text(encoding="utf-8")
    doc, corrected_statements = _statements(corrected_text)
    keep = set().union(*(names for names, _, _ in corrected_statements if names))
    printed = _numbered(printed_text, _statements(printed_text)[1], keep)
    corrected = _numbered(corrected_text, corrected_statements)
    defs = _definitions(corrected_text)
    a, b = [t for _, t in printed], [t for _, t in corrected]
    out = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(CONTEXT):
        lines, named, changed = [], [], []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [" " + t for t in a[i1:i2]]
                continue
            lines += ["-" + t for t in a[i1:i2]] + ["+" + t for t in b[j1:j2]]
            changed += [corrected[j][0] for j in range(j1, j2) if b[j].strip()] or [corrected[max(j1 - 1, 0)][0]]
            for t in a[i1:i2] + b[j1:j2]:
                named += [m for m in CLAIM_ID.findall(t) if m not in named]
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        span = f"{tutorial}, corrected lines {_lines([n for n, _ in corrected[j1:j2]])}"
        unknown = [c for c in named if c not in claims]
        if unknown:
            raise ValueError(f"edition {span}: a change names claims the registry lacks: {unknown}")
        if not named:
            raise ValueError(f"edition {span}: a change names no claim:\n" + "\n".join(lines))
        out.append(
            Change(
                printed=[n for n, _ in printed[i1:i2]],
                corrected=[n for n, _ in corrected[j1:j2]],
                where=_where(defs, changed),
                lines=lines,
                claims=named,
            )
        )
    return doc, out


def _prose(text: str, page: str, claims: dict[str, Claim]) -> str:
    """A docstring as Markdown: ``code`` spans as code, each claim id a link to the claim on its chapter."""
    parts = re.split(r"``(.+?)``", " ".join(text.split()))
    return "".join(md_code(p) if i % 2 else _link_claims(p, page, claims) for i, p in enumerate(parts))


def _link_claims(text: str, page: str, claims: dict[str, Claim]) -> str:
    """Text as Markdown text, each claim id in it a link to the claim on its chapter."""
    out, last = [], 0
    for m in CLAIM_ID.finditer(text):
        if m.group(0) in claims:
            out.append(md_text(text[last : m.start()]))
            out.append(_claim_link(page, claims[m.group(0)]))
            last = m.end()
    return "".join(out) + md_text(text[last:])


def _claim_link(page: str, claim: Claim) -> str:
    return f"[`{claim.id}`]({rel(page, chapter_path(claim.tutorial))}#{claim.id})"


def _claim_lines(page: str, named: list[Claim]) -> list[str]:
    """What a change fixes (claims the ledger finds wrong), and what else it names (claims that hold, such as
    code that runs once the indentation the text extraction lost is restored)."""
    out = []
    for label, group in (
        ("Fixes", [c for c in named if c.verdict != "holds"]),
        ("See", [c for c in named if c.verdict == "holds"]),
    ):
        if group:
            out += [f"**{label}:** " + ", ".join(f"{_claim_link(page, c)} ({c.verdict})" for c in group), ""]
    return out


def _lines(numbers: list[int]) -> str:
    """Line numbers as runs: "3–7 and 12–14"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = [f"{a}–{b}" if a != b else str(a) for a, b in runs]
    return " and ".join([", ".join(text[:-1]), text[-1]] if len(text) > 1 else text) or "none"


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").split())


def printed_blocks(tutorial: str, claims: dict[str, Claim]) -> list[str]:
    """The tutorial's code blocks as printed, where the transcription keeps them (``SNIPPETS``), each folded
    with links to the claims whose quotes stand in it."""
    snippets = getattr(importlib.import_module(f"reference_nn.tutorials.seed{tutorial}"), "SNIPPETS", {})
    if not snippets:
        return []
    path = page_path(tutorial)
    out = [
        "## The printed blocks {#printed-blocks}",
        "",
        "The transcription keeps the tutorial's code blocks exactly as printed; the program compared below is "
        "its repair of them, so that it runs. Each block, folded, with the claims that quote it.",
        "",
    ]
    for name, code in snippets.items():
        text = _normalise(code)
        quoting = [
            c
            for c in claims.values()
            if c.tutorial == tutorial
            and all(_normalise(piece) in text for piece in c.quote.split("...") if piece.strip())
        ]
        fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", code)), default=0))
        out += [
            "<details markdown>",
            f"<summary>{md_text(name)}</summary>",
            "",
            f"{fence}python",
            code.rstrip("\n"),
            fence,
            "",
            ("Quoted by " + ", ".join(f"{_claim_link(path, c)} ({c.verdict})" for c in quoting) + ".")
            if quoting
            else "No claim quotes this block.",
            "",
            "</details>",
            "",
        ]
    return out


def page(tutorial: str, claims: dict[str, Claim]) -> str:
    path = page_path(tutorial)
    doc, found = changes(tutorial, claims)
    title = next(c.title for c in claims.values() if c.tutorial == tutorial)
    fixed = list(dict.fromkeys(c for ch in found for c in ch.claims if claims[c].verdict != "holds"))
    out = [
        f"# {tutorial} · Corrected edition",
        "",
        f"Of *{md_text(title)}* ([the chapter]({rel(path, chapter_path(tutorial))})).",
        "",
        _prose(doc.partition("\n\n")[2] or doc, path, claims),
        "",
        f"The code as printed is the transcription {md_code(f'reference_nn/tutorials/seed{tutorial}.py')} "
        f"(the tutorial's code, Python 3 syntax); the corrected edition is "
        f"{md_code(f'reference_nn/tutorials/corrected/seed{tutorial}.py')}. In each change below, lines "
        "marked - are as printed and lines marked + as corrected, with three unchanged lines around them. "
        f"{len(found)} change{'s' if len(found) != 1 else ''}, fixing {len(fixed)} "
        f"claim{'s' if len(fixed) != 1 else ''}; the corrected programs are run by "
        f"[{md_code(TESTS)}]({rel(path, source_path(TESTS))}).",
        "",
    ]
    for n, change in enumerate(found, 1):
        where = ", ".join(md_code(w) for w in change.where)
        fence = "`" * max(3, 1 + max(len(m) for m in re.findall(r"`+", "\n".join(change.lines)) or [""]))
        out += [
            f"## Change {n}: {where} {{#change-{n}}}",
            "",
            f"Printed lines {_lines(change.printed)}; corrected lines {_lines(change.corrected)}.",
            "",
            '<div class="edition-diff" markdown>',
            "",
            f"{fence}diff",
            *change.lines,
            fence,
            "",
            "</div>",
            "",
            *_claim_lines(path, [claims[c] for c in change.claims]),
        ]
    return "\n".join(out + printed_blocks(tutorial, claims))


def pages(claims: dict[str, Claim]) -> dict[str, str]:
    """{docs path: Markdown} for every corrected edition."""
    return {page_path(t): page(t, claims) for t in tutorials()}
