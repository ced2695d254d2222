"""End to end: ``headlamp-lint server`` in its own process, driven over stdio by pytest-lsp's client.

Each test copies fixtures/lsp/workspace into a temporary folder, starts the
server on it as VS Code would (its capabilities), and checks what the server
publishes and answers: exact diagnostics (code, severity, range in UTF-16,
docs link, tags), debounced re-runs, cross-file results with unsaved buffers,
the configuration re-read, code actions applied and linted again, hover.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed (pip install -e '.[test]')")

from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

pytestmark = pytest.mark.asyncio

ROOT = Path(__file__).resolve().parent.parent
WORKSPACE = ROOT / "fixtures" / "lsp" / "workspace"
TIMEOUT = 20  # seconds for one notification; a loaded 2-core machine is slow to start Python
HL = "https://headlamp.dev/docs/latest/installation/"  # the rules' reference links, see help_uri


class Client(LanguageClient):
    """pytest-lsp's client, also keeping every diagnostics notification in order (with its version)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.notifications: list[types.PublishDiagnosticsParams] = []
        self.registrations: list[types.Registration] = []


def make_client() -> Client:
    client = Client(converter_factory=default_converter)
    features = dict(DEFAULT_CLIENT_FEATURES)
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
        client.notifications.append(params)
        original(client, params)

    def register(client: Client, params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    return client


SERVER = [sys.executable, "-m", "linter", "server"]
# The server with the run over the project made to fail on any input holding "CRASH-ME": the failure
# the server must survive, log, and work around (the other documents are linted alone).
CRASHING_SERVER = [sys.executable, "-c", """
import linter.lsp.project as project
real = project.lint_sources
def lint_sources(inputs, settings, memo=None):
    if any(given.text is not None and "CRASH-ME" in given.text for given in inputs):
        raise RuntimeError("boom")
    return real(inputs, settings, memo)
project.lint_sources = lint_sources
from linter.lsp.server import serve
serve()
"""]


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    target = tmp_path / "workspace"
    shutil.copytree(WORKSPACE, target)
    (target / ".git").mkdir()  # the configuration search stops here, as in a repository
    return target


async def start(client: Client, workspace: Path) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=uri_of(workspace),
            workspace_folders=[types.WorkspaceFolder(uri=uri_of(workspace), name="workspace")],
            initialization_options={"debounce": 200},
        )
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client))
async def client(lsp_client: Client, workspace: Path):
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=CRASHING_SERVER, client_factory=make_client))
async def crashing(lsp_client: Client, workspace: Path):
    await start(lsp_client, workspace)
    yield
    await lsp_client.shutdown_session()


# --- helpers ------------------------------------------------------------------------------


async def next_diagnostics(client: Client, uri: str, after: int, version: int | None = None):
    """The first diagnostics for ``uri`` published after the ``after``-th notification (of this version)."""

    async def wait():
        while True:
            for params in client.notifications[after:]:
                if params.uri == uri and (version is None or params.version == version):
                    return params
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), TIMEOUT)


def open_doc(client: Client, path: Path, version: int = 1, text: str | None = None) -> str:
    uri = uri_of(path)
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=uri, language_id="yaml", version=version, text=path.read_text(encoding="utf-8") if text is None else text,
    )))
    return uri


def replace_all(client: Client, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
    ))


def utf16_offset(text: str, line: int, character: int) -> int:
    """The index in ``text`` of an LSP position (UTF-16 code units), written independently of the server."""
    lines = text.split("\n")
    start = sum(len(part) + 1 for part in lines[:line])
    count, index = 0, 0
    for index, char in enumerate(lines[line]):
        if count >= character:
            return start + index
        count += 2 if ord(char) > 0xFFFF else 1
    return start + len(lines[line]) if count <= character else start + index


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    spans = [(utf16_offset(text, e.range.start.line, e.range.start.character),
              utf16_offset(text, e.range.end.line, e.range.end.character), e.new_text) for e in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def summary(diagnostics) -> list[tuple]:
    return [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
            for d in diagnostics]


def rng(line: int, character: int, end_line: int, end_character: int) -> types.Range:
    return types.Range(types.Position(line, character), types.Position(end_line, end_character))


# --- diagnostics ---------------------------------------------------------------------------


async def test_open_publishes_every_field_exactly(client: Client, workspace: Path):
    uri = open_doc(client, workspace / "headlamp.yaml")
    params = await next_diagnostics(client, uri, 0)
    assert params.version == 1
    hl102, hl109, hl404 = params.diagnostics
    assert hl109 == types.Diagnostic(
        # Line 24, code point column 69 (1-based); the rocket before it is two UTF-16 code units.
        range=rng(23, 69, 23, 75),
        message="-dev set by arg -dev: any origin may make credentialed requests (development mode)",
        severity=types.DiagnosticSeverity.Error,
        code="HL109",
        code_description=types.CodeDescription(href=hl109.code_description.href),
        source="headlamp-lint",
        data={"rule": "HL109", "name": "dev-mode", "number": 1},
    )
    line = (workspace / "headlamp.yaml").read_text(encoding="utf-8").split("\n")[23]
    assert utf16_offset(line, 0, 69) == line.index('"-dev"')
    assert summary([hl102, hl404]) == [("HL102", 21, 10, 21, 14), ("HL404", 25, 38, 25, 42)]
    assert [d.severity for d in (hl102, hl404)] == [types.DiagnosticSeverity.Warning, types.DiagnosticSeverity.Error]
    assert all(d.code_description.href.startswith("https://") for d in params.diagnostics)


async def test_change_is_debounced_and_relints_the_buffer(client: Client, workspace: Path):
    path = workspace / "headlamp.yaml"
    uri = open_doc(client, path)
    await next_diagnostics(client, uri, 0)
    text = path.read_text(encoding="utf-8")
    seen = len(client.notifications)
    # Three edits within the debounce window: one run, for the last version.
    replace_all(client, uri, 2, text.replace('"-dev"', '"-de"'))
    replace_all(client, uri, 3, text.replace('"-dev"', '"-d"'))
    replace_all(client, uri, 4, text.replace(', "-dev"', ""))
    params = await next_diagnostics(client, uri, seen)
    assert params.version == 4
    assert [d.code for d in params.diagnostics] == ["HL102", "HL404"]
    await asyncio.sleep(0.5)
    assert [p.version for p in client.notifications[seen:] if p.uri == uri] == [4]


async def test_incremental_change_with_utf16_range(client: Client, workspace: Path):
    path = workspace / "headlamp.yaml"
    uri = open_doc(client, path)
    await next_diagnostics(client, uri, 0)
    seen = len(client.notifications)
    # Delete `, "-dev"` (characters 67..74 in UTF-16 on line 24: the rocket counts two).
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(range=rng(23, 67, 23, 75), text="")],
    ))
    params = await next_diagnostics(client, uri, seen)
    assert [d.code for d in params.diagnostics] == ["HL102", "HL404"]


async def test_other_files_come_from_open_buffers_else_disk(client: Client, workspace: Path):
    headlamp = open_doc(client, workspace / "headlamp.yaml")
    await next_diagnostics(client, headlamp, 0)
    netpol_path = workspace / "netpol.yaml"
    netpol = open_doc(client, netpol_path)
    await next_diagnostics(client, netpol, 0)
    seen = len(client.notifications)
    # An unsaved edit in another file: the NetworkPolicy no longer selects Headlamp's pods.
    replace_all(client, netpol, 2, netpol_path.read_text().replace("{app.kubernetes.io/name: headlamp}", "{app: other}"))
    params = await next_diagnostics(client, headlamp, seen)
    assert [d.code for d in params.diagnostics] == ["HL501", "HL102", "HL109", "HL404"]
    seen = len(client.notifications)
    # Closed: the file on disk counts again.
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=netpol)))
    params = await next_diagnostics(client, headlamp, seen)
    assert [d.code for d in params.diagnostics] == ["HL102", "HL109", "HL404"]
    assert list(client.diagnostics[netpol]) == []


async def test_save_relints_with_files_changed_on_disk(client: Client, workspace: Path):
    headlamp = open_doc(client, workspace / "headlamp.yaml")
    await next_diagnostics(client, headlamp, 0)
    (workspace / "netpol.yaml").unlink()  # no file event: the client has no watcher for it in this test
    seen = len(client.notifications)
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=headlamp)))
    params = await next_diagnostics(client, headlamp, seen)
    assert [d.code for d in params.diagnostics] == ["HL501", "HL102", "HL109", "HL404"]


async def test_values_file_and_tags(client: Client, workspace: Path):
    values = workspace / "values.yaml"
    text = values.read_text() + "image:\n  tag: v0.45.0  # headlamp-lint: disable=HL401 -- not root anyway\n"
    uri = open_doc(client, values, text=text)
    params = await next_diagnostics(client, uri, 0)
    found = {(d.code, d.range.start.line, d.range.start.character) for d in params.diagnostics}
    assert ("HL403", 7, 14) in found  # privileged: true
    unused = [d for d in params.diagnostics if d.code == "HL007"]
    column = text.split("\n")[9].index("HL401")
    assert summary(unused) == [("HL007", 9, column, 9, column + 5)]
    assert list(unused[0].tags) == [types.DiagnosticTag.Unnecessary]
    assert all(d.tags is None for d in params.diagnostics if d.code != "HL007")


# --- code actions --------------------------------------------------------------------------


async def actions_at(client: Client, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic]),
    ))


async def test_fix_round_trip(client: Client, workspace: Path):
    path = workspace / "headlamp.yaml"
    text = path.read_text(encoding="utf-8")
    uri = open_doc(client, path)
    params = await next_diagnostics(client, uri, 0)
    hl404 = next(d for d in params.diagnostics if d.code == "HL404")
    found = await actions_at(client, uri, hl404)
    fix = next(a for a in found if a.title.startswith("Fix HL404"))
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert list(fix.diagnostics) == [hl404]
    fixed = apply_edits(text, fix.edit.changes[uri])
    assert fixed == text.replace("allowPrivilegeEscalation: true", "allowPrivilegeEscalation: false")
    seen = len(client.notifications)
    replace_all(client, uri, 2, fixed)
    params = await next_diagnostics(client, uri, seen)
    assert [d.code for d in params.diagnostics] == ["HL102", "HL109"]


async def test_unsafe_fix_is_labelled_and_not_preferred(client: Client, workspace: Path):
    path = workspace / "values.yaml"
    text = path.read_text(encoding="utf-8") + "image:\n  tag: latest\n"
    uri = open_doc(client, path, text=text)
    params = await next_diagnostics(client, uri, 0)
    hl601 = next(d for d in params.diagnostics if d.code == "HL601")
    unsafe = [a for a in await actions_at(client, uri, hl601) if a.title.startswith("Fix HL601")]
    assert [a.title for a in unsafe] == [
        "Fix HL601 (unsafe: may change behaviour): sets image.tag to the newest known Headlamp release in values"
        " files (an upgrade: it changes what runs)"]
    assert unsafe[0].kind == types.CodeActionKind.QuickFix and not unsafe[0].is_preferred
    assert apply_edits(text, unsafe[0].edit.changes[uri]).endswith("image:\n  tag: v0.45.0\n")


async def test_suppression_round_trips(client: Client, workspace: Path):
    path = workspace / "headlamp.yaml"
    text = path.read_text(encoding="utf-8")
    uri = open_doc(client, path)
    params = await next_diagnostics(client, uri, 0)
    hl109 = next(d for d in params.diagnostics if d.code == "HL109")
    found = {a.title: a for a in await actions_at(client, uri, hl109)}
    on_line = found["Disable HL109 on this line (write the reason after --)"]
    for_file = found["Disable HL109 for this file (write the reason after --)"]
    line = apply_edits(text, on_line.edit.changes[uri])
    assert line.split("\n")[23].endswith('"-dev"]  # headlamp-lint: disable=HL109 -- ')
    whole = apply_edits(text, for_file.edit.changes[uri])
    assert whole == "# headlamp-lint: disable-file=HL109 -- \n" + text
    # Suppressed; the reason is still to write (HL007 says so), and once written all is quiet.
    seen = len(client.notifications)
    replace_all(client, uri, 2, line)
    params = await next_diagnostics(client, uri, seen)
    assert [(d.code, d.message) for d in params.diagnostics if d.code in ("HL007", "HL109")] == [
        ("HL007", "suppression without a reason; add one after ' -- '")]
    seen = len(client.notifications)
    replace_all(client, uri, 3, line.replace("-- \n", "-- local development only\n", 1))
    params = await next_diagnostics(client, uri, seen)
    assert [d.code for d in params.diagnostics] == ["HL102", "HL404"]
    # A second rule on the same line joins the comment.
    hl102 = params.diagnostics[0]
    assert hl102.range.start.line == 21
    extended = line.replace("-- \n", "-- local development only\n", 1)
    doc404 = params.diagnostics[1]
    found = {a.title: a for a in await actions_at(client, uri, doc404)}
    assert "Disable HL404 on this line (write the reason after --)" in found
    assert apply_edits(extended, found["Disable HL404 on this line (write the reason after --)"].edit.changes[uri]) \
        .split("\n")[25].endswith("allowPrivilegeEscalation: true  # headlamp-lint: disable=HL404 -- ")


# --- hover ---------------------------------------------------------------------------------


async def test_hover_on_a_finding_and_on_a_suppression(client: Client, workspace: Path):
    path = workspace / "headlamp.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "      containers:\n", "      # headlamp-lint: disable=HL412,run-as-root -- fine here\n      containers:\n")
    uri = open_doc(client, path, text=text)
    params = await next_diagnostics(client, uri, 0)
    hl404 = next(d for d in params.diagnostics if d.code == "HL404")
    shown = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=hl404.range.start))
    assert shown.contents.kind == types.MarkupKind.Markdown
    assert shown.contents.value.startswith(f"- {hl404.message}\n\n### HL404 privilege-escalation-allowed:")
    assert "## What it does" in shown.contents.value
    # On the rule name in the comment (line 21): that rule's docs only.
    comment = text.split("\n")[20]
    shown = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(20, comment.index("run-as-root") + 3)))
    assert shown.contents.value.startswith("### HL401 run-as-root:")
    assert "HL412" not in shown.contents.value.split("\n")[0]
    # On the directive itself: every rule it names.
    shown = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(20, comment.index("#") + 2)))
    from linter.rules import rule_by_id

    assert [line for line in shown.contents.value.split("\n") if line.startswith("### ")] == [
        f"### {rule.id} {rule.name}: {rule.meta.title}" for rule in (rule_by_id("HL412"), rule_by_id("HL401"))
    ]
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 0)))
    assert nothing is None


# --- configuration ---------------------------------------------------------------------------


async def test_config_is_reread_on_file_events_and_on_save(client: Client, workspace: Path):
    uri = open_doc(client, workspace / "headlamp.yaml")
    await next_diagnostics(client, uri, 0)
    assert [r.method for r in client.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    config = workspace / ".headlamp-lint.yaml"
    config.write_text("ignore: [HL109]\n")
    seen = len(client.notifications)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Created)]))
    params = await next_diagnostics(client, uri, seen)
    assert [d.code for d in params.diagnostics] == ["HL102", "HL404"]
    # Saved from the editor: read again.
    config.write_text("ignore: [HL109, HL404]\n")
    seen = len(client.notifications)
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri_of(config))))
    params = await next_diagnostics(client, uri, seen)
    assert [d.code for d in params.diagnostics] == ["HL102"]


async def test_broken_config_shows_an_error_and_lints_with_defaults(client: Client, workspace: Path):
    uri = open_doc(client, workspace / "headlamp.yaml")
    await next_diagnostics(client, uri, 0)
    config = workspace / "pyproject.toml"
    config.write_text('[tool.headlamp-lint]\nfail-level = "fatal"\n')
    seen = len(client.notifications)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Created)]))
    await asyncio.wait_for(client.wait_for_notification(types.WINDOW_SHOW_MESSAGE), TIMEOUT)
    error = client.messages[-1]
    assert error.type == types.MessageType.Error
    assert "pyproject.toml:2:" in error.message and "fatal" in error.message
    # Still running, with the defaults: an edit is linted.
    replace_all(client, uri, 2, (workspace / "headlamp.yaml").read_text().replace(', "-dev"', ""))
    params = await next_diagnostics(client, uri, seen)
    assert [d.code for d in params.diagnostics] == ["HL102", "HL404"]
    # Fixed: the configuration applies.
    config.write_text('[tool.headlamp-lint]\nignore = ["HL102"]\n')
    seen = len(client.notifications)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri_of(config), type=types.FileChangeType.Changed)]))
    params = await next_diagnostics(client, uri, seen)
    assert [d.code for d in params.diagnostics] == ["HL404"]


# --- failures ----------------------------------------------------------------------------------


async def test_a_crash_is_logged_and_the_server_goes_on(crashing: Client, workspace: Path):
    client = crashing
    good = open_doc(client, workspace / "headlamp.yaml")
    first = await next_diagnostics(client, good, 0)
    bad_path = workspace / "netpol.yaml"
    bad = open_doc(client, bad_path, text=bad_path.read_text() + "# CRASH-ME\n")
    await asyncio.wait_for(client.wait_for_notification(types.WINDOW_LOG_MESSAGE), TIMEOUT)
    errors = [m for m in client.log_messages if m.type == types.MessageType.Error]
    assert "the run over the workspace failed" in errors[0].message and "RuntimeError: boom" in errors[0].message
    await asyncio.sleep(0.5)
    assert any("linting netpol.yaml failed" in m.message for m in client.log_messages)
    # The other document was linted alone (no NetworkPolicy then), and the server still answers.
    params = client.notifications[-1]
    assert params.uri == good
    assert [d.code for d in params.diagnostics] == ["HL501"] + [d.code for d in first.diagnostics]
    assert bad not in client.diagnostics
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=good), position=first.diagnostics[0].range.start))
    assert hover is not None
