"""Issue item 1, last part: fields of the wrong type everywhere the model reads.

A baseline Deployment sets every field the model builders read; each test
variant replaces one of them with a value of another shape. Every variant
must lint without an exception or HL000, and a replacement the model cannot
use must be one HL009 located on the replaced value's line.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from linter.engine import lint_paths
from linter.settings import Settings
from tests.hostile.harness import check_hostile, located

CONTAINER = {
    "name": "headlamp",
    "image": "ghcr.io/headlamp-k8s/headlamp:v0.30.0",
    "command": ["/headlamp/headlamp-server"],
    "args": ["-in-cluster"],
    "env": [
        {"name": "A", "value": "1"},
        {"name": "B", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}},
    ],
    "envFrom": [{"prefix": "P_", "secretRef": {"name": "s"}}],
    "ports": [{"name": "http", "containerPort": 4466, "hostPort": 4466}],
    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp", "readOnly": True}],
    "securityContext": {
        "runAsNonRoot": True,
        "runAsUser": 100,
        "runAsGroup": 101,
        "privileged": False,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
        "appArmorProfile": {"type": "RuntimeDefault"},
        "procMount": "Default",
    },
    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "1Gi"}},
}

BASELINE = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "headlamp", "namespace": "kube-system", "labels": {"app": "h"}, "annotations": {"a": "b"}},
    "spec": {
        "template": {
            "metadata": {"labels": {"app": "h"}, "annotations": {"a": "b"}},
            "spec": {
                "serviceAccountName": "headlamp",
                "automountServiceAccountToken": False,
                "hostNetwork": False,
                "hostPID": False,
                "hostIPC": False,
                "hostUsers": False,
                "securityContext": {
                    "runAsNonRoot": True,
                    "runAsUser": 100,
                    "runAsGroup": 101,
                    "fsGroup": 101,
                    "supplementalGroups": [101],
                    "sysctls": [{"name": "net.ipv4.ping_group_range", "value": "0 1"}],
                    "seccompProfile": {"type": "RuntimeDefault"},
                    "appArmorProfile": {"type": "RuntimeDefault"},
                },
                "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "h", "hostPath": {"path": "/x"}}],
                # Init containers go through the same builder as containers.
                "initContainers": [{"name": "init", "image": "busybox", "securityContext": {"privileged": False}}],
                "containers": [copy.deepcopy(CONTAINER)],
            },
        }
    },
}

# Fields read only for their presence, or as any scalar: no shape to get wrong.
PRESENCE_ONLY = {"emptyDir"}
ANY_SCALAR = {"cpu", "memory", "containerPort"}


def paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,), value
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix + (index,), value
            yield from paths(value, prefix + (index,))


def replaced(path, value):
    doc = copy.deepcopy(BASELINE)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return doc


def variants():
    """One wrong shape of each other kind per field (a scalar, and the other collection)."""
    for path, original in paths(BASELINE):
        last = next(p for p in reversed(path) if isinstance(p, str))
        if last in PRESENCE_ONLY:
            continue
        if isinstance(original, dict):
            shapes = {"number": 5, "list": ["wrong"]}
        elif isinstance(original, list):
            shapes = {"string": "wrong", "map": {"wrong": 1}}
        else:
            shapes = {"map": {"wrong": 1}, "list": ["wrong"]}
            # A scalar where a string is read is a string (Kubernetes would want it
            # quoted, but the meaning is plain); booleans and integers are checked.
            if isinstance(original, (bool, int)) and last not in ANY_SCALAR:
                shapes["string"] = "wrong"
        for shape, value in shapes.items():
            yield pytest.param(path, value, id="/".join(map(str, path)) + ":" + shape)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    # One folder for all variants: a tmp_path each costs more than the lint.
    return tmp_path_factory.mktemp("wrong-types")


def _lint(tmp_path: Path, doc) -> tuple[str, list]:
    text = json.dumps(doc, indent=2) + "\n"
    path = tmp_path / "deploy.yaml"
    path.write_text(text)
    result = lint_paths([str(path)], Settings())
    assert not result.errors
    return text, result.diagnostics


def test_baseline_has_no_shape_problems(workdir):
    _, diags = _lint(workdir, BASELINE)
    assert not [d for d in diags if d.rule_id in ("HL000", "HL001", "HL009", "HL010")]


@pytest.mark.parametrize("path,value", list(variants()))
def test_wrong_type_is_one_located_hl009(workdir, path, value):
    text, diags = _lint(workdir, replaced(path, value))
    assert not [d for d in diags if d.rule_id == "HL000"]
    shape = [d for d in diags if d.rule_id == "HL009"]
    assert len(shape) == 1, [(d.line, d.message) for d in shape]
    line = text.splitlines()[shape[0].line - 1]
    marker = json.dumps(value)[:1]
    if isinstance(path[-1], str):
        assert f'"{path[-1]}": {marker}' in line, (line, shape[0].message)
    else:
        assert line.strip().startswith(marker), (line, shape[0].message)
    assert shape[0].location.span.column == line.index(marker, line.index(":") + 1 if isinstance(path[-1], str) else 0) + 1


# The same through the CLI, with the YAML spellings of the issue, beside a good file.
WRONG_TYPES = """\
apiVersion: apps/v1
kind: Deployment
metadata: []
spec:
  template:
    metadata:
      labels: [a]
    spec:
      securityContext: 5
      containers:
      - name: headlamp
        image: ghcr.io/headlamp-k8s/headlamp:v0.30.0
        securityContext:
          capabilities: {add: 5}
        ports: null
        env: {}
      - "x"
      initContainers: "x"
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {1: x, true: y}
spec:
  containers: "x"
"""


def test_wrong_types_of_the_issue_through_the_cli(tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(WRONG_TYPES)
    diags = check_hostile(path)
    assert {(d.line, d.column) for d in diags if d.rule == "HL009"} == {
        (3, 11),  # metadata: []
        (7, 15),  # labels: [a]
        (9, 24),  # securityContext: 5
        (14, 31),  # add: 5
        (16, 14),  # env: {}
        (17, 9),  # - "x"
        (18, 23),  # initContainers: "x"
        (26, 15),  # containers: "x"
    }
    # Besides the shape errors, only rules about the objects' settings: nothing crashed or failed to parse.
    assert not [d for d in diags if d.rule in ("HL000", "HL001")], diags


def test_object_with_non_string_kind_is_named_for_what_it_is(workdir):
    path = workdir / "kind.yaml"
    path.write_text("apiVersion: {a: 1}\nkind: [Pod]\nmetadata:\n  name: p\n")
    result = lint_paths([str(path)], Settings())
    assert sorted((d.line, d.column, d.rule_id, d.message) for d in result.diagnostics) == [
        (1, 1, "HL010", "document 1 is a mapping whose apiVersion or kind is not a string, not a Kubernetes object;"
                        " it is not linted"),
        (1, 13, "HL009", "apiVersion should be a scalar, not a mapping; it is ignored"),
        (2, 7, "HL009", "kind should be a scalar, not a list; it is ignored"),
    ]
