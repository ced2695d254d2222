"""Build the model from Headlamp Helm values files, through the chart, without Helm.

The values files are merged with the chart defaults (``linter.values.merge``),
the chart is rendered into positioned node trees (``linter.values.render``)
and those trees go through the same builders as manifests
(``make_object`` / ``build_workload`` / ``build_service_account``), so every
rule works on values files unchanged and blames the values key to change:
the key in the last file that set it, or line 1 of the last values file for
a chart default (the fact's ``key`` names the values key to set).

Values-level problems are reported here through ``report``: HL001/HL004
(YAML), HL002 (unknown key), HL003 (wrong type or schema violation), HL005
(an ``extraManifests`` item with a template expression other than
``.Release.Name``/``.Release.Namespace``/``.Values.x``), HL009 (shape of a
rendered field), HL010 (an ``extraManifests`` document that is not an object).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from linter.classify import template_check
from linter.errors import LintError
from linter.located import FILE_START, Location, Origin, Span
from linter.model import ModelParts
from linter.model.builder import add_object
from linter.model.from_manifests import IsHeadlamp, make_object
from linter.model.headlamp import ContainerSignals, Recognition
from linter.model.nodes import FieldReader
from linter.source import SourceFile
from linter.values import chart
from linter.values.check import check_values
from linter.values.detect import (
    ChartContext,
    chart_context,
    configured_kind,
    looks_like_headlamp_values,
    release_for,
)
from linter.values.merge import Effective, ValuesLayer, effective_values
from linter.values.names import may_be_values
from linter.values.render import Rendered, render
from linter.yamlpos import MapNode, load, walk

Report = Callable[[str, Location, str], None]


@dataclass
class ValuesOptions:
    release_name: str = "headlamp"
    namespace: str = "default"
    chart_version: str | None = None  # --chart-version; None: Chart.yaml, else the newest
    file_kinds: tuple[tuple[str, str], ...] = ()  # (glob, "values" | "manifest")


@dataclass
class ValuesBuild:
    """What a values file (or a layered set of them) contributes to the model."""

    parts: ModelParts = field(default_factory=ModelParts)
    chart_version: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class _Layer:
    layer: ValuesLayer | None  # None: the file holds no Headlamp values (problems were reported)
    context: ChartContext


def _load_layer(source: SourceFile, path: Path | None, forced: bool, options: ValuesOptions,
                report: Report, explicit: bool = True) -> _Layer | None:
    """The Headlamp values of one file, or None when it is not a Headlamp values file."""
    if not forced and not may_be_values(source.display, options.file_kinds):
        return None  # checked first: most files are manifests, and this costs no file access
    kind = configured_kind(source.display, options.file_kinds)
    ctx = chart_context(path, source.display)
    if not forced and kind != "values" and not (ctx.is_headlamp or ctx.subchart_key):
        if ctx.path is not None and ctx.problem is None:
            return None  # the values of another chart
        if not _keys_match(source, explicit):
            return None
    if ctx.problem is not None:
        report("HL001", ctx.problem[0], ctx.problem[1])
    loaded = load(source.text)
    verdict = template_check(source.text, loaded)
    if verdict.is_template:
        report("HL005", Location(source.display, Span.point(verdict.line)),
               "values file contains Helm template syntax ({{ … }}) outside strings and is not linted")
        return _Layer(None, ctx)
    problems = loaded.problems + [p for d in loaded.documents for p in d.problems]
    for problem in problems:
        report(problem.rule, Location(source.display, problem.span), problem.message)
    if any(p.rule == "HL001" for p in problems):
        return _Layer(None, ctx)  # half a values file would lint as chart defaults: report the error only
    docs = [d for d in loaded.documents if d.root is not None]
    root = docs[0].root if docs else None
    if root is None or (hasattr(root, "value") and getattr(root, "value") is None):
        return _Layer(ValuesLayer(source.display, MapNode([], FILE_START)), ctx)  # empty file: chart defaults
    if not isinstance(root, MapNode):
        what = "a list" if hasattr(root, "items") else "a scalar"
        report("HL003", Location(source.display, _point(root.span)),
               f"a values file should be a mapping of chart values, not {what}; it is not linted")
        return _Layer(None, ctx)
    if len(docs) > 1:
        report("HL003", Location(source.display, _point(docs[1].span)),
               "Helm reads only the first document of a values file; this one is ignored")
    if ctx.subchart_key:
        sub = root.get(ctx.subchart_key)
        if sub is None or (hasattr(sub, "value") and getattr(sub, "value") is None):
            return _Layer(None, ctx)  # an umbrella values file that does not configure Headlamp
        if not isinstance(sub, MapNode):
            report("HL003", Location(source.display, _point(sub.span)),
                   f"{ctx.subchart_key} (the Headlamp subchart's values) should be a mapping; it is ignored")
            return _Layer(None, ctx)
        return _Layer(ValuesLayer(source.display, sub, f"{ctx.subchart_key}."), ctx)
    return _Layer(ValuesLayer(source.display, root), ctx)


def _point(span: Span) -> Span:
    return Span(span.line, span.column, span.line, span.column + 1)


def _keys_match(source: SourceFile, explicit: bool) -> bool:
    """Keys that are mostly the chart's; a values-named file you name yourself may also be empty."""
    loaded = load(source.text)
    root = loaded.documents[0].root if loaded.documents else None
    if root is None or (explicit and not loaded.problems and getattr(root, "value", 0) is None):
        return explicit
    if not isinstance(root, MapNode) or ("apiVersion" in root and "kind" in root):
        return False
    # a values-named mapping you name yourself is values (typos and all: HL002 reports them)
    return explicit or looks_like_headlamp_values(root, chart.newest().version, source.display)


def lint_values_file(source: SourceFile, path: Path | None, explicit: bool, options: ValuesOptions,
                     is_headlamp: IsHeadlamp, report: Report) -> ValuesBuild | None:
    """A file found or named on the command line: its build if it is Headlamp values, else None."""
    loaded = _load_layer(source, path, False, options, report, explicit)
    if loaded is None:
        return None
    return build_layers([loaded], options, is_headlamp, report, {source.display: source.text})


def lint_layered(files: list[tuple[SourceFile, Path | None]], options: ValuesOptions, is_headlamp: IsHeadlamp,
                 report: Report) -> ValuesBuild:
    """``--values a --values b``: the files layer in order, like ``helm -f a -f b``."""
    layers, texts = _load_layers(files, options, report)
    return build_layers(layers, options, is_headlamp, report, texts)


def render_layered(files: list[tuple[SourceFile, Path | None]], options: ValuesOptions,
                   report: Report) -> Rendered | None:
    """The node trees ``lint_layered`` builds its model from (None when a file is not values)."""
    layers, texts = _load_layers(files, options, report)
    done = _render(layers, options, report, texts, ValuesBuild())
    return done[1] if done is not None else None


def _load_layers(files: list[tuple[SourceFile, Path | None]], options: ValuesOptions,
                 report: Report) -> tuple[list[_Layer], dict[str, str]]:
    layers = [_load_layer(source, path, True, options, report) for source, path in files]
    texts = {source.display: source.text for source, _ in files}
    return [layer for layer in layers if layer is not None], texts


def values_file_layer(source: SourceFile, path: Path | None, options: ValuesOptions,
                      report: Report) -> ValuesLayer | None:
    """A file another object names as values (an Argo CD value file, a kustomize valuesFile): its layer, or
    None when it cannot be read as values (its problems are reported)."""
    loaded = _load_layer(source, path, True, options, report)
    return loaded.layer if loaded is not None else None


def lint_embedded(layers: list[ValuesLayer], release: chart.ChartRelease, release_name: str, namespace: str,
                  options: ValuesOptions, is_headlamp: IsHeadlamp, report: Report,
                  texts: dict[str, str]) -> ValuesBuild:
    """Values layers found inside another object (``linter.gitops``: a Flux HelmRelease, an Argo CD
    Application, a kustomization's ``helmCharts``), already positioned in their files and in precedence
    order, rendered with the chart ``release`` under that release name and namespace."""
    context = ChartContext(is_headlamp=True, version=release.version)
    embedded = ValuesOptions(release_name, namespace, release.version, options.file_kinds)
    return build_layers([_Layer(layer, context) for layer in layers], embedded, is_headlamp, report, texts)


def build_layers(layers: list[_Layer], options: ValuesOptions, is_headlamp: IsHeadlamp, report: Report,
                 texts: dict[str, str]) -> ValuesBuild:
    out = ValuesBuild()
    done = _render(layers, options, report, texts, out)
    if done is None:
        return out
    eff, rendered = done
    chart_reader = FieldReader(eff.path, Origin.CHART_DEFAULT)
    readers = [chart_reader]
    chart_headlamp = _ChartRendered(is_headlamp, eff.path)
    for index, root in enumerate(rendered.objects):
        _add_object(out, chart_reader, root, index, options, chart_headlamp)
    user_readers: dict[str, FieldReader] = {}
    for number, extra in enumerate(rendered.extra_manifests):
        for rule, location, message in extra.problems:
            report(rule, location, message)
        if extra.template_problem is not None:
            report("HL005", Location(extra.path, _point(extra.location.span)),
                   f"extraManifests item uses template expression {extra.template_problem}, which headlamp-lint"
                   " cannot evaluate without Helm; the item is not linted")
            continue
        reader = user_readers.setdefault(extra.path, FieldReader(extra.path, Origin.VALUES))
        for root in extra.roots:
            _add_object(out, reader, root, 1000 + number, options, is_headlamp)
        for location in extra.others:
            report("HL010", Location(location.path, _point(location.span)),
                   "extraManifests item is not a Kubernetes object (no apiVersion and kind); it is not linted")
    readers.extend(user_readers.values())
    for reader in readers:
        for problem in reader.problems:
            report("HL009", problem.location, problem.message)
    return out


def _render(layers: list[_Layer], options: ValuesOptions, report: Report, texts: dict[str, str],
            out: ValuesBuild) -> tuple[Effective, Rendered] | None:
    """Merge the layers with the chart's defaults and render the chart; the chart version goes to ``out``."""
    usable = [item.layer for item in layers if item.layer is not None]
    if not usable or len(usable) != len(layers):
        return None  # a file that cannot be read as values: its problem is reported; do not lint half a stack
    context = layers[-1].context
    try:
        release, note = release_for(context, options.chart_version)
    except LintError as exc:  # unknown --chart-version: reported by the engine once; lint with the newest
        release, note = chart.newest(), None
        del exc
    if note:
        out.notes.append(note)
    out.chart_version = release.version
    eff = effective_values(usable, release)
    for problem in eff.problems + check_values(eff):
        report(problem.rule, problem.location, problem.message)
    eff.problems.clear()
    rendered = render(eff, options.release_name, options.namespace, texts)
    if eff.anchor != FILE_START:
        _blame_defaults_at(rendered, eff.anchor)
    return eff, rendered


def _blame_defaults_at(rendered: Rendered, anchor: Span) -> None:
    """Embedded values: what the chart renders from its defaults is blamed at the key holding the values
    (the renderer places it at line 1, which in a values file is where such findings belong)."""
    for root in rendered.objects:
        for node in walk(root):
            if node.span == FILE_START:
                node.span = anchor


@dataclass(frozen=True)
class _ChartRendered:
    """The chart's own workload: its first container is Headlamp whatever image the values give it.

    (Its other containers, the plugin manager and ``extraContainers``, and the
    ``extraManifests`` objects, are recognised like any manifest's.)
    """

    matcher: IsHeadlamp
    path: str

    def __call__(self, signals: ContainerSignals) -> Recognition | None:
        if signals.first:
            return Recognition(True, f"rendered by the Headlamp chart from the values file {self.path}")
        return self.matcher(signals)


def _add_object(out: ValuesBuild, reader: FieldReader, root: MapNode, index: int, options: ValuesOptions,
                is_headlamp: IsHeadlamp) -> None:
    obj = make_object(reader, root, index, options.namespace)
    if obj is not None:
        add_object(out.parts, reader, obj, root, is_headlamp)
