"""Running the specification in a subprocess against another adapter (for the conformance tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from nnspec import content, reports

ROOT = content.ROOT
SPEC = "tests/spec"
SAMPLE = Path(__file__).with_name("sample_spec.py")


def run_pytest(*args, env: dict | None = None, timeout: float = 300, executable: list[str] | None = None):
    """``python -m pytest -p no:cacheprovider ARGS`` from the checkout's root, without $REFERENCE_NN_IMPL
    unless ``env`` sets it; returns (exit code, output)."""
    environ = {k: v for k, v in os.environ.items() if k != "REFERENCE_NN_IMPL"}
    environ.update(env or {})
    command = [*(executable or [sys.executable, "-m", "pytest"]), "-p", "no:cacheprovider", *map(str, args)]
    done = subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout + done.stderr


def run_suite(impl: str, *args, pythonpath: Path | None = None, timeout: float = 1800) -> tuple[int, str]:
    """``python -m pytest --impl IMPL ARGS``; returns (exit code, output)."""
    env = {}
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), os.environ.get("PYTHONPATH")]))
    return run_pytest("--impl", impl, *args, env=env, timeout=timeout)


def report(base: Path) -> dict:
    """The document of a --conformance-report written at ``base`` (``base.json``)."""
    return reports.load(base.with_name(base.name + ".json"))  # validated: nnspec/schemas/conformance-report


def report_claims(base: Path) -> dict[str, dict]:
    """The claims of a --conformance-report written at ``base``."""
    return report(base)["claims"]


def run_copy(folder: Path, *args) -> tuple[int, str, float, dict | None]:
    """Run the specification against the edited copy of reference_nn in ``folder`` (see mutants.py), with a
    conformance report: (exit code, output, seconds, the report's document or None if none was written)."""
    from tests.conformance.mutants import PACKAGE

    base = folder / "report"
    start = time.perf_counter()
    code, out = run_suite(
        f"{PACKAGE}.adapter", "--basetemp", folder / "tmp", "--conformance-report", base, *args, pythonpath=folder
    )
    seconds = time.perf_counter() - start
    return code, out, seconds, report(base) if base.with_suffix(".json").is_file() else None


def run_sample(sample, *args, env=None, spec=SAMPLE):
    """pytest on the sample spec (claim roles from ``sample``); returns (exit code, output)."""
    roles = {"CONFORMANCE_SAMPLE_CLAIMS": ",".join(f"{role}={cid}" for role, cid in sample.items())}
    return run_pytest("-rN", spec, *args, env={**roles, **(env or {})})


def outcomes(report_base: Path) -> dict[str, str]:
    doc = reports.load(report_base.with_suffix(".json"))
    return {cid: entry["outcome"] for cid, entry in doc["claims"].items()}
