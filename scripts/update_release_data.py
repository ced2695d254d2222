#!/usr/bin/env python3
"""Refresh linter/data/releases.json, the release table headlamp-lint ships.

The linter itself never goes online. A maintainer refreshes its knowledge
with this script, from either source given on the command line:

* ``--checkout PATH``: a local git checkout of kubernetes-sigs/headlamp
  (fetch its tags first). App tags ``vX.Y.Z`` become Headlamp releases,
  chart tags ``headlamp-helm-X.Y.Z`` become chart releases with the
  ``appVersion`` of that tag's ``charts/headlamp/Chart.yaml``; dates are tag
  creation dates.
* ``--releases FILE``: a release list, one release a line::

      # comments and blank lines are ignored
      headlamp v0.46.0 2026-09-30
      chart 0.46.0 0.46.0 2026-09-30      # chart version, appVersion, date

Releases are merged into the table (a known version gets the new date),
the lists are sorted by semantic version, ``updated`` is set (``--updated``,
default today in UTC), and the result is validated against
``schemas/releases.schema.json`` before it is written. Advisories and image
repositories are edited by hand in the JSON; the script keeps and validates
them. ``--check`` writes nothing and exits 1 when the file is not in the
canonical form (sorted, validated) the script would write.

Exit codes: 0 done, 1 ``--check`` found differences, 2 bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.versions import Version  # noqa: E402

DATA = ROOT / "linter" / "data" / "releases.json"
SCHEMA = ROOT / "schemas" / "releases.schema.json"

_APP_TAG = re.compile(r"^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$")
_CHART_TAG = re.compile(r"^headlamp-helm-(\d+\.\d+\.\d+)$")
_APP_VERSION = re.compile(r"^appVersion:\s*[\"']?v?([0-9][^\"'\s]*)", re.M)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InputProblem(Exception):
    """Bad input: exit 2 with this message."""


def _version_text(text: str, where: str) -> str:
    version = Version.parse(text)
    if version is None:
        raise InputProblem(f"{where}: {text!r} is not a version")
    return str(version)


def _date_text(text: str, where: str) -> str:
    try:
        if not _DATE.match(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise InputProblem(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None
    return text


def read_release_list(path: Path) -> tuple[list[dict], list[dict]]:
    """(Headlamp releases, chart releases) from a release list file."""
    app: list[dict] = []
    charts: list[dict] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputProblem(f"{path}: cannot read: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        where = f"{path}:{number}"
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "headlamp" and len(words) == 3:
            app.append({"version": _version_text(words[1], where), "date": _date_text(words[2], where)})
        elif words[0] == "chart" and len(words) == 4:
            charts.append(
                {
                    "version": _version_text(words[1], where),
                    "app_version": _version_text(words[2], where),
                    "date": _date_text(words[3], where),
                }
            )
        else:
            raise InputProblem(
                f"{where}: expected 'headlamp VERSION DATE' or 'chart VERSION APP_VERSION DATE', got {line.strip()!r}"
            )
    return app, charts


def _git(checkout: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(checkout), *args], capture_output=True, text=True, check=True, timeout=120
        )
    except FileNotFoundError:
        raise InputProblem("git is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise InputProblem(f"{checkout}: git {' '.join(args)} failed: {exc.stderr.strip()}") from None
    return done.stdout


def read_checkout(checkout: Path) -> tuple[list[dict], list[dict]]:
    """(Headlamp releases, chart releases) from the tags of a local headlamp checkout."""
    if not checkout.is_dir():
        raise InputProblem(f"{checkout}: not a directory")
    app: list[dict] = []
    charts: list[dict] = []
    listing = _git(checkout, "for-each-ref", "--format=%(refname:short) %(creatordate:short)", "refs/tags")
    for line in listing.splitlines():
        if not line.strip():
            continue
        tag, date = line.split()
        if match := _APP_TAG.match(tag):
            app.append({"version": _version_text(match.group(1), tag), "date": _date_text(date, tag)})
        elif match := _CHART_TAG.match(tag):
            chart_yaml = _git(checkout, "show", f"{tag}:charts/headlamp/Chart.yaml")
            found = _APP_VERSION.search(chart_yaml)
            if found is None:
                raise InputProblem(f"{checkout}: {tag}: Chart.yaml has no appVersion")
            charts.append(
                {
                    "version": _version_text(match.group(1), tag),
                    "app_version": _version_text(found.group(1), f"{tag} appVersion"),
                    "date": _date_text(date, tag),
                }
            )
    if not app and not charts:
        raise InputProblem(f"{checkout}: no v* or headlamp-helm-* tags; is it a Headlamp checkout with tags fetched?")
    return app, charts


def merge(existing: list[dict], new: list[dict], changes: list[str], what: str) -> list[dict]:
    """Releases keyed by version; a new entry replaces a known one; sorted by semantic version."""
    by_version = {item["version"]: item for item in existing}
    for item in new:
        old = by_version.get(item["version"])
        if old is None:
            changes.append(f"added {what} {item['version']} ({item['date']})")
        elif old != item:
            changes.append(f"changed {what} {item['version']}: {old} -> {item}")
        by_version[item["version"]] = item
    return sorted(by_version.values(), key=lambda item: Version.parse(item["version"]))


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """The data with sorted release lists and advisories, keys in a fixed order."""
    out = dict(data)
    out["headlamp_releases"] = sorted(data["headlamp_releases"], key=lambda r: Version.parse(r["version"]))
    out["chart_releases"] = sorted(data["chart_releases"], key=lambda r: Version.parse(r["version"]))
    out["advisories"] = sorted(data["advisories"], key=lambda a: a["id"])
    return out


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def validate(data: dict[str, Any], schema_path: Path = SCHEMA) -> list[str]:
    """Schema problems, plus the checks a schema cannot say."""
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        return problems
    for key in ("headlamp_releases", "chart_releases"):
        versions = [item["version"] for item in data[key]]
        if len(versions) != len(set(versions)):
            problems.append(f"{key}: a version is listed twice")
    ids = [a["id"] for a in data["advisories"]]
    if len(ids) != len(set(ids)):
        problems.append("advisories: an id is listed twice")
    for advisory in data["advisories"]:
        last = Version.parse(advisory["affected"]["last_affected"])
        fixed = Version.parse(advisory["fixed"])
        if not last < fixed:
            problems.append(f"advisory {advisory['id']}: fixed {fixed} is not after last_affected {last}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--checkout", type=Path, help="a local git checkout of kubernetes-sigs/headlamp")
    source.add_argument("--releases", type=Path, help="a release list file (see the module docstring)")
    parser.add_argument("--data", type=Path, default=DATA, help=f"the table to update (default {DATA})")
    parser.add_argument("--schema", type=Path, default=SCHEMA, help="the JSON schema to validate against")
    parser.add_argument("--updated", help="the date to record as last updated (default: today, UTC)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    args = parser.parse_args(argv)

    try:
        data = json.loads(args.data.read_text(encoding="utf-8"))
        changes: list[str] = []
        if args.checkout or args.releases:
            app, charts = read_checkout(args.checkout) if args.checkout else read_release_list(args.releases)
            data["headlamp_releases"] = merge(data["headlamp_releases"], app, changes, "Headlamp")
            data["chart_releases"] = merge(data["chart_releases"], charts, changes, "chart")
            data["updated"] = _date_text(args.updated, "--updated") if args.updated else dt.datetime.now(
                dt.timezone.utc
            ).date().isoformat()
        elif args.updated:
            data["updated"] = _date_text(args.updated, "--updated")
        data = canonical(data)
    except InputProblem as exc:
        print(f"update_release_data: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        print(f"update_release_data: error: {args.data}: {exc}", file=sys.stderr)
        return 2

    problems = validate(data, args.schema)
    if problems:
        for problem in problems:
            print(f"update_release_data: invalid: {problem}", file=sys.stderr)
        return 2
    text = render(data)
    current = args.data.read_text(encoding="utf-8")
    if args.check:
        if text != current:
            print(f"{args.data}: not up to date with its canonical form; run scripts/update_release_data.py")
            return 1
        print(f"{args.data}: valid and canonical")
        return 0
    for change in changes:
        print(change)
    if text != current:
        args.data.write_text(text, encoding="utf-8")
        print(f"wrote {args.data} (updated {data['updated']})")
    else:
        print(f"{args.data}: no change")
    return 0


if __name__ == "__main__":
    sys.exit(main())
