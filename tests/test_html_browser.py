"""The HTML report in a real headless browser (Debian's chromium): it renders, and the console stays quiet.

Skipped with the reason when no chromium binary is installed (``.ci/run``
installs it when it can).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.reporting import golden_result, hostile_result, render_format

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium binary on PATH (apt-get install chromium); the browser test cannot run here")


def screenshot(page: Path, out: Path, profile: Path) -> str:
    """Render ``page`` headless into ``out`` (PNG); return the browser's log (console messages included)."""
    command = [
        _browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
        f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
        "--window-size=900,1000", f"--screenshot={out}", page.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert out.exists(), f"no screenshot written (exit {result.returncode}): {result.stderr[-2000:]}"
    return result.stdout + result.stderr


def console_messages(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit, non-interlaced RGB/RGBA/grey PNG into rows of pixel bytes (enough for screenshots)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and interlace == 0 and color in (0, 2, 4, 6), header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r[:width * channels]) for r in rows], channels


def ink(path: Path) -> tuple[float, int]:
    """Share of pixels that are not the background colour, and the number of distinct colours (sampled)."""
    width, height, rows, channels = png_pixels(path)
    background = rows[0][:channels]
    colours, different, total = set(), 0, 0
    for y in range(0, height, 3):
        row = rows[y]
        for x in range(0, width, 3):
            pixel = row[x * channels:(x + 1) * channels]
            total += 1
            colours.add(pixel)
            different += pixel != background
    return different / total, len(colours)


@pytest.mark.parametrize("which", ["golden", "hostile"])
def test_html_report_renders_without_console_errors(tmp_path, which):
    result = golden_result() if which == "golden" else hostile_result()
    page = tmp_path / "report.html"
    page.write_text(render_format("html", result), encoding="utf-8")
    log = screenshot(page, tmp_path / "shot.png", tmp_path / "profile")
    assert console_messages(log) == []
    share, colours = ink(tmp_path / "shot.png")
    assert share > 0.03 and colours > 20, (share, colours)


def test_the_checks_can_fail(tmp_path):
    """A blank page is seen as blank, and a console error is seen."""
    page = tmp_path / "blank.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('broken')</script></body></html>")
    log = screenshot(page, tmp_path / "blank.png", tmp_path / "profile")
    assert any("broken" in line for line in console_messages(log))
    share, colours = ink(tmp_path / "blank.png")
    assert share < 0.001 and colours <= 2
