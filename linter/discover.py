"""Find the files to lint from the paths on the command line."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

YAML_SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = frozenset({".git", "node_modules", ".hg", ".svn", ".tox", ".venv", "__pycache__", ".headlamp-lint-cache"})
STDIN = "-"


@dataclass(frozen=True)
class FileInput:
    """One file to lint. ``path`` is None for standard input."""

    display: str
    path: Path | None
    explicit: bool  # named on the command line (not found by directory discovery)


@dataclass
class Discovery:
    files: list[FileInput] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # fatal: exit 2
    notes: list[str] = field(default_factory=list)  # shown, not fatal


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working directory where possible, always POSIX style."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(cwd).as_posix()
    except ValueError:
        return absolute.as_posix()


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

    def add(item: FileInput) -> None:
        if item.display not in seen:
            seen.add(item.display)
            result.files.append(item)

    for raw in paths or ["."]:
        if raw == STDIN:
            add(FileInput(stdin_filename or STDIN, None, True))
            continue
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            result.errors.append(f"{raw}: no such file or directory")
            continue
        if path.is_file():
            display = display_path(path, cwd)
            if not is_excluded(display, exclude):
                add(FileInput(display, path, True))
            continue
        if not path.is_dir():
            result.errors.append(f"{raw}: not a regular file or directory")
            continue
        root = Path(os.path.realpath(path))
        found = 0
        for dirpath, dirnames, filenames in os.walk(path, followlinks=follow_symlinks):
            current = Path(dirpath)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in SKIP_DIRS
                and not _is_helm_templates_dir(current / d)
                and not is_excluded(display_path(current / d, cwd), exclude)
            )
            for name in sorted(filenames):
                if not name.endswith(YAML_SUFFIXES):
                    continue
                file_path = current / name
                if file_path.is_symlink() and not follow_symlinks:
                    target = Path(os.path.realpath(file_path))
                    if root not in target.parents:
                        result.notes.append(
                            f"{display_path(file_path, cwd)}: symbolic link out of {raw} not followed"
                            " (--follow-symlinks to lint it)"
                        )
                        continue
                if not file_path.is_file():
                    continue
                display = display_path(file_path, cwd)
                if is_excluded(display, exclude):
                    continue
                found += 1
                add(FileInput(display, file_path, False))
        if found == 0:
            result.notes.append(f"{raw}: no YAML or JSON files found")
    return result
