"""nnspec.checkout: every tampering issue 23 lists is named, on a git clone of the checkout in tmp_path.

Each test changes a clone, never the real checkout, and asserts the exact names :func:`changes` reports.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from nnspec import checkout, content


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    clone = tmp_path_factory.mktemp("template") / "checkout"
    subprocess.run(["git", "clone", "-q", "--shared", str(content.ROOT), str(clone)], check=True)
    (clone / "test-artifacts" / "conformance").mkdir(parents=True)
    (clone / "test-artifacts" / "conformance" / "torch.json").write_text('{"claims": {}}\n')
    return clone


@pytest.fixture
def clone(template, tmp_path) -> Path:
    copy = tmp_path / "checkout"
    shutil.copytree(template, copy, symlinks=True)
    return copy


def changed(clone: Path, tamper) -> list[str]:
    before = checkout.snapshot(root=clone)
    tamper(clone)
    return checkout.changes(before, checkout.snapshot(root=clone))


def test_an_untouched_checkout_has_no_changes(clone):
    assert changed(clone, lambda root: None) == []


def test_appending_to_the_root_conftest_is_named(clone):
    def tamper(root):
        with open(root / "conftest.py", "a") as handle:
            handle.write("import os; os.system('echo planted')\n")

    assert changed(clone, tamper) == ["changed conftest.py"]


def test_a_new_file_at_the_root_and_a_chmod_are_named(clone):
    def tamper(root):
        (root / "sitecustomize.py").write_text("print('planted')\n")
        (root / "pyproject.toml").chmod(0o777)

    assert changed(clone, tamper) == ["changed pyproject.toml", "added sitecustomize.py"]


def test_git_config_hooks_and_refs_are_covered(clone):
    def tamper(root):
        subprocess.run(["git", "config", "core.fsmonitor", "echo planted"], cwd=root, check=True)
        (root / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\necho planted\n")
        (root / ".git" / "info").mkdir(exist_ok=True)
        (root / ".git" / "info" / "attributes").write_text("* filter=planted\n")

    names = changed(clone, tamper)
    assert names == ["changed .git/config", "added .git/hooks/pre-commit", "added .git/info/attributes"]


def test_moving_the_checked_out_branch_is_named(clone):
    head = (clone / ".git" / "HEAD").read_text().split()[1]

    def tamper(root):
        (root / "extra").write_text("x")
        subprocess.run(["git", "add", "extra"], cwd=root, check=True)
        subprocess.run(["git", "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "x"], cwd=root, check=True)

    names = changed(clone, tamper)
    assert f"changed .git/{head}" in names and "added extra" in names, names


def test_listing_the_files_does_not_run_a_planted_fsmonitor(clone):
    witness = clone.parent / "fsmonitor-ran"
    subprocess.run(["git", "config", "core.fsmonitor", f"touch {witness}; false"], cwd=clone, check=True)
    checkout.snapshot(root=clone)
    assert not witness.exists()


def test_a_forged_report_in_test_artifacts_is_named(clone):
    def tamper(root):
        (root / "test-artifacts" / "conformance" / "forged_torch.json").write_text('{"name": "torch"}')
        (root / "test-artifacts" / "conformance" / "torch.json").write_text('{"claims": {"x": "passed"}}')

    assert changed(clone, tamper) == [
        "added test-artifacts/conformance/forged_torch.json",
        "changed test-artifacts/conformance/torch.json",
    ]


def test_the_report_folder_replaced_by_a_link_into_the_goldens_is_named(clone):
    def tamper(root):
        shutil.rmtree(root / "test-artifacts" / "conformance")
        (root / "test-artifacts" / "conformance").symlink_to(root / "tests" / "golden")

    assert changed(clone, tamper) == [
        "added test-artifacts/conformance",
        "removed test-artifacts/conformance/torch.json",
    ]


def test_a_specification_folder_replaced_by_an_identical_copy_behind_a_link_is_named(clone):
    def tamper(root):
        shutil.copytree(root / "tests" / "golden", root.parent / "golden-copy")
        shutil.rmtree(root / "tests" / "golden")
        (root / "tests" / "golden").symlink_to(root.parent / "golden-copy")

    assert changed(clone, tamper) == ["added tests/golden"]


def test_scratch_folders_of_test_artifacts_are_not_the_sites_input_and_not_guarded(clone):
    """Screenshots and logs written by other processes while a run goes on void nothing; what the site
    reads (the reports, the claims JSON, the book's run states) stays guarded."""

    def tamper(root):
        (root / "test-artifacts" / "site").mkdir()
        (root / "test-artifacts" / "site" / "ledger-390.png").write_bytes(b"png")
        (root / "test-artifacts" / "claims.json").write_text('{"000.x": "passed"}')
        (root / "test-artifacts" / "book").mkdir()
        (root / "test-artifacts" / "book" / "runs.json").write_text("{}")

    assert changed(clone, tamper) == ["added test-artifacts/book/runs.json", "added test-artifacts/claims.json"]


def test_the_harness_own_outputs_are_excluded_and_nothing_else(clone):
    report = clone / "test-artifacts" / "conformance" / "torch.json"

    def tamper(root):
        report.write_text('{"claims": {"written": "by the harness"}}')
        (root / "test-artifacts" / "conformance" / "MANIFEST.json").write_text("{}")

    before = checkout.snapshot([report], root=clone)
    tamper(clone)
    after = checkout.snapshot([report], root=clone)
    assert checkout.changes(before, after) == ["added test-artifacts/conformance/MANIFEST.json"]


def test_a_snapshot_of_this_checkout_is_fast():
    start = time.perf_counter()
    entries = checkout.snapshot()
    seconds = time.perf_counter() - start
    assert "conftest.py" in entries and "pyproject.toml" in entries and ".git/HEAD" in entries
    assert seconds < 2, f"{seconds:.2f} s"
