"""Running the specification in a subprocess against another adapter (for the conformance tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = "tests/spec"


def run_suite(impl: str, *args, pythonpath: Path | None = None, timeout: float = 1800) -> tuple[int, str]:
    """``python -m pytest --impl IMPL ARGS`` from the checkout's root; returns (exit code, output)."""
    env = {k: v for k, v in os.environ.items() if k != "REFERENCE_NN_IMPL"}
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--impl", impl, *map(str, args)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout + done.stderr


def report(base: Path) -> dict:
    """The document of a --conformance-report written at ``base`` (``base.json``)."""
    return json.loads(base.with_name(base.name + ".json").read_text(encoding="utf-8"))


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
