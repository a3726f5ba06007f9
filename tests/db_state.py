"""What "the database is unchanged" compares: every table's row count and a checksum of its rows,
the data version, and the archived uploads beside the database file."""

from __future__ import annotations

from pathlib import Path

import duckdb


def tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every stored table of the main schema (views are derived from them)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [row[0] for row in rows]


def fingerprint(con: duckdb.DuckDBPyConnection, archive_dir: Path | None = None) -> dict:
    """Row count and an order-independent checksum (sum of row hashes) of every table, plus the
    data version and the names and sizes of the archived uploads."""
    state: dict = {}
    for table in tables(con):
        # table names come from the catalogue, quoted as identifiers
        quoted = '"' + table.replace('"', '""') + '"'
        count, checksum = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {quoted} AS t"
        ).fetchall()[0]
        state[table] = (count, int(checksum))
    state["_data_version"] = con.execute("SELECT version FROM data_version").fetchall()[0][0]
    if archive_dir is not None:
        state["uploads"] = (
            sorted((p.name, p.stat().st_size) for p in archive_dir.iterdir()) if archive_dir.exists() else []
        )
    return state
