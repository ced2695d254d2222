"""Is a file Headlamp values, and for which chart version?

A file is Headlamp values when a configured glob says so, when it is named
``values*.yaml`` / ``*.values.yaml`` and either sits next to a ``Chart.yaml``
of the ``headlamp`` chart or its top-level keys are mostly Headlamp chart
keys, or when the ``Chart.yaml`` next to it is an umbrella chart that lists
``headlamp`` as a dependency: then the values under its ``headlamp:`` key
(or the dependency's alias) are Headlamp values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from linter.located import FILE_START, Location, Span
from linter.values import chart
from linter.values.names import VALUES_NAME, configured_kind, has_values_name  # noqa: F401 - re-exported
from linter.yamlpos import MapNode, ScalarNode, SeqNode, load

CHART_NAME = "headlamp"


@dataclass(frozen=True)
class ChartContext:
    """What a ``Chart.yaml`` next to a values file says."""

    path: str | None = None  # display path of the Chart.yaml
    is_headlamp: bool = False  # the headlamp chart itself
    subchart_key: str | None = None  # umbrella chart: the key holding Headlamp values
    version: str | None = None  # chart version, or the dependency's version constraint
    problem: tuple[Location, str] | None = None  # the Chart.yaml cannot be read


def chart_context(values_path: Path | None, values_display: str) -> ChartContext:
    if values_path is None:
        return ChartContext()
    chart_path = values_path.parent / "Chart.yaml"
    if not chart_path.is_file():
        return ChartContext()
    display = str(PurePosixPath(values_display).parent / "Chart.yaml")
    if display.startswith("./"):
        display = display[2:]
    try:
        text = chart_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return ChartContext(display, problem=(Location(display, FILE_START), f"cannot read Chart.yaml: {exc}"))
    loaded = load(text)
    problems = loaded.problems + [p for d in loaded.documents for p in d.problems if p.rule == "HL001"]
    root = loaded.documents[0].root if loaded.documents else None
    if problems or not isinstance(root, MapNode):
        span = problems[0].span if problems else (root.span if root is not None else FILE_START)
        why = problems[0].message if problems else "it is not a mapping"
        return ChartContext(
            display,
            problem=(Location(display, Span(span.line, span.column, span.line, span.column + 1)),
                     f"Chart.yaml cannot be parsed ({why}); the chart version is not known from it"),
        )
    name = _text(root.get("name"))
    if name == CHART_NAME:
        return ChartContext(display, is_headlamp=True, version=_text(root.get("version")))
    deps = root.get("dependencies")
    for dep in deps.items if isinstance(deps, SeqNode) else ():
        if isinstance(dep, MapNode) and _text(dep.get("name")) == CHART_NAME:
            key = _text(dep.get("alias")) or CHART_NAME
            return ChartContext(display, subchart_key=key, version=_text(dep.get("version")))
    return ChartContext(display)


def _text(node: object) -> str | None:
    return node.text if isinstance(node, ScalarNode) and node.value is not None else None


# Keys under `config` that only the Headlamp chart has: generic charts share replicaCount, image,
# service, resources… with it, so those alone are no evidence.
HEADLAMP_CONFIG_KEYS = frozenset(
    "inCluster inClusterContextName oidc pluginsDir baseURL extraArgs enableHelm watchPlugins sessionTTL"
    " staticPlugins clusterInventory tlsCertPath tlsKeyPath unsafeUseServiceAccountToken podDebugImage".split()
)


def looks_like_headlamp_values(root: MapNode, version: str, display: str = "") -> bool:
    """Most top-level keys are Headlamp chart keys, and something is Headlamp-specific."""
    keys = {k.text for k, _ in root.entries}
    if not keys or {"apiVersion", "kind"} <= keys:
        return False
    known = set(chart.strict_schema(version).get("properties", {}))
    hits = len(keys & known)
    if hits == 0 or hits * 2 < len(keys):
        return False
    return "headlamp" in PurePosixPath(display).name.lower() or _headlamp_evidence(root)


def _headlamp_evidence(root: MapNode) -> bool:
    config = root.get("config")
    if isinstance(config, MapNode) and any(k.text in HEADLAMP_CONFIG_KEYS for k, _ in config.entries):
        return True
    image = root.get("image")
    if isinstance(image, MapNode):
        for key in ("repository", "registry"):
            value = image.get(key)
            if isinstance(value, ScalarNode) and "headlamp" in value.text.lower():
                return True
    return "pluginsManager" in root or ("clusterRoleBinding" in root and "serviceAccount" in root)


def release_for(ctx: ChartContext, requested: str | None) -> tuple[chart.ChartRelease, str | None]:
    """The chart release to lint with, and a note when the choice is a fallback."""
    if requested:
        return chart.release(requested), None
    if ctx.version:
        if ctx.is_headlamp:
            wanted = chart.version_key(ctx.version)
            older = [r for r in chart.releases() if r.key <= wanted]
            if older and older[-1].key == wanted:
                return older[-1], None
            if older:
                return older[-1], (f"{ctx.path}: chart version {ctx.version} is not known to headlamp-lint;"
                                   f" linting with chart {older[-1].version}")
        else:
            found = chart.matching(ctx.version)
            if found is not None:
                return found, None
        return chart.newest(), (f"{ctx.path}: no known Headlamp chart matches version {ctx.version!r};"
                                f" linting with chart {chart.newest().version}")
    return chart.newest(), None
