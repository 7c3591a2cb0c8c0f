"""Shared helpers for the specification's tests.

The pytest wiring (claim markers, ``--impl`` and the ``impl`` fixture, known failures, the
conformance report) is the plugin tests/_spec/plugin.py, loaded by the root conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import yaml

GOLDEN = Path(__file__).resolve().parent / "golden"


def load_golden(relpath: str):
    """A YAML golden file under tests/golden/."""
    return yaml.safe_load((GOLDEN / relpath).read_text(encoding="utf-8"))
