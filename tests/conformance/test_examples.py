"""The shipped example adapters (examples/), run through the whole specification.

tutorial_verbatim (the tutorials' code as printed) must fail exactly the claims listed in
examples/tutorial_verbatim.known-failures: that list is the record of which tutorial mistakes
the suite catches. The PyTorch adapter must pass every claim that is not reference-only.
"""

from __future__ import annotations

import pytest

from nnspec import reports
from nnspec.known_failures import read as read_known_failures
from nnspec.registry import load_claims
from tests.conformance.suite import ROOT, SPEC, report, run_suite

pytestmark = pytest.mark.conformance
EXAMPLES = ROOT / "examples"
KNOWN = EXAMPLES / "tutorial_verbatim.known-failures"


def test_tutorial_verbatim_fails_exactly_its_listed_claims_and_rules(tmp_path):
    text = KNOWN.read_text(encoding="utf-8")
    lines = [line.split()[0] for line in text.splitlines() if line.split() and not line.lstrip().startswith("#")]
    listed = read_known_failures(KNOWN)
    assert len(lines) == len(listed), "an id is listed twice"
    base = tmp_path / "tutorial_verbatim"
    code, out = run_suite(
        str(EXAMPLES / "tutorial_verbatim.py"),
        *("-n", "2", "-q", "--known-failures", KNOWN, "--conformance-report", base, SPEC),
    )
    doc = report(base)
    reports.validate(doc, "conformance-report")
    entries = {**doc["claims"], **doc["rules"]}
    failing = {key for key, entry in entries.items() if entry["outcome"] in ("failed", "xfailed")}
    unlisted = sorted(failing - set(listed))
    passing = sorted(set(listed) - failing)
    regenerate = "(regenerate the list with: python -m tests.conformance.verbatim_list --write)"
    assert not unlisted, f"tutorial_verbatim fails claims not listed in {KNOWN.name}: {unlisted} {regenerate}"
    assert not passing, f"listed in {KNOWN.name} but not failing: {passing} {regenerate}"
    assert code == 0, out[-3000:]


def test_the_torch_adapter_passes_every_claim_that_is_not_reference_only(tmp_path):
    pytest.importorskip("torch", reason="torch is not installed (pip install torch==2.13.0, the CPU wheel)")
    base = tmp_path / "torch"
    code, out = run_suite(str(EXAMPLES / "torch_adapter.py"), *("-n", "2", "-q", "--conformance-report", base, SPEC))
    doc = report(base)
    reports.validate(doc, "conformance-report")
    claims = doc["claims"]
    registry = load_claims()
    allowed = {"passed", "not about the implementation", "reference-only"}
    wrong = {cid: e for cid, e in claims.items() if e["outcome"] not in allowed}
    assert not wrong, f"claims the torch adapter does not pass: {wrong}"
    for cid, entry in claims.items():
        assert (entry["outcome"] == "reference-only") == registry[cid].reference_only, (cid, entry)
    assert sum(e["outcome"] == "passed" for e in claims.values()) > 150
    assert code == 0, out[-3000:]
