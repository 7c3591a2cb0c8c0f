"""mkdocs hooks: generate the specification pages, render math as MathML, keep notebook pages offline."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parents[2]
for _path in (str(ROOT), str(ROOT / "docs")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from sitegen import editions, mathml, pages, spec_pages  # noqa: E402
from tests._spec.registry import load_claims  # noqa: E402

_math: dict[str, list[str]] = {}
_generated: dict[str, str] = {}  # marker name -> Markdown, made in on_files for the hand-written pages

# nbconvert's template adds a MathJax loader and a Mermaid loader that import from a CDN; the site
# renders math at build time and has no Mermaid diagrams, so both are dropped from notebook pages.
_NOTEBOOK_CDN = (
    re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.DOTALL),
    re.compile(
        r"<script type=\"module\">\s*document\.addEventListener\(\"DOMContentLoaded\""
        r".*?<!-- End of mermaid configuration -->",
        re.DOTALL,
    ),
)
_README_BLOCK = re.compile(r"<!-- readme:(?P<name>[\w-]+) -->")
_SITE_BLOCK = re.compile(r"<!-- site:(?P<name>[\w-]+) -->")
# Sphinx roles in the package's docstrings (":func:`x`") read as plain code on the API page
_SPHINX_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|obj):(?=<code>)")


def on_files(files, config):
    """Add the chapters, the ledger, the compliance matrix and a page per test module."""
    load_claims.cache_clear()  # mkdocs serve rebuilds in the same process
    claims = load_claims()
    refs = spec_pages.find_tests()
    tests = pages.tests_by_claim(refs)
    outcomes, note = spec_pages.load_outcomes()
    printed = spec_pages.load_printed()
    recorded = spec_pages.load_recorded()
    by_tutorial: dict[str, list] = {}
    for claim in claims.values():
        by_tutorial.setdefault(claim.tutorial, []).append(claim)
    generated = {
        spec_pages.chapter_path(t): pages.chapter(t, cs, tests, outcomes, printed, recorded)
        for t, cs in by_tutorial.items()
    }
    generated["ledger.md"] = pages.ledger(claims, tests, outcomes, note)
    _generated["tutorials"] = pages.tutorials_table(claims)
    generated["compliance.md"] = pages.compliance(claims, spec_pages.load_conformance())
    for path, file_refs in pages.test_files(refs).items():
        generated[spec_pages.source_path(path)] = pages.source(path, file_refs, claims)
    generated.update(editions.pages(claims))
    for src_uri, content in generated.items():
        files.append(File.generated(config, src_uri, content=content))
    return files


def _readme_block(name: str) -> str:
    """The fenced block after ``<!-- name -->`` in README.md, so the home page shows the README's commands."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- {re.escape(name)} -->\s*\n(```.*?\n```)", text, re.DOTALL)
    if not m:
        raise ValueError(f"README.md has no fenced block after <!-- {name} -->")
    return m.group(1)


def _is_notebook(page) -> bool:
    return page.file.src_uri.endswith((".py", ".ipynb"))


def on_page_markdown(markdown, page, config, files):
    if _is_notebook(page):
        return markdown
    markdown = _README_BLOCK.sub(lambda m: _readme_block(m.group("name")), markdown)
    markdown = _SITE_BLOCK.sub(lambda m: _generated[m.group("name")], markdown)
    markdown, store = mathml.protect_markdown(markdown)
    _math[page.file.src_uri] = store
    return markdown


def on_page_content(html, page, config, files):
    if not _is_notebook(page):
        return _SPHINX_ROLE.sub("", mathml.restore(html, _math.pop(page.file.src_uri, [])))
    for pattern in _NOTEBOOK_CDN:
        html = pattern.sub("", html)
    html = re.sub(r'<script src="">\s*</script>', "", html)
    return mathml.render_html(html)
