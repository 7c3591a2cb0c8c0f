"""The sample report on "Check your own code": what ``pytest --tutorial-code`` prints for one learner's program.

It is never written by hand: ``python docs/sitegen/sample_report.py --write`` runs the check on
``tests/learners/programs/004_derivative_of_input.py`` (tutorial 004's shape, with one typical mistake) and
stores the report the check prints after its tests in ``docs/sitegen/samples/``; the page shows that file as
it is. ``tests/site/test_sitegen.py`` runs the check again and fails when the stored sample is no longer what
it prints, so a change of the check or of the specification shows up as a stale sample, to be written again.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = "tests/learners/programs/004_derivative_of_input.py"
ARGS = ["--tutorial-code", f"004={PROGRAM}"]
SAMPLE = Path(__file__).with_name("samples") / "check-your-code-004.txt"
_START = re.compile(r"^=+ your code \(")
# the first line after the report: the harness's own per-claim table, its summary, or pytest's
_END = re.compile(r"^(?:\s*$|-+ conformance of |conformance: |=+ short test summary)")


def command() -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "--tb=no", "-p", "no:cacheprovider", "-n", "0", *ARGS]


def extract(output: str) -> str:
    """The report's lines: from its heading (the count line and what to fix first come next) to its last claim."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if _START.match(line))
    end = next((i for i, line in enumerate(lines) if i > start and _END.search(line)), len(lines))
    return "\n".join(lines[start:end]) + "\n"


def run() -> str:
    """The report a real run of the check prints today."""
    proc = subprocess.run(command(), cwd=ROOT, capture_output=True, text=True, timeout=300, env=_env())
    return extract(proc.stdout)


def _env() -> dict:
    return {**os.environ, "COLUMNS": "110"}  # the terminal width the report is laid out for


def markdown() -> str:
    """The stored sample as a text block (a fence longer than any run of backticks in it)."""
    text = SAMPLE.read_text(encoding="utf-8") if SAMPLE.is_file() else "(no sample stored yet)\n"
    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
    return f"{fence}text\n{text.rstrip()}\n{fence}"


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python docs/sitegen/sample_report.py --write")
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE.write_text(run(), encoding="utf-8")
    print(f"wrote {SAMPLE.relative_to(ROOT)}")
