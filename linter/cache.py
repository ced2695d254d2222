"""The on-disk cache of per-file work (``.headlamp-lint-cache/``).

What one file contributes to a run (its objects and workloads, and the
diagnostics and notes found while reading it) depends only on its text,
its display path, whether it was named on the command line, the
``Chart.yaml`` beside it (which says whether a values file is Headlamp's
and for which chart version), the effective settings and the linter
itself. The cache stores that contribution under a hash of exactly those
inputs, so a second run over an unchanged repository skips parsing YAML
and building the model; only the rules, which relate objects across
files, run again.

Safety:

- Never trusted across versions: the key includes a digest of the
  linter's own package files (code and data), not only ``__version__``, so
  a development checkout that changes a rule invalidates it too; each
  digest has its own folder, and a version that finds no folder of its own
  removes the other versions' (their entries could never be read again).
- Concurrent runs: an entry is written to a temporary file in the same
  folder and renamed into place (atomic on POSIX and Windows), so a reader
  sees a whole entry or none. Two runs writing the same key write the
  same content.
- Entries are pickles, and unpickling runs code, so an entry must not come
  from anyone else (a cache folder committed to a repository under
  review). Each entry is signed with HMAC-SHA256 under a key kept in the
  user's own cache folder (``~/.cache/headlamp-lint/cache-key``, mode
  0600); an entry that does not verify is a miss and is never unpickled.
  Without a usable key the cache is off.
- The folder may arrive with a cloned repository, so nothing in it is
  trusted: no symbolic link is followed, as the folder itself or inside it
  (``.gitignore``, ``CACHEDIR.TAG``, version and shard folders, entries):
  every step is opened relative to its parent's descriptor with
  ``O_NOFOLLOW``; an entry is read only when it is a regular file (never a
  FIFO or a device: opened non-blocking, checked with ``fstat``) of at most
  ``MAX_ENTRY_BYTES``, and exactly that many bytes are read. Only what the
  cache creates is ever deleted: regular files named like entries (or its
  temporary files) in shard and version folders named like its own, owned
  by this user; anything else there is left alone. ``CACHEDIR.TAG`` and
  ``.gitignore`` are only ever created (``O_EXCL``), never written through.
  The signing key is read the same way and must be a regular file of 32
  bytes, owned by this user and readable by nobody else.
- Any error while reading or writing the cache is a miss (with a note
  under ``--debug``): the cache can make a run faster, never wrong, hung or
  failed.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import hmac
import os
import pickle
import re
import secrets
import stat
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any, Iterator

import linter
from linter.records import field, record
from linter.settings import Settings

FORMAT = "1"
# An entry is one file's objects and findings: a 10 MiB input gives a few tens of MiB.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_VERSION_NAME = re.compile("[0-9a-f]{24}")
_SHARD_NAME = re.compile("[0-9a-f]{2}")
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}|\.tmp-[0-9a-f]{32}")


class CacheProblem(Exception):
    """Something in the cache folder is not what the cache made: a miss, never followed."""


def _open_dir(name: str | Path, parent: int | None = None, create: bool = False) -> int:
    """A descriptor of the directory ``name`` (relative to ``parent``), never through a symbolic link."""
    flags = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
    try:
        return os.open(name, flags, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise
    with suppress(FileExistsError):
        os.mkdir(name, 0o700, dir_fd=parent)
    return os.open(name, flags, dir_fd=parent)


def _read_regular(name: str, parent: int | None, limit: int) -> bytes:
    """The bytes of regular file ``name``: never a link, FIFO or device, never more than ``limit``."""
    fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=parent)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CacheProblem(f"{name} is not a regular file")
        if info.st_size > limit:
            raise CacheProblem(f"{name} is {info.st_size} bytes, over {limit}")
        chunks, left = [], info.st_size
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
_SIGNATURE = 32  # bytes of HMAC-SHA256
# Settings that cannot change what one file contributes.
_NOT_IN_KEY = frozenset({"debug", "now", "jobs", "cache", "cache_dir", "baseline", "digests"})


def package_digest() -> str:
    """A digest of the linter's installed files: the version the cache trusts."""
    root = Path(linter.__file__).resolve().parent
    digest = hashlib.sha256(f"{linter.__version__}\0{FORMAT}\0".encode())
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file() or path.suffix in (".pyc", ".pyo"):
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def settings_key(settings: Settings) -> str:
    """The settings that shape per-file work, as a stable string."""
    parts = [
        f"{f.name}={getattr(settings, f.name)!r}" for f in dataclasses.fields(settings) if f.name not in _NOT_IN_KEY
    ]
    return "\n".join(parts)


def _chart_digest(folder: Path) -> str:
    """A digest of the ``Chart.yaml`` in ``folder`` ("" when there is none)."""
    try:
        return hashlib.sha256((folder / "Chart.yaml").read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""
    except OSError as exc:  # unreadable: the per-file stage reports it, so it is part of the key
        return f"error {exc.errno}"


def _user_cache_home() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "headlamp-lint"


def _signing_key(notes: list[str] | None = None) -> bytes | None:
    """The user's private signing key, created on first use; None (and a note) when it cannot be had."""
    path = _user_cache_home() / "cache-key"
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except (OSError, CacheProblem) as exc:
        _note(notes, f"signing key {path}: {exc}; the cache is off")
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    except FileExistsError:
        pass  # another run created it first; use theirs
    except OSError as exc:
        _note(notes, f"signing key {path}: {exc}; the cache is off")
        return None
    try:
        return _read_key(path)
    except (OSError, CacheProblem) as exc:
        _note(notes, f"signing key {path}: {exc}; the cache is off")
        return None


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size != 32:
            raise CacheProblem("not a regular file of 32 bytes")
        if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
            raise CacheProblem("owned by another user or open to others (it must be 0600 and yours)")
        data = os.read(fd, 33)
    finally:
        os.close(fd)
    if len(data) != 32:
        raise CacheProblem("not 32 bytes")
    return data


def _note(notes: list[str] | None, message: str) -> None:
    if notes is not None:
        notes.append(f"cache: {message}")


@record(frozen=True)
class FileCache:
    """Reads and writes signed entries under ``root/<package digest>/``."""

    folder: Path
    secret: bytes = field(repr=False)
    context: str  # package digest + settings: part of every key
    # folder -> digest of its Chart.yaml, read once per run
    _charts: dict[Path, str] = field(default_factory=dict, repr=False, compare=False)
    # What went wrong with the cache in this process (shown with --debug); not pickled to workers.
    notes: list[str] = field(default_factory=list, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)}, "notes": []}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    @classmethod
    def open(cls, root: Path, settings: Settings, notes: list[str] | None = None) -> "FileCache | None":
        notes = notes if notes is not None else []
        root = Path(root)
        try:
            info = os.lstat(root)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            _note(notes, f"{root}: {exc.strerror or exc}; the cache is off")
            return None
        if info is not None and not stat.S_ISDIR(info.st_mode):
            _note(notes, f"{root} is {'a symbolic link' if stat.S_ISLNK(info.st_mode) else 'not a folder'},"
                         " never followed; the cache is off")
            return None
        secret = _signing_key(notes)
        if secret is None:
            return None
        version = package_digest()
        cache = cls(root / version[:24], secret, version + "\n" + settings_key(settings), notes=notes)
        if info is not None:
            cache._remove_other_versions()
        return cache

    def _root_fd(self, create: bool) -> int:
        if create:
            self.folder.parent.parent.mkdir(parents=True, exist_ok=True)
        return _open_dir(self.folder.parent, None, create)

    def key(self, display: str, explicit: bool, path: Path, content_digest: str) -> str:
        """The entry of a file: its bytes (by SHA-256: BOM and line ends matter to fixes), its display
        path, whether it was named, the Chart.yaml beside it, the settings and the linter."""
        digest = hashlib.sha256()
        for part in (self.context, display, "explicit" if explicit else "found", self._chart(path.parent),
                     content_digest):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        return digest.hexdigest()

    def key_of_file(self, display: str, explicit: bool, path: Path, max_size: int) -> str | None:
        """The entry of a file on disk, read here; None when it cannot be read or is over ``max_size``
        (such files are reported, never cached)."""
        try:
            with open(path, "rb") as handle:
                data = handle.read(max_size + 1)
        except OSError:
            return None
        if len(data) > max_size:
            return None
        return self.key(display, explicit, path, hashlib.sha256(data).hexdigest())

    def _chart(self, folder: Path) -> str:
        if folder not in self._charts:
            self._charts[folder] = _chart_digest(folder)
        return self._charts[folder]

    def get(self, key: str) -> Any | None:
        try:
            data = self._read_entry(key)
        except FileNotFoundError:
            return None
        except (OSError, CacheProblem) as exc:
            self.notes.append(f"cache: entry {key[:12]}…: {exc}; a miss")
            return None
        signature, payload = data[:_SIGNATURE], data[_SIGNATURE:]
        expected = hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()
        if len(signature) != _SIGNATURE or not hmac.compare_digest(signature, expected):
            return None
        try:
            return pickle.loads(payload)  # noqa: S301 - signed by this user's key, checked above
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None

    @contextmanager
    def _shard(self, key: str, create: bool) -> Iterator[int]:
        """The descriptor of ``key``'s shard folder, each step opened without following a link."""
        with ExitStack() as stack:
            root = self._root_fd(create)
            stack.callback(os.close, root)
            if create:
                _ensure_tag(root)
            version = _open_dir(self.folder.name, root, create)
            stack.callback(os.close, version)
            shard = _open_dir(key[:2], version, create)
            stack.callback(os.close, shard)
            yield shard

    def _read_entry(self, key: str) -> bytes:
        with self._shard(key, create=False) as shard:
            return _read_regular(key, shard, MAX_ENTRY_BYTES + _SIGNATURE)

    def put(self, key: str, value: Any) -> None:
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            if len(payload) > MAX_ENTRY_BYTES:
                return
            signature = hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()
            with self._shard(key, create=True) as shard:
                _write_entry(shard, key, signature + payload)
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be written is only slower
            self.notes.append(f"cache: entry {key[:12]}… not written: {exc}")
            return

    def _remove_other_versions(self) -> None:
        """A new linter version starts its own folder; the entries of earlier versions can never be read
        again, so they go (another version running at the same moment only loses some hits). Only what a
        cache made is removed: see the module's docstring."""
        try:
            root = self._root_fd(False)
        except (OSError, CacheProblem) as exc:
            self.notes.append(f"cache: {self.folder.parent}: {exc}; not cleaned")
            return
        try:
            for name in os.listdir(root):
                if name != self.folder.name and _VERSION_NAME.fullmatch(name):
                    _remove_owned(root, name, _SHARD_NAME, depth=2)
        except OSError as exc:
            self.notes.append(f"cache: cleaning {self.folder.parent}: {exc}")
        finally:
            os.close(root)


def _owned_dir(parent: int, name: str) -> bool:
    info = os.stat(name, dir_fd=parent, follow_symlinks=False)
    return stat.S_ISDIR(info.st_mode) and (not hasattr(os, "geteuid") or info.st_uid == os.geteuid())


def _remove_owned(parent: int, name: str, children: re.Pattern, depth: int) -> None:
    """Remove folder ``name`` if it holds only what the cache makes: shard folders, then entries (regular
    files named like entries). Links, other files and other folders stay (and so does their folder)."""
    if not _owned_dir(parent, name):
        return
    fd = _open_dir(name, parent)
    try:
        for child in os.listdir(fd):
            if depth == 2 and children.fullmatch(child):
                with suppress(OSError):
                    _remove_owned(fd, child, _ENTRY_NAME, depth=1)
            elif depth == 1 and children.fullmatch(child):
                info = os.stat(child, dir_fd=fd, follow_symlinks=False)
                if stat.S_ISREG(info.st_mode):
                    with suppress(OSError):
                        os.unlink(child, dir_fd=fd)
    finally:
        os.close(fd)
    with suppress(OSError):
        os.rmdir(name, dir_fd=parent)


def _write_entry(shard: int, key: str, data: bytes) -> None:
    """Write an entry: a new temporary file (O_EXCL, never through a link), renamed into place."""
    temp = f".tmp-{secrets.token_hex(16)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600, dir_fd=shard)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, key, src_dir_fd=shard, dst_dir_fd=shard)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp, dir_fd=shard)
        raise


def _ensure_tag(root: int) -> None:
    """Mark the folder as a cache (CACHEDIR.TAG) and keep it out of git; files only ever created, never
    opened if they exist (whatever they are)."""
    for name, text in (("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                        "# headlamp-lint cache; safe to delete.\n"), (".gitignore", "*\n")):
        try:
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o644, dir_fd=root)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
