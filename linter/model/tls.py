"""Secrets and cert-manager objects, and how Headlamp's Ingresses reach them.

A ``kubernetes.io/tls`` Secret holds the certificate an Ingress serves
(``spec.tls[].secretName``); cert-manager issues it from a ``Certificate``
(``spec.secretName`` + ``issuerRef``) or from the Ingress annotations
``cert-manager.io/cluster-issuer`` / ``cert-manager.io/issuer``. An Issuer
or ClusterIssuer with ``spec.selfSigned`` signs certificates with their own
key. Certificate bytes are only decoded here; parsing them is
linter/model/certs.py (which imports ``cryptography`` lazily).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.located import Located, Location
from linter.model.env_sources import decode_base64
from linter.model.nearby import Nearby
from linter.model.nodes import FieldReader, key_location
from linter.model.objects import K8sObject
from linter.records import record
from linter.yamlpos import MapNode, ScalarNode

if TYPE_CHECKING:
    from linter.model import Model
    from linter.model.network import Ingress, IngressTLS

CLUSTER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer"
ISSUER_ANNOTATION = "cert-manager.io/issuer"


@record(frozen=True, slots=True)
class SecretEntry:
    """One key of a Secret: its decoded bytes (None when ``data`` is not valid base64)."""

    key: str
    content: bytes | None
    fact: Located  # the value node, so findings point at the certificate text
    encoded: bool  # from ``data`` (base64) rather than ``stringData``


@record(frozen=True, slots=True)
class Secret:
    obj: K8sObject
    type: str
    entries: dict[str, SecretEntry]  # stringData wins over data, as the API server merges them

    def entry(self, key: str) -> SecretEntry | None:
        return self.entries.get(key)


@record(frozen=True, slots=True)
class Issuer:
    """An Issuer or ClusterIssuer; ``self_signed`` is the ``spec.selfSigned`` key when present."""

    obj: K8sObject
    self_signed: Location | None


@record(frozen=True, slots=True)
class Certificate:
    obj: K8sObject
    secret_name: str | None
    issuer_name: str | None
    issuer_kind: str  # "Issuer" (the default) or "ClusterIssuer"
    issuer_location: Location  # the issuerRef name, or the spec to blame


def build_secret(reader: FieldReader, obj: K8sObject, node: MapNode) -> Secret | None:
    if obj.kind != "Secret" or obj.api_version != "v1":
        return None
    entries: dict[str, SecretEntry] = {}
    data = reader.mapping(node, "data")
    for key, value in data.entries if data is not None else ():
        if not isinstance(value, ScalarNode):
            reader.wrong(value, f"data.{key.text}", "a base64 string")
            continue
        text = "" if value.value is None else value.text
        content = decode_base64(reader, obj, value, f"data.{key.text}")
        entries[key.text] = SecretEntry(key.text, content, reader.located(text, value, f"data.{key.text}"), True)
    string_data = reader.mapping(node, "stringData")
    for key, value in string_data.entries if string_data is not None else ():
        if not isinstance(value, ScalarNode):
            reader.wrong(value, f"stringData.{key.text}", "a string")
            continue
        text = "" if value.value is None else value.text
        entries[key.text] = SecretEntry(
            key.text, text.encode("utf-8"), reader.located(text, value, f"stringData.{key.text}"), False
        )
    return Secret(obj, reader.string(node, "type") or "Opaque", entries)


def build_issuer(reader: FieldReader, obj: K8sObject, node: MapNode) -> Issuer | None:
    if obj.kind not in ("Issuer", "ClusterIssuer") or obj.group != "cert-manager.io":
        return None
    spec = reader.mapping(node, "spec")
    self_signed = spec.key("selfSigned") if spec is not None else None
    return Issuer(obj, reader.location(self_signed) if self_signed is not None else None)


def build_certificate(reader: FieldReader, obj: K8sObject, node: MapNode) -> Certificate | None:
    if obj.kind != "Certificate" or obj.group != "cert-manager.io":
        return None
    spec = reader.mapping(node, "spec")
    ref = reader.mapping(spec, "issuerRef", "spec.issuerRef")
    anchor = key_location(reader, node, "spec", obj.location)
    name_node = reader.scalar(ref, "name", "spec.issuerRef.name")
    return Certificate(
        obj,
        reader.string(spec, "secretName", "spec.secretName"),
        reader.string(ref, "name", "spec.issuerRef.name"),
        reader.string(ref, "kind", "spec.issuerRef.kind") or "Issuer",
        reader.location(name_node) if name_node is not None else key_location(reader, spec, "issuerRef", anchor),
    )


# --- links -------------------------------------------------------------------


@record(frozen=True)
class SelfSignedIssuer:
    """A self-signed issuer that signs the certificate of one of Headlamp's Ingresses."""

    issuer: Issuer
    via: str  # words for the message: the annotation or the Certificate
    location: Location  # the annotation value or the Certificate's issuerRef name


@record(frozen=True)
class TLSIndex:
    """Secrets, Certificates and Issuers, each looked up from the object that refers to it
    (linter/model/nearby.py), built once per rule run."""

    secrets: Nearby[Secret]  # by (namespace, name)
    certificates: Nearby[Certificate]  # by (namespace, the Secret they write)
    issuers: Nearby[Issuer]  # by (kind, namespace or "", name)

    @classmethod
    def of(cls, model: "Model") -> "TLSIndex":
        return cls(
            secrets=Nearby(model.secrets, lambda s: ((s.obj.namespace or "default", s.obj.name),), _obj, model.twins),
            certificates=Nearby(
                model.certificates,
                lambda c: ((c.obj.namespace or "default", c.secret_name),) if c.secret_name else (),
                _obj,
                model.twins,
            ),
            issuers=Nearby(
                model.issuers, lambda i: ((i.obj.kind, i.obj.namespace or "", i.obj.name),), _obj, model.twins
            ),
        )

    def secret(self, namespace: str, name: str, near: K8sObject) -> Secret | None:
        """The Secret ``namespace/name`` as the object ``near`` (which refers to it) sees it."""
        return self.secrets.nearest(near, (namespace, name))

    def secret_for(self, ingress: "Ingress", tls: "IngressTLS") -> Secret | None:
        if not tls.secret_name:
            return None
        return self.secret(ingress.obj.namespace or "default", tls.secret_name, ingress.obj)

    def issuer(self, kind: str, namespace: str, name: str, near: K8sObject) -> Issuer | None:
        return self.issuers.nearest(near, (kind, "" if kind == "ClusterIssuer" else namespace, name))

    def self_signed_issuers(self, ingress: "Ingress") -> list[SelfSignedIssuer]:
        """Self-signed issuers reached from the Ingress's annotations or the Certificates of its TLS Secrets."""
        namespace = ingress.obj.namespace or "default"
        out: list[SelfSignedIssuer] = []
        for annotation, kind in ((CLUSTER_ISSUER_ANNOTATION, "ClusterIssuer"), (ISSUER_ANNOTATION, "Issuer")):
            fact = ingress.annotations.get(annotation)
            if fact is None:
                continue
            issuer = self.issuer(kind, namespace, str(fact.value), ingress.obj)
            if issuer is not None and issuer.self_signed is not None:
                out.append(SelfSignedIssuer(issuer, f"annotation {annotation}", fact.location))
        for tls in ingress.tls:
            if not tls.secret_name:
                continue
            for cert in self.certificates.visible(ingress.obj, (namespace, tls.secret_name)):
                issuer = self.issuer(cert.issuer_kind, namespace, cert.issuer_name or "", cert.obj)
                if issuer is not None and issuer.self_signed is not None:
                    out.append(SelfSignedIssuer(issuer, f"{cert.obj.ref} (secret {tls.secret_name})", cert.issuer_location))
        return out


def _obj(item: Secret | Certificate | Issuer) -> K8sObject:
    return item.obj
