"""Shared logic for the server-setting rules (HL006, HL1xx, HL2xx): which servers, how to word and blame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from linter.diagnostics import Finding, Severity
from linter.located import Located, Location, Origin
from linter.model.headlamp import ImageRef, Installation
from linter.model.ingress_auth import authentication_annotations
from linter.model.network import HTTPRoute, Ingress, IngressBackend, backend_namespace
from linter.model.server import ServerSettings, Setting
from linter.model.workloads import Container
from linter.records import record
from linter.versions import Version

if TYPE_CHECKING:
    from linter.model import Model


@record(frozen=True)
class Server:
    """One Headlamp container of an installation with its effective settings."""

    installation: Installation
    container: Container
    settings: ServerSettings

    @property
    def subject(self) -> str:
        return f'Headlamp container "{self.container.name}" of {self.installation.ref}'

    def get(self, flag: str) -> Setting | None:
        return self.settings.get(flag)

    def enabled(self, flag: str) -> bool:
        return self.settings.enabled(flag)

    def is_set(self, flag: str) -> bool:
        return self.settings.is_set(flag)

    @property
    def version(self) -> Version | None:
        """The Headlamp version from the image tag; None for latest, a digest only, or no image."""
        image = self.container.image.value
        return Version.parse(ImageRef.parse(str(image)).tag) if image else None

    @property
    def from_values(self) -> bool:
        """Rendered from a Headlamp values file (so fixes are values keys, not manifest fields)."""
        return self.container.image.origin in (Origin.VALUES, Origin.CHART_DEFAULT)

    @property
    def has_oidc(self) -> bool:
        return self.is_set("oidc-client-id") and self.is_set("oidc-idp-issuer-url")

    @property
    def has_proxy_auth(self) -> bool:
        return self.enabled("proxy-auth")

    def finding(self, location: Location, message: str, flag: str, severity: Severity | None = None) -> Finding:
        return Finding(location, message, self.installation.ref, f"containers[{self.container.name}].-{flag}", severity)


def servers(model: "Model") -> Iterator[Server]:
    """Every Headlamp container whose arguments we can read (a shell script is not interpreted)."""
    for installation in model.installations:
        for container, settings in zip(installation.headlamp_containers, installation.servers):
            if settings.analysable:
                yield Server(installation, container, settings)


def installation_servers(installation: Installation) -> list[Server]:
    return [
        Server(installation, c, s)
        for c, s in zip(installation.headlamp_containers, installation.servers)
        if s.analysable
    ]


def fully_analysable(installation: Installation) -> bool:
    return all(s.analysable for s in installation.servers)


OIDC_VALUES_HINT = (
    "; set config.oidc.clientID and config.oidc.issuerURL (or config.oidc.externalSecret) in your values"
)


def provenance(fact: Located) -> str:
    """`` (values key x)`` or `` (chart default for x)`` for facts a values file produced; empty for manifests."""
    if fact.origin in (Origin.VALUES, Origin.CHART_DEFAULT, Origin.DERIVED):
        return f" ({fact.describe()})"
    return ""


def default_hint(setting: Setting, wanted: object) -> str:
    """For a chart default: which values key to set, and to what."""
    if setting.fact.origin is Origin.CHART_DEFAULT:
        return f"; set {setting.fact.key}: {wanted} in your values"
    return ""


def phrase(setting: Setting) -> str:
    """``-flag set by <where>``: the setting and where it came from."""
    return f"-{setting.flag} set by {setting.describe()}"


def value_location(server: Server, setting: Setting) -> Location:
    """Where the setting's text is written: the Secret or ConfigMap entry it was read from, the env entry
    a ``$(VAR)`` expands from, else the setting itself."""
    if setting.source is not None:
        return setting.source.location
    if setting.literal:
        for ref in setting.refs:
            for var in server.container.env:
                if var.name == ref and var.source is None:
                    return var.value.location
    return setting.fact.location


# --- exposure -----------------------------------------------------------------


@record(frozen=True)
class Exposure:
    """One way Headlamp is reachable from outside the cluster."""

    what: str  # e.g. "Ingress default/headlamp", "Service default/headlamp of type NodePort"
    location: Location  # the backend that routes to Headlamp, or the Service type
    kind: str  # "ingress", "route" or "service"
    authenticated: bool  # the Ingress controller authenticates requests first (annotation)


def routes_to_headlamp(installation: Installation, route: Ingress | HTTPRoute, backend: IngressBackend) -> bool:
    """Whether a backend of ``route`` names one of Headlamp's Services (in the route's namespace, or a
    Gateway API backendRef's own)."""
    wanted = backend_namespace(route, backend)
    return any(
        backend.service == s.obj.name and wanted == (s.obj.namespace or "default") and s.port_matches(backend.port)
        for s in installation.services
    )


def exposures(installation: Installation) -> list[Exposure]:
    out = []
    for ingress in installation.ingresses:
        backend = next((b for b in ingress.backends if routes_to_headlamp(installation, ingress, b)), None)
        location = backend.location if backend is not None else ingress.obj.location
        out.append(Exposure(str(ingress.obj.ref), location, "ingress", bool(authentication_annotations(ingress))))
    for route in installation.http_routes:
        backend = next((b for b in route.backends if routes_to_headlamp(installation, route, b)), None)
        location = backend.location if backend is not None else route.obj.location
        out.append(Exposure(str(route.obj.ref), location, "route", False))
    for service in installation.external_services:
        assert service.exposure is not None
        out.append(Exposure(f"{service.obj.ref} {service.exposure.what}", service.exposure.fact.location, "service",
                            False))
    return out
