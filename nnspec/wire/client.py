"""The harness's side of wire protocol v1: the implementation under test in a child process, in the box.

:class:`WireImplementation` stands where :class:`nnspec.impl.Implementation` stands in process: a test
calls ``impl.activation(...)``; the call is recorded (honest counting), encoded, sent to the child, and
its answer decoded and checked at the boundary (nnspec/boundary.py) exactly as in process. Each pytest
process (each xdist worker) keeps one child, started at its first call and again after a crash.
Because the client always knows which call is in flight, every outcome names its function:

- the child exits: ``crashed`` (:class:`Crashed`, "the implementation crashed in FN"), then a fresh child;
- no answer within the per-call limit: the child is ended and the test ``timed out`` ("Timeout (>Ns) in
  FN"); every later call of FN in this run (in any worker) times out at once, so a hang costs one limit;
- past the whole-run limit (``--run-timeout``), every call times out at once;
- a line that is not a valid answer, a wrong ``seq``, a value that is not a wire value: the test FAILS
  with the offending text shown (capped, control characters escaped), and the child is replaced;
- ``not_implemented``: the test skips as ``not implemented: FN``; ``errored``: the exception is raised
  again in the test, as its own type where Python has one (so reasons read as in process);
- warnings the child reports are raised again inside the test, naming FN, so warnings-as-errors holds.

Why hand-written process handling rather than a library: the protocol needs a per-line deadline, a
process group ended as a whole, and stderr drained without blocking; ``subprocess`` plus ``selectors``
gives exactly that in a few lines.
"""

from __future__ import annotations

import builtins
import fcntl
import os
import select
import selectors
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import warnings
from pathlib import Path

import pytest

from nnspec import boundary, box, recording
from nnspec import impl as implementations
from nnspec.wire import protocol
from nnspec.wire.protocol import WireError, shown
from reference_nn.adapter import PROTOCOL

START_LIMIT = 120.0  # seconds for the child to load the implementation and answer start
STOP_GRACE = 3.0  # seconds the child has to exit after stop
LINE_LIMIT = 256 * 2**20  # bytes of one answer line
STDERR_KEEP = 5_000  # characters kept from each end of the child's stderr per call
DEADLINE = "REFERENCE_NN_RUN_DEADLINE"  # the whole-run limit, as a time.time() value (inherited by workers)
RUN_FOLDER = "REFERENCE_NN_WIRE_RUN"  # this run's shared notes (which calls timed out), made by the controller
LOG = "NNSPEC_WIRE_LOG"  # a file to which the harness appends every line it sends ("> ") and reads ("< ")
_CRASH_WORDS = "the implementation crashed in"


class LoadError(Exception):
    """The implementation could not be started or did not answer ``start``: a usage error."""


class Crashed(BaseException):
    """The child died during a call. A BaseException, so that neither the specification's own ``except
    Exception`` nor the rule tests' re-wrapping (tests/spec/conftest.py) turns it into a failure."""


# ---- the child process -----------------------------------------------------------------------------------


class _Stderr:
    """Drains the child's stderr in a thread (a child that writes megabytes never blocks), keeping the
    first and last STDERR_KEEP characters written since the last :meth:`take`."""

    def __init__(self, stream):
        self.lock, self.head, self.tail, self.dropped = threading.Lock(), [], "", 0
        self.fd, self.busy = stream.fileno(), False
        self.thread = threading.Thread(target=self._drain, args=(stream,), daemon=True)
        self.thread.start()

    def _drain(self, stream):
        # busy is set before the bytes leave the pipe, so settle() never sees an empty pipe while a chunk
        # is in flight between the read and the buffers (under load that gap lost a call's stderr)
        fd = stream.fileno()
        while True:
            try:
                select.select([fd], [], [])
                self.busy = True
                chunk = os.read(fd, 65536)
            except (OSError, ValueError):  # the harness closed the pipe: nothing more to drain
                chunk = b""
            if not chunk:
                self.busy = False
                return
            text = chunk.decode("utf-8", errors="replace")
            with self.lock:
                room = STDERR_KEEP - sum(map(len, self.head))
                if room > 0:
                    self.head.append(text[:room])
                    text = text[room:]
                self.tail += text
                if len(self.tail) > STDERR_KEEP:
                    self.dropped += len(self.tail) - STDERR_KEEP
                    self.tail = self.tail[-STDERR_KEEP:]
            self.busy = False

    def settle(self, limit: float = 0.5) -> None:
        """Wait (briefly) until what the child wrote to stderr before its answer has been drained, so a
        call's output is shown with that call's test."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.thread.is_alive():
            try:
                pending = struct.unpack("i", fcntl.ioctl(self.fd, termios.FIONREAD, b"\0\0\0\0"))[0]
            except OSError:
                return
            if not pending and not self.busy:
                return
            time.sleep(0.002)

    def take(self) -> str:
        self.settle()
        with self.lock:
            head, tail, dropped = "".join(self.head), self.tail, self.dropped
            self.head, self.tail, self.dropped = [], "", 0
        if dropped:
            return f"{head}\n[... {dropped:,} characters of captured output left out ...]\n{tail}"
        return head + tail


class Child:
    """One running implementation: started, answering lines, ended with every descendant."""

    def __init__(self, argv: list[str], readable: list[Path]):
        self.workdir = Path(tempfile.mkdtemp(prefix="nnspec-wire-"))
        command = box.command(argv, workdir=self.workdir, readable=readable)
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=self.workdir,
            env=_child_environment(self.workdir),
            start_new_session=True,
        )
        self.stderr = _Stderr(self.proc.stderr)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)
        os.set_blocking(self.proc.stdout.fileno(), False)
        self.buffer = bytearray()
        self.alive = True

    def send(self, message: dict) -> None:
        line = protocol.dumps(message)
        _log("> ", line)
        self.proc.stdin.write(line.encode("utf-8"))
        self.proc.stdin.flush()

    def read_line(self, limit: float) -> str | None:
        """The next line within ``limit`` seconds; None when the child closed stdout or exited; TimeoutError."""
        deadline = time.monotonic() + limit
        while True:
            newline = self.buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self.buffer[: newline + 1]).decode("utf-8", errors="replace")
                del self.buffer[: newline + 1]
                _log("< ", line)
                return line
            if len(self.buffer) > LINE_LIMIT:
                raise WireError(f"an answer line longer than {LINE_LIMIT:,} bytes: {shown(bytes(self.buffer[:200]))}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if self.selector.select(min(left, 0.5)):
                chunk = os.read(self.proc.stdout.fileno(), 1 << 20)
                if not chunk:
                    return None
                self.buffer += chunk
            elif self.proc.poll() is not None:  # exited (a descendant may still hold the pipe open)
                return None

    def status(self) -> str:
        try:
            code = self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return "its process stopped answering"
        if code < 0:
            return f"its process died (signal {-code})"
        return f"its process died (exit status {code})"

    def close(self, graceful: bool = True) -> None:
        """Stop the child (``stop``, a few seconds' grace when ``graceful``) and end its whole process tree."""
        if not self.alive:
            return
        self.alive = False
        if graceful and self.proc.poll() is None:
            try:
                self.send(protocol.STOP)
                self.proc.stdin.close()
                self.proc.wait(timeout=STOP_GRACE)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        box.kill_tree(self.proc)  # every descendant too, whether or not the child exited by itself
        self.selector.close()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.stderr.thread.join(timeout=2.0)
        self.proc.stderr.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _log(direction: str, line: str) -> None:
    path = os.environ.get(LOG)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(direction + line)


#: where the harness's own nnspec and reference_nn live: the child's Python server imports the same ones
HARNESS_ROOT = Path(__file__).resolve().parents[2]


def _python_path() -> list[str]:
    """The child's PYTHONPATH: the harness's own packages first, then $PYTHONPATH made absolute (the child's
    working folder is its own)."""
    given = [str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return list(dict.fromkeys([str(HARNESS_ROOT), *given]))


def _child_environment(workdir: Path) -> dict:
    """The harness's environment without its own variables; no bytecode written next to the code under test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "REFERENCE_NN_"))}
    env.update(PYTHONPATH=os.pathsep.join(_python_path()), TMPDIR=str(workdir), PYTHONDONTWRITEBYTECODE="1")
    return env


def handshake(child: Child, limit: float = START_LIMIT) -> dict:
    """Send ``start``; the ``implementation`` object of a valid ``ready`` answer, else LoadError."""
    try:
        child.send(protocol.START)
        line = child.read_line(limit)
    except TimeoutError:
        raise LoadError(f"it did not answer start within {limit:g} s") from None
    except (OSError, WireError) as exc:
        raise LoadError(str(exc)) from None
    if line is None:
        err = child.stderr.take().strip()
        raise LoadError(
            f"{child.status()} before it answered start" + (f"; its stderr: {shown(err[-600:])}" if err else "")
        )
    try:
        answer = protocol.loads(line)
    except WireError as exc:
        raise LoadError(f"its answer to start breaks wire protocol v1: {exc}") from None
    if answer.get("ready") is False:
        raise LoadError(shown(answer.get("message", "it answered start with ready: false"), 2000))
    info = answer.get("implementation")
    if answer.get("ready") is not True or answer.get("version") != protocol.VERSION or not isinstance(info, dict):
        raise LoadError(f"its answer to start is not a ready answer of version 1: {shown(line.rstrip())}")
    functions = info.get("functions")
    if not isinstance(functions, list) or not all(isinstance(f, str) for f in functions):
        raise LoadError(f"its start answer's implementation.functions is not a list of names: {shown(line.rstrip())}")
    return info


# ---- where the implementation comes from ------------------------------------------------------------------

CMD = "cmd:"


def server_command(spec: str) -> tuple[list[str], list[Path]]:
    """(argv, folders the child must read) for ``--impl`` SPEC: ``cmd:COMMAND`` as given (paths in it made
    absolute: the child runs in its own folder), anything else served by nnspec.wire.serve."""
    if spec.startswith(CMD):
        argv, readable = [], []
        for token in shlex.split(spec[len(CMD) :]):
            path = Path(token)
            if not token.startswith("-") and (os.sep in token or path.suffix) and path.exists():
                readable.append(path.absolute().parent)
                token = str(path.absolute())  # not resolved: a venv's python is a link that must stay one
            argv.append(token)
        if not argv:
            raise LoadError("cmd: names no command")
        return argv, readable
    readable = [Path(p) for p in _python_path()]  # a dotted module is found there, in the box too
    target = spec.removeprefix("tutorial:").partition("=")[2] if spec.startswith("tutorial:") else spec
    if target.endswith(".py") or os.sep in target or "/" in target:
        path = Path(target).resolve()
        if not path.is_file():
            raise LoadError(f"no such file {path}")
        readable.append(_package_root(path))
        spec = f"{spec.partition('=')[0]}={path}" if spec.startswith("tutorial:") else str(path)
    return [sys.executable, "-m", "nnspec.wire.serve", spec], readable


def _package_root(path: Path) -> Path:
    root = path.parent
    while (root / "__init__.py").is_file():
        root = root.parent
    return root


# ---- remote exceptions and warnings ----------------------------------------------------------------------

_classes: dict[tuple[str, type], type] = {}


def _named(name: str, base: type) -> type:
    """The builtin class called ``name`` when it is a ``base``, else a ``base`` subclass of that name (shown
    without a module, as Python shows its own), so a reason reads as it would in process."""
    name = "".join(c for c in str(name) if c.isalnum() or c == "_")[:60] or base.__name__
    found = getattr(builtins, name, None)
    if isinstance(found, type) and issubclass(found, base):
        return found
    key = (name, base)
    if key not in _classes:
        _classes[key] = type(name, (base,), {"__module__": "builtins"})
    return _classes[key]


def remote_exception(name: str, message: str) -> Exception:
    cls = _named(name or "ImplementationError", Exception)
    try:
        return cls(message)
    except Exception:  # a builtin whose constructor wants more (UnicodeDecodeError, ...)
        return _named(f"{name}_", Exception)(message)


# ---- the implementation under test ------------------------------------------------------------------------


class WireImplementation:
    """The implementation under test behind the wire (the interface of nnspec.impl.Implementation)."""

    is_reference = False  # the reference is trusted and runs in process; identity never comes from the child

    def __init__(self, spec: str, *, call_limit: float | None = None, label: str | None = None):
        self.spec = label or spec
        self.argv, self.readable = server_command(spec)
        self.call_limit = call_limit or None
        self.file = None if spec.startswith(CMD) else (self.argv[-1] if "/" in self.argv[-1] else None)
        self.child: Child | None = None
        self.info: dict = {}
        self.seq = 0
        self.hung: set[str] = set()
        ok, why = box.available()
        self.mode, self.box = ("wire+box" if ok else "wire"), why

    # identity, from the start message (shown safely: capped, control characters escaped)
    @property
    def name(self) -> str:
        value = self.info.get("name")
        return shown(value, 80) if isinstance(value, str) and value else shown(Path(self.spec.split()[0]).stem, 80)

    @property
    def version(self) -> str:
        value = self.info.get("version")
        return shown(value, 40) if isinstance(value, str) and value else "unknown"

    @property
    def language(self) -> str:
        value = self.info.get("language")
        return shown(value, 40) if isinstance(value, str) and value else "unknown"

    def implementation_info(self) -> dict:
        return {"language": self.language, "mode": self.mode, "box": self.box, "source": self.spec}

    def tutorial_notes(self) -> list[str]:
        """A learner's program's notes from its start message (shown safely), if it sent any."""
        notes = self.info.get("notes")
        return [shown(n, 500) for n in notes[:20] if isinstance(n, str)] if isinstance(notes, list) else []

    def tutorial_data(self) -> dict:
        """The tutorial's data as a learner's program holds them, from its start message ({} if none or garbled)."""
        data = self.info.get("data")
        try:
            decoded = protocol.decode(data) if isinstance(data, dict) else {}
        except WireError:
            return {}
        return decoded if isinstance(decoded, dict) else {}

    def handshake(self, keep: bool = False) -> None:
        """Start the child and read what it says of itself (the controller does this once, for the header and
        the report; LoadError when it cannot start); stop it unless ``keep`` (the same process calls it next)."""
        self._start()
        if not keep:
            self.close()

    def missing(self) -> list[str]:
        functions = self.info.get("functions", [])
        return [name for name in PROTOCOL if name not in functions]

    def close(self) -> None:
        if self.child is not None:
            self.child.close()
            self.child = None

    def _start(self) -> Child:
        try:
            child = Child(self.argv, self.readable)
        except OSError as exc:  # no such program (unboxed), not executable, ...
            raise LoadError(f"cannot start {shown(self.argv[0], 200)}: {exc}") from None
        try:
            self.info = handshake(child)
        except BaseException:
            child.close(graceful=False)
            raise
        self.child = child
        return child

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in PROTOCOL:

            def protocol_function(*args, **kwargs):
                __tracebackhide__ = True
                return self.call(name, args, kwargs)

            return protocol_function
        if name in implementations.IDENTITY:
            recording.called(name)  # what the implementation says of itself is its answer (R01)
            if not self.info:
                self._start()
            key = "name" if name == "NAME" else "version"
            if key not in self.info:
                raise AttributeError(name)
            return self.info[key]
        raise AttributeError(
            f"{self.name} has no attribute {name!r} (and it is not part of the adapter protocol: {PROTOCOL})"
        )

    def __repr__(self):
        return f"<implementation {self.name} {self.version} from {self.spec} over the wire>"

    # ---- one call --------------------------------------------------------------------------------------------

    def _limit(self, fn: str) -> float:
        limit = self.call_limit or 1e9
        deadline = float(os.environ.get(DEADLINE, "0") or 0)
        if deadline:
            left = deadline - time.time()
            if left <= 0:
                pytest.fail(
                    f"Timeout (>{limit:g}s) in {fn}: the whole-run limit was reached (--run-timeout)", pytrace=False
                )
            limit = min(limit, left)
        return limit

    @staticmethod
    def hang_key(fn: str, args: tuple) -> str:
        """What a time-out is remembered under: the function, and the activation or loss it was asked for
        (a hanging relu says nothing of tanh; a hanging train stops every train)."""
        if args and isinstance(args[0], str):
            return f"{fn}.{''.join(c for c in args[0] if c.isalnum() or c == '_')[:40]}"
        return fn

    def _hung_before(self, key: str) -> bool:
        if key in self.hung:
            return True
        folder = os.environ.get(RUN_FOLDER)
        return bool(folder) and Path(folder, f"timed-out.{key}").exists()

    def _note_hung(self, key: str) -> None:
        self.hung.add(key)
        folder = os.environ.get(RUN_FOLDER)  # shared with the other xdist workers
        if folder:
            Path(folder, f"timed-out.{key}").touch()

    def call(self, fn: str, args: tuple, kwargs: dict):
        __tracebackhide__ = True
        recording.called(fn)
        limit = self._limit(fn)
        key = self.hang_key(fn, args)
        if self._hung_before(key):
            what = key.replace(".", " ", 1)
            pytest.fail(
                f"Timeout (>{self.call_limit or limit:g}s) in {fn}: {what} timed out earlier in this run, so it is "
                "not called again",
                pytrace=False,
            )
        if self.child is None or not self.child.alive:
            try:
                self._start()
            except LoadError as exc:
                raise Crashed(f"{_CRASH_WORDS} {fn}: a fresh process could not be started: {exc}") from None
        child = self.child
        if fn not in self.info.get("functions", []):
            pytest.skip(f"{implementations.NOT_IMPLEMENTED}{fn}")
        self.seq += 1
        seq = self.seq
        finished = False
        try:
            child.send(protocol.call(seq, fn, args, kwargs))
            line = child.read_line(limit)
            finished = True
        except TimeoutError:
            self._note_hung(key)
            child.close(graceful=False)
            self._relay(child)
            pytest.fail(f"Timeout (>{limit:g}s) in {fn}: it did not answer; its process was ended", pytrace=False)
        except BrokenPipeError:
            line = None
            finished = True
        except WireError as exc:
            child.close(graceful=False)
            self._relay(child)
            pytest.fail(f"{fn}: the implementation's answer breaks wire protocol v1: {exc}", pytrace=False)
        except BaseException as exc:  # pytest-timeout's signal, a KeyboardInterrupt: the child's state is unknown
            if "Timeout" in str(exc):
                self._note_hung(key)
            child.close(graceful=False)
            raise
        finally:
            if not finished and child.alive:
                child.close(graceful=False)
        if line is None:
            status = child.status()
            child.close(graceful=False)
            self._relay(child)
            raise Crashed(f"{_CRASH_WORDS} {fn}: {status}")
        self._relay(child)
        return self._answer(child, fn, seq, line, args, kwargs)

    @staticmethod
    def _relay(child: Child) -> None:
        text = child.stderr.take()
        if text:
            sys.stderr.write(text)  # captured by pytest with the test, capped in its report

    def _answer(self, child: Child, fn: str, seq: int, line: str, args: tuple, kwargs: dict):
        __tracebackhide__ = True

        def garbage(why: str):
            child.close(graceful=False)
            pytest.fail(f"{fn}: the implementation's answer breaks wire protocol v1: {why}", pytrace=False)

        try:
            answer = protocol.loads(line)
        except WireError as exc:
            garbage(str(exc))
        if answer.get("seq") != seq:
            garbage(f"it answered seq {shown(answer.get('seq'), 40)} to call seq {seq}: {shown(line.rstrip())}")
        for warning in answer.get("warnings", []) if isinstance(answer.get("warnings"), list) else []:
            if isinstance(warning, dict):
                category = _named(warning.get("category", "UserWarning"), Warning)
                warnings.warn(f"{shown(warning.get('message', ''), 2000)} (in {fn})", category, stacklevel=3)
        if answer.get("not_implemented") is True:
            detail = f" ({shown(answer['message'], 200)})" if answer.get("message") else ""
            pytest.skip(f"{implementations.NOT_IMPLEMENTED}{fn}{detail}")
        if answer.get("errored") is True:
            raise remote_exception(answer.get("exception", ""), shown(answer.get("message", ""), 2000))
        if "result" not in answer:
            garbage(f"an answer with none of result, not_implemented, errored: {shown(line.rstrip())}")
        try:
            result = protocol.decode(answer["result"], results=True)
        except WireError as exc:
            garbage(str(exc))
        if fn == "dense_backward" and isinstance(result, list):
            result = tuple(result)  # the protocol's (dx, dW, db); JSON has only arrays
        modified = answer.get("modified", [])
        if modified:
            boundary.fail_if_modified(fn, [shown(m, 40) for m in modified if isinstance(m, str)])
        boundary.check_result(fn, args, kwargs, result)
        return result


# ---- limits from the command line -------------------------------------------------------------------------


def call_limit(config) -> float | None:
    """``--call-timeout``, else the test's own limit (pytest-timeout's ``--timeout``), else none."""
    value = config.getoption("call_timeout", None) or getattr(config.option, "timeout", None)
    return float(value) if value else None


def set_run_deadline(config) -> None:
    """A fresh folder for this run's notes, and ``--run-timeout S``: the run's deadline, both in the
    environment the xdist workers inherit (a run started inside another run gets its own)."""
    folder = tempfile.mkdtemp(prefix="nnspec-wire-run-")
    previous = os.environ.get(RUN_FOLDER)
    os.environ[RUN_FOLDER] = folder

    def restore():
        shutil.rmtree(folder, ignore_errors=True)
        if previous is None:
            os.environ.pop(RUN_FOLDER, None)
        else:
            os.environ[RUN_FOLDER] = previous

    config.add_cleanup(restore)
    os.environ.pop(DEADLINE, None)
    seconds = config.getoption("run_timeout", None)
    if seconds:
        os.environ[DEADLINE] = str(time.time() + float(seconds))
        config.add_cleanup(lambda: os.environ.pop(DEADLINE, None))


def run_limit_reached(config) -> str:
    """What to report when the whole-run limit was reached ('' when it was not, or there is none)."""
    seconds = config.getoption("run_timeout", None)
    deadline = float(os.environ.get(DEADLINE, "0") or 0)
    if seconds and deadline and time.time() >= deadline:
        return f"the whole-run limit of {float(seconds):g} s (--run-timeout) was reached"
    return ""
