"""A throw-away copy of the checkout for hostile implementations, and the independent witnesses of what they did.

A hostile implementation is run against a COPY (a shared git clone with the working tree's current files
laid over it) so that a protection that fails damages only the copy. The witnesses do not use
nnspec.checkout: :func:`fingerprint` hashes every file and link of the copy, .git included (its objects
too), bytecode caches aside; :func:`processes_with` scans /proc for a token.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.conformance.suite import ROOT

CACHES = {"__pycache__", ".pytest_cache"}


def make_template(folder: Path) -> Path:
    """A clone of the checkout at ``folder`` with the working tree's tracked and untracked files copied in."""
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(folder)], check=True)
    subprocess.run(["git", "checkout", "-q", "HEAD", "--", "."], cwd=folder, check=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    (folder / "test-artifacts" / "conformance").mkdir(parents=True)
    (folder / "test-artifacts" / "conformance" / "torch.json").write_text('{"claims": {}}\n')
    return folder


def copy_of(template: Path, folder: Path) -> Path:
    shutil.copytree(template, folder, symlinks=True)
    return folder


def fingerprint(root: Path) -> dict[str, str]:
    """{relative path: sha256, or 'link -> target'} of every file and link under ``root``, caches aside."""
    out = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        dirs[:] = [d for d in dirs if d not in CACHES]
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = f"link -> {os.readlink(path)}"
            else:
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def processes_with(token: str) -> list[str]:
    """The command lines of the processes (other than this one) that mention ``token``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if token.encode() in cmdline:
            found.append(entry + ": " + cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def run_in(copy: Path, *args, env: dict | None = None, timeout: float = 300) -> tuple[int, str]:
    """``python -m pytest -p no:cacheprovider ARGS`` in the copy (its own nnspec and specification)."""
    # nothing of this test run's own harness (its call log, its time-out memory) reaches the run in the copy
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("REFERENCE_NN_", "NNSPEC_WIRE", "PYTEST_"))}
    environ.update(PYTHONPATH=str(copy), **(env or {}))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *map(str, args)]
    done = subprocess.run(  # its own group: an implementation that kills its group must not end this test
        command, cwd=copy, env=environ, capture_output=True, text=True, timeout=timeout, start_new_session=True
    )
    return done.returncode, done.stdout + done.stderr


def settle(seconds: float) -> None:
    """Give a detached process that waits for the run to end the time to act."""
    time.sleep(seconds)
