"""Source files: the text of one input and a way to map offsets to lines."""

from __future__ import annotations

import codecs
import hashlib
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from linter.errors import InputError

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


# The line breaks libyaml counts (CR is normalised to LF on reading).
_BREAK = re.compile("[\n\x85\u2028\u2029]")


@dataclass(frozen=True)
class SourceFile:
    """One input file, decoded.

    ``display`` is the path shown to users (relative to the working
    directory, POSIX style); ``path`` is where it lives, or None for stdin.
    Lines are found on demand from an index of line starts (8 bytes a line),
    not kept as strings: a file of millions of short lines would otherwise
    cost more memory as a tuple of lines than as text.
    """

    display: str
    text: str
    path: Path | None = None
    digest: str = ""  # of the bytes as read, to refuse fixes when the file changed since
    crlf: bool = False  # the file used CRLF line ends (the text has LF; fixes write CRLF back)
    _starts: "array[int] | None" = field(default=None, compare=False, repr=False)

    @classmethod
    def from_text(
        cls, display: str, text: str, path: Path | None = None, digest: str = "", crlf: bool = False
    ) -> "SourceFile":
        return cls(display=display, text=text, path=path, digest=digest, crlf=crlf)

    def _line_starts(self) -> "array[int]":
        if self._starts is None:
            starts = array("q", [0])
            starts.extend(match.end() for match in _BREAK.finditer(self.text))
            if starts[-1] == len(self.text) and len(starts) > 1:
                starts.pop()  # a final line break does not start a line
            object.__setattr__(self, "_starts", starts)  # a cache: the value is unchanged
        return self._starts  # type: ignore[return-value]

    @property
    def line_count(self) -> int:
        return len(self._line_starts()) if self.text else 0

    def all_lines(self) -> list[str]:
        """Every line, split exactly as ``line`` does (and as YAML counts lines)."""
        return [self.line(number) for number in range(1, self.line_count + 1)]

    def line(self, number: int) -> str:
        """The 1-based line ``number`` without its line break ('' past the end)."""
        starts = self._line_starts()
        if not self.text or not 1 <= number <= len(starts):
            return ""
        start = starts[number - 1]
        end = starts[number] - 1 if number < len(starts) else len(self.text)
        if number == len(starts) and self.text and _BREAK.match(self.text[-1]):
            end = len(self.text) - 1
        return self.text[start:end]


def decode(data: bytes, display: str) -> str:
    """Decode file bytes as YAML allows (UTF-8, UTF-16 with BOM), or raise InputError."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(display, f"invalid UTF-16 at byte {exc.start}") from None
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        raise InputError(display, "binary file (NUL byte); not YAML", line=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(display, f"invalid UTF-8 at byte {exc.start}", line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_large(display: str, size: int, max_size: int) -> InputError:
    return InputError(display, f"file is {size} bytes, over the limit of {max_size} (--max-file-size); skipped")


def read_source(path: Path, display: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> SourceFile:
    """Read and decode ``path``. Raises InputError for unreadable, oversized or binary files."""
    try:
        size = path.stat().st_size
        if size > max_size:
            raise _too_large(display, size, max_size)
        with path.open("rb") as handle:
            # Never more than the limit, even if the file grows after stat().
            data = handle.read(max_size + 1)
        if len(data) > max_size:
            raise _too_large(display, len(data), max_size)
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}", fatal=True) from None
    return SourceFile.from_text(
        display, decode(data, display), path, hashlib.sha256(data).hexdigest(), b"\r\n" in data
    )
