"""Positioned loading: positions, YAML features, limits and hostile constructs."""

from __future__ import annotations

import random

from linter.located import Span
from linter.yamlpos import MapNode, ScalarNode, SeqNode, load, walk
from tests.conftest import FIXTURES


def root(text: str):
    result = load(text)
    assert not result.problems
    return result.documents[0]


def test_positions_are_one_based_with_exclusive_end():
    doc = root("a: 1\nb:\n  - xyz\n")
    a_key, a_val = doc.root.entries[0]
    assert a_key.span == Span(1, 1, 1, 2)
    assert a_val.span == Span(1, 4, 1, 5)
    item = doc.root.get("b").items[0]
    assert item.span == Span(3, 5, 3, 8)


def test_multi_document_and_crlf_and_bom():
    from linter.source import decode

    text = decode(b"\xef\xbb\xbfa: 1\r\n---\r\nb: 2\r\n", "x")
    result = load(text)
    assert [d.root.entries[0][0].value for d in result.documents] == ["a", "b"]
    assert result.documents[1].root.entries[0][1].span == Span(3, 4, 3, 5)


def test_json_documents():
    doc = root('{"apiVersion": "v1", "kind": "Pod",\n "metadata": {"name": "x"}}')
    assert doc.root.get("metadata").get("name").span == Span(2, 23, 2, 26)


def test_anchors_aliases_share_nodes_and_merge_keys():
    doc = root("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    other = doc.root.get("other")
    assert other.get("x").value == 1
    assert other.get("y").value == 3
    assert doc.root.get("base").get("x") is other.get("x")


def test_yaml_11_scalars_like_kubernetes():
    doc = root("a: yes\nb: off\nc: '1'\nd: 0o17\ne: ~\nf: 1.5\ng: 0x1F\n")
    values = {k.value: v.value for k, v in doc.root.entries}
    assert values == {"a": True, "b": False, "c": "1", "d": 15, "e": None, "f": 1.5, "g": 31}


def test_duplicate_keys_are_reported_at_the_second_key():
    result = load("a: 1\nb: 2\na: 3\n")
    problems = result.documents[0].problems
    assert [(p.rule, p.span.line, p.span.column) for p in problems] == [("HL004", 3, 1)]


def test_syntax_error_keeps_earlier_documents():
    result = load("a: 1\n---\nb: [1\n---\nc: 3\n")
    assert result.documents[0].root.get("a").value == 1
    assert any(p.rule == "HL001" for d in result.documents for p in d.problems)


def test_alias_bomb_is_bounded_and_reported():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    result = load("\n".join(lines) + "\n")
    doc = result.documents[0]
    assert any("excessive aliasing" in p.message for p in doc.problems)


def test_deep_nesting_is_a_located_error_not_a_recursion_error():
    result = load("a: " + "[" * 10000 + "]" * 10000 + "\n")
    problems = result.documents[0].problems
    assert problems and "nesting deeper" in problems[0].message
    assert problems[0].span.line == 1


def test_python_tags_are_reported_never_constructed():
    result = load("x: !!python/object/apply:os.system ['echo pwned']\n")
    doc = result.documents[0]
    assert any("!!python/object/apply:os.system" in p.message for p in doc.problems)
    assert isinstance(doc.root.get("x"), SeqNode)


def test_walk_visits_shared_nodes_once():
    doc = root("a: &x {b: 1}\nc: *x\n")
    assert sum(1 for n in walk(doc.root) if isinstance(n, MapNode)) == 2
