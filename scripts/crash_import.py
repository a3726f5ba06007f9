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

from tests.test_crash import kill_and_check, prepare  # noqa: E402


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
        rng = random.Random(args.seed)
        # one random moment in each of --points slices of the import, visited in shuffled order (a run
        # cut short has still sampled the whole import); the duration is re-measured by every
        # re-import, since the machine's load changes under a long run
        fractions = [(k + rng.random()) / args.points for k in range(args.points)]
        rng.shuffle(fractions)
        seconds = setup.seconds
        partial = before = finished = missed = 0
        for i, fraction in enumerate(fractions):
            at = seconds * fraction
            result = kill_and_check(setup, workdir / f"kill_{i}", at)
            partial += bool(result.partial)
            before += result.outcome == "before commit"
            finished += result.outcome == "finished"
            missed += not result.killed
            if result.reimport_seconds:
                seconds = 0.5 * seconds + 0.5 * result.reimport_seconds
            state = "killed" if result.killed else "had exited"
            print(
                f"{i + 1:3d} at {at:5.1f} s of ~{seconds:4.1f} s ({state}): {result.outcome}; "
                f"{'; '.join(result.partial) or 'sound'}",
                flush=True,
            )
    print(
        f"points {args.points}, partial batches {partial}, killed before commit {before}, "
        f"finished {finished} (of which {missed} had exited before the kill)"
    )
    return 1 if partial else 0


if __name__ == "__main__":
    raise SystemExit(main())
