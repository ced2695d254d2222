"""--fix and --diff on Helm values files: goldens, idempotence, clean re-lint, byte preservation, safety."""

from __future__ import annotations

import difflib
import json
import shutil

import pytest

from linter.diagnostics import Diagnostic, Severity
from linter.engine import lint_paths
from linter.fix import ValuesContext, fix_text, plan_fixes, values_key, write_fixes
from linter.located import FILE_START, Location
from linter.rules import all_rules
from linter.settings import Settings
from linter.yamlpos import load
from tests.cli import CliResult, invoke
from tests.conftest import FIXTURES, run_cli

CASES = FIXTURES / "fixes" / "values"
SAFE = {r.id: r.fix for r in all_rules() if r.fix is not None and r.fix.applicability == "safe"}
# What each case's fix must leave clean (HL407 is not fixed for charts before 0.42.0: see test below).
FIXED = {
    "current": {"HL301", "HL401", "HL404", "HL405", "HL407", "HL408"},
    "old-chart": {"HL301", "HL404", "HL405", "HL408"},
    "umbrella": {"HL301", "HL404", "HL405", "HL408"},
}
# The only original lines a fix may rewrite (values it changes); everything else is kept byte for byte.
REWRITTEN = {
    "current": ["  runAsUser: 0   # why root?", "  capabilities: {drop: [NET_RAW]}"],
    "old-chart": [],
    "umbrella": [],
}


@pytest.fixture(params=sorted(FIXED))
def case(request, tmp_path):
    work = tmp_path / request.param
    shutil.copytree(CASES / request.param, work)
    (work / "values.fixed.yaml").unlink()
    return request.param, work / "values.yaml"


def cli(*args: str) -> CliResult:
    """In process, for speed; test_fix_matches_golden runs the real command as a user would."""
    return invoke(args)


def rules_of(stdout: str) -> set[str]:
    return {line.rsplit("[", 1)[1].rstrip("]") for line in stdout.splitlines() if line.endswith("]")}


def test_fix_matches_golden(case):
    name, path = case
    before = run_cli("check", "-f", "concise", str(path))
    assert FIXED[name] <= rules_of(before.stdout)  # the case exercises every fix it claims
    result = run_cli("check", "--fix", "-f", "concise", str(path))
    assert path.read_text() == (CASES / name / "values.fixed.yaml").read_text()
    assert f"fixed {len(FIXED[name])} problems in 1 file" in result.stderr


def test_fixed_values_relint_clean_for_the_fixed_rules(case):
    name, path = case
    cli("check", "--fix", str(path))
    after = cli("check", "-f", "concise", str(path))
    assert not rules_of(after.stdout) & FIXED[name]


def test_fix_is_idempotent(case):
    _, path = case
    cli("check", "--fix", str(path))
    once = path.read_bytes()
    second = cli("check", "--fix", str(path))
    assert path.read_bytes() == once
    assert "fixed 0 problems in 0 files" in second.stderr


@pytest.mark.parametrize("name", sorted(FIXED))
def test_untouched_lines_are_preserved_byte_for_byte(name):
    before = (CASES / name / "values.yaml").read_text().splitlines()
    after = (CASES / name / "values.fixed.yaml").read_text().splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    rewritten = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            rewritten.extend(before[i1:i2])
    assert rewritten == REWRITTEN[name]


def test_existing_block_is_merged_into_and_neighbour_comments_stay():
    after = (CASES / "umbrella" / "values.fixed.yaml").read_text()
    # Under the alias key, right after the user's own securityContext key; the comment after it stays put.
    assert (
        "  securityContext:\n    runAsNonRoot: true\n    allowPrivilegeEscalation: false\n" in after
    )
    assert "      type: RuntimeDefault\n  # more dashboard settings below\n  podAnnotations: {team: \"ops\"}\n" in after
    # A chart default under the alias: the new key goes at the end of the alias block, indented like its siblings.
    assert after.endswith("  podAnnotations: {team: \"ops\"}\n  clusterRoleBinding:\n    create: false\n")
    # The umbrella chart's own top-level securityContext is not Headlamp's: never edited.
    assert "securityContext:\n  runAsUser: 0  # the parent chart's, not Headlamp's\n" in after


def test_chart_default_gets_a_new_commented_block():
    after = (CASES / "old-chart" / "values.fixed.yaml").read_text()
    assert after.endswith(
        "  runAsNonRoot: true\n\n# HL301 (cluster-admin-binding): added by headlamp-lint --fix\n"
        "clusterRoleBinding:\n  create: false\n"
        "\n# HL404 (privilege-escalation-allowed): added by headlamp-lint --fix\n"
        "securityContext:\n  allowPrivilegeEscalation: false\n  capabilities:\n    drop: [ALL]\n"
        "  seccompProfile:\n    type: RuntimeDefault\n"
    )


def test_read_only_root_is_not_fixed_for_charts_without_the_tmp_volume(tmp_path):
    # Charts before 0.42.0 mount nothing at /tmp; a read-only root filesystem could break Headlamp there.
    shutil.copytree(CASES / "old-chart", tmp_path / "c")
    path = tmp_path / "c" / "values.yaml"
    cli("check", "--fix", str(path))
    after = cli("check", "-f", "concise", str(path))
    assert "HL407" in rules_of(after.stdout)
    assert "readOnlyRootFilesystem" not in path.read_text()


def test_diff_prints_and_writes_nothing(case):
    name, path = case
    original = path.read_bytes()
    result = cli("check", "--diff", str(path))
    assert result.returncode == 1
    assert path.read_bytes() == original
    assert result.stdout.startswith("--- a/")
    assert "+    allowPrivilegeEscalation: false" in result.stdout or "+  allowPrivilegeEscalation: false" in result.stdout
    assert f"{len(FIXED[name])} fixes in 1 file (not written)" in result.stderr


def test_diff_exit_0_on_the_fixed_file(case):
    _, path = case
    cli("check", "--fix", str(path))
    result = cli("check", "--diff", str(path))
    assert result.returncode == 0
    assert result.stdout == ""
    assert "0 fixes in 0 files" in result.stderr


def test_crlf_values_file_keeps_crlf(tmp_path):
    shutil.copytree(CASES / "current", tmp_path / "c")
    path = tmp_path / "c" / "values.yaml"
    path.write_bytes(path.read_text().replace("\n", "\r\n").encode())
    cli("check", "--fix", str(path))
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.decode().replace("\r\n", "\n") == (CASES / "current" / "values.fixed.yaml").read_text()


def test_refuses_values_file_changed_since_linted(case):
    _, path = case
    result = lint_paths([str(path)], Settings())
    fixes = plan_fixes(result, SAFE)
    assert fixes
    path.write_text(path.read_text() + "# edited meanwhile\n")
    errors = write_fixes(fixes, result)
    assert errors and "changed on disk" in errors[0]
    assert path.read_text().endswith("# edited meanwhile\n")


def _diag(rule: str, key: str) -> Diagnostic:
    rule_obj = next(r for r in all_rules() if r.id == rule)
    return Diagnostic(rule, rule_obj.name, Severity.ERROR, "m", Location("v.yaml", FILE_START), None, key)


def test_values_key_strips_the_container_and_checks_the_prefix():
    ctx = ValuesContext(("hl",))
    assert values_key(_diag("HL404", "containers[headlamp].hl.securityContext.allowPrivilegeEscalation"), ctx) == [
        "securityContext", "allowPrivilegeEscalation"]
    # Outside the Headlamp prefix, or into a list: never edited.
    assert values_key(_diag("HL404", "containers[headlamp].securityContext.allowPrivilegeEscalation"), ctx) is None
    assert values_key(_diag("HL404", "containers[x].extraContainers[0].securityContext.a"), ValuesContext()) is None
    # A rendered object's field path (no such top-level values key): never guessed into a values edit.
    assert values_key(_diag("HL404", "spec.loadBalancerSourceRanges"), ValuesContext()) is None
    assert values_key(_diag("HL404", "hl.spec.type"), ctx) is None


def test_empty_values_file_gets_the_override():
    text, applied = fix_text("", [_diag("HL404", "containers[headlamp].securityContext.allowPrivilegeEscalation")],
                             SAFE, True, ValuesContext())
    assert applied == ("HL404",)
    assert text == ("# HL404 (privilege-escalation-allowed): added by headlamp-lint --fix\n"
                    "securityContext:\n  allowPrivilegeEscalation: false\n")
    comment_only = "# nothing yet\n"
    text, _ = fix_text(comment_only, [_diag("HL404", "containers[headlamp].securityContext.allowPrivilegeEscalation")],
                       SAFE, True, ValuesContext())
    assert text.startswith(comment_only) and text.endswith("  allowPrivilegeEscalation: false\n")


def test_flow_root_and_unparsable_values():
    diag = _diag("HL404", "containers[headlamp].securityContext.allowPrivilegeEscalation")
    text, _ = fix_text("{replicaCount: 1}\n", [diag], SAFE, True, ValuesContext())
    assert text == "{replicaCount: 1, securityContext: {allowPrivilegeEscalation: false}}\n"
    broken = "securityContext: [\n"
    assert fix_text(broken, [diag], SAFE, True, ValuesContext()) == (broken, ())


def test_run_as_user_fix_is_for_the_headlamp_container_only():
    sidecar = _diag("HL401", "containers[sidecar].extraContainers.securityContext.runAsUser")
    text = "extraContainers: []\n"
    assert fix_text(text, [sidecar], SAFE, True, ValuesContext()) == (text, ())


def test_json_output_after_fix_reports_remaining(case):
    name, path = case
    result = cli("check", "--fix", "-f", "json", str(path))
    remaining = {d["rule"] for d in json.loads(result.stdout)["diagnostics"]}
    assert not remaining & FIXED[name]


def test_layered_values_files_are_fixed_where_the_finding_is(tmp_path):
    base = tmp_path / "base.yaml"
    prod = tmp_path / "prod.yaml"
    base.write_text("securityContext:\n  runAsUser: 100\n  capabilities:\n    drop:\n      - NET_RAW  # keep\n")
    prod.write_text("# prod\nreplicaCount: 2\n")
    args = ("--chart-version", "0.30.1", "--values", str(base), "--values", str(prod))
    result = cli("check", "--fix", "-f", "concise", *args)
    # The user's block in the first file gets the keys; Helm merges it with the later file, which needs nothing.
    assert base.read_text() == (
        "securityContext:\n  runAsUser: 100\n  capabilities:\n    drop:\n      - NET_RAW  # keep\n      - ALL\n"
        "  allowPrivilegeEscalation: false\n  seccompProfile:\n    type: RuntimeDefault\n"
    )
    # A chart default is overridden in the last file, where Helm's layering lets it win.
    assert prod.read_text() == ("# prod\nreplicaCount: 2\n\n# HL301 (cluster-admin-binding): added by headlamp-lint"
                                " --fix\nclusterRoleBinding:\n  create: false\n")
    assert not rules_of(result.stdout) & {"HL301", "HL404", "HL405", "HL408"}


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SC_LINES = {
    "ape": "  allowPrivilegeEscalation: true  # was on\n",
    "caps_block": "  capabilities:\n    drop:\n      - NET_RAW\n",
    "caps_flow": "  capabilities: {drop: [NET_RAW]}\n",
    "ro": "  readOnlyRootFilesystem: false\n",
    "user": "  runAsUser: 1000\n",
}
_FIXES = [("HL404", "securityContext.allowPrivilegeEscalation"), ("HL405", "securityContext.capabilities.drop"),
          ("HL407", "securityContext.readOnlyRootFilesystem"), ("HL408", "securityContext.seccompProfile.type")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    present=st.lists(st.sampled_from(sorted(_SC_LINES)), unique=True),
    has_block=st.booleans(),
    prefix=st.sampled_from(["", "hl"]),
    tail=st.sampled_from(["", "# trailing comment\n", "replicaCount: 1"]),
)
def test_values_fixes_are_idempotent_and_land_at_the_right_keys(present, has_block, prefix, tail):
    if "caps_block" in present and "caps_flow" in present:
        present.remove("caps_flow")
    block = "securityContext:\n" + "".join(_SC_LINES[k] for k in present) if has_block and present else ""
    if prefix:
        block = "".join(f"  {line}\n" if line else "\n" for line in block.splitlines())
        block = f"{prefix}:\n  replicaCount: 1\n" + block
    text = "# values\n" + block + tail
    ctx = ValuesContext((prefix,) if prefix else (), "0.45.0")
    key_prefix = f"{prefix}." if prefix else ""
    diagnostics = [_diag(rule, f"containers[headlamp].{key_prefix}{key}") for rule, key in _FIXES]
    fixed, applied = fix_text(text, diagnostics, SAFE, True, ctx)
    assert fix_text(fixed, diagnostics, SAFE, True, ctx) == (fixed, ())
    root = load(fixed).documents[0].root
    sc = root.get(prefix).get("securityContext") if prefix else root.get("securityContext")
    assert sc.get("allowPrivilegeEscalation").value is False
    assert sc.get("readOnlyRootFilesystem").value is True
    assert sc.get("seccompProfile").get("type").text == "RuntimeDefault"
    assert "ALL" in [i.text for i in sc.get("capabilities").get("drop").items]
    # Every original line survives (values edited in place keep their comments).
    kept = [line for line in text.splitlines() if "true  # was on" not in line and "false" not in line
            and "NET_RAW]" not in line]
    for line in kept:
        assert line in fixed.splitlines() or line == tail


# --- RBAC and network fixes (HL301 safe, HL504 unsafe) ------------------------------------------------


@pytest.fixture
def network(tmp_path):
    shutil.copytree(CASES / "network", tmp_path / "n")
    (tmp_path / "n" / "values.fixed.yaml").unlink()
    return tmp_path / "n" / "values.yaml"


def test_safe_fix_turns_off_the_cluster_admin_binding_only(network):
    result = cli("check", "--fix", "-f", "concise", str(network))
    text = network.read_text()
    assert "  create: false  # the chart's default, made explicit\n" in text
    assert "  type: NodePort  # for the lab network\n" in text  # unsafe: not without --unsafe-fixes
    assert "HL301" not in rules_of(result.stdout) and "HL504" in rules_of(result.stdout)


def test_unsafe_fixes_switch_the_service_to_cluster_ip(network):
    diff = cli("check", "--diff", "--unsafe-fixes", str(network))
    assert diff.returncode == 1 and "+  type: ClusterIP  # for the lab network" in diff.stdout
    result = cli("check", "--fix", "--unsafe-fixes", "-f", "concise", str(network))
    assert network.read_text() == (CASES / "network" / "values.fixed.yaml").read_text()
    assert not rules_of(result.stdout) & {"HL301", "HL504"}
    assert "fixed 2 problems in 1 file" in result.stderr
    again = cli("check", "--fix", "--unsafe-fixes", str(network))
    assert network.read_text() == (CASES / "network" / "values.fixed.yaml").read_text()
    assert "fixed 0 problems in 0 files" in again.stderr


def test_network_case_rewrites_only_the_two_values():
    before = (CASES / "network" / "values.yaml").read_text().splitlines()
    after = (CASES / "network" / "values.fixed.yaml").read_text().splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after)
    assert changed == [("  create: true  # the chart's default, made explicit",
                        "  create: false  # the chart's default, made explicit"),
                       ("  type: NodePort  # for the lab network", "  type: ClusterIP  # for the lab network")]


def test_manifest_node_port_and_binding_are_not_fixed(tmp_path):
    # In manifests these need a judgement (which role instead; nodePort fields are invalid on ClusterIP).
    path = tmp_path / "svc.yaml"
    path.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: headlamp\nspec:\n  type: NodePort\n"
                    "  selector:\n    app.kubernetes.io/name: headlamp\n  ports:\n    - port: 80\n      nodePort: 30080\n")
    result = cli("check", "--diff", "--unsafe-fixes", str(path))
    assert result.returncode == 0 and result.stdout == ""


def test_unsafe_pin_to_the_newest_release_for_mutable_and_outdated_tags(tmp_path):
    from linter.releases import release_data

    newest = f"v{release_data().newest_headlamp.version}"
    mutable = tmp_path / "values.yaml"
    mutable.write_text("# pinned?\nimage:\n  tag: latest  # moving\n")
    assert cli("check", "--select", "HL601,HL603", "--diff", str(mutable)).returncode == 0  # unsafe: not by default
    result = cli("check", "--select", "HL601,HL603", "--fix", "--unsafe-fixes", "-f", "concise", str(mutable))
    assert mutable.read_text() == f"# pinned?\nimage:\n  tag: {newest}  # moving\n"
    assert not rules_of(result.stdout) & {"HL601", "HL603"}
    # An outdated chart default (no image key written): the smallest override, in a new commented block.
    outdated = tmp_path / "old" / "values.yaml"
    outdated.parent.mkdir()
    outdated.write_text("replicaCount: 1\n")
    (outdated.parent / "Chart.yaml").write_text("apiVersion: v2\nname: headlamp\nversion: 0.30.1\n")
    cli("check", "--select", "HL603", "--fix", "--unsafe-fixes", str(outdated))
    assert outdated.read_text() == (f"replicaCount: 1\n\n# HL603 (outdated-headlamp): added by headlamp-lint --fix\n"
                                    f"image:\n  tag: {newest}\n")
