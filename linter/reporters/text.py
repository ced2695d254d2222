"""Text helpers shared by the terminal reporters."""

from __future__ import annotations

import re

# C0 and C1 control characters (ANSI escapes start with ESC) except tab, and
# the Unicode bidirectional controls that can make a terminal show text in
# another order than it is ("Trojan Source"), and lone surrogates (a file
# name that is not UTF-8) that cannot even be written out. The patterns are
# compiled on first use (by ``re``'s cache): their large classes take a
# millisecond each, and most texts are printable ASCII that skips them.
_CONTROL = r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def escape_char(match: re.Match) -> str:
    """``\\xNN`` or ``\\uNNNN`` for one matched character."""
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Input-derived text made safe for a terminal: control characters shown as escapes."""
    if text.isascii() and text.isprintable():  # holds none of them
        return text
    return re.sub(_CONTROL, escape_char, text)


# json.dumps escapes C0 controls; these others (C1, DEL, bidi overrides, lone
# surrogates) it writes raw, where a terminal or viewer would act on them.
_JSON_UNSAFE = r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def json_dumps(document: object) -> str:
    """Indented JSON, UTF-8 kept readable, with every unsafe character as a \\u escape."""
    import json

    text = json.dumps(document, indent=2, ensure_ascii=False)
    if text.isascii() and "\x7f" not in text:  # holds none of them
        return text + "\n"
    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"
