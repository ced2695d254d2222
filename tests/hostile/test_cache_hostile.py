""".headlamp-lint-cache/ may come from a cloned repository: nothing in it is followed, trusted or deleted
unless the cache made it. Each hostile layout is a clean miss, and nothing is written outside the folder."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from linter import cache as cache_module
from linter import engine, pool
from linter.cache import FileCache
from linter.settings import Settings

DOC = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A private signing key, an input file, a cache folder and an 'outside' folder that must stay as it is."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("keep me\n")
    source = tmp_path / "in.yaml"
    source.write_bytes(DOC)
    return tmp_path, tmp_path / "cache", outside, source


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): (p.read_bytes() if p.is_file() and not p.is_symlink() else None)
            for p in folder.rglob("*")}


def _filled(cache_dir: Path, source: Path) -> tuple[FileCache, str, Path]:
    cache = FileCache.open(cache_dir, Settings())
    assert cache is not None
    key = cache.key_of_file("in.yaml", False, source, 1_000_000)
    cache.put(key, {"answer": 42})
    assert cache.get(key) == {"answer": 42}
    return cache, key, cache.folder / key[:2] / key


def test_symlinked_root_is_never_followed(env):
    base, cache_dir, outside, source = env
    cache_dir.symlink_to(outside, target_is_directory=True)
    before = _snapshot(outside)
    notes: list[str] = []
    assert FileCache.open(cache_dir, Settings(), notes) is None
    assert notes and "symbolic link" in notes[0]
    assert _snapshot(outside) == before


def test_symlinked_root_through_the_engine_is_a_miss_with_a_debug_note(env, monkeypatch):
    base, cache_dir, outside, source = env
    cache_dir.symlink_to(outside, target_is_directory=True)
    before = _snapshot(outside)
    monkeypatch.setattr(pool, "is_large", lambda items: True)
    plain = engine.lint_paths([str(source)], Settings(jobs=1))
    result = engine.lint_paths([str(source)], Settings(jobs=1, cache=True, cache_dir=str(cache_dir), debug=True))
    assert [d.rule_id for d in result.diagnostics] == [d.rule_id for d in plain.diagnostics]
    assert any(n.startswith("cache:") and "never followed" in n for n in result.notes)
    assert _snapshot(outside) == before
    quiet = engine.lint_paths([str(source)], Settings(jobs=1, cache=True, cache_dir=str(cache_dir)))
    assert not any(n.startswith("cache:") for n in quiet.notes)  # only with --debug


@pytest.mark.parametrize("name", ["CACHEDIR.TAG", ".gitignore"])
def test_symlinked_tag_files_are_not_written_through(env, name):
    base, cache_dir, outside, source = env
    cache_dir.mkdir()
    (cache_dir / name).symlink_to(outside / "precious")
    (cache_dir / "dangling").symlink_to(outside / "created-through-link")
    before = _snapshot(outside)
    _filled(cache_dir, source)
    assert _snapshot(outside) == before
    assert (cache_dir / name).is_symlink()


def test_symlinked_entry_version_and_shard_are_misses(env):
    base, cache_dir, outside, source = env
    cache, key, entry = _filled(cache_dir, source)
    data = entry.read_bytes()
    (outside / "entry").write_bytes(data)  # a valid entry, reached through a link
    entry.unlink()
    entry.symlink_to(outside / "entry")
    assert cache.get(key) is None
    entry.unlink()
    shard = entry.parent
    os.rename(shard, outside / "shard")
    (outside / "shard" / key).write_bytes(data)
    shard.symlink_to(outside / "shard", target_is_directory=True)
    assert cache.get(key) is None
    shard.unlink()
    os.rename(cache.folder, outside / "version")
    (outside / "version" / key[:2]).mkdir(exist_ok=True)
    (outside / "version" / key[:2] / key).write_bytes(data)
    cache.folder.symlink_to(outside / "version", target_is_directory=True)
    assert cache.get(key) is None
    before = _snapshot(outside)
    cache.put(key, {"answer": 43})  # not written through the linked version folder either
    assert _snapshot(outside) == before
    assert any("entry" in n for n in cache.notes)


def test_fifo_and_device_entries_are_misses_without_hanging(env):
    base, cache_dir, outside, source = env
    cache, key, entry = _filled(cache_dir, source)
    entry.unlink()
    os.mkfifo(entry)
    got: list = []
    reader = threading.Thread(target=lambda: got.append(cache.get(key)), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading a FIFO entry hung"
    assert got == [None]
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert cache.get(key) is None


def test_oversized_entry_is_a_miss_and_not_read(env, monkeypatch):
    base, cache_dir, outside, source = env
    cache, key, entry = _filled(cache_dir, source)
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 64)
    with open(entry, "r+b") as handle:
        handle.truncate(1 << 40)  # a sparse terabyte: reading it would never end
    read: list[int] = []
    real = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real(fd, n))
    assert cache.get(key) is None
    assert not read
    assert any("over" in n for n in cache.notes)


def test_cleaning_old_versions_removes_only_what_the_cache_made(env):
    base, cache_dir, outside, source = env
    old = cache_dir / ("0" * 24)
    shard = old / "ab"
    shard.mkdir(parents=True)
    (shard / ("ab" + "0" * 62)).write_bytes(b"old entry")
    (shard / "notes.txt").write_text("not an entry\n")
    (shard / ("ab" + "1" * 62)).symlink_to(outside / "precious")
    (old / "cd").symlink_to(outside, target_is_directory=True)
    linked_version = cache_dir / ("1" * 24)
    linked_version.symlink_to(outside, target_is_directory=True)
    before = _snapshot(outside)
    FileCache.open(cache_dir, Settings())
    assert _snapshot(outside) == before
    assert not (shard / ("ab" + "0" * 62)).exists()
    assert (shard / "notes.txt").exists() and (shard / ("ab" + "1" * 62)).is_symlink()
    assert (old / "cd").is_symlink() and linked_version.is_symlink()


@pytest.mark.parametrize("layout", ["symlink", "open-to-others", "fifo", "wrong-size"])
def test_a_doubtful_signing_key_turns_the_cache_off(env, layout):
    base, cache_dir, outside, source = env
    key = base / "xdg" / "headlamp-lint" / "cache-key"
    key.parent.mkdir(parents=True)
    if layout == "symlink":
        (outside / "key").write_bytes(b"k" * 32)
        key.symlink_to(outside / "key")
    elif layout == "open-to-others":
        key.write_bytes(b"k" * 32)
        key.chmod(0o644)
    elif layout == "fifo":
        os.mkfifo(key)
    else:
        key.write_bytes(b"k" * 31)
        key.chmod(0o600)
    notes: list[str] = []
    assert FileCache.open(cache_dir, Settings(), notes) is None
    assert notes and "signing key" in notes[0]
