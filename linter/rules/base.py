"""What a rule is: metadata, documentation, options and a pure check generator."""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING, Any, Callable, Iterator

from linter.diagnostics import Diagnostic, Finding, Severity
from linter.records import field, record

if TYPE_CHECKING:
    from linter.model import Model
    from linter.model.workloads import Workload

SECTIONS = {
    "HL0": "Input and tool",
    "HL1": "Authentication",
    "HL2": "TLS",
    "HL3": "RBAC",
    "HL4": "Container security",
    "HL5": "Network security",
    "HL6": "Update and patch management",
}

DOC_HEADINGS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options", "References")


@record(frozen=True)
class Option:
    """A per-rule option, settable in the configuration file."""

    name: str
    type: str  # JSON schema type: "integer", "string", "array", "boolean"
    default: Any
    description: str


@record(frozen=True)
class FixEdit:
    """One change a fix makes.

    ``path`` is relative to the parent of the blamed key ("" is the blamed
    key itself); ``value`` is YAML text. When the target is an existing
    list, ``list_item`` is appended to it instead of replacing it.
    """

    path: str
    value: str
    list_item: str | None = None
    # "key": the blamed key's parent; "container": the container (values: the root); "object": the object's
    # root, manifests only; "values": the Headlamp values root (under an umbrella chart's key), values files only.
    relative_to: str = "key"
    remove_item: str | None = None  # a regex: remove the list items whose whole text matches (``value`` unused)


@record(frozen=True)
class FixSpec:
    """What a rule's fix does. ``safe`` fixes only harden and are applied by --fix;
    ``unsafe`` ones may change behaviour and need --unsafe-fixes."""

    applicability: str  # "safe" or "unsafe"
    description: str
    edits: tuple[FixEdit, ...]
    # only diagnostics whose key ends with this (or one of these); other cases of the rule: no fix
    applies_to: str | tuple[str, ...] | None = None
    # e.g. runAsUser 100 is right for the Headlamp image only: findings on Headlamp containers (on_headlamp)
    headlamp_only: bool = False
    tmp_volume: bool = False  # also mount an emptyDir at /tmp (the chart does this itself since 0.42.0)

    def applies(self, diagnostic: "Diagnostic") -> bool:
        """Whether this fix is meant for the diagnostic's case of the rule (its blamed key)."""
        if self.headlamp_only and not diagnostic.on_headlamp:
            return False
        return not self.applies_to or diagnostic.key.endswith(self.applies_to)


@record(frozen=True)
class RuleMeta:
    id: str
    name: str
    title: str
    severity: Severity
    security_severity: float
    tags: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    fix: str | None = None  # None, "safe" or "unsafe": set from the module's FIX

    @property
    def section(self) -> str:
        return SECTIONS[self.id[:3]]


@record(frozen=True)
class Rule:
    meta: RuleMeta
    doc: str
    # None for the input rules (HL0xx) that the loader reports while reading files.
    check: Callable[["Model", "RuleContext"], Iterator[Finding]] | None
    module: str = ""
    fix: FixSpec | None = None

    @classmethod
    def from_module(cls, module: ModuleType) -> "Rule":
        fix = getattr(module, "FIX", None)
        meta = replace(module.RULE, fix=fix.applicability if fix else None)
        return cls(meta, (module.__doc__ or "").strip(), getattr(module, "check", None), module.__name__, fix)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def name(self) -> str:
        return self.meta.name


@record(frozen=True)
class RuleContext:
    """What a rule may know besides the model: options and the run's switches."""

    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> option -> value
    all_workloads: bool = False
    now: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc))

    def option(self, meta: RuleMeta, name: str) -> Any:
        for opt in meta.options:
            if opt.name == name:
                return self.options.get(meta.id, {}).get(name, opt.default)
        raise KeyError(f"{meta.id} has no option {name}")

    def workloads(self, model: "Model") -> list["Workload"]:
        """The workloads generic rules apply to: Headlamp's, or all with --all-workloads."""
        if self.all_workloads:
            return model.workloads
        return [w for w in model.workloads if w.is_headlamp]
