"""The list of conformance reports the harness wrote: ``MANIFEST.json`` beside them.

Each report the plugin writes (``--conformance-report DIR/NAME`` -> ``DIR/NAME.json``) is entered in
``DIR/MANIFEST.json`` with the SHA-256 of its bytes; the docs site reads only the reports listed there
whose bytes still have that hash (:func:`verified`), so a file dropped into the folder, or a report edited
after the run, is not shown as a result. The manifest is rewritten atomically under a lock (two runs may
finish at once)::

    {"format": 1, "reports": {"NAME.json": {"sha256": hex, "written": ISO time}}}
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

NAME = "MANIFEST.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read(folder: Path) -> dict[str, dict]:
    """{report file name: {"sha256", "written"}} from ``folder/MANIFEST.json`` ({} when there is none)."""
    path = Path(folder) / NAME
    if not path.is_file() or path.is_symlink():
        return {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    reports = doc.get("reports") if isinstance(doc, dict) else None
    return reports if isinstance(reports, dict) else {}


@contextlib.contextmanager
def _locked(folder: Path):
    fd = os.open(folder / f".{NAME}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def add(report: Path) -> None:
    """Enter ``report`` (a JSON file the harness has just written) in its folder's manifest."""
    from nnspec.report import write_atomically

    report = Path(report)
    folder = report.parent
    with _locked(folder):
        reports = read(folder)
        reports[report.name] = {"sha256": sha256(report), "written": datetime.now(UTC).isoformat(timespec="seconds")}
        doc = {"format": 1, "reports": dict(sorted(reports.items()))}
        write_atomically(folder / NAME, json.dumps(doc, indent=1) + "\n")


def verified(folder: Path) -> list[Path]:
    """The reports of ``folder`` that its manifest lists with their current hash, sorted by name."""
    folder = Path(folder)
    out = []
    for name, entry in sorted(read(folder).items()):
        path = folder / name
        if Path(name).name != name or not path.is_file() or path.is_symlink():
            continue
        if isinstance(entry, dict) and entry.get("sha256") == sha256(path):
            out.append(path)
    return out
