"""ConfigMaps, and what a container's environment reads from the Secrets and ConfigMaps of the input.

Kubernetes fills a container's environment from, in increasing precedence
(``k8s.io/kubernetes/pkg/kubelet/kubelet_pods.go``, ``makeEnvironmentVariables``):

1. each ``envFrom`` source in order (``secretRef`` / ``configMapRef``, every
   key, with the optional ``prefix``; a later source wins for a duplicate name);
2. each ``env`` entry in order: a literal ``value`` or a ``valueFrom``
   ``secretKeyRef`` / ``configMapKeyRef`` (one key of one object).

A Secret's ``stringData`` wins over its ``data`` (base64) for a key, as the API
server merges them. A value read from an object of the input is known, and
located at that object's entry: in a manifest, the ``data``/``stringData``
line; for a Secret the Headlamp chart renders from values, the values key that
produced it. A reference to an object not in the input stays unknown ("set,
value unknown"), as does a ``fieldRef`` or ``resourceFieldRef``.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from linter.located import Located, Origin
from linter.model.nearby import Nearby, Twins
from linter.model.nodes import FieldReader, ShapeProblem
from linter.model.objects import K8sObject
from linter.records import record
from linter.yamlpos import MapNode, ScalarNode

if TYPE_CHECKING:
    from linter.model import Model
    from linter.model.tls import Secret
    from linter.model.workloads import Container, Workload


@record(frozen=True, slots=True)
class ConfigMap:
    obj: K8sObject
    entries: dict[str, Located]  # key -> its text (``data``, and ``binaryData`` decoded when UTF-8)


def build_config_map(reader: FieldReader, obj: K8sObject, node: MapNode) -> ConfigMap | None:
    if obj.kind != "ConfigMap" or obj.api_version != "v1":
        return None
    entries: dict[str, Located] = {}
    data = reader.mapping(node, "data")
    for key, value in data.entries if data is not None else ():
        if not isinstance(value, ScalarNode):
            if reader.origin_of(value) is Origin.MANIFEST:  # the chart renders a values mapping with toYaml
                reader.wrong(value, f"data.{key.text}", "a string")
            continue
        entries[key.text] = reader.located("" if value.value is None else value.text, value, f"data.{key.text}")
    binary = reader.mapping(node, "binaryData")
    for key, value in binary.entries if binary is not None else ():
        if not isinstance(value, ScalarNode):
            reader.wrong(value, f"binaryData.{key.text}", "a base64 string")
            continue
        content = decode_base64(reader, obj, value, f"binaryData.{key.text}")
        text = _text(content)
        if text is not None:
            entries.setdefault(key.text, reader.located(text, value, f"binaryData.{key.text}"))
    return ConfigMap(obj, entries)


def decode_base64(reader: FieldReader, obj: K8sObject, value: ScalarNode, key: str) -> bytes | None:
    """The bytes of a base64 value; None (and an HL009 problem at the value) when it is not base64."""
    text = "" if value.value is None else value.text
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        problem = ShapeProblem(
            reader.location(value),
            f"{key} of {obj.ref} is not valid base64, so Kubernetes rejects the object; its value is ignored",
        )
        if problem not in reader.problems:
            reader.problems.append(problem)
        return None


def _obj(item: "Secret | ConfigMap") -> K8sObject:
    return item.obj


def _text(content: bytes | None) -> str | None:
    if content is None:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


@record(frozen=True, slots=True)
class EnvValue:
    """One environment variable of a container as Kubernetes sets it.

    ``text`` is None when the value cannot be known offline (an object not in
    the input, a ``fieldRef``, a key the object lacks). ``source`` is the
    entry of the Secret or ConfigMap it was read from (its location and
    origin: manifest, or the values key for a rendered Secret); None for a
    literal ``value``. ``name_location`` is the ``env`` entry, or for
    ``envFrom`` the object's key (where a variable's name is written).
    """

    name: str
    text: str | None
    from_secret: bool
    source: Located | None
    name_location: Located
    literal: bool  # a ``value:`` written in the container itself
    via: str = ""  # e.g. "Secret default/oidc key issuerURL", for messages
    encoded: bool = False  # read from a Secret's base64 ``data`` (not ``stringData``)

    @property
    def known(self) -> bool:
        return self.text is not None


@record(frozen=True, slots=True)
class _Entry:
    fact: Located  # the value node of the entry
    text: str | None  # None: not UTF-8 text, or not valid base64
    encoded: bool


@record(frozen=True)
class EnvSources:
    """The Secrets and ConfigMaps of the input by (namespace, name), as each workload sees them
    (``linter.model.nearby``: of one identity in several environments, the nearest), built once per model."""

    secrets: Nearby["Secret"]
    config_maps: Nearby[ConfigMap]

    @classmethod
    def of(cls, model: "Model") -> "EnvSources":
        return cls(
            Nearby(model.secrets, lambda s: ((s.obj.namespace or "default", s.obj.name),), _obj, model.twins),
            Nearby(model.config_maps, lambda c: ((c.obj.namespace or "default", c.obj.name),), _obj, model.twins),
        )

    @classmethod
    def none(cls) -> "EnvSources":
        return cls(Nearby((), lambda s: (), _obj, Twins.none()), Nearby((), lambda c: (), _obj, Twins.none()))

    def entries(self, kind: str, namespace: str, name: str, near: K8sObject) -> dict[str, _Entry] | None:
        """Key -> entry of the named Secret ("secret") or ConfigMap; None when it is not in the input."""
        if kind == "secret":
            secret = self.secrets.nearest(near, (namespace, name))
            if secret is None:
                return None
            return {key: _Entry(e.fact, _text(e.content), e.encoded) for key, e in secret.entries.items()}
        config_map = self.config_maps.nearest(near, (namespace, name))
        if config_map is None:
            return None
        return {key: _Entry(fact, str(fact.value), False) for key, fact in config_map.entries.items()}

    def environment(self, container: "Container", workload: "Workload | None") -> dict[str, EnvValue]:
        """Every variable the container's environment holds, by name, as Kubernetes resolves it
        (without a workload, nothing is read from Secrets or ConfigMaps)."""
        namespace = workload.namespace if workload is not None else "default"

        def lookup(kind: str, name: str) -> dict[str, _Entry] | None:
            return self.entries(kind, namespace, name, workload.obj) if workload is not None else None

        out: dict[str, EnvValue] = {}
        for env_from in container.env_from:
            kind = "secret" if env_from.kind == "secretRef" else "configMap"
            entries = lookup(kind, env_from.name)
            what = "Secret" if kind == "secret" else "ConfigMap"
            for key, entry in (entries or {}).items():
                name = env_from.prefix + key
                out[name] = EnvValue(name, entry.text, kind == "secret", entry.fact, entry.fact, False,
                                     f"{what} {namespace}/{env_from.name} key {key}", entry.encoded)
        for var in container.env:
            name_fact = Located(var.name, var.location, var.value.origin, var.name)
            if var.source is None:
                out[var.name] = EnvValue(var.name, var.value.value if var.value.value is not None else "", False,
                                         None, name_fact, True)
                continue
            secret = var.source == "secretKeyRef"
            if var.source in ("secretKeyRef", "configMapKeyRef") and var.source_name and var.source_key:
                kind = "secret" if secret else "configMap"
                entries = lookup(kind, var.source_name)
                found = (entries or {}).get(var.source_key)
                if found is not None:
                    what = "Secret" if secret else "ConfigMap"
                    out[var.name] = EnvValue(var.name, found.text, secret, found.fact, name_fact, False,
                                             f"{what} {namespace}/{var.source_name} key {var.source_key}",
                                             found.encoded)
                    continue
            out[var.name] = EnvValue(var.name, None, secret, None, name_fact, False)
        return out
