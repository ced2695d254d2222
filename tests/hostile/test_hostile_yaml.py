"""Issue item 1: hostile YAML. One case per kind of input, each linted by the CLI
beside a good file, with exit code, located messages, bounds and the good
file's findings checked (``harness.assert_guarantees``). Large inputs are
generated here, not stored.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.hostile.harness import check_hostile, located

PRIVILEGED_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostUsers: false
  containers:
  - name: headlamp
    image: ghcr.io/headlamp-k8s/headlamp:v0.30.0
    securityContext:
      privileged: true
"""
# Where HL403 blames ``privileged: true`` in PRIVILEGED_POD.
PRIVILEGED_AT = (11, 19, "HL403")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def only(diags, rule):
    return [d for d in diags if d.rule == rule]


# --- aliases ---------------------------------------------------------------


def test_billion_laughs_is_reported_at_the_alias_not_expanded(tmp_path):
    # Nine levels of ten aliases each: 10**9 nodes if expanded.
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n---\n" + PRIVILEGED_POD)
    diags = check_hostile(path)
    bomb = only(diags, "HL001")
    assert len(bomb) == 1 and "excessive aliasing" in bomb[0].message
    # a4 (line 5) is 111,111 nodes and the document ~123,000 before line 6; the eighth
    # *a4 on line 6 (column 10 + 7 * len("*a4, ")) passes 1,000,000: blamed there.
    assert (bomb[0].line, bomb[0].column) == (6, 45)
    # The next document (from line 11) is still read.
    assert (10 + 11, 19, "HL403") in located(diags)


def test_many_aliases_of_one_big_anchor_are_bounded(tmp_path):
    big = "big: &big [" + ", ".join(["x"] * 20_000) + "]\n"
    refs = "refs:\n" + "".join(f"- *big\n" for _ in range(100))
    path = write(tmp_path, "wide.yaml", big + refs)
    diags = check_hostile(path)
    # Each *big is 20,001 nodes: the 49th (line 3 + 48) passes 1,000,000.
    assert [(d.line, d.column, d.rule) for d in only(diags, "HL001")] == [(51, 3, "HL001")]


# --- nesting ---------------------------------------------------------------

DEEP = {
    "flow_sequences": "[" * 10_000 + "]" * 10_000,
    "flow_mappings": "{a: " * 10_000 + "1" + "}" * 10_000,
    "block_sequences": "- " * 10_000 + "x",
    "unclosed_flow": "[" * 1_000_000,  # libyaml is quadratic in flow depth: must not be scanned on
}
DEPTH_COLUMN = {"flow_sequences": 201, "flow_mappings": 801, "block_sequences": 401, "unclosed_flow": 201}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_ten_thousand_levels_of_nesting_is_a_located_error(tmp_path, shape):
    path = write(tmp_path, f"{shape}.yaml", DEEP[shape] + "\n---\n" + PRIVILEGED_POD)
    diags = check_hostile(path)
    deep = only(diags, "HL001")
    assert [(d.line, d.column) for d in deep] == [(1, DEPTH_COLUMN[shape])]
    assert "nesting deeper than 200 levels" in deep[0].message
    assert (2 + 11, 19, "HL403") in located(diags)  # the document after it is linted


# --- size ------------------------------------------------------------------


def test_very_long_lines_and_keys(tmp_path):
    long_value = "x" * 3_000_000
    long_key = "k" * 1_000_000
    text = PRIVILEGED_POD.replace(
        "metadata:\n  name: p\n",
        f"metadata:\n  name: p\n  annotations:\n    note: {long_value}\n  labels:\n    ? {long_key}\n    : v\n",
    )
    path = write(tmp_path, "long.yaml", text)
    diags = check_hostile(path)
    assert not only(diags, "HL001")
    assert (11 + 5, 19, "HL403") in located(diags)


def test_implicit_key_over_yaml_limit_is_a_located_error(tmp_path):
    # YAML allows at most 1024 characters in an implicit (``key:``) key.
    text = PRIVILEGED_POD.replace("  name: p\n", "  name: p\n  labels:\n    " + "k" * 1_000_000 + ": v\n")
    diags = check_hostile(write(tmp_path, "longkey.yaml", text))
    assert [(d.line, d.column, d.rule) for d in diags] == [(6, 1_000_005, "HL001")]


def test_findings_on_one_huge_line_keep_the_report_small(tmp_path):
    # Minified JSON: a megabyte on one line with a finding at its end.
    import json

    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "annotations": {"note": "x" * 1_000_000}},
        "spec": {
            "hostUsers": False,
            "containers": [
                {"name": "headlamp", "image": "ghcr.io/headlamp-k8s/headlamp", "securityContext": {"privileged": True}}
            ],
        },
    }
    text = json.dumps(pod)
    path = write(tmp_path, "minified.json", text)
    from tests.hostile.harness import GOOD_DISPLAY, assert_guarantees, lint

    run = lint("-f", "full", "--color", "never", str(path), GOOD_DISPLAY)
    assert_guarantees_full = run.returncode == 1 and "Traceback" not in run.stderr
    assert assert_guarantees_full, run.stderr
    column = text.index('"privileged": true') + len('"privileged": ') + 1
    assert f"{path.as_posix()}:1:{column}: error:" in run.stdout
    assert len(run.stdout) < 20_000  # windows of the line, not the megabyte per finding
    concise = lint("-f", "concise", str(path), GOOD_DISPLAY)
    assert_guarantees(concise)


@pytest.mark.parametrize("unit", ["- a\n", "k: v\n"], ids=["list", "duplicates"])
def test_dense_file_stops_at_the_node_budget(tmp_path, unit):
    # 2 MiB of two-byte nodes: over a million nodes (and for ``k: v``, a
    # duplicate key each) if read whole; the read stops at MAX_FILE_NODES.
    from linter.yamlpos import MAX_FILE_NODES

    text = unit * (2 * 1024 * 1024 // len(unit))
    # The budget's worth of work is fixed (200,000 nodes, 100,000 findings): ~2 CPU-seconds
    # on an idle machine, measured up to 7 on a loaded one; allowed three files' worth.
    diags = check_hostile(write(tmp_path, "dense.yaml", text), hostile_files=3)
    budget = [d for d in only(diags, "HL001")]
    assert len(budget) == 1 and f"over {MAX_FILE_NODES} YAML nodes" in budget[0].message
    assert budget[0].line < text.count("\n")  # it stopped inside the file
    assert len(diags) <= MAX_FILE_NODES // 2 + 1


def test_file_over_max_file_size_is_reported_and_skipped(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024 + 1)  # sparse: nothing is written, and nothing must be read
    diags = check_hostile(path)
    assert [(d.line, d.column, d.rule) for d in diags] == [(1, 1, "HL001")]
    assert "over the limit of 10485760 (--max-file-size); skipped" in diags[0].message


def test_max_file_size_option(tmp_path):
    text = PRIVILEGED_POD + "#" * 20_000 + "\n"  # bigger than GOOD, which must stay under the limit
    path = write(tmp_path, "pod.yaml", text)
    diags = check_hostile(path, "--max-file-size", "20000")
    assert [(d.line, d.rule) for d in diags] == [(1, "HL001")]
    assert f"file is {len(text)} bytes, over the limit of 20000" in diags[0].message
    assert PRIVILEGED_AT in located(check_hostile(path, "--max-file-size", str(len(text))))


def test_stdin_over_max_file_size(tmp_path):
    from tests.hostile.harness import GOOD_DISPLAY, assert_guarantees, lint

    run = lint("-f", "concise", "--max-file-size", "1000", "-", GOOD_DISPLAY, stdin=b"a: b\n" * 100_000)
    assert_guarantees(run)
    assert [(d.line, d.rule) for d in run.of("-")] == [(1, "HL001")]


# --- encodings and bytes ---------------------------------------------------


def test_binary_file(tmp_path):
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    diags = check_hostile(write(tmp_path, "image.yaml", data))
    assert [(d.line, d.column, d.rule) for d in diags] == [(3, 1, "HL001")]  # the NUL after two \n
    assert "binary file (NUL byte)" in diags[0].message


def test_nul_byte_is_located(tmp_path):
    data = PRIVILEGED_POD.replace("name: p", "name: p\x00").encode()
    diags = check_hostile(write(tmp_path, "nul.yaml", data))
    assert [(d.line, d.column, d.rule) for d in diags] == [(4, 1, "HL001")]


def test_invalid_utf8_is_located(tmp_path):
    data = PRIVILEGED_POD.encode().replace(b"name: p", b"name: p\xff\xfe")
    diags = check_hostile(write(tmp_path, "latin.yaml", data))
    assert [(d.line, d.column, d.rule) for d in diags] == [(4, 1, "HL001")]
    assert "invalid UTF-8" in diags[0].message


@pytest.mark.parametrize(
    "bom,codec",
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF8, "utf-8")],
    ids=["utf16le", "utf16be", "utf8"],
)
def test_byte_order_marks_are_decoded_and_linted(tmp_path, bom, codec):
    data = bom + PRIVILEGED_POD.encode(codec)
    assert PRIVILEGED_AT in located(check_hostile(write(tmp_path, "bom.yaml", data)))


def test_broken_utf16_is_reported(tmp_path):
    data = codecs.BOM_UTF16_LE + PRIVILEGED_POD.encode("utf-16-le") + b"\x00"  # odd length
    diags = check_hostile(write(tmp_path, "odd.yaml", data))
    assert [(d.line, d.rule) for d in diags] == [(1, "HL001")] and "invalid UTF-16" in diags[0].message


def test_tabs_in_indentation(tmp_path):
    text = PRIVILEGED_POD.replace("  name: p", "\tname: p")
    diags = check_hostile(write(tmp_path, "tabs.yaml", text))
    assert [(d.line, d.column, d.rule) for d in diags] == [(4, 1, "HL001")]
    assert "YAML syntax error" in diags[0].message


# --- tags ------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!<tag:yaml.org,2002:python/object/apply:os.system>",
        "!!python/name:os.system",
    ],
)
def test_python_tags_are_reported_never_constructed(tmp_path, tag):
    marker = tmp_path / "pwned"
    text = PRIVILEGED_POD.replace("name: p\n", f"name: p\n  labels: {tag} [touch {marker}]\n")
    diags = check_hostile(write(tmp_path, "python.yaml", text))
    tags = only(diags, "HL001")
    assert [(d.line, d.column) for d in tags] == [(5, 11)]
    assert "never constructed" in tags[0].message and "python/" in tags[0].message
    assert (12, 19, "HL403") in located(diags)  # the rest of the object is linted
    assert not marker.exists()


def test_unknown_tags_are_reported_once_each(tmp_path):
    text = PRIVILEGED_POD.replace("kind: Pod", "kind: !custom Pod").replace("privileged: true", "privileged: !flag true")
    diags = check_hostile(write(tmp_path, "tags.yaml", text))
    assert located(only(diags, "HL001")) == {(2, 7, "HL001"), (11, 19, "HL001")}


# --- keys and merges -------------------------------------------------------


def test_non_string_keys(tmp_path):
    text = PRIVILEGED_POD + "1: one\ntrue: yes\n~: nothing\n3.5: x\n[a, b]: list\n{a: 1}: map\n? [c]\n: d\n"
    diags = check_hostile(write(tmp_path, "keys.yaml", text))
    complex_keys = only(diags, "HL001")
    assert [(d.line, d.column) for d in complex_keys] == [(16, 1), (17, 1), (18, 3)]
    assert all("complex (non-scalar) mapping key" in d.message for d in complex_keys)
    assert PRIVILEGED_AT in located(diags)


def test_merge_key_cycles_and_self_references(tmp_path):
    text = (
        "cycle: &a\n  <<: *a\n  x: 1\n"  # line 2: *a is not defined yet (a collection anchors at its end)
        "self: &s [*s]\n"  # line 4
        "scalar_merge:\n  <<: 5\n"  # line 6
        "---\n" + PRIVILEGED_POD.replace("spec:\n", "spec: &spec\n  <<: *spec\n")
    )
    diags = check_hostile(write(tmp_path, "merges.yaml", text))
    assert sorted((d.line, d.column, d.message) for d in only(diags, "HL001")) == [
        (2, 7, "unknown alias *a"),
        (4, 11, "unknown alias *s"),
        (6, 7, "merge key (<<) value is not a mapping"),
        (7 + 6, 7, "unknown alias *spec"),  # the pod starts on line 8
    ]
    assert (7 + 12, 19, "HL403") in located(diags)


def test_documents_that_are_not_objects(tmp_path):
    text = "just a scalar\n---\n- a\n- list\n---\n42\n---\n" + PRIVILEGED_POD
    diags = check_hostile(write(tmp_path, "docs.yaml", text))
    assert [(d.line, d.column, d.message) for d in only(diags, "HL010")] == [
        (1, 1, "document 1 is a scalar, not a Kubernetes object; it is not linted"),
        (3, 1, "document 2 is a list, not a Kubernetes object; it is not linted"),
        (6, 1, "document 3 is a scalar, not a Kubernetes object; it is not linted"),
    ]
    assert (7 + 11, 19, "HL403") in located(diags)
