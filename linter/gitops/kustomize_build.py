"""What ``kustomize build`` does to the manifests a kustomization lists, as far as headlamp-lint applies it.

Encodes kustomize v5 (v5.0 to v5.7; v4 alike for what is applied here):

- **The resource tree.** ``resources:`` (and the deprecated ``bases:``) name files or folders relative to
  the kustomization's folder; a folder is built from its own kustomization (``kustomization.yaml``,
  ``kustomization.yml`` or ``Kustomization``) first, and this kustomization's transformers then run over
  everything it lists, so an overlay's ``images:`` sees the images its base made. What kustomize builds
  is the kustomization no other one lists (the overlay); a manifest two overlays list is two objects.
- **The images transformer** (``api/filters/imagetag``, ``api/image``): each ``images:`` entry in order,
  over the image of every container and init container. An entry matches an image whose name, without
  tag and digest, is its ``name`` exactly (``^name(:tag)?(@sha256:digest)?$``; the name is compared as
  text here, where kustomize reads it as a regular expression). ``newName`` replaces the name; ``newTag``
  and ``digest`` replace the tag *and* the digest: ``newTag`` alone drops a digest, ``digest`` alone
  drops the tag, both give ``name:newTag@digest``. The name is split from the tag at the first ``:``
  after the first ``/`` (so a registry's port stays in the name).

Not applied, and said so (HL017, once, at the field): remote resources (URLs are never fetched),
resources that are not in the input (reported when the run is linked), ``namespace:``, ``patches:``,
``patchesStrategicMerge:``, ``patchesJson6902:``, ``replacements:``, ``components:``, ``images:`` over
the objects of ``helmCharts:``, an entry's ``tagSuffix``. The findings about the objects of such a
kustomization end with "(not seen: …, which may change this)".
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import replace
from pathlib import Path
from typing import Callable

from linter.gitops import KUSTOMIZATION_NAMES, Report, text_of
from linter.gitops.common import Context
from linter.located import Located, Location, Origin
from linter.model import ModelParts
from linter.model.objects import ObjectRef
from linter.model.workloads import CONTAINER, INIT_CONTAINER, Workload
from linter.records import record
from linter.yamlpos import MapNode, Node, ScalarNode, SeqNode

# Fields whose transformation headlamp-lint does not apply to the listed manifests, in words.
NOT_APPLIED = {
    "patches": "",
    "patchesStrategicMerge": "",
    "patchesJson6902": "",
    "replacements": "",
    "components": "",
}
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|(?:github\.com|gitlab\.com|bitbucket\.org)/)|\?ref=|\.git(?:/|$)",
                     re.IGNORECASE)
_SHA = r"(@sha256:[a-zA-Z0-9_.{}-]*)?$"


@record(frozen=True, slots=True)
class ImageEdit:
    """One ``images:`` entry: each part a fact at its value (origin KUSTOMIZE), None when not set."""

    entry: str  # "images[0]"
    name: str
    new_name: Located | None
    new_tag: Located | None
    digest: Located | None


@record(frozen=True, slots=True)
class Resource:
    """One ``resources:`` (or ``bases:``) entry that names a local file or folder."""

    written: str
    target: str  # absolute path
    location: Location


@record(frozen=True)
class Kustomization:
    """What one kustomization contributes to the build of the manifests it lists (no YAML nodes)."""

    path: str  # display path
    folder: str  # absolute path of its folder
    resources: tuple[Resource, ...]
    images: tuple[ImageEdit, ...]
    not_applied: tuple[str, ...]  # NOT_APPLIED fields it has ("patches:"), for the findings' messages
    namespace: Located | None = None  # namespace: (not applied; reported where it would move an object)


def read_build(root: MapNode, ctx: Context, has_helm_charts: bool) -> Kustomization | None:
    """The kustomization's resource tree and transformers; problems and unapplied fields reported."""
    resources: list[Resource] = []
    for field in ("resources", "bases"):
        listed = root.get(field)
        for entry in listed.items if isinstance(listed, SeqNode) else ():
            written = text_of(entry)
            if written is None:
                continue
            location = Location(ctx.display, entry.span)
            if _REMOTE.search(written):
                ctx.report("HL017", location, f"{field} entry {written} of the kustomization is remote and never"
                           " fetched: its objects are not linted (lint a local copy, or its kustomize build output)")
            elif ctx.path is not None:
                resources.append(Resource(written, str((ctx.path.parent / written).resolve()), location))
    images = _images(root.get("images"), ctx)
    if not resources and not images:
        return None
    not_applied = []
    for field, why in NOT_APPLIED.items():
        key, value = root.key(field), root.get(field)
        if key is None or _empty(value):
            continue
        not_applied.append(f"{field}:")
        shown = f"{field}: {text_of(value)}" if text_of(value) is not None else f"{field}:"
        ctx.report("HL017", Location(ctx.display, key.span), f"{shown} of the kustomization is not applied to the"
                   f" manifests it lists (headlamp-lint applies images: only): they are linted as written{why}")
    if images and has_helm_charts:
        key = root.key("images")
        assert key is not None
        ctx.report("HL017", Location(ctx.display, key.span), "images: of the kustomization is not applied to the"
                   " objects of its helmCharts: they are linted with the image their values give")
    if ctx.path is None:
        return None  # standard input: the files it lists cannot be found
    namespace_node = root.get("namespace")
    namespace = text_of(namespace_node)
    located = Located(namespace, Location(ctx.display, namespace_node.span), Origin.KUSTOMIZE, "namespace") \
        if namespace and namespace_node is not None else None
    return Kustomization(ctx.display, str(ctx.path.parent.resolve()), tuple(resources), tuple(images),
                         tuple(not_applied), located)


def _empty(node: Node | None) -> bool:
    return node is None or isinstance(node, ScalarNode) and node.value is None or (
        isinstance(node, SeqNode) and not node.items)


def _images(node: Node | None, ctx: Context) -> list[ImageEdit]:
    out = []
    for index, item in enumerate(node.items if isinstance(node, SeqNode) else ()):
        if not isinstance(item, MapNode):
            continue
        entry = f"images[{index}]"
        name = text_of(item.get("name"))
        if not name:
            continue
        if item.key("tagSuffix") is not None:
            ctx.report("HL017", Location(ctx.display, item.key("tagSuffix").span),  # type: ignore[union-attr]
                       f"tagSuffix of {entry} of the kustomization is not applied: the image is linted without it")

        def fact(key: str) -> Located | None:
            value = item.get(key)
            text = text_of(value)
            if not text:
                return None
            assert value is not None
            return Located(text, Location(ctx.display, value.span), Origin.KUSTOMIZE, f"{entry}.{key}")

        out.append(ImageEdit(entry, name, fact("newName"), fact("newTag"), fact("digest")))
    return out


# --- the build, over the linked run ------------------------------------------------------------


def split_image(image: str) -> tuple[str, str, str]:
    """kustomize's ``image.Split``: (name, tag, digest), the tag and digest without their ``:`` / ``@``."""
    slash = image.find("/")
    offset = slash if slash > 0 else 0
    search = image[offset:]
    at, colon = search.find("@"), search.find(":")
    if colon < 0 and at < 0:
        return image, "", ""
    if at >= 0 and (colon < 0 or at < colon):
        return image[:offset + at], "", image[offset + at + 1:]
    if at >= 0:
        return image[:offset + colon], image[offset + colon + 1:offset + at], image[offset + at + 1:]
    return image[:offset + colon], image[offset + colon + 1:], ""


def matches(image: str, name: str) -> bool:
    """kustomize's ``image.IsImageMatched`` (the name taken as text)."""
    return re.match("^" + re.escape(name) + r"(:[a-zA-Z0-9_.{}-]*)?" + _SHA, image) is not None


@record(frozen=True, slots=True)
class _Image:
    """One container's image as the build has made it so far: the fact to blame for it (at the key that
    set its tag or digest last) and, when another key set its name, that key."""

    fact: Located
    name: Located | None = None


def _transform(image: _Image, edit: ImageEdit) -> _Image:
    value = str(image.fact.value)
    if not matches(value, edit.name):
        return image
    name, tag, digest = split_image(value)
    if edit.new_name is not None:
        name = str(edit.new_name.value)
    version: Located | None = None
    if edit.new_tag is not None or edit.digest is not None:
        tag = str(edit.new_tag.value) if edit.new_tag is not None else ""
        digest = str(edit.digest.value) if edit.digest is not None else ""
        version = edit.digest if edit.new_tag is None else edit.new_tag
    rendered = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")
    named = edit.new_name or image.name
    if named is not None:
        named = Located(rendered, named.location, named.origin, named.key)
    if version is None:  # only renamed: the tag (or digest) is still the one written before
        version = image.fact
    return _Image(Located(rendered, version.location, version.origin, version.key), named)


# One rendering of the workloads a kustomization reaches: (file, workload index) -> images by container index.
_Rendering = dict[tuple[str, int], dict[int, _Image]]


@record(frozen=True)
class BuildResult:
    parts: dict[str, ModelParts]  # absolute path -> the file's parts with its workloads as built
    # (object, display path of a file its findings are in) -> the unapplied fields of its kustomizations
    unseen: dict[tuple[ObjectRef, str], tuple[str, ...]]


@record(frozen=True)
class _Tree:
    """What a build walks: the kustomizations by folder, the run's manifests by absolute path, and what it
    records on the way (which files get which unapplied fields, which namespace: fields were reported)."""

    by_folder: dict[str, Kustomization]
    files: dict[str, ModelParts]
    report: Report
    notes: dict[str, set[tuple[str, str]]]  # file -> (the unapplied fields, the kustomization's display path)
    moved: set[Location]


def build(kustomizations: list[Kustomization], files: dict[str, ModelParts],
          with_images: Callable[[Workload, dict], Workload], report: Report) -> BuildResult:
    """Apply the images transformer of every kustomization built on its own (one no other lists) to the
    workloads of the files it reaches. ``files``: the manifests of the run by absolute path;
    ``with_images``: the model's ``with_images`` (the matcher bound)."""
    tree = _Tree({k.folder: k for k in kustomizations}, files, report, {}, set())
    listed: set[str] = set()
    for k in kustomizations:
        for resource in k.resources:
            if resource.target in tree.by_folder:
                listed.add(resource.target)
            elif resource.target not in files and not _is_kustomization_file(resource.target, tree.by_folder):
                report("HL017", resource.location, f"resources entry {resource.written} of the kustomization is not"
                       " in the input: its objects are not linted with this kustomization's transformers (lint"
                       " the folder that holds both)")
    outcomes: dict[tuple[str, int], list[dict[int, _Image]]] = {}
    for top in kustomizations:
        if top.folder in listed:
            continue
        for key, images in _render(top, tree, ())[0].items():
            if images not in outcomes.setdefault(key, []):
                outcomes[key].append(images)
    changed: dict[str, ModelParts] = {}
    for path, parts in files.items():
        workloads: list[Workload] = []
        for index, workload in enumerate(parts.workloads):
            for images in outcomes.get((path, index)) or [{}]:
                edited = {n: (i.fact, i.name) for n, i in images.items() if i != _initial(workload, n)}
                workloads.append(with_images(workload, edited) if edited else workload)
        if len(workloads) != len(parts.workloads) or any(a is not b for a, b in zip(workloads, parts.workloads)):
            changed[path] = replace(parts, workloads=workloads)
    unseen: dict[tuple[ObjectRef, str], tuple[str, ...]] = {}
    for path, parts in files.items():
        noted = tree.notes.get(path)
        if not noted:
            continue
        for obj in parts.objects:
            for where in {obj.path} | {kustomization for _, kustomization in noted}:
                # The kustomization named relative to the file the finding is in (as the user's tree has it).
                unseen[(obj.ref, where)] = tuple(sorted(
                    f"{fields} of {posixpath.relpath(kustomization, posixpath.dirname(where) or '.')} (not applied)"
                    for fields, kustomization in noted))
    return BuildResult(changed, unseen)


def _is_kustomization_file(target: str, by_folder: dict[str, Kustomization]) -> bool:
    path = Path(target)
    return path.name in KUSTOMIZATION_NAMES and str(path.parent) in by_folder


def _initial(workload: Workload, index: int) -> _Image:
    return _Image(workload.pod.containers[index].image)


def _render(k: Kustomization, tree: _Tree, stack: tuple[str, ...]) -> tuple[_Rendering, set[str]]:
    """The images of every workload ``k`` reaches, after its tree's transformers and its own; and the
    files it reaches."""
    rendering: _Rendering = {}
    reached: set[str] = set()
    stack = stack + (k.folder,)
    for resource in k.resources:
        target = resource.target
        if target in tree.files:
            reached.add(target)
            for index, workload in enumerate(tree.files[target].workloads):
                rendering[(target, index)] = {
                    n: _initial(workload, n) for n, c in enumerate(workload.pod.containers)
                    if c.role in (CONTAINER, INIT_CONTAINER) and isinstance(c.image.value, str) and c.image.value
                }
        elif target in tree.by_folder and target not in stack:
            below, files_below = _render(tree.by_folder[target], tree, stack)
            rendering.update(below)
            reached |= files_below
    for images in rendering.values():
        for edit in k.images:
            for n, image in images.items():
                images[n] = _transform(image, edit)
    fields = list(k.not_applied)
    if k.namespace is not None and _moves(k.namespace, reached, tree):
        fields.insert(0, "namespace:")
    if fields:
        for path in reached:
            tree.notes.setdefault(path, set()).add((" and ".join(fields), k.path))
    return rendering, reached


def _moves(namespace: Located, reached: set[str], tree: _Tree) -> bool:
    """Whether ``namespace:`` would move an object of these files; reported (HL017) the first time."""
    objects = [obj for path in sorted(reached) for obj in tree.files[path].objects
               if obj.namespace is not None and obj.namespace != namespace.value]
    if not objects:
        return False
    if namespace.location not in tree.moved:
        tree.moved.add(namespace.location)
        tree.report("HL017", namespace.location, f"namespace: {namespace.value} of the kustomization is not applied"
                    f" to the manifests it lists (headlamp-lint applies images: only): {objects[0].ref} and the"
                    " others are linked and reported in the namespaces their manifests name")
    return True
