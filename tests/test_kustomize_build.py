"""A kustomization's images: transformer applied to the manifests it lists (linter.gitops.kustomize_build).

The fixture fixtures/gitops/kustomize-overlay/ (a base and two overlays) is compared marker by marker in
tests/test_gitops.py; here: the messages, the parts of the transformer, and partial input.
"""

from __future__ import annotations

import json

import pytest

from linter.gitops.kustomize_build import matches, split_image
from tests.cli import invoke
from tests.conftest import FIXTURES

CASE = FIXTURES / "gitops" / "kustomize-overlay"


def lint(*args: str) -> list[dict]:
    result = invoke(["check", "-f", "json", "--exit-zero", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def at(diagnostics: list[dict], suffix: str) -> set[tuple[int, int, str]]:
    return {(d["line"], d["column"], d["rule"]) for d in diagnostics if d["path"].endswith(suffix)}


@pytest.mark.parametrize("image, parts", [
    ("ghcr.io/headlamp-k8s/headlamp", ("ghcr.io/headlamp-k8s/headlamp", "", "")),
    ("ghcr.io/headlamp-k8s/headlamp:v0.40.1", ("ghcr.io/headlamp-k8s/headlamp", "v0.40.1", "")),
    ("registry.corp.example:5000/headlamp:v1", ("registry.corp.example:5000/headlamp", "v1", "")),
    ("headlamp@sha256:abc", ("headlamp", "", "sha256:abc")),
    ("a.example/headlamp:v1@sha256:abc", ("a.example/headlamp", "v1", "sha256:abc")),
])
def test_split_image_as_kustomize(image, parts):
    assert split_image(image) == parts


def test_name_matches_without_tag_and_digest_only():
    assert matches("ghcr.io/headlamp-k8s/headlamp:v0.25.0", "ghcr.io/headlamp-k8s/headlamp")
    assert matches("ghcr.io/headlamp-k8s/headlamp:v0.25.0@sha256:00ff", "ghcr.io/headlamp-k8s/headlamp")
    assert not matches("ghcr.io/headlamp-k8s/headlamp-plugins:v1", "ghcr.io/headlamp-k8s/headlamp")
    assert not matches("docker.io/headlamp-k8s/headlamp:v1", "headlamp-k8s/headlamp")  # no registry defaulting
    assert not matches("ghcrXio/headlamp", "ghcr.io/headlamp")  # the name is text, not a pattern


def test_image_findings_are_the_overlays_and_say_so():
    found = lint(str(CASE))
    prod = {d["rule"]: d["message"] for d in found if d["path"].endswith("overlays/prod/kustomization.yaml")}
    assert "runs Headlamp 0.40.1 (set by images[0].newTag of this kustomization)" in prod["HL603"]
    assert prod["HL603"].split("; ")[1].startswith("set images[0].newTag: v")
    assert "registry.corp.example/mirror/headlamp:v0.40.1 (set by images[0].newName" in prod["HL605"]
    assert "set images[0].digest: sha256:<digest>" in prod["HL602"]
    # The base's own tag is never reported: no HL6xx finding is left in the base.
    assert not {r for _, _, r in at(found, "base/deployment.yaml")} & {"HL601", "HL602", "HL603", "HL604", "HL605"}
    # Findings on the base's objects say which fields of the overlay were not applied.
    base = [d["message"] for d in found if d["path"].endswith("base/deployment.yaml") and d["rule"] == "HL401"]
    assert base and all("(not seen: namespace: and patches: of ../overlays/prod/kustomization.yaml (not applied),"
                        " which may change this)" in m for m in base)
    assert "(not seen: namespace: and patches: of kustomization.yaml (not applied)" in prod["HL603"]


def test_digest_overlay_drops_the_tag_and_pins():
    found = lint(str(CASE))
    staging = at(found, "overlays/staging/kustomization.yaml")
    assert staging == {(5, 5, "HL017"), (8, 14, "HL605"), (9, 13, "HL603")}  # no HL602: pinned by digest
    message = next(d["message"] for d in found if d["path"].endswith("staging/kustomization.yaml") and d["rule"] == "HL603")
    assert "registry.corp.example/mirror/headlamp@sha256:4bc4" in message and ":v0.25.0" not in message


def test_overlay_without_its_base_says_the_base_is_not_in_the_input():
    found = lint(str(CASE / "overlays" / "prod"))
    assert at(found, "kustomization.yaml") == {(5, 5, "HL017"), (10, 1, "HL017")}


def test_base_alone_keeps_its_image(tmp_path):
    found = lint(str(CASE / "base"))
    assert {(21, 18, "HL602"), (21, 18, "HL603")} <= at(found, "base/deployment.yaml")


def test_a_later_entry_sees_what_an_earlier_one_made_and_renaming_keeps_the_tag(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "kustomization.yaml").write_text("resources: [deployment.yaml]\n")
    (tmp_path / "base" / "deployment.yaml").write_text((CASE / "base" / "deployment.yaml").read_text())
    (tmp_path / "kustomization.yaml").write_text(
        "resources:\n"
        "  - base\n"
        "images:\n"
        "  - name: ghcr.io/headlamp-k8s/headlamp\n"
        "    newName: mirror.example/headlamp\n"
        "  - name: mirror.example/headlamp\n"
        "    newTag: v0.45.0\n"
        "    digest: sha256:4bc453b53cb3d914b45f4b250294236adba2c0e09ff6f03793949e7e39fd4cc1\n")
    found = lint(str(tmp_path))
    top = at(found, str(tmp_path.name) + "/kustomization.yaml")
    assert top == {(5, 14, "HL605")}  # the newest release, pinned: only the mirror is reported
    message = next(d["message"] for d in found if d["rule"] == "HL605")
    assert "mirror.example/headlamp:v0.45.0@sha256:4bc4" in message


def test_rename_only_blames_the_tag_where_it_is_written(tmp_path):
    (tmp_path / "deployment.yaml").write_text((CASE / "base" / "deployment.yaml").read_text())
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [deployment.yaml]\n"
        "images:\n"
        "  - name: ghcr.io/headlamp-k8s/headlamp\n"
        "    newName: mirror.example/headlamp\n")
    found = lint(str(tmp_path))
    assert {(21, 18, "HL602"), (21, 18, "HL603")} <= at(found, "deployment.yaml")
    assert at(found, "kustomization.yaml") == {(4, 14, "HL605")}
