"""Shared logic for the certificate rules (HL205-HL207): the TLS Secrets Headlamp's Ingresses serve."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from linter.model.network import Ingress
from linter.model.tls import Secret, SecretEntry, TLSIndex
from linter.records import record

if TYPE_CHECKING:
    from linter.model import Model
    from linter.model.certs import CertReport

CERT_KEY = "tls.crt"


@record(frozen=True)
class ServedCertificate:
    """The ``tls.crt`` of a Secret that one of Headlamp's Ingresses serves."""

    ingress: Ingress
    secret: Secret
    entry: SecretEntry

    def report(self) -> CertReport:
        # Imported here: linter.model.certs is needed only when a served TLS Secret exists.
        from linter.model.certs import CertReport, inspect_pem

        if self.entry.content is None:
            return CertReport((), "the data is not valid base64")
        return inspect_pem(self.entry.content)

    @property
    def what(self) -> str:
        return f"{self.entry.fact.key} of {self.secret.obj.ref} (served by {self.ingress.obj.ref})"


def served_certificates(model: "Model") -> Iterator[ServedCertificate]:
    """Each TLS Secret once, even when several Ingresses or installations use it."""
    index = TLSIndex.of(model)
    seen: set[int] = set()
    for installation in model.installations:
        for ingress in installation.ingresses:
            for tls in ingress.tls:
                secret = index.secret_for(ingress, tls)
                if secret is None or id(secret) in seen:
                    continue
                entry = secret.entry(CERT_KEY)
                if entry is None:
                    continue
                seen.add(id(secret))
                yield ServedCertificate(ingress, secret, entry)
