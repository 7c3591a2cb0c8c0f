"""The box: how the code under test is started, so that it cannot touch the checkout, the reports or the grades.

CONTRACT (other modules rely on exactly these names):

- ``available() -> tuple[bool, str]``: whether this machine can provide a real sandbox, and if not, why
  (the report shows the reason as a visible warning). The string always says which mechanism runs.
- ``command(argv, *, workdir, readable=(), memory_mb=MEMORY_MB) -> list[str]``: ``argv`` wrapped so that it
  runs in the box: the checkout (and ``readable`` paths) read-only, ``workdir`` (an empty folder the harness
  made) writable and its working directory, TMPDIR and HOME, no network, a memory limit, its own process
  group or namespace that dies with the harness. Where no sandbox is available it returns ``argv`` with only
  the memory limit and the environment applied.
- ``kill_tree(proc)``: ends ``proc`` (a ``subprocess.Popen``) and every descendant it started.

Mechanisms, in the order tried (``NNSPEC_BOX=bwrap|unshare|none`` forces one, for tests and for debugging):

1. **bwrap** (Debian's bubblewrap): a new mount, pid, network, ipc, uts, cgroup and user namespace. The
   child sees only the system folders (/usr, /bin, /lib*, /etc, /opt), the interpreter's prefixes, the
   checkout and ``readable``, all read-only; a private empty /tmp; ``workdir`` writable; no network device
   but a loopback of its own; every capability dropped (``--cap-drop ALL``: without it a root child can
   remount its view read-write); a session of its own (no TIOCSTI into the harness's terminal); pid 1 of
   its namespace dies with the harness (``--die-with-parent``), and with pid 1 dies every process in it.
2. **unshare** (util-linux, needs root): the same namespaces without the user namespace, dying with the
   harness through ``setpriv --pdeathsig`` and ``unshare --kill-child``; a small shell
   script remounts every mount point read-only, puts a fresh tmpfs on /tmp, moves ``workdir`` back in, and
   drops every capability (``setpriv``) before running ``argv``. The whole file system is visible
   (read-only), not only the folders bwrap shows.
3. **none**: ``argv`` as given; the caller's new session is the only separation. ``available()`` is False.

The memory limit is ``prlimit --as`` (RLIMIT_AS, the address space of each process, inherited by its
children): simple, needs no cgroup, but it is per process, not a total over the process tree.
"""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from nnspec import content

MEMORY_MB = 4096
MECHANISMS = ("bwrap", "unshare", "none")
MASKED = ("/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-")  # a root child could read them
PROC_READ_ONLY = ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs")
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt")
_PROBE_TIMEOUT = 10


def _prefixes() -> list[Path]:
    """The folders the harness's own interpreter lives in (a venv and the Python it was made from)."""
    return [Path(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}]


def _bwrap(argv: Sequence[str], workdir: Path, readable: Sequence[Path]) -> list[str]:
    cmd = ["bwrap", "--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--new-session"]
    for folder in SYSTEM_FOLDERS:
        if os.path.islink(folder):
            cmd += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            cmd += ["--ro-bind", folder, folder]
    cmd += ["--dev", "/dev", "--proc", "/proc"]
    for path in PROC_READ_ONLY:  # a capability-less root may still write global sysctls (core_pattern!)
        cmd += ["--ro-bind-try", path, path]
    for path in MASKED:
        if os.path.exists(path):
            cmd += ["--ro-bind", "/dev/null", path]
    cmd += ["--tmpfs", "/tmp"]
    for path in _visible(readable):  # after /tmp's tmpfs, so that a checkout under /tmp shows through
        cmd += ["--ro-bind", path, path]
    cmd += ["--bind", str(workdir), str(workdir), "--chdir", str(workdir)]
    cmd += ["--setenv", "TMPDIR", str(workdir), "--setenv", "HOME", str(workdir), "--"]
    return cmd + list(argv)


# Runs as pid 1 of fresh mount/pid/net namespaces, as root: hide /tmp and /dev/shm, make every mount and the
# global parts of /proc (sysctls) read-only, keep
# the workdir and the readable folders under /tmp reachable by moving them through a private holder,
# then drop every capability so that nothing can be remounted read-write again.
_UNSHARE_SCRIPT = r"""
set -eu
W=$1; N=$2; shift 2
mount -n -t tmpfs box /mnt
mkdir /mnt/w; mount -n --bind "$W" /mnt/w
i=0; MOVES=""
while [ "$i" -lt "$N" ]; do
  mkdir /mnt/$i; mount -n --bind "$1" /mnt/$i; MOVES="$MOVES$i $1
"; shift; i=$((i+1))
done
awk '{print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
  case "$m" in /mnt|/mnt/*|/proc|/proc/*) ;; *) mount -n -o remount,bind,ro "$m" 2>/dev/null || true ;; esac
done
for p in $PROC_READ_ONLY; do
  if [ -e "$p" ]; then mount -n --bind "$p" "$p"; mount -n -o remount,bind,ro "$p"; fi
done
mount -n -t tmpfs box /dev/shm
for p in $MASKED; do
  if [ -e "$p" ]; then mount -n --bind /dev/null "$p"; fi
done
mount -n -t tmpfs box /tmp
printf '%s' "$MOVES" | while read -r j r; do
  case "$r" in /tmp/*) mkdir -p "$r"; mount -n --move /mnt/$j "$r"; mount -n -o remount,bind,ro "$r" ;; esac
done
mkdir -p "$W"; mount -n --move /mnt/w "$W"; mount -n -o remount,bind,rw "$W"
cd "$W"
setpriv --bounding-set=-all --inh-caps=-all --no-new-privs -- env TMPDIR="$W" HOME="$W" "$@"
"""  # no exec: this shell stays pid 1, so the program is an ordinary process that its own signals reach


def _unshare(argv: Sequence[str], workdir: Path, readable: Sequence[Path]) -> list[str]:
    paths = _visible(readable)
    script = _UNSHARE_SCRIPT.replace("$PROC_READ_ONLY", " ".join(PROC_READ_ONLY)).replace("$MASKED", " ".join(MASKED))
    return [
        "setpriv", "--pdeathsig", "KILL", "--",  # unshare dies with the harness, and takes pid 1 with it
        "unshare", "--mount", "--pid", "--net", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc",
        "--propagation", "private", "setsid", "sh", "-c", script, "box", str(workdir), str(len(paths)),
        *paths, *argv,
    ]  # fmt: skip


def _visible(readable: Sequence[Path]) -> list[str]:
    """The checkout, the interpreter and ``readable``, existing ones only, parents before children."""
    paths = {os.path.realpath(p) for p in [content.ROOT, *_prefixes(), *readable] if os.path.exists(p)}
    paths |= {str(Path(p)) for p in [content.ROOT, *readable] if os.path.exists(p)}  # as named, links too
    return sorted(paths, key=lambda p: (p.count("/"), p))


def _limit(argv: Sequence[str], memory_mb: int) -> list[str]:
    return ["prlimit", f"--as={memory_mb * 1024 * 1024}", "--", *argv]


def mechanism() -> str:
    """The mechanism :func:`command` uses on this machine: 'bwrap', 'unshare' or 'none'."""
    return _probe()[0]


def available() -> tuple[bool, str]:
    name, why = _probe()
    return name != "none", why


@functools.cache
def _probe() -> tuple[str, str]:
    """Try each mechanism on a trivial program: installed is not enough (a container may refuse namespaces)."""
    forced = os.environ.get("NNSPEC_BOX", "")
    if forced and forced not in MECHANISMS:
        return "none", f"NNSPEC_BOX={forced!r} is not one of {', '.join(MECHANISMS)}: no box"
    refusals = []
    for name in [forced] if forced else MECHANISMS[:-1]:
        if name == "none":
            return "none", "NNSPEC_BOX=none: the code under test runs without a box"
        reason = _refusal(name)
        if reason is None:
            return name, _DESCRIPTIONS[name]
        refusals.append(f"{name}: {reason}")
    return "none", "no box on this machine (" + "; ".join(refusals) + "): the code under test runs unconfined"


_DESCRIPTIONS = {
    "bwrap": "bubblewrap: checkout read-only, only system folders visible, private /tmp, no network, "
    "own pid namespace, no capabilities, memory limit (RLIMIT_AS)",
    "unshare": "unshare: whole file system read-only, private /tmp, no network, own pid namespace, "
    "no capabilities, memory limit (RLIMIT_AS)",
}


def _refusal(name: str) -> str | None:
    tools = {"bwrap": ["bwrap", "prlimit"], "unshare": ["unshare", "setpriv", "prlimit"]}[name]
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        return f"{', '.join(missing)} not installed"
    if name == "unshare" and os.geteuid() != 0:
        return "needs root"
    workdir = Path(os.environ.get("TMPDIR", "/tmp"))
    wrap = _bwrap if name == "bwrap" else _unshare
    try:
        done = subprocess.run(
            wrap(["true"], workdir, []), capture_output=True, text=True, timeout=_PROBE_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{type(exc).__name__}: {exc}"
    if done.returncode != 0:
        return f"refused (exit {done.returncode}: {done.stderr.strip()[:200] or 'no message'})"
    return None


def command(
    argv: Sequence[str], *, workdir: Path, readable: Sequence[Path] = (), memory_mb: int = MEMORY_MB
) -> list[str]:
    """``argv`` wrapped to run in the box (see the module docstring); ``workdir`` must exist."""
    workdir = Path(workdir).resolve()
    inner = _limit(argv, memory_mb)
    name = mechanism()
    if name == "bwrap":
        return _bwrap(inner, workdir, readable)
    if name == "unshare":
        return _unshare(inner, workdir, readable)
    return ["env", f"--chdir={workdir}", f"TMPDIR={workdir}", f"HOME={workdir}", *inner]


def describe(argv: Sequence[str]) -> str:
    """One line a person can paste into a shell."""
    return shlex.join(argv)


def _processes() -> dict[int, tuple[int, str, str]]:
    """{pid: (parent pid, start time, state)} of every process this harness can see, from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            table[int(entry)] = (int(fields[1]), fields[19], fields[0])
    return table


def _descendants(pid: int, table: dict[int, tuple[int, str, str]]) -> dict[int, str]:
    children: dict[int, list[int]] = {}
    for child, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(child)
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = table[child][1]
            todo.append(child)
    return found


def _pid_namespace(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/pid")
    except OSError:
        return None


def kill_tree(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """SIGKILL ``proc``, its process group, every descendant, and every process of a pid namespace one of
    them made; return when they are all gone (or after ``timeout``). In a pid namespace this is exact: its
    pid 1 dies and the kernel kills the rest. Without one, a process that left both the tree (double fork)
    and the group (setsid) cannot be found and may survive."""
    table = _processes()
    tree = _descendants(proc.pid, table)
    own = _pid_namespace(os.getpid())
    namespaces = {ns for ns in map(_pid_namespace, tree) if ns and ns != own}
    # a reaped proc's pid may belong to someone else now; its group id cannot be reused while the group lives
    signals = [(os.killpg, proc.pid)] + ([(os.kill, proc.pid)] if proc.poll() is None else [])
    for sender, target in [*signals, *((os.kill, pid) for pid in tree)]:
        try:
            sender(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = {pid: entry for pid, entry in _processes().items() if entry[2] not in "ZX"}  # a zombie is dead
        alive = [pid for pid, start in tree.items() if pid in now and now[pid][1] == start]
        alive += [pid for pid in now if namespaces and _pid_namespace(pid) in namespaces]
        if not alive:
            return
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)


def measure(repeat: int = 20) -> dict[str, float]:
    """Median milliseconds to start and end ``true``, unboxed and boxed with each mechanism that runs here."""
    import statistics
    import tempfile

    def median_ms(argv: list[str]) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(argv, check=True)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    out = {"unboxed": median_ms(["true"])}
    forced = os.environ.get("NNSPEC_BOX")
    with tempfile.TemporaryDirectory() as workdir:
        for name in MECHANISMS[:-1]:
            os.environ["NNSPEC_BOX"] = name
            _probe.cache_clear()
            if available()[0]:
                out[name] = median_ms(command(["true"], workdir=Path(workdir)))
    if forced is None:
        os.environ.pop("NNSPEC_BOX")
    else:
        os.environ["NNSPEC_BOX"] = forced
    _probe.cache_clear()
    return out


if __name__ == "__main__":  # python -m nnspec.box [--measure]: what this machine's box is, and its cost
    print(available())
    if "--measure" in sys.argv:
        for what, ms in measure().items():
            print(f"{what:<8} {ms:7.1f} ms")
