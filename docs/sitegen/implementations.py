"""The implementations the book runs (``examples/implementations.yaml``) and the state of their runs.

One list, read by the book's runner (``docs/sitegen/book.py``: what to run and how) and by the compliance
matrix (a column per report, and which known implementations were not run and why). The runner records each
run's state in ``test-artifacts/book/runs.json``: {report: {"state": "waiting" | "running" | "done" |
"not run", "why": str, "started": ISO time, "ended": ISO time, "exit": int, "runner": the runner's pid}}, so
the pages can say which runs are still going. This module imports nothing from mkdocs, so the runner can use
it before the site exists.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "examples" / "implementations.yaml"
REPORTS = ROOT / "test-artifacts" / "conformance"
RUNS = ROOT / "test-artifacts" / "book" / "runs.json"
FIELDS = {
    *("name", "report", "language", "impl", "tutorial_code", "known_failures", "needs", "needs_why", "args", "about")
}


@dataclass(frozen=True)
class Implementation:
    name: str
    report: str
    language: str
    impl: str | None = None
    tutorial_code: str | None = None  # NNN=FILE
    known_failures: str | None = None
    needs: tuple[str, ...] = ()
    needs_why: str = ""
    args: tuple[str, ...] = ()
    about: str = ""

    @property
    def chapter(self) -> str | None:
        """The chapter a tutorial-shaped program is checked against (None: every chapter)."""
        return self.tutorial_code.split("=", 1)[0] if self.tutorial_code else None

    def missing(self) -> str:
        """Why it cannot run here ('' when every need is met)."""
        for need in self.needs:
            kind, _, what = need.partition(":")
            if kind == "python" and importlib.util.find_spec(what) is None:
                return self.needs_why or f"the Python module {what} is not installed"
            if kind == "command" and shutil.which(what) is None:
                return self.needs_why or f"the command {what} is not on PATH"
        return ""

    def pytest_argv(self, workers: int = 1) -> list[str]:
        """The pytest command line of its run (the report goes to test-artifacts/conformance/<report>)."""
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(workers)]
        if self.tutorial_code:
            argv += ["--tutorial-code", self.tutorial_code]
        elif self.impl:
            argv += ["--impl", self.impl]
        if self.known_failures:
            argv += ["--known-failures", self.known_failures]
        return [*argv, *self.args, "--conformance-report", str(REPORTS / self.report)]


def load(path: Path = LIST) -> list[Implementation]:
    """The list, in its order; an unknown field or a missing name/report/language is an error."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for i, entry in enumerate(doc.get("implementations") or []):
        unknown = set(entry) - FIELDS
        if unknown or not all(entry.get(k) for k in ("name", "report", "language")):
            raise ValueError(f"{path.name} entry {i}: needs name, report, language; unknown fields {sorted(unknown)}")
        if entry.get("impl") and entry.get("tutorial_code"):
            raise ValueError(f"{path.name} entry {i} ({entry['name']}): impl or tutorial_code, not both")
        values = {k: v for k, v in entry.items() if k in FIELDS}
        values["needs"] = tuple(values.get("needs") or ())
        values["args"] = tuple(str(a) for a in values.get("args") or ())
        out.append(Implementation(**values))
    return out


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_runs() -> dict[str, dict]:
    """The runner's record of this session's runs ({} when the book's runner has not run)."""
    try:
        doc = json.loads(RUNS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def write_runs(runs: dict[str, dict]) -> None:
    """Atomically (the site may read it at any moment)."""
    RUNS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RUNS.with_name(f".runs.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(runs, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, RUNS)


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, TypeError, ValueError):
        return False
    return True


def still_running(runs: dict[str, dict] | None = None) -> list[str]:
    """The reports whose run is waiting or running, by a runner that is still alive (a runner stopped with
    Ctrl-C leaves "running" behind: that run is over)."""
    runs = read_runs() if runs is None else runs
    return [name for name, r in runs.items() if r.get("state") in ("waiting", "running") and _alive(r.get("runner"))]
