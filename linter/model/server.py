"""Headlamp server settings: the effective flags of a Headlamp container.

Flags come from ``command`` + ``args`` (Go ``flag`` syntax: ``-x`` or
``--x``, ``-x=v`` or ``-x v``, booleans ``-x`` / ``-x=true|false|1|0``;
parsing stops at the first non-flag argument or ``--``) and from
``HEADLAMP_CONFIG_<FLAG>`` environment variables; an explicit flag beats
the env var. The environment is the container's as Kubernetes resolves it
(``linter.model.env_sources``): literal values, and values read from the
Secrets and ConfigMaps of the input (``secretKeyRef``, ``configMapKeyRef``,
``envFrom`` with its prefix), which are known and located at the object's
entry; a reference to an object not in the input is "set, value unknown"
(and known to come from a Secret for ``secretKeyRef`` / ``envFrom``
``secretRef``). ``$(VAR)`` references expand from that environment. Without
a ``command`` the image's entrypoint supplies ``-html-static-dir`` and
``-plugins-dir``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from linter.data import load_json
from linter.located import Located, Origin
from linter.model.env_sources import EnvSources, EnvValue
from linter.model.workloads import Container
from linter.records import field, record

ENV_PREFIX = "HEADLAMP_CONFIG_"
_VAR = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_TRUE = frozenset(("1", "t", "T", "TRUE", "true", "True"))
_FALSE = frozenset(("0", "f", "F", "FALSE", "false", "False"))
SHELLS = frozenset(("sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash", "/usr/bin/env"))


@record(frozen=True)
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


@record(frozen=True)
class Setting:
    """One server flag's effective value and where it was set.

    ``value`` is typed (bool/int/float/str) or None when it cannot be known
    offline (from a Secret or ConfigMap not in the input, or an invalid
    boolean). ``raw`` is the text after ``$(VAR)`` expansion. ``from_secret``
    is true when the value comes from a Secret reference.
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
    # The variables whose values were read from Secrets or ConfigMaps of the input (their entries are
    # where the text is written), and whether the whole text is known (literal or so read).
    resolved: tuple[EnvValue, ...] = ()
    known: bool = True

    @property
    def source(self) -> Located | None:
        """The Secret or ConfigMap entry that holds the value, when it was read from one."""
        return self.resolved[0].source if self.resolved else None

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

    def held_in(self) -> str:
        """``, read from Secret ns/name key k``: the objects of the input the value was read from; empty if none."""
        return f", read from {', '.join(v.via for v in self.resolved)}" if self.resolved else ""


@record(frozen=True)
class UnknownFlag:
    text: str  # the flag or env name as written
    via: str  # "arg" or "env"
    fact: Located
    suggestion: str | None


@record(frozen=True)
class ServerSettings:
    settings: dict[str, Setting]
    unknown: tuple[UnknownFlag, ...]
    analysable: bool = True  # False when the command is a shell script we do not interpret
    environment: dict[str, EnvValue] = field(default_factory=dict)  # the container's env, resolved

    def get(self, flag: str) -> Setting | None:
        return self.settings.get(flag)

    def enabled(self, flag: str) -> bool:
        setting = self.settings.get(flag)
        return setting is not None and setting.value is True

    def is_set(self, flag: str) -> bool:
        """Given a non-empty value, or a value we cannot see (from a Secret, ConfigMap or envFrom not in the input)."""
        setting = self.settings.get(flag)
        return setting is not None and (not setting.known or setting.value not in (None, "", False))

    @property
    def in_cluster(self) -> bool:
        return self.enabled("in-cluster")


def _refs(text: str) -> tuple[str, ...]:
    """The env var names a ``$(VAR)`` text references."""
    return tuple(m.group(1) for m in _VAR.finditer(text) if m.group(1))


@record(frozen=True)
class _Expanded:
    text: str
    from_secret: bool  # a part comes from a Secret (read or not)
    literal: bool  # every part is written in the container itself
    known: bool  # every part is known: literal, or read from a Secret/ConfigMap of the input
    resolved: tuple[EnvValue, ...]  # the variables read from Secrets/ConfigMaps of the input


def _expand(text: str, env: dict[str, EnvValue]) -> _Expanded:
    """Expand ``$(VAR)`` as the kubelet does (an undefined variable stays verbatim, ``$$`` is ``$``)."""
    from_secret = False
    literal = known = True
    resolved: list[EnvValue] = []

    def replace(match: re.Match) -> str:
        nonlocal from_secret, literal, known
        if match.group(0) == "$$":
            return "$"
        var = env.get(match.group(1))
        if var is None:
            # Not a literal: Kubernetes leaves it verbatim, and with envFrom it
            # is most likely filled from a referenced Secret or ConfigMap not in the input.
            literal = known = False
            return match.group(0)
        from_secret = from_secret or var.from_secret
        if not var.literal:
            literal = False
        if var.text is None:
            known = False
            return match.group(0)
        if var.source is not None and var not in resolved:
            resolved.append(var)
        return var.text

    expanded = _VAR.sub(replace, text)
    return _Expanded(expanded, from_secret, literal, known, tuple(resolved))


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


def _secret_env_from(container: Container) -> bool:
    return any(e.kind == "secretRef" for e in container.env_from)


def server_settings(container: Container, environment: dict[str, EnvValue] | None = None) -> ServerSettings:
    """The container's effective flags; ``environment`` is its env as Kubernetes resolves it
    (``EnvSources.environment``: with the Secrets and ConfigMaps of the input), else its own env alone."""
    table = flag_table()
    env = environment if environment is not None else EnvSources.none().environment(container, None)
    unknown: list[UnknownFlag] = []
    settings: dict[str, Setting] = {}
    declared = {var.name: var for var in container.env}

    # Environment first: explicit flags override it below. env entries, then what envFrom adds.
    names = [var.name for var in container.env] + [name for name in env if name not in declared]
    for name in names:
        if not name.startswith(ENV_PREFIX) or name not in env:
            continue
        var = env[name]
        own = declared.get(name)
        flag = name[len(ENV_PREFIX):].lower().replace("_", "-")
        if own is not None:
            from_values = own.value.origin in (Origin.VALUES, Origin.CHART_DEFAULT)
            fact = Located(
                name,
                own.location,
                own.value.origin if from_values else Origin.MANIFEST,
                own.value.key if from_values else name,
            )
        else:  # from envFrom: the name is the key of the Secret or ConfigMap
            assert var.source is not None
            fact = Located(name, var.source.location, var.source.origin, var.source.key)
        spec = table.get(flag)
        if spec is None:
            if name not in non_flag_env():
                unknown.append(UnknownFlag(name, "env", fact, _env_suggestion(flag)))
            continue
        if own is not None and own.source is None:
            done = _expand(own.value.value or "", env)
            settings[flag] = Setting(
                flag, _parse_value(spec, done.text) if done.known else None, done.text, fact, "env", name,
                done.from_secret, done.literal, _refs(own.value.value or ""), done.resolved, done.known,
            )
        elif var.text is not None:  # read from a Secret or ConfigMap of the input
            settings[flag] = Setting(
                flag, _parse_value(spec, var.text), var.text, fact, "env", name, var.from_secret, False, (),
                (var,), True,
            )
        else:
            settings[flag] = Setting(flag, None, "", fact, "env", name, var.from_secret, False, known=False)

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
    return ServerSettings(settings, tuple(unknown), analysable, env)


def _env_suggestion(flag: str) -> str | None:
    close = suggest_flag(flag)
    return ENV_PREFIX + close.upper().replace("-", "_") if close else None


def _parse_args(
    argv: list[Located],
    env: dict[str, EnvValue],
    table: dict[str, FlagSpec],
    settings: dict[str, Setting],
    unknown: list[UnknownFlag],
    secret_env_from: bool,
) -> None:
    index = 0
    while index < len(argv):
        token = argv[index]
        done = _expand(token.value, env)
        text, secret, literal, known, resolved = done.text, done.from_secret, done.literal, done.known, done.resolved
        if not known and not secret and secret_env_from and "$(" in text:
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
                after = _expand(value_token.value, env)
                value = after.text
                secret = secret or after.from_secret
                literal = literal and after.literal
                known = known and after.known
                resolved += tuple(v for v in after.resolved if v not in resolved)
                index += 1
            else:
                value = ""
        # A value not known offline (a Secret or ConfigMap not in the input, an unresolved $(VAR)) is None.
        parsed = _parse_value(spec, value) if known else None
        settings[name] = Setting(name, parsed, value, token, "arg", None, secret, literal, refs, resolved, known)
