"""The Teeth page shows the last recorded mutation and variant results (tests/conformance/teeth_results.*)."""

from __future__ import annotations

import json
from html import unescape

import pytest

from tests.conformance.mutants import MUTANTS
from tests.conformance.teeth import RESULTS_JSON
from tests.conformance.variants import VARIANTS

pytestmark = pytest.mark.site


def test_the_teeth_page_shows_every_mutant_and_variant_with_its_outcome(site):
    html = unescape((site / "teeth" / "index.html").read_text(encoding="utf-8"))
    assert "--8<--" not in html, "the results file was not included"
    results = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    recorded = {row["name"] for row in results["mutants"]["rows"]} | {
        row["name"] for row in results["variants"]["rows"]
    }
    assert recorded == {m.name for m in MUTANTS} | {v.name for v in VARIANTS}, "results out of date: rerun the mutants"
    for name in sorted(recorded):
        assert name in html, name
    assert "2e-11" in html and "error_analysis.py" in html  # the false failure's tolerance and its derivation
