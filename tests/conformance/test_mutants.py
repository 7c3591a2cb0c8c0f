"""Teeth: the specification rejects every deliberate bug in tests/conformance/mutants.py, and each
rejection names the protocol rule the bug breaks.

Each mutant is a copy of reference_nn with one small bug, declaring the rules it breaks. The
unmutated copy runs the specification first and must pass (so a rejection is the bug's doing, not
the harness's); its test durations then order the mutants' runs. Each mutant's run puts the rule
tests first, runs all of them, and stops after them if one failed (``--rules-first`` in
tests/conformance/order.py); it must fail, and its conformance report must fail every rule the
mutant declares, with a reason that starts with the rule's id. Two runs at a time. The results
are recorded by tests/conformance/teeth.py for the site's Teeth page.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from nnspec.rules import load_rules
from tests.conformance import teeth
from tests.conformance.mutants import MUTANTS, build
from tests.conformance.suite import SPEC, run_copy

ORDER = ("-p", "tests.conformance.order", "-n", "0")  # serial runs, two at a time
#: outcomes of a rule or claim that reject an implementation
REJECTING = ("failed", "crashed", "timed out", "errored", "xpassed")
#: a rejected mutant's run: failed, or stopped by --rules-first after its failing rule tests (pytest says interrupted)
STOPPED = (pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.INTERRUPTED)


def test_there_are_at_least_60_distinct_mutants_each_applies_and_every_rule_has_one(tmp_path):
    assert len(MUTANTS) >= 60
    assert len({m.name for m in MUTANTS}) == len({(m.file, m.old, m.new) for m in MUTANTS}) == len(MUTANTS)
    rules = load_rules()
    for mutant in MUTANTS:
        assert mutant.rules and set(mutant.rules) <= set(rules), f"{mutant.name}: unknown rules {mutant.rules}"
        build(mutant, tmp_path / mutant.name)  # raises unless its edit matches exactly once
    aimed = {m.rules[0] for m in MUTANTS}
    assert not set(rules) - aimed, f"rules no mutant is aimed at: {sorted(set(rules) - aimed)}"


def _run(mutant, folder, *args):
    build(mutant, folder)
    return run_copy(folder, *ORDER, *args)


def verdict(mutant, code, document) -> dict:
    """What the run did to the mutant: rejected?, the failing rules with their reasons, what is missing."""
    rules = (document or {}).get("rules", {})
    failing = {rid: entry["reason"] for rid, entry in rules.items() if entry["outcome"] in REJECTING}
    missing = [rid for rid in mutant.rules if rid not in failing]
    unnamed = [rid for rid in mutant.rules if rid in failing and not failing[rid].startswith(rid + " ")]
    return {
        "name": mutant.name,
        "bug": mutant.bug,
        "rules": list(mutant.rules),
        "rejected": code in STOPPED and bool(failing),
        "failing_rules": failing,
        "missing": missing,
        "unnamed": unnamed,
    }


@pytest.mark.mutants
def test_the_suite_rejects_every_mutant_by_its_rule(tmp_path):
    start = time.perf_counter()
    durations = tmp_path / "durations.json"
    code, out, _, _ = _run(None, tmp_path / "unmutated", "-q", "--record-durations", durations, SPEC)
    assert code == pytest.ExitCode.OK, f"the unmutated copy must pass:\n{out[-3000:]}"

    def run(mutant):
        return _run(mutant, tmp_path / mutant.name, "-q", "-rf", "--rules-first", "--fastest-first", durations, SPEC)

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(zip(MUTANTS, pool.map(run, MUTANTS)))
    results, problems = [], []
    for mutant, (code, out, seconds, document) in runs.items():
        result = verdict(mutant, code, document) | {"seconds": round(seconds, 1)}
        results.append(result)
        if code not in (pytest.ExitCode.OK, *STOPPED) or document is None:
            problems.append(f"{mutant.name}: the run did not get to the tests (exit {code}):\n{out[-2000:]}")
        elif not result["rejected"]:
            problems.append(f"{mutant.name} survives ({mutant.bug})")
        elif result["missing"] or result["unnamed"]:
            problems.append(
                f"{mutant.name}: rules it breaks that its report does not fail: {result['missing']}, or fails "
                f"with a reason not naming them: {result['unnamed']}; failing: {sorted(result['failing_rules'])}"
            )
    teeth.record("mutants", results, time.perf_counter() - start)
    assert not problems, "\n".join(problems)
