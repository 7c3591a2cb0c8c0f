"""The book on this machine, at once: ``python docs/sitegen/book.py`` (the README's main command).

It starts ``mkdocs serve`` first, so the first page is served as soon as the site is built (about 30 s), and
only then runs the specification against each implementation of ``examples/implementations.yaml`` in the
background, one after another (the reference's run, which also gives the ledger's "last run", takes a few
minutes on two cores). Each run writes its report into ``test-artifacts/conformance/`` and the runner records
its state in ``test-artifacts/book/runs.json`` after the report; ``mkdocs serve`` watches that folder (only
it: one rebuild per change of state, not one per file a run writes), so the ledger and the compliance matrix
rebuild, and an open page reloads, as each run ends. Until then the pages say which runs
are still going. An implementation whose needs are not met here (PyTorch not installed) is recorded as not
run, with the reason. Ctrl-C stops the server and the run in progress.

Why a script and not a shell one-liner: the runs must start after the server is up, and their states must be
written where the site reads them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import implementations as impls  # noqa: E402  (a script: docs/sitegen is not a package on sys.path)

ADDRESS = os.environ.get("BOOK_ADDRESS", "127.0.0.1:8000")
LOGS = impls.ROOT / "test-artifacts" / "book-logs"  # not under a watched folder: a log grows all the time


def _server_up(timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{ADDRESS}/", timeout=2):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def run_all(entries: list[impls.Implementation], serve: subprocess.Popen | None = None) -> dict[str, dict]:
    """Each entry's run in turn (its output in test-artifacts/book-logs/<report>.log); returns the final states."""
    runs = {}
    for e in entries:
        why = e.missing()
        runs[e.report] = {"state": "not run", "why": why} if why else {"state": "waiting", "runner": os.getpid()}
    impls.write_runs(runs)
    # the quick runs first (a tutorial's own code: seconds), then the others in the list's order
    for e in sorted(entries, key=lambda e: e.tutorial_code is None):
        if runs[e.report]["state"] != "waiting" or (serve is not None and serve.poll() is not None):
            continue
        runs[e.report] = {"state": "running", "started": impls.now(), "runner": os.getpid()}
        impls.write_runs(runs)
        with open(LOGS / f"{e.report}.log", "w", encoding="utf-8") as log:
            code = subprocess.call(e.pytest_argv(), cwd=impls.ROOT, stdout=log, stderr=subprocess.STDOUT)
        runs[e.report].update(state="done", ended=impls.now(), exit=code)
        impls.write_runs(runs)
    return runs


def main() -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    impls.REPORTS.mkdir(parents=True, exist_ok=True)
    entries = impls.load()
    # the pages say "waiting" from the first build on
    impls.write_runs(
        {
            e.report: {"state": "not run", "why": e.missing()}
            if e.missing()
            else {"state": "waiting", "runner": os.getpid()}
            for e in entries
        }
    )
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--dev-addr",
            ADDRESS,
            "--watch",
            str(impls.RUNS.parent),
        ],
        cwd=impls.ROOT,
    )
    try:
        if not _server_up(600):
            print("book: mkdocs serve did not come up; see its output above", file=sys.stderr)
            return serve.wait() or 1
        print(
            f"book: serving http://{ADDRESS}/ ; the specification now runs in the background "
            f"(logs in {LOGS.relative_to(impls.ROOT)}/), and the pages fill in as each run ends",
            flush=True,
        )
        run_all(entries, serve)
        print("book: every run has ended; the site shows their reports (Ctrl-C to stop)", flush=True)
        return serve.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGINT)
            try:
                serve.wait(10)
            except subprocess.TimeoutExpired:
                serve.kill()


if __name__ == "__main__":
    sys.exit(main())
