"""A real editor: Neovim, headless, opens a manifest with ``headlamp-lint server`` attached and writes the
diagnostics it received, as it understood them (its columns are bytes: the server's UTF-16 characters
converted by Neovim), compared exactly. Needs Debian's ``neovim`` (.ci/run installs it when it can)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "editors" / "nvim_diagnostics.lua"
WORKSPACE = ROOT / "fixtures" / "lsp" / "workspace"

HL102 = ('Headlamp container "headlamp" of Deployment headlamp/headlamp has no OIDC (-oidc-client-id and'
         " -oidc-idp-issuer-url) and no -proxy-auth: users log in by pasting ServiceAccount tokens")
HL109 = "-dev set by arg -dev: any origin may make credentialed requests (development mode)"
HL404 = ('container "headlamp" of Deployment headlamp/headlamp allows privilege escalation:'
         " securityContext.allowPrivilegeEscalation is true (set securityContext.allowPrivilegeEscalation: false)")


def test_neovim_shows_the_servers_diagnostics(tmp_path: Path):
    pytest.importorskip("pygls", reason="the lsp extra is not installed (pip install -e '.[test]')")
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("Neovim (nvim) is not installed: apt-get install neovim (.ci/run does it when it can)")
    workspace = tmp_path / "workspace"
    shutil.copytree(WORKSPACE, workspace)
    (workspace / ".git").mkdir()
    out = tmp_path / "diagnostics.txt"
    env = {
        **os.environ,
        "HL_SERVER": "\t".join([sys.executable, "-m", "linter", "server"]),
        "HL_ROOT": str(workspace),
        "HL_FILE": str(workspace / "headlamp.yaml"),
        "HL_OUT": str(out),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # Neovim's LSP log goes here, not into the home folder
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    done = subprocess.run([nvim, "--headless", "--clean", "-c", f"luafile {SCRIPT}"], env=env, cwd=workspace,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert out.is_file(), f"Neovim wrote nothing (exit {done.returncode}): {done.stderr[-2000:]}"
    line = (workspace / "headlamp.yaml").read_text(encoding="utf-8").split("\n")[23]
    dev = len(line[: line.index('"-dev"')].encode("utf-8"))  # Neovim's columns are byte offsets
    assert out.read_text(encoding="utf-8").splitlines() == [
        f"21:10-21:14 WARN HL102 {HL102}",
        f"23:{dev}-23:{dev + 6} ERROR HL109 {HL109}",
        f"25:38-25:42 ERROR HL404 {HL404}",
    ]
    assert dev == 71  # 68 characters before it, the rocket is 4 bytes
