"""The shipped release and advisory table (``linter/data/releases.json``).

The linter is offline: what it knows about Headlamp releases, chart
releases, advisories and image repositories is this table, with the date it
was last brought up to date (HL607 reports when that is too old).
``scripts/update_release_data.py`` refreshes it; ``schemas/releases.schema.json``
describes it.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Any, Mapping

from linter.data import load_json
from linter.records import record
from linter.versions import Version

DATA_FILE = "releases.json"


@record(frozen=True)
class Release:
    version: Version
    date: _dt.date


@record(frozen=True)
class ChartRelease:
    version: Version
    app_version: Version
    date: _dt.date


@record(frozen=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    title: str
    cvss_score: float | None
    cvss_vector: str | None
    summary: str
    introduced: Version | None  # None: every release up to last_affected
    last_affected: Version
    fixed: Version
    fixed_chart: Version | None
    conditions: Mapping[str, Any]
    mitigation: str
    url: str

    def affects(self, version: Version) -> bool:
        """From ``introduced`` up to, not including, ``fixed``: pre-releases of the fix are still affected."""
        if self.introduced is not None and version < self.introduced:
            return False
        return version < self.fixed

    @property
    def label(self) -> str:
        """The id with its score, for messages: ``CVE-2025-14269 (CVSS 8.8)``."""
        return f"{self.id} (CVSS {self.cvss_score})" if self.cvss_score is not None else self.id


@record(frozen=True)
class ImageRepository:
    repository: str
    note: str
    replacement: str | None = None  # set for deprecated repositories


@record(frozen=True)
class ReleaseData:
    updated: _dt.date
    source: str
    headlamp_releases: tuple[Release, ...]  # ascending by version
    chart_releases: tuple[ChartRelease, ...]  # ascending by version
    advisories: tuple[Advisory, ...]
    official_images: tuple[ImageRepository, ...]
    deprecated_images: tuple[ImageRepository, ...]

    @property
    def stable_releases(self) -> tuple[Release, ...]:
        return tuple(r for r in self.headlamp_releases if not r.version.is_prerelease)

    @property
    def newest_headlamp(self) -> Release:
        return max(self.stable_releases, key=lambda r: r.version)

    @property
    def newest_chart(self) -> ChartRelease:
        return max(self.chart_releases, key=lambda c: c.version)

    def minor_releases_since(self, version: Version) -> tuple[tuple[int, int], ...]:
        """The minor release lines (major, minor) newer than ``version``'s, counted in the table."""
        lines = {r.version.minor_line for r in self.stable_releases if r.version.minor_line > version.minor_line}
        return tuple(sorted(lines))

    def release(self, version: Version) -> Release | None:
        for release in self.headlamp_releases:
            if release.version == version:
                return release
        return None

    def chart(self, version: Version) -> ChartRelease | None:
        for chart in self.chart_releases:
            if chart.version == version:
                return chart
        return None

    def advisories_for(self, version: Version) -> tuple[Advisory, ...]:
        return tuple(a for a in self.advisories if a.affects(version))

    def advisory(self, advisory_id: str) -> Advisory:
        for advisory in self.advisories:
            if advisory.id == advisory_id:
                return advisory
        raise KeyError(advisory_id)

    def official(self, repository: str) -> ImageRepository | None:
        return next((i for i in self.official_images if i.repository == repository), None)

    def deprecated(self, repository: str) -> ImageRepository | None:
        return next((i for i in self.deprecated_images if i.repository == repository), None)

    def age_days(self, now: _dt.datetime) -> int:
        return (now.date() - self.updated).days


def _version(text: str) -> Version:
    version = Version.parse(text)
    if version is None:
        raise ValueError(f"{DATA_FILE}: {text!r} is not a version")
    return version


def _date(text: str) -> _dt.date:
    return _dt.date.fromisoformat(text)


def parse_release_data(raw: Mapping[str, Any]) -> ReleaseData:
    """Typed release data from the JSON document (already valid against the schema)."""
    advisories = []
    for item in raw["advisories"]:
        cvss = item.get("cvss") or {}
        affected = item["affected"]
        advisories.append(
            Advisory(
                id=item["id"],
                aliases=tuple(item["aliases"]),
                title=item["title"],
                cvss_score=cvss.get("score"),
                cvss_vector=cvss.get("vector"),
                summary=item["summary"],
                introduced=_version(affected["introduced"]) if "introduced" in affected else None,
                last_affected=_version(affected["last_affected"]),
                fixed=_version(item["fixed"]),
                fixed_chart=_version(item["fixed_chart"]) if "fixed_chart" in item else None,
                conditions=dict(item["conditions"]),
                mitigation=item.get("mitigation", ""),
                url=item["url"],
            )
        )
    images = raw["images"]
    return ReleaseData(
        updated=_date(raw["updated"]),
        source=raw["source"],
        headlamp_releases=tuple(
            sorted((Release(_version(r["version"]), _date(r["date"])) for r in raw["headlamp_releases"]),
                   key=lambda r: r.version)
        ),
        chart_releases=tuple(
            sorted(
                (ChartRelease(_version(c["version"]), _version(c["app_version"]), _date(c["date"]))
                 for c in raw["chart_releases"]),
                key=lambda c: c.version,
            )
        ),
        advisories=tuple(advisories),
        official_images=tuple(ImageRepository(i["repository"], i["note"]) for i in images["official"]),
        deprecated_images=tuple(
            ImageRepository(i["repository"], i["note"], i["replacement"]) for i in images["deprecated"]
        ),
    )


@lru_cache(maxsize=1)
def release_data() -> ReleaseData:
    """The shipped table (validated by the tests and by the update script, not at every run)."""
    return parse_release_data(load_json(DATA_FILE))
