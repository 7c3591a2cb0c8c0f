"""What a validation run may not change: the whole checkout, its git folder and the reports already there.

:func:`snapshot` fingerprints, before the implementation under test starts and again at the end:

- every file git would show (tracked, and untracked but not ignored: ``git ls-files -co --exclude-standard``),
  root files (conftest.py, pyproject.toml) included; without git, every file outside the folders below;
- from ``.git``: config, config.worktree, HEAD, packed-refs, hooks/, info/, refs/tags/ and the ref of the
  branch checked out (not objects, whose content is named by their hash, nor other branches' refs, which a
  concurrent commit in a shared repository moves);
- what the site reads from ``test-artifacts/`` (``READ_BY_THE_SITE``: the conformance reports and their
  manifest, the claims JSON, the book's run states), except the files this run's harness writes itself
  (``exclude``). Its scratch folders (screenshots, mutant runs, logs) are not guarded: other processes
  write them while a run goes on, and nothing reads them back as a result.

Each entry is the file's mode and SHA-256, or ``symlink -> TARGET`` for a link (links are never followed,
and a folder on the way to a listed file that has become a link is an entry of its own). :func:`changes`
names every difference. Not covered: ``.venv``, bytecode caches and other ignored files (the harness
writes some of them; the box makes all of them read-only to the code under test).
Measured: about 20 ms for this checkout (≈ 210 files, 1.4 MB, plus test-artifacts).
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from nnspec import content

ROOT = content.ROOT
ARTIFACTS = "test-artifacts"
READ_BY_THE_SITE = ("conformance", "book", "claims.json", "claims.printed.json")  # under ARTIFACTS
GIT_FILES = ("config", "config.worktree", "HEAD", "packed-refs", "commondir", "gitdir")
GIT_FOLDERS = ("hooks", "info", "refs/tags")
NOT_WALKED = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "site",
              "node_modules", "build"}  # fmt: skip
# git itself must not run anything a changed config asks for while it lists the files
_SAFE_GIT = ["git", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.hooksPath=/dev/null"]


def _fingerprint(path: Path) -> str | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return f"symlink -> {os.readlink(path)}"
    if not stat.S_ISREG(info.st_mode):
        return f"not a file (mode {info.st_mode:o})"
    with open(path, "rb") as handle:  # lstat said: not a link
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return f"{stat.S_IMODE(info.st_mode):o} {digest}"


def _listed(root: Path) -> Iterator[str]:
    try:
        out = subprocess.run(
            [*_SAFE_GIT, "ls-files", "-z", "-co", "--exclude-standard"],
            cwd=root, capture_output=True, check=True, timeout=60, stdin=subprocess.DEVNULL,
        ).stdout  # fmt: skip
        yield from (name for name in out.decode("utf-8", "surrogateescape").split("\0") if name)
    except (OSError, subprocess.SubprocessError):
        yield from _walk(root, root, skip=NOT_WALKED)


def _walk(root: Path, top: Path, skip: set[str] = frozenset()) -> Iterator[str]:
    """Paths under ``top`` relative to ``root``, links to folders included as entries, never followed."""
    if top.is_symlink() or top.is_file():
        yield top.relative_to(root).as_posix()
        return
    for folder, dirs, files in os.walk(top, followlinks=False):
        base = Path(folder)
        dirs[:] = [d for d in dirs if d not in skip or (base / d).is_symlink()]
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            yield (base / name).relative_to(root).as_posix()


def _git_dirs(root: Path) -> tuple[Path, Path] | None:
    """(the git folder of this checkout, the common one): the same unless the checkout is a worktree."""
    dot = root / ".git"
    if dot.is_dir() and not dot.is_symlink():
        return dot, dot
    try:
        text = dot.read_text(encoding="utf-8")
    except OSError:
        return None
    if not text.startswith("gitdir:"):
        return None
    own = (root / text[len("gitdir:") :].strip()).resolve()
    try:
        common = (own / (own / "commondir").read_text(encoding="utf-8").strip()).resolve()
    except OSError:
        common = own
    return own, common


def _git_entries(root: Path) -> dict[str, str]:
    dirs = _git_dirs(root)
    if dirs is None:
        return {}
    own, common = dirs
    paths = [folder / name for folder in {own, common} for name in GIT_FILES]
    head = (own / "HEAD").read_text(encoding="utf-8", errors="replace") if (own / "HEAD").exists() else ""
    if head.startswith("ref: "):
        paths.append(common / head[5:].strip())
    entries = {}
    for path in paths:
        value = _fingerprint(path)
        if value is not None:
            entries[f".git/{path.relative_to(common).as_posix()}"] = value
    for sub in GIT_FOLDERS:
        top = common / sub
        if top.exists() or top.is_symlink():
            for rel in _walk(common, top):
                entries[f".git/{rel}"] = _fingerprint(common / rel) or "unreadable"
    return entries


def snapshot(exclude: Iterable[str | Path] = (), *, root: Path | None = None) -> dict[str, str]:
    """{path relative to the checkout (.git/... for the git folder): mode and sha256, or the link's target}.

    ``exclude``: files the harness itself writes during this run (its reports), absolute or relative to
    ``root`` (the checkout this package belongs to unless given)."""
    root = Path(root or ROOT)
    skipped = {os.path.abspath(root / p) for p in exclude}
    names = set(_listed(root))
    artifacts = root / ARTIFACTS
    if artifacts.is_symlink():
        names.add(ARTIFACTS)
    elif artifacts.is_dir():
        for part in READ_BY_THE_SITE:
            if (artifacts / part).exists() or (artifacts / part).is_symlink():
                names |= set(_walk(root, artifacts / part))
    entries = {}
    parents: dict[str, bool] = {}
    for name in sorted(names):
        if os.path.abspath(root / name) in skipped:
            continue
        for parent in list(Path(name).parents)[:-1]:  # a folder replaced by a link is a change of its own
            key = parent.as_posix()
            if key not in parents:
                parents[key] = os.path.islink(root / key)
                if parents[key]:
                    entries[key] = _fingerprint(root / key)
        value = _fingerprint(root / name)
        if value is not None:
            entries[name] = value
    entries.update(_git_entries(root))
    return entries


def harness_outputs(config) -> list[Path]:
    """The files this run's harness writes itself (reports, claims JSON, JUnit XML): excluded from the
    comparison so that the harness's own writing is not a change. Each is still written by the harness,
    atomically and without following links, after the comparison, so a forged one does not survive."""
    from nnspec.report import report_paths

    paths: list[Path] = []
    report = _option(config, "conformance_report")
    if report:
        paths += report_paths(report)
    claims = _option(config, "claims_json")
    if claims:
        paths += [Path(claims), Path(claims).with_name(Path(claims).stem + ".printed.json")]
    for name in ("gradescope_results", "xmlpath"):
        value = _option(config, name)
        if value:
            paths.append(Path(value))
    return [p if p.is_absolute() else Path(config.invocation_params.dir) / p for p in paths]


def _option(config, name: str):
    try:
        return config.getoption(name, None)
    except ValueError:
        return None


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """'added PATH', 'changed PATH', 'removed PATH' for every difference, sorted by path."""
    out = []
    for path in sorted(before.keys() | after.keys()):
        if path not in before:
            out.append(f"added {path}")
        elif path not in after:
            out.append(f"removed {path}")
        elif before[path] != after[path]:
            out.append(f"changed {path}")
    return out
