"""`headlamp-lint harden-values`: a commented, hardened starter values file for a Headlamp chart version.

Only keys the chart version knows are written (each is checked against the
chart's own values for that version, so a chart change is caught by the
tests, not by users). Charts before ``MIN_CHART`` lack keys the hardening
needs (``hostUsers`` from 0.40.0, whose Headlamp also knows ``-oidc-use-pkce``)
and are refused.
"""

from __future__ import annotations

from linter.errors import LintError
from linter.fix import CHART_TMP_VOLUME  # from this chart version the chart mounts an emptyDir at /tmp itself
from linter.values import chart
from linter.values.chart import version_key

MIN_CHART = "0.40.0"
# Releases in the range that cannot start as the chart ships them: refused with the reason.
BROKEN_CHARTS = {
    "0.40.1": "its default config.sessionTTL renders -session-ttl, which its Headlamp 0.40.1 does not know"
              " (HL006: the server refuses to start); use 0.40.0 or 0.41.0+",
}
# `config.sessionTTL` (chart 0.40.1) renders -session-ttl, which Headlamp knows from 0.41.0 (chart 0.41.0 ships it).
CHART_SESSION_TTL = "0.41.0"


class UnsupportedChart(LintError):
    """The chart version is too old (or unknown) for a hardened values file."""


def supported_versions() -> list[str]:
    return [r.version for r in chart.releases()
            if version_key(r.version) >= version_key(MIN_CHART) and r.version not in BROKEN_CHARTS]


def harden_values(chart_version: str | None = None) -> str:
    """The hardened values text for ``chart_version`` (the newest known chart when None)."""
    # An unknown version is a UsageError naming the known range (exit 2).
    version = chart.newest().version if chart_version is None else chart.release(chart_version).version
    if version_key(version) < version_key(MIN_CHART):
        raise UnsupportedChart(
            f"chart {version} is not supported by harden-values: it needs chart {MIN_CHART} or newer"
            f" (hostUsers arrived in 0.40.0); supported: {MIN_CHART} to"
            f" {chart.newest().version}"
        )
    if version in BROKEN_CHARTS:
        raise UnsupportedChart(f"chart {version} is not supported by harden-values: {BROKEN_CHARTS[version]}")
    at_least = lambda v: version_key(version) >= version_key(v)  # noqa: E731 - local shorthand
    parts = [_HEADER.format(version=version, min=MIN_CHART), _OIDC]
    if at_least(CHART_SESSION_TTL):
        parts.append(_SESSION_TTL)
    parts += [_RBAC, _SECURITY]
    if not at_least(CHART_TMP_VOLUME):
        parts.append(_TMP_VOLUME)
    parts += [_RESOURCES, _SERVICE_INGRESS, _NETWORK_POLICY]
    return "\n".join(part.strip("\n") + "\n" for part in parts)


_HEADER = """\
# Hardened values for the Headlamp Helm chart {version}, written by `headlamp-lint harden-values`.
# Supported charts: {min} and newer. Replace the example host, networks and namespaces, then run
# `headlamp-lint check` on this file. Each setting says what it protects against.
"""

_OIDC = """\
config:
  oidc:
    # Users sign in through your identity provider, so every API call runs with the user's own
    # Kubernetes permissions instead of one shared token (guards against privilege sharing).
    secret:
      # Never let the chart build the OIDC Secret from values: values files end up in git and CI logs.
      create: false
    externalSecret:
      # Read the client ID, secret and issuer from a Secret you manage (sealed-secrets, External
      # Secrets Operator, Vault...): keys OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ISSUER_URL (https).
      enabled: true
      name: headlamp-oidc
  # PKCE binds the authorization code to this login, so an intercepted code cannot be redeemed.
  # (With externalSecret the chart ignores config.oidc.usePKCE, so the flag is passed directly.)
  extraArgs:
    - -oidc-use-pkce
"""

_SESSION_TTL = """\
  # A stolen session cookie stays valid for at most 8 hours (the chart default is 24).
  sessionTTL: 28800
"""

_RBAC = """\
# The chart binds Headlamp's ServiceAccount to cluster-admin by default: whoever reaches the pod
# (or a user token mix-up) gets full control of the cluster. With OIDC, users bring their own rights.
clusterRoleBinding:
  create: false
"""

_SECURITY = """\
# Run without a user namespace shared with the node: root in the pod is not root on the node.
# Needs Kubernetes 1.33+ nodes with user namespace support; set true if yours lack it.
hostUsers: false

# Pod-wide defaults (Pod Security Standard "restricted"): never root, files owned by the
# headlamp group, the runtime's default syscall filter.
podSecurityContext:
  runAsNonRoot: true
  runAsUser: 100
  runAsGroup: 101
  fsGroup: 101
  seccompProfile:
    type: RuntimeDefault

# The Headlamp container itself.
securityContext:
  # The image's own non-root user (uid 100, gid 101): a container escape does not start as root.
  runAsNonRoot: true
  runAsUser: 100
  runAsGroup: 101
  privileged: false
  # No setuid binaries or file capabilities can raise privileges inside the container.
  allowPrivilegeEscalation: false
  # Drop every Linux capability: Headlamp needs none.
  capabilities:
    drop: [ALL]
  # An attacker cannot modify binaries or plant files in the image.
  readOnlyRootFilesystem: true
  # Block syscalls containers do not need (kernel attack surface).
  seccompProfile:
    type: RuntimeDefault
"""

_TMP_VOLUME = """\
# A writable /tmp for the read-only root filesystem (charts from 0.42.0 add this themselves).
volumeMounts:
  - name: headlamp-tmp
    mountPath: /tmp
# The emptyDir behind it: scratch space that disappears with the pod.
volumes:
  - name: headlamp-tmp
    emptyDir: {}
"""

_RESOURCES = """\
# Requests and a memory limit: a runaway or attacked pod cannot starve its node (denial of service).
resources:
  requests:
    cpu: 100m
    memory: 128Mi
  limits:
    memory: 512Mi
"""

_SERVICE_INGRESS = """\
# Only reachable inside the cluster and through the ingress below: no node ports, no cloud load balancer.
service:
  type: ClusterIP

# The one way in from outside: HTTPS only, rate-limited, from your networks.
ingress:
  enabled: true
  ingressClassName: nginx
  annotations:
    # Redirect plain HTTP to HTTPS so tokens and cookies never travel in clear text.
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    # Rate limits slow down credential stuffing and request floods.
    nginx.ingress.kubernetes.io/limit-rps: "10"
    nginx.ingress.kubernetes.io/limit-connections: "20"
    # Only your networks may reach the login page at all.
    nginx.ingress.kubernetes.io/whitelist-source-range: "10.0.0.0/8"  # replace with your networks
  hosts:
    - host: headlamp.example.com  # your host name
      paths:
        - path: /
          type: Prefix
  # TLS for the host: the certificate Secret (e.g. from cert-manager) must exist in the release namespace.
  tls:
    - secretName: headlamp-tls
      hosts:
        - headlamp.example.com
"""

_NETWORK_POLICY = """\
# A NetworkPolicy for the Headlamp pods: only the ingress controller may connect, and Headlamp may only
# reach DNS and HTTPS (the Kubernetes API and your OIDC issuer). A compromised pod cannot scan the cluster.
extraManifests:
  - |
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: {{ .Release.Name }}-headlamp
      namespace: {{ .Release.Namespace }}
    spec:
      podSelector:
        matchLabels:
          app.kubernetes.io/name: headlamp
          app.kubernetes.io/instance: {{ .Release.Name }}
      policyTypes: [Ingress, Egress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: ingress-nginx  # your ingress controller namespace
          ports:
            - protocol: TCP
              port: 4466
      egress:
        - ports:
            - protocol: UDP
              port: 53
            - protocol: TCP
              port: 53
        - ports:
            - protocol: TCP
              port: 443
            - protocol: TCP
              port: 6443
"""
