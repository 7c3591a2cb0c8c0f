"""What the running test did: the protocol functions it called, the evidence it read, the printed goldens
it reproduced.

The plugin gives every test one :class:`Recording` (kept on the item's stash) and makes it the *current*
one while the test runs (setup, call, teardown); the code a test runs reports into it: the
implementation wrapper (:func:`called`), the golden readers and the derivations (:func:`used`,
:func:`reproduced`). Why a context variable and not a module-level list: the code that records
(``impl``, ``golden``, ``evidence``) is called by test code that has no handle on pytest's item, and a
context variable is the one place Python offers for "the state of what is running now"; it holds only a
reference to the item's own recording, which the plugin sets and resets around each test. Outside a test
(collection, a fixture torn down at session end) there is no current recording and nothing is recorded.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Recording:
    """One test's record. ``calls``: protocol functions in the order entered (repeats kept);
    ``evidence``: (kind, key) pieces read, each once; ``printed``: (NNN/key, values) printed goldens matched."""

    calls: list[str] = field(default_factory=list)
    evidence: list[tuple[str, str]] = field(default_factory=list)
    printed: list[tuple[str, list]] = field(default_factory=list)


_CURRENT: ContextVar[Recording | None] = ContextVar("nnspec_recording", default=None)


def current() -> Recording | None:
    """The running test's recording (None outside a test)."""
    return _CURRENT.get()


@contextlib.contextmanager
def recording(record: Recording):
    """Make ``record`` the current recording for the duration of the block."""
    token = _CURRENT.set(record)
    try:
        yield record
    finally:
        _CURRENT.reset(token)


def called(function: str) -> None:
    """The running test called protocol function ``function`` of the implementation under test."""
    record = _CURRENT.get()
    if record is not None:
        record.calls.append(function)


def used(kind: str, key: str) -> None:
    """The running test read a piece of evidence (see nnspec/evidence.py)."""
    record = _CURRENT.get()
    if record is not None and (kind, key) not in record.evidence:
        record.evidence.append((kind, key))


def reproduced(golden: str, values: list) -> None:
    """The running test reproduced printed golden ``NNN/key`` with these values."""
    record = _CURRENT.get()
    if record is not None:
        record.printed.append((golden, values))
