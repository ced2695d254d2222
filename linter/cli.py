"""Command line: options → Settings → engine → reporter → exit code, on typer.

Each command is a function whose signature declares its options (typer turns
it into a click command); options that several commands share are declared
once, as ``Annotated`` aliases below. Their help panels group ``--help``.
Registering one more command is one ``@app.command(...)`` function.

Exceptions become exit codes in one place, ``main``: click's usage errors and
our LintErrors print one line ``headlamp-lint: error: ...`` and exit 2; a
closed standard output ends the run quietly (exit 141, as a process killed by
SIGPIPE); anything else is an internal error, printed as one line unless
``--debug`` asks for the traceback.

Only typer (with click) and ``linter.errors`` are imported here; each command
imports the rest when it runs, so ``--help`` and ``--version`` never load the
engine, the rules, jsonschema, jinja2 or ruamel.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, Optional

import click
import typer
from typer.core import TyperCommand, TyperGroup

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
COMPLETE_VAR = "_HEADLAMP_LINT_COMPLETE"  # click's shell completion asks through this variable
BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1`

# Help panels (sections of a command's --help), in the order they are shown.
OUTPUT, SELECTION, INPUT, VALUES, CONFIG, FIXES, RUN = (
    "Output", "Rule selection", "Input files", "Helm values", "Configuration and baseline", "Fixes", "Run",
)
PANELS = (OUTPUT, SELECTION, INPUT, VALUES, CONFIG, FIXES, RUN)
# Help panels of the top-level command list.
LINTING, RULES_AND_DATA, SET_UP = "Linting", "Rules and data", "Set-up and integrations"


def _sections(records: list[tuple[str, tuple[str, str]]], order: tuple[str, ...]) -> list[tuple[str, list]]:
    """(panel, help record) pairs grouped by panel: known panels in ``order``, then the others as met."""
    panels: dict[str, list] = {}
    for panel, record in records:
        panels.setdefault(panel, []).append(record)
    names = [p for p in order if p in panels] + [p for p in panels if p not in order]
    return [(name, panels[name]) for name in names]


class Command(TyperCommand):
    """A subcommand whose --help lists its arguments, then its options grouped by help panel."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # click leaves some (an option without its value) without a context
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                records.append(("Arguments", record))
            else:
                records.append((getattr(param, "rich_help_panel", None) or "Options", record))
        for name, rows in _sections(records, ("Arguments", *PANELS)):
            with formatter.section(name):
                formatter.write_dl(rows)


class Group(TyperGroup):
    """The top level: commands listed by panel with their whole first line; one-line usage errors."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                records.append((getattr(cmd, "rich_help_panel", None) or "Commands", (name, summary(cmd))))
        for panel, rows in _sections(records, (LINTING, RULES_AND_DATA, SET_UP)):
            with formatter.section(panel):
                formatter.write_dl(rows)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(f"unknown command {name!r} (choose from {', '.join(self.list_commands(ctx))})", ctx)
        return super().resolve_command(ctx, args)


def summary(cmd: click.Command) -> str:
    """A command's one-line description: the first paragraph of its docstring."""
    return " ".join((cmd.help or "").strip().split("\n\n")[0].split())


def _print_version(value: bool) -> None:
    if value:
        click.echo(f"{PROG} {__version__}")
        raise typer.Exit(0)


app = typer.Typer(
    name=PROG,
    cls=Group,
    help=DESCRIPTION,
    epilog=f"Run '{PROG} COMMAND --help' for a command's options.",
    add_completion=True,
    rich_markup_mode=None,  # plain click help and errors, even where rich happens to be installed
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _top(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version.",
                     show_default=False),
    ] = False,
) -> None:
    """What comes before the command: --version, --help and shell completion."""


def command(name: str, panel: str):
    """Register the decorated function as the subcommand ``name``, listed under ``panel``."""
    return app.command(name, cls=Command, rich_help_panel=panel)


def _option(*flags: str, help: str, panel: str | None = None, **settings: Any) -> Any:
    """A typer option that shows no automatic ``[default: ...]`` (the help texts say their defaults)."""
    return typer.Option(*flags, help=help, show_default=False, rich_help_panel=panel, **settings)


def _choice(*values: str) -> click.Choice:
    return click.Choice(values)


# Options that check and config share (they feed the same configuration merge, ``_overrides``).
Select = Annotated[Optional[list[str]], _option(
    "--select", metavar="RULES", panel=SELECTION,
    help="Rules to enable: ids, names or prefixes (HL4), comma-separated, repeatable. Default: all.")]
ExtendSelect = Annotated[Optional[list[str]], _option(
    "--extend-select", metavar="RULES", panel=SELECTION, help="Rules to enable on top of the configured selection.")]
Ignore = Annotated[Optional[list[str]], _option(
    "--ignore", metavar="RULES", panel=SELECTION, help="Rules to disable, like --select.")]
FailLevel = Annotated[Optional[str], _option(
    "--fail-level", click_type=_choice(*FAIL_LEVELS), panel=SELECTION,
    help="Exit 1 when a finding is at or above this severity. Default: warning.")]
AllWorkloads = Annotated[Optional[bool], _option(
    "--all-workloads/--no-all-workloads", panel=SELECTION,
    help="Apply container, RBAC and network rules to every workload, not only Headlamp.")]
Exclude = Annotated[Optional[list[str]], _option(
    "--exclude", metavar="GLOB", panel=INPUT, help="Glob of paths to skip (repeatable).")]
ChartVersion = Annotated[Optional[str], _option(
    "--chart-version", metavar="VERSION", panel=VALUES,
    help="Headlamp chart version for values files. Default: Chart.yaml, else newest.")]
ConfigPath = Annotated[Optional[Path], _option(
    "--config", metavar="PATH", panel=CONFIG,
    help="Use this configuration file instead of searching for .headlamp-lint.yaml / pyproject.toml.")]
Isolated = Annotated[bool, _option(
    "--isolated", panel=CONFIG, help="Ignore configuration files; use only the defaults and the command line.")]
ListingFormat = Annotated[str, _option(
    "-f", "--output-format", click_type=_choice(*LISTING_FORMATS), help="full (default) or json.")]


@command("check", LINTING)
def check(
    paths: Annotated[Optional[list[str]], typer.Argument(
        metavar="PATH...", show_default=False,
        help="Files or directories to lint ('-' for stdin). Default: .")] = None,
    output_format: Annotated[Optional[list[str]], _option(
        "-f", "--output-format", metavar="FORMAT[=PATH]", panel=OUTPUT,
        help="Output format, repeatable; FORMAT=PATH writes that format to a file: full (default), concise, json,"
        " sarif, github, gitlab, junit, html, markdown.")] = None,
    output_file: Annotated[Optional[Path], _option(
        "-o", "--output-file", metavar="PATH", panel=OUTPUT,
        help="Write the report of the one format without =PATH to this file.")] = None,
    exit_zero: Annotated[bool, _option(
        "--exit-zero", panel=OUTPUT, help="Exit 0 even when there are findings.")] = False,
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    fail_level: FailLevel = None,
    all_workloads: AllWorkloads = None,
    exclude: Exclude = None,
    chart_version: ChartVersion = None,
    stdin_filename: Annotated[Optional[str], _option(
        "--stdin-filename", metavar="PATH", panel=INPUT, help="Path to show for stdin input.")] = None,
    max_file_size: Annotated[Optional[int], _option(
        "--max-file-size", metavar="BYTES", panel=INPUT,
        help="Skip (and report) files larger than this many bytes. Default: 10 MiB.")] = None,
    follow_symlinks: Annotated[Optional[bool], _option(
        "--follow-symlinks", panel=INPUT,
        help="Follow symbolic links that lead out of the given directories.")] = None,
    config: ConfigPath = None,
    isolated: Isolated = False,
    baseline: Annotated[Optional[Path], _option(
        "--baseline", metavar="PATH", panel=CONFIG, help="Hide the findings recorded in this baseline file.")] = None,
    write_baseline: Annotated[Optional[Path], _option(
        "--write-baseline", metavar="PATH", panel=CONFIG,
        help="Record the current findings in this baseline file and exit 0.")] = None,
    color: Annotated[str, _option(
        "--color", click_type=_choice(*COLOR_MODES), panel=OUTPUT,
        help="Colour the full output. Default: auto.")] = "auto",
    now: Annotated[Optional[str], _option(
        "--now", metavar="WHEN", panel=RUN,
        help="Fix the clock (ISO date or date-time, UTC unless an offset is given) for certificate checks and the"
        " age of the release data (HL607).")] = None,
    cert_expiry_days: Annotated[Optional[int], _option(
        "--cert-expiry-days", metavar="DAYS", panel=SELECTION,
        help="Warn when a certificate expires within this many days (HL206; default 30).")] = None,
    fix: Annotated[bool, _option(
        "--fix", panel=FIXES, help="Apply safe fixes in place, then report what remains.")] = False,
    unsafe_fixes: Annotated[bool, _option(
        "--unsafe-fixes", panel=FIXES, help="With --fix or --diff, also apply fixes that may change behaviour.")] = False,
    diff: Annotated[bool, _option(
        "--diff", panel=FIXES, help="Print the fixes as a unified diff; write nothing (exit 1 if any).")] = False,
    debug: Annotated[bool, _option("--debug", panel=RUN, help="Show tracebacks of internal errors.")] = False,
    values: Annotated[Optional[list[str]], _option(
        "--values", metavar="FILE", panel=VALUES,
        help="Headlamp Helm values file (repeatable; layered in order like helm -f a -f b).")] = None,
    release_name: Annotated[str, _option(
        "--release-name", metavar="NAME", panel=VALUES,
        help="Helm release name for values files. Default: headlamp.")] = "headlamp",
    namespace: Annotated[str, _option(
        "--namespace", metavar="NAMESPACE", panel=VALUES,
        help="Release namespace (and objects' default). Default: default.")] = "default",
    values_glob: Annotated[Optional[list[str]], _option(
        "--values-glob", metavar="GLOB", panel=VALUES,
        help="Glob of paths to read as Headlamp values whatever their name (repeatable).")] = None,
    jobs: Annotated[Optional[int], _option(
        "-j", "--jobs", metavar="N", panel=RUN,
        help="Processes for parsing and per-file work on large inputs (small ones use one). Default: one per CPU.")]
    = None,
    no_cache: Annotated[bool, _option(
        "--no-cache", panel=RUN, help="Neither read nor write the cache of per-file work (.headlamp-lint-cache/).")]
    = False,
) -> int:
    """Lint files and directories; print findings; exit 0 (clean), 1 (findings) or 2 (error)."""
    return _check(SimpleNamespace(**locals()))


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


def _overrides(args: SimpleNamespace, max_file_size: int | None = None, follow_symlinks: bool | None = None):
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


def _check_settings(args: SimpleNamespace):
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


def _check(args: SimpleNamespace) -> int:
    """The check command's work, on its parsed options."""
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



@command("config", LINTING)
def show_config(
    output_format: ListingFormat = "full",
    select: Select = None,
    extend_select: ExtendSelect = None,
    ignore: Ignore = None,
    fail_level: FailLevel = None,
    all_workloads: AllWorkloads = None,
    exclude: Exclude = None,
    chart_version: ChartVersion = None,
    config: ConfigPath = None,
    isolated: Isolated = False,
) -> int:
    """Print the effective configuration and where each value comes from (default, file:line, command line)."""
    from linter.config import effective_json, load_effective, render_effective

    args = SimpleNamespace(**locals())
    effective = load_effective(_overrides(args), config, isolated)
    sys.stdout.write(effective_json(effective) if output_format == "json" else render_effective(effective))
    return 0


@command("init", SET_UP)
def init(
    path: Annotated[Path, _option(
        "--path", help="Where to write the configuration. Default: .headlamp-lint.yaml.")] = Path(".headlamp-lint.yaml"),
    force: Annotated[bool, _option("--force", help="Overwrite an existing file.")] = False,
) -> int:
    """Write a commented starter configuration (.headlamp-lint.yaml)."""
    from linter.config import starter_config

    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    try:
        path.write_text(starter_config(), encoding="utf-8")
    except OSError as exc:
        raise LintError(f"{path}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {path}")
    return 0


@command("harden-values", SET_UP)
def harden_values(
    chart_version: Annotated[Optional[str], _option(
        "--chart-version", metavar="VERSION",
        help="Chart version to write values for (default: the newest known; 0.40.0+).")] = None,
) -> int:
    """Print a commented, hardened starter values file for the Headlamp chart."""
    from linter.harden import harden_values as build

    sys.stdout.write(build(chart_version))
    return 0


@command("problem-matcher", SET_UP)
def problem_matcher(
    kind: Annotated[str, typer.Argument(
        metavar="KIND", click_type=_choice(*MATCHER_KINDS), show_default=False,
        help="github (for ::add-matcher::) or vscode (for tasks.json).")],
) -> int:
    """Print the problem matcher that reads `check -f concise` output."""
    from importlib.resources import files

    sys.stdout.write(files("linter.data").joinpath(f"problem-matcher-{kind}.json").read_text(encoding="utf-8"))
    return 0


@command("server", SET_UP)
def server(stdio: Annotated[bool, _option(
        "--stdio", help="Speak over standard input and output (the default and only transport).")] = False) -> int:
    """Run the language server (LSP) for editors; needs the lsp extra: pip install 'headlamp-lint[lsp]'."""
    try:
        from linter.lsp.server import serve
    except ImportError as exc:
        raise LintError(f"the language server needs pygls ({exc}); install it with: pip install 'headlamp-lint[lsp]'")
    serve()
    return 0


@command("rules", RULES_AND_DATA)
def list_rules(output_format: ListingFormat = "full") -> int:
    """List every rule: id, name, default severity, section and title."""
    import json

    from linter.rules import all_rules

    rules = all_rules()
    if output_format == "json":
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


@command("data", RULES_AND_DATA)
def data(
    output_format: ListingFormat = "full",
    now: Annotated[Optional[str], _option(
        "--now", metavar="WHEN", help="ISO date to measure the data's age from; default: now.")] = None,
) -> int:
    """Print the shipped release and advisory data: its date, the newest known releases, the advisories."""
    import datetime as dt

    from linter.data_report import render_data
    from linter.releases import release_data
    from linter.settings import parse_now

    when = parse_now(now) if now is not None else dt.datetime.now(dt.timezone.utc)
    sys.stdout.write(render_data(release_data(), when, "json" if output_format == "json" else "full"))
    return 0


@command("explain", RULES_AND_DATA)
def explain(
    rule: Annotated[str, typer.Argument(
        metavar="RULE", show_default=False, help="A rule id (HL401) or name (run-as-root).")],
) -> int:
    """Print a rule's documentation."""
    from linter.rules import find_rule, suggest_rule

    found = find_rule(rule)
    if found is None:
        hint = suggest_rule(rule)
        raise UsageError(f"unknown rule {rule!r}" + (f"; did you mean {hint}?" if hint else ""))
    meta = found.meta
    print(f"# {meta.id} {meta.name}: {meta.title}\n")
    print(f"Default severity: {meta.severity}. Section: {meta.section}. Fix: {meta.fix or 'none'}.\n")
    print(found.doc)
    return 0


def cli() -> click.Group:
    """The click command typer builds from ``app``."""
    return typer.main.get_command(app)


def _usage_line(exc: click.UsageError) -> str:
    """A click usage error as our one line: its message and where to read the command's help."""
    where = exc.ctx.command_path if exc.ctx is not None else PROG
    message = " ".join(line.strip() for line in exc.format_message().splitlines())
    return f"{message} (see '{where} --help')"


def run(argv: list[str]) -> int:
    """Parse ``argv`` (without the program name), run the command and return its exit code."""
    group = cli()
    if not argv and not os.environ.get(COMPLETE_VAR):  # no command: the help, on standard error, a usage exit
        with group.make_context(PROG, [], resilient_parsing=True) as ctx:
            sys.stderr.write(group.get_help(ctx) + "\n")
        return 2
    try:
        code = group.main(argv, prog_name=PROG, standalone_mode=False)
    except click.UsageError as exc:
        raise UsageError(_usage_line(exc)) from None
    except click.ClickException as exc:  # e.g. a file option click could not open
        raise LintError(" ".join(exc.format_message().split())) from None
    except click.exceptions.Abort:
        return 130
    return code if isinstance(code, int) else 0


def _quiet_broken_pipe() -> int:
    """Standard output was closed by its reader (``| head -1``): end without a word and without the
    interpreter's own complaint when it flushes the dead stream at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's StringIO)
        pass
    return BROKEN_PIPE_EXIT


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the command line and map every exception to an exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        code = run(args)
        sys.stdout.flush()
    except LintError as exc:
        from linter.reporters.text import clean

        # One error per line (a config file can have several); each line escaped on its own.
        for line in str(exc).split("\n"):
            _err(f"headlamp-lint: error: {clean(line)}")
        code = exc.exit_code
    except BrokenPipeError:
        code = _quiet_broken_pipe()
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
