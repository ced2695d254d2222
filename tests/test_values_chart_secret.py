"""The chart's own OIDC Secret: what the Deployment reads through it, and values it cannot carry.

With ``config.oidc.*`` and ``config.oidc.secret.create`` (the default) the
chart writes the values into its Secret and the Deployment reads them by
``secretKeyRef``; the rules read those values on both sides, blamed at the
user's values key or at the Secret's entry. With ``secret.create: false`` the
chart prints each value unquoted into an env ``value``: a numeric client
secret becomes a number, which Kubernetes rejects.
"""

from __future__ import annotations

import json

import pytest

from tests.cli import invoke
from tests.conftest import FIXTURES

PAIRS = FIXTURES / "values" / "helm-pairs"


def located(*args: str, rules: set[str]) -> set[tuple[int, int, str]]:
    result = invoke(["check", "-f", "json", "--exit-zero", "--no-cache", *args])
    assert result.exit_code == 0, result.output
    return {(d["line"], d["column"], d["rule"]) for d in json.loads(result.stdout)["diagnostics"] if d["rule"] in rules}


@pytest.mark.parametrize(("folder", "case", "values_at", "rendered_at"), [
    ("0.35.0", "022", (5, 19), (104, 22)),
    ("0.40.1", "022", (5, 19), (108, 22)),
    ("0.45.0", "294", (5, 19), (108, 22)),
])
def test_a_numeric_client_secret_printed_into_the_env_is_reported_on_both_sides(folder, case, values_at, rendered_at):
    values = PAIRS / folder / f"{case}.values.yaml"
    assert located("--chart-version", folder, "--values", str(values), rules={"HL009"}) == {(*values_at, "HL009")}
    rendered = PAIRS / folder / f"{case}.rendered.yaml"
    assert located(str(rendered), rules={"HL009"}) == {(*rendered_at, "HL009")}


def test_a_numeric_client_secret_in_the_chart_secret_is_fine():
    values = PAIRS / "0.45.0" / "062.values.yaml"  # secret.create: true (the default): b64enc | quote
    assert located("--chart-version", "0.45.0", "--values", str(values), rules={"HL009"}) == set()


def test_the_values_message_says_quoting_does_not_help(tmp_path):
    path = tmp_path / "values.yaml"
    path.write_text("config:\n  oidc:\n    secret:\n      create: false\n    clientID: headlamp\n"
                    "    clientSecret: \"0042\"\n    issuerURL: https://dex.example.com\n")
    result = invoke(["check", "-f", "json", "--exit-zero", "--no-cache", "--values", str(path)])
    [finding] = [d for d in json.loads(result.stdout)["diagnostics"] if d["rule"] == "HL009"]
    assert (finding["line"], finding["column"]) == (6, 19)
    assert "value: 0042" in finding["message"] and "quoting it in the values does not help" in finding["message"]


def test_hl104_reads_the_issuer_from_the_chart_secret_on_both_sides():
    stem = PAIRS / "reproducers" / "M01-0.45.0-http-issuer-via-chart-secret"
    values = stem.with_name(stem.name + ".values.yaml")
    rendered = stem.with_name(stem.name + ".rendered.yaml")
    assert located("--chart-version", "0.45.0", "--values", str(values), rules={"HL104"}) == {(4, 16, "HL104")}
    assert located(str(rendered), rules={"HL104"}) == {(25, 14, "HL104")}
