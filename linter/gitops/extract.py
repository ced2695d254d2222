"""The per-file stage's entry point: hand each object of a kind this package knows to its source-kind module."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from linter.gitops import ARGO, FLUX_HELM, FLUX_SOURCE, KUSTOMIZE, GitOpsParts, Report
from linter.gitops.common import Context
from linter.yamlpos import MapNode


def context(display: str, path: Path | None, text: str, default_namespace: str, report: Report,
            is_headlamp_image: Callable[[str], bool]) -> Context:
    return Context(display, path, tuple(text.split("\n")), default_namespace, report, is_headlamp_image)


def extract(root: MapNode, kind: str, api_version: str, doc_index: int, ctx: Context, out: GitOpsParts) -> None:
    from linter.gitops import argocd, flux, kustomize

    group = api_version.split("/", 1)[0] if "/" in api_version else ""
    if kind == "HelmRelease" and group == FLUX_HELM:
        flux.read_helm_release(root, ctx, out)
    elif kind in ("OCIRepository", "HelmChart") and group == FLUX_SOURCE:
        flux.read_chart_source(root, kind, ctx, out)
    elif kind in ("Application", "ApplicationSet") and group == ARGO:
        argocd.read_application(root, kind, ctx, out)
    elif kind == "Kustomization" and group == KUSTOMIZE:
        kustomize.read_kustomization(root, ctx, out)
    elif kind in ("ConfigMap", "Secret") and group == "":
        flux.read_data(root, kind, doc_index, ctx, out)


def extract_kustomization(root: MapNode, ctx: Context, out: GitOpsParts) -> None:
    """A kustomization.yaml without apiVersion and kind (kustomize does not require them)."""
    from linter.gitops import kustomize

    kustomize.read_kustomization(root, ctx, out)
