"""The kubeconfig a Headlamp container is given, read from a Secret or ConfigMap of the input.

Headlamp loads a kubeconfig from ``-kubeconfig`` (or ``HEADLAMP_CONFIG_KUBECONFIG``),
else from the ``KUBECONFIG`` environment variable (a ``:``-separated list,
as client-go reads it). A path is followed to the container's
``volumeMounts``: a ``secret`` or ``configMap`` volume (its ``items`` map
keys to paths; a ``subPath`` mount is one key), and the key's text in that
object of the input is the kubeconfig.

Its users are classified by how they authenticate (client-go's
``clientcmdapi.AuthInfo``): a static ``token`` (a ServiceAccount token
when it is a JWT whose subject is ``system:serviceaccount:<ns>:<name>``),
``tokenFile`` (the pod's own ServiceAccount token at
``/var/run/secrets/kubernetes.io/serviceaccount/token``), a client
certificate (``client-certificate[-data]``), or ``username``/``password``.
``exec`` and ``auth-provider`` users get short-lived credentials and are
not static. The user of ``current-context`` is the one used; without a
current context every user counts.
"""

from __future__ import annotations

import base64
import binascii
import json
import posixpath
from typing import TYPE_CHECKING

from linter.located import Location
from linter.model.env_sources import EnvSources
from linter.records import record
from linter.yamlpos import MapNode, ScalarNode, SeqNode, load

if TYPE_CHECKING:
    from linter.model import Model
    from linter.model.headlamp import Installation
    from linter.model.server import ServerSettings
    from linter.model.workloads import Container

SA_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token"
SA_PREFIX = "system:serviceaccount:"


@record(frozen=True, slots=True)
class KubeUser:
    name: str
    credential: str  # "token", "service-account-token", "token-file", "client-certificate", "basic"; "" if none
    service_account: tuple[str, str] | None  # (namespace, name) when the identity is a ServiceAccount

    @property
    def is_static(self) -> bool:
        return bool(self.credential)


@record(frozen=True, slots=True)
class Kubeconfig:
    """One kubeconfig file Headlamp reads, found in the input.

    ``location`` is the Secret's or ConfigMap's entry that holds it (or the
    values key that produced it); ``problem`` says why it cannot be read as
    a kubeconfig (then ``users`` is empty).
    """

    path: str  # the path Headlamp is given
    given_by: str  # e.g. "-kubeconfig set by arg -kubeconfig=/etc/kube/config" or "env KUBECONFIG"
    held_in: str  # e.g. "Secret tools/headlamp-kubeconfig key config"
    location: Location
    users: tuple[KubeUser, ...] = ()
    problem: str | None = None


def kubeconfig_paths(server: "ServerSettings") -> list[tuple[str, str]]:
    """(path, how it is given) for each kubeconfig file Headlamp loads."""
    setting = server.get("kubeconfig")
    if setting is not None and setting.known and isinstance(setting.value, str) and setting.value:
        return [(p, f"-kubeconfig set by {setting.describe()}") for p in setting.value.split(":") if p]
    env = server.environment.get("KUBECONFIG")
    if env is not None and env.text:
        return [(p, "env KUBECONFIG") for p in env.text.split(":") if p]
    return []


def _mounted(container: "Container", installation: "Installation", path: str) -> tuple[str, str, str] | None:
    """(object kind, object name, key) of the secret/configMap volume file at ``path``, if any."""
    volumes = {v.name: v for v in installation.workload.pod.volumes}
    path = posixpath.normpath(path)
    for mount in container.volume_mounts:
        volume = volumes.get(mount.name)
        if volume is None or not volume.object_kind or not volume.object_name:
            continue
        root = posixpath.normpath(mount.mount_path)
        if mount.sub_path:
            if path != root:
                continue
            relative = mount.sub_path
        elif path.startswith(root.rstrip("/") + "/"):
            relative = path[len(root.rstrip("/")) + 1:]
        else:
            continue
        if volume.items:
            keys = [key for key, item_path in volume.items if posixpath.normpath(item_path) == relative]
            if not keys:
                continue
            relative = keys[0]
        return volume.object_kind, volume.object_name, relative
    return None


def kubeconfigs_of(model: "Model", installation: "Installation", sources: EnvSources | None = None) -> list[
        tuple["Container", "ServerSettings", Kubeconfig]]:
    """Every kubeconfig of the installation's Headlamp containers that the input holds."""
    sources = sources or EnvSources.of(model)
    out = []
    for container, server in zip(installation.headlamp_containers, installation.servers):
        for path, given_by in kubeconfig_paths(server):
            mounted = _mounted(container, installation, path)
            if mounted is None:
                continue
            kind, name, key = mounted
            entries = sources.entries(kind, installation.workload.namespace, name, installation.workload.obj)
            entry = (entries or {}).get(key)
            if entry is None:
                continue
            what = "Secret" if kind == "secret" else "ConfigMap"
            held_in = f"{what} {installation.workload.namespace}/{name} key {key}"
            if entry.text is None:
                config = Kubeconfig(path, given_by, held_in, entry.fact.location,
                                    problem="its data is not valid base64 or not text")
            else:
                config = parse_kubeconfig(entry.text, path, given_by, held_in, entry.fact.location)
            out.append((container, server, config))
    return out


def parse_kubeconfig(text: str, path: str, given_by: str, held_in: str, location: Location) -> Kubeconfig:
    loaded = load(text)
    problems = loaded.problems + [p for d in loaded.documents for p in d.problems]
    if problems:
        first = problems[0]
        return Kubeconfig(path, given_by, held_in, location,
                          problem=f"it is not valid YAML (line {first.span.line} of the file: {first.message})")
    root = loaded.documents[0].root if loaded.documents else None
    if not isinstance(root, MapNode):
        return Kubeconfig(path, given_by, held_in, location, problem="it is not a mapping (kind: Config)")
    users = []
    for item in _maps(root.get("users")):
        name = _text(item.get("name")) or "(unnamed)"
        user = item.get("user")
        users.append(_classify(name, user if isinstance(user, MapNode) else MapNode([], item.span)))
    current = _text(root.get("current-context"))
    if current:
        for context in _maps(root.get("contexts")):
            inner = context.get("context")
            if _text(context.get("name")) == current and isinstance(inner, MapNode):
                wanted = _text(inner.get("user"))
                users = [u for u in users if u.name == wanted]
                break
    return Kubeconfig(path, given_by, held_in, location, tuple(users))


def _maps(node: object) -> list[MapNode]:
    return [item for item in node.items if isinstance(item, MapNode)] if isinstance(node, SeqNode) else []


def _text(node: object) -> str | None:
    return node.text if isinstance(node, ScalarNode) and node.value is not None else None


def _classify(name: str, user: MapNode) -> KubeUser:
    if "exec" in user or "auth-provider" in user:
        return KubeUser(name, "", None)  # short-lived credentials from a plugin or provider
    token = _text(user.get("token"))
    if token:
        account = service_account_of_token(token)
        return KubeUser(name, "service-account-token" if account else "token", account)
    token_file = _text(user.get("tokenFile"))
    if token_file:
        own = posixpath.normpath(token_file) == SA_TOKEN_PATH
        return KubeUser(name, "service-account-token" if own else "token-file", None)
    if _text(user.get("client-certificate-data")) or _text(user.get("client-certificate")):
        return KubeUser(name, "client-certificate", None)
    if _text(user.get("username")) and _text(user.get("password")):
        return KubeUser(name, "basic", None)
    return KubeUser(name, "", None)


def service_account_of_token(token: str) -> tuple[str, str] | None:
    """(namespace, name) of a ServiceAccount JWT (its ``sub``), read without verifying it; else None."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    subject = claims.get("sub") if isinstance(claims, dict) else None
    if not isinstance(subject, str) or not subject.startswith(SA_PREFIX):
        return None
    namespace, _, name = subject[len(SA_PREFIX):].partition(":")
    return (namespace, name) if namespace and name else None
