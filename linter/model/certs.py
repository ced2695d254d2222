"""Offline inspection of PEM certificates from TLS Secrets.

The standard library cannot parse X.509, so this uses ``cryptography``,
imported only when a certificate is actually inspected (``import linter``
and runs without TLS Secrets never load it). Nothing is fetched or
verified against a trust store: the checks are the certificate's own
fields and, for "self-signed", whether its signature verifies with its
own public key.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from linter.records import record

_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----\s.*?-----END CERTIFICATE-----", re.S)
WEAK_HASHES = frozenset(("sha1", "md5"))
MIN_RSA_BITS = 2048


@record(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    not_before: _dt.datetime
    not_after: _dt.datetime
    self_signed: bool  # issuer == subject and the signature verifies with its own key
    is_ca: bool
    rsa_bits: int | None  # None for other key types
    signature_hash: str | None  # "sha256", "sha1", "md5"; None when unknown (e.g. Ed25519)
    index: int  # position in the PEM bundle (0: the leaf)

    def days_left(self, now: _dt.datetime) -> float:
        return (self.not_after - now).total_seconds() / 86400


@record(frozen=True)
class CertReport:
    """The certificates of one PEM text, or why it could not be read."""

    certificates: tuple[CertInfo, ...]
    error: str | None = None


def inspect_pem(data: bytes) -> CertReport:
    """Parse every certificate in a PEM bundle. Never raises on bad input."""
    return _inspect(bytes(data))


@lru_cache(maxsize=256)
def _inspect(data: bytes) -> CertReport:
    blocks = _PEM.findall(data)
    if not blocks:
        return CertReport((), "no PEM certificate (-----BEGIN CERTIFICATE-----) found")
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - a declared dependency; an incomplete install
        return CertReport((), "the 'cryptography' package is not installed, so certificates cannot be inspected")
    out = []
    for index, block in enumerate(blocks):
        try:
            cert = x509.load_pem_x509_certificate(block)
            out.append(_info(cert, index))
        except Exception as exc:  # noqa: BLE001 - any parse failure is a finding, never a crash
            return CertReport(tuple(out), f"certificate {index + 1} cannot be parsed ({_short(exc)})")
    return CertReport(tuple(out))


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _info(cert, index: int) -> CertInfo:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = cert.public_key()
    try:
        hash_name = cert.signature_hash_algorithm.name if cert.signature_hash_algorithm is not None else None
    except Exception:  # noqa: BLE001 - an unsupported algorithm: unknown, not a crash
        hash_name = None
    try:
        basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        is_ca = bool(basic.ca)
    except (x509.ExtensionNotFound, ValueError):
        is_ca = False
    return CertInfo(
        subject=cert.subject.rfc4514_string() or "(empty subject)",
        issuer=cert.issuer.rfc4514_string() or "(empty issuer)",
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject and _verifies_with_own_key(cert),
        is_ca=is_ca,
        rsa_bits=key.key_size if isinstance(key, rsa.RSAPublicKey) else None,
        signature_hash=hash_name,
        index=index,
    )


def _verifies_with_own_key(cert) -> bool:
    """Does the signature verify with the certificate's own public key?

    ``verify_directly_issued_by`` refuses SHA-1 and MD5 signatures, which are
    exactly the old self-signed certificates we must recognise, so the
    signature is checked with the public key directly.
    """
    from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(cert.signature, cert.tbs_certificate_bytes)
        else:
            cert.verify_directly_issued_by(cert)
        return True
    except Exception:  # noqa: BLE001 - wrong key, unsupported algorithm: not self-signed as far as we know
        return False
