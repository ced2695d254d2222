"""Run the linter as a user would, in a child process, and measure what it costs.

Every hostile case runs ``python -m linter check`` on the hostile input and on
a well-formed file with known findings (``GOOD``) in the same run, then
checks the guarantees of the issue: the documented exit code, one located
message per problem, the good file's findings all present, no traceback,
and the bounds below. The bounds are guards, not benchmarks: generous enough
for a loaded CI machine, far below what a hang or an expansion would cost.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

# Peak resident memory of the whole linter process (interpreter included).
MEMORY_BOUND_MIB = 256
# CPU seconds of the whole process per hostile file (start-up is ~0.4 s).
# CPU time, not wall time, so that other jobs on the machine cannot fail it.
CPU_BOUND_SECONDS = 5.0
# A hang is killed after this many wall-clock seconds and fails the test.
WALL_LIMIT_SECONDS = 60.0

# A well-formed manifest with known findings, linted beside every hostile file.
GOOD = FIXTURES / "rules" / "hl403_privileged_container" / "bad.yaml"
GOOD_DISPLAY = GOOD.relative_to(ROOT).as_posix()

_LINE = re.compile(r"^(?P<path>.*?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info): (?P<msg>.*) \[(?P<rule>HL\d{3})\]$")


@dataclass(frozen=True)
class Diag:
    path: str
    line: int
    column: int
    rule: str
    message: str


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mib: float
    cpu_seconds: float
    wall_seconds: float

    def diagnostics(self) -> list[Diag]:
        """The findings of a ``-f concise`` run."""
        out = []
        for text in self.stdout.splitlines():
            match = _LINE.match(text)
            assert match, f"not a concise line: {text!r}"
            out.append(Diag(match["path"], int(match["line"]), int(match["col"]), match["rule"], match["msg"]))
        return out

    def of(self, path: str) -> list[Diag]:
        return [d for d in self.diagnostics() if d.path == path]


def linter_env(extra_pythonpath: tuple[str, ...] = (), env: dict | None = None) -> dict:
    full = dict(os.environ)
    full["PYTHONPATH"] = os.pathsep.join((*extra_pythonpath, str(ROOT), full.get("PYTHONPATH", "")))
    for name in ("FORCE_COLOR", "NO_COLOR"):
        full.pop(name, None)
    full.update(env or {})
    return full


def run_measured(
    argv: list[str],
    cwd: Path = ROOT,
    stdin: bytes | None = None,
    env: dict | None = None,
) -> Run:
    """Run ``argv`` and return its output with its own peak RSS and CPU time (from wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin)
            inp.seek(0)
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdin=inp, stdout=out, stderr=err, cwd=cwd, env=env)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.kill(proc.pid, signal.SIGKILL)

        timer = threading.Timer(WALL_LIMIT_SECONDS, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        wall = time.monotonic() - start
        assert not killed.is_set(), f"{argv} did not finish within {WALL_LIMIT_SECONDS} s"
        out.seek(0)
        err.seek(0)
        return Run(
            proc.returncode,
            out.read().decode("utf-8"),
            err.read().decode("utf-8"),
            usage.ru_maxrss / 1024,  # Linux reports KiB
            usage.ru_utime + usage.ru_stime,
            wall,
        )


def lint(*args: str, cwd: Path = ROOT, stdin: bytes | None = None, env: dict | None = None) -> Run:
    return run_measured([sys.executable, "-m", "linter", "check", *args], cwd, stdin, linter_env(env=env))


_good_cache: list[list[Diag]] = []


def good_alone() -> list[Diag]:
    """The good file's findings when it is linted alone (computed once)."""
    if not _good_cache:
        run = lint("-f", "concise", GOOD_DISPLAY)
        assert run.returncode == 1 and run.diagnostics(), run.stderr
        _good_cache.append(run.diagnostics())
    return _good_cache[0]


def assert_guarantees(run: Run, exit_code: int = 1, hostile_files: int = 1) -> None:
    """What holds for every hostile input: code, no traceback, bounds, the good file intact."""
    assert run.returncode == exit_code, (run.returncode, run.stdout[-2000:], run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert run.peak_rss_mib < MEMORY_BOUND_MIB, f"peak RSS {run.peak_rss_mib:.0f} MiB"
    assert run.cpu_seconds < CPU_BOUND_SECONDS * hostile_files, f"{run.cpu_seconds:.1f} CPU seconds"
    assert "HL000" not in run.stdout, run.stdout
    assert per_file(run.of(GOOD_DISPLAY)) == per_file(good_alone())


def per_file(diags: list[Diag]) -> list[Diag]:
    """The findings that depend on the file alone: input (HL0xx) and container (HL4xx) rules.

    Authentication, TLS, RBAC and network rules relate objects across files,
    so hostile files that happen to hold a NetworkPolicy or a binding may
    rightly change the good file's findings of those families.
    """
    return [d for d in diags if d.rule[:3] in ("HL0", "HL4")]


def check_hostile(path: Path, *extra: str, exit_code: int = 1, hostile_files: int = 1) -> list[Diag]:
    """Lint ``path`` beside GOOD; assert the guarantees; return the hostile file's diagnostics."""
    run = lint("-f", "concise", *extra, str(path), GOOD_DISPLAY)
    assert_guarantees(run, exit_code, hostile_files)
    return run.of(path.as_posix())


def located(diags: list[Diag]) -> set[tuple[int, int, str]]:
    return {(d.line, d.column, d.rule) for d in diags}
