"""The specification outside its checkout, and from folders inside it (each case a pytest subprocess).

- In another project, the installed plugin costs nothing (no NumPy, no reference_nn imported) and the
  specification's options are refused with a one-line usage error (exit 4) that says how to run it;
- from a folder under the checkout (``examples/``, a user's own folder) the options work as from the root;
- ``reference-nn validate ADAPTER`` runs the specification on ADAPTER from any folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nnspec import content
from tests.conformance.suite import ROOT

UNRELATED_TEST = """
import sys

def test_the_specification_costs_nothing_here():
    assert "numpy" not in sys.modules
    assert "reference_nn" not in sys.modules
    assert "nnspec.plugin" not in sys.modules
"""

GOOD_ADAPTER = 'from reference_nn.adapter import *  # noqa: F403\nNAME = "good_fake"\nVERSION = "1.2.3"\n'


def _run(command: list[str], cwd: Path, timeout: float = 300) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REFERENCE_NN_IMPL", "PYTEST_ADDOPTS")}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout + done.stderr


def pytest_in(folder: Path, *args) -> tuple[int, str]:
    return _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *map(str, args)], folder)


@pytest.fixture
def project(tmp_path):
    """Another project: one test file, no configuration of its own."""
    (tmp_path / "test_other.py").write_text(textwrap.dedent(UNRELATED_TEST), encoding="utf-8")
    return tmp_path


def test_an_unrelated_session_imports_neither_numpy_nor_the_reference(project):
    code, out = pytest_in(project, "-q", "test_other.py")
    assert code == 0 and "1 passed" in out, out


@pytest.mark.parametrize(
    "option",
    [
        ("--impl", "nothing_here.py"),
        ("--impl=reference_nn",),
        ("--tutorial-code", "000=mine.py"),
        ("--conformance-report", "out/report"),
        ("--known-failures", "known.txt"),
        ("--gradescope-results", "results.json"),
        ("--claims-json", "claims.json"),
    ],
    ids=lambda option: option[0].split("=")[0],
)
def test_outside_the_specification_its_options_are_a_usage_error(project, option):
    code, out = pytest_in(project, *option, "test_other.py")
    assert code == pytest.ExitCode.USAGE_ERROR, out
    errors = [line for line in out.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1, out
    flag = option[0].split("=")[0]
    assert errors[0].startswith(f"ERROR: {flag}: the reference_nn specification is not part of this pytest run"), out
    assert "reference-nn validate ADAPTER" in errors[0] and "passed" not in out
    assert not (project / "out").exists() and not (project / "results.json").exists()


def test_the_refusal_names_the_folder_where_the_specification_is(project):
    code, out = pytest_in(project, "--impl", "nothing_here.py", "test_other.py")
    assert code == pytest.ExitCode.USAGE_ERROR and str(content.ROOT) in out, out


@pytest.fixture
def user_folder():
    """A learner's own folder under the checkout (removed afterwards)."""
    folder = ROOT / f".user_folder_{os.getpid()}"
    folder.mkdir()
    (folder / "my_adapter.py").write_text(GOOD_ADAPTER, encoding="utf-8")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _collected(out: str) -> set[str]:
    return {line.split("::")[0] for line in out.splitlines() if "::" in line}


def test_from_a_folder_under_the_checkout_the_options_work_as_from_its_root(user_folder):
    code, out = pytest_in(user_folder, "--impl", "my_adapter.py", "--collect-only", "-q")
    assert code == 0, out
    files = _collected(out)
    assert files and all(name.startswith("tests/spec/") for name in files), files
    assert "tests/spec/test_seed000.py" in files


def test_from_examples_the_tutorials_own_code_is_collected_against_the_specification():
    code, out = pytest_in(ROOT / "examples", "--impl", "tutorial_verbatim.py", "--collect-only", "-q")
    assert code == 0, out
    files = _collected(out)
    assert "tests/spec/test_protocol_rules.py" in files and all(f.startswith("tests/spec/") for f in files), files


def test_from_a_folder_under_the_checkout_a_bad_adapter_is_still_a_usage_error(user_folder):
    code, out = pytest_in(user_folder, "--impl", "nothing_here.py")
    assert code == pytest.ExitCode.USAGE_ERROR and "cannot load the implementation" in out, out


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("reference-nn")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "nnspec.cli"]


def test_reference_nn_validate_runs_the_specification_from_any_folder(tmp_path):
    (tmp_path / "my_adapter.py").write_text(GOOD_ADAPTER, encoding="utf-8")
    command = [*_console_script(), "validate", "my_adapter.py", "-n", "0", "--conformance-report", "out/mine"]
    code, out = _run([*command, str(ROOT / "tests" / "spec" / "test_seed001.py")], tmp_path)
    assert code == 0, out[-3000:]
    assert "implementation under test: good_fake 1.2.3" in out
    from nnspec import reports

    doc = reports.load(tmp_path / "out" / "mine.json")  # the report lands where the user asked, and validates
    assert doc["implementation"] == "good_fake" and doc["reference"] is False
    allowed = {"passed", "not about the implementation", "reference-only"}
    assert {e["outcome"] for e in doc["claims"].values()} <= allowed
    assert any(e["outcome"] == "passed" for e in doc["claims"].values())
    assert doc["implementation_info"]["source"] == str(tmp_path / "my_adapter.py")


def test_reference_nn_validate_refuses_what_pytest_refuses(tmp_path):
    code, out = _run([*_console_script(), "validate", "nothing_here.py"], tmp_path)
    assert code == pytest.ExitCode.USAGE_ERROR and "cannot load the implementation" in out, out
