"""Teeth: the specification rejects every deliberate bug in tests/conformance/mutants.py.

Each mutant is a copy of reference_nn with one small bug. The unmutated copy runs the suite
first and must pass (so a rejection is the bug's doing, not the harness's); its test durations
then order the mutants' runs fastest first, and each mutant's run (``-x``: stop at the first
failing test) must fail. Two runs at a time. Deselect with ``-m "not mutants"``.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conformance.mutants import MUTANTS, PACKAGE, build
from tests.conformance.suite import SPEC, run_suite

ORDER = ("-p", "tests.conformance.order", "-n", "0")  # serial: -x under xdist ends as "interrupted"


def test_there_are_at_least_20_distinct_mutants_and_each_applies(tmp_path):
    assert len(MUTANTS) >= 20
    assert len({m.name for m in MUTANTS}) == len({(m.file, m.old) for m in MUTANTS}) == len(MUTANTS)
    for mutant in MUTANTS:
        build(mutant, tmp_path / mutant.name)  # raises unless its edit matches exactly once


def _run(mutant, folder, *args):
    build(mutant, folder)
    start = time.perf_counter()
    code, out = run_suite(f"{PACKAGE}.adapter", "--basetemp", folder / "tmp", *ORDER, *args, pythonpath=folder)
    return code, out, time.perf_counter() - start


@pytest.mark.mutants
def test_the_suite_rejects_every_mutant(tmp_path):
    durations = tmp_path / "durations.json"
    code, out, control_time = _run(None, tmp_path / "unmutated", "-q", "--record-durations", durations, SPEC)
    assert code == pytest.ExitCode.OK, f"the unmutated copy must pass:\n{out[-3000:]}"

    def run(mutant):
        return _run(mutant, tmp_path / mutant.name, "-x", "-q", "-rf", "--fastest-first", durations, SPEC)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(MUTANTS, pool.map(run, MUTANTS)))
    survivors, broken, lines = [], [], []
    for mutant, (code, out, seconds) in results.items():
        killer = re.search(r"^FAILED (tests/spec/\S+)", out, re.M)
        lines.append(f"{mutant.name:<40} {seconds:5.1f}s  {killer.group(1) if killer else out[-300:]}")
        if code == pytest.ExitCode.OK:
            survivors.append(f"{mutant.name} ({mutant.bug})")
        elif code != pytest.ExitCode.TESTS_FAILED or not killer:
            broken.append(f"{mutant.name}: exit {code}\n{out[-2000:]}")
    summary = "\n".join([f"control {control_time:.1f}s", *lines])
    print(summary)
    assert not broken, "runs that did not get to the tests:\n" + "\n".join(broken)
    assert not survivors, "mutants the suite does not reject:\n  " + "\n  ".join(survivors) + "\n" + summary
