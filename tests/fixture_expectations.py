"""Inline expectations in fixtures: ``# expect: HL401:11`` on the line to blame.

A marker names a rule and the 1-based column of the blamed span; several
can share a line (``# expect: HL404:11 HL405:11``). The first line may hold
``# lint-args: --all-workloads`` to pass options to the run.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

_EXPECT = re.compile(r"#\s*expect:\s*(.*)$")
_ITEM = re.compile(r"(HL\d{3}):(\d+)")
_ARGS = re.compile(r"#\s*lint-args:\s*(.*)$")


def expectations(path: Path) -> set[tuple[int, int, str]]:
    out = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for rule, column in _ITEM.findall(match.group(1)):
                out.add((number, int(column), rule))
    return out


def lint_args(path: Path) -> list[str]:
    first = path.read_text(encoding="utf-8").splitlines()[:3]
    for line in first:
        match = _ARGS.search(line)
        if match:
            return shlex.split(match.group(1))
    return []
