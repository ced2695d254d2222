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

from pathlib import Path
from typing import Callable

from linter.classify import template_check
from linter.located import FILE_START, Location, Origin, Span
from linter.model import FlagHint, ImagePart, ModelParts
from linter.model.builder import add_object
from linter.model.from_manifests import IsHeadlamp, make_object
from linter.model.headlamp import ContainerSignals, Recognition
from linter.model.nodes import FieldReader
from linter.records import field, record
from linter.source import SourceFile
from linter.values import chart
from linter.values.check import check_values
from linter.values.detect import (
    ChartContext,
    Verdict,
    chart_context,
    configured_kind,
    looks_like_headlamp_values,
    release_for,
)
from linter.values.merge import Effective, ValuesLayer, effective_values
from linter.values.names import may_be_values
from linter.values.render import Rendered, render
from linter.yamlpos import MapNode, ScalarNode, load, walk

Report = Callable[[str, Location, str], None]


@record
class ValuesOptions:
    release_name: str = "headlamp"
    namespace: str = "default"
    chart_version: str | None = None  # --chart-version; None: Chart.yaml, else the newest
    file_kinds: tuple[tuple[str, str], ...] = ()  # (glob, "values" | "manifest")


@record
class ValuesBuild:
    """What a values file (or a layered set of them) contributes to the model."""

    parts: ModelParts = field(default_factory=ModelParts)
    chart_version: str | None = None
    notes: list[str] = field(default_factory=list)


@record
class _Layer:
    layer: ValuesLayer | None  # None: the file holds no Headlamp values (problems were reported)
    context: ChartContext


def _load_layer(source: SourceFile, path: Path | None, forced: bool, options: ValuesOptions,
                report: Report, explicit: bool = True, by_content: bool = False) -> _Layer | None:
    """The Headlamp values of one file, or None when it is not a Headlamp values file (``by_content``: its
    name is not a values file's, only its keys can make it one)."""
    if not forced and not by_content and not may_be_values(source.display, options.file_kinds):
        return None  # checked first: most files are manifests, and this costs no file access
    kind = configured_kind(source.display, options.file_kinds)
    ctx = chart_context(path, source.display)
    if not forced and kind != "values" and not (ctx.is_headlamp and not by_content) and not ctx.subchart_key:
        verdict = _keys_match(source, explicit and not by_content)
        if ctx.path is not None and ctx.problem is None and not ctx.is_headlamp:
            if verdict.values or verdict.why:
                verdict = Verdict(False, f"it is next to {ctx.path} of chart {ctx.name or '(no name)'}, which does"
                                         " not depend on the headlamp chart, so it is read as that chart's values")
            else:
                return None  # the values of another chart
        if not verdict.values:
            if verdict.why is None:
                return None
            report("HL015", Location(source.display, FILE_START),
                   f"{source.display} is not linted as Headlamp values: {verdict.why}; if it is Headlamp values,"
                   f" lint it with --values {source.display} (or map its name to values under files: in"
                   " .headlamp-lint.yaml)")
            return _Layer(None, ctx)
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
            _not_nested(source, root, ctx, report)
            return _Layer(None, ctx)  # an umbrella values file that does not configure Headlamp
        if not isinstance(sub, MapNode):
            report("HL003", Location(source.display, _point(sub.span)),
                   f"{ctx.subchart_key} (the Headlamp subchart's values) should be a mapping; it is ignored")
            return _Layer(None, ctx)
        enabled, sub = _condition(ctx, root, sub)
        if not enabled:
            return _Layer(None, ctx)  # the umbrella's dependency condition turns the subchart off: nothing rendered
        return _Layer(ValuesLayer(source.display, sub, f"{ctx.subchart_key}."), ctx)
    return _Layer(ValuesLayer(source.display, root), ctx)


def _not_nested(source: SourceFile, root: MapNode, ctx: ChartContext, report: Report) -> None:
    """An umbrella chart's values file with Headlamp's keys at its top level: Helm gives them to the umbrella
    chart itself, not to the Headlamp subchart (HL015 on the first of them)."""
    verdict = looks_like_headlamp_values(root, chart.newest().version, source.display)
    if not (verdict.values or verdict.why):
        return
    known = set(chart.strict_schema(chart.newest().version).get("properties", {})) - {"global"}
    first = next(k for k, _ in root.entries if k.text in known)
    report("HL015", Location(source.display, first.span),
           f"{first.text} is not linted as Headlamp values: {ctx.path} makes this an umbrella chart whose Headlamp"
           f" values are under {ctx.subchart_key}:, so Helm gives top-level {first.text} to the umbrella chart, not"
           f" to Headlamp; nest it under {ctx.subchart_key}: ({ctx.subchart_key}.{first.text})")


def _condition(ctx: ChartContext, root: MapNode, sub: MapNode) -> tuple[bool, MapNode]:
    """Helm's dependency ``condition``: the first of its comma-separated values paths that holds a boolean
    decides whether the subchart is rendered. A path inside the subchart's own values
    (``headlamp.enabled``) is the umbrella's switch, not a Headlamp chart key: it is taken out of the
    subchart's values so that HL002 does not report it."""
    if not ctx.condition:
        return True, sub
    for path in (part.strip() for part in ctx.condition.split(",")):
        node: object = root
        for part in path.split("."):
            node = node.get(part) if isinstance(node, MapNode) else None
        if isinstance(node, ScalarNode) and isinstance(node.value, bool):
            head, _, rest = path.partition(".")
            if head == ctx.subchart_key and rest and "." not in rest:
                kept = [(k, v) for k, v in sub.entries if k.text != rest]
                sub = MapNode(kept, sub.span, sub.tag, sub.flow, {k.value: (k, v) for k, v in kept})
            return node.value, sub
    return True, sub


def _point(span: Span) -> Span:
    return Span(span.line, span.column, span.line, span.column + 1)


def _keys_match(source: SourceFile, lenient: bool) -> Verdict:
    """Keys that are mostly the chart's (``lenient``: a values-named file you name yourself is values if it is
    a mapping or empty, typos and all: HL002 reports them)."""
    loaded = load(source.text)
    root = loaded.documents[0].root if loaded.documents else None
    if root is None or (lenient and not loaded.problems and getattr(root, "value", 0) is None):
        return Verdict(lenient)
    if not isinstance(root, MapNode) or ("apiVersion" in root and "kind" in root):
        return Verdict(False)
    if lenient:
        return Verdict(True)
    return looks_like_headlamp_values(root, chart.newest().version, source.display)


def lint_values_file(source: SourceFile, path: Path | None, explicit: bool, options: ValuesOptions,
                     is_headlamp: IsHeadlamp, report: Report, by_content: bool = False) -> ValuesBuild | None:
    """A file found or named on the command line: its build if it is Headlamp values, else None."""
    loaded = _load_layer(source, path, False, options, report, explicit, by_content)
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
    for problem in rendered.problems:  # what rendering found in the values (HL004, HL005, HL009)
        report(problem.rule, problem.location, problem.message)
    chart_reader = FieldReader(eff.path, Origin.CHART_DEFAULT)
    for workload, flag, node in rendered.flag_hints:
        value = node.value if isinstance(node, ScalarNode) else None
        out.parts.flag_hints.append(FlagHint(workload, eff.path, flag, chart_reader.located(value, node, flag)))
    for workload, container, part, image, node in rendered.image_parts:
        key = node.source.key if node.source is not None else "image"
        out.parts.image_parts.append(ImagePart(workload, eff.path, container, part, chart_reader.located(image, node, key)))
    readers = [chart_reader]
    chart_headlamp = _ChartRendered(is_headlamp, eff.path)
    for index, root in enumerate(rendered.objects):
        _add_object(out, chart_reader, root, index, options, chart_headlamp)
    user_readers: dict[str, FieldReader] = {}
    for number, extra in enumerate(rendered.extra_manifests):
        for rule, location, message in extra.problems:
            report(rule, location, message)
        for location, expression in extra.template_problems:
            report("HL005", Location(location.path, _point(location.span)),
                   f"extraManifests item uses template expression {expression}, which headlamp-lint cannot"
                   " evaluate without Helm; the item is linted with the expression left as text")
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
    resolved = release_for(context, options.chart_version, usable[-1].path)
    release = resolved.release
    if release is None:  # a version it does not know: say so once, and lint with no other chart
        if resolved.problem is not None:
            report("HL019", *resolved.problem)
        return None
    out.chart_version = release.version
    eff = effective_values(usable, release)
    for problem in eff.problems + check_values(eff):
        report(problem.rule, problem.location, problem.message)
    eff.problems.clear()
    rendered = render(eff, options.release_name, options.namespace, texts)
    for problem in rendered.problems:  # what the templates themselves make of the values (a duplicate key…)
        report(problem.rule, problem.location, problem.message)
    rendered.problems.clear()
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
    for *_, node in rendered.image_parts:  # the chart's appVersion or registry, blamed like the rest
        if node.span == FILE_START:
            node.span = anchor


@record(frozen=True)
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
