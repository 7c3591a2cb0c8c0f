"""No false alarms: every legitimate variant in tests/conformance/variants.py passes the specification.

A variant computes the protocol another valid way, so in validation mode no claim and no rule may
come out failed, crashed, timed out or xpassed (skipped, reference-only, not implemented and "not
about the implementation" are fine). Two runs at a time; the outcomes are recorded beside the
mutants' by tests/conformance/teeth.py for the site's Teeth page.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conformance import teeth
from tests.conformance.suite import SPEC, run_copy
from tests.conformance.test_mutants import REJECTING
from tests.conformance.variants import VARIANTS, build


def test_there_are_at_least_12_distinct_variants_and_each_applies(tmp_path):
    assert len(VARIANTS) >= 12
    assert len({v.name for v in VARIANTS}) == len({v.edits for v in VARIANTS}) == len(VARIANTS)
    for variant in VARIANTS:
        build(variant, tmp_path / variant.name)  # raises unless each edit matches exactly once


def _run(variant, folder):
    build(variant, folder)
    code, out, seconds, document = run_copy(folder, "-q", "-rf", SPEC)
    document = document or {}
    alarms = {
        f"{kind[:-1]} {key}": f"{entry['outcome']}: {entry['reason']}"
        for kind in ("claims", "rules")
        for key, entry in document.get(kind, {}).items()
        if entry["outcome"] in REJECTING
    }
    outcomes = {}
    for kind in ("claims", "rules"):
        for entry in document.get(kind, {}).values():
            outcomes[entry["outcome"]] = outcomes.get(entry["outcome"], 0) + 1
    return {
        "name": variant.name,
        "how": variant.how,
        "exit": int(code),
        "alarms": alarms,
        "outcomes": outcomes,
        "seconds": round(seconds, 1),
    }, out


@pytest.mark.mutants
def test_every_legitimate_variant_passes(tmp_path):
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda v: _run(v, tmp_path / v.name), VARIANTS))
    teeth.record("variants", [result for result, _ in runs], time.perf_counter() - start)
    false_alarms = [
        f"{result['name']} ({result['how']}): exit {result['exit']}; {result['alarms'] or out[-1500:]}"
        for result, out in runs
        if result["exit"] != pytest.ExitCode.OK or result["alarms"] or not result["outcomes"]
    ]
    assert not false_alarms, "legitimate variants the specification fails:\n" + "\n".join(false_alarms)
