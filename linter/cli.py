"""Command line: options → Settings → engine → reporter → exit code.

The options of every command are declared once, in tables of ``Option``
below, and turned into standard-library ``argparse`` parsers. argparse, not
typer/click: their import and the building of commands from signatures cost
~120 ms on every run, and a one-file check has to finish within 150 ms.

Exceptions become exit codes in one place, ``main``: a LintError (usage
mistakes included) prints ``headlamp-lint: error: ...`` and exits 2;
anything else is an internal error, printed as one line unless ``--debug``
asks for the traceback.

Only the standard library pieces the parsers need and ``linter.errors`` are
imported here; each command imports the rest when it runs, so ``--help`` and
``--version`` never load the engine, the rules, jsonschema, jinja2 or ruamel.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from linter import __version__
from linter.errors import LintError, UsageError

PROG = "headlamp-lint"
DESCRIPTION = (
    "Lint Headlamp installations (Kubernetes manifests and Headlamp Helm values) against the Headlamp"
    " security hardening guide."
)
FAIL_LEVELS = ("error", "warning", "info")
COLOR_MODES = ("auto", "always", "never")
LISTING_FORMATS = ("full", "concise", "json")  # config, rules, data: json or anything else for text
MATCHER_KINDS = ("github", "vscode")


class Option:
    """One option or positional argument: its flags (or name) and the keywords for ``add_argument``."""

    __slots__ = ("flags", "settings")

    def __init__(self, *flags: str, **settings: object) -> None:
        self.flags = flags
        self.settings = settings

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(*self.flags, **self.settings)


def _path(text: str):
    """argparse ``type`` for paths; pathlib is imported only when a command that takes a path runs."""
    from pathlib import Path

    return Path(text)


def _flag(name: str, help: str) -> Option:
    return Option(name, action="store_true", help=help)


def _repeatable(name: str, metavar: str, help: str) -> Option:
    return Option(name, action="append", metavar=metavar, help=help)


# check and config feed these into the same configuration merge (``_overrides``).
OVERRIDE_OPTIONS = (
    _repeatable(
        "--select", "RULES", "Rules to enable: ids, names or prefixes (HL4), comma-separated, repeatable. Default: all."
    ),
    _repeatable("--extend-select", "RULES", "Rules to enable on top of the configured selection."),
    _repeatable("--ignore", "RULES", "Rules to disable, like --select."),
    Option(
        "--fail-level",
        choices=FAIL_LEVELS,
        help="Exit 1 when a finding is at or above this severity. Default: warning.",
    ),
    Option(
        "--all-workloads",
        action=argparse.BooleanOptionalAction,
        help="Apply container, RBAC and network rules to every workload, not only Headlamp.",
    ),
    _repeatable("--exclude", "GLOB", "Glob of paths to skip (repeatable)."),
    Option(
        "--chart-version",
        metavar="VERSION",
        help="Headlamp chart version for values files. Default: Chart.yaml, else newest.",
    ),
)
CONFIG_FILE_OPTIONS = (
    Option(
        "--config",
        type=_path,
        metavar="PATH",
        help="Use this configuration file instead of searching for .headlamp-lint.yaml / pyproject.toml.",
    ),
    _flag("--isolated", "Ignore configuration files; use only the defaults and the command line."),
)
LISTING_FORMAT_OPTION = Option(
    "-f", "--output-format", choices=LISTING_FORMATS, default="full", help="full (default) or json."
)

# check reads each of these as args.<dest>.
CHECK_OPTIONS = (
    Option("paths", nargs="*", metavar="PATH", help="Files or directories to lint ('-' for stdin). Default: ."),
    Option(
        "-f",
        "--output-format",
        action="append",
        metavar="FORMAT[=PATH]",
        help="Output format, repeatable; FORMAT=PATH writes that format to a file: full (default), concise, json,"
        " sarif, github, gitlab, junit, html, markdown.",
    ),
    Option(
        "-o",
        "--output-file",
        type=_path,
        metavar="PATH",
        help="Write the report of the one format without =PATH to this file.",
    ),
    _flag("--exit-zero", "Exit 0 even when there are findings."),
    *OVERRIDE_OPTIONS,
    Option("--stdin-filename", metavar="PATH", help="Path to show for stdin input."),
    Option(
        "--max-file-size",
        type=int,
        metavar="BYTES",
        help="Skip (and report) files larger than this many bytes. Default: 10 MiB.",
    ),
    Option(
        "--follow-symlinks",
        action="store_const",
        const=True,
        help="Follow symbolic links that lead out of the given directories.",
    ),
    *CONFIG_FILE_OPTIONS,
    Option("--baseline", type=_path, metavar="PATH", help="Hide the findings recorded in this baseline file."),
    Option(
        "--write-baseline",
        type=_path,
        metavar="PATH",
        help="Record the current findings in this baseline file and exit 0.",
    ),
    Option("--color", choices=COLOR_MODES, default="auto", help="Colour the full output. Default: auto."),
    Option(
        "--now",
        metavar="WHEN",
        help="Fix the clock (ISO date or date-time, UTC unless an offset is given) for certificate checks and the"
        " age of the release data (HL607).",
    ),
    Option(
        "--cert-expiry-days",
        type=int,
        metavar="DAYS",
        help="Warn when a certificate expires within this many days (HL206; default 30).",
    ),
    _flag("--fix", "Apply safe fixes in place, then report what remains."),
    _flag("--unsafe-fixes", "With --fix or --diff, also apply fixes that may change behaviour."),
    _flag("--diff", "Print the fixes as a unified diff; write nothing (exit 1 if any)."),
    _flag("--debug", "Show tracebacks of internal errors."),
    _repeatable("--values", "FILE", "Headlamp Helm values file (repeatable; layered in order like helm -f a -f b)."),
    Option(
        "--release-name",
        default="headlamp",
        metavar="NAME",
        help="Helm release name for values files. Default: headlamp.",
    ),
    Option(
        "--namespace",
        default="default",
        metavar="NAMESPACE",
        help="Release namespace (and objects' default). Default: default.",
    ),
    _repeatable(
        "--values-glob", "GLOB", "Glob of paths to read as Headlamp values whatever their name (repeatable)."
    ),
    Option(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="Processes for parsing and per-file work on large inputs (small ones use one). Default: one per CPU.",
    ),
    _flag("--no-cache", "Neither read nor write the cache of per-file work (.headlamp-lint-cache/)."),
)


Runner = Callable[[argparse.Namespace], int]  # a command: parsed options in, exit code out


class Command:
    """A subcommand: its name, the function that runs it (help text from its docstring) and its options."""

    __slots__ = ("name", "run", "options")

    def __init__(self, name: str, run: Runner, options: tuple[Option, ...]) -> None:
        self.name, self.run, self.options = name, run, options

    @property
    def help(self) -> str:
        return (self.run.__doc__ or "").strip()

    def parser(self) -> argparse.ArgumentParser:
        parser = _Parser(prog=f"{PROG} {self.name}", description=self.help, allow_abbrev=False)
        for option in self.options:
            option.add_to(parser)
        return parser


COMMANDS: dict[str, Command] = {}


def command(name: str, *options: Option) -> Callable[[Runner], Runner]:
    """Register the decorated function as the subcommand ``name`` taking ``options``."""

    def register(run: Runner) -> Runner:
        COMMANDS[name] = Command(name, run, options)
        return run

    return register


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are UsageErrors, so ``main`` prints them like every other error."""

    def error(self, message: str) -> None:  # never returns, as argparse requires
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _split(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def _use_color(mode: str, stream) -> bool:
    if mode == "always":
        return True
    if mode == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _err(line: str) -> None:
    print(line, file=sys.stderr)


def _overrides(args: argparse.Namespace, max_file_size: int | None = None, follow_symlinks: bool | None = None):
    """The ``OVERRIDE_OPTIONS`` (checked: known rules, sane sizes) for the configuration merge."""
    from linter.config import Overrides
    from linter.rules import all_rules
    from linter.settings import check_selectors

    known = [(r.id, r.name) for r in all_rules()]
    selects, extends, ignores = _split(args.select), _split(args.extend_select), _split(args.ignore)
    check_selectors(selects, known, "--select")
    check_selectors(extends, known, "--extend-select")
    check_selectors(ignores, known, "--ignore")
    if max_file_size is not None and max_file_size <= 0:
        raise UsageError("--max-file-size must be a positive number of bytes")
    return Overrides(
        select=selects,
        extend_select=extends,
        ignore=ignores,
        fail_level=args.fail_level,
        exclude=_split(args.exclude),
        all_workloads=args.all_workloads,
        chart_version=args.chart_version,
        max_file_size=max_file_size,
        follow_symlinks=follow_symlinks,
    )


def parse_outputs(specs: list[str], output_file):
    """``FORMAT[=PATH]`` specs → (format, file or None for stdout); at most one format goes to stdout."""
    from pathlib import Path

    from linter.reporters import REPORTERS

    outputs: list[tuple[str, Path | None]] = []
    for spec in specs:
        name, sep, target = spec.partition("=")
        name = name.strip().lower()
        if name not in REPORTERS:
            raise UsageError(f"--output-format: unknown format {name!r} (choose from {', '.join(REPORTERS)})")
        if sep and not target:
            raise UsageError(f"--output-format {spec!r}: the path after '=' is empty")
        outputs.append((name, Path(target) if sep and target != "-" else None))
    to_stdout = [name for name, target in outputs if target is None]
    if len(to_stdout) > 1:
        raise UsageError(
            f"--output-format: {' and '.join(to_stdout)} would both go to standard output; give all but one"
            " a path (FORMAT=PATH)"
        )
    targets = [str(target) for _, target in outputs if target is not None]
    shared = sorted({t for t in targets if targets.count(t) > 1})
    if shared:
        raise UsageError(f"--output-format: two formats would write {shared[0]}")
    if output_file is not None:
        if not to_stdout:
            raise UsageError("--output-file: every --output-format already has its own path")
        outputs = [(name, output_file if target is None else target) for name, target in outputs]
    return outputs


def _check_settings(args: argparse.Namespace):
    """The run's Settings: configuration files merged with the command line."""
    from dataclasses import replace

    from linter.config import load_effective, settings_kwargs
    from linter.settings import Settings, parse_now

    overrides = _overrides(args, args.max_file_size, args.follow_symlinks)
    effective = load_effective(overrides, args.config, args.isolated)
    baseline, write_baseline = args.baseline, args.write_baseline
    if baseline is not None and write_baseline is None and not baseline.is_file():
        raise UsageError(f"--baseline {baseline}: no such file")
    if args.cert_expiry_days is not None and args.cert_expiry_days < 0:
        raise UsageError("--cert-expiry-days must be zero or a positive number of days")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be a positive number of processes")
    settings = Settings(
        **settings_kwargs(effective),
        stdin_filename=args.stdin_filename,
        now=parse_now(args.now) if args.now is not None else None,
        debug=args.debug,
        # Writing a baseline records every current finding, so an old baseline is not applied then.
        baseline=str(baseline) if baseline is not None and write_baseline is None else None,
        jobs=args.jobs or 0,
        cache=not args.no_cache,
        digests=bool(args.fix or args.diff),  # fixes are planned from the bytes linted (checked unchanged)
    )
    if args.cert_expiry_days is not None:  # the command line beats the configuration file's HL206 option
        hl206 = {**settings.rule_options.get("HL206", {}), "cert-expiry-days": args.cert_expiry_days}
        settings = replace(settings, rule_options={**settings.rule_options, "HL206": hl206})
    groups = settings.values_groups
    return replace(
        settings,
        values_files=tuple(args.values or ()) or (groups[0] if groups else ()),
        release_name=args.release_name,
        default_namespace=args.namespace,
        file_kinds=settings.file_kinds + tuple((glob, "values") for glob in _split(args.values_glob)),
    )


@command("check", *CHECK_OPTIONS)
def check(args: argparse.Namespace) -> int:
    """Lint files and directories; print findings; exit 0 (clean), 1 (findings) or 2 (error)."""
    from linter.engine import lint_paths
    from linter.reporters import ReportOptions, render

    settings = _check_settings(args)
    outputs = parse_outputs(args.output_format or ["full"], args.output_file)
    paths = list(args.paths or ())
    result = lint_paths(paths, settings)
    if args.write_baseline is not None:
        from linter.baseline import write_baseline

        count = write_baseline(args.write_baseline, result.diagnostics)
        _err(f"headlamp-lint: note: wrote {count} findings to the baseline {args.write_baseline}")
        for error in result.errors:
            _err(f"headlamp-lint: error: {error}")
        return 2 if result.errors else 0
    if args.fix or args.diff:
        result, code = _apply_fixes(result, paths, settings, args.unsafe_fixes, write=not args.diff)
        if args.diff:
            return 2 if result.errors else code
    stream = sys.stdout
    for name, target in outputs:
        options = ReportOptions(
            color=target is None and name == "full" and _use_color(args.color, stream),
            fail_level=settings.fail_level,
        )
        text = render(name, result, options)
        if target is None:
            stream.write(text)
            continue
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise LintError(f"{target}: cannot write report: {exc.strerror or exc}") from None
    from linter.reporters.text import clean

    # Notes and errors name input paths, which may hold control characters.
    for note in result.notes:
        _err(f"headlamp-lint: note: {clean(note)}")
    for error in result.errors:
        _err(f"headlamp-lint: error: {clean(error)}")
    return result.exit_code(settings.fail_level, args.exit_zero)


def _apply_fixes(result, paths: list[str], settings, unsafe: bool, write: bool):
    """Plan fixes; print them (--diff) or write them and lint again (--fix)."""
    from pathlib import Path

    from linter.engine import lint_paths
    from linter.fix import fix_specs, plan_fixes, write_all

    planned = plan_fixes(result, fix_specs(unsafe))
    fixes = [f for f in planned if f.error is None]
    if not write:
        for file_fix in fixes:
            sys.stdout.write(file_fix.diff())
        result.errors.extend(f.message() for f in planned if f.error is not None)
        from linter.reporters.text import clean

        for error in result.errors:
            _err(f"headlamp-lint: error: {clean(error)}")
        count = sum(len(f.applied) for f in fixes)
        _err(f"headlamp-lint: {count} fix{'es' if count != 1 else ''} in {len(fixes)} file"
             f"{'s' if len(fixes) != 1 else ''} (not written)")
        return result, 1 if fixes else 0
    # A symbolic link is fixed only where its target lies inside the paths given (or the working directory).
    written, errors = write_all(planned, [Path(p) for p in paths if p != "-"] or [Path.cwd()])
    fixed = sum(len(f.applied) for f in written)
    _err(f"headlamp-lint: fixed {fixed} problem{'s' if fixed != 1 else ''}"
         f" in {len(written)} file{'s' if len(written) != 1 else ''}")
    again = lint_paths(paths, settings)
    again.errors.extend(errors)
    return again, 0


@command("config", LISTING_FORMAT_OPTION, *OVERRIDE_OPTIONS, *CONFIG_FILE_OPTIONS)
def show_config(args: argparse.Namespace) -> int:
    """Print the effective configuration and where each value comes from (default, file:line, command line)."""
    from linter.config import effective_json, load_effective, render_effective

    effective = load_effective(_overrides(args), args.config, args.isolated)
    sys.stdout.write(effective_json(effective) if args.output_format == "json" else render_effective(effective))
    return 0


@command(
    "init",
    Option(
        "--path",
        type=_path,
        default=".headlamp-lint.yaml",
        help="Where to write the configuration. Default: .headlamp-lint.yaml.",
    ),
    _flag("--force", "Overwrite an existing file."),
)
def init(args: argparse.Namespace) -> int:
    """Write a commented starter configuration (.headlamp-lint.yaml)."""
    from linter.config import starter_config

    path = args.path
    if path.exists() and not args.force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    try:
        path.write_text(starter_config(), encoding="utf-8")
    except OSError as exc:
        raise LintError(f"{path}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {path}")
    return 0


@command(
    "harden-values",
    Option(
        "--chart-version",
        metavar="VERSION",
        help="Chart version to write values for (default: the newest known; 0.40.0+).",
    ),
)
def harden_values(args: argparse.Namespace) -> int:
    """Print a commented, hardened starter values file for the Headlamp chart."""
    from linter.harden import harden_values as build

    sys.stdout.write(build(args.chart_version))
    return 0


@command(
    "problem-matcher",
    Option(
        "kind",
        choices=MATCHER_KINDS,
        metavar="KIND",
        help="github (for ::add-matcher::) or vscode (for tasks.json).",
    ),
)
def problem_matcher(args: argparse.Namespace) -> int:
    """Print the problem matcher that reads `check -f concise` output."""
    from importlib.resources import files

    sys.stdout.write(files("linter.data").joinpath(f"problem-matcher-{args.kind}.json").read_text(encoding="utf-8"))
    return 0


@command("rules", LISTING_FORMAT_OPTION)
def list_rules(args: argparse.Namespace) -> int:
    """List every rule: id, name, default severity, section and title."""
    import json

    from linter.rules import all_rules

    rules = all_rules()
    if args.output_format == "json":
        listing = [
            {
                "id": r.id,
                "name": r.name,
                "severity": str(r.meta.severity),
                "section": r.meta.section,
                "title": r.meta.title,
                "fix": r.meta.fix,
            }
            for r in rules
        ]
        print(json.dumps(listing, indent=2))
        return 0
    for r in rules:
        fix = f"  fix: {r.meta.fix}" if r.meta.fix else ""
        print(f"{r.id}  {r.name:<36} {str(r.meta.severity):<8} {r.meta.section:<28} {r.meta.title}{fix}")
    return 0


@command(
    "data",
    LISTING_FORMAT_OPTION,
    Option("--now", metavar="WHEN", help="ISO date to measure the data's age from; default: now."),
)
def data(args: argparse.Namespace) -> int:
    """Print the shipped release and advisory data: its date, the newest known releases, the advisories."""
    import datetime as dt

    from linter.data_report import render_data
    from linter.releases import release_data
    from linter.settings import parse_now

    when = parse_now(args.now) if args.now is not None else dt.datetime.now(dt.timezone.utc)
    sys.stdout.write(render_data(release_data(), when, "json" if args.output_format == "json" else "full"))
    return 0


@command("explain", Option("rule", metavar="RULE", help="A rule id (HL401) or name (run-as-root)."))
def explain(args: argparse.Namespace) -> int:
    """Print a rule's documentation."""
    from linter.rules import find_rule, suggest_rule

    found = find_rule(args.rule)
    if found is None:
        hint = suggest_rule(args.rule)
        raise UsageError(f"unknown rule {args.rule!r}" + (f"; did you mean {hint}?" if hint else ""))
    meta = found.meta
    print(f"# {meta.id} {meta.name}: {meta.title}\n")
    print(f"Default severity: {meta.severity}. Section: {meta.section}. Fix: {meta.fix or 'none'}.\n")
    print(found.doc)
    return 0


def _top_parser() -> argparse.ArgumentParser:
    """The parser for what comes before the command: --help, --version, and the list of commands."""
    width = max(len(name) for name in COMMANDS) + 2
    listing = "\n".join(f"  {name:<{width}}{cmd.help}" for name, cmd in COMMANDS.items())
    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [-h] [--version] COMMAND [ARGS]...",
        description=DESCRIPTION,
        epilog=f"commands:\n{listing}\n\nRun '{PROG} COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}", help="Print the version.")
    return parser


def run(argv: list[str]) -> int:
    """Parse ``argv`` (without the program name), run the command and return its exit code."""
    # The command is the first word that is not an option: the top level has no option taking a value.
    at = next((i for i, word in enumerate(argv) if not word.startswith("-")), len(argv))
    top = _top_parser()
    top.parse_args(argv[:at])  # --help and --version exit here; any other option is a usage error
    if at == len(argv):
        top.print_help(sys.stderr)
        return 2
    name = argv[at]
    if name not in COMMANDS:
        raise UsageError(f"unknown command {name!r} (choose from {', '.join(COMMANDS)}; see '{PROG} --help')")
    cmd = COMMANDS[name]
    # Intermixed, so that options may follow the paths (headlamp-lint check deploy/ -f json).
    return cmd.run(cmd.parser().parse_intermixed_args(argv[at + 1 :]))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line and map every exception to an exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        code = run(args)
    except LintError as exc:
        from linter.reporters.text import clean

        # One error per line (a config file can have several); each line escaped on its own.
        for line in str(exc).split("\n"):
            _err(f"headlamp-lint: error: {clean(line)}")
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # noqa: BLE001 - the one place internal errors become exit 2
        if "--debug" in args:
            raise
        _err(
            f"headlamp-lint: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback,"
            " and please report it)"
        )
        code = 2
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
