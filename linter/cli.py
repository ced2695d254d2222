"""Command line: options → Settings → engine → reporter → exit code.

Exceptions become exit codes in one place, ``main``: a LintError prints
one line and exits 2; anything else is an internal error, printed as one
line unless ``--debug`` asks for the traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import List, Optional

import click
import typer

from linter import __version__
from linter.errors import LintError, UsageError

app = typer.Typer(
    name="headlamp-lint",
    help="Lint Headlamp installations (Kubernetes manifests and Headlamp Helm values) against the Headlamp"
    " security hardening guide.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

class OutputFormat(str, Enum):
    full = "full"
    concise = "concise"
    json = "json"


class FailLevel(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"headlamp-lint {__version__}")
        raise typer.Exit(0)


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """headlamp-lint: offline checks for Headlamp installations."""


def _split(values: Optional[List[str]]) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return tuple(out)


def _use_color(mode: ColorMode, stream) -> bool:
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _overrides(
    select: Optional[List[str]],
    extend_select: Optional[List[str]],
    ignore: Optional[List[str]],
    fail_level: Optional[FailLevel],
    exclude: Optional[List[str]],
    all_workloads: Optional[bool],
    chart_version: Optional[str] = None,
    max_file_size: Optional[int] = None,
    follow_symlinks: Optional[bool] = None,
):
    """Command-line settings (checked: known rules, sane sizes) for the configuration merge."""
    from linter.config import Overrides
    from linter.rules import all_rules
    from linter.settings import check_selectors

    known = [(r.id, r.name) for r in all_rules()]
    selects, extends, ignores = _split(select), _split(extend_select), _split(ignore)
    check_selectors(selects, known, "--select")
    check_selectors(extends, known, "--extend-select")
    check_selectors(ignores, known, "--ignore")
    if max_file_size is not None and max_file_size <= 0:
        raise UsageError("--max-file-size must be a positive number of bytes")
    return Overrides(
        select=selects,
        extend_select=extends,
        ignore=ignores,
        fail_level=fail_level.value if fail_level is not None else None,
        exclude=_split(exclude),
        all_workloads=all_workloads,
        chart_version=chart_version,
        max_file_size=max_file_size,
        follow_symlinks=follow_symlinks,
    )


_CONFIG_HELP = "Use this configuration file instead of searching for .headlamp-lint.yaml / pyproject.toml."
_ISOLATED_HELP = "Ignore configuration files; use only the defaults and the command line."


def parse_outputs(specs: List[str], output_file: Optional[Path]) -> list[tuple[str, Optional[Path]]]:
    """``FORMAT[=PATH]`` specs → (format, file or None for stdout); at most one format goes to stdout."""
    from linter.reporters import REPORTERS

    outputs: list[tuple[str, Optional[Path]]] = []
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


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or directories to lint ('-' for stdin). Default: ."),
    output_format: Optional[List[str]] = typer.Option(
        None,
        "--output-format",
        "-f",
        metavar="FORMAT[=PATH]",
        help="Output format, repeatable; FORMAT=PATH writes that format to a file: full (default), concise, json,"
        " sarif, github, gitlab, junit, html, markdown.",
    ),
    output_file: Optional[Path] = typer.Option(
        None, "--output-file", "-o", help="Write the report of the one format without =PATH to this file."
    ),
    fail_level: Optional[FailLevel] = typer.Option(
        None, "--fail-level", help="Exit 1 when a finding is at or above this severity. Default: warning."
    ),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings."),
    select: Optional[List[str]] = typer.Option(
        None, "--select", help="Rules to enable: ids, names or prefixes (HL4), comma-separated. Default: all."
    ),
    extend_select: Optional[List[str]] = typer.Option(
        None, "--extend-select", help="Rules to enable on top of the configured selection."
    ),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Rules to disable, like --select."),
    all_workloads: Optional[bool] = typer.Option(
        None,
        "--all-workloads/--no-all-workloads",
        help="Apply container, RBAC and network rules to every workload, not only Headlamp.",
    ),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="Glob of paths to skip (repeatable)."),
    chart_version: Optional[str] = typer.Option(
        None, "--chart-version", help="Headlamp chart version for values files. Default: Chart.yaml, else newest."
    ),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Path to show for stdin input."),
    max_file_size: Optional[int] = typer.Option(
        None, "--max-file-size", help="Skip (and report) files larger than this many bytes. Default: 10 MiB."
    ),
    follow_symlinks: Optional[bool] = typer.Option(
        None, "--follow-symlinks", help="Follow symbolic links that lead out of the given directories."
    ),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    isolated: bool = typer.Option(False, "--isolated", help=_ISOLATED_HELP),
    baseline: Optional[Path] = typer.Option(
        None, "--baseline", help="Hide the findings recorded in this baseline file."
    ),
    write_baseline: Optional[Path] = typer.Option(
        None, "--write-baseline", help="Record the current findings in this baseline file and exit 0."
    ),
    color: ColorMode = typer.Option(ColorMode.auto, "--color", help="Colour the full output."),
    now: Optional[str] = typer.Option(
        None, "--now", help="Fix the clock (ISO date or date-time, UTC unless an offset is given) for certificate"
        " checks and the age of the release data (HL607).",
    ),
    cert_expiry_days: Optional[int] = typer.Option(
        None, "--cert-expiry-days", help="Warn when a certificate expires within this many days (HL206; default 30)."
    ),
    fix: bool = typer.Option(False, "--fix", help="Apply safe fixes in place, then report what remains."),
    unsafe_fixes: bool = typer.Option(
        False, "--unsafe-fixes", help="With --fix or --diff, also apply fixes that may change behaviour."
    ),
    diff: bool = typer.Option(False, "--diff", help="Print the fixes as a unified diff; write nothing (exit 1 if any)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of internal errors."),
    values: Optional[List[str]] = typer.Option(
        None, "--values", help="Headlamp Helm values file (repeatable; layered in order like helm -f a -f b)."
    ),
    release_name: str = typer.Option("headlamp", "--release-name", help="Helm release name for values files."),
    namespace: str = typer.Option("default", "--namespace", help="Release namespace (and objects' default)."),
    values_glob: Optional[List[str]] = typer.Option(
        None, "--values-glob", help="Glob of paths to read as Headlamp values whatever their name (repeatable)."
    ),
) -> None:
    """Lint files and directories; print findings; exit 0 (clean), 1 (findings) or 2 (error)."""
    from linter.config import load_effective, settings_kwargs
    from linter.engine import lint_paths
    from linter.reporters import ReportOptions, render
    from linter.settings import Settings, parse_now

    overrides = _overrides(
        select, extend_select, ignore, fail_level, exclude, all_workloads, chart_version, max_file_size,
        follow_symlinks,
    )
    effective = load_effective(overrides, config, isolated)
    if baseline is not None and write_baseline is None and not baseline.is_file():
        raise UsageError(f"--baseline {baseline}: no such file")
    if cert_expiry_days is not None and cert_expiry_days < 0:
        raise UsageError("--cert-expiry-days must be zero or a positive number of days")
    settings = Settings(
        **settings_kwargs(effective),
        stdin_filename=stdin_filename,
        now=parse_now(now) if now is not None else None,
        debug=debug,
        # Writing a baseline records every current finding, so an old baseline is not applied then.
        baseline=str(baseline) if baseline is not None and write_baseline is None else None,
    )
    if cert_expiry_days is not None:  # the command line beats the configuration file's HL206 option
        hl206 = {**settings.rule_options.get("HL206", {}), "cert-expiry-days": cert_expiry_days}
        settings = replace(settings, rule_options={**settings.rule_options, "HL206": hl206})
    groups = settings.values_groups
    settings = replace(
        settings,
        values_files=tuple(values or ()) or (groups[0] if groups else ()),
        release_name=release_name,
        default_namespace=namespace,
        file_kinds=settings.file_kinds + tuple((glob, "values") for glob in _split(values_glob)),
    )
    outputs = parse_outputs(output_format or ["full"], output_file)
    result = lint_paths(list(paths or []), settings)
    if write_baseline is not None:
        from linter.baseline import write_baseline as write

        count = write(write_baseline, result.diagnostics)
        typer.echo(f"headlamp-lint: note: wrote {count} findings to the baseline {write_baseline}", err=True)
        for error in result.errors:
            typer.echo(f"headlamp-lint: error: {error}", err=True)
        raise typer.Exit(2 if result.errors else 0)
    if fix or diff:
        result, code = _apply_fixes(result, list(paths or []), settings, unsafe_fixes, write=not diff)
        if diff:
            raise typer.Exit(2 if result.errors else code)
    stream = sys.stdout
    for name, target in outputs:
        options = ReportOptions(
            color=target is None and name == "full" and _use_color(color, stream), fail_level=settings.fail_level
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
        typer.echo(f"headlamp-lint: note: {clean(note)}", err=True)
    for error in result.errors:
        typer.echo(f"headlamp-lint: error: {clean(error)}", err=True)
    raise typer.Exit(result.exit_code(settings.fail_level, exit_zero))


def _apply_fixes(result, paths: list[str], settings, unsafe: bool, write: bool):
    """Plan fixes; print them (--diff) or write them and lint again (--fix)."""
    from linter.engine import lint_paths
    from linter.fix import plan_fixes, write_fixes
    from linter.rules import all_rules

    allowed = {"safe", "unsafe"} if unsafe else {"safe"}
    specs = {r.id: r.fix for r in all_rules() if r.fix is not None and r.fix.applicability in allowed}
    fixes = plan_fixes(result, specs)
    if not write:
        for file_fix in fixes:
            sys.stdout.write(file_fix.diff())
        count = sum(len(f.applied) for f in fixes)
        typer.echo(f"headlamp-lint: {count} fix{'es' if count != 1 else ''} in {len(fixes)} file"
                   f"{'s' if len(fixes) != 1 else ''} (not written)", err=True)
        return result, 1 if fixes else 0
    errors = write_fixes(fixes, result)
    fixed = sum(len(f.applied) for f in fixes if f.display not in " ".join(errors))
    typer.echo(f"headlamp-lint: fixed {fixed} problem{'s' if fixed != 1 else ''}"
               f" in {len(fixes) - len(errors)} file{'s' if len(fixes) - len(errors) != 1 else ''}", err=True)
    again = lint_paths(paths, settings)
    again.errors.extend(errors)
    return again, 0


@app.command("config")
def show_config(
    output_format: OutputFormat = typer.Option(OutputFormat.full, "--output-format", "-f", help="full or json."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="As for check."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="As for check."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="As for check."),
    fail_level: Optional[FailLevel] = typer.Option(None, "--fail-level", help="As for check."),
    all_workloads: Optional[bool] = typer.Option(
        None, "--all-workloads/--no-all-workloads", help="As for check."
    ),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="As for check."),
    chart_version: Optional[str] = typer.Option(None, "--chart-version", help="As for check."),
    config: Optional[Path] = typer.Option(None, "--config", help=_CONFIG_HELP),
    isolated: bool = typer.Option(False, "--isolated", help=_ISOLATED_HELP),
) -> None:
    """Print the effective configuration and where each value comes from (default, file:line, command line)."""
    from linter.config import effective_json, load_effective, render_effective

    overrides = _overrides(select, extend_select, ignore, fail_level, exclude, all_workloads, chart_version)
    effective = load_effective(overrides, config, isolated)
    typer.echo(effective_json(effective) if output_format is OutputFormat.json else render_effective(effective), nl=False)


@app.command()
def init(
    path: Path = typer.Option(Path(".headlamp-lint.yaml"), "--path", help="Where to write the configuration."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented starter configuration (.headlamp-lint.yaml)."""
    from linter.config import starter_config

    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    try:
        path.write_text(starter_config(), encoding="utf-8")
    except OSError as exc:
        raise LintError(f"{path}: cannot write: {exc.strerror or exc}") from None
    typer.echo(f"wrote {path}")


class MatcherKind(str, Enum):
    github = "github"
    vscode = "vscode"


@app.command("harden-values")
def harden_values(
    chart_version: Optional[str] = typer.Option(
        None, "--chart-version", help="Chart version to write values for (default: the newest known; 0.40.0+)."
    ),
) -> None:
    """Print a commented, hardened starter values file for the Headlamp chart."""
    from linter.harden import harden_values as build

    sys.stdout.write(build(chart_version))


@app.command("problem-matcher")
def problem_matcher(
    kind: MatcherKind = typer.Argument(..., help="github (for ::add-matcher::) or vscode (for tasks.json)."),
) -> None:
    """Print the problem matcher that reads `check -f concise` output."""
    from importlib.resources import files

    typer.echo(files("linter.data").joinpath(f"problem-matcher-{kind.value}.json").read_text(encoding="utf-8"), nl=False)


@app.command("rules")
def list_rules(
    output_format: OutputFormat = typer.Option(OutputFormat.full, "--output-format", "-f", help="full or json."),
) -> None:
    """List every rule: id, name, default severity, section and title."""
    import json

    from linter.rules import all_rules

    rules = all_rules()
    if output_format is OutputFormat.json:
        typer.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "name": r.name,
                        "severity": str(r.meta.severity),
                        "section": r.meta.section,
                        "title": r.meta.title,
                        "fix": r.meta.fix,
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return
    for r in rules:
        fix = f"  fix: {r.meta.fix}" if r.meta.fix else ""
        typer.echo(f"{r.id}  {r.name:<36} {str(r.meta.severity):<8} {r.meta.section:<28} {r.meta.title}{fix}")


@app.command("data")
def data(
    output_format: OutputFormat = typer.Option(OutputFormat.full, "--output-format", "-f", help="full or json."),
    now: Optional[str] = typer.Option(None, "--now", help="ISO date to measure the data's age from; default: now."),
) -> None:
    """Print the shipped release and advisory data: its date, the newest known releases, the advisories."""
    import datetime as dt

    from linter.data_report import render_data
    from linter.releases import release_data
    from linter.settings import parse_now

    when = parse_now(now) if now is not None else dt.datetime.now(dt.timezone.utc)
    typer.echo(render_data(release_data(), when, "json" if output_format is OutputFormat.json else "full"), nl=False)


@app.command()
def explain(rule: str = typer.Argument(..., help="A rule id (HL401) or name (run-as-root).")) -> None:
    """Print a rule's documentation."""
    from linter.rules import find_rule, suggest_rule

    found = find_rule(rule)
    if found is None:
        hint = suggest_rule(rule)
        raise UsageError(f"unknown rule {rule!r}" + (f"; did you mean {hint}?" if hint else ""))
    meta = found.meta
    typer.echo(f"# {meta.id} {meta.name}: {meta.title}\n")
    typer.echo(f"Default severity: {meta.severity}. Section: {meta.section}. Fix: {meta.fix or 'none'}.\n")
    typer.echo(found.doc)


def main(argv: Optional[List[str]] = None) -> None:
    """Entry point: run the app and map every exception to an exit code."""
    try:
        # Without standalone mode click returns the code of a typer.Exit instead of raising it.
        code = app(args=argv, standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except LintError as exc:
        from linter.reporters.text import clean

        # One error per line (a config file can have several); each line escaped on its own.
        for line in str(exc).split("\n"):
            typer.echo(f"headlamp-lint: error: {clean(line)}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the one place internal errors become exit 2
        if "--debug" in (argv if argv is not None else sys.argv):
            raise
        typer.echo(
            f"headlamp-lint: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback,"
            " and please report it)",
            err=True,
        )
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
