"""Wire protocol v1 end to end: what an implementation earns over the wire is what it earns in process.

Each test runs pytest in a subprocess. The held-out program (wire_programs/held_out.py: standard library
only, no nnspec) speaks the protocol by itself and misbehaves on relu in one chosen way; the reference
served by ``python -m nnspec.wire.serve`` is compared claim by claim with the same code in process.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

from nnspec.wire import check
from tests.conformance.suite import outcomes, report, run_pytest, run_sample
from tests.conformance.test_earned_verdicts import write

HELD_OUT = Path(__file__).with_name("wire_programs") / "held_out.py"
RULES = "tests/spec/test_protocol_rules.py"
COMPLETE = 'from reference_nn.adapter import *  # noqa: F403\n\nNAME = "complete"\nVERSION = "1"\n'
NOT_ABOUT = "not about the implementation"


def held_out(mode: str) -> str:
    return f"cmd:{sys.executable} {HELD_OUT} {mode}"


def served_reference() -> str:
    return f"cmd:{sys.executable} -m nnspec.wire.serve reference_nn.adapter"


def _comparable(doc: dict) -> dict:
    return {kind: {cid: (e["outcome"], e["called"]) for cid, e in doc[kind].items()} for kind in ("claims", "rules")}


def _validate_log(path: Path) -> int:
    """Every line the harness sent and read, against the schema; returns how many were checked."""
    sent, read = check.validator("to_implementation"), check.validator("from_implementation")
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        direction, text = line[:2], line[2:]
        errors = list((sent if direction == "> " else read).iter_errors(json.loads(text)))
        assert not errors, (text[:300], [e.message[:200] for e in errors])
    return len(lines)


@pytest.mark.parametrize(
    "spec", ["tests/spec/test_protocol_rules.py", "tests/spec/test_seed003.py"], ids=["rules", "seed003"]
)
def test_the_reference_served_over_the_wire_earns_exactly_what_it_earns_in_process(tmp_path, spec):
    adapter = write(tmp_path, "complete_adapter.py", COMPLETE)
    log = tmp_path / "wire.log"
    code, out = run_pytest(
        "-n",
        "0",
        spec,
        "--impl",
        served_reference(),
        "--conformance-report",
        tmp_path / "wire",
        env={"NNSPEC_WIRE_LOG": str(log)},
    )
    assert code == pytest.ExitCode.OK, out
    code, out = run_pytest("-n", "0", spec, "--impl", adapter, "--in-process", "--conformance-report", tmp_path / "in")
    assert code == pytest.ExitCode.OK, out
    wire, in_process = report(tmp_path / "wire"), report(tmp_path / "in")
    assert _comparable(wire) == _comparable(in_process)
    assert any(e["outcome"] == "passed" for e in wire["claims"].values() if e["called"]) or wire["rules"]
    assert wire["implementation_info"]["mode"] in ("wire", "wire+box")
    assert in_process["implementation_info"]["mode"] == "in-process"
    assert wire["implementation"] == "reference_nn" and wire["reference"] is False  # named by it, judged as any
    assert _validate_log(log) > 50  # every message both ways follows the schema


def test_a_held_out_program_speaking_the_protocol_earns_its_claims(sample, tmp_path):
    code, out = run_sample(sample, "--impl", held_out("ok"), "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.OK, out
    got = outcomes(tmp_path / "r")
    for role in ("values", "shared_a", "shared_b", "tanh"):
        assert got[sample[role]] == "passed", (role, got)
    assert got[sample["loss"]] == "not implemented" and got[sample["independent"]] == NOT_ABOUT
    doc = report(tmp_path / "r")
    assert doc["implementation"] == "held-out" and doc["implementation_info"]["language"] == "python-stdlib"
    assert doc["complete"] is True


def test_an_implementation_answering_not_implemented_to_everything_earns_nothing(sample, tmp_path):
    code, out = run_sample(sample, "--impl", held_out("notimpl"), "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.OK, out
    got = outcomes(tmp_path / "r")
    assert "passed" not in got.values(), got
    assert got[sample["values"]] == "not implemented"


@pytest.mark.parametrize(
    ("mode", "outcome", "reason"),
    [
        ("crash", "crashed", "the implementation crashed in activation: its process died (exit status 3)"),
        ("hang", "timed out", "timeout after 3 s in activation"),
        ("garbage", "failed", "activation: the implementation's answer breaks wire protocol v1: a line that is not"),
        ("seq", "failed", "activation: the implementation's answer breaks wire protocol v1: it answered seq"),
        ("kind", "failed", "activation: the implementation's answer breaks wire protocol v1: an array entry that is a"),
    ],
)
def test_a_crash_a_hang_and_a_bad_answer_each_get_their_outcome_and_the_run_goes_on(
    sample, tmp_path, mode, outcome, reason
):
    start = time.monotonic()
    code, out = run_sample(sample, "--impl", held_out(mode), "--timeout", "3", "--conformance-report", tmp_path / "r")
    assert time.monotonic() - start < 120, out
    assert code == pytest.ExitCode.TESTS_FAILED, out
    doc = report(tmp_path / "r")
    for role in ("shared_a", "shared_b"):
        entry = doc["claims"][sample[role]]
        assert entry["outcome"] == outcome and entry["reason"].startswith(reason), entry
    assert doc["claims"][sample["values"]]["outcome"] == doc["claims"][sample["tanh"]]["outcome"] == "passed"
    assert doc["complete"] is True
    reasons = [e["reason"] for e in [*doc["claims"].values(), *doc["rules"].values()]]
    assert not [r for r in reasons if "ResourceWarning" in r or "Unraisable" in r]  # the harness's own objects
    if mode == "garbage":  # the offending text is shown, its escape sequence escaped
        shown = doc["claims"][sample["shared_a"]]["reason"]
        assert "this is not JSON \\x1b[31m red" in shown and "\x1b" not in shown


def test_a_warning_of_the_code_under_test_fails_its_claim_naming_the_function(sample, tmp_path):
    adapter = write(
        tmp_path,
        "warns.py",
        """
import numpy as np
from reference_nn.adapter import *  # noqa: F403
from reference_nn import adapter as _reference


def activation(name, z, **params):
    if name == "sigmoid":
        return 1 / (1 + np.exp(-np.asarray(z) * 1000.0))  # overflows for z < -0.7
    return _reference.activation(name, z, **params)
""",
    )
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    reason = report(tmp_path / "r")["claims"][sample["values"]]["reason"]
    assert reason.startswith("RuntimeWarning: overflow encountered in exp (in activation)"), reason
    assert "hint: use a numerically stable sigmoid" in reason


def test_the_whole_run_limit_stops_every_call_and_says_the_run_is_incomplete(sample, tmp_path):
    start = time.monotonic()
    code, out = run_sample(
        sample,
        "--impl",
        held_out("hang"),
        "--call-timeout",
        "60",
        "--run-timeout",
        "4",
        "--conformance-report",
        tmp_path / "r",
    )
    assert time.monotonic() - start < 60, out
    doc = report(tmp_path / "r")
    assert doc["complete"] is False and "whole-run limit of 4 s" in doc["exit"], doc["exit"]
    assert doc["claims"][sample["shared_a"]]["outcome"] == "timed out"


@pytest.mark.conformance
def test_a_hanging_train_costs_one_limit_and_the_whole_specification_completes_in_five_minutes(tmp_path):
    adapter = write(
        tmp_path,
        "hanging_train.py",
        COMPLETE + "\n\ndef train(*args, **kwargs):\n    while True:\n        pass\n",
    )
    start = time.monotonic()
    code, out = run_pytest("-n", "2", "--impl", adapter, "--conformance-report", tmp_path / "r", timeout=400)
    seconds = time.monotonic() - start
    assert seconds < 300, (seconds, out[-3000:])
    doc = report(tmp_path / "r")
    trains = [e for e in doc["claims"].values() if "train" in e["called"]]
    assert trains and all(e["outcome"] == "timed out" for e in trains), [
        e for e in trains if e["outcome"] != "timed out"
    ]
    train_rules = [e for e in doc["rules"].values() if "train" in e["called"]]
    assert train_rules and all(e["outcome"] == "timed out" for e in train_rules), train_rules
    others = [e for e in doc["claims"].values() if e["called"] and "train" not in e["called"]]
    assert others and all(e["outcome"] == "passed" for e in others), [e for e in others if e["outcome"] != "passed"]
    assert doc["complete"] is True


def test_the_check_as_a_proxy_names_every_message_that_breaks_the_protocol(sample, tmp_path):
    command = f"cmd:{sys.executable} -m nnspec.wire.check --proxy -- {sys.executable} {HELD_OUT} seq"
    code, out = run_sample(sample, "-n", "0", "--impl", command, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    assert re.search(r"nnspec\.wire\.check: activation: seq (\d+) answers call seq \d+", out), out[-3000:]
    assert outcomes(tmp_path / "r")[sample["values"]] == "passed"  # the valid answers pass through unchanged


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{proc.name}: {cmdline[:200]}")
    return found


def _served_by_workers(adapter: str) -> list[int]:
    """Pids of ``nnspec.wire.serve ADAPTER`` processes started by an xdist worker (not by the controller's
    start-up, which asks the implementation who it is before the workers exist)."""

    def parent(pid):
        try:
            return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return 0

    def cmdline(pid):
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            return ""

    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and f"nnspec.wire.serve {adapter}" in cmdline(entry.name):
            pid = int(entry.name)
            while pid > 1:
                pid = parent(pid)
                if "exec(eval(sys.stdin.readline()))" in cmdline(pid):  # a pytest-xdist worker (execnet)
                    found.append(int(entry.name))
                    break
    return found


@pytest.mark.conformance
def test_sigterm_to_the_controller_ends_its_workers_and_their_boxed_children(tmp_path):
    """Issue 23: a SIGTERM to the controller used to leave both xdist workers running at full CPU."""
    import signal
    import subprocess

    adapter = write(
        tmp_path, "hangs_in_activation.py", COMPLETE + "\n\ndef activation(*a, **k):\n    while True:\n        pass\n"
    )
    base = tmp_path / "r"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2", "tests/spec"]
    command += [f"--impl={adapter}", f"--conformance-report={base}"]
    proc = subprocess.Popen(command, cwd=Path(__file__).resolve().parents[2], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(_served_by_workers(str(adapter))) < 2 and time.monotonic() < deadline:
            time.sleep(0.5)  # until both xdist workers' implementations run in their boxes (the run has begun)
        assert len(_served_by_workers(str(adapter))) >= 2, "the workers' boxed implementations never started"
        time.sleep(2)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        time.sleep(1)
        assert _processes_mentioning(str(adapter)) == []
        doc = report(base)
        assert doc["complete"] is False and doc["exit"].startswith("stopped early"), doc["exit"]
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
