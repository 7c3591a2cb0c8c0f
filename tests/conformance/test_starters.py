"""The starters of examples/starters/ over wire protocol v1, judged by the whole specification (subprocesses).

- each starter earns exactly the claims and rules that reference_nn earns when it is judged like any
  other implementation (a re-exporting adapter, served over the wire);
- a broken copy of each (the sigmoid derivative with the wrong sign; the softmax without the row
  maximum subtracted) fails exactly the rules it breaks;
- the vectors (``python -m nnspec.vectors``) validate against their schemas, their ids are the hash of
  their inputs, and the JavaScript starter's verdict per rule under ``node --test`` is the harness's,
  for the starter and for its broken copies.

Compiled starters are built into tmp_path, never into the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from nnspec import content
from nnspec.rules import load_rules
from nnspec.vectors import input_hash

pytestmark = pytest.mark.conformance

ROOT = content.ROOT
STARTERS = ROOT / "examples" / "starters"
SCHEMAS = ROOT / "nnspec" / "schemas"
JS = STARTERS / "javascript" / "nn.js"

#: (name, file, old text, new text, the rules it breaks); each edit must match its file exactly once
BREAKAGES = {
    "javascript": [
        (
            "sigmoid-derivative-sign",
            "nn.js",
            "return Math.min(e / ((1 + e) * (1 + e)), 0.25);",
            "return -Math.min(e / ((1 + e) * (1 + e)), 0.25);",
            {"R10", "R31", "R32", "R34"},  # the derivative itself, and dense_backward through a sigmoid
        ),
        (
            "softmax-without-max",
            "nn.js",
            "Math.exp(z.data[r * n + j] - max)",
            "Math.exp(z.data[r * n + j])",
            {"R06"},  # e^1000 overflows: inf / inf; the moderate inputs of R20, R21, R33 keep their values
        ),
    ],
    "c": [
        (
            "sigmoid-derivative-sign",
            "nn.c",
            "return g < 0.25 ? g : 0.25;",
            "return -(g < 0.25 ? g : 0.25);",
            {"R10", "R31", "R32", "R34"},
        ),
        ("softmax-without-max", "nn.c", "exp(row[j] - max)", "exp(row[j])", {"R06"}),
    ],
    "rust": [
        (
            "sigmoid-derivative-sign",
            "src/main.rs",
            "(e / ((1.0 + e) * (1.0 + e))).min(0.25)",
            "-(e / ((1.0 + e) * (1.0 + e))).min(0.25)",
            {"R10", "R31", "R32", "R34"},
        ),
        ("softmax-without-max", "src/main.rs", "(row[j] - max).exp()", "row[j].exp()", {"R06"}),
    ],
}


def copy_starter(language: str, folder: Path, breakage=None) -> Path:
    """The starter's folder copied to ``folder`` (with one breakage applied); returns the copy."""
    target = folder / language
    shutil.copytree(STARTERS / language, target, ignore=shutil.ignore_patterns("target", "node_modules"))
    if breakage:
        _, file, old, new, _ = breakage
        text = (target / file).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"the breakage's text appears {text.count(old)} times in {file}"
        (target / file).write_text(text.replace(old, new), encoding="utf-8")
    return target


def build(language: str, folder: Path) -> str:
    """The --impl command of the starter in ``folder`` (compiled there when it needs compiling)."""
    if language == "javascript":
        if not shutil.which("node"):
            pytest.skip("node is not installed")
        return f"cmd:node {folder / 'nn.js'}"
    if language == "c":
        if not shutil.which("gcc"):
            pytest.skip("gcc is not installed")
        binary = folder / "nn"
        subprocess.run(["gcc", "-O2", "-std=c99", "-Wall", "-Werror", "-o", binary, folder / "nn.c", "-lm"], check=True)
        return f"cmd:{binary}"
    if not shutil.which("cargo"):
        pytest.skip("cargo is not installed")
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--offline", "--manifest-path", folder / "Cargo.toml"],
        check=True,
        env={**os.environ, "CARGO_TARGET_DIR": str(folder / "target")},
    )
    return f"cmd:{folder / 'target' / 'release' / 'nn'}"


def judge(impl: str, report: Path) -> dict:
    """The conformance report of the whole specification run on ``impl``."""
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0", str(content.SPEC)]
    done = subprocess.run(
        [*argv, f"--impl={impl}", f"--conformance-report={report}"], cwd=ROOT, capture_output=True, text=True
    )
    assert report.exists(), f"no report (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}"
    return json.loads(report.read_text(encoding="utf-8"))


def outcomes(report: dict) -> dict[str, str]:
    return {
        **{k: v["outcome"] for k, v in report["claims"].items()},
        **{k: v["outcome"] for k, v in report["rules"].items()},
    }


def earned(report: dict) -> set[str]:
    return {k for k, outcome in outcomes(report).items() if outcome == "passed"}


_runs: dict[tuple, dict] = {}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """run(language, breakage or None) -> the conformance report of that starter (each built and judged once)."""

    def run(language, breakage=None):
        key = (language, breakage[0] if breakage else None)
        if key not in _runs:
            folder = tmp_path_factory.mktemp(f"{language}-{key[1] or 'starter'}")
            impl = build(language, copy_starter(language, folder, breakage))
            _runs[key] = judge(impl, folder / "report.json")
        return _runs[key]

    return run


@pytest.fixture(scope="module")
def reference_report(tmp_path_factory):
    """What reference_nn earns judged like any implementation: an adapter re-exporting it (not the module itself)."""
    folder = tmp_path_factory.mktemp("reference")
    adapter = folder / "reference_reexported.py"
    adapter.write_text(
        "from reference_nn.adapter import *  # noqa: F403\nfrom reference_nn.adapter import NAME, VERSION\n"
    )
    return judge(str(adapter), folder / "report.json")


@pytest.mark.parametrize("language", ["javascript", "c", "rust"])
def test_each_starter_earns_what_the_reference_earns(run, reference_report, language):
    report = run(language)
    assert report["implementation_info"]["language"] == language
    assert report["implementation_info"]["mode"].startswith("wire")
    got, want = earned(report), earned(reference_report)
    assert len(want) > 100 and len(report["rules"]) == len(load_rules())
    assert got == want, f"missing {sorted(want - got)[:10]}; more than the reference: {sorted(got - want)[:10]}"


@pytest.mark.parametrize(
    "language,breakage",
    [pytest.param(lang, b, id=f"{lang}-{b[0]}") for lang, items in BREAKAGES.items() for b in items],
)
def test_a_broken_copy_fails_exactly_the_rules_it_breaks(run, language, breakage):
    report = run(language, breakage)
    failing = {rid for rid, entry in report["rules"].items() if entry["outcome"] != "passed"}
    assert failing == breakage[4], {rid: report["rules"][rid]["reason"][:200] for rid in failing ^ breakage[4]}


# ---- vectors ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vectors(tmp_path_factory):
    """(folder, vectors by id, harness-only) as ``python -m nnspec.vectors --out`` writes them."""
    out = tmp_path_factory.mktemp("vectors")
    subprocess.run(
        [sys.executable, "-m", "nnspec.vectors", "--out", str(out)], cwd=ROOT, check=True, capture_output=True
    )
    by_id = {}
    for file in sorted(out.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            v = json.loads(line)
            assert v["id"] not in by_id
            by_id[v["id"]] = v
    return out, by_id, json.loads((out / "harness-only.json").read_text(encoding="utf-8"))


def test_vectors_follow_their_schemas_and_ids_are_the_hash_of_the_inputs(vectors):
    out, by_id, harness_only = vectors
    line_schema = json.loads((SCHEMAS / "vectors-v1.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(harness_only, json.loads((SCHEMAS / "vectors-harness-only.schema.json").read_text()))
    for vid, v in by_id.items():
        jsonschema.validate(v, line_schema)
        group, rule, digest = vid.split("/")
        assert digest == input_hash(v["fn"], v["args"], v["kwargs"]), vid
        assert (out / f"{group}.jsonl").exists()
        assert v["decides"]["rules"] == ([] if rule == "-" else [rule])
    decided = {r for v in by_id.values() for r in v["decides"]["rules"]}
    # every rule is either decided by vectors or listed as harness-only, never both
    assert decided | {r["id"] for r in harness_only["rules"]} == set(load_rules())
    assert not decided & {r["id"] for r in harness_only["rules"]}


def test_every_claim_the_reference_earns_is_harness_only_with_a_reason(vectors, reference_report):
    _, by_id, harness_only = vectors
    listed = {c["id"]: c["why"] for c in harness_only["claims"]}
    assert set(listed) == {c for c in earned(reference_report) if c not in load_rules()}
    informed = {c for v in by_id.values() for c in v.get("informs", {}).get("claims", [])}
    assert informed and informed <= set(listed)


def node_verdicts(vectors_dir: Path, nn_js: Path) -> dict[str, bool]:
    """Per vector id: whether ``node --test`` on vectors.test.js passed it (TAP: "ok N - id" / "not ok N - id")."""
    if not shutil.which("node"):
        pytest.skip("node is not installed")
    done = subprocess.run(
        ["node", "--test", "--test-reporter=tap", str(STARTERS / "javascript" / "vectors.test.js")],
        env={"PATH": os.environ["PATH"], "VECTORS": str(vectors_dir), "NN_JS": str(nn_js)},
        capture_output=True,
        text=True,
    )
    verdicts = {}
    for line in done.stdout.splitlines():
        if m := re.match(r"^(not ok|ok) \d+ - (\S+)( # TODO.*)?$", line):
            verdicts[m.group(2)] = m.group(1) == "ok"
    assert verdicts, done.stdout[-2000:] + done.stderr[-2000:]
    return verdicts


@pytest.mark.parametrize("breakage", [None, *BREAKAGES["javascript"]], ids=lambda b: b[0] if b else "starter")
def test_the_js_verdicts_on_the_vectors_are_the_harness_verdicts(run, vectors, tmp_path, breakage):
    out, by_id, _ = vectors
    verdicts = node_verdicts(out, copy_starter("javascript", tmp_path, breakage) / "nn.js")
    assert set(verdicts) == set(by_id)
    by_rule: dict[str, bool] = {}
    for vid, ok in verdicts.items():
        for rid in by_id[vid]["decides"]["rules"]:
            by_rule[rid] = by_rule.get(rid, True) and ok
    harness = outcomes(run("javascript", breakage))
    disagree = {rid: (ok, harness[rid]) for rid, ok in by_rule.items() if ok != (harness[rid] == "passed")}
    assert not disagree, f"vector verdict vs harness outcome: {disagree}"
    if breakage is None:
        assert all(verdicts.values()), [vid for vid, ok in verdicts.items() if not ok][:5]
    else:
        assert {rid for rid, ok in by_rule.items() if not ok} == breakage[4]
