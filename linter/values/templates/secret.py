"""``charts/headlamp/templates/secret.yaml``: the chart's own OIDC Secret (``config.oidc.*``).

Chart versions: no Secret before 0.13.0 (the OIDC values went into the args,
see ``deployment``); 0.13.0 added it (always written); 0.18.1 writes it only
with ``config.oidc.secret.create``; 0.31.0 added ``validatorClientID``,
``validatorIssuerURL``, ``useAccessToken``; 0.35.0 ``callbackURL``; 0.36.0
``headlamp.namespace``; 0.37.0 ``usePKCE``; 0.40.0 ``meUserInfoURL``.
``OIDC_SETTINGS`` lists the data keys.
"""

from __future__ import annotations

import base64

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy
from linter.yamlpos import ScalarNode

TEMPLATE = "secret.yaml"

# config.oidc.<key> -> (env name, Secret key, arg)
OIDC_SETTINGS = (
    ("clientID", "OIDC_CLIENT_ID", "-oidc-client-id"),
    ("clientSecret", "OIDC_CLIENT_SECRET", "-oidc-client-secret"),
    ("issuerURL", "OIDC_ISSUER_URL", "-oidc-idp-issuer-url"),
    ("scopes", "OIDC_SCOPES", "-oidc-scopes"),
    ("callbackURL", "OIDC_CALLBACK_URL", "-oidc-callback-url"),
    ("validatorClientID", "OIDC_VALIDATOR_CLIENT_ID", "-oidc-validator-client-id"),
    ("validatorIssuerURL", "OIDC_VALIDATOR_ISSUER_URL", "-oidc-validator-idp-issuer-url"),
    ("useAccessToken", "OIDC_USE_ACCESS_TOKEN", "-oidc-use-access-token"),
    ("usePKCE", "OIDC_USE_PKCE", "-oidc-use-pkce"),
    ("meUserInfoURL", "ME_USER_INFO_URL", "-me-user-info-url"),
)


def render(ctx: Context) -> None:
    if not ctx.at_least("0.13.0"):
        return
    create = ctx.v("config.oidc.secret.create")
    if ctx.at_least("0.18.1") and not truthy(create):
        return
    name = ctx.text("config.oidc.secret.name", "oidc")
    like = create if create is not None else None
    data = []
    for key, _, _ in OIDC_SETTINGS:
        node = ctx.v(f"config.oidc.{key}")
        if isinstance(node, ScalarNode) and truthy(node):  # other types: HL003 from the schema
            encoded = base64.b64encode(node.text.encode()).decode()
            data.append((key, ctx.s(encoded, f"config.oidc.{key}", node), ctx.eff.key_node(f"config.oidc.{key}")))
    ctx.obj("v1", "Secret", "config.oidc.secret.create", like, [
        ("metadata", ctx.m([("name", ctx.s(name, "config.oidc.secret.name", ctx.v("config.oidc.secret.name"))),
                             ("namespace", ctx.s(_helpers.namespace(ctx), "namespaceOverride", like))],
                            "config.oidc.secret.create", like)),
        ("type", ctx.s("Opaque", "config.oidc.secret.create", like)),
        ("data", ctx.m(data, "config.oidc", like)),
    ])
