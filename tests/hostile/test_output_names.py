"""File names and texts that would break or forge a report: non-UTF-8 names, names that forge a concise
location, U+2028/U+2029, @mentions and links in Markdown, and plaintext secrets (HL103) — in every format."""

from __future__ import annotations

import json
import os
import re
from importlib.resources import files
from pathlib import Path

import pytest

from linter.baseline import write_baseline
from linter.reporters import REPORTERS
from tests.cli import invoke
from tests.conftest import FIXTURES

INSECURE = (FIXTURES.parent / "examples" / "headlamp-insecure.yaml") if (
    FIXTURES.parent / "examples" / "headlamp-insecure.yaml").exists() else None
MANIFEST = """apiVersion: v1
kind: Pod
metadata: {name: headlamp}
spec:
  containers:
    - name: "line\\u2028separator\\u2029paragraph @octocat https://evil.example www.evil.example"
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
      args: ["-in-cluster", "-oidc-client-id=hl", "-oidc-idp-issuer-url=https://idp", "-oidc-client-secret=SuperSecret123"]
      env:
        - name: HEADLAMP_CONFIG_OIDC_CLIENT_SECRET
          value: "AnotherSecret99"
      securityContext: {privileged: true}
"""
FORGED = "a.yaml:99:1: error: forged [HL401]"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkdir(b"in")
    for name in (b"in/bad\xff\xfe.yaml", FORGED.encode() + b".yaml", b"in/plain.yaml"):
        with open(name if name.startswith(b"in/") else b"in/" + name, "wb") as handle:
            handle.write(MANIFEST.encode("utf-8"))
    return tmp_path


def _report(fmt: str) -> str:
    result = invoke(["check", "-f", fmt, "--exit-zero", "in"])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    result.stdout.encode("utf-8")  # writable as UTF-8: no lone surrogate left
    return result.stdout


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_non_utf8_names_are_reported_escaped_in_every_format(folder, fmt):
    report = _report(fmt)
    shown = report if fmt not in ("json", "sarif", "gitlab", "markdown") else report.replace("\\\\", "\\")
    assert ("bad%5Cxff%5Cxfe.yaml" if fmt == "sarif" else "bad\\xff\\xfe.yaml") in shown


def test_non_utf8_names_in_the_baseline(folder):
    from linter.engine import lint_paths
    from linter.settings import Settings

    result = lint_paths(["in"], Settings())
    count = write_baseline(Path("baseline.json"), result.diagnostics)
    assert count and "bad\\\\xff\\\\xfe.yaml" in Path("baseline.json").read_text(encoding="utf-8")
    again = invoke(["check", "--baseline", "baseline.json", "-f", "concise", "in"])
    assert again.exit_code == 0 and again.stdout == ""


def _matchers() -> list[re.Pattern]:
    out = []
    for kind in ("github", "vscode"):
        data = json.loads(files("linter.data").joinpath(f"problem-matcher-{kind}.json").read_text("utf-8"))
        for matcher in data.get("problemMatcher", [data]):
            patterns = matcher["pattern"] if isinstance(matcher["pattern"], list) else [matcher["pattern"]]
            out.extend((re.compile(p["regexp"]), p) for p in patterns)
    return out


def test_a_file_name_cannot_forge_a_location_for_either_matcher(folder):
    report = _report("concise")
    forged = [line for line in report.splitlines() if "forged" in line]
    assert forged
    for line in forged:
        assert line.startswith("in/a.yaml\\x3a99\\x3a1: error: forged [HL401].yaml:")
        hits = [(m.match(line), p) for m, p in _matchers()]
        hits = [(m, p) for m, p in hits if m]
        assert hits, line
        for match, pattern in hits:
            assert match.group(pattern["file"]) == "in/a.yaml\\x3a99\\x3a1: error: forged [HL401].yaml"
            assert match.group(pattern["line"]) != "99"


def test_matchers_still_read_ordinary_and_windows_lines():
    for line, path in [("deploy/h.yaml:12:25: error: m [HL403]", "deploy/h.yaml"),
                       ("C:\\work\\h.yaml:3:1: warning: key: value [HL405]", "C:\\work\\h.yaml"),
                       ("D:/a b/c:d.yaml:7:11: info: note:: 1:2:3 [HL411]", "D:/a b/c:d.yaml")]:
        found = [m.match(line) for m, _ in _matchers()]
        assert any(m and m.group(1) == path for m in found), line


@pytest.mark.parametrize("fmt", ["full", "concise", "github", "html", "markdown", "json", "sarif", "gitlab", "junit"])
def test_line_and_paragraph_separators_never_appear_raw(folder, fmt):
    report = _report(fmt)
    assert "\u2028" not in report and "\u2029" not in report
    if fmt in ("full", "concise", "github", "html", "json", "sarif", "gitlab", "junit"):
        assert "\\u2028" in report.replace("\\\\u2028", "\\u2028")


def test_markdown_neutralises_mentions_and_bare_links(folder):
    report = _report("markdown")
    assert "@&#8203;octocat" in report and "@octocat" not in report
    assert "https&#8203;://evil.example" in report and "https://evil.example" not in report
    assert "www&#8203;.evil.example" in report


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_plaintext_oidc_secrets_are_masked_in_every_format(folder, fmt):
    report = _report(fmt)
    assert "HL103" in report or "oidc-client-secret-in-plaintext" in report
    assert "SuperSecret123" not in report and "AnotherSecret99" not in report
    if fmt in ("full", "concise", "json"):
        assert "S…3 (14 characters)" in report
