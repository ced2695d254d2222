"""Memory guarantees: a file's YAML node tree is garbage once its model parts are built.

Keeping a node tree per object for the whole run cost about 80% of the peak
memory on a large input; these tests make sure nothing in the model or the
file units reaches a node again, and that the units still pickle (the
per-file stage may run in other processes or come from a cache).
"""

from __future__ import annotations

import gc
import pickle
import types

import pytest

from linter import engine
from linter.diagnostics import Diagnostic
from linter.settings import Settings
from linter.yamlpos import MapNode, ScalarNode, SeqNode
from tests.conftest import FIXTURES, ROOT

# Every rule's fixtures (manifests and values files) and the examples: all the object kinds the builders read.
INPUTS = sorted(str(p) for p in (FIXTURES / "rules").glob("*/*.yaml")) + sorted(
    str(p) for p in (ROOT / "examples").glob("*.yaml")
)
SETTINGS = Settings(all_workloads=True)

# Shared by every object, not per-file data: following them would walk the whole interpreter.
_NOT_DATA = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.CodeType)


@pytest.fixture(scope="module")
def run() -> tuple[list[engine.FileUnit], list[Diagnostic]]:
    """The file units of a run on INPUTS, as they are when the rules start, and the rules' findings."""
    seen: list[tuple[list[engine.FileUnit], list[Diagnostic]]] = []
    real = engine.run_rules

    def spy(units, settings, out, *rest):
        seen.append((units, real(units, settings, out, *rest)))
        return seen[-1][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "run_rules", spy)
        engine.lint_paths(INPUTS, SETTINGS)
    (units_and_findings,) = seen
    return units_and_findings


def _reachable_nodes(roots: object) -> list[object]:
    nodes: list[object] = []
    seen = {id(roots)}
    todo = [roots]
    while todo:
        for child in gc.get_referents(todo.pop()):
            if id(child) in seen or isinstance(child, _NOT_DATA):
                continue
            seen.add(id(child))
            if isinstance(child, (MapNode, SeqNode, ScalarNode)):
                nodes.append(child)
            todo.append(child)
    return nodes


def test_no_yaml_node_is_reachable_from_the_file_units_or_the_model(run):
    units, _ = run
    assert any(unit.chart_version for unit in units), "a values file should be among the inputs"
    assert sum(len(unit.parts.objects) for unit in units) > 100
    model = engine.link_model(units)
    nodes = _reachable_nodes([units, model])
    where = [f"{type(node).__name__} at {node.span}" for node in nodes[:3]]  # type: ignore[attr-defined]
    assert not nodes, f"{len(nodes)} YAML nodes are still reachable, e.g. {where}"


def test_file_units_round_trip_through_pickle_with_equal_findings(run):
    units, findings = run
    # Text and line index are both used before pickling, so any cache they keep is pickled too.
    assert all(unit.source.line(1) == unit.source.text.split("\n", 1)[0] for unit in units)
    copies = pickle.loads(pickle.dumps(units))
    for unit, copy in zip(units, copies):
        assert copy.source == unit.source
        assert copy.source.text == unit.source.text and copy.source.all_lines() == unit.source.all_lines()
    after = engine.run_rules(copies, SETTINGS, engine.Collector(SETTINGS))
    assert len(after) > 100 and {d.rule_id for d in after} >= {"HL401", "HL403", "HL601"}
    assert after == findings
