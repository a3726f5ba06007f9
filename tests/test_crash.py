"""Crash-safe imports (issue 6, item 3): ``kill -9`` the importing process at random moments.

After each kill the database opens, holds no part of the killed batch (no batch record for it, no
rows of a batch that has no record, every table as before the import), any archived upload is a
whole file, and importing the file again gives the same report as a clean import. An import that
finished before the kill landed must be whole.

The import is the real command line (``python -m sales_analytics --db FILE import sales BIGFILE``) in
a subprocess; its duration is measured first and the kill points are spread over it (one random
moment in each of ``points`` equal slices). CI kills at 10 points; ``scripts/crash_import.py
--points 100`` at 100.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sales_analytics.db import Database
from tests.db_state import fingerprint

ROOT = Path(__file__).resolve().parents[1]
CI_POINTS = 10
MANAGERS = ["Иванов Иван", "Петрова Анна", "Соколов Андрей", "Кузнецова Мария"]
DEPARTMENTS = ["Оптовый отдел", "Розничный отдел", "Проектный отдел"]


def write_big_csv(path: Path, rows: int, seed: int = 7) -> None:
    """A 1C-style sales CSV of ``rows`` rows (dates over two years, kopecks, three departments)."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("Дата;Контрагент;Менеджер;Подразделение;Сумма;Валовая прибыль\n")
        for i in range(rows):
            day = start + timedelta(days=rng.randrange(690))
            cents = rng.randrange(100_00, 5_000_000_00)
            amount = f"{cents // 100},{cents % 100:02d}"
            out.write(
                f"{day:%d.%m.%Y};ООО «Клиент {rng.randrange(5000)}»;{MANAGERS[i % 4]};{DEPARTMENTS[i % 3]};"
                f"{amount};{cents // 400}\n"
            )


def cli(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "sales_analytics", "--db", str(db), *args]


def run_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(cli(db, *args), cwd=ROOT, capture_output=True, text=True, timeout=600)


def report(db: Path) -> str:
    done = run_cli(db, "report", "sales", "--by", "manager")
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Setup:
    """A database holding a baseline upload (the template each kill starts from), the big file, the
    report a clean import gives, and how long that import took."""

    template: Path
    big: Path
    clean_report: str
    clean_state: dict
    seconds: float
    base_state: dict = field(default_factory=dict)


def prepare(workdir: Path, rows: int) -> Setup:
    template = workdir / "template" / "sales.duckdb"
    template.parent.mkdir(parents=True)
    baseline = workdir / "baseline.csv"
    baseline.write_text("Дата;Клиент;Сумма\n16.11.2026;ООО «Ромашка»;1 000,00\n", encoding="utf-8")
    assert run_cli(template, "import", "sales", str(baseline)).returncode == 0
    big = workdir / "big_sales.csv"
    write_big_csv(big, rows)
    clean = copy_template(template, workdir / "clean")
    started = time.monotonic()
    done = run_cli(clean, "import", "sales", str(big))
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    return Setup(
        template=template,
        big=big,
        clean_report=report(clean),
        clean_state=state(clean),
        seconds=seconds,
        base_state=state(template),
    )


def copy_template(template: Path, into: Path) -> Path:
    shutil.copytree(template.parent, into)
    return into / template.name


def state(db_path: Path) -> dict:
    database = Database(db_path, lock_timeout_seconds=30)
    try:
        with database.cursor() as con:
            return fingerprint(con)
    finally:
        database.close()


def counts(fingerprinted: dict) -> dict:
    return {k: v[0] if isinstance(v, tuple) else v for k, v in fingerprinted.items()}


@dataclass
class KillResult:
    at: float
    outcome: str  # "before commit" (nothing of it stored) or "finished" (the whole batch stored)
    partial: list[str]  # what was wrong; empty when the database was sound
    killed: bool = True  # False when the import had already exited
    reimport_seconds: float | None = None  # a fresh measure of the import: it ended first, or the re-import


def kill_and_check(setup: Setup, workdir: Path, at: float) -> KillResult:
    db = copy_template(setup.template, workdir)
    process = subprocess.Popen(
        cli(db, "import", "sales", str(setup.big)),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    exited_after = None  # the import's own duration, when it ended before the kill
    while time.monotonic() - started < at:
        if process.poll() is not None:
            exited_after = time.monotonic() - started
            break
        time.sleep(0.02)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    problems: list[str] = []
    database = Database(db, lock_timeout_seconds=30)
    try:
        with database.cursor() as con:
            now = fingerprint(con)
            digest = hashlib.sha256(setup.big.read_bytes()).hexdigest()
            batch = con.execute(
                "SELECT batch_id, row_count FROM import_batches WHERE sha256 = $h", {"h": digest}
            ).fetchall()
            orphans = con.execute(
                "SELECT count(*) FROM sales WHERE batch_id NOT IN (SELECT batch_id FROM import_batches)"
            ).fetchall()[0][0]
            if orphans:
                problems.append(f"{orphans} sales rows of no batch")
            if batch:
                stored = con.execute(
                    "SELECT count(*) FROM sales WHERE batch_id = $b", {"b": batch[0][0]}
                ).fetchall()[0][0]
                # a finished batch: row counts as after the clean import (its timestamps and archive
                # path differ, so the checksums do; the report below compares the figures)
                if stored != batch[0][1] or counts(now) != counts(setup.clean_state):
                    problems.append(f"batch {batch[0][0]} holds {stored} of {batch[0][1]} rows")
                outcome = "finished"
            else:
                outcome = "before commit"
                if now != setup.base_state:
                    problems.append("the database changed without a batch record")
    finally:
        database.close()
    uploads = db.parent / "uploads"
    for archived in uploads.glob("*.*") if uploads.exists() else []:
        if archived.suffix == ".part":
            continue  # an unfinished copy; never referenced, replaced by the next import
        if hashlib.sha256(archived.read_bytes()).hexdigest() != archived.name.split(".")[0]:
            problems.append(f"archive {archived.name} is not the whole file")
    reimport_seconds = exited_after
    if outcome == "before commit":
        started = time.monotonic()
        again = run_cli(db, "import", "sales", str(setup.big))
        reimport_seconds = time.monotonic() - started
        if again.returncode != 0:
            problems.append(f"re-import failed: {again.stderr[-300:]}")
    if report(db) != setup.clean_report:
        problems.append("figures differ from a clean import")
    shutil.rmtree(db.parent, ignore_errors=True)
    return KillResult(at, outcome, problems, killed, reimport_seconds)


def run_points(setup: Setup, workdir: Path, points: int, seed: int = 1, report=None) -> list[KillResult]:
    """Kill at one random moment in each of ``points`` equal slices of the import, the slices in
    shuffled order (a run cut short has still sampled the whole import). The duration is re-measured
    by every re-import: the machine's load changes, and kills after the import ended prove nothing."""
    rng = random.Random(seed)
    fractions = [(k + rng.random()) / points for k in range(points)]
    rng.shuffle(fractions)
    seconds, results = setup.seconds, []
    for i, fraction in enumerate(fractions):
        result = kill_and_check(setup, workdir / f"kill_{i}", seconds * fraction)
        if result.reimport_seconds:
            seconds = 0.5 * seconds + 0.5 * result.reimport_seconds
        results.append(result)
        if report is not None:
            report(i, result, seconds)
    return results


def test_killed_imports_leave_no_partial_batch(tmp_path):
    setup = prepare(tmp_path, rows=20_000)
    results = run_points(setup, tmp_path, CI_POINTS)
    partial = [(r.at, r.partial) for r in results if r.partial]
    assert partial == []
    # the kills landed inside the import, most of them before it committed
    assert sum(r.killed and r.outcome == "before commit" for r in results) >= CI_POINTS // 2
