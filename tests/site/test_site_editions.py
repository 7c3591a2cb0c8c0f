"""The corrected editions in the built site: a page per tutorial, each change a diff that links the claims
it fixes to their place on the chapters, and nothing left as raw TeX or Markdown."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from nnspec.registry import load_claims
from reference_nn.tutorials import corrected
from tests.site.html_scan import RAW_TEX, parse

pytestmark = pytest.mark.site
EDITIONS = sorted(p.stem.removeprefix("seed") for p in Path(corrected.__file__).parent.glob("seed*.py"))
SECTION = re.compile(r"(?=<h2 )")
CLAIM_HREF = re.compile(r'href="\.\./\.\./tutorials/(\d{3})/#([^"]+)"')
# Markdown that did not render: emphasis marks, code ticks, link or attribute syntax, fences, double escapes
MARKUP = re.compile(r"\*\*|`|\]\(|\{#|&#\d+;|&[a-z]+;")


def _html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _changes(html: str) -> list[str]:
    """Each change's part of an edition page, from its heading to the next section's."""
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    return [part for part in SECTION.split(article) if part.startswith('<h2 id="change-')]


def test_the_five_editions_exist():
    assert EDITIONS == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("tutorial", EDITIONS)
def test_every_change_is_a_diff_that_links_claims_the_chapter_has(site, tutorial):
    claims = load_claims()
    html = _html(site, f"editions/{tutorial}")
    changes = _changes(html)
    assert changes, f"editions/{tutorial}: no change"
    chapter_ids = {}
    for n, part in enumerate(changes, 1):
        code = re.search(r'<div class="(?:language-diff )?highlight">.*?</code></pre></div>', part, re.DOTALL)
        assert code, f"editions/{tutorial} change {n}: no diff block"
        lines = unescape(re.sub(r"<[^>]+>", "", code.group(0))).splitlines()
        assert any(line[:1] in "+-" for line in lines), f"editions/{tutorial} change {n}: nothing added or removed"
        after = part[code.end() :]
        assert "<strong>Fixes:</strong>" in after or "<strong>See:</strong>" in after, f"change {n}: no claim line"
        linked = CLAIM_HREF.findall(after)
        assert linked, f"editions/{tutorial} change {n}: links no claim"
        for chapter, claim_id in linked:
            assert claim_id in claims and claims[claim_id].tutorial == chapter, claim_id
            if chapter not in chapter_ids:
                chapter_ids[chapter] = parse(_html(site, f"tutorials/{chapter}")).ids
            assert claim_id in chapter_ids[chapter], f"tutorials/{chapter} has no anchor {claim_id}"
            assert claim_id in "\n".join(lines), f"the diff of change {n} does not name {claim_id}"


@pytest.mark.parametrize("tutorial", EDITIONS)
def test_no_raw_tex_or_markdown_is_left_in_the_prose(site, tutorial):
    article = _html(site, f"editions/{tutorial}").split("<article", 1)[1].split("</article>", 1)[0]
    body = unescape("".join(parse("<article" + article).text))
    assert not RAW_TEX.search(body), RAW_TEX.search(body)
    leaked = MARKUP.search(body)
    assert not leaked, f"editions/{tutorial}: {body[max(0, leaked.start() - 60) : leaked.end() + 60]!r}"


def test_the_navigation_lists_the_editions(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    for tutorial in EDITIONS:
        assert f'href="editions/{tutorial}/"' in home, tutorial


def _edition(monkeypatch, tmp_path, printed: str, corrected: str):
    """The changes of a made-up edition: ``printed`` as the transcription, ``corrected`` as its edition."""
    from docs.sitegen import editions

    (tmp_path / "corrected").mkdir(exist_ok=True)
    (tmp_path / "seed000.py").write_text(printed, encoding="utf-8")
    (tmp_path / "corrected" / "seed000.py").write_text(corrected, encoding="utf-8")
    monkeypatch.setattr(editions, "PRINTED_DIR", tmp_path)
    monkeypatch.setattr(editions, "CORRECTED_DIR", tmp_path / "corrected")
    return editions.changes("000", load_claims())


def test_a_change_must_name_a_claim_the_registry_has(monkeypatch, tmp_path):
    printed = '"""Printed."""\n\nimport numpy as np\n\nX = 1\nHELPER = 0\n'
    with pytest.raises(ValueError, match="names no claim"):
        _edition(monkeypatch, tmp_path, printed, '"""Edition."""\n\nimport numpy as np\n\nX = 2\n')
    with pytest.raises(ValueError, match="registry lacks"):
        _edition(monkeypatch, tmp_path, printed, '"""Edition."""\n\nimport numpy as np\n\nX = 2  # 000.no-such-claim\n')
    corrected = '"""Edition."""\n\nimport numpy as np\n\nX = 2  # 000.python2-print-example: why\n'
    _, (change,) = _edition(monkeypatch, tmp_path, printed, corrected)  # HELPER is not in the edition: not shown
    assert change.claims == ["000.python2-print-example"] and change.where == ["X"]
    assert change.lines == [" import numpy as np", " ", "-X = 1", "+X = 2  # 000.python2-print-example: why"]
    assert change.printed == [3, 4, 5] and change.corrected == [3, 4, 5]


def test_002_shows_each_printed_block_with_the_claims_that_quote_it(site):
    from reference_nn.tutorials import seed002

    html = _html(site, "editions/002")
    blocks = html.split('<h2 id="printed-blocks"', 1)[1].split("</article>", 1)[0]
    assert blocks.count("<details") == len(seed002.SNIPPETS)
    for name in seed002.SNIPPETS:
        assert f"<summary>{name}</summary>" in unescape(blocks), name
    quoted = {claim_id for _, claim_id in CLAIM_HREF.findall(blocks)}
    assert {"002.linear-layer-snippet-syntax-error", "002.relu-code", "002.softmax-code", "002.fit-code"} <= quoted
