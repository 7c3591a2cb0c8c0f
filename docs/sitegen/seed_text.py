"""What the chapters take from the tutorials' own text (``../shared/seeds``): where each quote sits, and who
wrote the tutorial and where it was published, as far as the text itself says.

The source box of a chapter names the tutorial's title, author, origin and the site it was published on, as
far as the text says (never the internal file the text is kept in). A quote's position orders the claims as
the tutorial does; a quote shortened with "..." is found by its
longest piece. The facts in ``ABOUT`` are checked against the seed text at build time: each one's
``found`` strings must occur in it.
"""

from __future__ import annotations

import re
from functools import cache

from nnspec.registry import SEEDS_DIR

# tutorial -> what its text says about itself (author None: the text names none)
ABOUT = {
    "000": {
        "author": None,
        "origin": "section 4, “Understand how a Neural Network works”, of a web course; the page names no author",
        "site": "a web course whose pages this text does not name",
        "found": ["4. Understand how a Neural Network works"],
    },
    "001": {
        "author": None,
        "origin": "a web tutorial; the page thanks Kabir Shah for his contributions but names no author",
        "site": "a tutorial website the text does not name",
        "found": ["Special thanks to Kabir Shah"],
    },
    "002": {
        "author": None,
        "origin": "an interactive lesson page (with a quiz and a one-pager cheat sheet); it names no author",
        "site": "a lesson platform the text does not name",
        "found": ["Mark As Completed", "One Pager Cheat Sheet"],
    },
    "003": {
        "author": "Alex Dremov",
        "origin": "a blog post, “How Deep Neural Networks Work”",
        "site": "Alex Dremov's blog",
        "found": ["Subscribe to Alex Dremov", "How Deep Neural Networks Work"],
    },
    "004": {
        "author": "James Loy",
        "origin": "chapter 1 of the book “Neural Network Projects with Python” (Packt, February 2019)",
        "site": "Packt's online reader (“You're reading from Neural Network Projects with Python”)",
        "found": [
            "James Loy",
            "Neural Network Projects with Python",
            "Published in Feb 2019",
            "Publisher Packt",
            "You're reading from",
        ],
    },
}

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "…": " "})


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip().lower()


@cache
def seed(source: str) -> str:
    return (SEEDS_DIR / source).read_text(encoding="utf-8")


@cache
def _normal_seed(source: str) -> str:
    return _normal(seed(source))


def position(source: str, quote: str) -> int | None:
    """Where a quote starts in the tutorial's text (whitespace and quote marks folded), or None."""
    text = _normal_seed(source)
    pieces = [p for p in (_normal(p) for p in re.split(r"\.\.\.|…", quote)) if p]
    for piece in sorted(pieces, key=len, reverse=True):
        at = text.find(piece)
        if at >= 0:
            # the position of the first piece: the longest one found, moved back by what precedes it
            before = pieces.index(piece)
            return max(0, at - sum(len(p) + 1 for p in pieces[:before]))
    return None


def about(tutorial: str, source: str) -> dict:
    """The author and origin of a tutorial, after checking that its text says so."""
    facts = ABOUT.get(tutorial, {"author": None, "origin": "the text does not say", "site": "not named", "found": []})
    missing = [s for s in facts["found"] if _normal(s) not in _normal_seed(source)]
    if missing:
        raise ValueError(f"{source}: the text does not contain {missing}; correct docs/sitegen/seed_text.py")
    return facts
