"""The site tests build the docs once per session with ``mkdocs build --strict`` into a temporary directory."""

from __future__ import annotations

import fcntl
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnspec import content

ROOT = content.ROOT
DOCS_MODULES = ("mkdocs", "material", "mkdocs_jupyter", "mkdocstrings_handlers.python", "latex2mathml", "matplotlib")


def _missing_modules() -> list[str]:
    missing = []
    for name in DOCS_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(name)
    return missing


def _build(out: Path) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return proc.returncode, proc.stderr[-6000:]


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The built site's directory (the build's own output is shown when it fails).

    Under pytest-xdist the workers share one build: the first to take the lock builds, the others wait and
    read its result.
    """
    missing = _missing_modules()
    if missing:
        pytest.skip(f"the docs dependencies are not installed ({', '.join(missing)}): pip install -e '.[docs]'")
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # shared by the workers of this run
    out, result = root / "site", root / "site-build.json"
    with open(root / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.is_file():
            returncode, stderr = _build(out)
            result.write_text(json.dumps({"returncode": returncode, "stderr": stderr}))
        outcome = json.loads(result.read_text())
    if outcome["returncode"] != 0:
        pytest.fail(f"mkdocs build --strict failed ({outcome['returncode']}):\n{outcome['stderr']}", pytrace=False)
    return out
