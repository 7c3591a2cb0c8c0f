"""The wire's command-line options (registered by nnspec/options.py with the specification's others)."""

from __future__ import annotations


def add_wire_options(group) -> None:
    group.addoption(
        "--in-process",
        action="store_true",
        default=False,
        help="run a Python adapter inside the harness's own process (no wire, no box): for your own trusted code",
    )
    group.addoption(
        "--call-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit of one call over the wire (default: the test's --timeout); a function that timed out "
        "once is not called again in the run",
    )
    group.addoption(
        "--run-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit of the whole run: past it every call times out at once and the report says the run "
        "is incomplete",
    )
