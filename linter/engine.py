"""The pipeline: discover → source → yamlpos → classify → model → rules → report-ready diagnostics.

Each stage is a function; nothing here knows Kubernetes (that is the model
builders' job) or rule logic (the rules'). One bad file never loses the
results of the others, and one failing rule never loses the other rules.
"""

from __future__ import annotations

import datetime as _dt
import gc
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping

from linter.classify import DocKind, document_kind, template_check
from linter.diagnostics import Diagnostic, Finding, Severity
from linter.discover import Discovery, FileInput, discover
from linter.errors import InputError
from linter.gitops import KUSTOMIZATION_NAMES, GitOpsParts, handles
from linter.located import FILE_START, Location, Origin, Span
from linter.model import Model, ModelParts
from linter.model.builder import add_object, build_model
from linter.model.from_manifests import make_object
from linter.model.headlamp import HeadlampMatcher
from linter.model.nodes import FieldReader
from linter.records import field, record
from linter.rules import Rule, all_rules, rule_by_id
from linter.rules.base import RuleContext
from linter.settings import Settings, is_selected
from linter.source import SourceFile, decode, read_source
from linter.values.names import configured_kind, may_be_values, may_hold_values
from linter.yamlpos import LoadResult, MapNode, load

if TYPE_CHECKING:
    from linter.cache import FileCache
    from linter.model.objects import ObjectRef


@record
class FileUnit:
    """What one file contributes to the model."""

    source: SourceFile
    parts: ModelParts = field(default_factory=ModelParts)
    chart_version: str | None = None  # set for a Headlamp values file: the chart it was rendered with
    linted: bool = True  # False for a skipped template: its suppressions are for the rendered output
    layers: tuple[str, ...] = ()  # --values stack: display paths of every layered file (this one last)
    gitops: GitOpsParts | None = None  # Headlamp releases and value sources declared in this file (linter.gitops)
    embedded: bool = False  # rendered from Headlamp values embedded in this file (a HelmRelease, …)


@record
class RunResult:
    diagnostics: list[Diagnostic]
    sources: dict[str, SourceFile]
    errors: list[str]  # fatal problems: exit code 2
    notes: list[str]
    files_checked: int
    chart_versions: dict[str, str] = field(default_factory=dict)  # values file display path -> chart version
    suppressed: int = 0  # findings silenced by comments, annotations
    baseline_hidden: int | None = None  # None: no baseline in use
    baseline_stale: int | None = None
    # --show-files: every input's display path -> what it was read as; the paths discovery skipped, and why.
    files: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    embedded_values: dict[str, list] = field(default_factory=dict)  # display path -> linter.gitops.fixes targets
    recognised: list["Recognised"] = field(default_factory=list)  # the Headlamp containers found, and why

    @property
    def values_files(self) -> set[str]:
        """Display paths linted as Headlamp Helm values."""
        return set(self.chart_versions)

    def exit_code(self, fail_level: Severity, exit_zero: bool = False) -> int:
        if self.errors:
            return 2
        if exit_zero:
            return 0
        return 1 if any(d.severity >= fail_level for d in self.diagnostics) else 0


@record(frozen=True)
class Recognised:
    """One Headlamp container of the run and why it was recognised (json output, --debug notes)."""

    obj: "ObjectRef"
    container: str
    location: Location
    reason: str

    def describe(self) -> str:
        return (f"{self.location.path}:{self.location.span.line}: Headlamp: container \"{self.container}\" of"
                f" {self.obj}: {self.reason}")


def recognised_in(model: Model) -> list[Recognised]:
    return [
        Recognised(i.ref, c.name, c.anchor, c.recognised_by)
        for i in model.installations for c in i.headlamp_containers
    ]


class Collector:
    """Collects diagnostics for tool-level rules (HL0xx) raised outside rule modules."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.items: list[Diagnostic] = []
        # rule id -> (rule, selected): a hostile file can yield 100,000 problems.
        self._rules: dict[str, tuple[Rule, bool]] = {}

    def add(self, rule_id: str, location: Location, message: str, severity: Severity | None = None) -> None:
        diagnostic = self.make(rule_id, location, message, severity)
        if diagnostic is not None:
            self.items.append(diagnostic)

    def make(
        self, rule_id: str, location: Location, message: str, severity: Severity | None = None
    ) -> Diagnostic | None:
        """The diagnostic, or None when the rule is not selected."""
        known = self._rules.get(rule_id)
        if known is None:
            rule = rule_by_id(rule_id)
            known = self._rules[rule_id] = (rule, is_selected(rule.id, rule.name, self.settings))
        rule, selected = known
        if not selected:
            return None
        sev = self.settings.severity_overrides.get(rule.id) or severity or rule.meta.severity
        return Diagnostic(rule.id, rule.name, sev, message, location)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one file's node tree is built.

    Composing allocates hundreds of thousands of nodes that all stay alive,
    so the collector's generational passes find nothing to free yet scan the
    growing heap again and again: about half of the run's time. The trees
    hold no reference cycles (reference counting frees them), so pausing it
    per file loses nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_input(item: FileInput, settings: Settings, digest: bool = True) -> SourceFile:
    if item.path is None:
        data = sys.stdin.buffer.read(settings.max_file_size + 1)  # bounded, even for an endless pipe
        if len(data) > settings.max_file_size:
            raise InputError(item.display, f"input is over the limit of {settings.max_file_size} bytes; skipped")
        return SourceFile.from_text(item.display, decode(data, item.display), crlf=b"\r\n" in data)
    return read_source(item.path, item.display, settings.max_file_size, digest)


def load_file(source: SourceFile, explicit: bool, settings: Settings, out: Collector,
              loaded: LoadResult | None = None) -> FileUnit:
    """Parse one file (unless ``loaded`` already is) and build its objects and workloads; problems go to ``out``."""
    unit = FileUnit(source)
    if loaded is None:
        loaded = load(source.text)
    verdict = template_check(source.text, loaded)
    if verdict.is_template:
        out.add(
            "HL005",
            Location(source.display, Span.point(verdict.line)),
            "file contains Helm template syntax ({{ … }}) and is not linted; lint its values file or"
            " its rendered output (helm template) instead",
        )
        unit.linted = False
        return unit
    for problem in loaded.problems:
        out.add(problem.rule, Location(source.display, problem.span), problem.message)

    reader = FieldReader(source.display, Origin.MANIFEST)
    matcher = _matcher(settings)
    others: list[tuple[int, Span, str]] = []
    gitops = GitOpsParts()
    context = None  # for linter.gitops, made on first use
    for doc in loaded.documents:
        for problem in doc.problems:
            out.add(problem.rule, Location(source.display, problem.span), problem.message)
        kind = document_kind(doc.root)
        if kind is DocKind.EMPTY:
            continue
        roots: list[MapNode] = []
        if kind is DocKind.OBJECT:
            roots = [doc.root]  # type: ignore[list-item]
        elif kind is DocKind.LIST:
            items = doc.root.get("items")  # type: ignore[union-attr]
            roots = reader.maps_in(items, "items")  # type: ignore[arg-type]
        elif isinstance(doc.root, MapNode) and PurePosixPath(source.display).name in KUSTOMIZATION_NAMES:
            from linter.gitops.extract import extract_kustomization

            context = context or _gitops_context(source, settings, out, matcher)
            extract_kustomization(doc.root, doc.index, context, gitops)
            continue
        else:
            what = {"MapNode": "a mapping without apiVersion and kind", "SeqNode": "a list", "ScalarNode": "a scalar"}
            others.append((doc.index, doc.root.span, what[type(doc.root).__name__]))  # type: ignore[union-attr]
            continue
        for root in roots:
            obj = make_object(reader, root, doc.index, settings.default_namespace)
            if obj is None:
                what = "a list item without apiVersion and kind" if root is not doc.root else (
                    "a mapping whose apiVersion or kind is not a string"
                )
                others.append((doc.index, root.span, what))
                continue
            add_object(unit.parts, reader, obj, root, matcher)
            if handles(obj.kind, obj.api_version):
                from linter.gitops.extract import extract

                context = context or _gitops_context(source, settings, out, matcher)
                extract(root, obj.kind, obj.api_version, doc.index, context, gitops)
    if gitops:
        unit.gitops = gitops
    for problem in reader.problems:
        out.add("HL009", problem.location, problem.message)
    # Other YAML is ignored silently when a directory scan found it, unless the
    # file also holds Kubernetes objects (then a stray document is a mistake).
    if others and (explicit or unit.parts.objects):
        for index, span, what in others:
            out.add(
                "HL010",
                Location(source.display, Span(span.line, span.column, span.line, span.column + 1)),
                f"document {index + 1} is {what}, not a Kubernetes object; it is not linted",
            )
    if explicit and not loaded.documents and not loaded.problems:
        out.add("HL010", Location(source.display, FILE_START), "file is empty; nothing to lint")
    return unit


def read_as(results: list[FileResult], consumed: set[str], chart_versions: dict[str, str],
            diagnostics: list[Diagnostic]) -> dict[str, str]:
    """What each input that was read was read as, for ``--show-files``: its kind, or why it was not linted."""
    first = first_problems(diagnostics)
    kinds = {}
    for done in results:
        if done.source is None:
            continue  # not read: see lint_paths
        display, unit = done.source.display, done.unit
        if unit is None:
            kind = "not linted: " + first.get(display, "internal error (HL000)")
        elif not unit.linted:
            kind = "Helm template: not linted (HL005)"
        elif display in consumed:
            kind = "Headlamp Helm values, linted as part of the release that reads them"
        elif unit.chart_version:
            kind = f"Headlamp Helm values (chart {unit.chart_version})"
        elif unit.parts.objects:
            count = len(unit.parts.objects)
            kind = f"Kubernetes manifest ({count} object{'' if count == 1 else 's'})"
        else:
            kind = "no Kubernetes objects: not linted" + (f"; {first[display]}" if display in first else "")
        kinds[display] = kind
    for display, version in chart_versions.items():
        kinds.setdefault(display, f"Headlamp Helm values (chart {version}), layered by --values")
    return kinds


def first_problems(diagnostics: Iterable[Diagnostic]) -> dict[str, str]:
    """Each path's first finding, as ``message (HLnnn)``."""
    first: dict[str, str] = {}
    for d in diagnostics:
        first.setdefault(d.path, f"{d.message} ({d.rule_id})")
    return first


def _gitops_context(source: SourceFile, settings: Settings, out: Collector, matcher: HeadlampMatcher):
    from linter.gitops.extract import context

    return context(source.display, source.path, source.text, settings.default_namespace, out.add,
                   matcher.matches_image)


@record
class EmbeddedRun:
    """What the GitOps stage gives the run (see ``lint_embedded``)."""

    units: list[FileUnit] = field(default_factory=list)
    consumed: set[str] = field(default_factory=set)  # values files read by a release: not linted on their own
    unseen: dict = field(default_factory=dict)  # (ObjectRef, display path) -> the values its release did not see
    fix_targets: dict[str, list] = field(default_factory=dict)  # display path -> linter.gitops.fixes targets


def lint_embedded(units: list[FileUnit], sources: dict[str, SourceFile], settings: Settings, out: Collector,
                  notes: list[str]) -> EmbeddedRun:
    """Headlamp releases declared in Flux, Argo CD and kustomize objects (``linter.gitops``), resolved
    across every file. The units' GitOps parts (which hold YAML nodes) are dropped: nothing after this
    stage needs them."""
    parts = [unit.gitops for unit in units if unit.gitops is not None]
    for unit in units:
        unit.gitops = None
    run = EmbeddedRun()
    if not any(part.releases for part in parts):
        return run
    from linter.discover import display_path
    from linter.gitops.fixes import targets
    from linter.gitops.resolve import resolve

    cwd = Path.cwd()

    def read_file(path: Path) -> SourceFile | None:
        item = FileInput(display_path(path, cwd), path, True)
        if item.display in sources:
            return sources[item.display]
        source = _read_or_report(item, settings, out, [], settings.digests)
        if source is not None:
            sources[source.display] = source
        return source

    for item in resolve(parts, sources, _values_options(settings), _matcher(settings), read_file, out.add):
        notes.extend(item.build.notes)
        files = tuple(source.display for source in item.files)
        run.consumed.update(files)
        if item.spec.path in sources:
            unit = FileUnit(sources[item.spec.path], item.build.parts, item.build.chart_version, embedded=True)
            unit.layers = files
            run.units.append(unit)
        for obj in item.build.parts.objects if item.unseen else ():
            # Its findings are in the object's file, the file declaring the release or a value file it read;
            # an object of the same identity elsewhere (another environment, a plain manifest) is not it.
            for where in {obj.path, item.spec.path, *files}:
                run.unseen[(obj.ref, where)] = item.unseen
        run.fix_targets.setdefault(item.spec.path, []).extend(targets(item.spec, item.build.chart_version))
    return run


def kustomize_build(units: list[FileUnit], kustomizations: list, settings: Settings, out: Collector) -> dict:
    """The kustomizations' images transformer applied to the manifests they list (``linter.gitops.kustomize_build``):
    the units' workloads replaced by the ones kustomize builds. Returns the objects whose kustomization has
    fields that are not applied, by (object, file), with those fields (see ``_mark_unseen``)."""
    from functools import partial

    from linter.gitops.kustomize_build import build
    from linter.model.from_manifests import with_images

    files = {str(unit.source.path.resolve()): unit for unit in units
             if unit.source.path is not None and unit.linted and not unit.chart_version}
    done = build(kustomizations, {path: unit.parts for path, unit in files.items()},
                 partial(with_images, is_headlamp=_matcher(settings)), out.add)
    for path, parts in done.parts.items():
        files[path].parts = parts  # a new ModelParts: the per-file result (memo, cache) keeps its own
    return done.unseen


def _mark_unseen(diagnostics: list[Diagnostic], *unseen: dict) -> list[Diagnostic]:
    """Findings about a release whose values were not all seen, or about the objects of a kustomization with
    fields that are not applied, say so. Each dict maps (object, display path of a file its findings are
    in) to what was not seen."""
    if not any(unseen):
        return diagnostics
    out = []
    for d in diagnostics:
        notes = next((u[(d.obj, d.path)] for u in unseen if (d.obj, d.path) in u), None) if d.obj else None
        out.append(replace(d, message=f"{d.message} (not seen: {', '.join(notes)}, which may change this)")
                   if notes else d)
    return out


def _values_options(settings: Settings):
    from linter.model.from_values import ValuesOptions

    return ValuesOptions(settings.release_name, settings.default_namespace, settings.chart_version,
                         settings.file_kinds)


def _values_unit(source: SourceFile, build) -> FileUnit:
    return FileUnit(source, build.parts, build.chart_version)


def lint_values_stack(settings: Settings, out: Collector, sources: dict[str, SourceFile], errors: list[str],
                      notes: list[str], texts: Mapping[str, str] | None = None,
                      memo: "ResultMemo | None" = None) -> list[FileUnit]:
    """``--values`` files: one Headlamp release, the files layered in order.

    ``texts``: the text of some of them by resolved path (an editor's unsaved buffers), read instead
    of the file; ``memo``: reuse the layered build while no file of the stack changed."""
    if not settings.values_files:
        return []
    from linter.discover import display_path

    files = []
    cwd = Path.cwd()
    for name in settings.values_files:
        path = Path(name)
        item = FileInput(display_path(path, cwd), path, True)
        text = texts.get(str(path.resolve())) if texts else None
        if text is not None:
            source = SourceFile.from_text(item.display, text, path)
        elif not path.is_file():
            errors.append(f"{name}: --values file does not exist or is not a file")
            continue
        else:
            source = _read_or_report(item, settings, out, errors, settings.digests)
        if source is None:
            continue
        sources[source.display] = source
        files.append((source, path))
    if not files:
        return []
    if memo is not None:
        return memo.layered(files, out, notes)
    return [_layered_unit(files, settings, out, notes)]


def _layered_unit(files: list[tuple[SourceFile, Path]], settings: Settings, out: Collector,
                  notes: list[str]) -> FileUnit:
    from linter.model.from_values import lint_layered

    build = lint_layered(files, _values_options(settings), _matcher(settings), out.add)
    notes.extend(build.notes)
    unit = _values_unit(files[-1][0], build)
    unit.layers = tuple(source.display for source, _ in files)
    return unit


def _matcher(settings: Settings) -> HeadlampMatcher:
    return HeadlampMatcher(settings.headlamp_images)


def link_model(units: list[FileUnit]) -> Model:
    model = build_model(unit.parts for unit in units)
    # Installations rendered from values files say so, with the chart version used.
    charts = {id(w): unit.chart_version for unit in units for w in unit.parts.workloads if unit.chart_version}
    model.installations = [
        replace(i, source="values", chart_version=charts[id(i.workload)]) if id(i.workload) in charts else i
        for i in model.installations
    ]
    return model


def selected_rules(settings: Settings) -> list[Rule]:
    return [r for r in all_rules() if r.check is not None and is_selected(r.id, r.name, settings)]


def run_rule(rule: Rule, model: Model, ctx: RuleContext, settings: Settings) -> list[Diagnostic]:
    severity = settings.severity_overrides.get(rule.id)
    out = []
    assert rule.check is not None
    for finding in rule.check(model, ctx):
        out.append(_diagnostic(rule, finding, severity))
    return out


def _diagnostic(rule: Rule, finding: Finding, override: Severity | None) -> Diagnostic:
    return Diagnostic(
        rule.id,
        rule.name,
        override or finding.severity or rule.meta.severity,
        finding.message,
        finding.location,
        finding.obj,
        finding.key,
        finding.on_headlamp,
    )


def run_rules(units: list[FileUnit], settings: Settings, out: Collector,
              recognised: list[Recognised] | None = None) -> list[Diagnostic]:
    model = link_model(units)
    if recognised is not None:
        recognised.extend(recognised_in(model))
    ctx = RuleContext(
        options=settings.rule_options,
        all_workloads=settings.all_workloads,
        now=settings.now or _dt.datetime.now(_dt.timezone.utc),
    )
    diagnostics: list[Diagnostic] = []
    for rule in selected_rules(settings):
        try:
            diagnostics.extend(run_rule(rule, model, ctx, settings))
        except Exception as exc:  # noqa: BLE001 - isolate the failing file, keep the rest
            diagnostics.extend(_retry_per_file(rule, units, ctx, settings, out, exc))
    return diagnostics


def _retry_per_file(
    rule: Rule, units: list[FileUnit], ctx: RuleContext, settings: Settings, out: Collector, exc: Exception
) -> list[Diagnostic]:
    """A rule crashed on the whole model: run it file by file so only the culprit loses results."""
    diagnostics: list[Diagnostic] = []
    for unit in units:
        try:
            diagnostics.extend(run_rule(rule, link_model([unit]), ctx, settings))
        except Exception as unit_exc:  # noqa: BLE001
            out.add(
                "HL000",
                Location(unit.source.display, FILE_START),
                f"internal error in rule {rule.id} ({type(unit_exc).__name__}: {unit_exc}); the rule's results for"
                " this file are lost. Please report it with this file (run with --debug for the traceback)",
            )
            if settings.debug:
                raise
    return diagnostics


@record
class FileResult:
    """What the per-file stage gives the run for one input."""

    source: SourceFile | None  # None when the file could not be read
    unit: FileUnit | None  # None when it could not be read or crashed the model builders
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # fatal: exit 2


def per_file_results(items: list[FileInput], settings: Settings) -> list[FileResult]:
    """Every input through the per-file stage, in input order: from the on-disk cache, and across
    processes, when the input is large enough for them to pay (``linter.pool``)."""
    from functools import partial

    from linter.pool import is_large, map_in_order, workers_for

    results: list[FileResult | None] = [None] * len(items)
    cache = None
    cache_notes: list[str] = []  # a cache problem is a miss; --debug says what it was
    if settings.cache and is_large(items):
        from linter.cache import FileCache

        cache = FileCache.open(Path(settings.cache_dir), settings, cache_notes)
    if cache is not None:
        # Hits are read here: a worker would unpickle an entry only to pickle it again for this process.
        for index, item in enumerate(items):
            if item.path is None:
                continue  # standard input is never cached
            key = cache.key_of_file(item.display, item.explicit, item.path, settings.max_file_size)
            hit = cache.get(key) if key is not None else None
            if isinstance(hit, FileResult):
                results[index] = hit
    todo = [index for index, done in enumerate(results) if done is None]
    work = [items[index] for index in todo]
    work_on = partial(process_file, settings=settings, cache=cache)
    computed = map_in_order(work_on, work, workers_for(work, settings.jobs))
    for index, done in zip(todo, computed):
        results[index] = done
    if settings.debug and (cache_notes or cache is not None and cache.notes):
        notes = list(dict.fromkeys(cache.notes if cache is not None else cache_notes))
        results.append(FileResult(None, None, notes=notes))
    return results  # type: ignore[return-value]


def process_file(item: FileInput, settings: Settings, cache: "FileCache | None" = None) -> FileResult:
    """Read one input and build its model parts; the result goes into the cache when one is given."""
    out = Collector(settings)
    errors: list[str] = []
    # The cache keys on the digest of the bytes (BOM and line ends matter to fixes).
    source = _read_or_report(item, settings, out, errors, settings.digests or cache is not None)
    if source is None:
        return FileResult(None, None, out.items, [], errors)
    result = process_source(source, item, settings, out)
    if cache is not None and item.path is not None:
        cache.put(cache.key(source.display, item.explicit, item.path, source.digest), result)
    return result


def process_source(source: SourceFile, item: FileInput, settings: Settings, out: Collector | None = None) -> FileResult:
    """The per-file stage for a text already read: parse it and build its model parts."""
    out = out if out is not None else Collector(settings)
    notes: list[str] = []
    unit = None
    try:
        with gc_paused():
            unit = _load_any(source, item, settings, out, notes)
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not lose the other files
        if settings.debug:
            raise
        out.add(
            "HL000",
            Location(source.display, FILE_START),
            f"internal error while reading this file ({type(exc).__name__}: {exc}); it is not linted."
            " Please report it with this file (run with --debug for the traceback)",
        )
    return FileResult(source, unit, out.items, notes)


def lint_paths(paths: list[str], settings: Settings) -> RunResult:
    if settings.values_files and not paths:
        found = Discovery()  # only the --values files: do not scan the working directory
    else:
        found = discover_files(paths, settings)
    # --values files are linted below, layered; every other file goes through the per-file stage.
    items = _not_layered(found.files, settings)
    result = link_results(per_file_results(items, settings), settings, len(found.files), found.errors, found.notes)
    result.skipped = list(found.skipped)
    first = first_problems(result.diagnostics)
    for item in items:  # the inputs that could not be read
        if item.display not in result.files:
            errors = [e for e in result.errors if e.startswith(f"{item.display}: ")]
            result.files[item.display] = "not read: " + (first.get(item.display) or "; ".join(errors) or "unreadable")
    return result


def _not_layered(items: list[FileInput], settings: Settings) -> list[FileInput]:
    if not settings.values_files:
        return items
    layered = {str(Path(v).resolve()) for v in settings.values_files}
    return [item for item in items if item.path is None or str(item.path.resolve()) not in layered]


def link_results(results: list[FileResult], settings: Settings, files_checked: int, errors: Iterable[str] = (),
                 notes: Iterable[str] = (), texts: Mapping[str, str] | None = None,
                 memo: "ResultMemo | None" = None) -> RunResult:
    """The cross-file stage: the per-file results (and the ``--values`` stack) linked into one model,
    the rules run over it, then suppressions and the baseline. ``files_checked`` counts the inputs
    besides the ``--values`` files; ``texts`` and ``memo``: see ``lint_values_stack``."""
    out = Collector(settings)
    units: list[FileUnit] = []
    sources: dict[str, SourceFile] = {}
    errors, notes = list(errors), list(notes)
    for done in results:
        if done.source is not None:
            sources[done.source.display] = done.source
    kustomizations = [k for done in results if done.unit is not None and done.unit.gitops is not None
                      for k in done.unit.gitops.kustomizations]
    embedded = (memo.embedded if memo is not None else lint_embedded)(
        [d.unit for d in results if d.unit is not None], sources, settings, out, notes)
    for done in results:
        if done.source is not None and done.source.display in embedded.consumed and done.unit is not None and (
                done.unit.chart_version or not done.unit.parts.objects):
            continue  # a values file a release reads: linted as part of that release
        out.items.extend(done.diagnostics)
        errors.extend(done.errors)
        notes.extend(done.notes)
        if done.unit is not None:
            units.append(done.unit)
    unseen_at = kustomize_build(units, kustomizations, settings, out) if kustomizations else {}
    units.extend(embedded.units)
    units.extend(lint_values_stack(settings, out, sources, errors, notes, texts, memo))
    recognised: list[Recognised] = []
    diagnostics = unique(_mark_unseen(run_rules(units, settings, out, recognised), embedded.unseen, unseen_at)
                         + out.items)
    if settings.debug:
        notes.extend(r.describe() for r in recognised)
    result = RunResult(diagnostics, sources, errors, notes, files_checked + len(settings.values_files))
    result.recognised = recognised
    result.chart_versions = {
        display: unit.chart_version
        for unit in units if unit.chart_version
        # a release embedded in a manifest: only the value files it read are values files (for --fix)
        for display in (() if unit.embedded else (unit.source.display,)) + unit.layers
    }
    result.files = read_as(results, embedded.consumed, result.chart_versions, out.items)
    result.embedded_values = embedded.fix_targets
    _suppress(result, units, settings, out)
    if settings.baseline is not None:
        _apply_baseline(result, settings)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


@record(frozen=True)
class SourceInput:
    """An input of ``lint_sources``: a file, with its text when it is not to be read from disk."""

    item: FileInput
    text: str | None = None  # None: read item.path


class ResultMemo:
    """Per-file results of earlier runs in one process (a language server), reused while a file is unchanged.

    A file read from disk is unchanged while its size and modification time are; a text given by the
    caller, while it is equal. Entries belong to the settings they were made with: ``lint_sources``
    starts afresh when those change. Not thread-safe: one run at a time.
    """

    def __init__(self, settings: Settings) -> None:
        self.clear(settings)

    def clear(self, settings: Settings) -> None:
        """Forget everything; later results are made with ``settings``."""
        self.settings = settings
        self._files: dict[tuple[str, bool], tuple[object, FileResult]] = {}
        self._layered: tuple[tuple[tuple[str, str], ...], FileUnit, list[Diagnostic], list[str]] | None = None
        self._embedded: tuple | None = None  # see ``embedded``

    def result(self, given: SourceInput) -> FileResult:
        item = given.item
        stamp: object = given.text
        if given.text is None:
            try:
                info = item.path.stat() if item.path is not None else None
            except OSError:
                info = None
            stamp = (info.st_size, info.st_mtime_ns, info.st_ino) if info is not None else None
        key = (item.display, item.explicit)
        known = self._files.get(key)
        if known is None or stamp is None or known[0] != stamp:
            if given.text is None:
                done = process_file(item, self.settings)
            else:
                done = process_source(SourceFile.from_text(item.display, given.text, item.path), item, self.settings)
            known = self._files[key] = (stamp, done)
        done = known[1]
        # Each run gets its own unit: the cross-file stage changes units (it drops their GitOps parts).
        return replace(done, unit=replace(done.unit)) if done.unit is not None else done

    def keep_only(self, inputs: Iterable[SourceInput]) -> None:
        """Forget the files that are no longer inputs."""
        wanted = {(given.item.display, given.item.explicit) for given in inputs}
        for key in [key for key in self._files if key not in wanted]:
            del self._files[key]

    def embedded(self, units: list[FileUnit], sources: dict[str, SourceFile], settings: Settings, out: Collector,
                 notes: list[str]) -> EmbeddedRun:
        """``lint_embedded``, reused while the GitOps parts of every file, the set of files and the texts of
        the files the releases read are all unchanged (a part is unchanged when it is the same object, its
        file's per-file result reused, or when it declares no release and no chart and names the same
        ConfigMap and Secret keys: their values are read from the file's text, compared when a release
        names them, see ``_object_files``)."""
        parts = [unit.gitops for unit in units if unit.gitops is not None]
        known = self._embedded
        if known is not None and len(known[0]) == len(parts) and all(map(_same_gitops, known[0], parts)) and (
                known[1] == frozenset(sources)) and all(sources[d].text == text for d, text in known[2]):
            for unit in units:
                unit.gitops = None
            run, added, diagnostics, own_notes = known[3]
            sources.update(added)
            out.items.extend(diagnostics)
            notes.extend(own_notes)
            return run
        own, own_notes = Collector(settings), []
        before = frozenset(sources)
        run = lint_embedded(units, sources, settings, own, own_notes)
        added = {display: source for display, source in sources.items() if display not in before}
        read = tuple((display, sources[display].text) for display in sorted(run.consumed | _object_files(parts))
                     if display in sources)
        self._embedded = (parts, before, read, (run, added, own.items, own_notes))
        out.items.extend(own.items)
        notes.extend(own_notes)
        return run

    def layered(self, files: list[tuple[SourceFile, Path]], out: Collector, notes: list[str]) -> list[FileUnit]:
        key = tuple((source.display, source.text) for source, _ in files)
        if self._layered is None or self._layered[0] != key:
            own = Collector(self.settings)
            own_notes: list[str] = []
            unit = _layered_unit(files, self.settings, own, own_notes)
            self._layered = (key, unit, own.items, own_notes)
        _, unit, diagnostics, layered_notes = self._layered
        out.items.extend(diagnostics)
        notes.extend(layered_notes)
        return [unit]


def _object_files(parts: list) -> set[str]:
    """The files holding the ConfigMaps and Secrets a release's ``valuesFrom`` names: ``linter.gitops.resolve``
    reads their values from those files' texts."""
    from linter.gitops import FromObject

    named = {(piece.kind, piece.namespace, piece.name) for part in parts for spec in part.releases
             for piece in spec.pieces if isinstance(piece, FromObject)}
    return {entry.path for part in parts for key, entries in part.data.items() if key in named
            for entry in entries.values()}


def _same_gitops(before, now) -> bool:
    if before is now:
        return True
    return not (before.releases or before.chart_sources or now.releases or now.chart_sources) and before.data == now.data


def lint_sources(inputs: list[SourceInput], settings: Settings, memo: ResultMemo | None = None) -> RunResult:
    """Lint these files as one run (like ``lint_paths`` on them), some given as text instead of on disk.

    With a ``memo`` the per-file stage runs only for the files that changed since its last run; the
    cross-file stage (model, rules, suppressions) always runs on all of them.
    """
    if memo is None:
        memo = ResultMemo(settings)
    elif memo.settings != settings:
        memo.clear(settings)
    texts = {str(given.item.path.resolve()): given.text for given in inputs
             if given.text is not None and given.item.path is not None}
    wanted = set(_not_layered([given.item for given in inputs], settings))
    memo.keep_only(given for given in inputs if given.item in wanted)
    results = [memo.result(given) for given in inputs if given.item in wanted]
    return link_results(results, settings, len(results), texts=texts, memo=memo)


def unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted, and each identical finding (same rule, place, severity and message) once.

    Two installations can lead to one finding: twins in two environments that share a file, or
    two Headlamp workloads bound by the same binding.
    Sorted first so that, of findings with equal fingerprints, the baseline hides the earliest.
    """
    diagnostics.sort(key=Diagnostic.sort_key)
    out: list[Diagnostic] = []
    last = None
    for diagnostic in diagnostics:
        key = (diagnostic.rule_id, diagnostic.location, diagnostic.severity, diagnostic.message)
        if key != last:
            out.append(diagnostic)
            last = key
    return out


def _read_or_report(item: FileInput, settings: Settings, out: Collector, errors: list[str],
                    digest: bool = True) -> SourceFile | None:
    """The file's text, or None with the problem reported (HL001) or recorded as fatal (exit 2)."""
    try:
        return read_input(item, settings, digest)
    except InputError as exc:
        if exc.fatal:
            errors.append(str(exc))
        else:
            out.add("HL001", Location(item.display, Span.point(exc.line or 1)), exc.message)
        return None


def _load_any(source: SourceFile, item: FileInput, settings: Settings, out: Collector, notes: list[str]) -> FileUnit:
    """A Headlamp values file goes through the chart; anything else is read as manifests."""
    if not may_be_values(source.display, settings.file_kinds):
        # Most files: decided from the name and a first look at the parsed keys, without importing the
        # values machinery (the chart data, merging, rendering), which is most of a one-file run's
        # start-up otherwise. A file of another name whose keys are the chart's may still be values.
        loaded = load(source.text)
        manifest = configured_kind(source.display, settings.file_kinds) == "manifest"
        if manifest or not may_hold_values(source.display, loaded.documents):
            return load_file(source, item.explicit, settings, out, loaded)
        from linter.model.from_values import lint_values_file

        build = lint_values_file(source, item.path, item.explicit, _values_options(settings), _matcher(settings),
                                 out.add, by_content=True)
        if build is None:
            return load_file(source, item.explicit, settings, out, loaded)
        return _values_unit(source, build)
    from linter.model.from_values import lint_values_file

    build = lint_values_file(source, item.path, item.explicit, _values_options(settings), _matcher(settings), out.add)
    if build is None:
        return load_file(source, item.explicit, settings, out)
    notes.extend(build.notes)
    return _values_unit(source, build)


def discover_files(paths: list[str], settings: Settings):
    """Discovery with the command line's excludes and the config file's (relative to the config's folder)."""
    import os

    from linter.config import glob_matches

    here = settings.config_root is None or os.path.abspath(settings.config_root) == os.path.abspath(os.getcwd())
    # When the config lives in the working directory its globs can prune directories during the walk.
    patterns = settings.exclude + (settings.config_exclude if here else ())
    found = discover(paths, patterns, settings.stdin_filename, settings.follow_symlinks)
    if settings.config_exclude and not here:
        found.files = [
            f for f in found.files if not glob_matches(f.display, settings.config_exclude, settings.config_root)
        ]
    if settings.baseline is not None:
        # The baseline is JSON, which a directory scan would otherwise parse as input.
        baseline = os.path.abspath(settings.baseline)
        found.files = [f for f in found.files if f.path is None or os.path.abspath(f.path) != baseline]
    return found


def _suppress(result: RunResult, units: list[FileUnit], settings: Settings, out: Collector) -> None:
    from linter.suppress import apply

    objects = [obj for unit in units for obj in unit.parts.objects]
    skipped = {unit.source.display for unit in units if not unit.linted}
    done = apply(result.diagnostics, result.sources.values(), objects, settings, out.make, skipped)
    result.diagnostics, result.suppressed = done.diagnostics, done.suppressed


def _apply_baseline(result: RunResult, settings: Settings) -> None:
    from pathlib import Path

    from linter.baseline import apply_baseline

    assert settings.baseline is not None
    selected = {r.id for r in all_rules() if is_selected(r.id, r.name, settings)}
    done = apply_baseline(Path(settings.baseline), result.diagnostics, set(result.sources), selected)
    result.diagnostics, result.baseline_hidden, result.baseline_stale = done.diagnostics, done.hidden, done.stale
    note = f"baseline {settings.baseline}: {done.hidden} known findings hidden"
    if done.stale:
        note += f"; {done.stale} entries no longer match (fixed or changed): rewrite it with --write-baseline"
    result.notes.append(note)
