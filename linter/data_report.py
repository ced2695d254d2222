"""``headlamp-lint data``: what the shipped release and advisory table knows, and how old it is."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from linter.model.updates import describe_conditions
from linter.releases import Advisory, ReleaseData


def _affected(advisory: Advisory) -> str:
    low = f">= {advisory.introduced}, " if advisory.introduced is not None else ""
    return f"{low}<= {advisory.last_affected}"


def data_summary(data: ReleaseData, now: _dt.datetime) -> dict[str, Any]:
    newest, chart = data.newest_headlamp, data.newest_chart
    return {
        "updated": data.updated.isoformat(),
        "age_days": data.age_days(now),
        "source": data.source,
        "newest_headlamp": {"version": str(newest.version), "date": newest.date.isoformat()},
        "newest_chart": {
            "version": str(chart.version),
            "app_version": str(chart.app_version),
            "date": chart.date.isoformat(),
        },
        "headlamp_releases": len(data.headlamp_releases),
        "chart_releases": len(data.chart_releases),
        "advisories": [
            {
                "id": a.id,
                "aliases": list(a.aliases),
                "title": a.title,
                "cvss": {"score": a.cvss_score, "vector": a.cvss_vector} if a.cvss_score is not None else None,
                "summary": a.summary,
                "affected": _affected(a),
                "conditions": dict(a.conditions),
                "applies_when": describe_conditions(a.conditions),
                "fixed": str(a.fixed),
                "fixed_chart": str(a.fixed_chart) if a.fixed_chart else None,
                "url": a.url,
            }
            for a in data.advisories
        ],
        "images": {
            "official": [i.repository for i in data.official_images],
            "deprecated": [{"repository": i.repository, "replacement": i.replacement} for i in data.deprecated_images],
        },
    }


def render_data(data: ReleaseData, now: _dt.datetime, output_format: str) -> str:
    summary = data_summary(data, now)
    if output_format == "json":
        return json.dumps(summary, indent=2) + "\n"
    newest, chart = summary["newest_headlamp"], summary["newest_chart"]
    lines = [
        f"Release data updated {summary['updated']} ({summary['age_days']} days ago)",
        f"Source: {summary['source']}",
        f"Newest Headlamp release: {newest['version']} ({newest['date']}); {summary['headlamp_releases']} releases known",
        f"Newest chart release: {chart['version']} (appVersion {chart['app_version']}, {chart['date']});"
        f" {summary['chart_releases']} chart releases known",
        "Official images: " + ", ".join(summary["images"]["official"]),
        "Deprecated images: "
        + ", ".join(f"{d['repository']} (use {d['replacement']})" for d in summary["images"]["deprecated"]),
        f"Advisories ({len(summary['advisories'])}):",
    ]
    for item in summary["advisories"]:
        score = f" CVSS {item['cvss']['score']}" if item["cvss"] else ""
        aliases = f" ({', '.join(item['aliases'])})" if item["aliases"] else ""
        fixed_chart = f" (chart {item['fixed_chart']})" if item["fixed_chart"] else ""
        lines += [
            f"  {item['id']}{aliases}{score}: {item['title']}",
            f"    affects Headlamp {item['affected']} when {item['applies_when']}; fixed in {item['fixed']}{fixed_chart}",
            f"    {item['url']}",
        ]
    return "\n".join(lines) + "\n"
