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
- Any error while reading or writing the cache is a miss: the cache can
  make a run faster, never wrong or failed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import pickle
import secrets
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

import linter
from linter.settings import Settings

FORMAT = "1"
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


def _signing_key() -> bytes | None:
    """The user's private signing key, created on first use; None when it cannot be had."""
    path = _user_cache_home() / "cache-key"
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    except FileExistsError:
        pass  # another run created it first; use theirs
    except OSError:
        return None
    try:
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    data = path.read_bytes()
    return data if len(data) == 32 else None


@dataclasses.dataclass(frozen=True)
class FileCache:
    """Reads and writes signed entries under ``root/<package digest>/``."""

    folder: Path
    secret: bytes = dataclasses.field(repr=False)
    context: str  # package digest + settings: part of every key
    # folder -> digest of its Chart.yaml, read once per run
    _charts: dict[Path, str] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(cls, root: Path, settings: Settings) -> "FileCache | None":
        secret = _signing_key()
        if secret is None:
            return None
        version = package_digest()
        folder = Path(root) / version[:24]
        if not folder.exists():
            _remove_other_versions(Path(root))
        return cls(folder, secret, version + "\n" + settings_key(settings))

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

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> Any | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        signature, payload = data[:_SIGNATURE], data[_SIGNATURE:]
        expected = hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()
        if len(signature) != _SIGNATURE or not hmac.compare_digest(signature, expected):
            return None
        try:
            return pickle.loads(payload)  # noqa: S301 - signed by this user's key, checked above
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None

    def put(self, key: str, value: Any) -> None:
        path = self._path(key)
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            signature = hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()
            path.parent.mkdir(parents=True, exist_ok=True)
            _ensure_tag(self.folder.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(signature + payload)
                os.replace(tmp, path)
            except BaseException:
                with suppress(OSError):
                    os.unlink(tmp)
                raise
        except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
            return


def _remove_other_versions(root: Path) -> None:
    """A new linter version starts its own folder; the entries of earlier versions can never be read
    again, so they go (another version running at the same moment only loses some hits)."""
    import re
    import shutil

    try:
        folders = [child for child in root.iterdir() if child.is_dir() and re.fullmatch("[0-9a-f]{24}", child.name)]
    except OSError:
        return
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _ensure_tag(root: Path) -> None:
    """Mark the folder as a cache (CACHEDIR.TAG) and keep it out of git."""
    tag = root / "CACHEDIR.TAG"
    if tag.exists():
        return
    with suppress(OSError):
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# headlamp-lint cache; safe to delete.\n")
        (root / ".gitignore").write_text("*\n")
