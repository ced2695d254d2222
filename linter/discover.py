"""Find the files to lint from the paths on the command line."""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path, PurePosixPath

from linter.records import field, record

YAML_SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = frozenset({".git", "node_modules", ".hg", ".svn", ".tox", ".venv", "__pycache__", ".headlamp-lint-cache"})
STDIN = "-"


@record(frozen=True)
class FileInput:
    """One file to lint. ``path`` is None for standard input."""

    display: str
    path: Path | None
    explicit: bool  # named on the command line (not found by directory discovery)


@record
class Discovery:
    files: list[FileInput] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # fatal: exit 2
    notes: list[str] = field(default_factory=list)  # shown, not fatal
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (display path, why) for --show-files


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working directory where possible, always POSIX style.

    A name that is not UTF-8 (its bytes decoded with ``surrogateescape``) is shown with those bytes as
    ``\\xNN``: every format and the baseline can write it, and it still names one file (``path`` is what
    is opened)."""
    absolute = Path(os.path.abspath(path))
    try:
        shown = absolute.relative_to(cwd).as_posix()
    except ValueError:
        shown = absolute.as_posix()
    return shown_name(shown)


def shown_name(name: str) -> str:
    """``name`` with the bytes that were not UTF-8 (``surrogateescape``) as ``\\xNN``."""
    return name if name.isascii() else _UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", name)


_UNDECODABLE = re.compile("[\udc80-\udcff]")


def is_excluded(display: str, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return False
    posix = PurePosixPath(display)
    candidates = {display, posix.name}
    parts = posix.parts
    for i in range(1, len(parts)):
        candidates.add("/".join(parts[:i]))
    return any(fnmatch.fnmatchcase(c, p) or fnmatch.fnmatchcase(c, p.rstrip("/")) for c in candidates for p in patterns)


def _is_helm_templates_dir(directory: Path) -> bool:
    return directory.name == "templates" and (directory.parent / "Chart.yaml").is_file()


def _skipped_dir(sub: Path, name: str, display: str, exclude: tuple[str, ...]) -> str | None:
    """Why a directory scan does not enter ``sub`` (None: it does)."""
    if name in SKIP_DIRS:
        return "folder never scanned (version control, dependencies, caches)"
    if _is_helm_templates_dir(sub):
        return "Helm chart templates folder (lint the values or the rendered output)"
    if is_excluded(display, exclude):
        return "excluded (--exclude or exclude)"
    return None


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


_LINK_OUT = "symbolic link out of the scanned folder (--follow-symlinks to lint it)"


def _not_followed(display: str, raw: str) -> str:
    return f"{display}: symbolic link out of {raw} not followed (--follow-symlinks to lint it)"


def discover(
    paths: list[str],
    exclude: tuple[str, ...] = (),
    stdin_filename: str | None = None,
    follow_symlinks: bool = False,
    cwd: Path | None = None,
) -> Discovery:
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    result = Discovery()
    seen: set[str] = set()
    linted: set[str] = set()  # real paths of the files found in directories

    def add(item: FileInput) -> None:
        if item.display not in seen:
            seen.add(item.display)
            result.files.append(item)

    for raw in paths or ["."]:
        if raw == STDIN:
            add(FileInput(shown_name(stdin_filename) if stdin_filename else STDIN, None, True))
            continue
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            result.errors.append(f"{raw}: no such file or directory")
            continue
        if path.is_file():
            display = display_path(path, cwd)
            if not is_excluded(display, exclude):
                add(FileInput(display, path, True))
            else:
                result.skipped.append((display, "excluded (--exclude or exclude)"))
            continue
        if not path.is_dir():
            result.errors.append(f"{raw}: not a regular file or directory")
            continue
        root = Path(os.path.realpath(path))
        # Directories already walked, by real path: with --follow-symlinks a
        # link back up the tree would otherwise loop, and two links to one
        # folder would lint it twice.
        visited: set[str] = set()
        links: list[tuple[str, Path]] = []
        found = 0
        for dirpath, dirnames, filenames in os.walk(path, followlinks=follow_symlinks):
            current = Path(dirpath)
            visited.add(os.path.realpath(current))
            if follow_symlinks:
                # Real folders claim their place first, so a link to a sibling
                # does not show its files under the link's name.
                visited.update(os.path.realpath(current / d) for d in dirnames if not (current / d).is_symlink())
            kept = []
            for d in sorted(dirnames):
                sub = current / d
                why = _skipped_dir(sub, d, display_path(sub, cwd), exclude)
                if why is not None:
                    result.skipped.append((display_path(sub, cwd) + "/", why))
                    continue
                if not follow_symlinks:
                    if sub.is_symlink():
                        # os.walk does not descend into it; a link inside the tree
                        # is linted through its real path anyway.
                        if not _inside(Path(os.path.realpath(sub)), root):
                            result.notes.append(_not_followed(display_path(sub, cwd), raw))
                            result.skipped.append((display_path(sub, cwd) + "/", _LINK_OUT))
                        continue
                elif sub.is_symlink():
                    target = os.path.realpath(sub)
                    if target in visited:
                        continue
                    visited.add(target)
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                if not name.endswith(YAML_SUFFIXES):
                    continue
                file_path = current / name
                if file_path.is_symlink() and not follow_symlinks:
                    if not _inside(Path(os.path.realpath(file_path)), root):
                        result.notes.append(_not_followed(display_path(file_path, cwd), raw))
                        result.skipped.append((display_path(file_path, cwd), _LINK_OUT))
                        continue
                # Only regular files: never a FIFO or device that would block or never end.
                if not file_path.is_file():
                    continue
                display = display_path(file_path, cwd)
                if is_excluded(display, exclude):
                    result.skipped.append((display, "excluded (--exclude or exclude)"))
                    continue
                if file_path.is_symlink():
                    links.append((display, file_path))
                    continue
                linted.add(os.path.realpath(file_path))
                found += 1
                add(FileInput(display, file_path, False))
        # Links last, and only to files not linted already: a file is
        # reported once, under its real name when the scan found it.
        for display, file_path in links:
            real = os.path.realpath(file_path)
            if real not in linted:
                linted.add(real)
                found += 1
                add(FileInput(display, file_path, False))
        if found == 0:
            result.notes.append(f"{raw}: no YAML or JSON files found")
    return result
