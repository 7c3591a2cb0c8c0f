"""nnspec.display.safe: what the code under test says comes out on one line, bounded, with no control left."""

from __future__ import annotations

import time

import pytest

from nnspec.display import NAME_LIMIT, TEXT_LIMIT, safe


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words, ünïcode and a C:\\path", "plain words, ünïcode and a C:\\path"),
        ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),  # ANSI: clear screen, colour
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # OSC: window title, BEL
        ("name\n## forged header", "name\\n## forged header"),
        ("cell | x |\r\n| forged | row |", "cell | x |\\r\\n| forged | row |"),
        ("tab\tnul\x00del\x7fc1\x9b", "tab\\tnul\\x00del\\x7fc1\\x9b"),
        ("abc\u202edcba\u2066x\u200by\ufeff", "abc\\u202edcba\\u2066x\\u200by\\ufeff"),  # bidi, zero-width, BOM
        ("line\u2028sep", "line\\u2028sep"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        (b"bytes \xff\x1b", "bytes \\xff\\x1b"),
        (3.5, "3.5"),
    ],
)
def test_control_and_invisible_characters_are_escaped(text, shown):
    assert safe(text) == shown


def test_an_object_whose_str_raises_is_named_not_raised():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    assert safe(Hostile()) == "<unprintable Hostile: RuntimeError>"


def test_a_10_mb_message_is_capped_quickly_with_the_count_of_what_was_left_out():
    text = "\x1b[31m" + "A" * 10_000_000
    start = time.perf_counter()
    shown = safe(text)
    assert time.perf_counter() - start < 0.5
    assert shown.startswith("\\x1b[31mAAA") and "\x1b" not in shown
    kept = TEXT_LIMIT - len("\\x1b[31m") + len("\x1b[31m")
    assert shown.endswith(f"… [{len(text) - kept} more characters]")
    assert len(shown) <= TEXT_LIMIT + 40


def test_the_cap_never_cuts_an_escape_in_half():
    shown = safe("ab" + "\x1b" * 10, limit=10)  # 'ab' + two escapes of 4 characters fit, the third does not
    assert shown == "ab\\x1b\\x1b… [8 more characters]"


def test_text_exactly_at_the_limit_is_kept_whole():
    assert safe("x" * NAME_LIMIT, NAME_LIMIT) == "x" * NAME_LIMIT
    assert safe("x" * (NAME_LIMIT + 1), NAME_LIMIT) == "x" * NAME_LIMIT + "… [1 more character]"
