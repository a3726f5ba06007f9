"""Kill the command-line import with SIGKILL at many moments and count partial batches.

    nice python scripts/crash_import.py --points 100 [--rows 20000] [--seed 1]

Uses the same steps as tests/test_crash.py: a template database with a baseline upload, a big sales
CSV, one clean import measured, then one kill at a random moment in each of ``--points`` equal
slices of that duration (re-measured as it goes). Prints ``points N, partial batches P, killed
before commit K, finished F``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_crash import prepare, run_points  # noqa: E402


def _line(i: int, result, seconds: float) -> None:
    state = "killed" if result.killed else "had exited"
    outcome = "; ".join(result.partial) or "sound"
    print(
        f"{i + 1:3d} at {result.at:5.1f} s of ~{seconds:4.1f} s ({state}): {result.outcome}; {outcome}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sa_crash_") as scratch:
        workdir = Path(scratch)
        setup = prepare(workdir, args.rows)
        print(f"clean import of {args.rows} rows: {setup.seconds:.1f} s", flush=True)
        results = run_points(setup, workdir, args.points, args.seed, report=_line)
    partial = sum(bool(r.partial) for r in results)
    before = sum(r.outcome == "before commit" for r in results)
    finished = sum(r.outcome == "finished" for r in results)
    missed = sum(not r.killed for r in results)
    print(
        f"points {args.points}, partial batches {partial}, killed before commit {before}, "
        f"finished {finished} (of which {missed} had exited before the kill)"
    )
    return 1 if partial else 0


if __name__ == "__main__":
    raise SystemExit(main())
