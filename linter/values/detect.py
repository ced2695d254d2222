"""Is a file Headlamp values, and for which chart version?

A file is Headlamp values when a configured glob says so; when it has a
values name (``linter.values.names``) and sits next to a ``Chart.yaml`` of
the ``headlamp`` chart, or you name it on the command line; when the
``Chart.yaml`` next to it is an umbrella chart that depends on ``headlamp``
(then the values under its ``headlamp:`` key, or the dependency's alias, are
Headlamp values); or, whatever its name, when its top-level keys are mostly
Headlamp chart keys and one of them is Headlamp-specific. A file that looks
like Headlamp values but is not read as them (another chart's values, too
few chart keys) is reported (HL015) with the reason.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from linter.located import FILE_START, Location, Span
from linter.records import record
from linter.values import chart
from linter.values.names import configured_kind, has_values_name  # noqa: F401 - re-exported
from linter.yamlpos import MapNode, ScalarNode, SeqNode, load

CHART_NAME = "headlamp"


@record(frozen=True)
class ChartContext:
    """What a ``Chart.yaml`` next to a values file says."""

    path: str | None = None  # display path of the Chart.yaml
    name: str | None = None  # the chart's name
    is_headlamp: bool = False  # the headlamp chart itself
    subchart_key: str | None = None  # umbrella chart: the key holding Headlamp values
    version: str | None = None  # chart version, or the dependency's version constraint
    version_at: Location | None = None  # where that version is written
    condition: str | None = None  # umbrella: the dependency's `condition` (values paths, first existing wins)
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
    # A chart that depends on the headlamp chart is an umbrella, whatever its own name (a wrapper chart is
    # often named headlamp too): its values for Headlamp are under the dependency's alias or `headlamp:`.
    deps = root.get("dependencies")
    for dep in deps.items if isinstance(deps, SeqNode) else ():
        if isinstance(dep, MapNode) and _text(dep.get("name")) == CHART_NAME:
            key = _text(dep.get("alias")) or CHART_NAME
            return ChartContext(display, subchart_key=key, version=_text(dep.get("version")),
                                version_at=_at(display, dep.get("version")), condition=_text(dep.get("condition")))
    if _text(root.get("name")) == CHART_NAME:
        return ChartContext(display, is_headlamp=True, version=_text(root.get("version")),
                            version_at=_at(display, root.get("version")))
    return ChartContext(display, name=_text(root.get("name")))


def _at(display: str, node: object) -> Location | None:
    return Location(display, node.span) if isinstance(node, ScalarNode) else None


def _text(node: object) -> str | None:
    return node.text if isinstance(node, ScalarNode) and node.value is not None else None


# Keys under `config` that only the Headlamp chart has: generic charts share replicaCount, image,
# service, resources… with it, so those alone are no evidence.
HEADLAMP_CONFIG_KEYS = frozenset(
    "inCluster inClusterContextName oidc pluginsDir baseURL extraArgs enableHelm watchPlugins sessionTTL"
    " staticPlugins clusterInventory tlsCertPath tlsKeyPath unsafeUseServiceAccountToken podDebugImage".split()
)


@record(frozen=True)
class Verdict:
    """What the keys of a mapping say: Headlamp values, maybe (``why`` it is not read as values), or not."""

    values: bool
    why: str | None = None  # set: it looks like Headlamp values, yet is not linted as them (HL015 says why)


def looks_like_headlamp_values(root: MapNode, version: str, display: str = "") -> Verdict:
    """Headlamp values when most top-level keys are Headlamp chart keys and something is Headlamp-specific
    (a ``config`` key only the Headlamp chart has, a Headlamp image, ``pluginsManager``, the binding and
    account pair, or ``headlamp`` in the file name). Headlamp-specific but mostly other keys: a maybe."""
    keys = [k.text for k, _ in root.entries]
    if not keys or ("apiVersion" in root and "kind" in root):
        return Verdict(False)
    known = set(chart.strict_schema(version).get("properties", {}))
    hits = [k for k in keys if k in known]
    evidence = _headlamp_evidence(root) or ("its name" if "headlamp" in PurePosixPath(display).name.lower() else None)
    if not hits or evidence is None:
        return Verdict(False)
    if len(hits) * 2 >= len(keys):
        return Verdict(True)
    others = [k for k in keys if k not in known]
    listed = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
    return Verdict(False, f"it looks like Headlamp values ({evidence}), but only {len(hits)} of its {len(keys)}"
                          f" top-level keys are Headlamp chart keys (not: {listed})")


def _headlamp_evidence(root: MapNode) -> str | None:
    config = root.get("config")
    if isinstance(config, MapNode):
        for k, _ in config.entries:
            if k.text in HEADLAMP_CONFIG_KEYS:
                return f"config.{k.text}"
    image = root.get("image")
    if isinstance(image, MapNode):
        for key in ("repository", "registry"):
            value = image.get(key)
            if isinstance(value, ScalarNode) and "headlamp" in value.text.lower():
                return f"image.{key} {value.text}"
    if "pluginsManager" in root:
        return "pluginsManager"
    if "clusterRoleBinding" in root and "serviceAccount" in root:
        return "clusterRoleBinding and serviceAccount"
    return None


@record(frozen=True)
class Resolution:
    """The chart release to lint with, or why there is none (``problem``: an HL019 finding)."""

    release: chart.ChartRelease | None
    problem: tuple[Location, str] | None = None


def release_for(ctx: ChartContext, requested: str | None, values_path: str) -> Resolution:
    """The chart release a values file is rendered with: ``--chart-version``, else its ``Chart.yaml``, else the
    newest. A version headlamp-lint does not know is never replaced by another: the file is not linted."""
    known = chart.releases()
    span = f"{known[0].version} … {known[-1].version}"
    if requested:
        found = chart.exact(requested)
        if found is not None:
            return Resolution(found)
        return Resolution(None, (Location(values_path, FILE_START),
                                 f"--chart-version {requested} is not a release of the headlamp chart that headlamp-lint"
                                 f" knows ({span}); {values_path} is not linted"))
    if not ctx.version:
        return Resolution(chart.newest())
    at = ctx.version_at or Location(ctx.path or values_path, FILE_START)
    if ctx.is_headlamp:
        found = chart.exact(ctx.version)
        if found is not None:
            return Resolution(found)
        return Resolution(None, (at, f"headlamp chart version {ctx.version} is not a release headlamp-lint knows"
                                     f" ({span}); {values_path} is not linted (name the release it is based on with"
                                     " --chart-version)"))
    found = chart.matching(ctx.version)
    if found is not None:
        return Resolution(found)
    return Resolution(None, (at, f"no release of the headlamp chart that headlamp-lint knows ({span}) satisfies the"
                                 f" dependency version {ctx.version!r}; {values_path} is not linted"))
