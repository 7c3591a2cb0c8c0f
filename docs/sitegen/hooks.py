"""mkdocs hooks: generate the specification pages, render math as MathML, keep notebook pages offline."""

from __future__ import annotations

import hashlib
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.structure.files import File

from nnspec.content import ROOT

for _path in (str(ROOT), str(ROOT / "docs")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from sitegen import chapters, editions, ledger, mathml, pages, spec_pages  # noqa: E402

# What generates pages: each takes spec_pages.Spec (the registry, the evidence, the tests and the latest
# outcomes) and returns {docs path: Markdown}. A new kind of page is one entry here.
PAGE_MAKERS = [chapters.pages, ledger.pages, pages.pages, lambda spec: editions.pages(spec.claims)]

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
    """Add the generated pages (chapters, ledger, compliance matrix, test sources, corrected editions)."""
    spec = spec_pages.load_spec()
    _generated["tutorials"] = pages.tutorials_table(spec.claims)
    for make in PAGE_MAKERS:
        for src_uri, content in make(spec).items():
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


# mkdocs-jupyter inlines nbconvert's stylesheets (about 575 KB, the same on every notebook page) and has no
# option to link them instead: each large inline style becomes one shared file, linked from every page.
_LARGE_STYLE = re.compile(r"<style type=\"text/css\">(.{10000,}?)</style>", re.DOTALL)
_shared_css: dict[str, str] = {}  # file name under assets/ -> CSS


def _link_shared_css(html: str, page) -> str:
    def link(m):
        name = f"assets/notebook-{hashlib.sha256(m.group(1).encode()).hexdigest()[:12]}.css"
        _shared_css[name] = m.group(1)
        return f'<link rel="stylesheet" href="{posixpath.relpath(name, page.url or ".")}">'

    return _LARGE_STYLE.sub(link, html)


def on_page_content(html, page, config, files):
    if not _is_notebook(page):
        return _SPHINX_ROLE.sub("", mathml.restore(html, _math.pop(page.file.src_uri, [])))
    for pattern in _NOTEBOOK_CDN:
        html = pattern.sub("", html)
    html = re.sub(r'<script src="">\s*</script>', "", html)
    return _link_shared_css(mathml.render_html(html), page)


def on_post_build(config):
    for name, css in _shared_css.items():
        path = Path(config["site_dir"]) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8")
