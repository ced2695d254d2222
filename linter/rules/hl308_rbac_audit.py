"""## What it does
Audits the RBAC objects of the whole input, whatever they reach:

- a Role or ClusterRole that no binding in the input references (directly
  or through a ClusterRole that aggregates it; a ClusterRole labelled to
  aggregate into `admin`, `edit` or `view` counts as used), on its
  `metadata.name`;
- a binding whose role is neither in the input nor a built-in ClusterRole
  (`cluster-admin`, `admin`, `edit`, `view`, `system:*`), on the `roleRef`
  name;
- a binding to a ServiceAccount that is not in the input, on the subject's
  name, reported only when the input holds other objects of that
  ServiceAccount's namespace (a partial input, such as one changed file,
  would otherwise report every binding).

Because it reasons about the whole input, run it over the whole project
(see the README on pre-commit) rather than single files.

## Why is this bad?
Unused roles and bindings to objects that do not exist are leftovers: they
hide what is really granted, and a binding to a missing ServiceAccount
grants its role to whoever creates that account later.

## Example
```yaml
# manifest
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: headlamp-reader
  namespace: kube-system
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: headlamp-reader
subjects:
  - kind: ServiceAccount
    name: headlamp
```

## Use instead
```yaml
# manifest
apiVersion: v1
kind: ServiceAccount
metadata:
  name: headlamp
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: headlamp-reader
  namespace: kube-system
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: headlamp-reader
  namespace: kube-system
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: headlamp-reader
subjects:
  - kind: ServiceAccount
    name: headlamp
```

## Options
None.

## References
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/#periodic-review
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL308",
    name="rbac-audit",
    title="Unused role, or binding to a role or ServiceAccount not in the input",
    severity=Severity.INFO,
    security_severity=2.0,
    tags=("audit",),
)

# Kinds that say nothing about which ServiceAccounts a namespace holds.
_RBAC_KINDS = frozenset({"Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Namespace"})


def check(model, ctx) -> Iterator[Finding]:
    graph = model.rbac
    for role in graph.roles:
        if not graph.is_bound(role) and role.name_fact is not None and role.obj is not None:
            yield Finding(
                role.name_fact.location,
                f"{role} is not referenced by any binding in the input; remove it if it is unused",
                role.obj.ref,
                "metadata.name",
            )
    namespaces_with_objects = {
        obj.namespace for obj in model.objects if obj.namespace and obj.kind not in _RBAC_KINDS
    }
    for binding in model.bindings:
        if graph.role_of(binding) is None:
            name = binding.role_name.value or "(no name)"
            where = f" in namespace {binding.obj.namespace}" if binding.role_kind == "Role" else ""
            yield Finding(
                binding.role_name.location,
                f"{binding.obj.ref} references {binding.role_kind} {name}, which is neither"
                f" in the input{where} nor built in",
                binding.obj.ref,
                binding.role_name.key,
            )
        for subject in binding.subjects:
            if subject.kind != "ServiceAccount" or not subject.namespace:
                continue
            if subject.namespace not in namespaces_with_objects:
                continue  # the namespace's objects are not in this input: nothing to compare with
            if model.service_account(subject.namespace, subject.name, binding.obj) is None and subject.name != "default":
                yield Finding(
                    subject.location,
                    f"{binding.obj.ref} grants to {subject}, which is not in the input although other objects"
                    f" of namespace {subject.namespace} are; whoever creates it gets the role",
                    binding.obj.ref,
                    "subjects.name",
                )
