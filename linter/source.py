"""Source files: the text of one input and a way to map offsets to lines."""

from __future__ import annotations

import codecs
import re
import threading
import zlib
from array import array
from bisect import bisect_right
from collections import OrderedDict
from pathlib import Path

from linter.errors import InputError
from linter.records import field, record

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


# The project's one definition of a line: it ends at LF (a CRLF pair is LF on reading). U+0085 (NEL),
# U+2028, U+2029 and a lone CR are characters inside a line, as git (diff, blame), grep -n and
# editors' "go to line" count them, although YAML (libyaml) also reads them as line breaks:
# yamlpos maps libyaml's positions onto these lines (``LineIndex``), in one place.
_BREAK = re.compile("\n")
# Characters libyaml reads as line breaks that do not end a line here.
YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]|\r(?!\n)")

# zlib's fastest level: YAML still shrinks about 7-fold, and compressing the
# 22 MB corpus costs about 0.3 s of CPU (level 6: 0.5 s for 20% less).
_LEVEL = 1


@record(frozen=True)
class SourceFile:
    """One input file, decoded.

    ``display`` is the path shown to users (relative to the working
    directory, POSIX style); ``path`` is where it lives, or None for stdin.
    Every file of a run is kept for reporting, suppressions and fixes, but
    each is read file by file, so the text is kept zlib-compressed and
    decompressed on access into a small cache of recently read files (see
    ``_Unpacked``), with its index of line starts, built when a line is
    first asked for. Lines are found from that index, not kept as strings:
    a file of millions of short lines would cost more as a tuple of lines
    than as text.
    """

    display: str
    _packed: bytes = field(repr=False)  # the text as UTF-8, zlib-compressed
    path: Path | None = None
    digest: str = ""  # of the bytes as read, to refuse fixes when the file changed since
    crlf: bool = False  # the file used CRLF line ends (the text has LF; fixes write CRLF back)

    @classmethod
    def from_text(
        cls, display: str, text: str, path: Path | None = None, digest: str = "", crlf: bool = False
    ) -> "SourceFile":
        # surrogatepass: a str from elsewhere than decode() may hold lone surrogates; they must survive.
        source = cls(display, zlib.compress(text.encode("utf-8", "surrogatepass"), _LEVEL), path, digest, crlf)
        _UNPACKED.add(source, text)  # it is parsed next: no need to decompress it again
        return source

    @property
    def text(self) -> str:
        return _UNPACKED.get(self).text

    @property
    def line_count(self) -> int:
        unpacked = _UNPACKED.get(self)
        return len(unpacked.line_starts()) if unpacked.text else 0

    def all_lines(self) -> list[str]:
        """Every line, split exactly as ``line`` does (and as YAML counts lines)."""
        unpacked = _UNPACKED.get(self)
        return [unpacked.line(number) for number in range(1, self.line_count + 1)]

    def line(self, number: int) -> str:
        """The 1-based line ``number`` without its line break ('' past the end)."""
        return _UNPACKED.get(self).line(number)


class _Text:
    """A decompressed text and, once a line is asked for, its line starts (8 bytes a line)."""

    __slots__ = ("source", "text", "_starts")

    def __init__(self, source: SourceFile, text: str):
        self.source = source  # keeps id(source), the cache key, from being reused while cached
        self.text = text
        self._starts: "array[int] | None" = None

    def line_starts(self) -> "array[int]":
        if self._starts is None:
            starts = array("q", [0])
            starts.extend(match.end() for match in _BREAK.finditer(self.text))
            if starts[-1] == len(self.text) and len(starts) > 1:
                starts.pop()  # a final line break does not start a line
            self._starts = starts
        return self._starts

    def line(self, number: int) -> str:
        text = self.text
        starts = self.line_starts()
        if not text or not 1 <= number <= len(starts):
            return ""
        start = starts[number - 1]
        end = starts[number] - 1 if number < len(starts) else len(text)
        if number == len(starts) and _BREAK.match(text[-1]):
            end = len(text) - 1
        return text[start:end]


class _Unpacked:
    """The texts of the few files read most recently, decompressed.

    Readers go file by file (findings are sorted by path; suppressions and
    fixes loop over files), so a few entries make every file decompress
    about once per pass while the memory held stays that of a few files.
    """

    def __init__(self, size: int):
        self.size = size
        self._texts: OrderedDict[int, _Text] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, source: SourceFile) -> _Text:
        with self._lock:
            found = self._texts.get(id(source))
            if found is not None:
                self._texts.move_to_end(id(source))
                return found
        text = zlib.decompress(source._packed).decode("utf-8", "surrogatepass")
        return self.add(source, text)

    def add(self, source: SourceFile, text: str) -> _Text:
        entry = _Text(source, text)
        with self._lock:
            self._texts[id(source)] = entry
            self._texts.move_to_end(id(source))
            while len(self._texts) > self.size:
                self._texts.popitem(last=False)
        return entry


_UNPACKED = _Unpacked(2)


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
    # CRLF reads as LF; a lone CR stays (it does not end a line: see _BREAK).
    return text.replace("\r\n", "\n")


class LineIndex:
    """Offsets ↔ 1-based (line, column) with lines ending at LF only; columns count characters."""

    __slots__ = ("starts",)

    def __init__(self, text: str):
        self.starts = array("q", [0])
        self.starts.extend(match.end() for match in _BREAK.finditer(text))

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1


def _too_large(display: str, size: int, max_size: int) -> InputError:
    return InputError(display, f"file is {size} bytes, over the limit of {max_size} (--max-file-size); skipped")


def read_source(path: Path, display: str, max_size: int = DEFAULT_MAX_FILE_SIZE, digest: bool = True) -> SourceFile:
    """Read and decode ``path``. Raises InputError for unreadable, oversized or binary files.

    ``digest``: keep the SHA-256 of the bytes (``SourceFile.digest``; "" without it)."""
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
    text = decode(data, display)
    if not digest:
        return SourceFile.from_text(display, text, path, "", b"\r\n" in data)
    import hashlib  # here: loading it (OpenSSL) is a few milliseconds of start-up

    return SourceFile.from_text(display, text, path, hashlib.sha256(data).hexdigest(), b"\r\n" in data)
