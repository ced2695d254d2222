"""--fix writes only where it should, as the user's tools would: in place (owner, mode, hard links, extended
attributes kept), never a read-only or immutable file, a symbolic link's target only inside the linted paths,
and one file that cannot be written is one error while the others are still fixed."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

BAD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: headlamp\n"
       "      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0\n      securityContext:\n"
       "        allowPrivilegeEscalation: true\n")
FIXED_LINE = "allowPrivilegeEscalation: false"


def _fix(*args: str, cwd: Path):
    return run_cli("check", "--fix", "-f", "concise", *args, cwd=cwd)


def test_in_place_keeps_inode_mode_hard_links_and_xattrs(tmp_path):
    lint = tmp_path / "lint"
    lint.mkdir()
    path = lint / "pod.yaml"
    path.write_text(BAD)
    path.chmod(0o640)
    other = tmp_path / "elsewhere.yaml"
    os.link(path, other)  # a hard link outside the linted folder
    has_xattr = hasattr(os, "setxattr")
    if has_xattr:
        try:
            os.setxattr(path, "user.headlamp", b"kept")
        except OSError:
            has_xattr = False
    before = path.stat()
    result = _fix("lint", cwd=tmp_path)
    after = path.stat()
    assert FIXED_LINE in path.read_text() and "fixed" in result.stderr
    assert (after.st_ino, after.st_dev, stat.S_IMODE(after.st_mode), after.st_uid, after.st_gid, after.st_nlink) == (
        before.st_ino, before.st_dev, 0o640, before.st_uid, before.st_gid, 2)
    assert other.read_text() == path.read_text()  # the link still names the same, fixed, file
    if has_xattr:
        assert os.getxattr(path, "user.headlamp") == b"kept"


def test_a_read_only_file_is_not_written_and_the_others_are(tmp_path):
    lint = tmp_path / "lint"
    lint.mkdir()
    locked, free = lint / "a-locked.yaml", lint / "b-free.yaml"
    locked.write_text(BAD)
    free.write_text(BAD)
    locked.chmod(0o444)
    result = _fix("lint", cwd=tmp_path)
    assert locked.read_text() == BAD  # even as root: no write permission for anyone is respected
    assert FIXED_LINE in free.read_text()
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert errors == ["headlamp-lint: error: lint/a-locked.yaml: the file is read-only; not fixed"]
    assert "fixed 5 problems in 1 file" in result.stderr


def test_an_immutable_file_is_one_error(tmp_path):
    lint = tmp_path / "lint"
    lint.mkdir()
    path, free = lint / "a.yaml", lint / "b.yaml"
    path.write_text(BAD)
    free.write_text(BAD)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here (no chattr, not root, or a file system without it)")
    try:
        result = _fix("lint", cwd=tmp_path)
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)
    assert path.read_text() == BAD and FIXED_LINE in free.read_text()
    assert result.returncode == 2 and "lint/a.yaml: cannot open for writing" in result.stderr


def test_symlink_targets_are_fixed_only_inside_the_linted_paths(tmp_path):
    lint = tmp_path / "lint"
    lint.mkdir()
    inside = lint / "real.yaml"
    inside.write_text(BAD)
    (lint / "link-in.yaml").symlink_to("real.yaml")
    outside = tmp_path / "outside.yaml"
    outside.write_text(BAD)
    result = _fix("lint", cwd=tmp_path)
    assert FIXED_LINE in inside.read_text() and (lint / "link-in.yaml").is_symlink()
    assert "error" not in result.stderr
    (lint / "link-out.yaml").symlink_to(outside)
    result = _fix("lint/link-out.yaml", cwd=tmp_path)
    assert outside.read_text() == BAD and (lint / "link-out.yaml").is_symlink()
    assert result.returncode == 2
    assert f"lint/link-out.yaml: a symbolic link to {outside}, outside the linted paths; not fixed" in result.stderr


def _as_nobody(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    setpriv = shutil.which("setpriv")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(cwd), "XDG_CACHE_HOME": str(cwd / ".xdg")}
    return subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-m", "linter",
                           *args], cwd=cwd, env=env, capture_output=True, text=True)


def _skip_unless_nobody_can_import() -> None:
    probe = subprocess.run([shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups",
                            sys.executable, "-c", "import click, ruamel.yaml, linter.cli"],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd="/", capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"the unprivileged user cannot import the linter and its packages ({ROOT} or {sys.prefix}"
                    " is not readable by others): make both world-readable to run this")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run the linter as another (unprivileged) user")
def test_as_an_unprivileged_user_read_only_folder_and_foreign_file():
    import tempfile

    _skip_unless_nobody_can_import()
    tmp_path = Path(tempfile.mkdtemp(prefix="headlamp-lint-nobody-"))  # under /tmp: reachable by nobody
    tmp_path.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    mine, theirs = work / "a-mine.yaml", work / "b-theirs.yaml"
    mine.write_text(BAD)
    theirs.write_text(BAD)
    os.chown(work, 65534, 65534)
    os.chown(mine, 65534, 65534)  # theirs stays root's, 0644: not writable by nobody
    work.chmod(0o555)  # a read-only folder: an in-place write needs no new file in it
    try:
        result = _as_nobody(["check", "--isolated", "--fix", "-f", "concise", "work"], tmp_path)
    finally:
        work.chmod(0o755)
    assert FIXED_LINE in mine.read_text(), result.stderr
    assert theirs.read_text() == BAD
    assert result.returncode == 2
    assert "work/b-theirs.yaml: cannot open for writing (Permission denied); not fixed" in result.stderr
    assert sorted(p.name for p in work.iterdir()) == ["a-mine.yaml", "b-theirs.yaml"]  # no temporary file left
    shutil.rmtree(tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
                    reason="needs root and setpriv to run the linter as another (unprivileged) user")
def test_as_an_unprivileged_user_a_folder_above_that_it_may_not_look_into():
    import tempfile

    _skip_unless_nobody_can_import()
    tmp_path = Path(tempfile.mkdtemp(prefix="headlamp-lint-nobody-"))
    tmp_path.chmod(0o755)
    inner = tmp_path / "locked" / "inner"
    inner.mkdir(parents=True)
    (inner / "a.yaml").write_text(BAD)
    (tmp_path / "locked").chmod(0o700)  # root's: nobody's working directory is below a folder it cannot search
    try:
        result = _as_nobody(["check", "--no-cache", "a.yaml"], inner)
    finally:
        (tmp_path / "locked").chmod(0o755)
        shutil.rmtree(tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (f"headlamp-lint: error: {inner}: cannot look for a configuration file here: Permission"
                             " denied (pass --config FILE, or --isolated for the defaults)\n")
