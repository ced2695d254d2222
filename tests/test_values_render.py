"""The chart rendering: for every chart golden test (and our own pairs), the objects headlamp-lint
renders from ``values.yaml`` match Helm's ``rendered.yaml`` on the fields the rules and the model read.

Labels and the Helm bookkeeping are not compared; empty values (``{}``, ``[]``, null) count as absent,
as they do for Kubernetes.
"""

from __future__ import annotations

import json

import pytest

from linter.values import chart
from linter.values.check import to_python
from linter.values.merge import ValuesLayer, effective_values
from linter.values.render import render
from linter.yamlpos import MapNode, load
from tests.test_values_parity import _pairs


def _strip(data):
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if v not in (None, {}, []) and k != "labels"}
    if isinstance(data, list):
        return [_strip(i) for i in data]
    return data


def _fields(obj: dict) -> dict:
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    metadata = obj.get("metadata") or {}
    out: dict = {"metadata": {k: v for k, v in metadata.items() if k in ("name", "namespace", "annotations")}}
    if kind == "Deployment":
        pod = spec["template"]["spec"]
        out["pod"] = {k: v for k, v in pod.items() if k != "containers"}
        out["containers"] = pod.get("containers")
        out["template.metadata"] = spec["template"].get("metadata")
        out["replicas"] = spec.get("replicas")
    elif kind in ("ClusterRoleBinding",):
        out["roleRef"], out["subjects"] = obj.get("roleRef"), obj.get("subjects")
    elif kind in ("Secret", "ConfigMap"):
        out["data"] = sorted((obj.get("data") or {}).keys())
    else:
        out["spec"] = spec
    return _strip(out)


def _objects_from_values(case) -> dict:
    text = (case / "values.yaml").read_text(encoding="utf-8")
    docs = load(text).documents
    root = docs[0].root if docs and isinstance(docs[0].root, MapNode) else MapNode([], None)  # type: ignore[arg-type]
    eff = effective_values([ValuesLayer("values.yaml", root)], chart.release("0.45.0"))
    rendered = render(eff, "headlamp", "default", {"values.yaml": text})
    roots = list(rendered.objects) + [r for extra in rendered.extra_manifests for r in extra.roots]
    return {(o["kind"], o["metadata"]["name"]): _fields(o) for o in map(to_python, roots)}


def _objects_from_rendered(case) -> dict:
    out = {}
    for doc in load((case / "rendered.yaml").read_text(encoding="utf-8")).documents:
        if doc.root is not None:
            obj = to_python(doc.root)
            out[(obj["kind"], obj["metadata"]["name"])] = _fields(obj)
    return out


@pytest.mark.parametrize("case", _pairs())
def test_rendered_objects_match_helm(case):
    ours, helm = _objects_from_values(case), _objects_from_rendered(case)
    assert sorted(ours) == sorted(helm)
    for key in ours:
        assert json.dumps(ours[key], sort_keys=True, default=str) == json.dumps(helm[key], sort_keys=True, default=str), key
