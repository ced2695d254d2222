"""`headlamp-lint harden-values`: lints clean for every supported chart, knows its range, matches Helm's renders."""

from __future__ import annotations

import json

import pytest

from linter.harden import BROKEN_CHARTS, MIN_CHART, UnsupportedChart, harden_values, supported_versions
from linter.values import chart
from linter.values.chart import version_key
from linter.yamlpos import MapNode, ScalarNode, SeqNode, load
from tests.cli import invoke
from tests.conftest import run_cli, shared_path

# "Lints clean": none of these fire. HL6xx (update management) may: an older chart runs an older
# Headlamp (HL603), and the image is pinned by tag, not digest (HL602): that is the user's call.
MUST_NOT_FIRE = ("HL0", "HL1", "HL2", "HL3", "HL4", "HL5")


def lint_json(path, *args: str) -> list[dict]:
    result = invoke(["check", "-f", "json", "--exit-zero", *args, str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


@pytest.mark.parametrize("version", supported_versions())
def test_output_lints_clean_for_every_supported_chart(version, tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text(harden_values(version))
    fired = {(d["rule"], d["message"]) for d in lint_json(path, "--chart-version", version)}
    assert not {f for f in fired if f[0].startswith(MUST_NOT_FIRE)}, fired
    # And the same with the file's own chart version detection out of the way: no unknown keys, no type errors.
    assert not {f for f in fired if f[0] in ("HL002", "HL003")}


def test_the_supported_range_is_explicit_and_older_charts_are_refused():
    versions = supported_versions()
    assert versions[0] == MIN_CHART == "0.40.0"
    assert versions[-1] == chart.newest().version
    older = [r.version for r in chart.releases() if version_key(r.version) < version_key(MIN_CHART)]
    assert older  # the refusal below is reachable
    result = run_cli("harden-values", "--chart-version", older[-1])
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"needs chart {MIN_CHART} or newer" in result.stderr and "Traceback" not in result.stderr
    for broken in BROKEN_CHARTS:
        with pytest.raises(UnsupportedChart, match="HL006"):
            harden_values(broken)
    unknown = invoke(["harden-values", "--chart-version", "9.9.9"])
    assert unknown.exit_code != 0


def test_default_is_the_newest_chart_and_the_cli_prints_it():
    result = run_cli("harden-values")
    assert result.returncode == 0
    assert result.stdout == harden_values(chart.newest().version)
    assert f"chart {chart.newest().version}" in result.stdout.splitlines()[0]


def _top_level_keys(text: str) -> list[tuple[int, str]]:
    root = load(text).documents[0].root
    assert isinstance(root, MapNode)
    return [(key.span.line, key.text) for key, _ in root.entries]


@pytest.mark.parametrize("version", [MIN_CHART, chart.newest().version])
def test_every_top_level_setting_is_explained_by_a_comment(version):
    text = harden_values(version)
    lines = text.splitlines()
    for line, key in _top_level_keys(text):
        above = [entry for entry in lines[: line - 1] if entry.strip()]
        assert above and above[-1].lstrip().startswith("#"), f"{key} (line {line}) has no comment above it"


def test_keys_only_the_chart_version_knows():
    # sessionTTL only from chart 0.41.0 (its flag is new in Headlamp 0.41.0) and the chart mounts /tmp itself from 0.42.0: written only where they apply.
    old, new = harden_values("0.40.0"), harden_values(chart.newest().version)
    assert "sessionTTL" not in old and "sessionTTL: 28800" in new
    assert "mountPath: /tmp" in old and "mountPath: /tmp" not in new


# --- parity with Helm's renders of the chart tests where they overlap --------------------------------


def plain(node):
    if isinstance(node, MapNode):
        return {k.text: plain(v) for k, v in node.entries}
    if isinstance(node, SeqNode):
        return [plain(i) for i in node.items]
    return node.value if isinstance(node, ScalarNode) else None


def rendered_objects(text: str, version: str, tmp_path) -> list[dict]:
    from linter.model.from_values import ValuesOptions, render_layered
    from linter.source import SourceFile

    path = tmp_path / "values.yaml"
    path.write_text(text)
    rendered = render_layered([(SourceFile.from_text("values.yaml", text), path)], ValuesOptions(chart_version=version),
                              lambda *a: None)
    assert rendered is not None
    extra = [root for item in rendered.extra_manifests if not item.template_problems for root in item.roots]
    return [plain(root) for root in rendered.objects + extra]


def helm_objects(case: str) -> list[dict]:
    text = (shared_path("reference", "headlamp", "chart-tests", case) / "rendered.yaml").read_text()
    return [plain(d.root) for d in load(text).documents if d.root is not None]


def deployment(objects: list[dict]) -> dict:
    (found,) = [o for o in objects if o.get("kind") == "Deployment"]
    return found


def headlamp_container(objects: list[dict]) -> dict:
    return next(c for c in deployment(objects)["spec"]["template"]["spec"]["containers"] if c["name"] == "headlamp")


VERSION = chart.newest().version  # the chart tests are Helm renders of the newest chart


def test_oidc_external_secret_renders_like_helm(tmp_path):
    helm = headlamp_container(helm_objects("oidc-external-secret"))
    ours = headlamp_container(rendered_objects(harden_values(VERSION).replace("name: headlamp-oidc", "name: oidc"),
                                               VERSION, tmp_path))
    assert ours["envFrom"] == helm["envFrom"] == [{"secretRef": {"name": "oidc"}}]
    oidc_args = [a for a in helm["args"] if a.startswith("-oidc")]
    assert oidc_args and [a for a in ours["args"] if a.startswith("-oidc") and a != "-oidc-use-pkce"] == oidc_args
    assert "-oidc-use-pkce" in ours["args"]
    # secret.create: false, in both: no Secret holding OIDC settings is rendered.
    assert not [o for o in rendered_objects(harden_values(VERSION), VERSION, tmp_path) if o["kind"] == "Secret"]


def test_read_only_root_gets_the_same_tmp_volume_as_helm(tmp_path):
    helm = helm_objects("readonly-root-filesystem")
    ours = rendered_objects(harden_values(VERSION), VERSION, tmp_path)
    assert headlamp_container(ours)["securityContext"]["readOnlyRootFilesystem"] is True

    def tmp_parts(objects):
        spec = deployment(objects)["spec"]["template"]["spec"]
        mounts = [m for m in headlamp_container(objects).get("volumeMounts", []) if m["mountPath"] == "/tmp"]
        names = {m["name"] for m in mounts}
        return mounts, [v for v in spec.get("volumes", []) if v["name"] in names]

    assert tmp_parts(ours) == tmp_parts(helm) != ([], [])


def test_host_users_and_security_context_render_like_helm(tmp_path):
    ours = rendered_objects(harden_values(VERSION), VERSION, tmp_path)
    helm_host_users = deployment(helm_objects("host-users-override"))["spec"]["template"]["spec"]["hostUsers"]
    assert deployment(ours)["spec"]["template"]["spec"]["hostUsers"] is helm_host_users is False
    helm_sc = headlamp_container(helm_objects("security-context"))["securityContext"]
    ours_sc = headlamp_container(ours)["securityContext"]
    # Every hardening setting the chart test renders, ours renders with the same value.
    assert {k: ours_sc.get(k) for k in helm_sc} == helm_sc
