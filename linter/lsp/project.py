"""The workspace as one project: its settings, its files, the editor's buffers, and the runs over them.

Nothing here speaks the protocol (``linter.lsp.server`` does): this is the
part of the server that a test can drive without a client. The project is
what ``headlamp-lint check .`` in the workspace root would lint (the same
configuration file, excludes and discovery), except that files open in the
editor are linted with their buffer's text instead of the file on disk.
Per-file work is kept between runs (``linter.engine.ResultMemo``), so after
a keystroke only the edited document goes through the per-file stage again,
then the cross-file stage (model, rules, suppressions) runs over all files.
"""

from __future__ import annotations

import os
from pathlib import Path

from linter.discover import FileInput, display_path
from linter.engine import ResultMemo, RunResult, SourceInput, discover_files, lint_sources
from linter.errors import LintError
from linter.lsp.positions import normalise
from linter.records import field, record
from linter.settings import Settings

CONFIG_FILES = frozenset({".headlamp-lint.yaml", ".headlamp-lint.yml", "pyproject.toml"})
CHART_FILE = "Chart.yaml"  # values files read the chart version from the Chart.yaml beside them


def server_settings(base: Settings) -> Settings:
    """What the server changes in the settings a configuration gives: it never writes files (the
    editor applies fixes), so it needs no digests, and it keeps per-file work in memory, not on disk."""
    from dataclasses import replace

    groups = base.values_groups
    return replace(base, digests=False, cache=False, values_files=groups[0] if groups else ())


def load_settings(root: Path) -> Settings:
    """The settings of ``check`` run in ``root`` without options. Raises LintError for a broken configuration."""
    from linter.config import Overrides, load_effective, settings_kwargs

    effective = load_effective(Overrides(), None, False, cwd=root)
    return server_settings(Settings(**settings_kwargs(effective)))


@record
class Project:
    """One workspace folder, linted as a whole.

    The process works in ``root`` (``activate``), as the command line does in
    the directory it runs in: display paths, configuration globs and values
    file detection are all relative to it.
    """

    root: Path
    settings: Settings = field(default_factory=lambda: server_settings(Settings()))
    config_error: str | None = None  # the broken configuration's message; the defaults are in use
    files: list[FileInput] = field(default_factory=list)  # found on disk
    buffers: dict[str, str] = field(default_factory=dict)  # display path -> the editor's text
    memo: ResultMemo | None = None

    def activate(self) -> None:
        os.chdir(self.root)

    def reload_settings(self) -> str | None:
        """Read the configuration again; return its error (then the defaults are used), or None."""
        try:
            self.settings = load_settings(self.root)
            self.config_error = None
        except LintError as exc:
            self.settings = server_settings(Settings())
            self.config_error = str(exc)
        self.rediscover()
        return self.config_error

    def rediscover(self) -> None:
        self.files = discover_files(["."], self.settings).files

    def display(self, path: Path) -> str:
        return display_path(path, self.root)

    def is_input(self, display: str) -> bool:
        return any(item.display == display for item in self.files)  # a few hundred files at most: no index

    def open(self, display: str, text: str) -> None:
        self.buffers[display] = normalise(text)

    def close(self, display: str) -> None:
        self.buffers.pop(display, None)

    def inputs(self, buffers: dict[str, str] | None = None) -> list[SourceInput]:
        """Every file of the project, with the text of the buffers open in the editor."""
        buffers = self.buffers if buffers is None else buffers
        return [SourceInput(item, buffers.get(item.display)) for item in self.files]

    def lint(self, buffers: dict[str, str] | None = None) -> RunResult:
        """One run over the project; ``buffers``: a snapshot of the editor's texts (default: the current)."""
        if self.memo is None:
            self.memo = ResultMemo(self.settings)
        return lint_sources(self.inputs(buffers), self.settings, self.memo)

    def lint_alone(self, display: str, text: str | None) -> RunResult:
        """One file without the rest of the project (when a run over the project failed)."""
        item = next((item for item in self.files if item.display == display), None)
        if item is None:
            item = FileInput(display, self.root / display, False)
        return lint_sources([SourceInput(item, text)], self.settings)

    def forget_cached(self) -> None:
        """Drop the kept per-file work (a Chart.yaml changed: the values files beside it read it)."""
        self.memo = None

    @staticmethod
    def is_config(path: Path) -> bool:
        return path.name in CONFIG_FILES

    @staticmethod
    def is_chart(path: Path) -> bool:
        return path.name == CHART_FILE
