"""Which objects an object sees when one input holds several environments.

A repository often keeps one folder per cluster or environment, each with
the same namespaces and names (``prod/``, ``staging/``, ``clusters/eu/``…).
Objects with the same identity (kind, namespace, name) in different files
are then *alternatives*, one per environment, not one object, and each
must be linked only to the objects of its own environment.

The rule, for an object X looking for related objects:

- **Nearest first.** Distance is measured in the file tree: the same file
  is nearest, then the same folder, then the nearest common ancestor
  folder (the deeper it is, the nearer).
- **Each identity once.** Of the objects with one identity, X sees only
  the nearest (all of them when several are equally near).
- **Not its twins' neighbours.** X never sees an object that one of its own
  twins (X's identity in another file) is nearer to: that object belongs to
  the twin's environment.

Lookups walk outwards from X's file, one ring of the tree at a time, and
skip whole subtrees that hold a twin of X, so a lookup costs about the
size of X's own environment; N copies of a project cost N times one copy,
never all-pairs.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Generic, Hashable, Iterable, Iterator, Protocol, TypeVar

from linter.model.objects import ObjectRef
from linter.records import field, record

T = TypeVar("T")


class Placed(Protocol):
    """What placing an object needs: its identity and its file's display path (a K8sObject, or a GitOps
    object that the cross-file resolution places the same way)."""

    @property
    def ref(self) -> ObjectRef: ...

    @property
    def path(self) -> str: ...


def split_path(path: str) -> tuple[tuple[str, ...], str]:
    """A display path as (its folders, its file name)."""
    *folders, name = path.split("/")
    return tuple(folders), name


@record(frozen=True)
class Twins:
    """Where each identity that occurs in more than one file occurs: its files and every folder above them."""

    files: dict[ObjectRef, frozenset[str]]
    folders: dict[ObjectRef, frozenset[tuple[str, ...]]]

    @classmethod
    def of(cls, objects: Iterable[Placed]) -> "Twins":
        paths: dict[ObjectRef, set[str]] = defaultdict(set)
        for obj in objects:
            paths[obj.ref].add(obj.path)
        files: dict[ObjectRef, frozenset[str]] = {}
        folders: dict[ObjectRef, frozenset[tuple[str, ...]]] = {}
        for ref, found in paths.items():
            if len(found) < 2:
                continue
            files[ref] = frozenset(found)
            above: set[tuple[str, ...]] = set()
            for path in found:
                parts, _ = split_path(path)
                above.update(parts[:n] for n in range(1, len(parts) + 1))
            folders[ref] = frozenset(above)
        return cls(files, folders)

    @classmethod
    def none(cls) -> "Twins":
        return cls({}, {})


@record
class _Folder(Generic[T]):
    files: dict[str, list[T]] = field(default_factory=dict)
    folders: dict[str, "_Folder[T]"] = field(default_factory=dict)

    def everything(self) -> list[T]:
        out: list[T] = []
        pending = [self]
        while pending:
            folder = pending.pop()
            for items in folder.files.values():
                out.extend(items)
            pending.extend(folder.folders.values())
        return out


class Nearby(Generic[T]):
    """Items (anything with a placed object) in buckets, each bucket a file tree, for lookups from an object.

    ``key`` gives the buckets an item is in (e.g. its namespace, or its
    namespace and name for lookups by reference); ``obj`` its object.
    """

    def __init__(
        self,
        items: Iterable[T],
        key: Callable[[T], Iterable[Hashable]],
        obj: Callable[[T], Placed],
        twins: Twins,
    ) -> None:
        self._obj = obj
        self._twins = twins
        self._trees: dict[Hashable, _Folder[T]] = {}
        for item in items:
            folders, name = split_path(obj(item).path)
            for bucket in key(item):
                node = self._trees.get(bucket)
                if node is None:
                    node = self._trees[bucket] = _Folder()
                for part in folders:
                    child = node.folders.get(part)
                    if child is None:
                        child = node.folders[part] = _Folder()
                    node = child
                node.files.setdefault(name, []).append(item)

    def visible(self, anchor: Placed, bucket: Hashable, first: bool = False) -> list[T]:
        """The items of ``bucket`` that ``anchor`` sees, nearest first (see the module docstring).

        ``first``: only the nearest ring that holds any (a lookup by name).
        """
        root = self._trees.get(bucket)
        if root is None:
            return []
        out: list[T] = []
        seen: set[ObjectRef] = set()
        for ring in self._rings(root, anchor):
            refs = set()
            for item in ring:
                ref = self._obj(item).ref
                if ref not in seen:
                    out.append(item)
                    refs.add(ref)
            seen |= refs
            if first and out:
                break
        return out

    def _rings(self, root: _Folder[T], anchor: Placed) -> Iterator[list[T]]:
        """The bucket's items around ``anchor``, one ring of the tree at a time, nearest first."""
        folders, name = split_path(anchor.path)
        twin_files = self._twins.files.get(anchor.ref, frozenset())
        twin_folders = self._twins.folders.get(anchor.ref, frozenset())
        chain = [root]
        for part in folders:
            child = chain[-1].folders.get(part)
            if child is None:
                break
            chain.append(child)
        if len(chain) == len(folders) + 1 and name in chain[-1].files:
            yield chain[-1].files[name]
        for depth in range(len(chain) - 1, -1, -1):
            node = chain[depth]
            prefix = folders[:depth]
            ring: list[T] = []
            for file_name, items in node.files.items():
                if depth == len(folders) and file_name == name:
                    continue  # the anchor's own file: the first ring
                if twin_files and "/".join(prefix + (file_name,)) in twin_files:
                    continue  # a twin of the anchor lives there: its environment, not ours
                ring.extend(items)
            own = folders[depth] if depth < len(folders) else None
            for folder_name, child in node.folders.items():
                if folder_name == own:
                    continue  # on the anchor's path: an inner ring
                if twin_folders and prefix + (folder_name,) in twin_folders:
                    continue
                ring.extend(child.everything())
            if ring:
                yield ring

    def nearest(self, anchor: Placed, bucket: Hashable) -> T | None:
        """The nearest item of ``bucket`` that ``anchor`` sees (the first in input order of equally near ones)."""
        found = self.visible(anchor, bucket, first=True)
        return found[0] if found else None
