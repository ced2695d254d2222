"""Suppressions: each comment form, annotations, values files, per-file-ignores and HL007."""

from __future__ import annotations

import json

from linter.diagnostics import Diagnostic, Severity
from linter.engine import Collector
from linter.located import Location, Origin, Span
from linter.model.objects import K8sObject, ObjectRef
from linter.settings import Settings
from linter.source import SourceFile
from linter.suppress import ANNOTATION, apply
from tests.cli import invoke

# Findings without suppressions (checked by test_base_findings):
# 5:1 HL411, 10:21 HL403 and HL404, 11:20 HL401.
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      securityContext:
        privileged: true{privileged}
        runAsUser: 0{user}
        runAsNonRoot: false
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        seccompProfile: {{type: RuntimeDefault}}
        capabilities: {{drop: [ALL]}}
      resources:
        limits: {{memory: 100Mi}}
        requests: {{cpu: 10m, memory: 100Mi}}
"""
# The image is pinned by digest (HL602) and the date fixed (HL607 reports old release data): only the
# findings under test remain.
NOW = "2026-11-29"
BASE = {(5, 1, "HL411"), (10, 21, "HL403"), (10, 21, "HL404"), (11, 20, "HL401")}


def pod(privileged: str = "", user: str = "") -> str:
    return POD.format(privileged=privileged, user=user)


def lint(tmp_path, files: dict[str, str], *args: str) -> tuple[set[tuple], dict]:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    paths = [str(tmp_path / name) for name in files]
    # HL302 (no serviceAccountName), HL501 (no NetworkPolicy) and the authentication/TLS rules (no OIDC: HL102)
    # would fire on every POD here; they are not what these tests are about.
    result = invoke(["check", "-f", "json", "--exit-zero", "--isolated", "--now", NOW, "--ignore", "HL1,HL2,HL302,HL501",
                     *args, *paths])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    found = set()
    for d in report["diagnostics"]:
        name = d["path"].rsplit("/", 1)[-1]
        item = (d["line"], d["column"], d["rule"]) if len(files) == 1 else (name, d["line"], d["column"], d["rule"])
        found.add(item)
    return found, report


def test_base_findings(tmp_path):
    assert lint(tmp_path, {"pod.yaml": pod()})[0] == BASE


def test_disable_at_end_of_line_by_id_and_name(tmp_path):
    text = pod(privileged="  # headlamp-lint: disable=HL403,privilege-escalation-allowed -- debug image")
    found, report = lint(tmp_path, {"pod.yaml": text})
    assert found == BASE - {(10, 21, "HL403"), (10, 21, "HL404")}
    assert report["suppressed"] == 2


def test_disable_alone_on_the_line_above_skips_other_comments(tmp_path):
    text = pod().replace(
        "        runAsUser: 0\n",
        "        # headlamp-lint: disable=run-as-root -- the image needs root for the port\n"
        "        # an ordinary comment between\n"
        "        runAsUser: 0\n",
    )
    found, _ = lint(tmp_path, {"pod.yaml": text})
    assert found == {(5, 1, "HL411"), (10, 21, "HL403"), (10, 21, "HL404")}


def test_disable_covers_only_its_line(tmp_path):
    text = pod(user="  # headlamp-lint: disable=HL403 -- wrong line")
    found, _ = lint(tmp_path, {"pod.yaml": text})
    assert found == BASE | {(11, 48, "HL007")}


def test_disable_next_line_at_end_of_line_and_alone(tmp_path):
    text = pod(privileged="  # headlamp-lint: disable-next-line=HL401 -- root for the port")
    found, _ = lint(tmp_path, {"pod.yaml": text})
    assert found == BASE - {(11, 20, "HL401")}
    text = pod().replace(
        "        privileged: true\n",
        "        # headlamp-lint: disable-next-line=HL403,HL404 -- debug image\n        privileged: true\n",
    )
    found, _ = lint(tmp_path, {"pod.yaml": text})
    assert found == {(5, 1, "HL411"), (12, 20, "HL401")}


def test_disable_file_in_first_comment_block(tmp_path):
    header = "# Headlamp for the lab cluster\n#\n# headlamp-lint: disable-file=HL401,HL411 -- lab only\n---\n"
    found, _ = lint(tmp_path, {"pod.yaml": header + pod()})
    assert found == {(14, 21, "HL403"), (14, 21, "HL404")}


def test_disable_file_after_content_is_ignored_and_reported(tmp_path):
    text = pod().replace("spec:\n", "spec:\n  # headlamp-lint: disable-file=HL401 -- too late\n")
    found, _ = lint(tmp_path, {"pod.yaml": text})
    assert found == {(5, 1, "HL411"), (6, 3, "HL007"), (11, 21, "HL403"), (11, 21, "HL404"), (12, 20, "HL401")}


def test_annotation_suppresses_findings_of_that_object_only(tmp_path):
    annotated = pod().replace(
        "  name: headlamp\n",
        "  name: headlamp\n  annotations:\n    headlamp-lint.io/ignore: \"HL403,privilege-escalation-allowed -- debug\"\n",
    )
    other = pod().replace("name: headlamp\nspec", "name: other\nspec")
    # The same object in another file (an overlay) keeps its findings.
    found, report = lint(tmp_path, {"a.yaml": annotated + "---\n" + other, "b.yaml": pod()})
    assert ("a.yaml", 12, 21, "HL403") not in found
    assert ("a.yaml", 12, 21, "HL404") not in found
    assert ("a.yaml", 13, 20, "HL401") in found
    assert ("a.yaml", 32, 21, "HL403") in found  # the second object, not annotated
    assert ("b.yaml", 10, 21, "HL403") in found
    assert not any(rule == "HL007" for *_, rule in found)
    assert report["suppressed"] == 2


def test_unused_and_unknown_annotation_entries_are_located_in_the_value(tmp_path):
    text = pod().replace(
        "  name: headlamp\n", "  name: headlamp\n  annotations:\n    headlamp-lint.io/ignore: \"HL403,HL412,HL99 -- x\"\n"
    )
    found, report = lint(tmp_path, {"pod.yaml": text})
    hl007 = {(line, col) for line, col, rule in found if rule == "HL007"}
    assert hl007 == {(6, 37), (6, 43)}  # HL412 did not fire; HL99 is no rule
    messages = [d["message"] for d in report["diagnostics"] if d["rule"] == "HL007"]
    assert any("unknown rule 'HL99'" in m for m in messages)
    assert any("no HL412 finding in Pod default/headlamp" in m for m in messages)


def test_unused_unknown_and_missing_reason_are_reported(tmp_path):
    text = pod(
        privileged="  # headlamp-lint: disable=HL403,HL404,HL405",  # HL405 unused, no reason
        user="  # headlamp-lint: disable=run-as-rooot -- typo",
    )
    found, report = lint(tmp_path, {"pod.yaml": text})
    assert found == {
        (5, 1, "HL411"),
        (10, 27, "HL007"),  # no reason (at the '#')
        (10, 64, "HL007"),  # HL405 unused
        (11, 20, "HL401"),
        (11, 48, "HL007"),  # unknown rule
    }
    unknown = [d for d in report["diagnostics"] if d["line"] == 11 and d["rule"] == "HL007"][0]
    assert "did you mean run-as-root?" in unknown["message"]


def test_reason_can_be_optional(tmp_path):
    (tmp_path / "cfg").mkdir()
    config = tmp_path / "cfg" / "c.yaml"
    config.write_text("suppressions:\n  require-reason: false\n")
    text = pod(privileged="  # headlamp-lint: disable=HL403,HL404")
    for name, value in {"pod.yaml": text}.items():
        (tmp_path / name).write_text(value)
    result = invoke(["check", "-f", "json", "--exit-zero", "--now", NOW, "--ignore", "HL1,HL2,HL302,HL501",
                     "--config", str(config), str(tmp_path / "pod.yaml")])
    rules = {(d["line"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"]}
    assert rules == {(5, "HL411"), (11, "HL401")}


def test_suppression_of_a_rule_not_selected_is_not_unused(tmp_path):
    text = pod(privileged="  # headlamp-lint: disable=HL403,HL404 -- debug image")
    found, _ = lint(tmp_path, {"pod.yaml": text}, "--select", "HL401,HL007")
    assert found == {(11, 20, "HL401")}
    found, _ = lint(tmp_path, {"pod.yaml": text}, "--ignore", "HL404")
    assert found == {(5, 1, "HL411"), (11, 20, "HL401")}


def test_hl007_itself_can_be_ignored_or_suppressed(tmp_path):
    text = pod(privileged="  # headlamp-lint: disable=HL403,HL404,HL405 -- debug image")
    found, _ = lint(tmp_path, {"pod.yaml": text}, "--ignore", "HL007")
    assert found == {(5, 1, "HL411"), (11, 20, "HL401")}
    text = "# headlamp-lint: disable-file=HL007 -- generated file, stale suppressions are expected\n" + text
    found, _ = lint(tmp_path, {"pod.yaml": text})
    assert found == {(6, 1, "HL411"), (12, 20, "HL401")}


def test_comment_like_text_inside_a_value_is_not_a_directive(tmp_path):
    text = pod().replace("  name: headlamp\n", "  name: headlamp\n  labels: {team: 'a#headlamp-lint: disable=HL401'}\n")
    found, _ = lint(tmp_path, {"pod.yaml": text})
    assert found == {(line + 1, col, rule) for line, col, rule in BASE}


# --- values files: the stage alone, as the values builder will feed it ---------------------

VALUES = """\
# headlamp-lint: disable=HL401 -- chart default runAsUser is fine for us
replicaCount: 1
podAnnotations:
  headlamp-lint.io/ignore: "HL403 -- would be an escape hatch"
securityContext:
  privileged: true  # headlamp-lint: disable=privileged-container -- debug build
  capabilities: {}
"""
REF = ObjectRef("Deployment", "default", "headlamp")


def _diag(rule: str, name: str, line: int, column: int, key: str) -> Diagnostic:
    return Diagnostic(rule, name, Severity.ERROR, f"{rule} finding", Location("values.yaml", Span.point(line, column)), REF, key)


def _values_object(settings_origin: Origin = Origin.VALUES) -> K8sObject:
    return K8sObject(
        api_version="apps/v1",
        kind="Deployment",
        name="headlamp",
        namespace="default",
        labels={},
        annotations={ANNOTATION: "HL405 -- would be an escape hatch"},
        path="values.yaml",
        location=Location("values.yaml", Span.point(3, 1)),
        origin=settings_origin,
    )


def _run_values(settings: Settings):
    source = SourceFile.from_text("values.yaml", VALUES)
    diagnostics = [
        _diag("HL401", "run-as-root", 1, 1, "securityContext.runAsUser"),  # chart default: line 1
        _diag("HL403", "privileged-container", 6, 15, "securityContext.privileged"),
        _diag("HL405", "capabilities-not-dropped", 7, 3, "securityContext.capabilities.drop"),
    ]
    return apply(diagnostics, [source], [_values_object()], settings, Collector(settings).make)


def test_values_line_1_suppression_covers_chart_default_findings_and_key_comments_work():
    result = _run_values(Settings())
    assert [(d.rule_id, d.line) for d in result.diagnostics] == [("HL405", 7)]
    assert result.suppressed == 2


def test_values_pod_annotations_do_not_suppress_unless_configured():
    result = _run_values(Settings(values_annotation_suppressions=True))
    assert [(d.rule_id, d.line) for d in result.diagnostics] == []
    assert result.suppressed == 3


def test_values_line_1_comment_followed_by_a_key_covers_that_key_too():
    source = SourceFile.from_text("values.yaml", "# headlamp-lint: disable=HL403 -- debug\nprivileged: true\n")
    diagnostics = [_diag("HL403", "privileged-container", 2, 13, "securityContext.privileged")]
    result = apply(diagnostics, [source], [], Settings(), Collector(Settings()).make)
    assert result.diagnostics == [] and result.suppressed == 1


def test_per_file_ignores_drop_findings_and_never_count_as_unused(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".headlamp-lint.yaml").write_text("per-file-ignores:\n  'legacy/*.yaml': [HL4]\n")
    (tmp_path / "legacy").mkdir()
    text = pod(privileged="  # headlamp-lint: disable=HL403 -- kept for when the ignore goes")
    (tmp_path / "legacy" / "pod.yaml").write_text(text)
    (tmp_path / "pod.yaml").write_text(pod())
    from tests.conftest import run_cli

    out = run_cli("check", "-f", "json", "--exit-zero", "--now", NOW, "--ignore", "HL1,HL2,HL302,HL501", ".",
                  cwd=tmp_path).stdout
    found = {(d["path"], d["rule"]) for d in json.loads(out)["diagnostics"]}
    assert found == {("pod.yaml", r) for r in ("HL401", "HL403", "HL404", "HL411")}


def test_suppressions_in_a_skipped_template_are_not_unused_but_still_checked(tmp_path):
    template = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: headlamp\n"
        "          securityContext:  # headlamp-lint: disable=HL405 -- for the rendered output\n"
        "            runAsUser: 0  # headlamp-lint: disable=HL40 -- a prefix is no rule\n"
    )
    found, _ = lint(tmp_path, {"deployment.yaml": template})
    assert found == {(4, 1, "HL005"), (11, 52, "HL007")}
