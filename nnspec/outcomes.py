"""The outcome of a test, a claim or a rule for one implementation: the one vocabulary every reader and
writer uses (the report, the terminal, the site, the learner check, Gradescope).

Values are the strings the published report format (``nnspec/schemas``) uses.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    PASSED = "passed"  # the claim's tests called the implementation and it did what the claim needs
    FAILED = "failed"  # with the reason first
    CRASHED = "crashed"  # the implementation's process died
    TIMED_OUT = "timed out"  # past its time limit
    ERRORED = "errored"  # the specification failed without calling the implementation
    XPASSED = "xpassed"  # listed as a known failure, but passed
    XFAILED = "xfailed"  # listed as a known failure, and failed
    NOT_IMPLEMENTED = "not implemented"  # a protocol function the implementation lacks
    NOT_ABOUT = "not about the implementation"  # no test of the claim called the implementation
    REFERENCE_ONLY = "reference-only"  # needs NumPy's legacy random stream or the reference's internals
    SKIPPED = "skipped"

    @property
    def fails_the_run(self) -> bool:
        return self in FAILING


#: Outcomes that fail the run.
FAILING = frozenset({Outcome.FAILED, Outcome.CRASHED, Outcome.TIMED_OUT, Outcome.ERRORED, Outcome.XPASSED})
