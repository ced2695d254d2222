"""linter.records.record against dataclasses.dataclass: the same classes, option by option."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from typing import ClassVar

import pytest

import linter
from linter.records import FrozenInstanceError, field, record

OPTIONS = [
    {},
    {"frozen": True},
    {"frozen": True, "slots": True},
    {"frozen": True, "order": True, "slots": True},
    {"frozen": True, "eq": False},
    {"frozen": True, "eq": False, "slots": True},
    {"eq": False, "slots": True},
    {"slots": True},
    {"repr": False},
]


def _body() -> dict:
    """A class body with each kind of field: plain, defaulted, factory, hidden from repr and compare, ClassVar."""
    return {
        "__annotations__": {"name": "str", "count": "int", "tags": "list[str]", "note": "str",
                            "cached": "int", "kind": "ClassVar[str]"},
        "count": 0,
        "tags": field(default_factory=list),
        "note": field(default="n", repr=False),
        "cached": field(default=-1, compare=False),
        "kind": "shape",
        "describe": lambda self: f"{self.name}:{self.count}",
    }


def _pair(options: dict, index: int) -> tuple[type, type]:
    """The same body made by dataclass and by record, at module level so that pickle finds them."""
    made = []
    for maker, prefix in ((dataclasses.dataclass, "Data"), (record, "Record")):
        name = f"{prefix}{index}"
        body = dict(_body(), __module__=__name__, __qualname__=name)
        cls = maker(**options)(type(name, (), body))
        globals()[name] = cls
        made.append(cls)
    return made[0], made[1]


def _shape(cls: type, obj: object) -> dict:
    """Everything a user of the class can observe, with the class name left out."""
    name = cls.__qualname__
    other = cls("b", 2)
    shape: dict = {
        "signature": str(inspect.signature(cls)),
        "repr": repr(obj).replace(name, "C") if cls.__repr__ is not object.__repr__ else "object's",
        "eq_same": obj == cls("a", 1, ["x"]),
        "eq_other": obj == other,
        "eq_cached_differs": obj == cls("a", 1, ["x"], cached=5),
        "hashable": cls.__hash__ is not None,
        "slots": getattr(cls, "__slots__", None),
        "has_dict": hasattr(obj, "__dict__"),
        "match_args": cls.__match_args__,
        "fields": [(f.name, f.type, f.repr, f.compare) for f in dataclasses.fields(cls)],
        "asdict": dataclasses.asdict(obj),
        "replace": dataclasses.asdict(dataclasses.replace(obj, count=9)),
        "classvar": cls.kind,
        "method": obj.describe(),
        "factory_fresh": cls("x").tags is not cls("y").tags,
    }
    if shape["hashable"]:
        try:
            shape["hash_equal"] = hash(obj) == hash(cls("a", 1, ["x"], cached=5))
        except TypeError as exc:  # a list field: unhashable, as with dataclass
            shape["hash_equal"] = str(exc)
        shape["hash_tuple"] = hash(cls("a", 1, ("x",))) == hash(cls("a", 1, ("x",), cached=5))
    try:
        shape["lt"] = obj < other
    except TypeError:
        shape["lt"] = "unorderable"
    try:
        obj.count = 5
        shape["assign"] = obj.count
    except FrozenInstanceError as exc:
        shape["assign"] = f"frozen: {exc}"
    try:
        del obj.note
        shape["delete"] = "deleted"
    except FrozenInstanceError as exc:
        shape["delete"] = f"frozen: {exc}"
    except AttributeError:
        shape["delete"] = "no attribute"
    return shape


@pytest.mark.parametrize("index", range(len(OPTIONS)), ids=[repr(o) for o in OPTIONS])
def test_record_behaves_as_dataclass(index: int) -> None:
    data_cls, record_cls = _pair(OPTIONS[index], index)
    data_obj, record_obj = data_cls("a", 1, ["x"]), record_cls("a", 1, ["x"])
    for obj in (data_obj, record_obj):  # pickle before the shape test mutates what it may
        assert pickle.loads(pickle.dumps(obj)) == obj or not OPTIONS[index].get("eq", True)
    assert dataclasses.asdict(pickle.loads(pickle.dumps(record_obj))) == dataclasses.asdict(record_obj)
    assert _shape(record_cls, record_obj) == _shape(data_cls, data_obj)


def test_post_init_and_init_false_fields() -> None:
    @record(frozen=True)
    class Version:
        major: int
        minor: int = 0
        key: tuple = field(init=False, repr=False, compare=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "key", (self.major, self.minor))

    assert str(inspect.signature(Version)) == "(major: 'int', minor: 'int' = 0) -> None"
    assert Version(1, 2).key == (1, 2)
    assert repr(Version(1)) == "test_post_init_and_init_false_fields.<locals>.Version(major=1, minor=0)"


def test_inherited_fields_come_first() -> None:
    @record
    class Parts:
        items: list = field(default_factory=list)

    @record
    class Whole(Parts):
        name: str = "w"

    assert [f.name for f in dataclasses.fields(Whole)] == ["items", "name"]
    assert Whole(["i"], "n") == Whole(["i"], "n")
    assert Whole.__hash__ is None


def test_own_methods_are_kept() -> None:
    @record(frozen=True)
    class Shown:
        value: int

        def __repr__(self) -> str:
            return "mine"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 7

    assert (repr(Shown(1)), Shown(1) == Shown(2), hash(Shown(1))) == ("mine", True, 7)


def test_a_non_default_field_after_a_default_one_is_refused() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        record(type("Bad", (), {"__annotations__": {"a": "int", "b": "int"}, "a": 0}))


def test_recursive_repr_does_not_loop() -> None:
    @record
    class Node:
        children: list

    node = Node([])
    node.children.append(node)
    assert repr(node) == "test_recursive_repr_does_not_loop.<locals>.Node(children=[...])"


def test_the_linter_makes_its_classes_with_record() -> None:
    """Every class the linter makes with dataclass costs start-up time that record does not."""
    made_by_dataclass = []
    for info in pkgutil.walk_packages(linter.__path__, "linter."):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional extra (the language server's pygls) that is not installed
            continue
        for value in vars(module).values():
            if (inspect.isclass(value) and value.__module__ == module.__name__
                    and "__dataclass_params__" in value.__dict__):
                made_by_dataclass.append(value.__qualname__)
    assert made_by_dataclass == []


_ = ClassVar  # the body's ClassVar annotation names it
