"""The specification's vectors as data: ``python -m nnspec.vectors --out DIR``.

Every call the specification makes that can be judged as "these inputs -> this output within this
tolerance" becomes one line of a JSON-lines file ``DIR/<claim or rule id>.jsonl``::

    {"id": "R11/R11/55f4b05f57fa", "fn": "sigmoid_grad_from_output", "args": [{"shape": [11], "data": [...]}],
     "kwargs": {}, "expected": {"shape": [11], "data": [...]},
     "compare": {"kind": "allclose", "rtol": 1e-12, "atol": 1e-15, "source": "..."},
     "decides": {"claims": [], "rules": ["R11"]}}

How they are made: the specification runs on reference_nn through :mod:`nnspec.vector_recorder`, an
adapter that records each call's inputs and reference_nn's answer with the test that made it; the
conformance report of that run says which claims the implementation earned and which functions their
tests called. Values are in wire format (protocol v1: a float64 array is ``{"shape", "data"}`` with
"nan", "inf", "-inf" for non-finite entries; floats in shortest round-trip form).

The id is ``<claim or rule id>/<rule id or ->/<12 hex of the sha256 of the canonical inputs>``, the
canonical inputs being ``{"fn", "args", "kwargs"}`` in wire format as JSON with sorted keys and no spaces.
It is stable: it changes only when the inputs of the call change; a call made twice under one claim or
rule is one vector. (docs/implement_any_language.md, "Vectors".)

Comparisons (``compare.kind``), applied to every number of the answer, which must have the structure
of ``expected`` (the same list lengths, None where it has None, arrays of its shapes):

- ``allclose``: |actual - expected| <= atol + rtol |expected|, NaN never close;
- ``exact``: equal numbers (0 and -0 are equal);
- ``shape``: the structure and shapes only (rules R05, R41);
- ``finite``: the structure and shapes, and every number finite (rule R06).

Tolerances (:func:`compare_for`): the precision the rules state (:mod:`nnspec.rules`): 1e-12 relative
plus a few ulps of the result's scale, the scale written out per function as the rule tests write it
(1 for the activations; |p| + |y| for a loss gradient; |x| |W| + |b| for a matrix product, through
which summation order may move a result); a rule that its test checks exactly is exact; training
(R30, R36, R37) and predict (R30, R35) take the rule tests' own 1e-10 and 1e-11.

What a vector decides: a rule of tests/spec/rules.yaml. The rule tests compare each answer with the
formula's value (nnspec.oracle), so "this answer within this tolerance" is what they judge. A claim's
tests judge properties of the answers instead (bounds, signs, relations between answers, printed
digits): an implementation whose sigmoid is sigma(-z) keeps 24 claims the harness passes while
differing from the reference on their calls. So a claim's calls are vectors that *inform* it
(``"informs": {"claims": [...]}``, ``"decides": {"claims": [], "rules": []}``): failing one says where an
implementation differs from reference_nn, not that the claim fails; the claim itself is harness-only.

Harness only (``DIR/harness-only.json``): the rules about the boundary (R01 NAME and VERSION, R02 and
R03 types, R04 inputs left unmodified), which no answer shows; the rules whose tests relate the
implementation's answers to each other (R38-R40); every claim, with why: its tests train (golden
runs, statistics over seeds, at the tolerances of tests/golden) or judge properties of the answers;
and (``not_judged``) the claims no implementation but the reference is judged on.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from nnspec import content
from nnspec.rules import ATOL, RTOL

#: rules no answer can show: what the boundary checks (types, NAME/VERSION, unmodified inputs)
BOUNDARY_RULES = {
    "R01": "NAME and VERSION are what the implementation says of itself at start",
    "R02": "the type of an answer (a float64 array) is the harness's boundary check",
    "R03": "the type of an answer (a Python float) is the harness's boundary check",
    "R04": "inputs left unmodified are seen only by the caller",
}
#: rules whose tests relate the implementation's answers to each other (one step at rate lr against one at
#: rate 1; losses[i] against loss(predict(train(i))); train(1) then train(n - 1) against train(n)): an
#: implementation consistently wrong keeps them, so an expected answer cannot decide them
RELATIONAL_RULES = {
    "R38": "its test compares a step at rate lr with the implementation's own step at rate 1",
    "R39": "its test compares losses[i] with the implementation's own loss of its own weights after i updates",
    "R40": "its test compares train(n) with the implementation's own train(1) then train(n - 1)",
}
#: why no claim is decided by vectors (measured: with a sigmoid of -z, 24 claims the harness passes
#: differ from the reference's answers; see docs/implement_any_language.md)
CLAIMS_NEED_THE_HARNESS = (
    "its tests judge properties of the answers (bounds, signs, shapes, relations between answers, printed "
    "digits), which a different answer can keep: a vector informs it but cannot decide it"
)
SHAPE_RULES = {"R05", "R41"}
#: rules whose tests compare exactly (rtol 0, atol 0, or equality)
EXACT_RULES = {"R07", "R13", "R14", "R19"}
ELEMENTWISE = ("activation", "activation_grad", "sigmoid_grad_from_output", "softmax_jacobian")
TRAINING = "train"


# ---- wire format ---------------------------------------------------------------------------------


def to_wire(value):
    """A Python / NumPy value in wire format: exactly what the harness sends and receives (nnspec.wire)."""
    from nnspec.wire import protocol

    return protocol.encode(value)


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def input_hash(fn: str, args, kwargs) -> str:
    """12 hex of the sha256 of the canonical inputs (wire format, sorted keys, no spaces)."""
    return hashlib.sha256(canonical({"fn": fn, "args": args, "kwargs": kwargs}).encode()).hexdigest()[:12]


# ---- tolerances --------------------------------------------------------------------------------------


def _max_abs(*arrays) -> float:
    return max((float(np.max(np.abs(a))) for a in arrays if a is not None and np.size(a)), default=0.0)


def compare_for(rule: str | None, fn: str, args: tuple, kwargs: dict) -> dict:
    """The comparison of one call's answer with the reference's: kind, rtol, atol and where they come from."""
    if rule in SHAPE_RULES:
        return {"kind": "shape", "source": f"{rule} checks the shapes of the answer only"}
    if rule == "R06":
        return {"kind": "finite", "source": "R06 checks that every entry is finite"}
    if (rule in EXACT_RULES and fn in ELEMENTWISE) or (fn == TRAINING and args[7] == 0):
        # (R19 through dense_backward compares products within the layer's tolerance, not exactly)
        return {"kind": "exact", "source": f"{rule or 'train'}: its test compares exactly"}
    if fn in ELEMENTWISE:
        atol = ATOL
        if rule == "R10":
            atol = ATOL / 4  # its test: e^-|z| / (1 + e^-|z|)^2 is accurate to a few ulps of 1/4
        if rule == "R12" and fn == "activation":
            atol = 0.0  # its test: a faithful tanh keeps its relative accuracy near 0
        return _allclose(RTOL, atol, "the rules' 1e-12 relative + 1e-15 of the scale 1 (nnspec.rules)")
    if fn == "loss":
        k = np.shape(args[1])[-1] if np.ndim(args[1]) else 1
        return _allclose(RTOL, 2e-15 * k, "R22-R26: 1e-12 relative + 2e-15 k (the clip moves each ln p by <= 1e-15)")
    if fn == "loss_grad":
        scale = _max_abs(np.abs(args[1]) + np.abs(args[2]))
        return _allclose(RTOL, ATOL * scale, "R22-R28: 1e-12 relative + 1e-15 of the scale |p| + |y|")
    if fn == "dense_forward":
        x, W, b = args[0], args[1], args[2]
        scale = _max_abs(np.abs(x) @ np.abs(W) + (0.0 if b is None else np.abs(b)))
        return _allclose(RTOL, 1e-12 * scale, "R29: 1e-12 of |x| |W| + |b| (summation order)")
    if fn == "dense_backward":
        x, W, g = np.asarray(args[0]), np.asarray(args[1]), np.asarray(args[4])
        # |dz| <= 2 |g| for the activations at their defaults (|f'| <= 1; softmax: s (g - s.g))
        scale = 2 * _max_abs(np.abs(x).T @ np.abs(g), np.abs(g) @ np.abs(W).T, np.abs(g).sum(axis=0))
        return _allclose(RTOL, 1e-12 * scale, "R31-R34: 1e-12 of |x|^T |dz|, |dz| |W|^T, sum |dz|, with |dz| <= 2 |g|")
    if fn == "predict":
        return _allclose(RTOL, 1e-11, "R30, R35: 1e-11 absolute (several layers of products)")
    if fn == TRAINING:
        return {
            "kind": "allclose",
            "rtol": 1e-10,
            "atol": None,
            "source": "R30, R36, R37: 1e-10 relative + 1e-10 of max |parameter|",
        }
    raise ValueError(f"no comparison for {fn}")


def _allclose(rtol, atol, source):
    return {"kind": "allclose", "rtol": rtol, "atol": atol, "source": source}


def _train_atol(result: dict) -> float:
    return 1e-10 * _max_abs(*result["weights"], *[b for b in result["biases"] if b is not None])


# ---- the recording run ------------------------------------------------------------------------------


def record() -> tuple[list, dict, set, dict]:
    """Run the specification on the recording adapter (in a fresh pytest process):
    (calls, markers by test, failed tests, conformance report)."""
    from nnspec import vector_recorder

    with tempfile.TemporaryDirectory() as tmp:
        report_path, record_path = Path(tmp, "report.json"), Path(tmp, "calls.pickle")
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0", "--in-process"]
        argv += ["-p", "nnspec.vector_recorder", "--impl=nnspec.vector_recorder"]  # in process: it records here
        argv += [f"--conformance-report={report_path}", str(content.SPEC)]
        env = {**os.environ, vector_recorder.ENV: str(record_path)}
        done = subprocess.run(argv, cwd=content.ROOT, env=env, capture_output=True, text=True)
        if done.returncode not in (0, 5) or not record_path.exists():
            raise RuntimeError(
                f"the recording run of the specification failed:\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
            )
        report = json.loads(report_path.read_text(encoding="utf-8"))
        with open(record_path, "rb") as f:
            recorded = pickle.load(f)  # written by our own plugin in the child process
    return recorded["calls"], recorded["markers"], recorded["failed"], report


# ---- vectors ----------------------------------------------------------------------------------------------


def build(calls, markers: dict, failed: set, report: dict) -> tuple[list[dict], dict]:
    """(vectors, harness-only) from a recording run."""
    by_test = defaultdict(list)
    for c in calls:
        by_test[c.test].append(c)
    harness_claims, informed, not_judged = {}, set(), {}
    for cid, entry in sorted(report["claims"].items()):
        if entry["outcome"] != "passed":
            not_judged[cid] = entry["outcome"]
        elif TRAINING in entry["called"]:
            harness_claims[cid] = (
                "its tests train networks: golden runs or statistics, at the tolerances of tests/golden"
            )
        else:
            harness_claims[cid] = CLAIMS_NEED_THE_HARNESS
            informed.add(cid)
    harness_rules = {**BOUNDARY_RULES, **RELATIONAL_RULES}
    vectors: dict[str, dict] = {}
    for test, test_calls in by_test.items():
        if test in failed:
            raise RuntimeError(f"{test} failed for reference_nn: its calls cannot be vectors")
        claims, rules = markers.get(test, ([], []))
        groups = [(cid, None) for cid in claims if cid in informed]
        groups += [(rid, rid) for rid in rules if rid not in harness_rules]
        for c in test_calls:
            args, kwargs = to_wire(list(c.args)), to_wire(c.kwargs)
            digest = input_hash(c.fn, args, kwargs)
            for group, rule in groups:
                vid = f"{group}/{rule or '-'}/{digest}"
                if vid in vectors:
                    continue
                compare = compare_for(rule, c.fn, c.args, c.kwargs)
                if compare.get("atol", 0) is None:
                    compare["atol"] = _train_atol(c.result)
                vectors[vid] = {
                    "id": vid,
                    "fn": c.fn,
                    "args": args,
                    "kwargs": kwargs,
                    "expected": to_wire(c.result),
                    "compare": compare,
                    "decides": {"claims": [], "rules": [rule] if rule else []},
                }
                if not rule:
                    vectors[vid]["informs"] = {"claims": [group]}
    harness_only = {
        "claims": [{"id": cid, "why": why} for cid, why in harness_claims.items()],
        "rules": [{"id": rid, "why": why} for rid, why in harness_rules.items()],
        "not_judged": [{"id": cid, "outcome": outcome} for cid, outcome in not_judged.items()],
    }
    return sorted(vectors.values(), key=lambda v: v["id"]), harness_only


def write(out: Path, vectors: list[dict], harness_only: dict) -> dict[str, int]:
    """Write ``<group>.jsonl`` per claim or rule and ``harness-only.json``; returns lines per file."""
    out.mkdir(parents=True, exist_ok=True)
    files = defaultdict(list)
    for v in vectors:
        files[v["id"].split("/")[0]].append(json.dumps(v, separators=(",", ":"), allow_nan=False))
    for group, lines in files.items():
        (out / f"{group}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "harness-only.json").write_text(json.dumps(harness_only, indent=1) + "\n", encoding="utf-8")
    return {group: len(lines) for group, lines in files.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnspec.vectors", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="the folder to write the vectors to")
    args = parser.parse_args(argv)
    vectors, harness_only = build(*record())
    counts = write(args.out, vectors, harness_only)
    deciding = [v for v in vectors if v["decides"]["rules"]]
    print(
        f"{len(vectors)} vectors in {len(counts)} files: {len(deciding)} deciding "
        f"{len({r for v in deciding for r in v['decides']['rules']})} rules, {len(vectors) - len(deciding)} informing "
        f"{len({c for v in vectors for c in v.get('informs', {}).get('claims', [])})} claims; harness only: "
        f"{len(harness_only['claims'])} claims, {len(harness_only['rules'])} rules -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
