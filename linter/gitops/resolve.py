"""Cross-file resolution: once every file is read, each Headlamp release gets its chart and its values.

Runs in the engine after the per-file stage, over the ``GitOpsParts`` of
every file in input order (so its results are deterministic): a Flux
``chartRef`` finds its OCIRepository/HelmChart, ``valuesFrom`` finds its
ConfigMap/Secret, value files are read from disk relative to the file that
names them, and the layers go to ``linter.model.from_values.lint_embedded``
in the precedence order the source-kind module gave them.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Callable

from linter.gitops import (
    ChartSource,
    DataEntry,
    FromFile,
    FromObject,
    GitOpsParts,
    Inline,
    ReleaseSpec,
    Report,
    SetValue,
    SetValues,
    point,
    text_of,
)
from linter.gitops.common import BROKEN, string_layer
from linter.gitops.embedded import relocate
from linter.located import Location, Span
from linter.model.from_values import ValuesBuild, ValuesOptions, lint_embedded, values_file_layer
from linter.model.headlamp import HeadlampMatcher
from linter.model.nearby import Nearby, Twins
from linter.model.objects import ObjectRef
from linter.records import field, record
from linter.source import SourceFile
from linter.values import chart
from linter.values.merge import ValuesLayer, merge_user
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load, resolve_plain

ReadFile = Callable[[Path], "SourceFile | None"]  # a file named by a release, or None when unreadable


@record
class Resolved:
    """One linted release: its build, and what it could not see."""

    spec: ReleaseSpec
    build: ValuesBuild
    unseen: list[str] = field(default_factory=list)  # "ConfigMap ns/name", "value file x": findings may change
    files: list[SourceFile] = field(default_factory=list)  # value files read for it


@record(frozen=True, slots=True)
class _Placed:
    """A GitOps object as linter.model.nearby places objects: its identity and its file."""

    ref: ObjectRef
    path: str


class _Near:
    """The ConfigMaps and Secrets (or chart sources) a release sees, by (kind, namespace, name): of
    several objects with one identity (one per environment folder), the nearest to the release's file,
    as the model links objects (linter/model/nearby.py); equally near ones: the first in input order."""

    def __init__(self, found: Nearby, anchor: _Placed) -> None:
        self._found, self._anchor = found, anchor

    def get(self, key: tuple[str, str, str]):  # noqa: ANN201 - the looked-up item's own type
        nearest = self._found.nearest(self._anchor, key)
        return nearest[1] if nearest is not None else None


def _placed(item: tuple[_Placed, object]) -> _Placed:
    return item[0]


def _by_name(item: tuple[_Placed, object]) -> tuple[tuple[str, str | None, str]]:
    ref = item[0].ref
    return ((ref.kind, ref.namespace, ref.name),)


def resolve(parts: list[GitOpsParts], sources: dict[str, SourceFile], options: ValuesOptions,
            matcher: HeadlampMatcher, read_file: ReadFile, report: Report) -> list[Resolved]:
    data = [(_Placed(ObjectRef(*key), next(iter(entries.values())).path), entries)
            for part in parts for key, entries in part.data.items()]
    charts = [(_Placed(ObjectRef(item.kind, item.namespace, item.name), item.path), item)
              for part in parts for item in part.chart_sources]
    anchors = [(_Placed(ObjectRef(spec.form, spec.namespace, spec.what), spec.path), spec)
               for part in parts for spec in part.releases]
    twins = Twins.of(placed for placed, _ in [*anchors, *data, *charts])
    data_near = Nearby(data, _by_name, _placed, twins)
    charts_near = Nearby(charts, _by_name, _placed, twins)
    out = []
    loads: dict[str, list] = {}
    for anchor, spec in anchors:
        done = _release(spec, _Near(data_near, anchor), _Near(charts_near, anchor), sources, options, matcher,
                        read_file, report, loads)
        if done is not None:
            out.append(done)
    return out


def _release(spec: ReleaseSpec, data, charts, sources: dict[str, SourceFile], options: ValuesOptions,
             matcher: HeadlampMatcher, read_file: ReadFile, report: Report, loads: dict) -> Resolved | None:
    version, version_location = spec.version, spec.version_location
    if spec.chart_ref is not None:
        ref = spec.chart_ref
        found = charts.get((ref.kind, ref.namespace, ref.name))
        if found is None:
            if "headlamp" in (ref.name + spec.what).lower():
                report("HL017", ref.location, f"spec.chartRef of {spec.what} names {ref.kind} {ref.namespace}/{ref.name},"
                       " which is not in the input: not seen, so the release is not linted as Headlamp")
            return None
        if not found.is_headlamp:
            return None
        version, version_location = found.version, found.version_location
    release = _chart_release(spec, version, version_location, options, report)
    if release is None:
        return None
    for notice in spec.notices:
        report(notice.rule, notice.location, notice.message)
    done = Resolved(spec, ValuesBuild())
    layers: list[ValuesLayer] = []
    for piece in spec.pieces:
        if isinstance(piece, Inline):
            layers.append(piece.layer)
        elif isinstance(piece, FromObject):
            layer = _from_object(piece, spec, data, layers, sources, done, report, loads, options, read_file)
            if layer is BROKEN:
                return None
            if layer is not None:
                layers.append(layer)  # type: ignore[arg-type]
        elif isinstance(piece, FromFile):
            layer = _from_file(piece, spec, options, read_file, done, report)
            if layer is BROKEN:
                return None
            if layer is not None:
                layers.append(layer)  # type: ignore[arg-type]
        elif isinstance(piece, SetValues):
            layer = set_layer(piece.values, piece.path, spec.what, report)
            if layer is not None:
                layers.append(layer)
    if not any(not layer.synthetic for layer in layers) and spec.anchor is not None:
        layers.append(spec.anchor)
    if not layers:
        return None
    texts = {name: source.text for name, source in sources.items() if name in {layer.path for layer in layers}}
    texts.update({source.display: source.text for source in done.files})
    done.build = lint_embedded(layers, release, spec.release_name, spec.namespace, options, matcher, report, texts)
    return done


def _chart_release(spec: ReleaseSpec, version: str | None, location: Location | None, options: ValuesOptions,
                   report: Report) -> chart.ChartRelease | None:
    """The chart release the version (or range) names; None, with HL019 reported, when none is known."""
    if version is None:
        if not options.chart_version:
            return chart.newest()
        exact = chart.exact(options.chart_version)
        if exact is None:  # never another chart instead
            known = chart.releases()
            report("HL019", location or Location(spec.path, Span.point(1)),
                   f"--chart-version {options.chart_version} is not a Headlamp chart release headlamp-lint knows"
                   f" ({known[0].version} … {known[-1].version}); the values of {spec.what} are not linted")
        return exact
    if spec.templated and "{{" in version:
        if location is not None:
            report("HL017", location, f"the chart version of {spec.what} is an ApplicationSet parameter ({version});"
                   f" linted with the newest known chart, {chart.newest().version}")
        return chart.newest()
    found = chart.matching(version)
    if found is None:
        known = chart.releases()
        report("HL019", location or Location(spec.path, Span.point(1)),
               f"no Headlamp chart known to headlamp-lint matches version {version!r} of {spec.what} (known:"
               f" {known[0].version} … {known[-1].version}); its values are not linted")
    return found


def _data_node(piece: FromObject, entry: DataEntry, sources: dict[str, SourceFile],
               loads: dict[str, list]) -> ScalarNode | None:
    """The ConfigMap's or Secret's string, read again from its file (each file is loaded once a run)."""
    from linter.gitops.flux import data_node

    if entry.path not in loads:
        source = sources.get(entry.path)
        loads[entry.path] = load(source.text).documents if source is not None else []
    for doc in loads[entry.path]:
        if doc.index != entry.doc_index or not isinstance(doc.root, MapNode):
            continue
        items = doc.root.get("items")
        roots = [doc.root] + ([i for i in items.items if isinstance(i, MapNode)] if isinstance(items, SeqNode) else [])
        for root in roots:
            metadata = root.get("metadata")
            if (text_of(root.get("kind")) == piece.kind and isinstance(metadata, MapNode)
                    and text_of(metadata.get("name")) == piece.name):
                node = data_node(root, entry, piece.key)
                if node is not None:
                    return node
    return None


def _from_object(piece: FromObject, spec: ReleaseSpec, data, layers: list[ValuesLayer], sources, done: Resolved,
                 report: Report, loads: dict[str, list], options: ValuesOptions,
                 read_file: ReadFile) -> ValuesLayer | object | None:
    entries = data.get((piece.kind, piece.namespace, piece.name))
    where = f"{piece.kind} {piece.namespace}/{piece.name}"
    if entries is None:
        if piece.quiet_when_absent:
            return None
        optional = " (optional)" if piece.optional else ""
        report("HL017", piece.location, f"{where}{optional}, {piece.role} of {spec.what}, is not in the input:"
               " not seen, findings may be incomplete")
        done.unseen.append(where)
        return None
    entry = entries.get(piece.key)
    if entry is None:
        if not piece.optional:
            report("HL020", piece.location, f"{where} has no key {piece.key!r} (valuesKey of a spec.valuesFrom of"
                   f" {spec.what}); Flux fails the release: set optional: true or fix the key")
        return None
    if entry.file is not None:
        return _generated(piece, entry, spec, where, options, read_file, done, report)
    found = _data_node(piece, entry, sources, loads)
    if found is None:
        return None  # the file changed under us: nothing to read
    text = found.value if isinstance(found.value, str) else found.raw
    pinned = entry.base64
    if entry.base64:
        try:
            text = base64.b64decode(text.encode("ascii"), validate=False).decode("utf-8")
        except (binascii.Error, UnicodeError, ValueError):
            report("HL020", Location(entry.path, point(found.span)),
                   f"{where} key {piece.key!r} is not base64 UTF-8 text; Flux cannot read it as values")
            return None
    if piece.target_path:
        node = ScalarNode(text, point(found.span), text)
        return _target_path(piece, spec, node, layers, report)
    if pinned:
        loaded = load(text)
        root = loaded.documents[0].root if loaded.documents else None
        if loaded.problems or any(d.problems for d in loaded.documents) or (
                root is not None and not isinstance(root, MapNode)):
            report("HL020", Location(entry.path, point(found.span)),
                   f"{where} key {piece.key!r} does not hold a mapping of chart values; Flux fails the release")
            return None
        if root is None:
            return None
        relocate(root, point(found.span))
        return ValuesLayer(entry.path, root, "", point(found.span))
    source = sources.get(entry.path)
    lines = source.text.split("\n") if source is not None else []
    layer = string_layer(report, found, entry.path, lines, "", point(found.span),
                         f"{where} key {piece.key}")
    return layer


def _generated(piece: FromObject, entry: DataEntry, spec: ReleaseSpec, where: str, options: ValuesOptions,
               read_file: ReadFile, done: Resolved, report: Report) -> ValuesLayer | object | None:
    """A key of a ConfigMap/Secret a kustomization generates from a file: that file, read as a values file."""
    path = Path(entry.file or "")
    if piece.target_path:
        report("HL017", piece.location, f"targetPath {piece.target_path} of {spec.what} takes the whole file of"
               f" generated {where} key {piece.key}, which headlamp-lint does not set: findings may be incomplete")
        done.unseen.append(where)
        return None
    if not path.is_file():
        report("HL020", entry.location or piece.location, f"{where} key {piece.key} is generated from {path.name},"
               f" which does not exist; kustomize fails, and {spec.what} gets no values")
        return BROKEN
    return _values_file(path, options, read_file, done, report)


def _target_path(piece: FromObject, spec: ReleaseSpec, node: ScalarNode, layers: list[ValuesLayer],
                 report: Report) -> ValuesLayer | object | None:
    """``targetPath``: the string is set at that path of the values merged so far (strvals' ``ParseInto``)."""
    parts = split_path(piece.target_path or "")
    if parts is None:
        report("HL017", piece.location, f"targetPath {piece.target_path!r} of {spec.what} uses list indexes,"
               " which headlamp-lint does not resolve: findings may be incomplete")
        return None
    merged: Node | None = None
    for layer in layers:
        merged = layer.root if merged is None else merge_user(merged, layer.root)
    current = merged
    for index, part in enumerate(parts[:-1]):
        current = current.get(part) if isinstance(current, MapNode) else None
        if current is not None and not isinstance(current, MapNode):
            report("HL020", piece.location, f"targetPath {piece.target_path} of {spec.what} goes through"
                   f" {'.'.join(parts[:index + 1])}, which is not a mapping in the values before it; Flux fails"
                   " to merge it")
            return BROKEN
    text = node.text
    quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
    value = SetValue(piece.target_path or "", ScalarNode(piece.target_path, piece.location.span, piece.target_path or ""),
                     ScalarNode(text[1:-1] if quoted else text, node.span, text[1:-1] if quoted else text, quoted=quoted),
                     quoted)
    return set_layer((value,), piece.location.path, spec.what, report)


def split_path(name: str) -> list[str] | None:
    """A ``--set`` key split at unescaped dots; None when it indexes a list (``a[0].b``)."""
    parts, current, escaped = [], "", False
    for char in name:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ".":
            parts.append(current)
            current = ""
        elif char in "[]":
            return None
        else:
            current += char
    parts.append(current)
    return parts if all(parts) else None


def typed(text: str) -> str | int | bool | None:
    """strvals' typing of a ``--set`` value: true, false, null and integers; anything else is a string."""
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    value = resolve_plain(text) if text else ""
    if isinstance(value, int) and not isinstance(value, bool) and not (text.startswith("0") and text != "0"):
        return value
    return text


def set_layer(values: tuple[SetValue, ...], path: str, what: str, report: Report) -> ValuesLayer | None:
    """The ``--set`` values as a map layer: keys at the parameter's name, values at its value."""
    root = MapNode([], values[0].name_node.span) if values else None
    if root is None:
        return None
    for item in values:
        parts = split_path(item.name)
        if parts is None:
            report("HL017", Location(path, point(item.name_node.span)),
                   f"parameter {item.name} of {what} indexes a list, which headlamp-lint does not resolve:"
                   " findings may be incomplete")
            continue
        raw = item.value.text
        value = raw if item.force_string else typed(raw)
        leaf = ScalarNode(value, item.value.span, raw, quoted=isinstance(value, str))
        holder = root
        for part in parts[:-1]:
            child = holder.get(part)
            if not isinstance(child, MapNode):
                child = MapNode([], item.name_node.span)
                _put(holder, ScalarNode(part, item.name_node.span, part), child)
            holder = child
        _put(holder, ScalarNode(parts[-1], item.name_node.span, parts[-1]), leaf)
    return ValuesLayer(path, root, "", point(values[0].name_node.span), synthetic=True)


def _put(holder: MapNode, key: ScalarNode, value: Node) -> None:
    if key.value in holder.index:
        holder.entries = [(k, v) for k, v in holder.entries if k.value != key.value]
    holder.entries.append((key, value))
    holder.index[key.value] = (key, value)


def _from_file(piece: FromFile, spec: ReleaseSpec, options: ValuesOptions, read_file: ReadFile, done: Resolved,
               report: Report) -> ValuesLayer | object | None:
    if piece.resolved is None:
        report("HL017", piece.location, f"value file {piece.written} of {spec.what} is not read ({piece.why}):"
               " not seen, findings may be incomplete")
        done.unseen.append(f"value file {piece.written}")
        return None
    path = Path(piece.resolved)
    if not path.is_file():
        if piece.missing_is_error:
            report("HL020", piece.location, f"value file {piece.written} of {spec.what} does not exist"
                   f" ({piece.why}); the build fails")
            return BROKEN
        report("HL017", piece.location, f"value file {piece.written} of {spec.what} is not in this repository"
               f" ({piece.why}): not seen, findings may be incomplete")
        done.unseen.append(f"value file {piece.written}")
        return None
    return _values_file(path, options, read_file, done, report)


def _values_file(path: Path, options: ValuesOptions, read_file: ReadFile, done: Resolved,
                 report: Report) -> ValuesLayer | object:
    """A file on disk read as one values layer of the release (and so not linted again on its own)."""
    source = read_file(path)
    if source is None:
        return BROKEN  # unreadable: reported by read_file
    done.files.append(source)
    layer = values_file_layer(source, path, options, report)
    return layer if layer is not None else BROKEN
