"""Headlamp chart values that live inside other objects: Flux, Argo CD and kustomize.

One module per source kind reads its objects into ``ReleaseSpec`` records
(``flux``: HelmRelease v2/v2beta2/v2beta1 and its OCIRepository/HelmChart
chart sources; ``argocd``: Application and ApplicationSet; ``kustomize``:
``helmCharts`` of a kustomization; ``k3s``: the helm-controller's HelmChart
and HelmChartConfig), in the per-file stage, where each file
is read. ``embedded`` parses values written as YAML strings with positions
in the outer file. ``resolve`` runs once all files are read: it finds the
ConfigMaps, Secrets and files a release takes values from, puts every
piece in the order its tool merges them, picks the chart version, and hands
the positioned layers to the values pipeline
(``linter.model.from_values.lint_embedded``), the same one a bare values
file goes through.

Problems of the objects themselves are reported as they are read: HL020
(a source the tool would reject or misread), HL017 (a source headlamp-lint
does not see, so findings may be incomplete), HL018 (another chart deploys
Headlamp), HL019 (no known Headlamp chart matches the version).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Union

from linter.located import Location, Span
from linter.model.objects import api_group
from linter.records import field, record
from linter.yamlpos import MapNode, Node, ScalarNode

if TYPE_CHECKING:  # the values machinery is imported only when a file holds such an object
    from linter.values.merge import ValuesLayer

Report = Callable[[str, Location, str], None]

CHART_NAME = "headlamp"


@record(frozen=True, slots=True)
class Inline:
    """Values written in the object itself (a map, or a string parsed with positions)."""

    layer: ValuesLayer
    string: bool = False  # written as a YAML string (Argo CD helm.values), not a map


@record(frozen=True, slots=True)
class FromObject:
    """A Flux ``valuesFrom`` entry: a key of a ConfigMap or Secret, whole or at ``target_path``; also the
    ``valuesContent`` of the k3s HelmChartConfig that goes with a HelmChart."""

    kind: str
    name: str
    namespace: str
    key: str
    target_path: str | None
    optional: bool
    location: Location  # the entry's name, to blame
    role: str = "a spec.valuesFrom"  # what it is to the release, for messages
    quiet_when_absent: bool = False  # an object that is usually absent (a k3s HelmChartConfig): no HL017


@record(frozen=True, slots=True)
class FromFile:
    """A values file named by path: Argo CD ``valueFiles``, kustomize ``valuesFile``/``additionalValuesFiles``."""

    written: str  # as written
    resolved: str | None  # absolute path to read, None when it cannot be in the input
    location: Location
    why: str = ""  # when ``resolved`` is None or the file is missing: why it is not read
    missing_is_error: bool = False  # the tool fails when it is missing (kustomize); else it may live elsewhere


@record(frozen=True, slots=True)
class SetValue:
    """One ``--set`` style value: Argo CD ``parameters`` (``forceString``: ``--set-string``) or a Flux
    ``targetPath``; ``name`` is the dotted path, ``name_node`` where it is written."""

    name: str
    name_node: ScalarNode
    value: ScalarNode
    force_string: bool = False


@record(frozen=True, slots=True)
class SetValues:
    values: tuple[SetValue, ...]
    path: str  # display path of the file holding them


Piece = Union[Inline, FromObject, FromFile, SetValues]


@record(frozen=True, slots=True)
class ChartRef:
    """A Flux ``spec.chartRef``: the chart comes from an OCIRepository or HelmChart object."""

    kind: str
    name: str
    namespace: str
    location: Location


@record(frozen=True, slots=True)
class Notice:
    rule: str
    location: Location
    message: str


@record(frozen=True)
class ReleaseSpec:
    """One Headlamp chart release declared inside another object, before cross-file resolution."""

    form: str  # "HelmRelease", "Application", "ApplicationSet", "kustomization", "HelmChart" (k3s)
    what: str  # the object for messages: "HelmRelease flux-system/headlamp"
    path: str  # display path of the file
    pieces: tuple[Piece, ...]  # lowest precedence first
    release_name: str
    namespace: str
    version: str | None  # chart version or range as written; None: newest
    version_location: Location | None
    chart_ref: ChartRef | None = None  # Flux chartRef: the version (and whether it is Headlamp) from it
    notices: tuple[Notice, ...] = ()  # reported when the release is linted
    merge: str = "helm"  # how ``pieces`` combine (Helm's -f layering; the source modules order them so)
    templated: bool = False  # an ApplicationSet template: {{ … }} parameters are left as written
    anchor: ValuesLayer | None = None  # where chart defaults go when no piece is the user's own values
    anchor_string: bool = False  # the anchor's values are a YAML string (k3s valuesContent): the fixer edits
    # that string, and refuses when it is not there rather than write a mapping where a string belongs
    doc_index: int = 0  # the document of the file holding the object
    doc_lines: tuple[int, int] = (1, 1)  # the object's first and last line


@record(frozen=True, slots=True)
class ChartSource:
    """A Flux OCIRepository or HelmChart a ``chartRef`` may point at."""

    kind: str
    name: str
    namespace: str
    is_headlamp: bool
    version: str | None  # OCIRepository ref.tag / ref.semver, HelmChart spec.version
    version_location: Location | None
    path: str  # display path of the file holding it


@record(frozen=True, slots=True)
class DataEntry:
    """One key of a ConfigMap or Secret: values a ``valuesFrom`` may take. The node is not kept (file units
    hold no YAML nodes past the per-file stage): ``resolve`` reads it again from the file when it is used."""

    path: str
    doc_index: int
    field: str  # "data" or "stringData"
    base64: bool = False  # a Secret's ``data``: the string is base64
    file: str | None = None  # a kustomize configMapGenerator/secretGenerator key: the file whose text it is
    location: Location | None = None  # that generator's ``files`` entry, to blame when the file is missing


@record
class GitOpsParts:
    """What one file contributes to cross-file resolution."""

    releases: list[ReleaseSpec] = field(default_factory=list)
    chart_sources: list[ChartSource] = field(default_factory=list)
    data: dict[tuple[str, str, str], dict[str, DataEntry]] = field(default_factory=dict)  # (kind, ns, name)
    kustomizations: list = field(default_factory=list)  # linter.gitops.kustomize_build.Kustomization

    def __bool__(self) -> bool:
        return bool(self.releases or self.chart_sources or self.data or self.kustomizations)


# apiVersion groups and kinds the per-file stage hands to this package.
FLUX_HELM = "helm.toolkit.fluxcd.io"
FLUX_SOURCE = "source.toolkit.fluxcd.io"
ARGO = "argoproj.io"
KUSTOMIZE = "kustomize.config.k8s.io"
K3S = "helm.cattle.io"
KINDS = {
    ("HelmRelease", FLUX_HELM),
    ("OCIRepository", FLUX_SOURCE),
    ("HelmChart", FLUX_SOURCE),
    ("Application", ARGO),
    ("ApplicationSet", ARGO),
    ("Kustomization", KUSTOMIZE),
    ("HelmChart", K3S),
    ("HelmChartConfig", K3S),
    ("ConfigMap", ""),
    ("Secret", ""),
}
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def handles(kind: str, api_version: str) -> bool:
    return (kind, api_group(api_version)) in KINDS


def text_of(node: Node | None) -> str | None:
    """A scalar's text, None for anything else or null."""
    if isinstance(node, ScalarNode) and node.value is not None:
        return node.text
    return None


def point(span: Span) -> Span:
    return Span(span.line, span.column, span.line, span.column + 1)


def mapping(node: Node | None) -> MapNode | None:
    return node if isinstance(node, MapNode) else None
