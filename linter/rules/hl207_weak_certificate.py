"""## What it does
Reports a certificate in the TLS Secret served by Headlamp's Ingress with
an RSA key shorter than 2048 bits, or signed with SHA-1 or MD5. A
self-signed root's own signature is not checked for the hash (browsers
trust roots by identity, not by signature).

## Why is this bad?
RSA keys under 2048 bits can be factored with affordable computing power,
and SHA-1 and MD5 signatures can be forged with chosen-prefix collisions:
either lets an attacker impersonate the site. Browsers reject such
certificates.

## Example
```yaml
# manifest
apiVersion: v1
kind: Service
metadata:
  name: headlamp
spec:
  selector: {app: headlamp}
  ports: [{name: http, port: 80, targetPort: 4466}]
---
apiVersion: v1
kind: Pod
metadata:
  name: headlamp
  labels: {app: headlamp}
spec:
  containers:
    - name: headlamp
      image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
---
apiVersion: v1
kind: Secret
metadata:
  name: headlamp-tls
type: kubernetes.io/tls
stringData:
  tls.crt: |
    -----BEGIN CERTIFICATE-----
    MIICCjCCAXOgAwIBAgIUFgvo5yzlfy6M/s6yT9bCBHyQpCswDQYJKoZIhvcNAQEF
    BQAwFzEVMBMGA1UEAwwMd2Vhay5leGFtcGxlMB4XDTI2MTEyOTE0NDU1M1oXDTM2
    MTEyNjE0NDU1M1owFzEVMBMGA1UEAwwMd2Vhay5leGFtcGxlMIGfMA0GCSqGSIb3
    DQEBAQUAA4GNADCBiQKBgQDroYN9B/t6EvqW4A9w7CC0IJwmecEIusuze1lMXgIt
    TjZF4t8eL1MqHY9IP2+gM4yMnnFt8i0argQSMrr/srxT/5Anx5xFEzAM09kiLUDb
    nHm/mH6L7nT7J/sJY/RbahEuHYbi5g8xEss2iMMnlomr1pFYnpTFs1hN2H9SCerw
    PQIDAQABo1MwUTAdBgNVHQ4EFgQUV/4FLCvc3gpsz66ble6sFaIoy5cwHwYDVR0j
    BBgwFoAUV/4FLCvc3gpsz66ble6sFaIoy5cwDwYDVR0TAQH/BAUwAwEB/zANBgkq
    hkiG9w0BAQUFAAOBgQAjOQh/dey17bUrvUPWkW0xbmKmwjGmS4Q6NwkPEEB8kHgN
    EC5cxlbBWaJONW517LcXGTT0VMVaJWoRVGcFVTJQVENZ3De91gzuuqvonTc285VT
    pJ+vMSRzW4491qI8MZUUTcnJCZGw9cleilnW13ZtA/+CGmkXw4qStFsqAnO4RQ==
    -----END CERTIFICATE-----
  tls.key: ""
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: headlamp
spec:
  tls:
    - hosts: [headlamp.example.com]
      secretName: headlamp-tls
  rules:
    - host: headlamp.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: headlamp, port: {name: http}}}
```

## Use instead
Issue a certificate with an RSA key of at least 2048 bits (or an ECDSA
P-256 key) and a SHA-256 signature; cert-manager does by default.

```yaml
# manifest
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: headlamp
spec:
  secretName: headlamp-tls
  dnsNames: [headlamp.example.com]
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: corp-ca, kind: ClusterIssuer}
```

## Options
None.

## References
- https://www.rfc-editor.org/rfc/rfc9155 (deprecating MD5 and SHA-1 signatures)
- https://csrc.nist.gov/pubs/sp/800/131/a/r2/final
"""

from __future__ import annotations

from typing import Iterator

from linter.diagnostics import Finding, Severity
from linter.rules._certs import served_certificates
from linter.rules.base import RuleMeta

RULE = RuleMeta(
    id="HL207",
    name="weak-certificate",
    title="Headlamp's certificate has a weak key or signature",
    severity=Severity.WARNING,
    security_severity=5.5,
    tags=("headlamp", "certificates"),
)


def check(model, ctx) -> Iterator[Finding]:
    for served in served_certificates(model):
        from linter.model.certs import MIN_RSA_BITS, WEAK_HASHES  # here: only a served certificate needs it

        location, key, ref = served.entry.fact.location, served.entry.fact.key, served.secret.obj.ref
        certificates = served.report().certificates
        for cert in certificates:
            which = "certificate" if cert.index == 0 else f"certificate {cert.index + 1} of the chain"
            if cert.rsa_bits is not None and cert.rsa_bits < MIN_RSA_BITS:
                yield Finding(
                    location,
                    f"{which} {cert.subject} in {served.what} has a {cert.rsa_bits}-bit RSA key,"
                    f" under {MIN_RSA_BITS}: it can be factored",
                    ref,
                    key,
                )
            root = cert.self_signed and cert.index > 0
            if cert.signature_hash in WEAK_HASHES and not root:
                yield Finding(
                    location,
                    f"{which} {cert.subject} in {served.what} is signed with"
                    f" {cert.signature_hash.upper()}: such signatures can be forged",
                    ref,
                    key,
                )
