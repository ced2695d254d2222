"""Text helpers shared by the terminal reporters."""

from __future__ import annotations

import re

# C0 and C1 control characters (ANSI escapes start with ESC) except tab.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Input-derived text made safe for a terminal: control characters shown as escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
