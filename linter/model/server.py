"""Headlamp server settings: the effective flags of a Headlamp container.

Flags come from ``command`` + ``args`` (Go ``flag`` syntax: ``-x`` or
``--x``, ``-x=v`` or ``-x v``, booleans ``-x`` / ``-x=true|false|1|0``;
parsing stops at the first non-flag argument or ``--``) and from
``HEADLAMP_CONFIG_<FLAG>`` environment variables; an explicit flag beats
the env var. ``$(VAR)`` references expand from the container's literal env
values; a reference to a ``secretKeyRef`` or ``envFrom`` Secret is known to
come from a Secret, not a literal. Without a ``command`` the image's
entrypoint supplies ``-html-static-dir`` and ``-plugins-dir``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from linter.data import load_json
from linter.located import Located, Origin
from linter.model.workloads import Container

ENV_PREFIX = "HEADLAMP_CONFIG_"
_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_TRUE = frozenset(("1", "t", "T", "TRUE", "true", "True"))
_FALSE = frozenset(("0", "f", "F", "FALSE", "false", "False"))
SHELLS = frozenset(("sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash", "/usr/bin/env"))


@dataclass(frozen=True)
class FlagSpec:
    name: str
    type: str  # bool, string, int, float
    default: object
    since: str


@lru_cache(maxsize=1)
def flag_table() -> dict[str, FlagSpec]:
    data = load_json("headlamp_flags.json")
    return {f["name"]: FlagSpec(f["name"], f["type"], f["default"], f["since"]) for f in data["flags"]}


@lru_cache(maxsize=1)
def non_flag_env() -> frozenset[str]:
    return frozenset(load_json("headlamp_flags.json")["non_flag_env"])


def suggest_flag(name: str) -> str | None:
    import difflib  # only for an unknown flag

    close = difflib.get_close_matches(name, list(flag_table()), n=1, cutoff=0.6)
    return close[0] if close else None


@dataclass(frozen=True)
class Setting:
    """One server flag's effective value and where it was set.

    ``value`` is typed (bool/int/float/str) or None when it cannot be known
    offline (from a Secret or ConfigMap, or an invalid boolean). ``raw`` is
    the text after ``$(VAR)`` expansion. ``from_secret`` is true when the
    value comes from a Secret reference.
    """

    flag: str
    value: object
    raw: str
    fact: Located
    via: str  # "arg", "env" or "image"
    env_name: str | None = None
    from_secret: bool = False
    literal: bool = True  # the text is written in the manifest or values, not referenced
    refs: tuple[str, ...] = ()  # env vars expanded into the value by $(VAR)

    def describe(self) -> str:
        """Where the setting comes from, in a few words, for messages."""
        if self.fact.origin is Origin.CHART_DEFAULT:
            return f"chart default {self.fact.key}"
        if self.fact.origin is Origin.VALUES:
            return f"values key {self.fact.key}"
        if self.via == "env":
            return f"env {self.env_name}"
        if self.via == "image":
            return "the image's entrypoint"
        return f"arg {self.fact.value}"


@dataclass(frozen=True)
class UnknownFlag:
    text: str  # the flag or env name as written
    via: str  # "arg" or "env"
    fact: Located
    suggestion: str | None


@dataclass(frozen=True)
class ServerSettings:
    settings: dict[str, Setting]
    unknown: tuple[UnknownFlag, ...]
    analysable: bool = True  # False when the command is a shell script we do not interpret

    def get(self, flag: str) -> Setting | None:
        return self.settings.get(flag)

    def enabled(self, flag: str) -> bool:
        setting = self.settings.get(flag)
        return setting is not None and setting.value is True

    def is_set(self, flag: str) -> bool:
        """Given a non-empty value, or a value we cannot see (from a Secret, ConfigMap or envFrom)."""
        setting = self.settings.get(flag)
        return setting is not None and (
            setting.from_secret or not setting.literal or setting.value not in (None, "", False)
        )

    @property
    def in_cluster(self) -> bool:
        return self.enabled("in-cluster")


def _refs(text: str) -> tuple[str, ...]:
    """The env var names a ``$(VAR)`` text references."""
    return tuple(m.group(1) for m in _VAR.finditer(text) if m.group(1))


def _expand(text: str, env: dict[str, tuple[str | None, bool]]) -> tuple[str, bool, bool]:
    """Expand ``$(VAR)``: (text, any var from a Secret, all parts literal)."""
    from_secret = False
    literal = True

    def replace(match: re.Match) -> str:
        nonlocal from_secret, literal
        if match.group(0) == "$$":
            return "$"
        name = match.group(1)
        if name not in env:
            # Not a literal: Kubernetes leaves it verbatim, and with envFrom it
            # is most likely filled from the referenced Secret or ConfigMap.
            literal = False
            return match.group(0)
        value, secret = env[name]
        if value is None:
            literal = False
            from_secret = from_secret or secret
            return match.group(0)
        return value

    return _VAR.sub(replace, text), from_secret, literal


def _parse_value(spec: FlagSpec, raw: str) -> object:
    if spec.type == "bool":
        if raw in _TRUE:
            return True
        if raw in _FALSE:
            return False
        return None
    if spec.type == "int":
        try:
            return int(raw)
        except ValueError:
            return None
    if spec.type == "float":
        try:
            return float(raw)
        except ValueError:
            return None
    return raw


def _env_table(container: Container) -> dict[str, tuple[str | None, bool]]:
    """Env name → (literal value or None, comes from a Secret)."""
    table: dict[str, tuple[str | None, bool]] = {}
    for var in container.env:
        if var.source is None:
            table[var.name] = (var.value.value if var.value.value is not None else "", False)
        else:
            table[var.name] = (None, var.source == "secretKeyRef")
    return table


def _secret_env_from(container: Container) -> bool:
    return any(e.kind == "secretRef" for e in container.env_from)


def server_settings(container: Container) -> ServerSettings:
    table = flag_table()
    env = _env_table(container)
    unknown: list[UnknownFlag] = []
    settings: dict[str, Setting] = {}

    # Environment first: explicit flags override it below.
    for var in container.env:
        if not var.name.startswith(ENV_PREFIX):
            continue
        flag = var.name[len(ENV_PREFIX):].lower().replace("_", "-")
        from_values = var.value.origin in (Origin.VALUES, Origin.CHART_DEFAULT)
        fact = Located(
            var.name,
            var.location,
            var.value.origin if from_values else Origin.MANIFEST,
            var.value.key if from_values else var.name,
        )
        spec = table.get(flag)
        if spec is None:
            if var.name not in non_flag_env():
                unknown.append(UnknownFlag(var.name, "env", fact, _env_suggestion(flag)))
            continue
        if var.source is None:
            raw, secret, literal = _expand(var.value.value or "", env)
            settings[flag] = Setting(
                flag, _parse_value(spec, raw) if literal else None, raw, fact, "env", var.name, secret, literal,
                _refs(var.value.value or ""),
            )
        else:
            settings[flag] = Setting(
                flag, None, "", fact, "env", var.name, var.source == "secretKeyRef", literal=False
            )

    argv: list[Located] = []
    analysable = True
    if container.command:
        first = container.command[0].value
        if first.rsplit("/", 1)[-1] in {s.rsplit("/", 1)[-1] for s in SHELLS}:
            analysable = False
        argv = list(container.command[1:]) + list(container.args)
    else:
        entry = load_json("headlamp_flags.json")["image_entrypoint_args"]
        for index in range(0, len(entry), 2):
            name = entry[index].lstrip("-")
            settings[name] = Setting(
                name, entry[index + 1], entry[index + 1],
                Located(entry[index], container.anchor, Origin.DERIVED, "image entrypoint"), "image",
            )
        argv = list(container.args)

    if analysable:
        _parse_args(argv, env, table, settings, unknown, _secret_env_from(container))
    return ServerSettings(settings, tuple(unknown), analysable)


def _env_suggestion(flag: str) -> str | None:
    close = suggest_flag(flag)
    return ENV_PREFIX + close.upper().replace("-", "_") if close else None


def _parse_args(
    argv: list[Located],
    env: dict[str, tuple[str | None, bool]],
    table: dict[str, FlagSpec],
    settings: dict[str, Setting],
    unknown: list[UnknownFlag],
    secret_env_from: bool,
) -> None:
    index = 0
    while index < len(argv):
        token = argv[index]
        text, secret, literal = _expand(token.value, env)
        if not literal and not secret and secret_env_from and "$(" in text:
            secret = True
        index += 1
        if text == "--" or not text.startswith("-") or text == "-":
            return  # Go's flag package stops at the first non-flag argument
        name = text[2:] if text.startswith("--") else text[1:]
        value: str | None = None
        if "=" in name:
            name, value = name.split("=", 1)
        spec = table.get(name)
        if spec is None:
            unknown.append(UnknownFlag(text.split("=", 1)[0], "arg", token, suggest_flag(name)))
            continue
        refs = _refs(token.value)
        if value is None:
            if spec.type == "bool":
                value = "true"
            elif index < len(argv):
                value_token = argv[index]
                refs += _refs(value_token.value)
                value, value_secret, value_literal = _expand(value_token.value, env)
                secret = secret or value_secret
                literal = literal and value_literal
                index += 1
            else:
                value = ""
        # A value that is not all literal text (a Secret, ConfigMap or unresolved $(VAR)) is unknown offline.
        parsed = _parse_value(spec, value) if literal else None
        settings[name] = Setting(name, parsed, value, token, "arg", None, secret, literal, refs)
