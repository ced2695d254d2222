"""The rule registry: one explicit list of rule modules, one module per rule.

A module is named after its rule's id and name (``hl401_run_as_root``); a
meta-test keeps the list, the modules, their docs and fixtures in step.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from linter.rules.base import FixSpec, Rule

RULE_MODULES: tuple[str, ...] = (
    # HL0xx input and tool
    "hl000_internal_error",
    "hl001_yaml_syntax_error",
    "hl002_unknown_values_key",
    "hl003_invalid_values_value",
    "hl004_duplicate_key",
    "hl005_templated_file_skipped",
    "hl006_unknown_headlamp_flag",
    "hl007_unused_suppression",
    "hl008_deprecated_api_version",
    "hl009_invalid_field_type",
    "hl010_not_kubernetes_yaml",
    "hl011_invalid_headlamp_flag_value",
    "hl015_values_file_not_linted",
    "hl017_values_source_not_resolved",
    "hl018_headlamp_in_other_chart",
    "hl019_unknown_chart_version",
    "hl020_invalid_values_source",
    "hl022_unrecognised_headlamp",
    "hl023_unplaced_containers",
    "hl024_invalid_kubeconfig",
    # HL1xx authentication
    "hl101_exposed_without_authentication",
    "hl102_oidc_not_configured",
    "hl103_oidc_client_secret_in_plaintext",
    "hl104_oidc_issuer_not_https",
    "hl105_oidc_without_pkce",
    "hl106_unsafe_service_account_token",
    "hl107_proxy_auth_without_gate",
    "hl108_dynamic_clusters_in_cluster",
    "hl109_dev_mode",
    "hl110_long_session_ttl",
    "hl111_kubeconfig_static_credentials",
    # HL2xx TLS
    "hl201_ingress_without_tls",
    "hl202_exposed_without_tls",
    "hl203_tls_verification_disabled",
    "hl204_incomplete_backend_tls",
    "hl205_self_signed_certificate",
    "hl206_certificate_expiry",
    "hl207_weak_certificate",
    "hl208_tls_redirect_disabled",
    "hl209_gateway_listener_without_tls",
    # HL3xx RBAC
    "hl301_cluster_admin_binding",
    "hl302_default_service_account",
    "hl303_wildcard_rbac_rule",
    "hl304_secrets_access",
    "hl305_rbac_escalation_verbs",
    "hl306_binding_to_anonymous",
    "hl307_broad_builtin_role_binding",
    "hl308_rbac_audit",
    "hl309_pod_exec_access",
    "hl310_headlamp_in_kube_system",
    # HL4xx container security
    "hl401_run_as_root",
    "hl402_non_numeric_user",
    "hl403_privileged_container",
    "hl404_privilege_escalation_allowed",
    "hl405_capabilities_not_dropped",
    "hl406_dangerous_capabilities",
    "hl407_writable_root_filesystem",
    "hl408_seccomp_not_restricted",
    "hl409_host_namespaces",
    "hl410_host_path_or_port",
    "hl411_host_users",
    "hl412_missing_resource_limits",
    "hl413_root_group",
    "hl414_unconfined_profiles",
    "hl415_service_account_token_automount",
    # HL5xx network security
    "hl501_no_network_policy",
    "hl502_network_policy_allows_all",
    "hl503_loadbalancer_without_source_ranges",
    "hl504_nodeport_exposure",
    "hl505_ingress_without_rate_limit",
    "hl506_ingress_without_source_allowlist",
    "hl507_open_proxy_urls",
    "hl508_metrics_exposed",
    "hl509_service_external_ips",
    # HL6xx update and patch management
    "hl601_mutable_image_tag",
    "hl602_image_not_pinned_by_digest",
    "hl603_outdated_headlamp",
    "hl604_vulnerable_headlamp",
    "hl605_untrusted_image_registry",
    "hl606_plugins_fetched_at_runtime",
    "hl607_stale_advisory_data",
)


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    rules = tuple(Rule.from_module(importlib.import_module(f"{__name__}.{name}")) for name in RULE_MODULES)
    return tuple(sorted(rules, key=lambda r: r.id))


def fix_specs(unsafe: bool = True) -> dict[str, FixSpec]:
    """Every rule's fix spec by rule id (the safe ones only unless ``unsafe``)."""
    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    return {r.id: r.fix for r in all_rules() if r.fix is not None and r.fix.applicability in allowed}


def rule_by_id(rule_id: str) -> Rule:
    for rule in all_rules():
        if rule.id == rule_id:
            return rule
    raise KeyError(rule_id)


def find_rule(text: str) -> Rule | None:
    """A rule by id (any case) or kebab-case name."""
    for rule in all_rules():
        if text.upper() == rule.id or text == rule.name:
            return rule
    return None


def suggest_rule(text: str) -> str | None:
    names = [r.id for r in all_rules()] + [r.name for r in all_rules()]
    import difflib

    close = difflib.get_close_matches(text, names, n=1)
    return close[0] if close else None
