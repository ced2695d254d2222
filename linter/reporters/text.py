"""Text helpers shared by the terminal reporters."""

from __future__ import annotations

import re

# C0 and C1 control characters (ANSI escapes start with ESC) except tab, and
# the Unicode bidirectional controls that can make a terminal show text in
# another order than it is ("Trojan Source"), and lone surrogates (a file
# name that is not UTF-8) that cannot even be written out.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escape_char(match: re.Match) -> str:
    """``\\xNN`` or ``\\uNNNN`` for one matched character."""
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """Input-derived text made safe for a terminal: control characters shown as escapes."""
    return _CONTROL.sub(escape_char, text)


# json.dumps escapes C0 controls; these others (C1, DEL, bidi overrides, lone
# surrogates) it writes raw, where a terminal or viewer would act on them.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_dumps(document: object) -> str:
    """Indented JSON, UTF-8 kept readable, with every unsafe character as a \\u escape."""
    import json

    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"
