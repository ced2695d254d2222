"""Source files: the text of one input and a way to map offsets to lines."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from linter.errors import InputError

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """One input file, decoded.

    ``display`` is the path shown to users (relative to the working
    directory, POSIX style); ``path`` is where it lives, or None for stdin.
    """

    display: str
    text: str
    path: Path | None = None
    lines: tuple[str, ...] = field(default=(), compare=False, repr=False)
    digest: str = ""  # of the bytes as read, to refuse fixes when the file changed since
    crlf: bool = False  # the file used CRLF line ends (the text has LF; fixes write CRLF back)

    @classmethod
    def from_text(
        cls, display: str, text: str, path: Path | None = None, digest: str = "", crlf: bool = False
    ) -> "SourceFile":
        return cls(display, text, path, tuple(text.splitlines()), digest, crlf)

    def line(self, number: int) -> str:
        """The 1-based line ``number`` without its line break ('' past the end)."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return ""


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


def read_source(path: Path, display: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> SourceFile:
    """Read and decode ``path``. Raises InputError for unreadable, oversized or binary files."""
    try:
        size = path.stat().st_size
        if size > max_size:
            raise InputError(
                display, f"file is {size} bytes, over the limit of {max_size} (--max-file-size); skipped"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror or exc}", fatal=True) from None
    return SourceFile.from_text(
        display, decode(data, display), path, hashlib.sha256(data).hexdigest(), b"\r\n" in data
    )
