"""The shipped release and advisory table: schema, content, the packaged schema copy, the update script."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest

from linter.releases import release_data
from linter.versions import Version
from tests.conftest import ROOT, shared_path

DATA = ROOT / "linter" / "data" / "releases.json"
SCHEMA = ROOT / "schemas" / "releases.schema.json"
PACKAGED_SCHEMA = ROOT / "linter" / "schemas" / "releases.schema.json"
SCRIPT = ROOT / "scripts" / "update_release_data.py"


def raw() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_data_validates_against_schema():
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.Draft202012Validator(schema()).validate(raw())


def test_schema_rejects_what_it_should():
    validator = jsonschema.Draft202012Validator(schema())
    broken = raw()
    broken["advisories"][0]["conditions"]["enable_helm_string"] = "-enable-helm"  # no free-form conditions
    broken["headlamp_releases"][0]["version"] = "v0.1.0"  # versions are written without v
    broken["updated"] = "21.08.2026"
    messages = " ".join(e.message for e in validator.iter_errors(broken))
    assert "enable_helm_string" in messages and "v0.1.0" in messages and "21.08.2026" in messages


def test_packaged_schema_is_byte_identical():
    assert PACKAGED_SCHEMA.read_bytes() == SCHEMA.read_bytes()


def test_content():
    data = release_data()
    assert data.updated.isoformat() == "2026-08-21"
    assert str(data.newest_headlamp.version) == "0.45.0" and data.newest_headlamp.date.isoformat() == "2026-08-21"
    assert str(data.newest_chart.version) == "0.45.0"
    assert len(data.headlamp_releases) == 69 and len(data.chart_releases) == 55
    known = {r.version for r in data.headlamp_releases}
    assert all(c.app_version in known for c in data.chart_releases), "every chart ships a known Headlamp release"
    cve = data.advisory("CVE-2025-14269")
    assert (cve.cvss_score, str(cve.last_affected), str(cve.fixed), str(cve.fixed_chart)) == (8.8, "0.38.0", "0.39.0",
                                                                                             "0.39.0")
    assert cve.conditions == {"in_cluster": True, "flags_enabled": ["enable-helm"]}
    assert cve.affects(Version.parse("0.38.0")) and not cve.affects(Version.parse("0.39.0"))
    assert cve.affects(Version.parse("0.39.0-rc1"))  # a pre-release of the fix is older than the fix
    root = data.advisory("HEADLAMP-ROOT-IMAGE")
    assert str(root.last_affected) == "0.17.0" and str(root.fixed) == "0.17.1"
    assert [i.repository for i in data.official_images] == [
        "ghcr.io/headlamp-k8s/headlamp",
        "registry.k8s.io/headlamp/headlamp",
    ]
    assert data.deprecated("ghcr.io/kinvolk/headlamp").replacement == "ghcr.io/headlamp-k8s/headlamp"
    # Minor lines are counted in the table, not computed: 0.42 -> 0.43, 0.44, 0.45.
    assert data.minor_releases_since(Version.parse("0.42.7")) == ((0, 43), (0, 44), (0, 45))
    assert data.minor_releases_since(Version.parse("0.46.0")) == ()


def test_data_matches_the_reference_facts():
    """Every release of FACTS.md §5 and §1.5 is in the table with its date (regression against typos)."""
    facts = shared_path("reference", "headlamp", "FACTS.md").read_text(encoding="utf-8")
    section = facts[facts.index("**App release tags**"): facts.index("There is also a `mac-0.25.0`")]
    expected = set()
    for year, cells in re.findall(r"^\| (\d{4}) \| (.*) \|$", section, re.M):
        for tag, date in re.findall(r"v(\S+) \(([0-9-]+)\)", cells):
            expected.add((tag, date if len(date) == 10 else f"{year}-{date}"))
    shipped = {(r["version"], r["date"]) for r in raw()["headlamp_releases"]}
    assert shipped == expected
    charts = {(c["version"], c["app_version"], c["date"]) for c in raw()["chart_releases"]}
    for row in re.findall(r"^\| (0\.\d+\.\d+) \| (0\.\d+\.\d+) \| (\d{4}-\d\d-\d\d) \|", facts, re.M):
        assert row in charts
    assert ("0.29.1", "0.29.0", "2025-02-27") in charts and ("0.44.0", "0.44.0", "2026-07-29") in charts


def run_script(*args: str):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def test_shipped_data_is_canonical():
    result = run_script("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_update_from_release_list(tmp_path):
    data = tmp_path / "releases.json"
    shutil.copy(DATA, data)
    listing = tmp_path / "releases.txt"
    listing.write_text(
        "# new releases\n"
        "headlamp v0.46.0 2026-09-30\n"
        "chart 0.46.0 v0.46.0 2026-10-01   # chart and app\n"
        "headlamp 0.45.0 2026-08-22\n"  # a corrected date for a known release
        "\n",
        encoding="utf-8",
    )
    result = run_script("--data", str(data), "--releases", str(listing), "--updated", "2026-10-02")
    assert result.returncode == 0, result.stderr
    assert "added Headlamp 0.46.0" in result.stdout and "changed Headlamp 0.45.0" in result.stdout
    updated = json.loads(data.read_text(encoding="utf-8"))
    assert updated["updated"] == "2026-10-02"
    assert updated["headlamp_releases"][-2:] == [
        {"version": "0.45.0", "date": "2026-08-22"},
        {"version": "0.46.0", "date": "2026-09-30"},
    ]
    assert updated["chart_releases"][-1] == {"version": "0.46.0", "app_version": "0.46.0", "date": "2026-10-01"}
    versions = [Version.parse(r["version"]) for r in updated["headlamp_releases"]]
    assert versions == sorted(versions)
    assert updated["advisories"] == raw()["advisories"]  # kept as they were
    assert run_script("--data", str(data), "--check").returncode == 0


def test_update_rejects_bad_input_and_writes_nothing(tmp_path):
    data = tmp_path / "releases.json"
    shutil.copy(DATA, data)
    listing = tmp_path / "releases.txt"
    listing.write_text("headlamp latest 2026-09-30\n", encoding="utf-8")
    result = run_script("--data", str(data), "--releases", str(listing))
    assert result.returncode == 2 and "releases.txt:1" in result.stderr and "'latest' is not a version" in result.stderr
    listing.write_text("chart 0.46.0 2026-09-30\n", encoding="utf-8")
    assert run_script("--data", str(data), "--releases", str(listing)).returncode == 2
    assert data.read_bytes() == DATA.read_bytes()


def test_update_refuses_data_that_fails_the_schema(tmp_path):
    broken = raw()
    broken["advisories"][0]["fixed"] = "0.38.0"  # not after last_affected
    data = tmp_path / "releases.json"
    data.write_text(json.dumps(broken), encoding="utf-8")
    result = run_script("--data", str(data), "--updated", "2026-10-02")
    assert result.returncode == 2 and "not after last_affected" in result.stderr
    assert json.loads(data.read_text(encoding="utf-8")) == broken


def test_check_reports_unsorted_data(tmp_path):
    shuffled = raw()
    shuffled["headlamp_releases"].reverse()
    data = tmp_path / "releases.json"
    data.write_text(json.dumps(shuffled, indent=2) + "\n", encoding="utf-8")
    assert run_script("--data", str(data), "--check").returncode == 1
    assert run_script("--data", str(data)).returncode == 0
    assert json.loads(data.read_text(encoding="utf-8"))["headlamp_releases"] == raw()["headlamp_releases"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_update_from_local_checkout(tmp_path):
    repo = tmp_path / "headlamp"
    (repo / "charts" / "headlamp").mkdir(parents=True)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2026-09-30T12:00:00Z",
           "GIT_COMMITTER_DATE": "2026-09-30T12:00:00Z", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    (repo / "charts" / "headlamp" / "Chart.yaml").write_text(
        "apiVersion: v2\nname: headlamp\nversion: 0.46.0\nappVersion: 0.46.0\n", encoding="utf-8"
    )
    git("add", "-A")
    git("commit", "-qm", "release")
    for tag in ("v0.46.0", "headlamp-helm-0.46.0", "pluginctl-1.2.0", "mac-0.46.0"):
        git("tag", "-a", tag, "-m", tag)
    data = tmp_path / "releases.json"
    shutil.copy(DATA, data)
    result = run_script("--data", str(data), "--checkout", str(repo), "--updated", "2026-10-01")
    assert result.returncode == 0, result.stderr
    updated = json.loads(data.read_text(encoding="utf-8"))
    assert updated["headlamp_releases"][-1] == {"version": "0.46.0", "date": "2026-09-30"}
    assert updated["chart_releases"][-1] == {"version": "0.46.0", "app_version": "0.46.0", "date": "2026-09-30"}
    assert len(updated["headlamp_releases"]) == len(raw()["headlamp_releases"]) + 1  # other tags ignored


def test_chart_releases_agree_with_the_packaged_chart_data():
    """Two tables name chart releases (values rendering, release data): they must not drift apart."""
    from linter.values import chart

    shipped = {str(c.version): (str(c.app_version), c.date.isoformat()) for c in release_data().chart_releases}
    for item in chart.releases():
        assert shipped.get(item.version) == (str(Version.parse(item.app_version)), item.date), item.version
    assert str(release_data().newest_chart.version) == chart.newest().version
