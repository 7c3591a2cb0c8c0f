"""Time ``pytest --tutorial-code NNN=FILE``, the whole command, for each tutorial's correct learner program.

    python -m benchmarks.tutorial_code             # measure, print the section
    python -m benchmarks.tutorial_code --write     # and put it in benchmarks/results.md

Each check runs ``REPEATS`` times in a subprocess, as a learner runs it (interpreter start,
collection, the chapter's tests, the report), twice over: with Python writing its bytecode cache
(a learner's usual setting: from the second run on, pytest's rewritten test modules come from the
cache), and with ``PYTHONDONTWRITEBYTECODE=1`` (every run compiles and rewrites them again). CPU
time is the child's user + system time (``resource.getrusage``); wall-clock time depends on what
else the shared machine is doing, so the load average is recorded with it. The requirement is at
most 5 s per check.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from benchmarks.commands import publish, time_command
from nnspec import content

ROOT = content.ROOT
PROGRAMS = ROOT / "tests" / "learners" / "programs"
REPEATS = 3
LIMIT = 5.0
BEGIN, END = "<!-- tutorial-code -->", "<!-- /tutorial-code -->"


def time_check(chapter: str, bytecode_cache: bool) -> dict:
    program = PROGRAMS / f"{chapter}_correct.py"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += ["--tutorial-code", f"{chapter}={program}"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode_cache:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True)  # fills the cache; not timed
    return {"chapter": chapter, "cache": bytecode_cache, **time_command(command, ROOT, env, REPEATS)}


def section(rows: list[dict], load: tuple[float, float]) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = [
        BEGIN,
        "## Checking a learner's program (`pytest --tutorial-code NNN=FILE`)",
        "",
        "| tutorial | program | bytecode cache | CPU, median (max) | wall clock, median (best) | at most 5 s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        cpu, wall = row["cpu"], row["wall"]
        met = "met" if statistics.median(cpu) <= LIMIT else "not met"
        out.append(
            f"| {row['chapter']} | `tests/learners/programs/{row['chapter']}_correct.py` | "
            f"{'written' if row['cache'] else 'PYTHONDONTWRITEBYTECODE=1'} | "
            f"{statistics.median(cpu):.2f} s ({max(cpu):.2f} s) | "
            f"{statistics.median(wall):.2f} s ({min(wall):.2f} s) | {met} (CPU) |"
        )
    out += [
        "",
        f"Measured {stamp} with `python -m benchmarks.tutorial_code` ({REPEATS} runs of the whole command "
        f"per tutorial, interpreter start included) on {os.cpu_count()} logical CPUs; load average "
        f"{load[0]:.2f} at the start, {load[1]:.2f} at the end. The CPU time is what the check costs; the "
        "wall-clock time on this shared machine is longer when others are running.",
        END,
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    load_start = os.getloadavg()[0]
    rows = [time_check(chapter, cache) for cache in (True, False) for chapter in ("000", "001", "002", "003", "004")]
    text = section(rows, (load_start, os.getloadavg()[0]))
    return publish(text, argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
