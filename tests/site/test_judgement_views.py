"""A claim card's judgement (docs/sitegen/judgement_views.py): badges, the history, the dispute link, all escaped."""

from __future__ import annotations

import dataclasses

from docs.sitegen import judgement_views
from nnspec.judgement import Change
from nnspec.registry import load_claims


def test_a_changed_verdict_shows_its_history_severity_certainty_and_the_dispute_link():
    claim = load_claims()["001.weights-between-0-and-1"]
    text = "\n".join(judgement_views.section("tutorials/001.md", claim))
    assert "Refuted → Qualified" in text or "refuted → qualified" in text.lower()
    assert "(../rubric.md#dispute-a-verdict)" in text and "`001.weights-between-0-and-1`" in text
    chips = " ".join(judgement_views.badges(claim))
    assert "severity-misleading" in chips and "certainty: medium" in chips


def test_registry_text_on_the_card_is_escaped():
    claim = load_claims()["004.converged"]
    hostile = dataclasses.replace(
        claim,
        certainty="low",
        certainty_why='<script>alert(1)</script> "quoted"',
        history=(Change("2026-12-04", "qualified", "holds", "<img src=x onerror=alert(1)> as a reason"),),
    )
    html = " ".join(judgement_views.badges(hostile)) + "\n".join(judgement_views.section("tutorials/004.md", hostile))
    assert "<script>" not in html and "<img" not in html
    assert "&#60;script&#62;" in html or "&lt;script&gt;" in html


def test_a_kept_verdict_says_so():
    claim = load_claims()["000.digits-network-learns-the-digits"]
    text = "\n".join(judgement_views.section("tutorials/000.md", claim))
    assert "re-judged, kept" in text
