"""Certificate inspection (HL205-HL207) on certificates generated here, with a fixed clock."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
import sys

import pytest

from linter.model.certs import inspect_pem
from tests.certgen import START, make_cert
from tests.cli import invoke
from tests.conftest import FIXTURES, ROOT

NOW = "2026-06-01"
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def ca():
    return make_cert("Test CA", ca=True, not_after=START + dt.timedelta(days=3650))


def test_self_signed_means_issuer_is_subject_and_own_key_verifies(ca):
    own = inspect_pem(make_cert("a.example.com").pem.encode()).certificates[0]
    assert own.self_signed and own.subject == "CN=a.example.com"
    issued = inspect_pem(make_cert("b.example.com", issuer=ca).pem.encode()).certificates[0]
    assert not issued.self_signed and issued.issuer == "CN=Test CA"
    # Issuer names the subject, but another key signed it: not self-signed.
    impostor = make_cert("c.example.com", issuer=ca)
    forged = make_cert("c.example.com", issuer_name="c.example.com")
    assert inspect_pem(forged.pem.encode()).certificates[0].self_signed
    assert not inspect_pem(impostor.pem.encode()).certificates[0].self_signed


def test_key_size_hash_and_dates(ca):
    info = inspect_pem(make_cert("w.example.com", issuer=ca, key_size=1024).pem.encode()).certificates[0]
    assert info.rsa_bits == 1024 and info.signature_hash == "sha256"
    assert info.not_after == START + dt.timedelta(days=730)
    ec_info = inspect_pem(make_cert("e.example.com", ec_key=True).pem.encode()).certificates[0]
    assert ec_info.rsa_bits is None and ec_info.self_signed


def test_sha1_and_md5_from_committed_pem():
    # cryptography's OpenSSL 3 backend refuses to sign with SHA-1 or MD5; these were made with the openssl CLI.
    for name, bits, digest in (
        ("rsa2048-sha1.pem", 2048, "sha1"),
        ("rsa1024-sha1.pem", 1024, "sha1"),
        ("rsa2048-md5.pem", 2048, "md5"),
    ):
        info = inspect_pem((FIXTURES / "certs" / name).read_bytes()).certificates[0]
        assert info.signature_hash == digest and info.rsa_bits == bits and info.self_signed


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "no PEM certificate"),
        (b"hello", "no PEM certificate"),
        (b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "cannot be parsed"),
        (b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n", "cannot be parsed"),
    ],
)
def test_malformed_input_is_a_report_not_an_exception(data, fragment):
    report = inspect_pem(data)
    assert report.error is not None and fragment in report.error


def test_bundle_keeps_order(ca):
    leaf = make_cert("leaf.example.com", issuer=ca)
    report = inspect_pem((leaf.pem + ca.pem).encode())
    assert [c.index for c in report.certificates] == [0, 1]
    assert report.certificates[1].is_ca and report.certificates[1].self_signed


# --- through the CLI ------------------------------------------------------------

INSTALL = """\
apiVersion: v1
kind: Pod
metadata: {name: headlamp, labels: {app: headlamp}}
spec:
  containers:
    - {name: headlamp, image: "ghcr.io/headlamp-k8s/headlamp:v0.45.0"}
---
apiVersion: v1
kind: Service
metadata: {name: headlamp}
spec:
  selector: {app: headlamp}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: headlamp}
spec:
  tls: [{hosts: [hl.example.com], secretName: hl-tls}]
  rules:
    - host: hl.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: headlamp, port: {name: http}}}}]
---
apiVersion: v1
kind: Secret
metadata: {name: hl-tls}
type: kubernetes.io/tls
data:
  tls.crt: CERT
"""
CERT_LINE = INSTALL.splitlines().index("  tls.crt: CERT") + 1


def lint(tmp_path, pem: str, *args: str) -> list[dict]:
    path = tmp_path / "tls.yaml"
    path.write_text(INSTALL.replace("CERT", base64.b64encode(pem.encode()).decode()), encoding="utf-8")
    result = invoke(["check", "-f", "json", "--exit-zero", "--select", "HL205,HL206,HL207", *args, str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["diagnostics"]


def test_expired_is_an_error_with_subject_date_and_days(tmp_path, ca):
    cert = make_cert("old.example.com", issuer=ca, not_after=dt.datetime(2026, 5, 1, tzinfo=UTC))
    (found,) = lint(tmp_path, cert.pem, "--now", NOW)
    assert (found["rule"], found["severity"], found["line"], found["column"]) == ("HL206", "error", CERT_LINE, 12)
    assert "CN=old.example.com" in found["message"] and "2026-05-01" in found["message"] and "31 days ago" in found["message"]


def test_expiring_threshold_follows_cert_expiry_days(tmp_path, ca):
    cert = make_cert("soon.example.com", issuer=ca, not_after=dt.datetime(2026, 6, 21, tzinfo=UTC))
    (found,) = lint(tmp_path, cert.pem, "--now", NOW)
    assert (found["rule"], found["severity"]) == ("HL206", "warning") and "in 20 days" in found["message"]
    assert lint(tmp_path, cert.pem, "--now", NOW, "--cert-expiry-days", "10") == []
    assert lint(tmp_path, cert.pem, "--now", "2026-01-02") == []


def test_now_accepts_date_times_with_offsets(tmp_path, ca):
    cert = make_cert("x.example.com", issuer=ca, not_after=dt.datetime(2026, 6, 1, 12, tzinfo=UTC))
    assert lint(tmp_path, cert.pem, "--now", "2026-06-01T13:00:00Z")[0]["severity"] == "error"
    assert lint(tmp_path, cert.pem, "--now", "2026-06-01T13:00:00+02:00")[0]["severity"] == "warning"


def test_self_signed_and_weak_and_clean(tmp_path, ca):
    rules = {d["rule"] for d in lint(tmp_path, make_cert("hl.example.com").pem, "--now", NOW)}
    assert rules == {"HL205"}
    weak = lint(tmp_path, make_cert("hl.example.com", issuer=ca, key_size=1024).pem, "--now", NOW)
    assert [(d["rule"], "1024-bit" in d["message"]) for d in weak] == [("HL207", True)]
    assert lint(tmp_path, make_cert("hl.example.com", issuer=ca).pem, "--now", NOW) == []


@pytest.mark.parametrize("name, digest", [("rsa2048-sha1.pem", "SHA1"), ("rsa2048-md5.pem", "MD5")])
def test_weak_signature_hash(tmp_path, name, digest):
    pem = (FIXTURES / "certs" / name).read_text()
    found = lint(tmp_path, pem, "--now", "2027-01-01")
    assert {(d["rule"], d["line"]) for d in found} == {("HL205", CERT_LINE), ("HL207", CERT_LINE)}
    assert any(f"signed with {digest}" in d["message"] for d in found)


def test_malformed_certificate_is_a_located_warning(tmp_path):
    (found,) = lint(tmp_path, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "--now", NOW)
    assert (found["rule"], found["severity"], found["line"]) == ("HL206", "warning", CERT_LINE)


@pytest.mark.parametrize("args", [["--now", "yesterday"], ["--cert-expiry-days", "-1"]])
def test_bad_clock_options_are_usage_errors(tmp_path, args):
    from tests.conftest import run_cli

    path = tmp_path / "x.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    result = run_cli("check", *args, str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_cryptography_is_imported_only_for_tls_secrets(tmp_path):
    plain = tmp_path / "plain.yaml"
    plain.write_text(INSTALL.split("---\napiVersion: v1\nkind: Secret")[0], encoding="utf-8")
    code = (
        "import sys\nfrom linter.cli import main\n"
        "try:\n    main(['check', '--exit-zero', sys.argv[1]])\n"
        "except SystemExit:\n    pass\n"
        "print('cryptography' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(plain)], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "False"
    assert "cryptography" not in subprocess.run(
        [sys.executable, "-c", "import linter, linter.model.builder, linter.rules, sys; print(sorted(sys.modules))"],
        capture_output=True, text=True, cwd=ROOT,
    ).stdout
