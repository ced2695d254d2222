"""Exceptions that the CLI maps to exit codes in one place."""

from __future__ import annotations


class LintError(Exception):
    """Base class: an error the user should see as one line, never a traceback."""

    exit_code = 2


class UsageError(LintError):
    """Bad command-line usage (exit 2)."""


class ConfigError(LintError):
    """A configuration file or value is invalid (exit 2)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column = path, line, column
        where = path or ""
        if path and line:
            where = f"{path}:{line}:{column or 1}"
        super().__init__(f"{where}: {message}" if where else message)


class InputError(LintError):
    """An input file cannot be read or decoded.

    ``fatal`` errors (a path that does not exist or cannot be read) make the
    run exit 2; the others become an HL001 diagnostic for that file.
    """

    def __init__(self, display: str, message: str, line: int | None = None, fatal: bool = False):
        self.display, self.message, self.line, self.fatal = display, message, line, fatal
        super().__init__(f"{display}: {message}")
