"""The box: how the code under test is started, so that it cannot touch the checkout, the reports or the grades.

CONTRACT (other modules rely on exactly these names; the body is being written):

- ``available() -> tuple[bool, str]``: whether this machine can provide a real sandbox, and if not, why
  (the report shows the reason as a visible warning).
- ``command(argv, *, workdir, readable=(), memory_mb=MEMORY_MB) -> list[str]``: ``argv`` wrapped so that it
  runs in the box: the checkout (and ``readable`` paths) read-only, ``workdir`` (an empty folder the harness
  made) writable and its working directory and TMPDIR, no network, a memory limit, its own process group or
  namespace that dies with the harness. Where no sandbox is available it returns ``argv`` unchanged.
- ``kill_tree(proc)``: ends ``proc`` (a ``subprocess.Popen``) and every descendant it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

MEMORY_MB = 4096


def available() -> tuple[bool, str]:
    return False, "the box is not written yet: the code under test runs without a sandbox"


def command(
    argv: Sequence[str], *, workdir: Path, readable: Sequence[Path] = (), memory_mb: int = MEMORY_MB
) -> list[str]:
    return list(argv)


def kill_tree(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()
