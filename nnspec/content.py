"""Where the specification's content lives: the one module that knows the checkout's layout.

The engine (this package) judges; the content (``tests/``: claims, evidence, goldens, the spec tests)
says what is judged. The content is found beside the package, in the checkout it was installed from.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout
TESTS = ROOT / "tests"
SPEC = TESTS / "spec"
CLAIMS = TESTS / "claims"
EVIDENCE = TESTS / "evidence"
GOLDEN = TESTS / "golden"
RULES = SPEC / "rules.yaml"
EXAMPLES = ROOT / "examples"
VERBATIM_KNOWN_FAILURES = EXAMPLES / "tutorial_verbatim.known-failures"
SEEDS = ROOT.parent / "shared" / "seeds"  # the tutorials' text, beside the checkout


def available() -> bool:
    """True when the specification's content is there to run (a checkout, not a bare install)."""
    return CLAIMS.is_dir() and SPEC.is_dir()
