"""Safe fixes that remove flags: -dev (HL109) and -insecure-ssl (HL203), from manifests and values files."""

from __future__ import annotations

import shutil

from tests.cli import invoke

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
spec:
  template:
    spec:
      containers:
        - name: headlamp
          image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
          args:
            - -in-cluster
            - -dev  # debugging
            - "-insecure-ssl"
            - -plugins-dir=/headlamp/plugins
"""
VALUES = """\
# values
config:
  extraArgs: [-dev, -insecure-ssl=true, -enable-helm]  # flags
"""


def check(*args: str):
    # Only the flag rules: the container rules would add their own fixes to these minimal files.
    return invoke(["check", "--select", "HL109,HL203", *args])


def rules_of(stdout: str) -> set[str]:
    return {line.rsplit("[", 1)[1].rstrip("]") for line in stdout.splitlines() if line.endswith("]")}


def test_flags_are_removed_from_a_manifest(tmp_path):
    path = tmp_path / "deploy.yaml"
    path.write_text(MANIFEST)
    assert {"HL109", "HL203"} <= rules_of(check("-f", "concise", str(path)).stdout)
    result = check("--fix", "-f", "concise", str(path))
    assert path.read_text() == MANIFEST.replace("            - -dev  # debugging\n", "").replace(
        '            - "-insecure-ssl"\n', "")
    assert not rules_of(result.stdout) & {"HL109", "HL203"}
    once = path.read_text()
    check("--fix", str(path))
    assert path.read_text() == once


def test_flags_are_removed_from_values_extra_args(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text(VALUES)
    assert {"HL109", "HL203"} <= rules_of(check("-f", "concise", str(path)).stdout)
    diff = check("--diff", str(path))
    assert diff.exit_code == 1 and "+  extraArgs: [-enable-helm]  # flags" in diff.stdout
    result = check("--fix", "-f", "concise", str(path))
    assert "  extraArgs: [-enable-helm]  # flags\n" in path.read_text()
    assert not rules_of(result.stdout) & {"HL109", "HL203"}
