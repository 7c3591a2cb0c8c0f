"""Time a validation run, ``pytest -n 2 --impl ADAPTER``, the whole command, for the example adapters.

    python -m benchmarks.validation             # measure, print the section
    python -m benchmarks.validation --write     # and put it in benchmarks/results.md

"A complete adapter" is reference_nn's own adapter loaded from a file outside the package (every
function implemented, so every claim that is not reference-only runs through it). tutorial_verbatim
runs on the tutorials' claims (its printed code breaks protocol rules by design) with its
known-failures list, so the command succeeds; the PyTorch adapter only where torch imports. The
target is at most 10 s wall clock with ``-n 2`` for the complete adapter.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.commands import publish, time_command
from nnspec import content

ROOT = content.ROOT
REPEATS = 3
TARGET = 10.0
BEGIN, END = "<!-- validation -->", "<!-- /validation -->"
COMPLETE = 'from reference_nn.adapter import *  # noqa: F403\n\nNAME = "complete"\nVERSION = "1"\n'


WIRE_ROW = "reference_nn's adapter served over the wire (cmd:python -m nnspec.wire.serve reference_nn.adapter)"
IN_PROCESS_ROW = "the same complete adapter in process (--in-process)"
WIRE_TARGET = 2.0  # over the wire costs at most twice in process (issue 19)


def adapters(folder: Path) -> list[tuple[str, list[str]]]:
    complete = folder / "complete_adapter.py"
    complete.write_text(COMPLETE, encoding="utf-8")
    served = f"cmd:{sys.executable} -m nnspec.wire.serve reference_nn.adapter"
    runs = [
        ("a complete adapter (reference_nn's, from a file)", ["--impl", str(complete)]),
        (IN_PROCESS_ROW, ["--impl", str(complete), "--in-process"]),
        (WIRE_ROW, ["--impl", served]),
        (
            "examples/tutorial_verbatim.py",
            ["--impl", "examples/tutorial_verbatim.py"]  # as in the README: its list names claims and rules
            + ["--known-failures", "examples/tutorial_verbatim.known-failures"],
        ),
    ]
    if importlib.util.find_spec("torch") is not None:
        runs.append(("examples/torch_adapter.py", ["--impl", "examples/torch_adapter.py"]))
    if shutil.which("node"):  # a program in another language, over wire protocol v1
        runs.append(
            ("examples/starters/javascript/nn.js (wire)", ["--impl", "cmd:node examples/starters/javascript/nn.js"])
        )
    return runs


def section(rows: list[tuple[str, dict]], load: tuple[float, float]) -> str:
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    out = [
        BEGIN,
        "## Validating an implementation (`pytest -n 2 --impl ADAPTER`)",
        "",
        "| adapter | wall clock, median (best) | CPU, median | at most 10 s (complete adapter) |",
        "| --- | --- | --- | --- |",
    ]
    for name, times in rows:
        wall = statistics.median(times["wall"])
        verdict = ("met" if wall <= TARGET else "not met") if name.startswith("a complete") else "reported"
        cpu = statistics.median(times["cpu"])
        out.append(f"| {name} | {wall:.2f} s ({min(times['wall']):.2f} s) | {cpu:.2f} s | {verdict} |")
    walls = {name: statistics.median(times["wall"]) for name, times in rows}
    if WIRE_ROW in walls and IN_PROCESS_ROW in walls:
        ratio = walls[WIRE_ROW] / walls[IN_PROCESS_ROW]
        verdict = "met" if ratio <= WIRE_TARGET else "not met"
        out += [
            "",
            f"Over the wire / in process, wall clock medians: {ratio:.2f} (at most {WIRE_TARGET:g}: {verdict}). "
            "The first row is the default for a Python adapter: over the wire, in the box where the machine has one.",
        ]
    out += [
        "",
        f"Measured {stamp} with `python -m benchmarks.validation` ({REPEATS} runs of the whole command each, "
        f"interpreter start and collection included) on {os.cpu_count()} logical CPUs; load average "
        f"{load[0]:.2f} at the start, {load[1]:.2f} at the end; the rows' runs interleaved (one run of each row, "
        "then again), so a change of load touches them alike. Validation runs `tests/spec` only.",
        END,
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    load_start = os.getloadavg()[0]
    env = dict(os.environ)
    env.pop("REFERENCE_NN_IMPL", None)
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2"]
    with tempfile.TemporaryDirectory() as folder:
        runs = adapters(Path(folder))
        times = {name: {"wall": [], "cpu": []} for name, _ in runs}
        for _ in range(REPEATS):  # interleaved: side by side in one run
            for name, args in runs:
                once = time_command(base + args, ROOT, env, 1)
                times[name]["wall"] += once["wall"]
                times[name]["cpu"] += once["cpu"]
        rows = [(name, times[name]) for name, _ in runs]
    text = section(rows, (load_start, os.getloadavg()[0]))
    return publish(text, argv)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
