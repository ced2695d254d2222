"""SourceFile: lines as YAML counts them, text kept compressed and decompressed once per pass over a file."""

from __future__ import annotations

import pickle
import zlib

import pytest

from linter.source import SourceFile


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", []),
        ("a", ["a"]),
        ("a\n", ["a"]),
        ("a\n\n", ["a", ""]),
        ("a\nb", ["a", "b"]),
        ("\n", [""]),
        # Only LF ends a line (as git and grep -n count): NEL, U+2028, U+2029 and a lone CR do not.
        ("a\x85b\u2028c\u2029d\re\n", ["a\x85b\u2028c\u2029d\re"]),
        ("ünï\ncödé\n", ["ünï", "cödé"]),
    ],
)
def test_lines_split_as_git_counts_them(text, lines):
    source = SourceFile.from_text("f.yaml", text)
    assert source.text == text
    assert source.all_lines() == lines
    assert source.line_count == len(lines)
    assert [source.line(n) for n in range(0, len(lines) + 2)] == [""] + lines + [""]


def test_text_is_kept_compressed_and_survives_pickling():
    text = "".join(f"- name: item-{n}\n  image: example.org/app:1.{n}\n" for n in range(5000))
    source = SourceFile.from_text("big.yaml", text, digest="abc", crlf=True)
    assert len(pickle.dumps(source)) < len(text) // 5
    copy = pickle.loads(pickle.dumps(source))
    assert copy == source
    assert (copy.text, copy.display, copy.digest, copy.crlf, copy.line(3)) == (text, "big.yaml", "abc", True, "- name: item-1")


def test_lone_surrogates_survive():
    text = "key: \udc80\n"
    assert pickle.loads(pickle.dumps(SourceFile.from_text("f.yaml", text))).text == text


def test_a_pass_over_files_decompresses_each_file_once(monkeypatch):
    sources = [SourceFile.from_text(f"f{n}.yaml", "".join(f"k{i}: v\n" for i in range(500))) for n in range(5)]
    copies = pickle.loads(pickle.dumps(sources))  # new objects: nothing of them is decompressed yet
    calls: list[int] = []
    real = zlib.decompress

    def counted(data: bytes, *args) -> bytes:
        calls.append(len(data))
        return real(data, *args)

    monkeypatch.setattr(zlib, "decompress", counted)
    for _ in range(2):  # a reporter, then another
        for source in copies:
            assert [source.line(n) for n in range(1, source.line_count + 1)] == source.all_lines()
            assert "k499: v" in source.text
    assert len(calls) == 2 * len(copies)


def test_lone_cr_is_kept_and_crlf_reads_as_lf():
    from linter.source import decode

    assert decode(b"a: 1\r\nb: 2\rc: 3\n", "f") == "a: 1\nb: 2\rc: 3\n"


def test_yaml_positions_use_the_same_lines():
    from linter.yamlpos import load

    text = "# note\u2028\nx: \"a\u2028b\"\ny: 1\nz: \x85\n"
    root = load(text).documents[0].root
    assert [(k.raw, k.span.line, k.span.column, v.span.line, v.span.column) for k, v in root.entries] == [
        ("x", 2, 1, 2, 4), ("y", 3, 1, 3, 4), ("z", 4, 1, 4, 3)]
