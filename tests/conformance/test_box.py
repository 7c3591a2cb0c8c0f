"""The box's guarantees (nnspec/box.py), each tried by a boxed program that attempts to break it.

Every test runs once per real mechanism (bubblewrap, unshare) and is skipped, with the machine's reason,
where that mechanism cannot run. A program that attempts a write opens the file without writing a byte,
so a box that failed would make the test fail without damaging the checkout.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from nnspec import box, content

MECHANISMS = ("bwrap", "unshare")


@pytest.fixture(params=MECHANISMS)
def mechanism(request, monkeypatch):
    monkeypatch.setenv("NNSPEC_BOX", request.param)
    box._probe.cache_clear()
    ok, why = box.available()
    if not ok:
        pytest.skip(f"{request.param} cannot run here: {why}")
    yield request.param
    monkeypatch.delenv("NNSPEC_BOX")
    box._probe.cache_clear()


@pytest.fixture
def workdir(tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def boxed(code: str, workdir: Path, *, timeout: float = 60, **kwargs) -> subprocess.CompletedProcess:
    argv = box.command([sys.executable, "-c", textwrap.dedent(code)], workdir=workdir, **kwargs)
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


OPEN_FOR_WRITING = """
import errno, os, sys
for path in sys.argv[1:]:
    try:
        os.close(os.open(path, os.O_WRONLY))  # opens, writes nothing
        print("WRITABLE", path)
    except OSError as exc:
        print(errno.errorcode[exc.errno], path)
"""


def git_dir() -> Path:
    """The checkout's real .git folder (a worktree's .git is a file naming it)."""
    out = subprocess.run(["git", "rev-parse", "--git-common-dir"], cwd=content.ROOT, capture_output=True, text=True)
    return (content.ROOT / out.stdout.strip()).resolve()


def test_the_interpreter_numpy_and_the_specification_run_inside(mechanism, workdir):
    done = boxed(
        """
        import os, numpy, nnspec, reference_nn.adapter
        open("written-here", "w").write(os.environ["TMPDIR"] + " " + os.environ["HOME"])
        print(os.getcwd())
        """,
        workdir,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(workdir.resolve())
    assert (workdir / "written-here").read_text() == f"{workdir.resolve()} {workdir.resolve()}"


def test_node_and_a_compiled_program_run_inside(mechanism, workdir, tmp_path):
    build = tmp_path / "build"
    build.mkdir()
    (build / "hello.c").write_text('#include <stdio.h>\nint main(void) { puts("compiled"); return 0; }\n')
    subprocess.run(["gcc", "-o", build / "hello", build / "hello.c"], check=True)
    done = subprocess.run(box.command([str(build / "hello")], workdir=workdir, readable=[build]), capture_output=True)
    assert (done.returncode, done.stdout) == (0, b"compiled\n"), done.stderr
    node = subprocess.run(
        box.command(["node", "-e", "console.log(6 * 7)"], workdir=workdir), capture_output=True, text=True
    )
    assert (node.returncode, node.stdout) == (0, "42\n"), node.stderr


def test_it_cannot_write_to_the_checkout_its_root_files_or_git(mechanism, workdir):
    targets = [content.ROOT / "conftest.py", content.ROOT / "pyproject.toml", git_dir() / "config"]
    targets += [git_dir() / "HEAD", content.ROOT / "tests" / "claims"]
    before = [os.stat(t).st_mtime_ns for t in targets]
    argv = box.command([sys.executable, "-c", OPEN_FOR_WRITING, *map(str, targets)], workdir=workdir)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    lines = done.stdout.splitlines()
    assert len(lines) == len(targets), done.stderr
    assert not [line for line in lines if line.startswith("WRITABLE")], lines
    # a new file at the root of the checkout is refused too
    probe = content.ROOT / f"box-probe-{uuid.uuid4().hex}.py"
    made = boxed(f"open({str(probe)!r}, 'x')", workdir)
    created = probe.exists()
    probe.unlink(missing_ok=True)
    assert made.returncode != 0 and not created, made.stderr
    assert "Read-only file system" in made.stderr or "No such file" in made.stderr, made.stderr
    assert [os.stat(t).st_mtime_ns for t in targets] == before


def test_it_cannot_change_the_machine_through_proc_or_share_memory_files(mechanism, workdir):
    """A root without capabilities may still write a global sysctl (kernel.core_pattern runs a program as
    root at the next crash): /proc/sys is read-only; /dev/shm is the box's own."""
    name = f"box-probe-{uuid.uuid4().hex}"
    targets = ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches"]
    argv = box.command([sys.executable, "-c", OPEN_FOR_WRITING, *targets], workdir=workdir)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    assert done.stdout.split() == ["EROFS", targets[0], "EROFS", targets[1]], done.stderr
    shm = boxed(f"open('/dev/shm/{name}', 'w').write('x'); open('/dev/null', 'w').write('x')", workdir)
    assert shm.returncode == 0, shm.stderr
    assert not Path(f"/dev/shm/{name}").exists()


def test_it_cannot_read_a_file_it_was_not_given(mechanism, workdir, tmp_path):
    secret = tmp_path / "secret" / "grades.csv"
    secret.parent.mkdir()
    secret.write_text("learner,grade\nalice,A\n")
    given = tmp_path / "given"
    given.mkdir()
    (given / "data.txt").write_text("shared")
    code = """
    import sys
    for path in sys.argv[1:]:
        try:
            print(repr(open(path).read()))
        except OSError as exc:
            print(type(exc).__name__)
    """
    argv = [sys.executable, "-c", textwrap.dedent(code), str(secret), str(given / "data.txt"), "/etc/shadow"]
    done = subprocess.run(box.command(argv, workdir=workdir, readable=[given]), capture_output=True, text=True)
    lines = done.stdout.splitlines()
    assert lines[:2] == ["FileNotFoundError", "'shared'"], done.stderr
    # masked by /dev/null (a root child could read it): empty, or refused on a nodev mount
    assert lines[2] in {"''", "PermissionError", "FileNotFoundError"}, lines
    writes = boxed(f"open({str(given / 'data.txt')!r}, 'a')", workdir, readable=[given])
    assert writes.returncode != 0 and "Read-only file system" in writes.stderr, writes.stderr
    assert (given / "data.txt").read_text() == "shared"


def test_with_bubblewrap_only_system_folders_the_interpreter_and_the_checkout_are_visible(mechanism, workdir, tmp_path):
    if mechanism != "bwrap":
        pytest.skip("unshare shows the whole file system read-only")
    done = boxed("import os; print(sorted(os.listdir('/')))", workdir)
    visible = set(eval(done.stdout))
    assert not visible & {"root", "home", "var", "srv", "mnt"} - {Path(sys.base_prefix).parts[1]}, visible
    (tmp_path / "beside-the-workdir").write_text("")
    beside = boxed(f"import os; print(os.listdir({str(tmp_path)!r}))", workdir)
    assert beside.stdout.strip() == "['work']", beside.stdout


def test_it_has_no_network_not_even_the_harness_loopback(mechanism, workdir):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        done = boxed(
            f"""
            import socket
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=3)
                print("CONNECTED")
            except OSError as exc:
                print(type(exc).__name__)
            """,
            workdir,
        )
        with pytest.raises(TimeoutError):
            listener.accept()
    assert done.stdout.strip() in {"ConnectionRefusedError", "OSError"}, (done.stdout, done.stderr)


ESCAPE = """
import os, sys, time
token = sys.argv[1]
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:  # double-forked, in a new session, detached from every stream
        os.closerange(0, 3)
        while True:
            with open("heartbeat-" + token, "a") as beat:
                beat.write(".")
            time.sleep(0.02)
    os._exit(0)
time.sleep(float(sys.argv[2]))
"""


def _alive(token: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and token.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                found.append(int(entry))
        except OSError:
            pass
    return found


def _still_beating(beat: Path) -> bool:
    size = beat.stat().st_size if beat.exists() else 0
    time.sleep(0.3)
    return (beat.stat().st_size if beat.exists() else 0) != size


@pytest.mark.parametrize("ending", ["kill_tree", "the program exits"])
def test_a_detached_grandchild_does_not_outlive_the_box(mechanism, workdir, ending):
    token = uuid.uuid4().hex
    beat = workdir / f"heartbeat-{token}"
    argv = box.command([sys.executable, "-c", ESCAPE, token, "60" if ending == "kill_tree" else "0.5"], workdir=workdir)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while not beat.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert beat.exists(), "the grandchild never started"
        if ending == "kill_tree":
            box.kill_tree(proc)
        else:
            proc.wait(20)
        time.sleep(0.1)
        assert not _alive(token), "a boxed process outlived the box"
        assert not _still_beating(beat)
    finally:
        for pid in _alive(token):
            os.kill(pid, 9)
        box.kill_tree(proc)


HARNESS = """
import subprocess, sys, time
from pathlib import Path
from nnspec import box
work = Path(sys.argv[1])
sleeper = "import time; open('started', 'w').close(); time.sleep(60)"
subprocess.Popen(box.command([sys.executable, "-c", sleeper, sys.argv[2]], workdir=work))
time.sleep(60)
"""


def test_the_box_dies_with_the_harness(mechanism, workdir):
    """A harness killed outright (SIGKILL: no cleanup of its own runs) takes every boxed process with it."""
    token = uuid.uuid4().hex
    harness = subprocess.Popen([sys.executable, "-c", HARNESS, str(workdir), token], start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not (workdir / "started").exists() and time.monotonic() < deadline:  # the box is set up
            time.sleep(0.02)
        assert (workdir / "started").exists(), "the boxed sleeper never started"
        harness.kill()
        harness.wait()
        deadline = time.monotonic() + 5
        while _alive(token) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _alive(token), "a boxed process outlived its harness"
    finally:
        harness.kill()
        for pid in _alive(token):
            os.kill(pid, 9)


def test_the_memory_limit_stops_a_10_gb_allocation(mechanism, workdir):
    start = time.monotonic()
    done = boxed("bytearray(10 * 2**30)", workdir)
    assert done.returncode != 0 and "MemoryError" in done.stderr, done.stderr
    assert time.monotonic() - start < 30


def test_the_memory_limit_holds_without_a_box_too(workdir, monkeypatch):
    monkeypatch.setenv("NNSPEC_BOX", "none")
    box._probe.cache_clear()
    try:
        assert box.available() == (False, "NNSPEC_BOX=none: the code under test runs without a box")
        done = boxed("bytearray(10 * 2**30)", workdir)
        where = boxed("import os; print(os.getcwd(), os.environ['TMPDIR'])", workdir)
    finally:
        monkeypatch.delenv("NNSPEC_BOX")
        box._probe.cache_clear()
    assert done.returncode != 0 and "MemoryError" in done.stderr, done.stderr
    assert where.stdout.split() == [str(workdir.resolve())] * 2  # its working folder, even unboxed


def test_an_unknown_mechanism_is_refused_with_the_reason(monkeypatch, workdir):
    monkeypatch.setenv("NNSPEC_BOX", "chroot")
    box._probe.cache_clear()
    try:
        ok, why = box.available()
    finally:
        monkeypatch.delenv("NNSPEC_BOX")
        box._probe.cache_clear()
    assert not ok and "'chroot' is not one of bwrap, unshare, none" in why


def test_without_a_box_kill_tree_still_ends_the_process_group(workdir, monkeypatch):
    """The fallback's promise is smaller: the group and the tree, not a grandchild that left both."""
    monkeypatch.setenv("NNSPEC_BOX", "none")
    box._probe.cache_clear()
    code = (
        "import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', sys.argv[1]]); time.sleep(60)"
    )
    token = uuid.uuid4().hex
    try:
        argv = box.command([sys.executable, "-c", code, token], workdir=workdir)
        proc = subprocess.Popen(argv, start_new_session=True)
        deadline = time.monotonic() + 10
        while len(_alive(token)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(_alive(token)) == 2
        box.kill_tree(proc)
        assert not _alive(token)
    finally:
        monkeypatch.delenv("NNSPEC_BOX")
        box._probe.cache_clear()
        for pid in _alive(token):
            os.kill(pid, 9)
