"""What the code under test says, made safe to show: one line, bounded, with no control character left.

``safe(text, limit=TEXT_LIMIT) -> str`` is applied wherever such text enters the harness (a name, a
version, an exception message, a reason, a captured stderr): the terminal, the JSON and Markdown reports and
the site all show what it returns.

- **Escaped:** every C0 and C1 control character and DEL (``\\n``, ``\\r``, ``\\t``, else ``\\xHH``), so
  that no escape sequence reaches a terminal and a newline in a name can neither forge a header line nor
  end a Markdown table row; and the invisible Unicode format characters that reorder or hide text (bidi
  overrides and isolates, zero-width characters, line and paragraph separators, the BOM) and lone
  surrogates (``\\uHHHH``). Backslashes are kept as they are (Windows paths stay readable): an escape in
  the output is always either one made here or a backslash the code under test wrote, never a control.
- **Capped:** at ``limit`` characters of output plus a note of how many characters were left out.
  TEXT_LIMIT (2000) keeps a whole report of 250 claims under about half a megabyte even if every reason
  is hostile, while any real message (an assertion with its numbers, a traceback's last line) fits;
  NAME_LIMIT (100) is for names and versions, shown in headers and table cells.

Markup is not this module's business: the Markdown writer escapes ``|`` and the site escapes HTML.
"""

from __future__ import annotations

import re

TEXT_LIMIT = 2000
NAME_LIMIT = 100
STDERR_LIMIT = 8000

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "backslashreplace")
    try:
        return str(value)
    except Exception as exc:  # an object of the code under test may raise anything from __str__
        return f"<unprintable {type(value).__name__}: {type(exc).__name__}>"


def safe(text: object, limit: int = TEXT_LIMIT) -> str:
    """``text`` on one line, control and invisible format characters escaped, at most ``limit`` characters
    of it (the escapes included, never cut in half) and then ``… [N more characters]``."""
    text = _as_text(text)
    head = text[:limit]  # an escape is longer than its character: the output never needs more of the input
    escaped = _UNSAFE.sub(lambda m: _escape(m.group()), head)
    if len(escaped) <= limit and len(text) <= limit:
        return escaped
    kept, size = 0, 0
    for char in head:
        width = len(_escape(char)) if _UNSAFE.match(char) else 1
        if size + width > limit:
            break
        kept, size = kept + 1, size + width
    out = _UNSAFE.sub(lambda m: _escape(m.group()), head[:kept])
    left = len(text) - kept
    return f"{out}… [{left} more character{'' if left == 1 else 's'}]"
