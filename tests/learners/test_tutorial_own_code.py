"""Fair: the five tutorials' own programs, through the learner check, are WRONG exactly where the tutorial's
code is wrong.

"Where the tutorial's code is wrong" is the list of the mistakes of the tutorials' own code
(examples/tutorial_verbatim.known-failures), restricted to the claims the learner check runs on that
chapter's shape, with the differences below, each for a stated reason. The tutorial's own program is
run exactly as a learner's (nnspec.shapes.own_code through nnspec.classroom.baseline).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnspec import content
from nnspec.classroom import cell

pytestmark = pytest.mark.conformance  # five checks in subprocesses: `pytest -m conformance tests/learners`

ROOT = Path(__file__).resolve().parents[2]

#: listed failures of the adapter that the tutorial's *program* does not make, through its own shape
NOT_THE_PROGRAMS = {
    # the adapter reads 000's and 001's printed MSE as the loss their update descends (the text's claim);
    # the programs themselves only step, and their steps are right (nnspec.mistakes decides these)
    "000.first-update-is-gradient-descent-on-half-sse": "mse_train is the text's reading, not the code",
    "001.backpropagation-uses-loss": "mse_train is the text's reading, not the code",
    "001.update-descends-half-sse": "mse_train is the text's reading, not the code",
    # 003's sign of the sigmoid's derivative, used by the adapter for every tutorial; 004's own is right
    "004.sigmoid-derivative-of-output": "another tutorial's formula",
    # the sigmoid's exp overflowing at -1000 with a right value: a note, not a WRONG (protocol strictness)
    "001.sigmoid-definition": "note",
    "003.line-classes": "note",
    "003.sigmoid-bounded": "note",
    "004.universal-approximators": "note",
}
#: failures of the program that the adapter repairs, so its list does not carry them
ONLY_THE_PROGRAMS = {
    # 002's LinearLayer.backward applies its activation's backward to Z where the definition takes A; the
    # adapter applies it to A (see examples/tutorial_verbatim.py)
    "002.da-prev-equation": "backward applied to Z",
    # the query divided by its own maximum: the program's data, which no protocol function sees; the registry
    # files the line's mistake under 001.query-scaled-by-own-maximum (reference-only), the advice it breaks holds
    "001.query-scaled-as-training": "query scaled by its own maximum",
}


def listed_failures() -> set[str]:
    out = set()
    for line in content.VERBATIM_KNOWN_FAILURES.read_text(encoding="utf-8").splitlines():
        text = line.partition("#")[0].strip()
        if text:
            out.add(text.split()[0])
    return out


@pytest.fixture(scope="module")
def baselines(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("own_code")
    out = {}
    for chapter in ("000", "001", "002", "003", "004"):
        path = tmp / f"{chapter}.json"
        command = [sys.executable, "-m", "nnspec.classroom", "baseline", chapter, str(path)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=dict(os.environ))
        assert done.returncode == 0, done.stderr[-2000:]
        out[chapter] = json.loads(path.read_text(encoding="utf-8"))
    return out


@pytest.mark.parametrize("chapter", ["000", "001", "002", "003", "004"])
def test_the_tutorials_own_program_is_wrong_exactly_where_its_code_is(baselines, chapter):
    claims = baselines[chapter]
    checked = {cid for cid, e in claims.items() if cell(e, None)[0] != "not-checked"}
    wrong = {cid for cid, e in claims.items() if cell(e, None)[0] == "wrong"}
    expected = ({cid for cid in listed_failures() if cid in checked} - set(NOT_THE_PROGRAMS)) | {
        cid for cid in ONLY_THE_PROGRAMS if cid.startswith(chapter)
    }
    assert wrong == expected, {cid: claims[cid]["reason"][:200] for cid in wrong ^ expected}
    for cid, why in NOT_THE_PROGRAMS.items():
        if cid.startswith(chapter) and why == "note":
            assert cell(claims[cid], None) == ("right", f"note (not graded): {claims[cid]['reason']}")
