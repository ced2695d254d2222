"""Record classes: what ``dataclasses.dataclass`` makes, made for less at import.

On Python 3.11 ``dataclass`` compiles five or six small functions per class,
each with its own ``exec``, and computes ``inspect.signature`` for a class
without a docstring: about 0.5 ms a class. A one-file check imports some 110
of them, which was 60 ms of a 210 ms start (``scripts/bench.py
--start-only``). ``record`` builds the same class with one ``exec``.

It takes the subset of ``dataclass``'s options this project uses (``frozen``,
``eq``, ``order``, ``slots``, ``repr``) and ``dataclasses.field`` for a
field's options (``default``, ``default_factory``, ``init``, ``repr``,
``compare``), and gives what ``dataclass`` gives for them: the same
``__init__`` signature, ``__repr__``, ``__eq__`` and ``__hash__`` (on the
fields that compare), ordering, ``FrozenInstanceError`` on assignment,
``__slots__`` (pickling included), ``__match_args__``, ``__post_init__``
and inherited fields. Its classes carry ``__dataclass_fields__``, so
``dataclasses.fields``, ``replace``, ``asdict`` and ``is_dataclass`` work on
them. ``tests/test_records.py`` holds it to ``dataclass``'s behaviour.
"""

from __future__ import annotations

import dataclasses
import reprlib
import typing
from dataclasses import MISSING, Field, FrozenInstanceError, field
from typing import Any, Callable, TypeVar

__all__ = ["FrozenInstanceError", "field", "record"]

T = TypeVar("T", bound=type)

# dataclasses.fields() and replace() keep only fields marked with this (a private name, stable since 3.7).
_FIELD_MARK = dataclasses._FIELD  # type: ignore[attr-defined]


class _Factory:
    """The default of a parameter whose field has a default_factory (dataclass's _HAS_DEFAULT_FACTORY)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def record(cls: T | None = None, /, *, frozen: bool = False, eq: bool = True, order: bool = False,
           slots: bool = False, repr: bool = True) -> Any:
    """Make ``cls`` a record class, as ``dataclass(cls, frozen=..., ...)`` would."""

    def wrap(cls: T) -> T:
        return _make(cls, frozen=frozen, eq=eq, order=order, slots=slots, with_repr=repr)

    return wrap if cls is None else wrap(cls)


def _is_classvar(annotation: object) -> bool:
    if isinstance(annotation, str):  # postponed annotations: the forms dataclass recognises too
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return getattr(annotation, "__origin__", annotation) is typing.ClassVar


def _own_fields(cls: type) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(base.__dict__.get("__dataclass_fields__", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        if not name.isidentifier():  # the names go into generated source: identifiers only
            raise TypeError(f"{cls.__qualname__}: field name {name!r} is not an identifier")
        default = cls.__dict__.get(name, MISSING)
        spec = default if isinstance(default, Field) else field(default=default)
        spec.name, spec.type = name, annotation
        spec._field_type = _FIELD_MARK  # type: ignore[attr-defined]
        fields[name] = spec
    return fields


def _slotted(cls: type, fields: dict[str, Field]) -> type:
    """The class again, with ``__slots__`` for its own fields (dataclass's _add_slots)."""
    namespace = dict(cls.__dict__)
    inherited = {slot for base in cls.__mro__[1:-1] for slot in getattr(base, "__slots__", ())}
    namespace["__slots__"] = tuple(name for name in fields if name not in inherited)
    for name in fields:
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    slotted = type(cls)(cls.__name__, cls.__bases__, namespace)
    slotted.__qualname__ = cls.__qualname__
    return slotted


def _make(cls: T, *, frozen: bool, eq: bool, order: bool, slots: bool, with_repr: bool) -> T:
    fields = _own_fields(cls)
    for name, spec in fields.items():  # dataclass leaves a plain default as the class attribute
        if name in cls.__dict__ and isinstance(cls.__dict__[name], Field):
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    if slots:
        cls = _slotted(cls, fields)  # type: ignore[assignment]
    own = cls.__dict__
    # A class body that defines __eq__ gets __hash__ = None from Python: that is not a __hash__ of its own.
    own_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    scope: dict[str, Any] = {"__cls": cls, "__FACTORY": _FACTORY, "__Frozen": FrozenInstanceError,
                             "__set": object.__setattr__}
    lines: list[str] = []

    params: list[str] = []
    body: list[str] = []
    for name, spec in fields.items():
        factory, default = spec.default_factory is not MISSING, spec.default is not MISSING
        if factory:
            scope[f"__factory_{name}"] = spec.default_factory
        if default:
            scope[f"__default_{name}"] = spec.default
        if spec.init:
            if factory:
                params.append(f"{name}=__FACTORY")
                value = f"__factory_{name}() if {name} is __FACTORY else {name}"
            else:
                if not default and params and "=" in params[-1]:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
                params.append(f"{name}=__default_{name}" if default else name)
                value = name
        elif factory or default:
            value = f"__factory_{name}()" if factory else f"__default_{name}"
        else:
            continue  # init=False, no default: left unset, as dataclass does
        body.append(f"  __set(self, {name!r}, {value})" if frozen else f"  self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    if "__init__" not in own:
        lines += [f"def __init__(self{''.join(', ' + p for p in params)}):", *(body or ["  pass"])]

    if with_repr and "__repr__" not in own:
        shown = ", ".join(f"{name}={{self.{name}!r}}" for name, spec in fields.items() if spec.repr)
        lines += ["def __repr__(self):", f"  return f'{{self.__class__.__qualname__}}({shown})'"]

    compared = [name for name, spec in fields.items() if spec.compare]
    as_tuple = "(" + "".join(f"self.{name}," for name in compared) + ")"
    other_tuple = as_tuple.replace("self.", "other.")
    if eq and "__eq__" not in own:
        lines += ["def __eq__(self, other):", "  if other.__class__ is self.__class__:",
                  f"    return {as_tuple} == {other_tuple}", "  return NotImplemented"]
    if order:
        for method, op in (("__lt__", "<"), ("__le__", "<="), ("__gt__", ">"), ("__ge__", ">=")):
            if method in own:
                raise TypeError(f"Cannot overwrite attribute {method} in class {cls.__name__}. "
                                "Consider using functools.total_ordering")
            lines += [f"def {method}(self, other):", "  if other.__class__ is self.__class__:",
                      f"    return {as_tuple} {op} {other_tuple}", "  return NotImplemented"]
    if eq and frozen and not own_hash:
        hashed = [name for name, spec in fields.items() if (spec.compare if spec.hash is None else spec.hash)]
        lines += ["def __hash__(self):", f"  return hash(({''.join(f'self.{n},' for n in hashed)}))"]
    if frozen:
        names = tuple(fields)
        scope["__names"] = names
        lines += ["def __setattr__(self, name, value):",
                  "  if type(self) is __cls or name in __names:",
                  "    raise __Frozen(f'cannot assign to field {name!r}')",
                  "  super(__cls, self).__setattr__(name, value)",
                  "def __delattr__(self, name):",
                  "  if type(self) is __cls or name in __names:",
                  "    raise __Frozen(f'cannot delete field {name!r}')",
                  "  super(__cls, self).__delattr__(name)"]
        if slots:  # pickle restores slots with setattr, which frozen forbids
            lines += ["def __getstate__(self):", "  return [getattr(self, n) for n in __names]",
                      "def __setstate__(self, state):",
                      "  for n, v in zip(__names, state):", "    __set(self, n, v)"]

    made: dict[str, Callable[..., Any]] = {}
    exec("\n".join(lines), scope, made)  # noqa: S102 - our own generated source, never the input's
    for name, function in made.items():
        function.__qualname__ = f"{cls.__qualname__}.{name}"
        if name == "__repr__":
            function = reprlib.recursive_repr()(function)
        elif name == "__init__":
            function.__annotations__ = {n: spec.type for n, spec in fields.items() if spec.init} | {"return": None}
        setattr(cls, name, function)
    if eq and not frozen and not own_hash:
        cls.__hash__ = None  # type: ignore[assignment]  # mutable and equal by value: unhashable
    cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]
    if "__match_args__" not in own:
        cls.__match_args__ = tuple(name for name, spec in fields.items() if spec.init)  # type: ignore[attr-defined]
    return cls
