"""The reports' per-version results (reports/kept.py): computed once per key, bounded, and nothing
kept without a key."""

from __future__ import annotations

import threading
import time

from sales_analytics.reports.kept import Kept


def test_a_key_is_computed_once_and_old_keys_fall_out():
    kept, calls = Kept(2), []

    def compute(value):
        calls.append(value)
        return value

    assert [kept.get(k, lambda k=k: compute(k)) for k in ("a", "a", "b", "c", "a")] == list("aabca")
    assert calls == ["a", "b", "c", "a"]  # "a" fell out when "c" came in (two kept)


def test_no_key_computes_every_time():
    kept, calls = Kept(4), []
    for _ in range(3):
        kept.get(None, lambda: calls.append(1))
    assert len(calls) == 3


def test_two_threads_asking_together_compute_once():
    kept, calls, started = Kept(4), [], threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return "value"

    results = []
    first = threading.Thread(target=lambda: results.append(kept.get("k", slow)))
    first.start()
    started.wait()
    results.append(kept.get("k", slow))  # arrives while the first is still computing
    first.join()
    assert results == ["value", "value"]
    assert len(calls) == 1


def test_the_version_key_follows_every_change_and_is_none_in_memory(con):
    from sales_analytics.db import Database, bump_data_version
    from sales_analytics.reports.kept import version_key

    before = version_key(con, "extra")
    assert before is not None and before[-1] == "extra"
    assert version_key(con, "extra") == before
    bump_data_version(con)  # what every import and delete does
    assert version_key(con, "extra") != before
    memory = Database(":memory:")
    try:
        with memory.cursor() as cursor:
            assert version_key(cursor) is None
    finally:
        memory.close()
