"""The built site, read as HTML: every claim on its chapter and the ledger, math rendered, nothing remote,
every internal link resolving."""

from __future__ import annotations

import html
import json
import posixpath
import re
from functools import cache
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from nnspec import content
from nnspec.evidence import load_evidence
from nnspec.registry import load_claims
from tests.site.html_scan import CSS_REMOTE, RAW_MARKDOWN, RAW_TEX, REMOTE, parse

pytestmark = pytest.mark.site
ROOT = content.ROOT


@cache
def _read(path: Path):
    return parse(path.read_text(encoding="utf-8"))


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page(site: Path, url: str):
    return _read(site / url / "index.html")


CLAIM_START = r'<(?:h3|div) (?=[^>]*class="claim[ "])[^>]*id="([^"]+)"'


def claim_blocks(html: str) -> dict[str, str]:
    """Each claim's part of a chapter: from its heading (or, out of scope, its block) to the next claim's."""
    heading = re.compile(CLAIM_START)
    blocks = {}
    for part in re.split(rf"(?={CLAIM_START[:-12]})", html):
        m = heading.match(part)
        if m:
            blocks[m.group(1)] = part
    return blocks


def chapter_html(site: Path, tutorial: str) -> str:
    return (site / "tutorials" / tutorial / "index.html").read_text(encoding="utf-8")


def glance_html(html: str) -> str:
    """The chapter's opening, up to its first section after "At a glance"."""
    start = html.index('id="at-a-glance"')
    return html[start : html.index("<h2", start + 1)]


def test_the_site_has_a_chapter_per_tutorial_the_ledger_notebooks_and_api(site):
    tutorials = sorted({c.tutorial for c in load_claims().values()})
    for url in [f"tutorials/{t}" for t in tutorials] + ["ledger", "compliance", "api", "implementers"]:
        assert (site / url / "index.html").is_file(), url
    notebooks = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
    assert len(notebooks) >= 6
    for nb in notebooks:
        assert (site / "notebooks" / nb.stem / "index.html").is_file(), nb.name


def test_the_benchmarks_page_shows_the_published_results_and_their_machine(site):
    html = unescape((site / "benchmarks" / "index.html").read_text(encoding="utf-8"))
    results = (ROOT / "benchmarks" / "results.md").read_text(encoding="utf-8")
    assert "--8<--" not in html, "the results file was not included"
    assert "<table>" in html
    for row in (line for line in results.splitlines() if line.startswith("| ") and "---" not in line):
        first_cell = row.split("|")[1].strip()
        assert first_cell in html, first_cell
    machine = next(line for line in results.splitlines() if line.startswith("Measured "))
    assert "python -m benchmarks" in machine and "CPU" in machine
    assert "Measured " in html


def test_every_claim_appears_on_its_chapter_with_its_verdict_test_links_and_evidence(site):
    from docs.sitegen.spec_pages import find_tests

    tests = {}
    for ref in find_tests():
        for cid in ref.claims:
            tests.setdefault(cid, []).append(ref)
    evidence = load_evidence()
    chapters = {}
    for cid, claim in load_claims().items():
        if claim.tutorial not in chapters:
            chapters[claim.tutorial] = claim_blocks(chapter_html(site, claim.tutorial))
        block = chapters[claim.tutorial].get(cid)
        assert block is not None, f"{cid} has no section on tutorials/{claim.tutorial}"
        assert cid in block
        assert f"verdict-{claim.verdict}" in block, f"{cid}: verdict badge missing"
        for ref in tests.get(cid, []):
            assert f"#{ref.name}" in block, f"{cid}: no link to its test {ref.path}::{ref.name}"
        if claim.testable:
            assert tests.get(cid), f"{cid} is testable but no test names it"
        for piece in evidence.of(cid):
            assert f"{piece.name}</summary>" in html.unescape(block), f"{cid}: {piece.key} is not shown"
            if piece.kind == "derivations":
                assert "<math" in block, f"{cid}: its derivation {piece.key} shows no formula"
    for tutorial, blocks in chapters.items():
        extra = set(blocks) - set(load_claims())
        assert not extra, f"tutorials/{tutorial} shows claims that are not in the registry: {sorted(extra)}"


def test_each_piece_of_evidence_is_shown_once_folded_under_the_claim_that_declares_it(site):
    for tutorial in sorted({c.tutorial for c in load_claims().values()}):
        page = chapter_html(site, tutorial)
        titles = re.findall(r"<details class=\"\w+\">\s*<summary>(.*?)</summary>", page, re.S)
        assert titles, f"tutorials/{tutorial} shows no folded evidence"
        repeated = [t for t in set(titles) if titles.count(t) > 1]
        assert not repeated, f"tutorials/{tutorial} shows the same evidence twice: {repeated}"
        assert "<details open" not in page, "evidence is folded by default"
    # the example: the printed S(7.5) sits under the claim about 7.5, not under the one about 7.6
    blocks = {cid: html.unescape(b) for cid, b in claim_blocks(chapter_html(site, "001")).items()}
    assert "worked_sigmoid_7_5</summary>" in blocks["001.worked-sigmoid-7-5"]
    assert "worked_sigmoid_7_5" not in blocks["001.worked-sigmoid-7-6"]


def test_every_chapter_opens_with_what_to_trust_linking_every_refuted_claim_and_quiz(site):
    from docs.sitegen.chapters import is_quiz

    by_tutorial = {}
    for claim in load_claims().values():
        by_tutorial.setdefault(claim.tutorial, []).append(claim)
    for tutorial, claims in by_tutorial.items():
        page = chapter_html(site, tutorial)
        head = page[: page.index('id="at-a-glance"')]
        assert claims[0].title.split(":")[0] in html.unescape(head) and "Author:" in head
        assert "Where it comes from:" in head
        glance = glance_html(page)
        for claim in claims:
            linked = f'href="#{claim.id}"' in glance
            if claim.verdict in ("refuted", "qualified") or is_quiz(claim):
                assert linked, f"{claim.id} ({claim.verdict}) is not in the chapter's summary"
            elif claim.verdict == "holds":
                assert not linked, f"{claim.id} holds but is listed among what not to trust"


def test_claims_follow_the_tutorials_order_under_its_headings_each_heading_once(site):
    from docs.sitegen import seed_text

    for tutorial in sorted({c.tutorial for c in load_claims().values()}):
        page = chapter_html(site, tutorial)
        headings = [html.unescape(h) for h in re.findall(r'<h2 id="[^"]*">(.*?)<a', page)]
        assert len(headings) == len(set(headings)), f"tutorials/{tutorial} repeats a heading: {headings}"
        assert headings[0] == "At a glance"
        claims = load_claims()
        shown = [m.group(1) for m in re.finditer(CLAIM_START, page)]
        testable = [cid for cid in shown if claims[cid].testable]
        assert [cid for cid in shown if not claims[cid].testable] == shown[len(testable) :], "out of scope last"
        sections = re.split(r"<h2 ", page)
        for part in sections:
            ids = [m.group(1) for m in re.finditer(CLAIM_START, part)]
            where = [seed_text.position(claims[cid].source, claims[cid].quote) for cid in ids]
            found = [w for w in where if w is not None]
            assert found == sorted(found), f"tutorials/{tutorial}: claims out of the tutorial's order: {ids}"


def test_every_claim_is_on_the_ledger_with_quote_verdict_cause_and_last_outcome(site):
    page = (site / "ledger" / "index.html").read_text(encoding="utf-8")
    assert 'class="ledger-filters" data-columns="tutorial verdict cause"' in page
    assert re.search(r'<script src="[^"]*javascripts/ledger-filter.js"', page)
    header = re.search(r"<thead>(.*?)</thead>", page[page.index("ledger-filters") :], re.S).group(1)
    assert [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", header)] == [
        "claim",
        "tutorial",
        "quote",
        "verdict",
        "cause",
        "last run",
    ]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"<tr>\s*<td><a href=\"[^\"]*#([^\"]+)\">.*?</tr>", page, re.S)}
    claims = load_claims()
    assert set(rows) == set(claims)
    outcomes_file = ROOT / "test-artifacts" / "claims.json"
    outcomes = json.loads(outcomes_file.read_text()) if outcomes_file.is_file() else {}
    for cid, claim in claims.items():
        assert f"verdict-{claim.verdict}" in rows[cid]
        if claim.testable:
            expected = outcomes.get(cid, "not run")
            assert f"outcome-{expected.replace(' ', '-')}" in rows[cid], f"{cid}: ledger does not show {expected}"


def test_the_home_page_shows_the_readme_commands(site):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    home = "".join(_read(site / "index.html").text)
    for marker in ("main-command", "test-command"):
        block = re.search(rf"<!-- {marker} -->\s*```bash\n(.*?)\n```", readme, re.S).group(1)
        code = re.sub(r"<[^>]+>", "", (site / "index.html").read_text(encoding="utf-8"))
        assert html.unescape(block) in html.unescape(code), f"the home page does not show the README's {marker}"
    assert "How to read a verdict" in home


def test_no_tex_or_markdown_mark_is_left_unrendered_and_chapters_and_notebooks_have_math(site):
    leftovers = {}
    for path in pages(site):
        text = html.unescape(" ".join(_read(path).text))
        found = RAW_TEX.findall(text) + RAW_MARKDOWN.findall(text)
        if found:
            leftovers[str(path.relative_to(site))] = found[:3]
    assert not leftovers, f"raw TeX or Markdown marks on pages: {leftovers}"
    assert "<em>desired</em>" in (site / "tutorials" / "004" / "index.html").read_text(encoding="utf-8")
    assert page(site, "notebooks/activations").math > 0
    assert sum(page(site, f"tutorials/{t}").math for t in {c.tutorial for c in load_claims().values()}) > 0


def test_no_page_loads_a_remote_script_style_font_or_image(site):
    remote = []
    for path in pages(site):
        p = _read(path)
        remote += [(str(path.relative_to(site)), tag, url) for tag, url in p.resources if REMOTE.match(url)]
        remote += [(str(path.relative_to(site)), "style", m.group(0)) for s in p.styles for m in CSS_REMOTE.finditer(s)]
    for css in site.rglob("*.css"):
        remote += [(str(css.relative_to(site)), "css", m.group(0)) for m in CSS_REMOTE.finditer(css.read_text())]
    assert not remote, f"remote resources: {remote[:10]}"


def _target(site: Path, page_path: Path, url: str) -> tuple[Path, str] | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
        return None
    base = page_path.parent.relative_to(site).as_posix()
    path = unquote(parts.path)
    if path.startswith("/"):  # 404.html links from the site's root
        base, path = "", path.lstrip("/")
    target = page_path if not path else site / posixpath.normpath(posixpath.join(base, path) or ".")
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def test_every_internal_link_and_anchor_resolves(site):
    broken = []
    for path in pages(site):
        p = _read(path)
        for url in p.links + [u for _, u in p.resources]:
            resolved = _target(site, path, url)
            if resolved is None:
                continue
            target, fragment = resolved
            where = f"{path.relative_to(site)} -> {url}"
            if not target.is_file():
                broken.append(where)
            elif fragment and target.suffix == ".html" and fragment not in _read(target).ids:
                broken.append(where + " (no such anchor)")
    assert not broken, f"{len(broken)} broken links, e.g. {broken[:10]}"


def test_every_notebook_page_shows_its_plots_and_no_error(site):
    for nb in sorted((ROOT / "docs" / "notebooks").glob("*.py")):
        html = (site / "notebooks" / nb.stem / "index.html").read_text(encoding="utf-8")
        images = [src for src in parse(html).images if src.startswith("data:image/png;base64,")]
        assert images, f"{nb.name}: no plot"
        assert "Traceback" not in html and "jp-OutputArea-error" not in html, f"{nb.name} shows an error"
