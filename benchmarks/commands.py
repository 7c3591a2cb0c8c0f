"""Timing whole commands (interpreter start included) and keeping their sections in ``results.md``.

A section is the text between ``<!-- NAME -->`` and ``<!-- /NAME -->``; :func:`write_section` replaces
it (or appends it), and ``python -m benchmarks`` keeps every such section when it rewrites the file.
"""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"
SECTION = re.compile(r"<!-- (?P<name>[\w-]+) -->\n.*?<!-- /(?P=name) -->\n?", re.DOTALL)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(command: list[str], cwd: Path, env: dict, repeats: int) -> dict:
    """CPU (the child's user + system time) and wall-clock seconds of ``repeats`` runs; a run that
    fails stops the benchmark with its output."""
    walls, cpus = [], []
    for _ in range(repeats):
        cpu, wall = _children_cpu(), time.perf_counter()
        done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - wall)
        cpus.append(_children_cpu() - cpu)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return {"wall": walls, "cpu": cpus}


def sections(text: str) -> list[str]:
    """The marked sections of a results file, in order."""
    return [m.group(0).rstrip("\n") + "\n" for m in SECTION.finditer(text)]


def write_section(text: str, path: Path = RESULTS) -> None:
    """Put a marked section into ``path``, replacing the one of the same name."""
    name = SECTION.match(text).group("name")
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    own = re.compile(rf"<!-- {name} -->\n.*?<!-- /{name} -->\n?", re.DOTALL)
    if own.search(current):
        current = own.sub(lambda _: text, current)
    else:
        current = current.rstrip("\n") + "\n\n" + text
    path.write_text(current, encoding="utf-8")


def publish(text: str, argv: list[str]) -> int:
    """Print a section; with ``--write`` also put it into results.md."""
    print(text)
    if "--write" in argv:
        write_section(text)
        print(f"wrote {RESULTS.relative_to(RESULTS.parents[1])}", file=sys.stderr)
    return 0
