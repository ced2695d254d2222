"""Helm's ``tpl`` for the template expressions users put in values the chart passes through ``tpl``.

Not a chart template: the evaluator that ``deployment`` (``podLabels``, chart
>= 0.39.0), ``ingress`` (per-path backend service names, chart >= 0.42.0) and
``extra_manifests`` use. It evaluates actions (``{{ … }}``, ``{{- … -}}``)
made of pipelines over:

- ``.Values.a.b`` (``$.Values…`` too), ``.Release.Name`` / ``.Namespace`` /
  ``.Service`` / ``.IsInstall`` / ``.IsUpgrade`` / ``.Revision``,
  ``.Chart.Name`` / ``.Version`` / ``.AppVersion``, string, number and
  boolean literals, parenthesised pipelines;
- ``include`` of the chart's own named templates (``_helpers``:
  ``headlamp.name``, ``headlamp.fullname``, ``headlamp.namespace``,
  ``headlamp.chart``, ``headlamp.labels``, ``headlamp.selectorLabels``,
  ``headlamp.serviceAccountName``) with ``.`` or ``$``;
- the functions ``quote``, ``squote``, ``default``, ``toYaml``, ``nindent``,
  ``indent``, ``trunc``, ``trimSuffix``, ``trimPrefix``, ``trim``, ``lower``,
  ``upper``, ``toString``, ``printf`` (``%s``, ``%d``, ``%v``, ``%q``),
  ``replace``, ``b64enc``, ``required``; comments ``{{/* … */}}``.

Nothing is executed. An action it cannot evaluate (control structures,
other functions, other fields) is left in the text as its own expression
without the braces, and reported (``Unsupported``) so the caller can say
where; the rest is still evaluated and linted.
"""

from __future__ import annotations

import base64
import json
import re

from linter.records import field, record
from linter.values.templates import _helpers
from linter.values.templates.context import Context
from linter.values.templates.gotext import format_value, plain

_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)
_TOKEN = re.compile(
    r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*")
    |(?P<raw>`[^`]*`)
    |(?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
    |(?P<field>\$?(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
    |(?P<dot>\$|\.)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>[()|])
    )""",
    re.X,
)
_CONTROL = frozenset(("if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"))


class _Unsupported(Exception):
    pass


@record(frozen=True, slots=True)
class Unsupported:
    """An action ``tpl`` could not evaluate: its text, its offset in the template, and why."""

    expression: str
    offset: int
    reason: str


@record
class Evaluated:
    text: str
    unsupported: list[Unsupported] = field(default_factory=list)


class _Root:
    """The ``.`` of a template: only ``include`` may take it whole."""


_ROOT = _Root()


def render(ctx: Context, template: str) -> Evaluated:
    """``tpl template $`` for ``template``; actions it cannot evaluate stay as their expression."""
    out: list[str] = []
    unsupported: list[Unsupported] = []
    position = 0
    trim_next = False
    for match in _ACTION.finditer(template):
        before = template[position:match.start()]
        if trim_next:
            before = before.lstrip()
        if match.group(1):
            before = before.rstrip()
        out.append(before)
        trim_next = bool(match.group(3))
        position = match.end()
        body = match.group(2).strip()
        if body.startswith("/*") and body.endswith("*/"):
            continue
        try:
            value = _pipeline(ctx, _tokens(body))
            if isinstance(value, _Root):
                raise _Unsupported("the whole context `.` cannot be printed")
            out.append(format_value(value))
        except _Unsupported as exc:
            unsupported.append(Unsupported(match.group(0), match.start(), str(exc)))
            out.append(body)
            continue
        except (ValueError, TypeError, ArithmeticError) as exc:  # e.g. `trunc "x" …`: Helm fails on it too
            unsupported.append(Unsupported(match.group(0), match.start(), f"invalid arguments: {exc}"))
            out.append(body)
    rest = template[position:]
    out.append(rest.lstrip() if trim_next else rest)
    return Evaluated("".join(out), unsupported)


def _tokens(body: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    index = 0
    while index < len(body):
        if body[index:].strip() == "":
            break
        match = _TOKEN.match(body, index)
        if match is None or match.end() == index:
            raise _Unsupported(f"cannot read {body[index:].strip()[:20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        index = match.end()
    if tokens and tokens[0] == ("ident", tokens[0][1]) and tokens[0][1] in _CONTROL:
        raise _Unsupported(f"`{tokens[0][1]}` blocks are not evaluated")
    return tokens


def _pipeline(ctx: Context, tokens: list[tuple[str, str]]) -> object:
    commands: list[list[object]] = [[]]
    depth_stack: list[list[list[object]]] = []
    for kind, text in tokens:
        if kind == "punct" and text == "(":
            depth_stack.append(commands)
            commands = [[]]
        elif kind == "punct" and text == ")":
            if not depth_stack:
                raise _Unsupported("unbalanced parenthesis")
            value = _run(ctx, commands)
            commands = depth_stack.pop()
            commands[-1].append(("value", value))
        elif kind == "punct" and text == "|":
            commands.append([])
        else:
            commands[-1].append((kind, text))
    if depth_stack:
        raise _Unsupported("unbalanced parenthesis")
    return _run(ctx, commands)


def _run(ctx: Context, commands: list[list[object]]) -> object:
    value: object = None
    for number, command in enumerate(commands):
        if not command:
            raise _Unsupported("empty command in a pipeline")
        piped = number > 0
        head = command[0]
        if isinstance(head, tuple) and head[0] == "ident" and head[1] not in ("true", "false", "nil"):
            args = [_operand(ctx, item) for item in command[1:]]
            if piped:
                args.append(value)
            value = _call(ctx, head[1], args)
        elif len(command) == 1 and not piped:
            value = _operand(ctx, head)
        else:
            raise _Unsupported("a value cannot take arguments")
    return value


def _operand(ctx: Context, item: object) -> object:
    kind, text = item  # type: ignore[misc]
    if kind == "value":
        return text
    if kind == "string":
        try:
            return json.loads(text)  # Go's escapes in a double-quoted string are JSON's, near enough
        except ValueError:
            raise _Unsupported(f"cannot read the string {text[:20]}") from None
    if kind == "raw":
        return text[1:-1]
    if kind == "number":
        return float(text) if any(c in text for c in ".eE") else int(text)
    if kind == "dot":
        return _ROOT
    if kind == "ident":
        if text in ("true", "false"):
            return text == "true"
        if text == "nil":
            return None
        raise _Unsupported(f"function {text} needs to come first")
    return _field(ctx, text.lstrip("$"))


def _field(ctx: Context, path: str) -> object:
    parts = path.split(".")[1:]
    if parts[0] == "Values":
        return plain(ctx.eff.node(".".join(parts[1:]))) if len(parts) > 1 else plain(ctx.eff.root)
    release = {"Name": ctx.release_name, "Namespace": ctx.release_namespace, "Service": "Helm",
               "IsInstall": True, "IsUpgrade": False, "Revision": 1}
    chart_fields = {"Name": "headlamp", "Version": ctx.eff.release.version,
                    "AppVersion": ctx.eff.release.app_version}
    table = {"Release": release, "Chart": chart_fields}.get(parts[0])
    if table is not None and len(parts) == 2 and parts[1] in table:
        return table[parts[1]]
    raise _Unsupported(f"field {path} is not known without Helm")


def _include(ctx: Context, name: str) -> str:
    if name == "headlamp.name":
        return _helpers.name(ctx)
    if name == "headlamp.fullname":
        return _helpers.fullname(ctx)
    if name == "headlamp.namespace" and ctx.at_least("0.36.0"):
        return _helpers.namespace(ctx)
    if name == "headlamp.chart":
        return f"headlamp-{ctx.eff.release.version}".replace("+", "_")[:63].rstrip("-")
    if name == "headlamp.serviceAccountName":
        return _helpers.service_account_name(ctx)[0]
    selector = f"app.kubernetes.io/name: {_helpers.name(ctx)}\napp.kubernetes.io/instance: {ctx.release_name}"
    if name == "headlamp.selectorLabels":
        return selector
    if name == "headlamp.labels":
        return (f"helm.sh/chart: {_include(ctx, 'headlamp.chart')}\n{selector}\n"
                f'app.kubernetes.io/version: "{ctx.eff.release.app_version}"\napp.kubernetes.io/managed-by: Helm')
    raise _Unsupported(f"the chart {ctx.eff.release.version} has no named template {name!r}")


def _text(value: object) -> str:
    if isinstance(value, _Root):
        raise _Unsupported("the whole context `.` is not a string")
    return format_value(value)


def _call(ctx: Context, name: str, args: list[object]) -> object:
    def want(count: int) -> None:
        if len(args) != count:
            raise _Unsupported(f"{name} takes {count} argument(s), got {len(args)}")

    if name == "include":
        want(2)
        if not isinstance(args[1], _Root):
            raise _Unsupported("include is evaluated with `.` or `$` only")
        return _include(ctx, _text(args[0]))
    if name == "quote":
        return " ".join('"' + _text(a).replace("\\", "\\\\").replace('"', '\\"') + '"' for a in args if a is not None)
    if name == "squote":
        return " ".join("'" + _text(a) + "'" for a in args if a is not None)
    if name == "default":
        want(2)
        given = args[1]
        return given if given not in (None, "", 0, False, [], {}) else args[0]
    if name == "toString":
        want(1)
        return _text(args[0])
    if name == "toYaml":
        want(1)
        return _to_yaml(args[0]).rstrip("\n")
    if name in ("nindent", "indent"):
        want(2)
        pad = " " * _count(args[0])
        body = "\n".join(pad + line for line in _text(args[1]).split("\n"))
        return "\n" + body if name == "nindent" else body
    if name == "trunc":
        want(2)
        count = _count(args[0], allow_negative=True)
        text = _text(args[1])
        return text[:count] if count >= 0 else text[count:]
    if name in ("trimSuffix", "trimPrefix"):
        want(2)
        affix, text = _text(args[0]), _text(args[1])
        if name == "trimSuffix":
            return text[: -len(affix)] if affix and text.endswith(affix) else text
        return text[len(affix):] if affix and text.startswith(affix) else text
    if name in ("trim", "lower", "upper", "b64enc"):
        want(1)
        text = _text(args[0])
        return {"trim": text.strip, "lower": text.lower, "upper": text.upper,
                "b64enc": lambda: base64.b64encode(text.encode()).decode()}[name]()
    if name == "replace":
        want(3)
        return _text(args[2]).replace(_text(args[0]), _text(args[1]))
    if name == "required":
        want(2)
        if args[1] in (None, ""):
            raise _Unsupported(f"required value is missing: {_text(args[0])}")
        return args[1]
    if name == "printf":
        return _printf(args)
    raise _Unsupported(f"function {name} is not evaluated without Helm")


def _count(value: object, allow_negative: bool = False) -> int:
    """A small integer argument (indent widths, lengths); anything else is not evaluated."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise _Unsupported(f"{format_value(value)!r} is not an integer")
    if abs(value) > 10_000 or (value < 0 and not allow_negative):
        raise _Unsupported(f"{int(value)} is out of range")
    return int(value)


def _printf(args: list[object]) -> str:
    if not args:
        raise _Unsupported("printf needs a format")
    fmt, rest = _text(args[0]), list(args[1:])

    def one(match: re.Match) -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        if not rest:
            return f"%!{verb}(MISSING)"
        value = rest.pop(0)
        if verb == "q":
            return '"' + _text(value).replace('"', '\\"') + '"'
        if verb == "d" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(int(value))
        return _text(value)

    return re.sub(r"%([sdvq%])", one, fmt)


def _to_yaml(value: object, indent: int = 0) -> str:
    """Helm's ``toYaml`` for plain data: keys sorted, two-space indent, strings quoted where YAML needs it."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}\n"
        lines = []
        for key in sorted(value, key=str):
            item = value[key]
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{_scalar(key)}:\n{_to_yaml(item, indent + (2 if isinstance(item, dict) else 0))}")
            else:
                lines.append(f"{pad}{_scalar(key)}: {_to_yaml(item).rstrip()}\n")
        return "".join(lines)
    if isinstance(value, list):
        if not value:
            return "[]\n"
        lines = []
        for item in value:
            if isinstance(item, dict) and item:
                inner = _to_yaml(item, indent + 2)
                lines.append(f"{pad}- {inner[indent + 2:]}")
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-\n{_to_yaml(item, indent + 2)}")
            else:
                lines.append(f"{pad}- {_to_yaml(item).rstrip()}\n")
        return "".join(lines)
    return _scalar(value) + "\n"


def _scalar(value: object) -> str:
    from linter.yamlpos import resolve_plain

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) and not float(value).is_integer() else str(int(value))
    text = str(value)
    if text and resolve_plain(text) == text and not re.search(r"[:#{}\[\],&*!|>'\"%@`]|^[-?\s]|\s$", text):
        return text
    return json.dumps(text, ensure_ascii=False)
