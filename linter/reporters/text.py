"""Text helpers shared by the terminal reporters."""

from __future__ import annotations

import re

# C0 and C1 control characters (ANSI escapes start with ESC) except tab, and
# the Unicode bidirectional controls that can make a terminal show text in
# another order than it is ("Trojan Source"), and lone surrogates (a file
# name that is not UTF-8) that cannot even be written out.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Input-derived text made safe for a terminal: control characters shown as escapes."""
    return _CONTROL.sub(_escape, text)
