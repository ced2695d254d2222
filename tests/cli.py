"""Run the command line in-process: ``linter.cli.main(argv)`` with its standard streams captured."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

from linter.cli import main


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def returncode(self) -> int:
        """The name subprocess results use, so a test can take either."""
        return self.exit_code

    @property
    def output(self) -> str:
        """Everything the run printed (standard output, then standard error), for assertion messages."""
        return self.stdout + self.stderr


def invoke(args: list[str] | tuple[str, ...], input: str | bytes | None = None) -> CliResult:
    """Run ``headlamp-lint *args`` in this process; ``input`` is its standard input (``-`` reads it)."""
    data = input.encode("utf-8") if isinstance(input, str) else (input or b"")
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")  # the engine reads sys.stdin.buffer
    out, err = io.StringIO(), io.StringIO()
    old_stdin, sys.stdin = sys.stdin, stdin
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code
            else:  # pragma: no cover - main always exits
                code = 0
    finally:
        sys.stdin = old_stdin
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message") prints the message and exits 1
        err.write(f"{code}\n")
        code = 1
    return CliResult(code, out.getvalue(), err.getvalue())
