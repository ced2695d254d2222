"""A longer fuzz run than CI's: the properties of tests/hostile/test_fuzz.py with
many random examples (CI runs 40 derandomized examples per property).

    python scripts/fuzz.py                      # 2000 examples per property, random seed
    python scripts/fuzz.py --examples 20000 --seed 7 -k corpus

A failure prints hypothesis' smallest failing input and the seed to replay it.
The corpus property uses ../shared/corpus/ when present and is skipped otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=2000, help="examples per property (default 2000)")
    parser.add_argument("--seed", type=int, help="hypothesis seed, to replay a run")
    parser.add_argument("-k", dest="select", help="only the properties matching this pytest -k expression")
    args = parser.parse_args()

    import pytest

    os.environ["HEADLAMP_LINT_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    pytest_args = [str(ROOT / "tests" / "hostile" / "test_fuzz.py"), "-q", "-p", "no:cacheprovider", "-x"]
    if args.seed is not None:
        pytest_args.append(f"--hypothesis-seed={args.seed}")
    if args.select:
        pytest_args += ["-k", args.select]
    started = time.monotonic()
    code = pytest.main(pytest_args)
    print(f"fuzz: {args.examples} examples per property in {time.monotonic() - started:.0f} s, exit {int(code)}")
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
