"""The per-file stage's entry point: hand each object of a kind this package knows to its source-kind module."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from linter.gitops import ARGO, FLUX_HELM, FLUX_SOURCE, K3S, KUSTOMIZE, GitOpsParts, Report
from linter.gitops.common import Context
from linter.model.objects import api_group
from linter.yamlpos import MapNode


def context(display: str, path: Path | None, text: str, default_namespace: str, report: Report,
            is_headlamp_image: Callable[[str], bool]) -> Context:
    return Context(display, path, tuple(text.split("\n")), default_namespace, report, is_headlamp_image)


def extract(root: MapNode, kind: str, api_version: str, doc_index: int, ctx: Context, out: GitOpsParts) -> None:
    group = api_group(api_version)
    before = len(out.releases)
    _read(root, kind, group, doc_index, ctx, out)
    _place(out, before, root, doc_index)


def _place(out: GitOpsParts, before: int, root: MapNode, doc_index: int) -> None:
    """Record which document and lines hold the releases just read (the fixer edits them there)."""
    out.releases[before:] = [replace(spec, doc_index=doc_index, doc_lines=(root.span.line, root.span.end_line))
                             for spec in out.releases[before:]]


def _read(root: MapNode, kind: str, group: str, doc_index: int, ctx: Context, out: GitOpsParts) -> None:
    from linter.gitops import argocd, flux, k3s, kustomize

    if kind == "HelmRelease" and group == FLUX_HELM:
        flux.read_helm_release(root, ctx, out)
    elif kind in ("OCIRepository", "HelmChart") and group == FLUX_SOURCE:
        flux.read_chart_source(root, kind, ctx, out)
    elif kind in ("Application", "ApplicationSet") and group == ARGO:
        argocd.read_application(root, kind, ctx, out)
    elif kind == "Kustomization" and group == KUSTOMIZE:
        kustomize.read_kustomization(root, ctx, out)
    elif kind == "HelmChart" and group == K3S:
        k3s.read_helm_chart(root, ctx, out)
    elif kind == "HelmChartConfig" and group == K3S:
        k3s.read_helm_chart_config(root, doc_index, ctx, out)
    elif kind in ("ConfigMap", "Secret") and group == "":
        flux.read_data(root, kind, doc_index, ctx, out)


def extract_kustomization(root: MapNode, doc_index: int, ctx: Context, out: GitOpsParts) -> None:
    """A kustomization.yaml without apiVersion and kind (kustomize does not require them)."""
    from linter.gitops import kustomize

    before = len(out.releases)
    kustomize.read_kustomization(root, ctx, out)
    _place(out, before, root, doc_index)
