"""Identity and RBAC: ServiceAccounts, Roles, ClusterRoles, bindings and effective permissions.

Builders read one object each; ``RbacGraph`` relates them: which bindings
reach a ServiceAccount (directly, or through the groups every ServiceAccount
is in), which roles those bindings grant (Roles, ClusterRoles in the input,
aggregated ClusterRoles, and the built-in ClusterRoles known by name), and
the union of their rules as ``Permissions``.

Matching follows the Kubernetes RBAC authorizer exactly: ``*`` in verbs,
apiGroups and resources; ``pods/*`` (every subresource of pods) and
``*/exec`` (that subresource of every resource) but ``pods`` alone never
matches ``pods/exec``; a rule with ``resourceNames`` only grants requests
for those names (never ``list``/``watch``/``create`` of "any" object).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from linter.data import load_json
from linter.located import FILE_START, Located, Location, Origin
from linter.model.nearby import Nearby, Twins
from linter.model.nodes import FieldReader, key_location
from linter.model.objects import K8sObject
from linter.model.selectors import LabelSelector, read_selector
from linter.records import field, record
from linter.yamlpos import MapNode

RBAC_GROUP = "rbac.authorization.k8s.io"


@record(frozen=True, slots=True)
class ServiceAccount:
    obj: K8sObject
    automount_service_account_token: Located

    @property
    def name(self) -> str:
        return self.obj.name

    @property
    def namespace(self) -> str:
        return self.obj.namespace or "default"


# --- roles ------------------------------------------------------------------


@record(frozen=True, slots=True)
class RbacRule:
    """One entry of a role's ``rules``; each list item is located (built-in rules have no location)."""

    verbs: tuple[Located, ...]
    api_groups: tuple[Located, ...]
    resources: tuple[Located, ...]
    resource_names: tuple[str, ...]
    non_resource_urls: tuple[Located, ...]
    location: Location | None  # the rule's list item; None for a built-in role's rule

    def _verb(self, verb: str) -> Located | None:
        return next((v for v in self.verbs if v.value in ("*", verb)), None)

    def _group(self, group: str) -> Located | None:
        return next((g for g in self.api_groups if g.value in ("*", group)), None)

    def _resource(self, resource: str) -> Located | None:
        base, _, sub = resource.partition("/")
        for item in self.resources:
            pattern = item.value
            if pattern == "*" or pattern == resource:
                return item
            if sub and pattern == f"{base}/*":
                return item
            if sub and pattern == f"*/{sub}":
                return item
        return None

    def match(self, verb: str, group: str, resource: str, name: str | None = None) -> "Match | None":
        """Does this rule allow ``verb`` on ``group``/``resource`` (``name``: one object; None: any)?"""
        verb_item = self._verb(verb)
        group_item = self._group(group)
        resource_item = self._resource(resource)
        if verb_item is None or group_item is None or resource_item is None:
            return None
        if self.resource_names and (name is None or name not in self.resource_names):
            return None
        return Match(self, verb_item, group_item, resource_item)


@record(frozen=True, slots=True)
class Match:
    """Which items of a rule allowed a request (for blaming the exact list item)."""

    rule: RbacRule
    verb: Located
    group: Located
    resource: Located


@record(frozen=True, slots=True)
class Role:
    """A Role or ClusterRole: from the input, or built in (``obj`` None)."""

    kind: str  # "Role" | "ClusterRole"
    name: str
    namespace: str | None
    rules: tuple[RbacRule, ...]
    obj: K8sObject | None = None
    name_fact: Located | None = None  # metadata.name, for blaming the role itself
    aggregation: tuple[LabelSelector, ...] = ()  # aggregationRule.clusterRoleSelectors
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def builtin(self) -> bool:
        return self.obj is None

    @property
    def is_aggregated(self) -> bool:
        return bool(self.aggregation)

    def __str__(self) -> str:
        if self.namespace:
            return f"{self.kind} {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"


# --- bindings ---------------------------------------------------------------


@record(frozen=True, slots=True)
class Subject:
    kind: str  # ServiceAccount, User, Group
    name: str
    namespace: str | None  # ServiceAccounts only (defaulted to a RoleBinding's namespace)
    location: Location  # the subject's name value (or its list item)

    def __str__(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"


@record(frozen=True, slots=True)
class Binding:
    obj: K8sObject
    role_kind: str  # roleRef.kind
    role_name: Located  # roleRef.name, located at its value
    subjects: tuple[Subject, ...]

    @property
    def cluster_wide(self) -> bool:
        return self.obj.kind == "ClusterRoleBinding"

    @property
    def namespace(self) -> str | None:
        """Where the binding grants: None for a ClusterRoleBinding (every namespace)."""
        return None if self.cluster_wide else (self.obj.namespace or "default")


@record(frozen=True, eq=False, slots=True)
class Grant:
    """A role granted through a binding, in a scope (None: cluster-wide), with the role's effective rules."""

    binding: Binding
    role: Role | None  # None: the role is neither in the input nor built in
    scope: str | None
    subject: Subject
    rules: tuple[RbacRule, ...] = ()


@record(frozen=True, slots=True)
class Permissions:
    """The union of the rules of every role granted to one identity."""

    grants: tuple[Grant, ...] = ()

    def allows(
        self, verb: str, group: str, resource: str, name: str | None = None, namespace: str | None = None
    ) -> list[tuple[Grant, Match]]:
        """Every (grant, rule items) allowing the request.

        ``namespace`` None asks for access in every namespace (only
        cluster-wide grants count); a namespace asks for access there.
        """
        out = []
        for grant in self.grants:
            if namespace is None and grant.scope is not None:
                continue
            if namespace is not None and grant.scope not in (None, namespace):
                continue
            if grant.scope is not None and not takes_effect(verb, group, resource, namespaced=True):
                continue
            for rule in grant.rules:
                match = rule.match(verb, group, resource, name)
                if match is not None:
                    out.append((grant, match))
        return out


# --- scope -------------------------------------------------------------------

# Resources that exist only at cluster scope, as (API group, resource), among those the HL3xx rules ask
# about. A request for them carries no namespace, so a grant in one namespace (a Role, or a RoleBinding
# to a ClusterRole) never allows it (https://kubernetes.io/docs/reference/access-authn-authz/rbac/
# #role-and-clusterrole: "a ClusterRole ... to grant access to cluster-scoped resources (like nodes)").
# Impersonating users, groups and uids is cluster-scoped too (the request names no namespace); a
# ServiceAccount is namespaced. Not here: `namespaces`, whose requests carry the namespace's own name
# as their namespace, so a RoleBinding in N does allow reading or deleting namespace N itself.
CLUSTER_SCOPED_RESOURCES = frozenset(
    {
        (RBAC_GROUP, "clusterroles"),
        (RBAC_GROUP, "clusterrolebindings"),
        ("", "nodes"),
        ("", "nodes/proxy"),
        ("", "nodes/status"),
        ("", "persistentvolumes"),
        ("", "users"),
        ("", "groups"),
        ("", "userextras"),
        ("authentication.k8s.io", "uids"),
        ("authentication.k8s.io", "userextras"),
        ("certificates.k8s.io", "certificatesigningrequests"),
        ("certificates.k8s.io", "certificatesigningrequests/approval"),
        ("certificates.k8s.io", "signers"),
        ("storage.k8s.io", "storageclasses"),
        ("apiextensions.k8s.io", "customresourcedefinitions"),
        ("admissionregistration.k8s.io", "validatingwebhookconfigurations"),
        ("admissionregistration.k8s.io", "mutatingwebhookconfigurations"),
    }
)


def takes_effect(verb: str, group: str, resource: str, namespaced: bool) -> bool:
    """Can a grant (``namespaced``: in one namespace only) allow ``verb`` on ``group``/``resource`` at all?

    One exception to "cluster-scoped resources are out of a namespace's
    reach": the API server checks ``bind`` in the namespace of the
    RoleBinding being created, so ``bind`` on ``clusterroles`` granted in
    namespace N lets its holder bind those ClusterRoles in RoleBindings in N
    (https://kubernetes.io/docs/reference/access-authn-authz/rbac/
    #restrictions-on-role-binding-creation-or-update). ``escalate`` on
    ``clusterroles`` does not: changing a ClusterRole is a cluster-scoped
    request.
    """
    if not namespaced or (group, resource) not in CLUSTER_SCOPED_RESOURCES:
        return True
    return verb == "bind" and (group, resource) == (RBAC_GROUP, "clusterroles")


# --- built-in ClusterRoles ---------------------------------------------------

DISCOVERY_ROLES = frozenset({"system:discovery", "system:basic-user", "system:public-info-viewer"})
BROAD_BUILTIN_ROLES = ("admin", "edit")


# Built-in rules exist in no file: their facts point nowhere and rules never blame them.
_NOWHERE = Location("<built-in>", FILE_START)


def _builtin_rule(entry: dict) -> RbacRule:
    def items(key: str) -> tuple[Located, ...]:
        return tuple(Located(v, _NOWHERE, Origin.DERIVED, f"rules.{key}") for v in entry.get(key, ()))

    return RbacRule(
        verbs=items("verbs"),
        api_groups=items("apiGroups"),
        resources=items("resources"),
        resource_names=tuple(entry.get("resourceNames", ())),
        non_resource_urls=items("nonResourceURLs"),
        location=None,
    )


@lru_cache(maxsize=None)
def builtin_cluster_role(name: str) -> Role | None:
    """A built-in ClusterRole by name; ``system:*`` roles are known but their rules are not modelled."""
    table = load_json("builtin_clusterroles.json")
    if name in table["roles"]:
        labels = table["aggregation"].get(name)
        aggregation = (LabelSelector(tuple(sorted(labels.items())), (), _NOWHERE),) if labels else ()
        return Role(
            "ClusterRole", name, None, tuple(_builtin_rule(r) for r in table["roles"][name]), aggregation=aggregation
        )
    if name.startswith("system:"):
        return Role("ClusterRole", name, None, ())
    return None


# --- builders ---------------------------------------------------------------


def _items(reader: FieldReader, rule: MapNode, key: str) -> tuple[Located, ...]:
    return reader.string_items(rule, key, f"rules.{key}")


def build_role(reader: FieldReader, obj: K8sObject, node: MapNode) -> Role | None:
    if obj.kind not in ("Role", "ClusterRole") or not obj.api_version.startswith(RBAC_GROUP):
        return None
    rules = []
    for item in reader.maps_in(reader.sequence(node, "rules"), "rules"):
        rules.append(
            RbacRule(
                verbs=_items(reader, item, "verbs"),
                api_groups=_items(reader, item, "apiGroups"),
                resources=_items(reader, item, "resources"),
                resource_names=tuple(v.value for v in _items(reader, item, "resourceNames")),
                non_resource_urls=_items(reader, item, "nonResourceURLs"),
                location=reader.location(item),
            )
        )
    selectors: list[LabelSelector] = []
    aggregation = reader.mapping(node, "aggregationRule")
    anchor = key_location(reader, node, "aggregationRule", obj.location)
    for item in reader.maps_in(
        reader.sequence(aggregation, "clusterRoleSelectors", "aggregationRule.clusterRoleSelectors"),
        "aggregationRule.clusterRoleSelectors",
    ):
        selectors.append(read_selector(reader, item, "aggregationRule.clusterRoleSelectors", anchor))
    metadata = reader.mapping(node, "metadata")
    return Role(
        kind=obj.kind,
        name=obj.name,
        namespace=obj.namespace if obj.kind == "Role" else None,
        rules=tuple(rules),
        obj=obj,
        name_fact=reader.fact(metadata, "name", "metadata.name", obj.location, str),
        aggregation=tuple(selectors) if obj.kind == "ClusterRole" else (),
        labels=obj.labels,
    )


def build_binding(reader: FieldReader, obj: K8sObject, node: MapNode) -> Binding | None:
    if obj.kind not in ("RoleBinding", "ClusterRoleBinding"):
        return None
    if not obj.api_version.startswith(RBAC_GROUP):
        return None
    ref = reader.mapping(node, "roleRef")
    ref_anchor = key_location(reader, node, "roleRef", obj.location)
    subjects = []
    own_namespace = obj.namespace if obj.kind == "RoleBinding" else None
    for item in reader.maps_in(reader.sequence(node, "subjects"), "subjects"):
        kind = reader.string(item, "kind") or ""
        name_node = reader.scalar(item, "name", "subjects.name")
        name = name_node.text if name_node is not None and name_node.value is not None else ""
        namespace = reader.string(item, "namespace") if kind == "ServiceAccount" else None
        if kind == "ServiceAccount" and not namespace:
            namespace = own_namespace  # the API defaults it only in RoleBindings
        location = reader.location(name_node) if name_node is not None else reader.location(item)
        subjects.append(Subject(kind, name, namespace, location))
    return Binding(
        obj=obj,
        role_kind=reader.string(ref, "kind") or "ClusterRole",
        role_name=reader.fact(ref, "name", "roleRef.name", ref_anchor, str),
        subjects=tuple(subjects),
    )


# --- the graph --------------------------------------------------------------


def service_account_groups(namespace: str) -> frozenset[str]:
    """The groups every ServiceAccount token of ``namespace`` authenticates with."""
    return frozenset({"system:serviceaccounts", f"system:serviceaccounts:{namespace}", "system:authenticated"})


def _role_key(role: Role) -> tuple[tuple[str, str | None, str]]:
    return ((role.kind, role.namespace, role.name),)


def _role_obj(role: Role) -> K8sObject:
    assert role.obj is not None  # only roles of the input are indexed
    return role.obj


def _subject_keys(entry: tuple[Binding, Subject]) -> tuple[tuple[str, ...], ...]:
    subject = entry[1]
    if subject.kind == "ServiceAccount" and subject.namespace:
        return (("ServiceAccount", subject.namespace, subject.name),)
    if subject.kind == "Group":
        return (("Group", subject.name),)
    return ()


def _entry_obj(entry: tuple[Binding, Subject]) -> K8sObject:
    return entry[0].obj


@record
class RbacGraph:
    """Roles and bindings of the whole run, indexed for lookups by subject and by role.

    Every lookup is made from the object that refers (a workload to the
    bindings of its ServiceAccount, a binding to its role, an aggregated
    ClusterRole to its members) through ``linter.model.nearby``, so with one
    folder per environment each sees only its own environment's objects.
    """

    roles: list[Role] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    twins: Twins = field(default_factory=Twins.none, repr=False)
    _roles: Nearby[Role] | None = field(default=None, repr=False)
    _cluster_roles: Nearby[Role] | None = field(default=None, repr=False)  # one bucket: "ClusterRole"
    _subjects: Nearby[tuple[Binding, Subject]] | None = field(default=None, repr=False)
    _aggregated: dict[tuple[int, int], tuple[RbacRule, ...]] = field(default_factory=dict, repr=False)
    _owners: dict[int, Role] = field(default_factory=dict, repr=False)  # id(rule) -> the role it is written in
    _bound: set[int] | None = field(default=None, repr=False)  # ids of the roles some binding references
    _parents: dict[int, list[Role]] | None = field(default=None, repr=False)  # id(role) -> roles aggregating it

    @classmethod
    def of(cls, roles: list[Role], bindings: list[Binding], twins: Twins | None = None) -> "RbacGraph":
        twins = twins or Twins.none()
        graph = cls(list(roles), list(bindings), twins)
        graph._roles = Nearby((r for r in roles if r.obj is not None), _role_key, _role_obj, twins)
        graph._cluster_roles = Nearby(
            (r for r in roles if r.obj is not None and r.kind == "ClusterRole"), lambda r: ("ClusterRole",),
            _role_obj, twins,
        )
        for role in roles:
            for rule in role.rules:
                graph._owners[id(rule)] = role
        graph._subjects = Nearby(
            ((b, s) for b in bindings for s in b.subjects), _subject_keys, _entry_obj, twins
        )
        return graph

    def owner(self, rule: RbacRule) -> Role | None:
        """The input role a rule is written in (an aggregated role's rules come from its members)."""
        return self._owners.get(id(rule))

    def role_of(self, binding: Binding) -> Role | None:
        """The role a binding references, as the binding sees it: in the input, else built in, else None."""
        name = binding.role_name.value or ""
        found = None
        if self._roles is not None:
            namespace = binding.obj.namespace or "default" if binding.role_kind == "Role" else None
            found = self._roles.nearest(binding.obj, (binding.role_kind, namespace, name))
        if found is not None or binding.role_kind == "Role":
            return found
        return builtin_cluster_role(name)

    def _members(self, role: Role, near: K8sObject | None) -> list[Role]:
        """The ClusterRoles of the input that an aggregated ClusterRole selects, as ``near`` sees them."""
        if near is None or self._cluster_roles is None:
            candidates: list[Role] = [r for r in self.roles if r.kind == "ClusterRole"]
        else:
            candidates = self._cluster_roles.visible(near, "ClusterRole")
        return [
            other for other in candidates
            if other is not role and any(not s.is_empty and s.matches(other.labels) for s in role.aggregation)
        ]

    def effective_rules(self, role: Role, near: K8sObject | None = None) -> tuple[RbacRule, ...]:
        """A role's rules; for an aggregated ClusterRole, the rules of every ClusterRole it selects.

        Members are looked up from the role itself, or for a built-in role
        from ``near`` (the binding that grants it).
        """
        if not role.is_aggregated:
            return role.rules
        anchor = role.obj or near
        cache_key = (id(role), id(anchor))
        cached = self._aggregated.get(cache_key)
        if cached is not None:
            return cached
        out: list[RbacRule] = list(role.rules)
        seen = {id(role)}
        pending = [role]
        while pending:  # aggregated roles may select other aggregated roles
            current = pending.pop()
            for other in self._members(current, current.obj or anchor):
                if id(other) in seen:
                    continue
                seen.add(id(other))
                out.extend(other.rules)
                if other.is_aggregated:
                    pending.append(other)
        result = tuple(out)
        self._aggregated[cache_key] = result
        return result

    def aggregated_into(self, role: Role) -> list[Role]:
        """ClusterRoles in the input whose aggregationRule selects ``role`` (as each of them sees it)."""
        if self._parents is None:
            self._parents = defaultdict(list)
            for parent in self.roles:
                if parent.kind == "ClusterRole" and parent.is_aggregated:
                    for member in self._members(parent, parent.obj):
                        self._parents[id(member)].append(parent)
        return list(self._parents.get(id(role), ()))

    def bindings_of_service_account(self, namespace: str, name: str, near: K8sObject) -> list[tuple[Binding, Subject]]:
        """Bindings that reach the ServiceAccount, by name or through its groups, as ``near`` (the workload
        that runs as it) sees them."""
        if self._subjects is None:
            return []
        keys = [("ServiceAccount", namespace, name)] + [("Group", g) for g in sorted(service_account_groups(namespace))]
        return [entry for key in keys for entry in self._subjects.visible(near, key)]

    def grant(self, binding: Binding, subject: Subject) -> Grant:
        role = self.role_of(binding)
        rules = self.effective_rules(role, binding.obj) if role is not None else ()
        return Grant(binding, role, binding.namespace, subject, rules)

    def permissions_of(self, namespace: str, name: str, near: K8sObject) -> Permissions:
        """The union of what every binding reaching ServiceAccount ``namespace/name`` grants (seen from ``near``)."""
        return Permissions(
            tuple(self.grant(b, s) for b, s in self.bindings_of_service_account(namespace, name, near))
        )

    def is_bound(self, role: Role) -> bool:
        """Some binding in the input references the role (or a role that aggregates it).

        A ClusterRole labelled for aggregation into a built-in role (admin,
        edit, view) counts as bound: the cluster's own roles use it.
        """
        if role.kind == "ClusterRole":
            for name in BROAD_BUILTIN_ROLES + ("view",):
                builtin = builtin_cluster_role(name)
                if builtin is not None and any(s.matches(role.labels) for s in builtin.aggregation):
                    return True
        if self._bound is None:
            self._bound = set()
            for binding in self.bindings:
                found = self.role_of(binding)
                if found is not None:
                    self._bound.add(id(found))
        pending, seen = [role], {id(role)}
        while pending:  # the role, the roles that aggregate it, the roles that aggregate those, ...
            current = pending.pop()
            if id(current) in self._bound:
                return True
            for parent in self.aggregated_into(current):
                if id(parent) not in seen:
                    seen.add(id(parent))
                    pending.append(parent)
        return False
