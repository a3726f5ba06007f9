"""Run the import fuzz property (tests/ingest/test_fuzz.py) on many cases and count what went wrong.

    nice python scripts/fuzz_import.py --cases 10000 [--seed 1]

Prints progress, then one line: ``cases N, crashes C, db changes D, other failures F`` (a crash is any
exception other than ``InputError`` from preview or import; a db change is a refused file that left the
database different). Failing cases are written to ``--out`` (one repr per line) to replay.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from sales_analytics.db import Database  # noqa: E402
from tests.ingest.test_fuzz import cases, check_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "fuzz_failures.txt")
    args = parser.parse_args()
    counts = {"cases": 0, "imported": 0, "refused": 0, "crashes": 0, "db changes": 0, "other failures": 0}
    failures: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sa_fuzz_") as scratch:
        db = Database(Path(scratch) / "fuzz.duckdb")

        @seed(args.seed)
        @settings(
            max_examples=args.cases,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases())
        def run(case):
            counts["cases"] += 1
            try:
                counts[check_case(db, case)] += 1
            except AssertionError as error:
                key = "db changes" if "changed the database" in str(error) else "other failures"
                counts[key] += 1
                failures.append(f"{key}: {error!r} {case!r}")
            except Exception:
                counts["crashes"] += 1
                failures.append(f"crash: {traceback.format_exc(limit=3)!r} {case!r}")
            if counts["cases"] % 100 == 0:
                print(
                    f"{counts['cases']} cases in {time.monotonic() - started:.0f} s: "
                    + ", ".join(f"{k} {v}" for k, v in counts.items() if k != "cases"),
                    flush=True,
                )

        try:
            run()
        finally:
            db.close()
            if failures:
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_text("\n".join(failures) + "\n", encoding="utf-8")
            print(
                f"cases {counts['cases']}, crashes {counts['crashes']}, db changes {counts['db changes']}, "
                f"other failures {counts['other failures']} "
                f"(imported {counts['imported']}, refused {counts['refused']}; "
                f"{time.monotonic() - started:.0f} s)",
                flush=True,
            )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
