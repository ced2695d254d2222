"""``charts/headlamp/templates/plugin-configmap.yaml``: the plugin manager's ConfigMap.

Chart versions: 0.31.0 added it (with ``pluginsManager``); 0.36.0 (namespace,
labels) and 0.37.0 (whitespace of ``plugin.yml``) changed nothing the linter reads.
"""

from __future__ import annotations

from linter.values.templates import _helpers
from linter.values.templates.context import Context, truthy
from linter.yamlpos import ScalarNode

TEMPLATE = "plugin-configmap.yaml"


def render(ctx: Context) -> None:
    """The plugin manager's config file (no security content)."""
    plugins = ctx.v("pluginsManager.enabled")
    if not ctx.at_least("0.31.0") or not truthy(plugins):
        return
    key = "pluginsManager.configContent"
    content = ctx.v(key)
    name = f"{_helpers.fullname(ctx)}-plugin-config"
    ctx.obj("v1", "ConfigMap", "pluginsManager.enabled", plugins, [
        ("metadata", _helpers.metadata(ctx, name, "pluginsManager.enabled", plugins)),
        ("data", ctx.m([(ctx.text("pluginsManager.configFile", "plugin.yml"),
                         content if isinstance(content, ScalarNode) else ctx.s("", key))], key, content)),
    ])
