"""Shared test helpers: run the linter in-process or as a user would, and locate shared data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = Path(os.environ.get("HEADLAMP_LINT_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared reference data only exists beside the development checkout")
    return path


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run ``python -m linter`` as a separate process, as a user would."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env.pop("FORCE_COLOR", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=120,
    )
