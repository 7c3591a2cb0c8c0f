"""Paid once: grading a class of 200 costs at most 25 times grading one, side by side in one run.

    python -m benchmarks.class_grading            # measure, print the section
    python -m benchmarks.class_grading --write    # and put it in benchmarks/results.md
    python -m benchmarks.class_grading --size 20  # a smaller class, for a quick look

Generated submissions: the non-hostile learner programs of tutorial ``CHAPTER`` (the correct ones and
the one-mistake ones of tests/learners), each copied under a new name with a line of its own, cycled
to fill the class. Both classes are graded by the whole command a teacher runs
(``pytest --tutorial-code NNN=FOLDER --class-report PATH``, interpreter start included), one after the
other in this run; CPU time (user + system of the command and everything it forks) is the cost, the
wall-clock time is recorded beside it (the shared machine's load shows in it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.commands import publish, time_command
from nnspec.classroom import JOBS

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "004"
SOURCES = [
    ROOT / "tests" / "learners" / "programs" / f"{CHAPTER}_correct.py",
    ROOT / "tests" / "learners" / "programs" / f"{CHAPTER}_derivative_of_input.py",
    ROOT / "tests" / "learners" / "class_hostile" / "writes_and_reads.py",
]
BOUND = 25.0
BEGIN, END = "<!-- class-grading -->", "<!-- /class-grading -->"


def make_class(folder: Path, size: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(size):
        source = SOURCES[n % len(SOURCES)].read_text(encoding="utf-8")
        (folder / f"student_{n:03d}.py").write_text(
            f"# submission {n} of a generated class\n{source}", encoding="utf-8"
        )
    return folder


def time_class(folder: Path, out: Path) -> dict:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--tutorial-code={CHAPTER}={folder}"]
    command.append(f"--class-report={out}")
    return time_command(command, ROOT, dict(os.environ), 1)


def measure(size: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        one, many = make_class(tmp / "one", 1), make_class(tmp / "many", size)
        small = time_class(one, tmp / "one-report")
        large = time_class(many, tmp / "many-report")
    return {"size": size, "one": small, "many": large, "ratio": large["cpu"][0] / small["cpu"][0]}


def section(result: dict, load: tuple[float, float]) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    one, many, size = result["one"], result["many"], result["size"]
    ratio_wall = many["wall"][0] / one["wall"][0]
    return (
        "\n".join(
            [
                BEGIN,
                "## Grading a class (`pytest --tutorial-code NNN=FOLDER --class-report PATH`)",
                "",
                "| class | CPU | wall clock | CPU / one submission's | at most 25 times one |",
                "| --- | --- | --- | --- | --- |",
                f"| 1 submission | {one['cpu'][0]:.1f} s | {one['wall'][0]:.1f} s | 1 | |",
                f"| {size} submissions | {many['cpu'][0]:.1f} s | {many['wall'][0]:.1f} s | {result['ratio']:.1f} "
                f"(wall {ratio_wall:.1f}) | CPU {'met' if result['ratio'] <= BOUND else 'not met'}, wall clock "
                f"{'met' if ratio_wall <= BOUND else 'not met'} |",
                "",
                f"Measured {stamp} with `python -m benchmarks.class_grading` (tutorial {CHAPTER}, generated "
                f"submissions, both commands in one run; each submission's code behind the wire in the box, as "
                f"the default is; {JOBS} submissions checked at a time, one per CPU) on {os.cpu_count()} logical "
                f"CPUs; load average {load[0]:.2f} at the start, {load[1]:.2f} at the end. CPU is the command's "
                "and every process it waited for.",
                END,
            ]
        )
        + "\n"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=200)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    result = measure(args.size)
    return publish(section(result, (load, os.getloadavg()[0])), ["--write"] if args.write else [])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
