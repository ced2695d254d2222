"""The Headlamp chart's templates (``charts/headlamp/templates``), one module per template file.

Each module encodes one template file and says in its docstring which file
and which chart versions' differences it handles, so a new chart release is a
reviewable diff against its templates (``linter/data/chart/templates.json``,
written by ``scripts/update_chart_templates.py``, lists which template files
changed in each release). ``context`` holds what the modules share (reading
effective values, building positioned nodes); ``tpl`` is the evaluator of
template expressions in values. ``NOTES.txt`` renders no object.
"""

from __future__ import annotations

from linter.values.templates import (
    _helpers,
    cluster_inventory_configmap,
    clusterrolebinding,
    deployment,
    extra_manifests,
    httproute,
    ingress,
    pdb,
    plugin_configmap,
    pvc,
    secret,
    service,
    serviceaccount,
)

# In the order the objects are emitted (which is the order findings of equal position come in).
TEMPLATES = (
    serviceaccount,
    secret,
    plugin_configmap,
    cluster_inventory_configmap,
    pvc,
    clusterrolebinding,
    service,
    deployment,
    ingress,
    httproute,
    pdb,
    extra_manifests,
)

# Template files of the chart that no module encodes, and why.
NOT_ENCODED: dict[str, str] = {
    "NOTES.txt": "the post-install message: it renders no object",
}

# Every template file -> the module that encodes it.
MODULES = {module.TEMPLATE: module for module in (_helpers, *TEMPLATES)}
