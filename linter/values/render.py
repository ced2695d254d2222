"""What the Headlamp chart renders from effective values, as positioned node trees.

This encodes ``charts/headlamp/templates`` (FACTS.md §1.3; the chart-test
pairs are the ground truth) without Helm, one module per template file in
``linter.values.templates``: each rendered object is a ``MapNode`` tree that
the manifest builders in ``linter.model.from_manifests`` read like any
manifest. Every rendered node is located at the values key that produced it
and carries ``source=NodeSource(file, origin, values key)``: the user's own
node where the chart copies a value, a node at line 1 of the last values file
(origin CHART_DEFAULT) where the chart default applies. Where the chart
copies user values verbatim (security contexts, resources, volumes, init and
extra containers, annotations…) the user's nodes are reused, so positions
are exact.
"""

from __future__ import annotations

from linter.values.merge import Effective
from linter.values.templates import TEMPLATES
from linter.values.templates.context import (  # noqa: F401 - the public names of the rendering
    CHART_NAME,
    Context,
    ExtraManifest,
    Rendered,
    truthy,
)


def render(eff: Effective, release_name: str, namespace: str, texts: dict[str, str]) -> Rendered:
    """Render every chart template from the effective values ``eff`` (``texts``: values file path -> text)."""
    ctx = Context(eff, release_name, namespace, texts)
    for template in TEMPLATES:
        template.render(ctx)
    ctx.out.problems.extend(eff.problems)
    return ctx.out
