"""Build a linked model from YAML texts in memory (one text per file), for model-level tests."""

from __future__ import annotations

from linter.engine import Collector, load_file
from linter.model import Model
from linter.model.builder import build_model
from linter.settings import Settings
from linter.source import SourceFile


def model_of(*texts: str) -> Model:
    settings = Settings()
    out = Collector(settings)
    units = [
        load_file(SourceFile.from_text(f"file{i}.yaml", text), True, settings, out) for i, text in enumerate(texts)
    ]
    assert not [d for d in out.items if d.rule_id in ("HL001", "HL009")], out.items
    return build_model(u.parts for u in units)
