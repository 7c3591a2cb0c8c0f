"""Validation mode tells the truth: every verdict about an implementation is earned by that implementation.

Each test runs pytest in a subprocess, mostly on the sample specification (tests/conformance/
sample_spec.py), against an adapter written into a temporary folder outside the checkout: an empty one,
a sigmoid-only one, one that kills its process, a fork in a folder named ``reference_nn``, one that
calls itself ``reference_nn.adapter``. Two tests run the README's validation command as written.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

import pytest

from nnspec import reports
from tests.conformance.suite import ROOT, SPEC, outcomes, run_pytest, run_sample

NOT_ABOUT = "not about the implementation"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


EMPTY = """
NAME = "empty"
VERSION = "0"
"""

SIGMOID_ONLY = """
import numpy as np

NAME = "sigmoid_only"
VERSION = "0"


def activation(name, z, **params):
    if name != "sigmoid":
        raise NotImplementedError(name)
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))
"""

CRASHING = """
import ctypes
import os

from reference_nn.adapter import *  # noqa: F403
from reference_nn import adapter as _reference

NAME = "crashing"
VERSION = "0"


def activation(name, z, **params):
    if name == "relu":
        os._exit(3) if os.environ.get("HOW") == "exit" else ctypes.string_at(0)  # dies inside activation
    return _reference.activation(name, z, **params)
"""

WRONG_SIGMOID = """
import numpy as np
from {base} import *  # noqa: F403
from {base} import activation as _activation

NAME = "{name}"
VERSION = "9"


def activation(name, z, **params):
    if name == "sigmoid":
        return np.zeros_like(np.asarray(z, dtype=float))  # wrong on purpose
    return _activation(name, z, **params)
"""


def test_an_adapter_with_no_functions_earns_no_passed_claim_and_is_told_so(sample, tmp_path):
    adapter = write(tmp_path, "empty_adapter.py", EMPTY)
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == 0, out
    got = outcomes(tmp_path / "r")
    assert "passed" not in got.values()
    assert got[sample["independent"]] == NOT_ABOUT
    assert "empty implements none of the protocol functions: nothing was checked" in out
    assert "pytest's closing line counts tests; this table counts claims" in out


def test_a_sigmoid_only_adapter_passes_only_the_claims_whose_tests_called_it(sample, tmp_path):
    adapter = write(tmp_path, "sigmoid_only.py", SIGMOID_ONLY)
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == 0, out
    claims = reports.load(tmp_path / "r.json")["claims"]
    passed = {cid for cid, e in claims.items() if e["outcome"] == "passed"}
    assert passed == {sample["values"]}
    assert claims[sample["values"]]["called"] == ["activation"]
    assert claims[sample["independent"]]["outcome"] == NOT_ABOUT


@pytest.mark.parametrize("how", ["exit", "segfault"])
@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two-workers"])
def test_a_crash_costs_only_the_claims_it_was_running_and_says_where(sample, tmp_path, how, workers):
    adapter = write(tmp_path, "crashing.py", CRASHING)
    code, out = run_sample(
        sample, *workers, "--impl", adapter, "--conformance-report", tmp_path / "r", env={"HOW": how}
    )
    assert code == pytest.ExitCode.TESTS_FAILED, out
    doc = reports.load(tmp_path / "r.json")
    claims = doc["claims"]
    for role in ("shared_a", "shared_b"):
        assert claims[sample[role]]["outcome"] == "crashed"
        assert claims[sample[role]]["reason"].startswith("the implementation crashed in activation"), claims
    assert claims[sample["values"]]["outcome"] == claims[sample["tanh"]]["outcome"] == "passed"
    assert doc["complete"] is True, doc["exit"]


def test_a_fork_in_a_folder_named_reference_nn_is_itself_tested(sample, tmp_path):
    fork = tmp_path / "fork" / "reference_nn"
    write(fork, "__init__.py", "")
    write(fork, "base.py", "from reference_nn.adapter import *  # noqa: F403\n")  # the installed one, by name
    adapter = write(fork, "adapter.py", WRONG_SIGMOID.format(base=".base", name="fork"))
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    assert "implementation under test: fork 9" in out and "validation mode" in out
    assert outcomes(tmp_path / "r")[sample["values"]] == "failed"


def test_an_adapter_that_calls_itself_reference_nn_adapter_is_not_the_reference(sample, tmp_path):
    text = '__name__ = "reference_nn.adapter"\n' + WRONG_SIGMOID.format(
        base="reference_nn.adapter", name="reference_nn"
    )
    adapter = write(tmp_path, "poser.py", text)
    code, out = run_sample(sample, "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code == pytest.ExitCode.TESTS_FAILED, out
    assert "validation mode" in out
    assert outcomes(tmp_path / "r")[sample["values"]] == "failed"
    code, out = run_sample(sample, "--impl", adapter, "--force-regen")
    assert code == pytest.ExitCode.USAGE_ERROR and "--force-regen refused" in out, out


def test_a_run_that_stopped_early_says_so_in_its_report(sample, tmp_path):
    adapter = write(tmp_path, "wrong.py", WRONG_SIGMOID.format(base="reference_nn.adapter", name="wrong"))
    code, out = run_sample(sample, "-x", "--impl", adapter, "--conformance-report", tmp_path / "r")
    assert code in (pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.INTERRUPTED), out  # xdist stops as interrupted
    doc = reports.load(tmp_path / "r.json")
    assert doc["complete"] is False and doc["exit"].startswith("stopped early"), doc
    assert "run INCOMPLETE" in (tmp_path / "r.md").read_text()


def _readme_validation_command() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"^pytest --impl \S+ --conformance-report \S+$", text, re.M)
    assert line, "README.md shows no `pytest --impl ADAPTER --conformance-report PATH` command"
    return line.group(0).split()


@pytest.mark.parametrize("form", ["space", "equals"])
def test_the_readme_validation_command_works_with_an_adapter_anywhere(tmp_path, form):
    """As written in the README, with the adapter in a folder outside the checkout: the console script
    `pytest`, options separated by a space (pytest's first pass would take the path for a test path)."""
    adapter = write(tmp_path / "elsewhere", "my_adapter.py", SIGMOID_ONLY)
    report = tmp_path / "out" / "my_net"
    command = _readme_validation_command()
    values = {"--impl": str(adapter), "--conformance-report": str(report)}
    args = [values.get(previous, a) for previous, a in zip(command, command[1:], strict=False)]
    if form == "equals":
        args = [f"{a}={b}" for a, b in zip(args[::2], args[1::2], strict=True)]
    pytest_script = Path(sys.executable).with_name("pytest")
    code, out = run_pytest(*args, executable=[str(pytest_script)], timeout=600)
    assert code == pytest.ExitCode.OK, out
    assert f"rootdir: {ROOT}" in out
    doc = reports.load(report.with_name("my_net.json"))
    assert doc["implementation"] == "sigmoid_only" and doc["complete"] is True
    assert all(e["tests"][0].startswith(SPEC) for e in doc["claims"].values())
    passed = [cid for cid, e in doc["claims"].items() if e["outcome"] == "passed"]
    assert passed and all(doc["claims"][cid]["called"] == ["activation"] for cid in passed)
