"""The list-item removal primitive (e.g. dropping `-insecure-ssl` / `-dev` args), alone and through fix_text."""

from __future__ import annotations

import pytest

from linter.diagnostics import Diagnostic, Severity
from linter.fix import Parsed, ValuesContext, _Renderer, apply_all, fix_text, resolve_removals
from linter.located import FILE_START, Location
from linter.model.objects import ObjectRef
from linter.rules.base import FixEdit, FixSpec
from linter.yamlpos import load

DEV = r"--?dev(=.*)?"


def remove_all(text: str, path: list[str], pattern: str) -> str:
    parsed = Parsed(text)
    removals = resolve_removals(parsed.loaded.documents[0].root, path, pattern)
    return apply_all(text, [e.edit for e in _Renderer(parsed, False).render(removals)])


@pytest.mark.parametrize(
    "before, after",
    [
        # block: the item's line goes, its neighbours and their comments stay
        ("a:\n  # flags\n  args:\n    - -x  # keep\n    - -dev  # gone\n    - -y\nb: 1\n",
         "a:\n  # flags\n  args:\n    - -x  # keep\n    - -y\nb: 1\n"),
        # the last item: an empty list, the comment on the key's line kept
        ("a:\n  args:  # flags\n    - -dev\nb: 1\n", "a:\n  args: []  # flags\nb: 1\n"),
        ("a:\n  args:\n  - -dev\n  - -dev=true\n", "a:\n  args: []\n"),
        # flow: one comma goes with the item
        ("a:\n  args: [-x, -dev, -y]\n", "a:\n  args: [-x, -y]\n"),
        ("a:\n  args: [-x, \"-dev\"]\n", "a:\n  args: [-x]\n"),
        ("a:\n  args: [-dev]\n", "a:\n  args: []\n"),
        ("a:\n  args: [-dev, -dev=true, -x]\n", "a:\n  args: [-x]\n"),
        # nothing to remove, or not a list of scalars: unchanged
        ("a:\n  args: [-x, -devtools]\n", "a:\n  args: [-x, -devtools]\n"),
        ("a:\n  args: -dev\n", "a:\n  args: -dev\n"),
        ("a:\n  args:\n    - - -dev\n", "a:\n  args:\n    - - -dev\n"),
    ],
)
def test_remove_item(before, after):
    assert remove_all(before, ["a", "args"], DEV) == after


SPEC = FixSpec("safe", "removes -dev", (FixEdit("args", "", relative_to="container", remove_item=DEV),))
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
            - -dev   # for debugging
            - -plugins-dir=/headlamp/plugins
"""


def test_removal_through_fix_text_in_a_manifest():
    diag = Diagnostic("HL109", "dev-mode", Severity.ERROR, "m", Location("d.yaml", FILE_START),
                      ObjectRef("Deployment", "default", "headlamp"), "containers[headlamp].args[1]")
    fixed, applied = fix_text(MANIFEST, [diag], {"HL109": SPEC}, False)
    assert applied == ("HL109",)
    assert fixed == MANIFEST.replace("            - -dev   # for debugging\n", "")
    assert fix_text(fixed, [diag], {"HL109": SPEC}, False) == (fixed, ())


def test_removal_through_fix_text_in_values_under_an_umbrella_key():
    spec = FixSpec("safe", "removes -dev", (FixEdit("", "", remove_item=DEV),))
    text = "config:\n  extraArgs: [-dev]\nhl:\n  config:\n    extraArgs:\n      - -dev\n      - -x\n"
    diag = Diagnostic("HL109", "dev-mode", Severity.ERROR, "m", Location("v.yaml", FILE_START), None,
                      "hl.config.extraArgs[0]")
    fixed, applied = fix_text(text, [diag], {"HL109": spec}, True, ValuesContext(("hl",)))
    assert applied == ("HL109",)
    # Only the list under the Headlamp prefix is edited; the parent chart's `config` is not Headlamp's.
    assert fixed == "config:\n  extraArgs: [-dev]\nhl:\n  config:\n    extraArgs:\n      - -x\n"


def test_object_and_values_relative_edits_apply_to_their_own_kind_of_file():
    # e.g. an unsafe fix switching a Service to ClusterIP: `spec.type` in a manifest, `service.type` in values.
    spec = FixSpec("unsafe", "switches to ClusterIP", (FixEdit("spec.type", "ClusterIP", relative_to="object"),
                                                      FixEdit("service.type", "ClusterIP", relative_to="values")))
    manifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: headlamp\nspec:\n  type: LoadBalancer  # public\n"
    diag = Diagnostic("HL503", "x", Severity.ERROR, "m", Location("s.yaml", FILE_START),
                      ObjectRef("Service", "default", "headlamp"), "spec.loadBalancerSourceRanges")
    fixed, applied = fix_text(manifest, [diag], {"HL503": spec}, False)
    assert fixed == manifest.replace("LoadBalancer  #", "ClusterIP  #") and applied == ("HL503",)
    values = "other: {service: {type: NodePort}}\nhl:\n  service:\n    type: LoadBalancer\n"
    fixed, applied = fix_text(values, [diag], {"HL503": spec}, True, ValuesContext(("hl",)))
    assert fixed == "other: {service: {type: NodePort}}\nhl:\n  service:\n    type: ClusterIP\n"
    assert fix_text(fixed, [diag], {"HL503": spec}, True, ValuesContext(("hl",))) == (fixed, ())
