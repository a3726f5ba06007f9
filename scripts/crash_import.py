"""Kill the command-line import with SIGKILL at many moments and count partial batches.

    nice python scripts/crash_import.py --points 100 [--rows 60000] [--seed 1]

Uses the same steps as tests/test_crash.py: a template database with a baseline upload, a big sales
CSV, one clean import measured, then one kill at a random moment in each of ``--points`` equal
slices of that duration. Prints ``points N, partial batches P, killed before commit K, finished F``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_crash import kill_and_check, kill_points, prepare  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sa_crash_") as scratch:
        workdir = Path(scratch)
        setup = prepare(workdir, args.rows)
        print(f"clean import of {args.rows} rows: {setup.seconds:.1f} s", flush=True)
        partial = before = finished = 0
        points = kill_points(setup.seconds, args.points, args.seed)
        # in shuffled order, so that a run cut short has still sampled the whole import
        random.Random(args.seed).shuffle(points)
        for i, at in enumerate(points):
            result = kill_and_check(setup, workdir / f"kill_{i}", at)
            partial += bool(result.partial)
            before += result.outcome == "before commit"
            finished += result.outcome == "finished"
            print(
                f"{i + 1:3d} kill at {at:5.1f} s: {result.outcome}; {'; '.join(result.partial) or 'sound'}",
                flush=True,
            )
    print(
        f"points {args.points}, partial batches {partial}, killed before commit {before}, finished {finished}"
    )
    return 1 if partial else 0


if __name__ == "__main__":
    raise SystemExit(main())
