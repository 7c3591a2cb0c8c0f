"""The specification's command-line options, registered with pytest through the ``pytest11`` entry point.

Why an entry point and not only the checkout's conftest.py: pytest reads a conftest's options only
after it has chosen its rootdir and configuration file, and it chooses them from the positional
arguments of a first pass that knows only pytest's own options. In ``pytest --impl /tmp/x/adapter.py``
that pass takes ``/tmp/x/adapter.py`` for a test path, roots the run in ``/tmp/x`` and never loads the
checkout's conftest.py (pytest issues 8846, 13368). Options declared by an installed plugin are known
on the second pass, before any conftest is loaded; and when the first pass was misled by one of them,
:func:`pytest_load_initial_conftests` restarts the same command once with ``--option=value`` spelled
out, so the rootdir and configuration are the checkout's, as with the ``=`` form.

Nothing here runs unless pytest is running; the hooks of the specification live in
``nnspec/plugin.py`` (loaded by the checkout's conftest.py).
"""

from __future__ import annotations

import os
import sys

import pytest

#: Options whose value is a path (the ones pytest's first pass can mistake for a test path).
PATH_OPTIONS = (
    "--impl", "--known-failures", "--conformance-report", "--claims-json", "--gradescope-results", "--class-report"
)
_RESTARTED = "REFERENCE_NN_OPTIONS_RESTARTED"


def add_options(parser) -> None:
    group = parser.getgroup("reference_nn", "reference_nn specification")
    group.addoption(
        "--impl",
        default=None,
        help="implementation under test: a dotted module path, a .py file, or cmd:COMMAND (a program of any "
        "language speaking wire protocol v1); default: $REFERENCE_NN_IMPL or reference_nn",
    )
    from nnspec.wire.options import add_wire_options

    add_wire_options(group)
    group.addoption(
        "--known-failures",
        default=None,
        metavar="FILE",
        help="claim ids expected to fail (one per line, '#' comments); each must fail, and no other claim may",
    )
    group.addoption(
        "--conformance-report",
        default=None,
        metavar="PATH",
        help="write each claim's outcome with its reason to PATH.json and PATH.md",
    )
    group.addoption(
        "--claims-json",
        default=None,
        metavar="PATH",
        help="write each claim's outcome in this run (claim id -> outcome) as JSON",
    )
    group.addoption(
        "--tutorial-code",
        default=None,
        metavar="NNN=FILE",
        help="check FILE, a program of tutorial NNN's shape, against that chapter's claims (validation mode)",
    )
    group.addoption(
        "--gradescope-results",
        default=None,
        metavar="PATH",
        help="with --tutorial-code: write a Gradescope autograder results.json (one test per claim) to PATH",
    )
    group.addoption("--class-report", metavar="PATH", help="with --tutorial-code NNN=FOLDER: PATH.csv and PATH.md")


def pytest_addoption(parser):
    add_options(parser)


def spelled_out(args: list[str]) -> list[str]:
    """``--impl VALUE`` -> ``--impl=VALUE`` for every path option; everything else unchanged."""
    out, i = [], 0
    while i < len(args):
        if args[i] in PATH_OPTIONS and i + 1 < len(args):
            out.append(f"{args[i]}={args[i + 1]}")
            i += 2
        else:
            out.append(args[i])
            i += 1
    return out


def _misled(args: list[str]) -> bool:
    """True when a path option's value is an existing path: pytest's first pass took it for a test path."""
    return any(a in PATH_OPTIONS and i + 1 < len(args) and os.path.exists(args[i + 1]) for i, a in enumerate(args))


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outside the capture plugin's wrapper: stdout is still the terminal
def pytest_load_initial_conftests(early_config, parser, args):
    """Restart ``pytest --impl PATH ...`` as ``pytest --impl=PATH ...`` (once, and only for a command line:
    never inside ``pytest.main()`` called by another program, nor in a pytest-xdist worker)."""
    invoked = list(early_config.invocation_params.args)
    if os.environ.pop(_RESTARTED, None) or invoked != sys.argv[1:] or not _misled(invoked):
        return (yield)  # (the marker is consumed: a pytest this run starts may restart itself again)
    prefix = sys.orig_argv[: len(sys.orig_argv) - len(sys.argv) + 1]  # "python -m pytest" or "python .../pytest"
    os.environ[_RESTARTED] = "1"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [*prefix, *spelled_out(invoked)])
