"""Test certificates, generated with ``cryptography`` (no network, no openssl binary).

``cryptography``'s OpenSSL 3 backend refuses to *sign* with SHA-1, so
SHA-1 detection is tested on committed PEM files in fixtures/certs/
(made with the OpenSSL CLI, see the README there).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Issued:
    cert: x509.Certificate
    key: object

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_cert(
    cn: str,
    *,
    issuer: Issued | None = None,
    not_after: dt.datetime = START + dt.timedelta(days=730),
    not_before: dt.datetime = START,
    key_size: int = 2048,
    ec_key: bool = False,
    ca: bool = False,
    issuer_name: str | None = None,
) -> Issued:
    """A certificate for ``cn``: self-signed unless ``issuer`` is given.

    ``issuer_name`` forges the issuer field only (signed by the cert's own key
    but naming someone else), to check that self-signed means "verifies with
    its own key", not just "issuer equals subject".
    """
    key = ec.generate_private_key(ec.SECP256R1()) if ec_key else rsa.generate_private_key(65537, key_size)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer.cert.subject if issuer else _name(issuer_name or cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, hashes.SHA256()), key)
