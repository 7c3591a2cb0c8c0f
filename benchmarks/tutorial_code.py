"""Time ``pytest --tutorial-code NNN=FILE``, the whole command, for each tutorial's correct learner program.

    python -m benchmarks.tutorial_code             # measure, print the section
    python -m benchmarks.tutorial_code --write     # and put it in benchmarks/results.md

Each check runs ``REPEATS`` times in a subprocess, as a learner runs it (interpreter start,
collection, the chapter's tests, the report). CPU time is the child's user + system time
(``resource.getrusage``); wall-clock time depends on what else the shared machine is doing, so
the load average is recorded with it. The requirement is at most 5 s per check.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "tests" / "learners" / "programs"
RESULTS = ROOT / "benchmarks" / "results.md"
REPEATS = 5
LIMIT = 5.0
BEGIN, END = "<!-- tutorial-code -->", "<!-- /tutorial-code -->"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_check(chapter: str) -> dict:
    program = PROGRAMS / f"{chapter}_correct.py"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    command += ["--tutorial-code", f"{chapter}={program}"]
    walls, cpus = [], []
    for _ in range(REPEATS):
        cpu, wall = _children_cpu(), time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        walls.append(time.perf_counter() - wall)
        cpus.append(_children_cpu() - cpu)
        if done.returncode != 0:
            raise SystemExit(f"the check of {program.name} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return {"chapter": chapter, "wall": walls, "cpu": cpus}


def section(rows: list[dict], load: tuple[float, float]) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = [
        BEGIN,
        "## Checking a learner's program (`pytest --tutorial-code NNN=FILE`)",
        "",
        "| tutorial | program | CPU, median (max) | wall clock, median (best) | at most 5 s |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        cpu, wall = row["cpu"], row["wall"]
        met = "met" if statistics.median(cpu) <= LIMIT else "not met"
        out.append(
            f"| {row['chapter']} | `tests/learners/programs/{row['chapter']}_correct.py` | "
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


def write(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
    if pattern.search(current):
        current = pattern.sub(lambda _: text, current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(current, encoding="utf-8")


def main(argv: list[str]) -> int:
    load_start = os.getloadavg()[0]
    rows = [time_check(chapter) for chapter in ("000", "001", "002", "003", "004")]
    text = section(rows, (load_start, os.getloadavg()[0]))
    print(text)
    if "--write" in argv:
        write(text)
        print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
