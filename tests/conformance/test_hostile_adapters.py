"""The harness survives faulty and hostile implementations, in bounded time, with a clear outcome each.

Every test runs pytest in a subprocess on the sample specification (tests/conformance/sample_spec.py)
against an adapter written into a temporary folder: one that hangs, returns garbage, modifies its
inputs, writes into the checkout, prints without end, or cannot even be imported. Crashes (os._exit,
a segfault) are in test_earned_verdicts.py.
"""

from __future__ import annotations

import json
import time

import pytest

from docs.sitegen import pages
from nnspec import golden
from nnspec.registry import load_claims
from tests.conformance.suite import ROOT, outcomes, run_pytest, run_sample
from tests.conformance.test_earned_verdicts import write

BASE = """
import numpy as np
from reference_nn.adapter import *  # noqa: F403
from reference_nn import adapter as _reference

NAME = "hostile"
VERSION = "0"
"""


def adapter_with(tmp_path, body: str, name: str = "hostile.py"):
    return write(tmp_path, name, BASE + body)


def claim_of(tmp_path, cid: str) -> dict:
    return json.loads((tmp_path / "r.json").read_text())["claims"][cid]


def test_a_function_that_never_returns_times_out_and_the_run_goes_on(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def activation(name, z, **params):
    while name == "relu":
        pass
    return _reference.activation(name, z, **params)
""",
    )
    start = time.monotonic()
    code, out = run_sample(sample, "--impl", adapter, "--timeout", "3", "--conformance-report", tmp_path / "r")
    assert time.monotonic() - start < 120, out
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["shared_a"])
    assert entry["outcome"] == "timed out"
    assert entry["reason"].startswith("timeout after 3 s in activation"), entry
    assert outcomes(tmp_path / "r")[sample["tanh"]] == "passed"  # the tests after it still ran


@pytest.mark.parametrize(
    ("returns", "expected"),
    [
        ("np.full_like(z, np.nan)", "activation returned a non-finite value nan at index (0,) for f(z), from finite"),
        ("list(_reference.activation(name, z))", "activation returned a list for f(z); expected a numpy.ndarray"),
        ("_reference.activation(name, z).astype(np.float32)", "activation returned dtype float32 for f(z); expected"),
        ("_reference.activation(name, z)[:, None]", "activation returned shape (11, 1) for f(z); expected (11,)"),
    ],
    ids=["nan", "list", "float32", "shape"],
)
def test_returned_values_are_checked_at_the_boundary_and_the_reason_names_the_function(
    sample, tmp_path, returns, expected
):
    adapter = adapter_with(
        tmp_path,
        f"""
def activation(name, z, **params):
    if name == "sigmoid":
        return {returns}
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["values"])
    assert entry["outcome"] == "failed"
    assert entry["reason"].startswith(expected), entry["reason"]
    if "float32" in expected:
        assert "the protocol is float64" in entry["reason"]


def test_an_implementation_that_modifies_its_inputs_is_named(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def train(X, Y, weights, biases, activations, loss, learning_rate, iterations):
    result = _reference.train(X, Y, weights, biases, activations, loss, learning_rate, iterations)
    weights[0] -= 1.0  # in place, on the caller's array
    return result
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["training"])
    assert entry["reason"].startswith("train modified its input weights (the protocol: inputs are not modified")


def test_a_run_in_which_the_implementation_writes_into_the_checkout_fails_naming_the_file(sample, tmp_path):
    probe = ROOT / "tests" / "golden" / f"tamper_probe_{tmp_path.name}.csv"
    adapter = adapter_with(
        tmp_path,
        f"""
from pathlib import Path


def activation(name, z, **params):
    Path({str(probe)!r}).write_text("0,0\\n")
    return _reference.activation(name, z, **params)
""",
    )
    try:
        code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    finally:
        probe.unlink(missing_ok=True)
    assert code == pytest.ExitCode.TESTS_FAILED, out
    assert f"added tests/golden/{probe.name}" in out and "this run's verdicts are void" in out
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["checkout_changed"] == [f"added tests/golden/{probe.name}"] and doc["complete"] is False


def test_goldens_are_read_before_the_implementation_runs(tmp_path, monkeypatch):
    (tmp_path / "runs").mkdir()
    csv = tmp_path / "runs" / "case.csv"
    csv.write_text(",loss\n0,1.0\n")
    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    monkeypatch.setattr(golden, "_TEXT", {})
    golden.preload()
    csv.write_text(",loss\n0,2.0\n")  # what an implementation could do after the run started
    assert golden.golden_text(csv) == ",loss\n0,1.0\n"


def test_captured_output_is_capped(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def activation(name, z, **params):
    if name == "relu":
        print("x" * 50_000_000)
        raise ValueError("relu is broken")
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "-n", "0", "--impl", adapter)
    assert code == pytest.ExitCode.TESTS_FAILED
    assert len(out) < 200_000 and "characters of captured output left out" in out


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("raise RuntimeError('no GPU here')\n", "cannot load the implementation: RuntimeError: no GPU here"),
        ("def activation(:\n", "cannot load the implementation: SyntaxError"),
        ("import os\nos._exit(7)\n", "cannot load the implementation: its process died (exit status 7) before it"),
        ("raise SystemExit(3)\n", "cannot load the implementation: SystemExit: 3"),
    ],
    ids=["raises", "syntax-error", "exits", "system-exit"],
)
def test_an_adapter_that_cannot_be_imported_is_a_usage_error(sample, tmp_path, source, says):
    adapter = write(tmp_path, "broken.py", source)
    code, out = run_sample(sample, "--impl", adapter)
    assert code == pytest.ExitCode.USAGE_ERROR, out
    assert says in out and "INTERNALERROR" not in out


def test_usage_mistakes_are_one_line_errors_before_the_run(sample, tmp_path):
    text_file = write(tmp_path, "adapter.txt", "not python")
    code, out = run_sample(sample, "--impl", text_file)
    assert code == pytest.ExitCode.USAGE_ERROR and "cannot load the implementation" in out, out
    known = tmp_path / "known"
    known.write_bytes(b"\xff\xfe000.x\n")
    code, out = run_sample(sample, "--known-failures", known)
    assert code == pytest.ExitCode.USAGE_ERROR and "not a UTF-8 list of claim ids" in out, out
    blocker = write(tmp_path, "a_file", "")
    start = time.monotonic()
    code, out = run_sample(sample, "--conformance-report", blocker / "report")
    assert code == pytest.ExitCode.USAGE_ERROR and f"cannot write {blocker / 'report.json'}" in out, out
    assert "passed" not in out and time.monotonic() - start < 60  # refused before any test ran


def test_two_runs_with_different_claims_json_do_not_overwrite_each_other(sample, tmp_path):
    for name in ("one", "two"):
        code, out = run_sample(sample, "--claims-json", tmp_path / f"{name}.json")
        assert code == pytest.ExitCode.OK, out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "one.json",
        "one.printed.json",
        "two.json",
        "two.printed.json",
    ]


def test_markup_in_an_adapters_failure_reaches_the_book_escaped(sample, tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def activation(name, z, **params):
    if name == "sigmoid":
        raise ValueError('" onmouseover="alert(1)" <img src=x onerror=alert(2)>')
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    report = json.loads((tmp_path / "r.json").read_text())
    assert "<img" in report["claims"][sample["values"]]["reason"]
    page = pages.compliance(load_claims(), [report])
    assert "<img" not in page and '" onmouseover' not in page


def test_an_implementation_cannot_excuse_itself_with_pytest_xfail(sample, tmp_path):
    """Over the wire the adapter's pytest.xfail is only an exception raised in its own process: a failure."""
    adapter = adapter_with(
        tmp_path,
        """
import pytest


def activation(name, z, **params):
    if name == "sigmoid":
        pytest.xfail("not my fault")
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = claim_of(tmp_path, sample["values"])
    assert entry["outcome"] == "failed" and entry["reason"].startswith("XFailed: not my fault"), entry
    code, out = run_sample(sample, "--impl", adapter, "--in-process", "--conformance-report", tmp_path / "r")
    entry = claim_of(tmp_path, sample["values"])
    assert entry["outcome"] == "failed" and "declared an expected failure" in entry["reason"], entry


def test_a_hang_inside_a_rule_test_is_a_time_out_of_that_rule(tmp_path):
    adapter = adapter_with(
        tmp_path,
        """
def loss(name, y_pred, y_true):
    while True:
        pass
""",
    )
    rules = "tests/spec/test_protocol_rules.py::test_loss_returns_a_python_float"
    code, out = run_pytest("--impl", adapter, "--timeout", "2", "--conformance-report", tmp_path / "r", rules)
    assert code == pytest.ExitCode.TESTS_FAILED, out
    entry = json.loads((tmp_path / "r.json").read_text())["rules"]["R03"]
    assert entry["outcome"] == "timed out" and entry["reason"].startswith("timeout after 2 s in loss"), entry
