"""The normalized model that rules read: objects, workloads and Headlamp installations.

``ModelParts`` is what one file contributes (built per file, possibly in
parallel); ``Model`` is the merged whole with the cross-object links.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TypeVar

from linter.located import Located
from linter.model.env_sources import ConfigMap
from linter.model.headlamp import Installation
from linter.model.ingress_controls import Middleware
from linter.model.links import NetworkIndex
from linter.model.nearby import Nearby, Twins
from linter.model.network import Gateway, HTTPRoute, Ingress, NetworkPolicy, Service
from linter.model.objects import K8sObject
from linter.model.rbac import Binding, RbacGraph, Role, ServiceAccount
from linter.model.tls import Certificate, Issuer, Secret
from linter.model.workloads import UnplacedContainers, Workload
from linter.records import field, record


@record(frozen=True, slots=True)
class FlagHint:
    """A Headlamp flag a values file leaves out of the rendering by a value the user wrote.

    The chart renders nothing for it (``config.oidc.usePKCE: false`` renders no
    ``-oidc-use-pkce``), so only this fact says where the user chose it.
    """

    workload: str  # the rendered workload's ref, e.g. "Deployment default/headlamp"
    path: str  # the values file the workload is rendered at (twins in other files are other workloads)
    flag: str  # without the dash: "oidc-use-pkce"
    fact: Located  # the user's values node


@record(frozen=True, slots=True)
class ImagePart:
    """Which values key carries one aspect of a rendered image (values files only).

    The chart builds ``image`` from ``image.registry``, ``image.repository`` and
    ``image.tag``; a finding about the version blames ``image.tag`` (or the
    chart's appVersion), one about the registry the key that names it.
    ``fact`` has the whole image as its value, located at that key.
    """

    workload: str  # the rendered workload's ref
    path: str  # the values file the workload is rendered at
    container: str
    part: str  # "version" or "registry"
    fact: Located


_Hint = TypeVar("_Hint", FlagHint, ImagePart)


@record
class ModelParts:
    """The typed objects built from one file's Kubernetes objects."""

    objects: list[K8sObject] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)
    service_accounts: list[ServiceAccount] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    ingresses: list[Ingress] = field(default_factory=list)
    http_routes: list[HTTPRoute] = field(default_factory=list)
    gateways: list[Gateway] = field(default_factory=list)
    network_policies: list[NetworkPolicy] = field(default_factory=list)
    secrets: list[Secret] = field(default_factory=list)
    config_maps: list[ConfigMap] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)  # cert-manager
    issuers: list[Issuer] = field(default_factory=list)  # cert-manager Issuers and ClusterIssuers
    roles: list[Role] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    middlewares: list[Middleware] = field(default_factory=list)
    unplaced_containers: list[UnplacedContainers] = field(default_factory=list)  # unknown kinds' containers
    flag_hints: list[FlagHint] = field(default_factory=list)  # values files only
    image_parts: list[ImagePart] = field(default_factory=list)  # values files only

    def extend(self, other: "ModelParts") -> None:
        for f in fields(ModelParts):
            getattr(self, f.name).extend(getattr(other, f.name))


@record
class Model(ModelParts):
    """The whole run, linked (linter/model/builder.py: ``build_model``).

    ``twins`` says which identities occur in several files (one per
    environment): every lookup from one object to another goes through
    ``linter.model.nearby`` so that each sees only its own environment.
    """

    installations: list[Installation] = field(default_factory=list)
    rbac: RbacGraph = field(default_factory=RbacGraph)
    twins: Twins = field(default_factory=Twins.none)
    network: NetworkIndex | None = field(default=None, repr=False)

    # ServiceAccounts by (namespace, name); rebuilt when the list has grown.
    _accounts: Nearby[ServiceAccount] | None = field(default=None, repr=False, compare=False)
    _accounts_indexed: int = field(default=-1, repr=False, compare=False)
    # flag_hints and image_parts by (workload ref, file), with the length each index was built at.
    _hint_index: dict[str, tuple[int, dict[tuple[str, str], list]]] = field(
        default_factory=dict, repr=False, compare=False)

    def flag_hints_of(self, workload: Workload) -> list[FlagHint]:
        """The flag hints of a values-rendered ``workload`` (by ref and by the file it is rendered at)."""
        return self._hints("flag_hints", self.flag_hints, workload)

    def image_parts_of(self, workload: Workload) -> list[ImagePart]:
        """The image parts of a values-rendered ``workload``, as flag_hints_of."""
        return self._hints("image_parts", self.image_parts, workload)

    def _hints(self, name: str, items: "list[_Hint]", workload: Workload) -> "list[_Hint]":
        # A lookup per container and rule: indexed, since environments multiply both workloads and hints.
        built = self._hint_index.get(name)
        if built is None or built[0] != len(items):
            index: dict[tuple[str, str], list] = {}
            for item in items:
                index.setdefault((item.workload, item.path), []).append(item)
            built = self._hint_index[name] = (len(items), index)
        return built[1].get((str(workload.obj.ref), workload.obj.location.path), [])

    def service_account(self, namespace: str, name: str, near: K8sObject) -> ServiceAccount | None:
        """The ServiceAccount ``namespace/name`` that object ``near`` sees.

        A lookup per binding subject and per workload: indexed, not a scan (no all-pairs loop).
        """
        if self._accounts is None or self._accounts_indexed != len(self.service_accounts):
            self._accounts = Nearby(
                self.service_accounts, lambda a: ((a.namespace, a.name),), lambda a: a.obj, self.twins
            )
            self._accounts_indexed = len(self.service_accounts)
        return self._accounts.nearest(near, (namespace, name))
