"""How Helm prints a value into a template, and how the printed text reads back as YAML.

Not a chart template: Go's ``text/template`` prints ``{{ .Values.x }}`` with
``fmt``'s ``%v``. Helm reads values through JSON, so every number is a
float64 and ``%v`` formats it like ``strconv.FormatFloat(f, 'g', -1, 64)``:
the shortest digits, in exponent form when the decimal exponent is below -4
or at least 6 (``2000000`` prints ``2e+06``, ``31536000`` prints
``3.1536e+07``, ``0.00001`` prints ``1e-05``). A missing value prints
nothing (Helm removes ``<no value>``), a list ``[a b]``, a map ``map[k:v]``.

Where the chart writes such a value unquoted (``hostUsers: {{ .Values.hostUsers }}``)
the printed text is read again as YAML: the string ``"false"`` becomes the
boolean ``false``, a list becomes one malformed string. ``reread`` does that.
"""

from __future__ import annotations

import math
from decimal import Decimal

from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode, load, walk


def format_float(number: float) -> str:
    """Go's ``strconv.FormatFloat(number, 'g', -1, 64)``, which ``%v`` uses for a float64."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "+Inf" if number > 0 else "-Inf"
    if number == 0:
        return "-0" if math.copysign(1.0, number) < 0 else "0"
    sign, digits_tuple, exponent = Decimal(repr(number)).normalize().as_tuple()
    digits = "".join(map(str, digits_tuple))
    point = len(digits) + int(exponent)  # position of the decimal point in the digit string
    minus = "-" if sign else ""
    decimal_exponent = point - 1
    if decimal_exponent < -4 or decimal_exponent >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        sign_char = "-" if decimal_exponent < 0 else "+"
        return f"{minus}{mantissa}e{sign_char}{abs(decimal_exponent):02d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{minus}{digits}{'0' * (point - len(digits))}"
    return f"{minus}{digits[:point]}.{digits[point:]}"


def format_value(value: object, nested: bool = False) -> str:
    """``%v`` of a Helm value (plain data: str, bool, int, float, None, list, dict)."""
    if value is None:
        return "<nil>" if nested else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        try:
            return format_float(float(value))
        except OverflowError:  # beyond float64: Helm's JSON decoding fails on it too
            return str(value)
    if isinstance(value, list):
        return "[" + " ".join(format_value(item, True) for item in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{format_value(value[k], True)}" for k in sorted(value, key=str)) + "]"
    return str(value)


def plain(node: Node | None) -> object:
    """The plain data of a values node."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [plain(item) for item in node.items]
    return {k.text: plain(v) for k, v in node.entries}


def node_text(node: Node | None) -> str:
    """``{{ node }}`` as Helm prints it."""
    return format_value(plain(node))


def reread(text: str, like: Node) -> Node:
    """``text`` printed unquoted after ``key: ``, read back as YAML, every node located at ``like``.

    Text that does not read as one YAML value stays the string it is.
    """
    loaded = load(f"x: {text}\n") if "\n" not in text else None
    root = loaded.documents[0].root if loaded and loaded.documents and not loaded.problems else None
    value = root.get("x") if isinstance(root, MapNode) and not loaded.documents[0].problems else None
    if value is None:
        return ScalarNode(text, like.span, text, quoted=True, source=like.source)
    for node in walk(value):
        node.span = like.span
        node.source = like.source
    return value
