"""Positions: the linter's (1-based line and column, lines broken as YAML breaks them) and LSP's.

LSP positions are 0-based; lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only, and
the character offset counts code units of the negotiated encoding (UTF-16
unless the client and server agreed on UTF-8 or UTF-32). The linter counts
code points; its lines end at LF only (``linter.source``: NEL, U+2028 and
U+2029 are characters inside a line, as git counts them), and both are
mapped through offsets into the text. The text is the one the linter
read, with line ends already normalised to ``\\n`` (``linter.source``); that
changes no LSP line or character, since each of ``\\r\\n`` and ``\\r`` was one
LSP line break at the same place.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_YAML_BREAK = re.compile("\n")  # as linter.source counts lines: LF only (NEL, U+2028, U+2029 do not end one)
UTF16, UTF8, UTF32 = "utf-16", "utf-8", "utf-32"


def normalise(text: str) -> str:
    """An editor's buffer as the linter reads a file: line ends as ``\\n``, no byte-order mark."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in code units of ``encoding``."""
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == UTF32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class TextIndex:
    """Offsets into one text, and the linter's and LSP's positions for them."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self._yaml = [0] + [m.end() for m in _YAML_BREAK.finditer(text)]
        self._lsp = [0] + [m.end() for m in re.finditer("\n", text)]

    def _line_end(self, starts: list[int], index: int) -> int:
        """The offset of the break ending line ``index`` (0-based), or the text's end."""
        return starts[index + 1] - 1 if index + 1 < len(starts) else len(self.text)

    # --- the linter's positions ------------------------------------------------

    def offset(self, line: int, column: int) -> int:
        """The offset of 1-based ``line`` and ``column``; past a line's end is its end, past the text its end."""
        if line < 1:
            return 0
        if line > len(self._yaml):
            return len(self.text)
        start = self._yaml[line - 1]
        return min(start + max(column, 1) - 1, self._line_end(self._yaml, line - 1))

    def linter_position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self._yaml, offset) - 1
        return index + 1, offset - self._yaml[index] + 1

    def line_end(self, line: int) -> int:
        """The offset just past the last character of 1-based ``line`` (before its break)."""
        return self._line_end(self._yaml, min(max(line, 1), len(self._yaml)) - 1)

    # --- LSP positions ---------------------------------------------------------

    def position(self, offset: int) -> tuple[int, int]:
        """The LSP (line, character) of ``offset``."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect_right(self._lsp, offset) - 1
        start = self._lsp[index]
        return index, units(self.text[start:offset], self.encoding)

    def lsp_offset(self, line: int, character: int) -> int:
        """The offset of an LSP position; past a line's end is its end (as the protocol says)."""
        if line < 0:
            return 0
        if line >= len(self._lsp):
            return len(self.text)
        start, end = self._lsp[line], self._line_end(self._lsp, line)
        if self.encoding == UTF32:
            return min(start + max(character, 0), end)
        count = 0
        for index in range(start, end):
            if count >= character:
                return index
            count += units(self.text[index], self.encoding)
        return end

    def span_range(self, line: int, column: int, end_line: int, end_column: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """A linter span (end exclusive) as an LSP range (start, end)."""
        start = self.offset(line, column)
        end = max(start, self.offset(end_line, end_column))
        return self.position(start), self.position(end)
