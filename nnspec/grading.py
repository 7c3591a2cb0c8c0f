"""The teacher's choices: which claims are graded and for how many points, whether a mistake the
tutorial's own code shares costs points, and what students see. Read from a YAML file::

    tutorial: "004"
    claims:                       # claim id -> points; omitted: every claim the check can run on the
      004.update-descends-sse: 2  #   tutorial's own code, 1 point each (the same for every submission)
    shared_mistakes_cost_points: false   # a failure "as the tutorial's own code" costs nothing
    visibility: visible           # Gradescope: visible | hidden | after_due_date | after_published
    show_reasons: true            # students see the failing check's numbers and the rule
    book_url: https://...         # default: $REFERENCE_NN_BOOK_URL, else site_url in mkdocs.yml; none: no links

:func:`bundle` writes a Gradescope autograder zip (``setup.sh``, ``run_autograder``, the config and this
checkout's source) that grades ``/autograder/submission`` with those choices.
"""

from __future__ import annotations

import os
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nnspec import content

VISIBILITY = ("hidden", "after_due_date", "after_published", "visible")
CHAPTERS = ("000", "001", "002", "003", "004")


class ConfigError(Exception):
    pass


#: Where a teacher who publishes the book says it is (a grading config's ``book_url`` takes precedence).
BOOK_URL_ENV = "REFERENCE_NN_BOOK_URL"


def site_url() -> str:
    """The published book's address, with a trailing slash: ``$REFERENCE_NN_BOOK_URL``, else mkdocs.yml's
    ``site_url``; "" when neither is set (the project publishes no book of its own: links are then left
    out rather than pointing at an address nobody serves, and never at a local server)."""
    url = os.environ.get(BOOK_URL_ENV, "").strip()
    if not url:
        text = (content.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith("site_url:"):
                url = line.split(":", 1)[1].strip().strip("'\"")
    if not url or "localhost" in url or "127.0.0.1" in url:
        return ""
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class Config:
    tutorial: str
    points: dict[str, float] = field(default_factory=dict)  # empty: every checkable claim, 1 point
    shared_mistakes_cost_points: bool = False
    visibility: str = "visible"
    show_reasons: bool = True
    book_url: str = ""

    def graded(self, checkable: list[str]) -> dict[str, float]:
        """{claim id: points} of the graded claims, in the tutorial's order."""
        if not self.points:
            return {cid: 1.0 for cid in checkable}
        return {cid: float(self.points[cid]) for cid in checkable if cid in self.points} | {
            cid: float(p) for cid, p in self.points.items() if cid not in checkable
        }

    def link(self, cid: str) -> str:
        """The claim's card in the published book, or "" when no address is configured."""
        base = self.book_url or site_url()
        return f"{base}tutorials/{cid[:3]}/#{cid}" if base else ""


def default(chapter: str) -> Config:
    return Config(chapter)


def load(path) -> Config:
    return load_text(Path(path).read_text(encoding="utf-8"), str(path))


def load_text(text: str, path: str = "grading.yaml") -> Config:
    doc = yaml.safe_load(text) or {}
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: expected a mapping")
    unknown = set(doc) - {"tutorial", "claims", "shared_mistakes_cost_points", "visibility", "show_reasons", "book_url"}
    if unknown:
        raise ConfigError(f"{path}: unknown keys {sorted(unknown)}")
    chapter = str(doc.get("tutorial", "")).zfill(3)
    if chapter not in CHAPTERS:
        raise ConfigError(f"{path}: tutorial must be one of {', '.join(CHAPTERS)}, got {doc.get('tutorial')!r}")
    from nnspec.registry import load_claims

    claims = load_claims()
    points = doc.get("claims") or {}
    bad = [cid for cid in points if cid not in claims or claims[cid].tutorial != chapter]
    if bad:
        raise ConfigError(f"{path}: not claims of tutorial {chapter}: {', '.join(bad)}")
    if any(not isinstance(p, int | float) or p < 0 for p in points.values()):
        raise ConfigError(f"{path}: points must be numbers >= 0")
    visibility = doc.get("visibility", "visible")
    if visibility not in VISIBILITY:
        raise ConfigError(f"{path}: visibility must be one of {', '.join(VISIBILITY)}")
    book = str(doc.get("book_url", "") or "")
    if book and not book.endswith("/"):
        book += "/"
    if "localhost" in book or "127.0.0.1" in book:
        raise ConfigError(f"{path}: book_url {book} is not reachable by a student")
    return Config(
        chapter,
        {cid: float(p) for cid, p in points.items()},
        bool(doc.get("shared_mistakes_cost_points", False)),
        visibility,
        bool(doc.get("show_reasons", True)),
        book,
    )


SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu, as root; choose the Ubuntu 22.04
# or 24.04 base image). reference_nn needs Python 3.11 or newer: the newest one present is used, else
# Ubuntu's python3.11 is installed.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
pick() {
    for py in python3.13 python3.12 python3.11 python3; do
        if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            echo "$py"; return 0
        fi
    done
    return 1
}
apt-get update -q
py=$(pick) || { apt-get install -y -q python3.11 python3.11-venv; py=python3.11; }
apt-get install -y -q "${py}-venv" || true  # Ubuntu's venv module comes apart from the interpreter
apt-get install -y -q bubblewrap || true  # the box for the submission's code (else unshare, else none)
"$py" -m venv /autograder/venv
/autograder/venv/bin/pip install -q "/autograder/source/reference_nn[test]"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade the files in /autograder/submission as a class (one
# result per file) and put the submission's results.json where Gradescope reads it: the only gradable
# file's or, when the student handed in several, the first by name, saying so.
set -uo pipefail
cd /autograder/source/reference_nn
mkdir -p /autograder/results
/autograder/venv/bin/python -m nnspec.classroom grade {chapter} /autograder/submission \\
    --config /autograder/source/grading.yaml --gradescope-results /autograder/results/each \\
    > /autograder/results/grader.log 2>&1
/autograder/venv/bin/python -m nnspec.gradescope pick /autograder/results $?
cat /autograder/results/grader.log
"""


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=content.ROOT, capture_output=True, text=True, check=True)
    return [f for f in out.stdout.splitlines() if not f.startswith(("site/", "test-artifacts/"))]


def bundle(config: Config, out: Path, source: Path | None = None) -> Path:
    """The autograder zip: setup.sh and run_autograder at its root, the config, and the checkout."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    root = source or content.ROOT
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("setup.sh", SETUP_SH), ("run_autograder", RUN_AUTOGRADER.format(chapter=config.tutorial))):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o755 << 16
            zf.writestr(info, text)
        zf.writestr("grading.yaml", yaml.safe_dump(_as_yaml(config), sort_keys=False))
        for rel in _tracked_files():
            path = root / rel
            if path.is_file():
                zf.write(path, f"reference_nn/{rel}")
    return out


def _as_yaml(config: Config) -> dict:
    doc = {
        "tutorial": config.tutorial,
        "claims": dict(config.points),
        "shared_mistakes_cost_points": config.shared_mistakes_cost_points,
        "visibility": config.visibility,
        "show_reasons": config.show_reasons,
    }
    if config.book_url:
        doc["book_url"] = config.book_url
    return doc


__all__ = ["Config", "ConfigError", "bundle", "default", "load", "site_url"]
