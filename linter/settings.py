"""Settings for one run: which rules, which severities, which switches."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from linter.diagnostics import Severity
from linter.errors import UsageError
from linter.records import field, record
from linter.source import DEFAULT_MAX_FILE_SIZE


@record(frozen=True)
class Settings:
    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity_overrides: dict[str, Severity] = field(default_factory=dict)  # rule id -> severity
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> option -> value
    fail_level: Severity = Severity.WARNING
    exclude: tuple[str, ...] = ()
    all_workloads: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    stdin_filename: str | None = None
    follow_symlinks: bool = False
    now: _dt.datetime | None = None
    default_namespace: str = "default"
    headlamp_images: tuple[str, ...] = ()  # extra repository patterns that are Headlamp
    debug: bool = False
    # Headlamp Helm values (linter.model.from_values)
    values_files: tuple[str, ...] = ()  # --values, layered in order like `helm -f a -f b`
    chart_version: str | None = None  # --chart-version; None: from Chart.yaml, else the newest known
    release_name: str = "headlamp"  # --release-name; the namespace is default_namespace (--namespace)
    file_kinds: tuple[tuple[str, str], ...] = ()  # (glob, "values" | "manifest") for other file names
    # From the configuration file (linter/config.py); globs there are relative to config_root.
    config_root: str | None = None  # directory of the config file; None: the working directory
    config_exclude: tuple[str, ...] = ()  # exclude globs from the config file (relative to config_root)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, selectors)
    values_groups: tuple[tuple[str, ...], ...] = ()  # values files layered in order, like helm -f a -f b
    require_suppression_reason: bool = True  # a suppression without "-- reason" is reported (HL007)
    values_annotation_suppressions: bool = False  # podAnnotations/deploymentAnnotations may suppress
    baseline: str | None = None  # baseline file: recorded findings are hidden
    # How the run is carried out; none of these changes its output.
    jobs: int = 0  # processes for the per-file stage; 0: one per CPU (large inputs only, linter.pool)
    cache: bool = False  # use the on-disk cache of per-file work (linter.cache); the CLI turns it on
    cache_dir: str = ".headlamp-lint-cache"
    # Keep a digest of each file's bytes (SourceFile.digest), which --fix needs to refuse overwriting a
    # file changed since it was read; the on-disk cache keys on it regardless. The CLI asks for it only
    # with --fix: hashing imports hashlib (OpenSSL), a few milliseconds of a one-file run's start-up.
    digests: bool = True


def _matches(rule_id: str, rule_name: str, selector: str) -> bool:
    selector = selector.strip()
    if selector.upper() == "ALL":
        return True
    if selector == rule_name:
        return True
    return rule_id.startswith(selector.upper()) and selector.upper().startswith("HL")


def check_selectors(selectors: tuple[str, ...], known: list[tuple[str, str]], what: str) -> None:
    """Raise UsageError for a selector that matches no rule, with a suggestion."""
    names = [n for pair in known for n in pair]
    for selector in selectors:
        if not any(_matches(rule_id, name, selector) for rule_id, name in known):
            import difflib

            close = difflib.get_close_matches(selector, names, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(f"{what}: unknown rule {selector!r}{hint}")


# A failure of the linter itself (HL000) is reported whatever --select and --ignore say: a run that lost
# results to a crash must not pass as clean because the rule that notes the loss was not selected.
ALWAYS_SELECTED = frozenset({"HL000"})


def is_selected(rule_id: str, rule_name: str, settings: Settings) -> bool:
    """ruff's model: the most specific selector wins; ignore beats select at equal specificity."""
    if rule_id in ALWAYS_SELECTED:
        return True
    best_select = -1
    for selector in (settings.select or ("ALL",)) + settings.extend_select:
        if _matches(rule_id, rule_name, selector):
            best_select = max(best_select, _specificity(selector))
    best_ignore = -1
    for selector in settings.ignore:
        if _matches(rule_id, rule_name, selector):
            best_ignore = max(best_ignore, _specificity(selector))
    return best_select >= 0 and best_select > best_ignore


def _specificity(selector: str) -> int:
    if selector.upper() == "ALL":
        return 0
    if not selector.upper().startswith("HL"):
        return 10  # a rule name is exact
    return len(selector)


def parse_now(text: str) -> _dt.datetime:
    """``--now``: an ISO date or date-time standing in for the current time (UTC unless it says otherwise).

    Rules that depend on the date (the age of the shipped release data,
    certificate expiry) read it, so that results are reproducible.
    """
    try:
        value = _dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now: {text!r} is not an ISO date or date-time (e.g. 2026-11-29 or 2026-11-29T12:00:00Z)")
    return value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)
