"""The controller annotation data (linter/data/ingress_auth.json) is well formed and matches as documented."""

from __future__ import annotations

import re

import pytest

from linter.data import load_json
from linter.model.ingress_auth import AnnotationRule, _rules
from linter.rules.hl201_ingress_without_tls import host_covered
from linter.model.network import IngressTLS
from linter.located import FILE_START, Location

MATCHES = {"present", "values", "pattern", "only"}


@pytest.mark.parametrize("section", ["authentication", "redirect_disabled"])
def test_entries_are_well_formed(section):
    entries = load_json("ingress_auth.json")[section]
    assert entries
    for item in entries:
        assert item["match"] in MATCHES, item
        assert "/" in item["annotation"] and item["controller"]
        if item["match"] in ("values", "only"):
            assert item["values"], item
        if item["match"] == "pattern":
            re.compile(item["pattern"])


@pytest.mark.parametrize(
    "rule, value, expected",
    [
        (AnnotationRule("x", "a/b", "present"), "http://auth", True),
        (AnnotationRule("x", "a/b", "present"), "  ", False),
        (AnnotationRule("x", "a/b", "values", ("false",)), "False", True),
        (AnnotationRule("x", "a/b", "values", ("false",)), "true", False),
        (AnnotationRule("x", "a/b", "pattern", (), "(?i)auth"), "ns-ForwardAuth@kubernetescrd", True),
        (AnnotationRule("x", "a/b", "pattern", (), "(?i)auth"), "ns-compress@kubernetescrd", False),
        (AnnotationRule("x", "a/b", "only", ("web",)), "web", True),
        (AnnotationRule("x", "a/b", "only", ("web",)), "web, websecure", False),
        (AnnotationRule("x", "a/b", "only", ("web",)), "", False),
    ],
)
def test_match_kinds(rule, value, expected):
    assert rule.matches(value) is expected


def test_shipped_rules_cover_nginx_and_traefik():
    auth = {r.annotation for r in _rules("authentication")}
    assert "nginx.ingress.kubernetes.io/auth-url" in auth
    assert "traefik.ingress.kubernetes.io/router.middlewares" in auth
    redirect = {r.annotation for r in _rules("redirect_disabled")}
    assert {"nginx.ingress.kubernetes.io/ssl-redirect", "traefik.ingress.kubernetes.io/router.entrypoints"} <= redirect


def _tls(*hosts: str) -> IngressTLS:
    return IngressTLS(hosts, "s", Location("f", FILE_START))


@pytest.mark.parametrize(
    "host, tls, covered",
    [
        ("a.example.com", (_tls("a.example.com"),), True),
        ("A.Example.com", (_tls("a.example.com"),), True),
        ("a.example.com", (_tls("*.example.com"),), True),
        ("b.a.example.com", (_tls("*.example.com"),), False),
        ("example.com", (_tls("*.example.com"),), False),
        ("a.example.com", (_tls(),), False),
        (None, (_tls(),), True),
        (None, (_tls("a.example.com"),), False),
        ("a.example.com", (), False),
    ],
)
def test_tls_host_coverage(host, tls, covered):
    assert host_covered(host, tls) is covered
