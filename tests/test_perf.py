"""Speed features must not change results: process pool, on-disk cache, the fast loader, lean imports.

Correctness only; the timings are printed by scripts/bench.py.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import random
import subprocess
import sys
import threading

import pytest

import linter
from linter import engine, pool
from linter.cache import FileCache, package_digest
from linter.reporters import ReportOptions, render
from linter.settings import Settings
from linter.source import read_source
from scripts.positions import compare_files
from tests.conftest import FIXTURES, ROOT, run_cli, shared_path

FORMATS = ("full", "json", "concise", "sarif")


def _outputs(paths: list[str], settings: Settings) -> tuple[str, ...]:
    result = engine.lint_paths(paths, settings)
    return tuple(render(name, result, ReportOptions()) for name in FORMATS) + tuple(result.notes + result.errors)


@pytest.fixture
def pools(monkeypatch) -> list[int]:
    """Treat every input as large (pool and cache), and record the size of every pool started."""
    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Spy(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            started.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    monkeypatch.setattr(pool, "is_large", lambda items: True)
    return started


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A cache folder and a private signing key for this test, not the developer's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "cache"


def _forbid_loading(monkeypatch) -> None:
    def no_loading(*args, **kwargs):
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(engine, "_load_any", no_loading)


def _same_as_serial(paths: list[str], pools, cache_dir, monkeypatch, uncached_parallel: bool = True) -> None:
    serial = _outputs(paths, Settings(jobs=1))
    assert "[HL" in serial[2], "the input has findings, so the comparison means something"

    if uncached_parallel:
        assert _outputs(paths, Settings(jobs=2)) == serial
        assert pools == [2]

    # A parallel run that fills the cache, then a serial run that reads it.
    filled = _outputs(paths, Settings(jobs=2, cache=True, cache_dir=str(cache_dir)))
    assert pools[-1] == 2
    assert filled == serial
    assert any(cache_dir.rglob("*/??/*")), "the cache was not written"

    _forbid_loading(monkeypatch)
    assert _outputs(paths, Settings(jobs=1, cache=True, cache_dir=str(cache_dir))) == serial


def test_parallel_and_cached_runs_match_serial_on_fixtures(pools, cache_dir, monkeypatch):
    _same_as_serial([str(FIXTURES)], pools, cache_dir, monkeypatch)


def test_parallel_and_cached_runs_match_serial_on_corpus(pools, cache_dir, monkeypatch):
    corpus = shared_path("corpus")
    # Three runs over 22 MB: the cache-filling run is also the parallel one.
    _same_as_serial([str(corpus)], pools, cache_dir, monkeypatch, uncached_parallel=False)


def test_parallel_run_keeps_input_order_with_stdin_and_unreadable_files(pools, tmp_path, monkeypatch):
    bad = FIXTURES / "rules" / "hl403_privileged_container" / "bad.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"a: \xc3\x28\n")
    text = bad.read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", _stdin(text))
    paths = [str(broken), "-", str(bad)]
    serial = _outputs(paths, Settings(jobs=1))
    monkeypatch.setattr(sys, "stdin", _stdin(text))
    assert _outputs(paths, Settings(jobs=2)) == serial
    assert pools == [2]
    assert "broken.yaml:1:1: error" in serial[2] and "[HL001]" in serial[2] and "\n-:" in serial[2]


def _stdin(text: str):
    import io

    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")


def test_small_inputs_use_neither_pool_nor_cache(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a pool or the cache was used for two small files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", forbidden)
    monkeypatch.setattr(FileCache, "open", forbidden)
    bad = FIXTURES / "rules" / "hl403_privileged_container" / "bad.yaml"
    good = FIXTURES / "rules" / "hl403_privileged_container" / "good.yaml"
    result = engine.lint_paths([str(bad), str(good)], Settings(jobs=4, cache=True))
    assert any(d.rule_id == "HL403" for d in result.diagnostics)


def test_workers_for_respects_jobs_and_size(tmp_path):
    from linter.discover import FileInput

    files = []
    for index in range(pool.LARGE_INPUT_FILES):
        path = tmp_path / f"{index}.yaml"
        path.write_bytes(b"#" * (pool.LARGE_INPUT_BYTES // pool.LARGE_INPUT_FILES + 1))
        files.append(FileInput(path.name, path, True))
    assert pool.workers_for(files, 2) == 2
    assert pool.workers_for(files, 1) == 1
    assert pool.workers_for(files, 16) == len(files)  # never more workers than files
    assert pool.workers_for(files[:-1], 2) == 1  # too few files
    small = tmp_path / "small.yaml"
    small.write_text("a: 1\n")
    assert pool.workers_for([FileInput("small.yaml", small, True)] * 8, 2) == 1  # too few bytes


def _display_or_die(doomed: str, item) -> str:
    """A worker's task that kills its own process on one file, as the out-of-memory killer would."""
    if item.display == doomed and multiprocessing.current_process().name != "MainProcess":
        os._exit(1)
    return item.display


def test_a_dead_worker_loses_no_file(tmp_path):
    from functools import partial

    from linter.discover import FileInput

    items = []
    for name in ("a.yaml", "b.yaml", "c.yaml", "d.yaml"):
        (tmp_path / name).write_text("x: 1\n")
        items.append(FileInput(name, tmp_path / name, True))
    assert pool.map_in_order(partial(_display_or_die, "b.yaml"), items, 2) == ["a.yaml", "b.yaml", "c.yaml", "d.yaml"]


def _key(cache: FileCache, folder, name: str, data: bytes, explicit: bool = False) -> str | None:
    path = folder / name
    path.write_bytes(data)
    return cache.key_of_file(name, explicit, path, 1_000_000)


def test_cache_key_depends_on_bytes_path_chart_settings_and_version(cache_dir, tmp_path, monkeypatch):
    cache = FileCache.open(cache_dir, Settings())
    assert cache is not None
    key = _key(cache, tmp_path, "a.yaml", b"kind: Pod\n")
    assert key is not None and key == _key(cache, tmp_path, "a.yaml", b"kind: Pod\n")
    assert key != _key(cache, tmp_path, "a.yaml", b"kind: Pod \n")
    assert key != _key(cache, tmp_path, "a.yaml", b"kind: Pod\r\n")  # the same text to YAML; fixes keep CRLF
    assert key != _key(cache, tmp_path, "b.yaml", b"kind: Pod\n")
    assert key != _key(cache, tmp_path, "a.yaml", b"kind: Pod\n", explicit=True)
    (tmp_path / "Chart.yaml").write_text("name: headlamp\nversion: 0.40.0\n")
    assert _key(FileCache.open(cache_dir, Settings()), tmp_path, "a.yaml", b"kind: Pod\n") != key
    (tmp_path / "Chart.yaml").unlink()
    # What the per-file stage writes under is what a later run looks up.
    source = read_source(tmp_path / "a.yaml", "a.yaml", 1_000_000)
    assert cache.key("a.yaml", False, tmp_path / "a.yaml", source.digest) == key

    other_settings = FileCache.open(cache_dir, Settings(all_workloads=True, ignore=("HL403",)))
    assert _key(other_settings, tmp_path, "a.yaml", b"kind: Pod\n") != key
    # Switches that cannot change a file's contribution share entries.
    same = FileCache.open(cache_dir, Settings(jobs=3, debug=True, cache=True))
    assert _key(same, tmp_path, "a.yaml", b"kind: Pod\n") == key

    cache.put(key, [1])
    before = package_digest()
    monkeypatch.setattr(linter, "__version__", "999.0.0")
    after = FileCache.open(cache_dir, Settings())
    assert package_digest() != before
    assert after.folder != cache.folder and _key(after, tmp_path, "a.yaml", b"kind: Pod\n") != key
    assert not cache.folder.exists(), "the entries of another version are removed, never read"

    # Too large or unreadable: no key, so never cached.
    assert cache.key_of_file("a.yaml", False, tmp_path / "a.yaml", 3) is None
    assert cache.key_of_file("gone.yaml", False, tmp_path / "gone.yaml", 1_000_000) is None


def test_cache_entries_are_signed_and_a_bad_entry_is_a_miss(cache_dir, tmp_path, monkeypatch):
    cache = FileCache.open(cache_dir, Settings())
    key = _key(cache, tmp_path, "a.yaml", b"kind: Pod\n")
    cache.put(key, {"answer": 42})
    assert cache.get(key) == {"answer": 42}
    entry = cache_dir.joinpath(cache.folder.name, key[:2], key)
    data = entry.read_bytes()

    unpickled = []
    monkeypatch.setattr("pickle.loads", lambda payload: unpickled.append(payload))
    entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit of the payload changed
    assert cache.get(key) is None
    entry.write_bytes(b"\0" * 32 + data[32:])  # a forged signature
    assert cache.get(key) is None
    other = _key(cache, tmp_path, "b.yaml", b"kind: Pod\n")
    entry.with_name(other).write_bytes(data)  # a valid entry copied under another key
    assert cache.get(other) is None
    assert unpickled == [], "an entry that does not verify must never be unpickled"

    # Another user's key (another machine, a committed cache folder) verifies nothing.
    monkeypatch.undo()
    entry.write_bytes(data)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_dir.parent / "someone-else"))
    assert FileCache.open(cache_dir, Settings()).get(key) is None


def test_cache_folder_is_tagged_and_ignored_by_git(cache_dir, tmp_path):
    cache = FileCache.open(cache_dir, Settings())
    cache.put(_key(cache, tmp_path, "a.yaml", b"x: 1\n"), [1])
    assert (cache_dir / ".gitignore").read_text() == "*\n"
    assert (cache_dir / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_concurrent_runs_share_the_cache_safely(pools, cache_dir):
    settings = Settings(jobs=1, cache=True, cache_dir=str(cache_dir))
    serial = _outputs([str(FIXTURES / "rules")], Settings(jobs=1))
    outputs: list[tuple[str, ...]] = []

    def run() -> None:
        outputs.append(_outputs([str(FIXTURES / "rules")], settings))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outputs == [serial] * 3
    assert not list(cache_dir.rglob(".tmp-*")), "a temporary entry was left behind"
    assert _outputs([str(FIXTURES / "rules")], settings) == serial


def test_cli_no_cache_writes_nothing_and_jobs_is_checked(tmp_path):
    corpus_like = tmp_path / "in"
    corpus_like.mkdir()
    for index in range(pool.LARGE_INPUT_FILES):
        (corpus_like / f"{index}.yaml").write_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  x: '" + "y" * 300_000 + "'\n"
        )
    done = run_cli("check", "--no-cache", "-j", "2", "in", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / ".headlamp-lint-cache").exists()
    done = run_cli("check", "-j", "2", "in", cwd=tmp_path, env={"XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert done.returncode == 0, done.stderr
    assert any((tmp_path / ".headlamp-lint-cache").rglob("*/??/*"))
    bad = run_cli("check", "--jobs", "0", "in", cwd=tmp_path)
    assert bad.returncode == 2 and "--jobs must be a positive number" in bad.stderr


def test_positions_match_the_round_trip_loader_on_a_sample():
    """The fast loader's positions equal ruamel.yaml's round-trip loader's (bench.py --positions: all)."""
    files = sorted(FIXTURES.rglob("*.yaml"))
    try:
        corpus = shared_path("corpus")
    except pytest.skip.Exception:
        corpus = None
    if corpus is not None:
        files += random.Random(7).sample(sorted(corpus.rglob("*.yaml")), 40)
    report = compare_files(files)
    assert report.mismatches == []
    assert report.nodes > (20_000 if corpus is not None else 1_000)


def test_import_linter_and_the_cli_stay_lean():
    code = (
        "import sys, linter, linter.cli; heavy = ('jsonschema', 'jinja2', 'multiprocessing', 'pickle',"
        " 'linter.cache', 'linter.pool'); print(sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_anchored_and_tagged_scalars_are_compared_at_their_value_not_their_decoration():
    """Anchored/tagged scalars start at the value for the linter and at `&`/`!` for ruamel: counted, not a
    mismatch, and only when what lies between is decoration."""
    from scripts.positions import PositionReport, compare_text

    report = PositionReport()
    compare_text("a:\n  host: &h dash.example\n  n: !!str 1\n  tls: [*h]\n", "x.yaml", report)
    assert report.mismatches == [] and report.decorated == 3  # host, n, and the alias of host in tls
