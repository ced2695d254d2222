"""The language server: pygls wiring for ``linter.lsp.project``.

Runs are serialised on one worker thread, so the protocol keeps answering
(hover, code actions) while a run is under way, and a run never sees the
project change under it: settings and discovery are re-read on that thread
too. An edit asks for a run after a short pause (``debounce``, 150 ms;
``initializationOptions: {"debounce": ms}``); opening, saving and closing
a document ask at once. Requests arriving while a run is going coalesce into
one more run. Diagnostics are published for the documents open in the
editor, and again only when they changed (a NetworkPolicy added in one file
can clear findings in another).

Whatever goes wrong in a run is logged to the client (``window/logMessage``,
with the traceback) and never ends the server: when the run over the whole
project fails, each open document is linted alone, and a document that still
fails keeps its previous diagnostics.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from linter import __version__
from linter.discover import YAML_SUFFIXES
from linter.lsp import actions, hover
from linter.lsp.convert import to_lsp
from linter.lsp.positions import TextIndex
from linter.lsp.project import Project
from linter.records import field, record

NAME = "headlamp-lint"
DEBOUNCE_SECONDS = 0.15
WATCHERS = ("**/.headlamp-lint.yaml", "**/.headlamp-lint.yml", "**/pyproject.toml", "**/*.yaml", "**/*.yml",
            "**/*.json")

log = logging.getLogger(__name__)


@record
class Linted:
    """The last run's view of one open document."""

    result: Any  # RunResult (of the project, or of the document alone)
    text: str  # the text that run linted
    index: TextIndex
    diagnostics: list  # the linter's Diagnostics of this document, in order
    lsp: list[types.Diagnostic]


@record
class Outcome:
    """What a run hands back to the protocol thread."""

    linted: dict[str, Linted] = field(default_factory=dict)  # display -> its view
    skipped: set[str] = field(default_factory=set)  # open documents that are not inputs: no diagnostics
    logs: list[tuple[types.MessageType, str]] = field(default_factory=list)


class HeadlampLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(NAME, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.project: Project | None = None
        self.debounce = DEBOUNCE_SECONDS
        self.open_docs: dict[str, str] = {}  # uri -> display path
        self.versions: dict[str, int | None] = {}  # uri -> version
        self.crlf: set[str] = set()  # uris whose buffer ends lines with CRLF
        self.linted: dict[str, Linted] = {}  # display -> the last run's view
        self.published: dict[str, list[types.Diagnostic]] = {}  # uri -> what the client has
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="headlamp-lint")
        self._timer: asyncio.TimerHandle | None = None
        self._running = False
        self._again = False

    # --- the project ------------------------------------------------------------------

    def on_worker(self, function, *args):
        return asyncio.get_running_loop().run_in_executor(self._worker, function, *args)

    async def reload_settings(self) -> None:
        assert self.project is not None
        error = await self.on_worker(self.project.reload_settings)
        if error is not None:
            message = f"headlamp-lint: the configuration is broken; using the defaults until it is fixed:\n{error}"
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, message))

    def display_of(self, uri: str) -> str | None:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None or self.project is None:
            return None
        return self.project.display(Path(path))

    # --- runs -------------------------------------------------------------------------

    def schedule(self, delay: float) -> None:
        """Ask for a run after ``delay`` seconds (an earlier request still waiting is replaced)."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(delay, self._start)

    def _start(self) -> None:
        self._timer = None
        if self._running:
            self._again = True
            return
        self._running = True
        asyncio.ensure_future(self._runs())

    async def _runs(self) -> None:
        try:
            while True:
                self._again = False
                buffers = dict(self.project.buffers) if self.project else {}
                versions = dict(self.versions)
                open_displays = set(self.open_docs.values())
                outcome = await self.on_worker(self.run_once, buffers, open_displays)
                self._publish(outcome, versions)
                if not self._again:
                    return
        finally:
            self._running = False

    def run_once(self, buffers: dict[str, str], open_displays: set[str]) -> Outcome:
        """One run (on the worker thread): the project, then the open documents that are not part of it."""
        outcome = Outcome()
        project = self.project
        if project is None:
            return outcome
        result = None
        try:
            result = project.lint(buffers)
        except Exception:  # noqa: BLE001 - a failed run must never end the server
            outcome.logs.append((types.MessageType.Error, "headlamp-lint: the run over the workspace failed; linting"
                                 " each open document alone:\n" + traceback.format_exc()))
        for display in sorted(open_displays):
            alone = not project.is_input(display)
            if alone and not (Path(display).is_absolute() and display.endswith(YAML_SUFFIXES)):
                outcome.skipped.add(display)  # excluded, not YAML, or not found by discovery
                continue
            try:
                own = result if result is not None and not alone else project.lint_alone(display, buffers.get(display))
                outcome.linted[display] = self._view(own, display)
            except Exception:  # noqa: BLE001
                outcome.logs.append((types.MessageType.Error, f"headlamp-lint: linting {display} failed; its"
                                     " diagnostics are not updated:\n" + traceback.format_exc()))
        return outcome

    def _view(self, result, display: str) -> Linted:
        source = result.sources.get(display)
        text = source.text if source is not None else ""
        index = TextIndex(text, self.workspace.position_encoding or "utf-16")
        mine = [d for d in result.diagnostics if d.path == display]
        return Linted(result, text, index, mine, to_lsp(index, mine))

    def _publish(self, outcome: Outcome, versions: dict[str, int | None]) -> None:
        for kind, message in outcome.logs:
            self.window_log_message(types.LogMessageParams(kind, message))
        self.linted.update(outcome.linted)
        for uri, display in self.open_docs.items():
            if display in outcome.skipped:
                diagnostics: list[types.Diagnostic] = []
            elif display in outcome.linted:
                diagnostics = outcome.linted[display].lsp
            else:
                continue
            self.send_diagnostics(uri, diagnostics, versions.get(uri))

    def send_diagnostics(self, uri: str, diagnostics: list[types.Diagnostic], version: int | None = None) -> None:
        if self.published.get(uri) == diagnostics:
            return
        self.published[uri] = diagnostics
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    # --- requests ---------------------------------------------------------------------

    def current(self, uri: str) -> Linted | None:
        """The last run's view of this document, if it still matches the editor's text."""
        display = self.open_docs.get(uri)
        linted = self.linted.get(display) if display is not None else None
        if linted is None or self.project is None or self.project.buffers.get(display) != linted.text:
            return None
        return linted

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        linted = self.current(uri)
        if linted is None:
            return []
        doc = actions.Document(uri, self.open_docs[uri], linted.text, linted.index, uri in self.crlf)
        start = linted.index.lsp_offset(params.range.start.line, params.range.start.character)
        end = linted.index.lsp_offset(params.range.end.line, params.range.end.character)
        only = params.context.only
        out: list[types.CodeAction] = []
        for d, lsp in zip(linted.diagnostics, linted.lsp):
            d_start = linted.index.lsp_offset(lsp.range.start.line, lsp.range.start.character)
            d_end = linted.index.lsp_offset(lsp.range.end.line, lsp.range.end.character)
            if d_start > end or d_end < start:
                continue
            if only is None or any(kind.startswith(types.CodeActionKind.QuickFix) for kind in only):
                fix = actions.fix_action(linted.result, doc, d, lsp)
                if fix is not None:
                    out.append(fix)
                out.extend(actions.suppression_actions(doc, d, lsp))
        if only is None or any(actions.FIX_ALL.startswith(kind) for kind in only):
            fix_all = actions.fix_all_action(linted.result, doc)
            if fix_all is not None:
                out.append(fix_all)
        return out

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        display = self.open_docs.get(uri)
        if display is None or self.project is None or display not in self.project.buffers:
            return None
        text = self.project.buffers[display]
        index = TextIndex(text, self.workspace.position_encoding or "utf-16")
        line, column = index.linter_position(index.lsp_offset(params.position.line, params.position.character))
        linted = self.current(uri)
        markdown = hover.hover_text(display, text, linted.diagnostics if linted else [], line, column)
        if markdown is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown))


def build_server() -> HeadlampLanguageServer:
    server = HeadlampLanguageServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: HeadlampLanguageServer, params: types.InitializeParams) -> None:
        root = None
        if params.workspace_folders:
            root = to_fs_path(params.workspace_folders[0].uri)
        elif params.root_uri:
            root = to_fs_path(params.root_uri)
        elif params.root_path:
            root = params.root_path
        ls.project = Project(Path(root or Path.cwd()).resolve())
        ls.project.activate()
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            ls.debounce = max(0.0, options["debounce"] / 1000)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: HeadlampLanguageServer, params: types.InitializedParams) -> None:
        await ls.reload_settings()
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHERS]
            )
            registration = types.Registration(
                id="headlamp-lint-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
            )
            try:
                await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
            except Exception as exc:  # noqa: BLE001 - without watchers, saves still refresh
                ls.window_log_message(types.LogMessageParams(types.MessageType.Warning,
                                                             f"headlamp-lint: cannot watch files: {exc}"))
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: HeadlampLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        display = ls.display_of(doc.uri)
        if display is None or ls.project is None:
            return
        ls.open_docs[doc.uri] = display
        ls.versions[doc.uri] = doc.version
        _set_buffer(ls, doc.uri, display, doc.text)
        if not ls.project.is_input(display) and Path(display).name.endswith(YAML_SUFFIXES):
            await ls.on_worker(ls.project.rediscover)  # a file the last discovery did not see
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HeadlampLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        display = ls.open_docs.get(uri)
        if display is None:
            return
        ls.versions[uri] = params.text_document.version
        _set_buffer(ls, uri, display, ls.workspace.get_text_document(uri).source)
        ls.schedule(ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: HeadlampLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None or ls.project is None:
            return
        if Project.is_config(Path(path)):
            await ls.reload_settings()
        elif Project.is_chart(Path(path)):
            ls.project.forget_cached()
        elif not ls.project.is_input(ls.project.display(Path(path))):
            await ls.on_worker(ls.project.rediscover)
        ls.schedule(0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HeadlampLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        display = ls.open_docs.pop(uri, None)
        ls.versions.pop(uri, None)
        ls.crlf.discard(uri)
        if display is None or ls.project is None:
            return
        if display not in ls.open_docs.values():
            ls.project.close(display)
            ls.linted.pop(display, None)
        ls.send_diagnostics(uri, [])
        ls.published.pop(uri, None)
        ls.schedule(0)  # other documents now see the file on disk

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: HeadlampLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        if ls.project is None:
            return
        paths = [(Path(p), change.type) for change in params.changes if (p := to_fs_path(change.uri)) is not None]
        if any(Project.is_config(path) for path, _ in paths):
            await ls.reload_settings()
        else:
            if any(Project.is_chart(path) for path, _ in paths):
                ls.project.forget_cached()
            if any(kind != types.FileChangeType.Changed for _, kind in paths):
                await ls.on_worker(ls.project.rediscover)
        ls.schedule(0)  # changed files on disk are noticed by the run (size and modification time)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL]),
    )
    def code_action(ls: HeadlampLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: HeadlampLanguageServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HeadlampLanguageServer, params: None) -> None:
        if ls._timer is not None:
            ls._timer.cancel()
        ls._worker.shutdown(wait=False, cancel_futures=True)

    return server


def _set_buffer(ls: HeadlampLanguageServer, uri: str, display: str, text: str) -> None:
    assert ls.project is not None
    if "\r\n" in text:
        ls.crlf.add(uri)
    else:
        ls.crlf.discard(uri)
    ls.project.open(display, text)


def serve() -> None:
    """Speak the protocol over standard input and output until the client says exit."""
    build_server().start_io()

