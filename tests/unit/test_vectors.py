"""nnspec.vectors without running the specification: ids, comparisons, and how a recording becomes vectors."""

from __future__ import annotations

import hashlib
import json

import numpy as np

from nnspec.vector_recorder import Call
from nnspec.vectors import build, compare_for, input_hash, to_wire


def test_the_id_hash_is_the_sha256_of_the_canonical_inputs_whatever_the_key_order():
    args = to_wire(["relu", np.array([[1.0, -2.0]])])
    text = '{"args":["relu",{"data":[1.0,-2.0],"shape":[1,2]}],"fn":"activation","kwargs":{"a":2.5,"b":1}}'
    assert input_hash("activation", args, {"b": 1, "a": 2.5}) == hashlib.sha256(text.encode()).hexdigest()[:12]
    assert input_hash("activation", args, {"a": 2.5, "b": 1}) == input_hash("activation", args, {"b": 1, "a": 2.5})
    assert input_hash("activation", args, {"a": 2.5}) != input_hash("activation", args, {"a": 2.25})


def test_each_rule_gets_the_comparison_its_test_makes():
    z = np.zeros((2, 3))
    assert compare_for("R05", "activation", ("relu", z), {})["kind"] == "shape"
    assert compare_for("R41", "train", (z,) * 7 + (1,), {})["kind"] == "shape"
    assert compare_for("R06", "activation", ("relu", z), {})["kind"] == "finite"
    assert compare_for("R19", "activation_grad", ("relu", z), {})["kind"] == "exact"
    assert compare_for("R36", "train", (z,) * 7 + (0,), {})["kind"] == "exact"  # 0 iterations: the given weights
    assert compare_for("R10", "activation_grad", ("sigmoid", z), {})["atol"] == 2.5e-16
    x, W, b = np.array([[1.0, -2.0]]), np.array([[3.0], [4.0]]), np.array([-0.5])
    forward = compare_for("R29", "dense_forward", (x, W, b, "identity"), {})
    assert (forward["rtol"], forward["atol"]) == (1e-12, 1e-12 * 11.5)  # |x| |W| + |b| = 3 + 8 + 0.5
    loss = compare_for("R22", "loss", ("sse", z, z), {})
    assert loss["atol"] == 2e-15 * 3 and loss["source"]


def test_a_recording_becomes_vectors_that_decide_rules_and_inform_claims():
    z = np.array([[0.0, 1.0]])
    calls = [
        Call("t::rule", "activation", ("sigmoid", z), {}, 1 / (1 + np.exp(-z))),
        Call("t::rule", "activation", ("sigmoid", z), {}, 1 / (1 + np.exp(-z))),  # the same call again: one vector
        Call("t::boundary", "loss", ("sse", z, z), {}, 0.0),
        Call("t::claim", "activation_grad", ("relu", z), {}, np.array([[0.0, 1.0]])),
    ]
    markers = {
        "t::rule": ([], ["R09"]),
        "t::boundary": ([], ["R04"]),
        "t::claim": (["000.a"], []),
        "t::train": (["000.b"], []),
    }
    report = {
        "claims": {
            "000.a": {"outcome": "passed", "tests": ["t::claim"], "called": ["activation_grad"]},
            "000.b": {"outcome": "passed", "tests": ["t::train"], "called": ["train"]},
            "000.c": {"outcome": "not about the implementation", "tests": [], "called": []},
        }
    }
    vectors, harness_only = build(calls, markers, set(), report)
    by_id = {v["id"].rsplit("/", 1)[0]: v for v in vectors}
    assert sorted(by_id) == ["000.a/-", "R09/R09"]
    assert by_id["R09/R09"]["decides"] == {"claims": [], "rules": ["R09"]}
    assert by_id["R09/R09"]["expected"] == {"shape": [1, 2], "data": [0.5, float(1 / (1 + np.exp(-1.0)))]}
    assert by_id["000.a/-"]["decides"] == {"claims": [], "rules": []} and by_id["000.a/-"]["informs"] == {
        "claims": ["000.a"]
    }
    assert {c["id"] for c in harness_only["claims"]} == {"000.a", "000.b"}
    assert "train" in next(c["why"] for c in harness_only["claims"] if c["id"] == "000.b")
    assert {r["id"] for r in harness_only["rules"]} >= {"R01", "R02", "R03", "R04", "R38", "R39", "R40"}
    assert harness_only["not_judged"] == [{"id": "000.c", "outcome": "not about the implementation"}]
    json.dumps(vectors, allow_nan=False)  # plain JSON, as written
