"""The specification's command-line options, registered with pytest through the ``pytest11`` entry point.

Why an entry point and not only the checkout's conftest.py: pytest reads a conftest's options only
after it has chosen its rootdir and configuration file, and it chooses them from the positional
arguments of a first pass that knows only pytest's own options. In ``pytest --impl /tmp/x/adapter.py``
that pass takes ``/tmp/x/adapter.py`` for a test path, roots the run in ``/tmp/x`` and never loads the
checkout's conftest.py (pytest issues 8846, 13368). Options declared by an installed plugin are known
on the second pass, before any conftest is loaded; and when the first pass was misled by one of them,
:func:`pytest_load_initial_conftests` restarts the same command once with ``--option=value`` spelled
out, so the rootdir and configuration are the checkout's, as with the ``=`` form.

This module is loaded by every pytest session of an environment where the project is installed, so it
imports nothing heavy (no NumPy, no reference_nn, no YAML): the specification's session object
(``nnspec.plugin.Specification``) is imported and registered in :func:`pytest_configure` only when pytest
runs inside the specification's checkout (its rootdir is the checkout or a folder under it, and the
content is there). Anywhere else, an option of the specification is a usage error (exit 4) that says how to
run it, instead of being accepted and ignored.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from nnspec import content

#: Every option of the specification (its dest name -> how it is spelled).
SPEC_OPTIONS = {
    "impl": "--impl",
    "known_failures": "--known-failures",
    "conformance_report": "--conformance-report",
    "claims_json": "--claims-json",
    "tutorial_code": "--tutorial-code",
    "gradescope_results": "--gradescope-results",
}
#: Options whose value is a path (the ones pytest's first pass can mistake for a test path).
PATH_OPTIONS = (
    "--impl",
    "--known-failures",
    "--conformance-report",
    "--claims-json",
    "--gradescope-results",
    "--class-report",
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


def inside(config) -> bool:
    """True when this pytest runs inside the specification: its rootdir is the checkout the package was
    installed from (or a folder under it) and the content (tests/claims, tests/spec) is there."""
    return content.available() and Path(config.rootpath).resolve().is_relative_to(content.ROOT)


def given(config) -> list[str]:
    """The specification's options given on this command line, as spelled."""
    return [flag for dest, flag in SPEC_OPTIONS.items() if config.getoption(dest, None) is not None]


def usage(flags: list[str]) -> str:
    """The one-line refusal of the specification's options outside the specification."""
    return (
        f"{', '.join(flags)}: the reference_nn specification is not part of this pytest run "
        f"(rootdir outside {content.ROOT if content.available() else 'a reference_nn checkout'}); "
        "run it with `reference-nn validate ADAPTER [pytest args]` from any folder, "
        "or `pytest --impl ADAPTER` from the checkout"
    )


@pytest.hookimpl(wrapper=True)  # a wrapper runs before every plain implementation, pytest-xdist's included
def pytest_cmdline_main(config):
    """Outside the specification its options are refused; inside it, validation mode's defaults are set
    before pytest-xdist and pytest-timeout read their options."""
    if inside(config):
        from nnspec.plugin import validation_defaults

        validation_defaults(config)
    elif given(config):
        raise pytest.UsageError(usage(given(config)))
    return (yield)


def pytest_configure(config):
    """Inside the specification: register its session object, and run the checkout's test paths when pytest
    was started without any from a folder under the checkout (``cd examples && pytest --impl x.py``)."""
    if not inside(config):
        return
    if config.pluginmanager.get_plugin(SESSION_PLUGIN) is not None:
        return
    root = Path(config.rootpath).resolve()
    if (
        given(config)
        and config.args_source == pytest.Config.ArgsSource.INVOCATION_DIR
        and Path(config.invocation_params.dir).resolve() != root
    ):
        config.args[:] = [str(root / path) for path in config.getini("testpaths")] or [str(root)]
    from nnspec import fixtures
    from nnspec.plugin import Specification

    config.pluginmanager.register(Specification(config), SESSION_PLUGIN)
    config.pluginmanager.register(fixtures, "nnspec-fixtures")


SESSION_PLUGIN = "nnspec-specification"


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
