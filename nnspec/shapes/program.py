"""Loading a learner's tutorial-shaped program without running its training.

The tutorials' programs train at module level (``for j in range(60000): ...``) or under
``if __name__ == "__main__":``. A check needs the program's definitions, not its run, so a file is
loaded like this:

- it runs as a module named ``tutorial_code_under_test`` (a ``__main__`` block does not run), in a
  temporary working directory (files it writes, such as 001's ``w1.txt``, go there), with its
  printing captured;
- its top-level statements run one at a time, except loops (``for``/``while``): those are kept,
  not run (tutorial 000's check runs a loop's body as one training step);
- a statement that raises is skipped and its error remembered (it is named if the program's
  shape then turns out incomplete), so ``print(l1)`` after a skipped loop does no harm;
- loading stops after ``TIME_LIMIT`` seconds (when loaded in the main thread, where the timer's signal arrives).
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import select
import signal
import sys
import tempfile
import threading
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

from nnspec import notebook

MODULE_NAME = "tutorial_code_under_test"
TIME_LIMIT = 10.0  # seconds for the whole top level (the tutorials' definitions take milliseconds)
PRINT_LIMIT = 1_000_000  # characters the top level may print (they are captured, and thrown away)


class ShapeError(Exception):
    """The file does not follow its tutorial's shape: one line saying what was expected and found."""


class _TimeUp(Exception):
    pass


@dataclass
class Program:
    """A loaded program: its module, its kept top-level loops and the errors its top level raised."""

    path: Path
    module: types.ModuleType
    loops: list[ast.For | ast.While] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # a notebook's IPython lines dropped
    unrun: list[ast.stmt] = field(default_factory=list)  # top-level code not run: loops, __main__ blocks, errors

    def names(self) -> str:
        """What the module defines, for an error message: 'classes A, B; functions f, g'."""
        public = {k: v for k, v in vars(self.module).items() if not k.startswith("_")}
        classes = sorted(k for k, v in public.items() if isinstance(v, type))
        functions = sorted(k for k, v in public.items() if isinstance(v, types.FunctionType))
        parts = [f"classes {', '.join(classes)}" if classes else "no classes"]
        parts.append(f"functions {', '.join(functions)}" if functions else "no functions")
        return "; ".join(parts)

    def found(self) -> str:
        """The found-part of a shape error: the definitions, and the first error of the top level."""
        text = f"{self.path.name} has {self.names()}"
        if self.errors:
            text += f" (its top level raised: {self.errors[0]})"
        return text


class _Capped(io.StringIO):
    """Captured printing that stops a top level printing without end (at PRINT_LIMIT characters)."""

    def write(self, text):
        if self.tell() > PRINT_LIMIT:
            raise _TimeUp(f"printed more than {PRINT_LIMIT:,} characters")
        return super().write(text)


@contextlib.contextmanager
def _no_input():
    """``input()`` at the top level reads end-of-file (the process's stdin may be the wire's channel)."""
    stdin, sys.stdin = sys.stdin, io.StringIO()
    try:
        yield
    finally:
        sys.stdin = stdin


def _is_main_guard(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


def load(path: str | Path) -> Program:
    """Run a program's top level as described in the module docstring; raise ShapeError if it cannot be read."""
    path = Path(path).resolve()
    notes = []
    try:
        source = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":  # a notebook is its code cells, in order (nnspec.notebook)
            source, notes = notebook.to_python(source, path.name)
    except (OSError, UnicodeDecodeError) as exc:
        raise ShapeError(f"cannot read {path}: {exc}") from exc
    except notebook.NotebookError as exc:
        raise ShapeError(str(exc)) from exc
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise ShapeError(f"{path.name} line {exc.lineno}: {exc.__class__.__name__}: {exc.msg}") from exc
    module = types.ModuleType(MODULE_NAME)
    module.__file__ = str(path)
    program = Program(path, module, notes=notes)
    loops = [n for n in tree.body if isinstance(n, ast.For | ast.While)]
    loops += [n for g in tree.body if _is_main_guard(g) for n in g.body if isinstance(n, ast.For | ast.While)]
    program.loops = loops
    program.unrun = [n for n in tree.body if isinstance(n, ast.For | ast.While) or _is_main_guard(n)]

    def time_up(signum, frame):
        raise _TimeUp

    timed = threading.current_thread() is threading.main_thread()  # signals reach the main thread only
    if timed:
        previous = signal.signal(signal.SIGALRM, time_up)
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
            with contextlib.redirect_stdout(_Capped()), contextlib.redirect_stderr(_Capped()), _no_input():
                for node in tree.body:
                    if isinstance(node, ast.For | ast.While):
                        continue
                    code = compile(ast.Module([node], []), str(path), "exec")
                    try:
                        exec(code, module.__dict__)
                    except _TimeUp as exc:
                        why = str(exc) or f"stopped after {TIME_LIMIT:g} s"
                        program.errors.append(f"line {node.lineno}: {why}")
                        program.notes.append(f"loading stopped at line {node.lineno}: {why}; the rest was not run")
                        break
                    except BaseException as exc:  # noqa: BLE001 - a learner's top level may raise anything
                        if isinstance(exc, KeyboardInterrupt):
                            raise
                        program.errors.append(f"line {node.lineno}: {type(exc).__name__}: {exc}")
                        program.unrun.append(node)
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return program


def bounded(function, seconds: float = 2.0, default=None):
    """``function()`` (its value JSON) run in a forked copy of this process for at most ``seconds``, its
    printing thrown away; ``default`` when it raises, exits, runs out of time, or the system cannot fork.
    For what the check asks of a loaded program before any test runs (a learning rate of its own): a step
    that never returns, prints for ever or calls ``os._exit`` costs at most ``seconds`` and nothing else."""
    if not hasattr(os, "fork"):
        return default
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: it reports the value and ends, whatever the program does
        try:
            os.close(read)
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            os.write(write, json.dumps(function()).encode("utf-8"))
        except BaseException:  # noqa: BLE001 - the learner's code may raise anything
            pass
        finally:
            os._exit(0)
    os.close(write)
    chunks, deadline = [], time.monotonic() + seconds
    try:
        while (left := deadline - time.monotonic()) > 0 and select.select([read], [], [], left)[0]:
            chunk = os.read(read, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        else:
            chunks = None  # out of time
    finally:
        os.close(read)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks)) if chunks else default
    except ValueError:
        return default
