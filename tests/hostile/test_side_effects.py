"""Issue item 3: no side effects.

The CLI runs in a child process with an audit hook (``sys.addaudithook``,
installed by a ``sitecustomize`` module) that records every file opened,
every socket operation and every process started, and refuses the network.
The tests then assert that the linter opened only the files it was given or
discovered, wrote only the requested report, started nothing and never
touched the network. A static check of the sources backs it up: no
evaluating built-ins, no network or process modules, no unsafe YAML loader.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.hostile.harness import linter_env, run_measured

SITECUSTOMIZE = r'''
import json, os, sys

_fd = os.open(os.environ["HL_AUDIT_LOG"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
_WATCHED = ("open", "socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
            "os.startfile", "ctypes.dlopen", "urllib.", "http.", "ftplib.", "smtplib.", "webbrowser.")

def _hook(event, args):
    if not event.startswith(_WATCHED):
        return
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        if isinstance(path, int):
            return
        record = {"event": "open", "path": os.fsdecode(path), "mode": mode, "flags": flags}
    else:
        record = {"event": event, "args": repr(args)[:200]}
    os.write(_fd, (json.dumps(record) + "\n").encode())
    if event.startswith(("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
                         "socket.bind")):
        raise OSError("network access refused by the test guard")

sys.addaudithook(_hook)
'''


def audited(tmp_path: Path, argv: list[str], cwd: Path) -> tuple[list[dict], object]:
    guard = tmp_path / "guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "audit.log"
    log.unlink(missing_ok=True)
    env = linter_env((str(guard),), {"HL_AUDIT_LOG": str(log), "PYTHONDONTWRITEBYTECODE": "1"})
    run = run_measured([sys.executable, *argv], cwd=cwd, env=env)
    assert log.exists(), "the audit hook did not load"
    events = [json.loads(line) for line in log.read_text().splitlines()]
    return events, run


def test_the_guard_sees_and_refuses_a_connection(tmp_path):
    # Proves the guard works: the same hook catches a deliberate connection.
    events, run = audited(
        tmp_path, ["-c", "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)"], tmp_path
    )
    assert run.returncode != 0 and "refused by the test guard" in run.stderr
    assert any(e["event"].startswith("socket.") for e in events)


def _outside_python(path: str) -> bool:
    """A path that is not part of the Python installation or the linter package itself."""
    real = os.path.realpath(path)
    inside = (sys.prefix, sys.base_prefix, str(ROOT / "linter"))
    return not any(real == p or real.startswith(p.rstrip("/") + "/") for p in map(os.path.realpath, inside))


def _writes(event: dict) -> bool:
    mode, flags = event.get("mode") or "", event.get("flags") or 0
    return any(c in mode for c in "wax+") or bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))


@pytest.mark.parametrize("output_format", ["full", "concise", "json"])
def test_opens_only_given_and_discovered_files_and_no_network(tmp_path, output_format):
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.yaml"
    secret.write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n")
    # Input that names network places: it must stay data.
    (tree / "deploy.yaml").write_text(
        (FIXTURES / "rules" / "hl403_privileged_container" / "bad.yaml").read_text()
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: urls\n  annotations:\n"
        "    a: https://example.com/x.yaml\n    b: http://169.254.169.254/latest/meta-data\n"
        "data:\n  $ref: https://example.com/schema.json\n  kubeconfig: 'server: https://10.0.0.1:6443'\n"
    )
    (tree / "sub" / "values.yml").write_text("{}\n")
    (tree / "notes.json").write_text('{"$schema": "https://json.schemastore.org/x.json"}\n')
    (tree / "README.md").write_text("not YAML\n")
    (tree / "link-out.yaml").symlink_to(secret)
    (tree / "dir-out").symlink_to(outside, target_is_directory=True)
    report = tmp_path / "report.out"

    events, run = audited(
        tmp_path,
        ["-m", "linter", "check", "-f", output_format, "-o", str(report), "tree"],
        tmp_path,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert report.read_text(encoding="utf-8")
    assert run.stdout == ""  # the report went to the file only

    # No socket of any kind, no process, no dynamic library.
    assert [e for e in events if e["event"] != "open"] == []
    opened = [e for e in events if e["event"] == "open" and _outside_python(e["path"])]
    written = {os.path.realpath(e["path"]) for e in opened if _writes(e)}
    read = {os.path.realpath(os.path.join(tmp_path, e["path"])) for e in opened if not _writes(e)}
    assert written == {os.path.realpath(report)}
    expected = {os.path.realpath(tree / name) for name in ("deploy.yaml", "sub/values.yml", "notes.json")}
    assert read - _harmless_reads() == expected
    assert os.path.realpath(secret) not in read


def test_symlinks_out_of_the_tree_are_opened_only_when_asked(tmp_path):
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    tree.mkdir()
    pod = (FIXTURES / "rules" / "hl403_privileged_container" / "bad.yaml").read_text()
    (outside / "file.yaml").write_text(pod)
    (outside / "deep" / "nested.yaml").write_text(pod)
    (tree / "own.yaml").write_text(pod)
    (tree / "link.yaml").symlink_to(outside / "file.yaml")
    (tree / "linked-dir").symlink_to(outside, target_is_directory=True)
    (tree / "loop").symlink_to(tree, target_is_directory=True)  # followed, it must not loop

    def reads(*flags: str) -> tuple[set[str], object]:
        events, run = audited(tmp_path, ["-m", "linter", "check", "-f", "concise", *flags, "tree"], tmp_path)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        opened = {os.path.realpath(os.path.join(tmp_path, e["path"])) for e in events if e["event"] == "open"}
        return {p for p in opened if p.startswith(os.path.realpath(tmp_path) + "/")}, run

    default, run = reads()
    assert default == {os.path.realpath(tree / "own.yaml")}
    assert sorted(run.stderr.splitlines()) == [
        "headlamp-lint: note: tree/link.yaml: symbolic link out of tree not followed (--follow-symlinks to lint it)",
        "headlamp-lint: note: tree/linked-dir: symbolic link out of tree not followed (--follow-symlinks to lint it)",
    ]
    followed, run = reads("--follow-symlinks")
    assert followed == {os.path.realpath(p) for p in (tree / "own.yaml", outside / "file.yaml",
                                                      outside / "deep" / "nested.yaml")}
    shown = {line.split(":")[0] for line in run.stdout.splitlines()}
    # Each file once: the outside file through the folder link, not again through the file link.
    assert shown == {"tree/own.yaml", "tree/linked-dir/file.yaml", "tree/linked-dir/deep/nested.yaml"}


def _harmless_reads() -> set[str]:
    # Files the interpreter or libraries may read that are neither input nor output.
    return {"/dev/urandom", "/etc/localtime"} | {p for p in ("/dev/null",)}


# --- static: nothing in the sources can evaluate input or reach the network --

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input", "breakpoint"}
# Pure string helpers inside otherwise forbidden packages (percent-encoding a path for a report link).
ALLOWED_MODULES = {"urllib.parse"}
FORBIDDEN_MODULES = {
    "subprocess", "socket", "urllib", "http", "requests", "httpx", "pickle", "marshal", "shelve", "ctypes",
    "multiprocessing", "ftplib", "smtplib", "telnetlib", "webbrowser", "xmlrpc", "code", "codeop", "runpy",
}
# The one module that may use each of these, and why it is safe (tests/test_perf.py checks both).
ALLOWED_IN = {
    # Cache entries are HMAC-signed with the user's private key and verified before they are unpickled.
    "linter/cache.py": {"pickle"},
    # Worker processes run the linter's own per-file function on file paths, never anything from the input.
    "linter/pool.py": {"multiprocessing"},
    # Compiles methods for the linter's own record classes from their field names (checked identifiers).
    "linter/records.py": {"exec"},
}
FORBIDDEN_ATTRS = {"system", "popen", "execv", "execve", "execl", "spawnv", "spawnl", "posix_spawn", "fork",
                   "load_all", "construct_document", "construct_object", "unsafe_load", "full_load"}


def _sources():
    return sorted((ROOT / "linter").rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_sources_never_evaluate_or_connect(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = ALLOWED_MODULES | ALLOWED_IN.get(path.relative_to(ROOT).as_posix(), set())
    problems = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS
                and node.func.id not in allowed):
            problems.append(f"line {node.lineno}: calls {node.func.id}()")
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRS:
            problems.append(f"line {node.lineno}: uses .{node.attr}")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES and name not in allowed:
                    problems.append(f"line {node.lineno}: imports {name}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "YAML":
            typ = [k.value for k in node.keywords if k.arg == "typ"]
            if not (typ and isinstance(typ[0], ast.Constant) and typ[0].value == "safe"):
                problems.append(f"line {node.lineno}: YAML() without typ='safe'")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "load":
            # ruamel's loaders construct objects; the linter only ever parses events.
            target = node.func.value
            if isinstance(target, ast.Call) and getattr(target.func, "id", "") == "YAML" or getattr(target, "id", "") == "yaml":
                problems.append(f"line {node.lineno}: YAML().load()")
    assert problems == []
