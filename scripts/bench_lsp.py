"""Benchmark the language server's re-lint after a keystroke: a 300-line manifest in a 50-file workspace.

    python scripts/bench_lsp.py [--runs 30]

The workspace is made in a temporary folder from the project's own files
(the rule fixtures, and a 300-line manifest from fixtures/e2e), so the
figures need nothing outside this repository. Two figures, medians:

- in process: ``Project.lint`` after a one-character edit of the open
  manifest (the per-file stage for that document only, then the cross-file
  stage over all 50 files), against a run without kept per-file work;
- over the protocol: a real ``headlamp-lint server`` process, with the
  debounce at 0, from sending ``textDocument/didChange`` to receiving its
  ``textDocument/publishDiagnostics`` (each edit toggles a finding, so every
  one publishes).

This prints figures; it is not a test: timings depend on the machine and on
what else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILES = 50
MANIFEST_LINES = 300
EDITED = "deploy/headlamp.yaml"
# The one-character edit: runAsUser 1000 <-> 0000 (root: HL401 appears and goes).
BEFORE, AFTER = "runAsUser: 1000", "runAsUser: 0000"


def manifest() -> str:
    """About 300 lines: the e2e fixtures' objects, renamed, until the length is reached."""
    base = (ROOT / "fixtures" / "e2e" / "hardened.yaml").read_text(encoding="utf-8")
    lines = base.replace("runAsUser: 100\n", f"{BEFORE}\n", 1).split("\n")
    text = "\n".join(lines)
    extra = (ROOT / "fixtures" / "e2e" / "insecure.yaml").read_text(encoding="utf-8").split("\n")
    copy = 0
    while text.count("\n") < MANIFEST_LINES:
        copy += 1
        text += "---\n" + "\n".join(extra).replace("name: headlamp", f"name: headlamp-{copy}") + "\n"
    return "\n".join(text.split("\n")[:MANIFEST_LINES]) + "\n"


def make_workspace(folder: Path) -> Path:
    (folder / "deploy").mkdir(parents=True)
    (folder / ".git").mkdir()
    text = manifest()
    assert BEFORE in text, "the benchmark's edit target is missing"
    (folder / EDITED).write_text(text, encoding="utf-8")
    fixtures = sorted(p for p in (ROOT / "fixtures" / "rules").glob("*/*.yaml") if "template" not in p.name)
    for number, path in enumerate(fixtures[: FILES - 1]):
        target = folder / "other" / f"{number:02d}-{path.parent.name}-{path.name}"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, target)
    return folder


def in_process(folder: Path, runs: int) -> tuple[list[float], list[float]]:
    from linter.lsp.project import Project

    project = Project(folder)
    project.activate()
    project.reload_settings()
    assert len(project.files) == FILES, f"{len(project.files)} files, not {FILES}"
    text = (folder / EDITED).read_text(encoding="utf-8")
    project.open(EDITED, text)
    project.lint()  # first run: every file, rule modules imported
    warm, cold = [], []
    for run in range(runs):
        project.open(EDITED, text if run % 2 else text.replace(BEFORE, AFTER, 1))
        start = time.perf_counter()
        project.lint()
        warm.append(time.perf_counter() - start)
    for run in range(max(3, runs // 5)):
        project.forget_cached()
        start = time.perf_counter()
        project.lint()
        cold.append(time.perf_counter() - start)
    return warm, cold


async def over_protocol(folder: Path, runs: int) -> list[float]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    received: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        received.put_nowait((time.perf_counter(), params))

    await client.start_io(sys.executable, "-m", "linter", "server")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=folder.as_uri(), initialization_options={"debounce": 0}))
    client.initialized(types.InitializedParams())
    uri = (folder / EDITED).as_uri()
    text = (folder / EDITED).read_text(encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text)))
    await asyncio.wait_for(received.get(), 60)
    line = text[: text.index(BEFORE)].count("\n")
    character = text.split("\n")[line].index(BEFORE) + len("runAsUser: ")
    times = []
    for run in range(runs):
        new = "0" if run % 2 == 0 else "1"
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=run + 2),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(line, character), types.Position(line, character + 1)), text=new)],
        ))
        while True:
            at, params = await asyncio.wait_for(received.get(), 60)
            if params.version == run + 2:
                break
        times.append(at - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return times


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="headlamp-lint-bench-lsp-") as tmp:
        folder = make_workspace(Path(tmp) / "workspace")
        lines = (folder / EDITED).read_text(encoding="utf-8").count("\n")
        cwd = os.getcwd()
        try:
            warm, cold = in_process(folder, args.runs)
        finally:
            os.chdir(cwd)
        wire = asyncio.run(over_protocol(folder, args.runs))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"workspace: {FILES} files, the edited manifest {lines} lines; {args.runs} edits; load average {load:.2f}")
    print(f"| measure | median |\n|---|---|")
    print(f"| re-lint after a keystroke, in process (kept per-file work) | {ms(warm)} |")
    print(f"| the same run without kept per-file work (every file parsed) | {ms(cold)} |")
    print(f"| didChange → publishDiagnostics over stdio (debounce 0) | {ms(wire)} |")


if __name__ == "__main__":
    main()
