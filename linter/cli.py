"""Command line: options → Settings → engine → reporter → exit code.

Exceptions become exit codes in one place, ``main``: a LintError prints
one line and exits 2; anything else is an internal error, printed as one
line unless ``--debug`` asks for the traceback.
"""

from __future__ import annotations

import os
import sys
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


@app.command()
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or directories to lint ('-' for stdin). Default: ."),
    output_format: OutputFormat = typer.Option(OutputFormat.full, "--output-format", "-f", help="Output format."),
    output_file: Optional[Path] = typer.Option(None, "--output-file", "-o", help="Write the report to this file."),
    fail_level: FailLevel = typer.Option(
        FailLevel.warning, "--fail-level", help="Exit 1 when a finding is at or above this severity."
    ),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings."),
    select: Optional[List[str]] = typer.Option(
        None, "--select", help="Rules to enable: ids, names or prefixes (HL4), comma-separated. Default: all."
    ),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Rules to disable, like --select."),
    all_workloads: bool = typer.Option(
        False, "--all-workloads", help="Apply container, RBAC and network rules to every workload, not only Headlamp."
    ),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="Glob of paths to skip (repeatable)."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Path to show for stdin input."),
    max_file_size: int = typer.Option(
        10 * 1024 * 1024, "--max-file-size", help="Skip (and report) files larger than this many bytes."
    ),
    follow_symlinks: bool = typer.Option(
        False, "--follow-symlinks", help="Follow symbolic links that lead out of the given directories."
    ),
    color: ColorMode = typer.Option(ColorMode.auto, "--color", help="Colour the full output."),
    now: Optional[str] = typer.Option(
        None, "--now", help="ISO date or date-time to use as the current time (data age, expiry); default: now."
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
    chart_version: Optional[str] = typer.Option(
        None, "--chart-version", help="Headlamp chart version for values files. Default: Chart.yaml, else newest."
    ),
    release_name: str = typer.Option("headlamp", "--release-name", help="Helm release name for values files."),
    namespace: str = typer.Option("default", "--namespace", help="Release namespace (and objects' default)."),
    values_glob: Optional[List[str]] = typer.Option(
        None, "--values-glob", help="Glob of paths to read as Headlamp values whatever their name (repeatable)."
    ),
) -> None:
    """Lint files and directories; print findings; exit 0 (clean), 1 (findings) or 2 (error)."""
    from linter.diagnostics import Severity
    from linter.engine import lint_paths
    from linter.reporters import ReportOptions, render
    from linter.rules import all_rules
    from linter.settings import Settings, check_selectors, parse_now

    known = [(r.id, r.name) for r in all_rules()]
    selects, ignores = _split(select), _split(ignore)
    check_selectors(selects, known, "--select")
    check_selectors(ignores, known, "--ignore")
    if max_file_size <= 0:
        raise UsageError("--max-file-size must be a positive number of bytes")
    settings = Settings(
        select=selects,
        ignore=ignores,
        fail_level=Severity.parse(fail_level.value),
        exclude=_split(exclude),
        all_workloads=all_workloads,
        max_file_size=max_file_size,
        stdin_filename=stdin_filename,
        follow_symlinks=follow_symlinks,
        now=parse_now(now) if now is not None else None,
        debug=debug,
        values_files=tuple(values or ()),
        chart_version=chart_version,
        release_name=release_name,
        default_namespace=namespace,
        file_kinds=tuple((glob, "values") for glob in _split(values_glob)),
    )
    result = lint_paths(list(paths or []), settings)
    if fix or diff:
        result, code = _apply_fixes(result, list(paths or []), settings, unsafe_fixes, write=not diff)
        if diff:
            raise typer.Exit(2 if result.errors else code)
    stream = sys.stdout
    text = render(
        output_format.value,
        result,
        ReportOptions(color=output_file is None and _use_color(color, stream)),
    )
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise LintError(f"{output_file}: cannot write report: {exc.strerror or exc}") from None
    else:
        stream.write(text)
    for note in result.notes:
        typer.echo(f"headlamp-lint: note: {note}", err=True)
    for error in result.errors:
        typer.echo(f"headlamp-lint: error: {error}", err=True)
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
        typer.echo(f"headlamp-lint: error: {exc}", err=True)
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
