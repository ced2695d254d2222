"""Fixes: small text edits that keep every other byte of the file as the user wrote it.

A fix is planned from a diagnostic's object and key path (not its line
number), against a fresh parse of the current text, so fixes applied one
after another in the same file never collide: each one finds its target
anew. An edit either replaces an existing scalar value, inserts the
missing keys as new lines (block style, indented like their siblings) or
into a flow mapping, appends a list item, or removes list items. Files are
written atomically (temporary file and rename) and never when they changed
on disk since they were read.

In Helm values files the diagnostic's key is the values key (under an
umbrella chart's ``headlamp:`` key or alias, never above it); a chart
default gets the smallest override, merged into the user's existing block
or appended as a new block with a comment naming the rule. The same
planner gives each diagnostic's own edit for SARIF ``fixes``.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from linter.errors import LintError
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load

if TYPE_CHECKING:
    from linter.diagnostics import Diagnostic
    from linter.rules.base import FixSpec

_SEGMENT = re.compile(r"([^.\[\]]+)(?:\[([^\]]*)\])?")
TMP_VOLUME = "headlamp-tmp"
_MAX_REMOVALS = 100  # a bound on removing matching list items one by one (each removal re-parses)


@dataclass(frozen=True)
class TextEdit:
    start: int  # offsets into the text
    end: int
    replacement: str


@dataclass(frozen=True)
class FileFix:
    display: str
    path: Path
    original: str  # the text as linted (LF newlines)
    fixed: str
    applied: tuple[str, ...]  # rule ids, one per applied fix

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.fixed.splitlines(keepends=True),
                fromfile=f"a/{self.display.lstrip('/')}",
                tofile=f"b/{self.display.lstrip('/')}",
            )
        )


class ConcurrentModification(LintError):
    """The file changed on disk after it was linted: no fix is written."""


def digest(data: bytes) -> str:
    """The same digest ``read_source`` records."""
    return hashlib.sha256(data).hexdigest()


# --- navigation ---------------------------------------------------------------


def _offsets(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


def split_key(key: str) -> list[tuple[str, str | None]]:
    """``containers[headlamp].securityContext.runAsUser`` → [(containers, headlamp), (securityContext, None), …]."""
    return [(m.group(1), m.group(2)) for m in _SEGMENT.finditer(key)]


def _find_object(documents, kind: str, name: str) -> MapNode | None:
    for doc in documents:
        root = doc.root
        candidates = []
        if isinstance(root, MapNode):
            items = root.get("items")
            candidates = [i for i in items.items if isinstance(i, MapNode)] if isinstance(items, SeqNode) else [root]
        for node in candidates:
            meta = node.get("metadata")
            kind_node, name_node = node.get("kind"), meta.get("name") if isinstance(meta, MapNode) else None
            if (
                isinstance(kind_node, ScalarNode)
                and kind_node.text == kind
                and isinstance(name_node, ScalarNode)
                and name_node.text == name
            ):
                return node
    return None


def _pod_spec(obj: MapNode, kind: str) -> MapNode | None:
    from linter.model.from_manifests import POD_SPEC_PATHS

    node: Node | None = obj
    for step in POD_SPEC_PATHS.get(kind, ()):
        node = node.get(step) if isinstance(node, MapNode) else None
    return node if isinstance(node, MapNode) else None


def _container(spec: MapNode, list_key: str, name: str) -> MapNode | None:
    items = spec.get(list_key)
    if not isinstance(items, SeqNode):
        return None
    for item in items.items:
        if isinstance(item, MapNode):
            name_node = item.get("name")
            if isinstance(name_node, ScalarNode) and name_node.text == name:
                return item
    return None


def target_mapping(text: str, diagnostic: "Diagnostic", values_file: bool) -> tuple[MapNode, list[str]] | None:
    """The mapping to edit and the key path below it, for a diagnostic's key."""
    loaded = load(text)
    segments = split_key(diagnostic.key)
    if values_file:
        raise ValueError("values files are edited through values_target")
    if diagnostic.obj is None:
        return None
    obj = _find_object(loaded.documents, diagnostic.obj.kind, diagnostic.obj.name)
    if obj is None:
        return None
    if segments and segments[0][1] is not None and segments[0][0] in ("containers", "initContainers"):
        spec = _pod_spec(obj, diagnostic.obj.kind)
        container = _container(spec, segments[0][0], segments[0][1]) if spec is not None else None
        if container is None:
            return None
        return container, [s for s, _ in segments[1:]]
    spec = _pod_spec(obj, diagnostic.obj.kind)
    if spec is not None and segments and segments[0][1] is None:
        return spec, [s for s, _ in segments]
    return None


# --- edits --------------------------------------------------------------------


def _indent_unit(text: str) -> int:
    """The indentation step the file uses (2 if it cannot tell)."""
    widths = sorted({len(line) - len(line.lstrip(" ")) for line in text.splitlines() if line.strip()})
    steps = [b - a for a, b in zip(widths, widths[1:]) if b > a]
    return min(steps) if steps else 2


def _render_block(path: list[str], value: str, indent: int, unit: int) -> str:
    lines = []
    for depth, key in enumerate(path):
        pad = " " * (indent + depth * unit)
        lines.append(f"{pad}{key}: {value}" if depth == len(path) - 1 else f"{pad}{key}:")
    return "\n".join(lines) + "\n"


def _render_flow(path: list[str], value: str) -> str:
    text = value
    for key in reversed(path[1:]):
        text = f"{{{key}: {text}}}"
    return f"{path[0]}: {text}"


def plan_set(text: str, mapping: MapNode, path: list[str], value: str, list_item: str | None) -> TextEdit | None:
    """Set ``path`` under ``mapping`` to ``value`` (YAML text); None if already so or not editable."""
    starts = _offsets(text)
    node: MapNode = mapping
    for index, key in enumerate(path):
        child = node.get(key)
        last = index == len(path) - 1
        if child is None or (isinstance(child, ScalarNode) and child.value is None and not last):
            if child is not None:  # `key:` with nothing under it: replace the empty value
                key_node = node.key(key)
                assert key_node is not None
                end = _offset(starts, key_node.span.end_line, key_node.span.end_column)
                line_end = text.find("\n", end)
                line_end = len(text) if line_end < 0 else line_end
                column = key_node.span.column - 1
                unit = _indent_unit(text)
                block = _render_block(path[index + 1:], value, column + unit, unit)
                return TextEdit(end, line_end, ":\n" + block.rstrip("\n"))
            return _insert(text, starts, node, path[index:], value)
        if last:
            if isinstance(child, SeqNode) and list_item is not None:
                if any(isinstance(i, ScalarNode) and i.text.upper() == list_item.upper() for i in child.items):
                    return None
                return _append_item(text, starts, child, list_item)
            if isinstance(child, ScalarNode):
                if child.raw == value:
                    return None
                return TextEdit(
                    _offset(starts, child.span.line, child.span.column),
                    _offset(starts, child.span.end_line, child.span.end_column),
                    value,
                )
            return None
        if not isinstance(child, MapNode) or child.source is not None:
            return None
        node = child
    return None


def _insert(text: str, starts: list[int], node: MapNode, path: list[str], value: str) -> TextEdit | None:
    if node.flow:
        end = _offset(starts, node.span.end_line, node.span.end_column) - 1  # the closing brace
        if end < 0 or text[end] != "}":
            return None
        separator = ", " if node.entries else ""
        return TextEdit(end, end, separator + _render_flow(path, value))
    if not node.entries:
        return None
    first_key = node.entries[0][0]
    indent = first_key.span.column - 1
    last_value = node.entries[-1][1]
    end_line = max(last_value.span.end_line, node.entries[-1][0].span.line)
    if isinstance(last_value, (MapNode, SeqNode)) and not last_value.flow:
        # A block collection's span ends where its last item ends.
        end_line = last_value.span.end_line
    offset = starts[end_line] if end_line < len(starts) else len(text)
    prefix = "" if offset == 0 or text[offset - 1] == "\n" else "\n"
    return TextEdit(offset, offset, prefix + _render_block(path, value, indent, _indent_unit(text)))


def _append_item(text: str, starts: list[int], seq: SeqNode, item: str) -> TextEdit | None:
    if seq.flow:
        end = _offset(starts, seq.span.end_line, seq.span.end_column) - 1
        if end < 0 or text[end] != "]":
            return None
        return TextEdit(end, end, (", " if seq.items else "") + item)
    if not seq.items:
        return None
    last = seq.items[-1]
    line = text[starts[last.span.line - 1]:].split("\n", 1)[0]
    dash = line.rfind("-", 0, last.span.column - 1)
    if dash < 0:
        return None
    offset = starts[last.span.end_line] if last.span.end_line < len(starts) else len(text)
    prefix = "" if offset == 0 or text[offset - 1] == "\n" else "\n"
    return TextEdit(offset, offset, f"{prefix}{' ' * dash}- {item}\n")


def plan_remove_item(text: str, mapping: MapNode, path: list[str], pattern: str) -> TextEdit | None:
    """Remove the first scalar item matching ``pattern`` from the list at ``path``; None when there is none.

    A block item loses its whole line (its own trailing comment with it);
    a flow item loses itself and one separating comma. Removing the last
    item leaves ``[]`` (never null: a values schema may require a list),
    keeping any comment on the key's line.
    """
    node: Node | None = mapping
    for key in path:
        node = node.get(key) if isinstance(node, MapNode) and node.source is None else None
    if not isinstance(node, SeqNode) or node.source is not None:
        return None
    matcher = re.compile(pattern)
    index = next(
        (i for i, item in enumerate(node.items) if isinstance(item, ScalarNode) and matcher.fullmatch(item.text)),
        None,
    )
    if index is None:
        return None
    starts = _offsets(text)
    item = node.items[index]
    start = _offset(starts, item.span.line, item.span.column)
    end = _offset(starts, item.span.end_line, item.span.end_column)
    if node.flow:
        if index + 1 < len(node.items):
            following = node.items[index + 1]
            return TextEdit(start, _offset(starts, following.span.line, following.span.column), "")
        if index > 0:
            previous = node.items[index - 1]
            return TextEdit(_offset(starts, previous.span.end_line, previous.span.end_column), end, "")
        return TextEdit(start, end, "")
    line_start = starts[item.span.line - 1]
    if not re.fullmatch(r"[ \t]*-[ \t]+", text[line_start:start]):
        return None  # e.g. `- - x` or an item sharing its line: not removed by line
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end + 1
    if text[end:line_end].strip() and not text[end:line_end].lstrip().startswith("#"):
        return None
    if len(node.items) > 1:
        return TextEdit(line_start, line_end, "")
    parent = mapping
    for key in path[:-1]:
        parent = parent.get(key)  # type: ignore[assignment]
    key_node = parent.key(path[-1]) if isinstance(parent, MapNode) else None
    if key_node is None:
        return None
    colon = _offset(starts, key_node.span.end_line, key_node.span.end_column)
    if text[colon:colon + 1] != ":":
        return None
    # `key:  # comment` + the item line → `key: []  # comment`
    between = text[colon + 1:line_start]
    return TextEdit(colon, line_end, ": []" + between)


def apply(text: str, edit: TextEdit) -> str:
    return text[: edit.start] + edit.replacement + text[edit.end:]


# --- planning whole files -----------------------------------------------------


def fix_text(
    text: str,
    diagnostics: Iterable["Diagnostic"],
    specs: dict[str, "FixSpec"],
    values_file: bool,
    values: ValuesContext | None = None,
) -> tuple[str, tuple[str, ...]]:
    """Apply every applicable fix to ``text`` one after another; return the text and the rule ids applied.

    Each edit re-parses the current text and finds its target by key path,
    so earlier edits never invalidate later ones and a second run finds
    nothing left to change.
    """
    applied = []
    for diagnostic in diagnostics:
        spec = specs.get(diagnostic.rule_id)
        if spec is None or (spec.applies_to and not diagnostic.key.endswith(spec.applies_to)):
            continue
        if values_file:
            text, changed = _fix_values(text, diagnostic, spec, values or ValuesContext())
            if changed:
                applied.append(diagnostic.rule_id)
            continue
        changed = False
        for edit in spec.edits:
            if edit.relative_to == "values":
                continue  # a values-file edit
            if edit.relative_to == "object":
                obj = _find_object(load(text).documents, diagnostic.obj.kind, diagnostic.obj.name) if (
                    diagnostic.obj is not None) else None
                planned = plan_set(text, obj, edit.path.split("."), edit.value, edit.list_item) if obj else None
                if planned is not None:
                    text, changed = apply(text, planned), True
                continue
            target = target_mapping(text, diagnostic, values_file)
            if target is None:
                break
            mapping, path = target
            if spec.headlamp_only and not _is_headlamp_container(mapping, values_file, path):
                break
            if edit.relative_to == "container":
                full = edit.path.split(".")
            else:
                full = path[:-1] + (edit.path.split(".") if edit.path else [path[-1]]) if path else []
            if edit.remove_item is not None:
                for _ in range(_MAX_REMOVALS):
                    target = target_mapping(text, diagnostic, values_file)
                    removal = plan_remove_item(text, target[0], full, edit.remove_item) if target else None
                    if removal is None:
                        break
                    text, changed = apply(text, removal), True
                continue
            planned = plan_set(text, mapping, full, edit.value, edit.list_item) if full else None
            if planned is not None:
                text = apply(text, planned)
                changed = True
        if spec.tmp_volume and not values_file:
            text, added = _add_tmp_volume(text, diagnostic)
            changed = changed or added
        if changed:
            applied.append(diagnostic.rule_id)
    return text, tuple(applied)


# --- values files -------------------------------------------------------------

# A container finding's key is "<role>s[<name>]." + the values key (see rules/_containers.finding).
_CONTAINER_PREFIX = re.compile(r"^(?:containers|initContainers|ephemeralContainers)\[[^\]]*\]\.")
# Top-level values keys whose settings land on the Headlamp container (or its pod) only.
_HEADLAMP_VALUES_KEYS = frozenset({"securityContext", "podSecurityContext", "image"})
# From this chart version on the chart mounts an emptyDir at /tmp when the root filesystem is read-only.
CHART_TMP_VOLUME = "0.42.0"


@dataclass(frozen=True)
class ValuesContext:
    """What the fixer must know about a values file beyond its text."""

    prefix: tuple[str, ...] = ()  # umbrella chart: the key (alias) holding Headlamp's values
    chart_version: str | None = None  # the chart version the file was linted against


def values_key(diagnostic: "Diagnostic", ctx: ValuesContext, strip_index: bool = False) -> list[str] | None:
    """The values key a diagnostic blames, below the Headlamp prefix; None when it is not one we can edit.

    The model reports values findings with the values key (a chart default:
    the key to set). Keys into lists (``extraContainers[0]…``) and keys
    outside the Headlamp prefix of an umbrella chart are never edited.
    """
    key = _CONTAINER_PREFIX.sub("", diagnostic.key, count=1)
    if strip_index:
        key = re.sub(r"\[[^\]]*\]$", "", key)  # `config.extraArgs[2]`: the list holding the blamed item
    parts = key.split(".") if key else []
    if not parts or parts[: len(ctx.prefix)] != list(ctx.prefix):
        return None
    rest = parts[len(ctx.prefix):]
    if not rest or any("[" in p or not p for p in rest):
        return None
    if rest[0] not in _chart_top_level_keys(ctx.chart_version):
        return None  # a rendered object's field path (e.g. spec.…), not a values key: no guessing where it goes
    return rest


@lru_cache(maxsize=None)
def _chart_top_level_keys(version: str | None) -> frozenset[str]:
    from linter.values import chart

    root = load(chart.defaults_text(version or chart.newest().version)).documents[0].root
    return frozenset(k.text for k, _ in root.entries) if isinstance(root, MapNode) else frozenset()


def _fix_values(text: str, diagnostic: "Diagnostic", spec: "FixSpec", ctx: ValuesContext) -> tuple[str, bool]:
    """Apply one rule's fix to a values file: edit the key the user wrote, or add the smallest override.

    Helm merges maps key by key, so adding ``allowPrivilegeEscalation`` under
    ``securityContext`` keeps the chart's other defaults there.
    """
    from linter.values.chart import version_key

    key = values_key(diagnostic, ctx, strip_index=any(e.remove_item is not None for e in spec.edits))
    if key is None and not any(e.relative_to == "values" for e in spec.edits):
        return text, False
    if spec.headlamp_only and (key is None or key[0] not in _HEADLAMP_VALUES_KEYS):
        return text, False  # e.g. a sidecar from extraContainers: its image's user is not Headlamp's
    if spec.tmp_volume and (ctx.chart_version is None or version_key(ctx.chart_version) < version_key(CHART_TMP_VOLUME)):
        # Older charts mount nothing at /tmp: a read-only root filesystem could break Headlamp; left to the user.
        return text, False
    changed = False
    for edit in spec.edits:
        if edit.relative_to == "object":
            continue  # a manifest edit
        if edit.relative_to == "container" and edit.path.split(".")[0] not in _HEADLAMP_VALUES_KEYS:
            continue  # e.g. a manifest's `args`: in values the container's settings live under other keys
        if edit.relative_to in ("container", "values"):
            path = edit.path.split(".")
        elif key is None:
            continue
        else:
            path = key[:-1] + (edit.path.split(".") if edit.path else [key[-1]])
        full = list(ctx.prefix) + path
        if edit.remove_item is not None:
            for _ in range(_MAX_REMOVALS):
                root = _values_root(text)
                removal = plan_remove_item(text, root, full, edit.remove_item) if root is not None else None
                if removal is None:
                    break
                text, changed = apply(text, removal), True
            continue
        planned = _plan_values_set(text, full, edit.value, edit.list_item, diagnostic)
        if planned is not None:
            text = apply(text, planned)
            changed = True
    return text, changed


def _values_root(text: str) -> MapNode | None:
    loaded = load(text)
    if loaded.problems or any(d.problems for d in loaded.documents) or len(loaded.documents) != 1:
        return None
    root = loaded.documents[0].root
    return root if isinstance(root, MapNode) else None


def _plan_values_set(text: str, path: list[str], value: str, list_item: str | None,
                     diagnostic: "Diagnostic") -> TextEdit | None:
    loaded = load(text)
    if loaded.problems or any(d.problems for d in loaded.documents) or len(loaded.documents) > 1:
        return None  # a values file Helm would read differently (or not at all): never guessed at
    root = loaded.documents[0].root if loaded.documents else None
    comment = f"# {diagnostic.rule_id} ({diagnostic.rule_name}): added by headlamp-lint --fix\n"
    if root is None or (isinstance(root, ScalarNode) and root.value is None and not root.raw):
        # An empty (or comment-only) values file: the override is the whole content.
        block = _render_block(path, value, 0, _indent_unit(text))
        lead = "" if not text or text.endswith("\n") else "\n"
        return TextEdit(len(text), len(text), lead + comment + block)
    if not isinstance(root, MapNode):
        return None
    edit = plan_set(text, root, path, value, list_item)
    if edit is not None and not root.flow and root.get(path[0]) is None:
        # A new top-level block: say which rule added it, set off by a blank line like the user's blocks.
        body = edit.replacement.lstrip("\n")
        lead = edit.replacement[: len(edit.replacement) - len(body)]
        before = text[: edit.start] + lead
        blank = "" if before.endswith("\n\n") or not before.strip() else "\n"
        edit = TextEdit(edit.start, edit.end, lead + blank + comment + body)
    return edit


def _add_tmp_volume(text: str, diagnostic: "Diagnostic") -> tuple[str, bool]:
    """Mount an emptyDir at /tmp in the container unless something is mounted there already."""
    target = target_mapping(text, diagnostic, False)
    if target is None or diagnostic.obj is None:
        return text, False
    container, _ = target
    mounts = container.get("volumeMounts")
    if isinstance(mounts, SeqNode):
        for mount in mounts.items:
            path = mount.get("mountPath") if isinstance(mount, MapNode) else None
            if isinstance(path, ScalarNode) and path.text.rstrip("/") == "/tmp":
                return text, False
    mount_item = f"{{name: {TMP_VOLUME}, mountPath: /tmp}}"
    edit = plan_set(text, container, ["volumeMounts"], f"[{mount_item}]", mount_item)
    if edit is None:
        return text, False
    text = apply(text, edit)
    loaded = load(text)
    obj = _find_object(loaded.documents, diagnostic.obj.kind, diagnostic.obj.name)
    spec = _pod_spec(obj, diagnostic.obj.kind) if obj is not None else None
    if spec is not None:
        volumes = spec.get("volumes")
        exists = isinstance(volumes, SeqNode) and any(
            isinstance(v, MapNode) and isinstance(v.get("name"), ScalarNode) and v.get("name").text == TMP_VOLUME
            for v in volumes.items
        )
        if not exists:
            item = f"{{name: {TMP_VOLUME}, emptyDir: {{}}}}"
            volume_edit = plan_set(text, spec, ["volumes"], f"[{item}]", item)
            if volume_edit is not None:
                text = apply(text, volume_edit)
    return text, True


def _is_headlamp_container(mapping: MapNode, values_file: bool, path: list[str]) -> bool:
    from linter.model.headlamp import HeadlampMatcher

    image = mapping.get("image")
    return isinstance(image, ScalarNode) and HeadlampMatcher().matches_image(image.text)


def write_atomically(path: Path, text: str, expected_digest: str, crlf: bool) -> None:
    """Replace ``path`` with ``text`` unless it changed since it was read (digest of its bytes then)."""
    current = path.read_bytes()
    if digest(current) != expected_digest:
        raise ConcurrentModification(f"{path}: changed on disk since it was linted; fix not written")
    data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    if current.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, path.stat().st_mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def plan_fixes(result, specs: dict[str, "FixSpec"]) -> list[FileFix]:
    """The fixes for every file of a run that has a fixable diagnostic (``specs``: the fixes allowed)."""
    by_file: dict[str, list] = {}
    for diagnostic in result.diagnostics:
        if diagnostic.rule_id in specs:
            by_file.setdefault(diagnostic.path, []).append(diagnostic)
    out = []
    for display, diagnostics in sorted(by_file.items()):
        source = result.sources.get(display)
        if source is None or source.path is None:
            continue  # stdin, or a file outside the run: never written
        values_file = display in result.values_files
        values = _values_context(source, result) if values_file else None
        fixed, applied = fix_text(source.text, diagnostics, specs, values_file, values)
        if fixed != source.text:
            out.append(FileFix(display, source.path, source.text, fixed, applied))
    return out


def _values_context(source, result) -> ValuesContext:
    from linter.values.detect import chart_context

    ctx = chart_context(source.path, source.display)
    prefix = (ctx.subchart_key,) if ctx.subchart_key else ()
    return ValuesContext(prefix, result.chart_versions.get(source.display))


@dataclass(frozen=True)
class Replacement:
    """One diagnostic's fix as a region of the original file and the text to put there (SARIF ``replacements``).

    Lines and columns are 1-based, the end exclusive; whole lines are
    replaced (an insertion is an empty region at the start of a line), so
    review tools show a readable suggestion.
    """

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    text: str


def diagnostic_fix(result, diagnostic: "Diagnostic", spec: "FixSpec") -> tuple[Replacement, ...]:
    """The edits ``spec`` makes for this one diagnostic against the file as linted (none: it changes nothing)."""
    source = result.sources.get(diagnostic.path)
    if source is None:
        return ()
    values_file = diagnostic.path in result.values_files
    values = _values_context(source, result) if values_file else None
    fixed, _ = fix_text(source.text, [diagnostic], {diagnostic.rule_id: spec}, values_file, values)
    if fixed == source.text:
        return ()
    before, after = source.text.splitlines(keepends=True), fixed.splitlines(keepends=True)
    newline = "\r\n" if source.crlf else "\n"
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag != "equal":
            # Whole lines [i1, i2) are replaced; an insertion is the empty region at the start of line i1 + 1.
            out.append(Replacement(i1 + 1, 1, i2 + 1, 1, "".join(after[j1:j2]).replace("\n", newline)))
    return tuple(out)


def fix_specs(unsafe: bool = True) -> dict[str, "FixSpec"]:
    """Every rule's fix spec (the safe ones only unless ``unsafe``)."""
    from linter.rules import all_rules

    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    return {r.id: r.fix for r in all_rules() if r.fix is not None and r.fix.applicability in allowed}


def write_fixes(fixes: list[FileFix], result) -> list[str]:
    """Write each fixed file; returns the errors (files changed on disk meanwhile)."""
    errors = []
    for fix in fixes:
        source = result.sources[fix.display]
        try:
            write_atomically(fix.path, fix.fixed, source.digest, source.crlf)
        except ConcurrentModification as exc:
            errors.append(str(exc))
    return errors
