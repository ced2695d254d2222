"""Issue item 5: property-based fuzzing of the whole pipeline.

Generated Kubernetes-shaped documents, random YAML-ish text and mutations of
the files in fixtures/ and ../shared/corpus/ go through ``lint_paths`` beside
a good file. Properties: no exception escapes, no HL000, the good file's
findings are unchanged, every location is inside the file, every report
format renders without raw control characters, and each example stays
under the CPU bound.

The CI run is bounded and reproducible (``derandomize``, a fixed number of
examples). ``scripts/fuzz.py`` runs the same properties longer and random:
it sets ``HEADLAMP_LINT_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from linter.diagnostics import Severity
from linter.discover import display_path
from linter.engine import lint_paths
from linter.reporters import REPORTERS, ReportOptions, render
from linter.settings import Settings
from tests.conftest import FIXTURES, shared_path
from tests.hostile import strategies
from tests.hostile.harness import CPU_BOUND_SECONDS, GOOD, GOOD_DISPLAY, assert_guarantees, lint

LONG_RUN = int(os.environ.get("HEADLAMP_LINT_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG_RUN or 40,
    derandomize=not LONG_RUN,
    deadline=None,  # the CPU bound below is the time guard; wall-clock deadlines flake on busy machines
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
_RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_WORKDIR = Path(tempfile.mkdtemp(prefix="headlamp-lint-fuzz-"))


def _per_file(diagnostics) -> list[tuple]:
    # Cross-file families (authentication, TLS, RBAC, network) may rightly change with the other file.
    return [(d.rule_id, d.line, d.column, d.message) for d in diagnostics if d.rule_id[:3] in ("HL0", "HL4")]


def _good_alone():
    return _per_file(lint_paths([str(GOOD)], Settings()).diagnostics)


GOOD_FINDINGS = _good_alone()


def check_properties(data: bytes, name: str = "fuzz.yaml") -> None:
    path = _WORKDIR / name
    path.write_bytes(data)
    started = time.process_time()
    result = lint_paths([str(path), str(GOOD)], Settings())
    assert time.process_time() - started < CPU_BOUND_SECONDS
    assert result.errors == []
    assert [d for d in result.diagnostics if d.rule_id == "HL000"] == []
    shown = display_path(path, Path.cwd())
    good = _per_file(d for d in result.diagnostics if d.path != shown)
    assert good == GOOD_FINDINGS
    source = result.sources.get(shown)
    # Undecodable input has no source; its problems are located by counting b"\n".
    lines = source.line_count if source is not None else data.count(b"\n") + 1
    for d in result.diagnostics:
        if d.path == shown:
            assert 1 <= d.line <= lines + 1 and d.column >= 1, d
    assert result.exit_code(Severity.WARNING) in (0, 1, 2)
    for name_ in REPORTERS:
        text = render(name_, result, ReportOptions())
        assert not _RAW.search(text), (name_, _RAW.search(text))


@FUZZ
@given(strategies.kubernetes_files())
def test_kubernetes_shaped_documents(data):
    check_properties(data)


@FUZZ
@given(strategies.random_yaml())
def test_random_yaml(data):
    check_properties(data)


FIXTURE_FILES = [p.read_bytes() for p in sorted(FIXTURES.rglob("*.yaml"))]


@FUZZ
@given(strategies.mutated(FIXTURE_FILES))
def test_mutated_fixtures(data):
    check_properties(data)


def _corpus_sample(limit: int = 60) -> list[bytes]:
    root = shared_path("corpus")
    files = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.stat().st_size < 64_000)
    step = max(1, len(files) // limit)
    return [p.read_bytes() for p in files[::step][:limit]]


def test_mutated_corpus():
    seeds = _corpus_sample()  # skips when ../shared is absent

    @FUZZ
    @given(strategies.mutated(seeds))
    def run(data):
        check_properties(data)

    run()


def test_mutations_through_the_cli(tmp_path):
    """A fixed sample of mutated fixtures, linted by the CLI in one run: codes, no traceback, bounds."""
    rng = random.Random(20261129)
    folder = tmp_path / "mutants"
    folder.mkdir()
    for index in range(40):
        data = bytearray(rng.choice(FIXTURE_FILES))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[at] ^= 1 << rng.randrange(8)
            elif choice < 0.6:
                del data[at:]
            elif choice < 0.8:
                data[at:at] = rng.choice([b"\t", b"  ", b"\n- ", b"&a ", b"*a", b"\x00", b"\xff"])
            else:
                data[at:at] = b"\n" + b" " * rng.randrange(1, 5)
            if not data:
                data = bytearray(b"x")
        (folder / f"mutant{index:02}.yaml").write_bytes(bytes(data))
    run = lint("-f", "concise", str(folder), GOOD_DISPLAY)
    assert_guarantees(run, exit_code=1, hostile_files=8)  # 40 small files: a fifth of the per-file bound each
