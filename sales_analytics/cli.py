"""The command line: everything the pages compute, for automation and checks (SPEC.md "Command line").

Exit status 0 on success; 2 on bad input, with the reasons on standard error and the database
unchanged (several files in one ``import`` go in together or not at all).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from datetime import date
from pathlib import Path

from sales_analytics import batches, export
from sales_analytics.db import Database, DatabaseBusy, default_target
from sales_analytics.ingest import InputError, import_file
from sales_analytics.ingest.store import refresh_derived
from sales_analytics.reports import CLI_MODULES

BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 too; keep the wording ours
        self.print_usage(sys.stderr)
        self.exit(BAD_INPUT, f"error: {message}\n")


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def _mapping(pairs: list[str]) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {}
    for pair in pairs:
        header, sep, field = pair.rpartition("=")
        if not sep or not header:
            raise argparse.ArgumentTypeError(f"--map takes 'Header=field' or 'C=field', got {pair!r}")
        mapping[header] = field or None
    return mapping


def _cli_reports() -> dict:
    found = {}
    for module in CLI_MODULES:
        found.update(importlib.import_module(f"sales_analytics.reports.{module}").CLI_REPORTS)
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m sales_analytics", description="Sales analytics: import files, print reports."
    )
    parser.add_argument("--db", default=None, help=f"database file (default: {default_target()})")
    parser.add_argument("--lang", choices=("ru", "en"), default="ru", help="language of messages and labels")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    imp = commands.add_parser("import", help="import sales, deals (a forecast snapshot) or plan files")
    imp.add_argument("kind", choices=("sales", "deals", "plan"))
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument(
        "--as-of", type=day, help="snapshot date of a forecast (default: from the file name, else today)"
    )
    imp.add_argument("--year", type=int, help="the plan's year when the file does not say")
    imp.add_argument(
        "--skip-invalid", action="store_true", help="import the valid rows and list the rejected ones"
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="map a column (by header text or letter) to a field; 'HEADER=' ignores it",
    )

    report = commands.add_parser("report", help="print a report")
    reports = report.add_subparsers(dest="report", required=True, parser_class=_Parser)
    for name, (add_arguments, run) in _cli_reports().items():
        sub = reports.add_parser(
            name, help=(run.__doc__ or "").strip().splitlines()[0] if run.__doc__ else None
        )
        add_arguments(sub)
        sub.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
        sub.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
        sub.set_defaults(run=run)

    commands.add_parser("batches", help="list the imports in the database")
    delete = commands.add_parser("delete-batch", help="undo an import")
    delete.add_argument("batch_id", type=int)
    demo = commands.add_parser("demo", help="load the demo company (into an empty database)")
    demo.add_argument("--anchor", type=day, help="the demo's today (default: today)")
    _add_backup_commands(commands)
    _add_auth_commands(commands)
    return parser


# --- login and audit (sales_analytics.auth) --------------------------------------------------------


def _add_auth_commands(commands) -> None:
    hashing = commands.add_parser("hash-password", help="make an argon2 hash for the app's users table")
    hashing.add_argument("--stdin", action="store_true", help="read the password from standard input")
    commands.add_parser("audit", help="every import and delete: who, when, which file (CSV)")


def _auth_command(db: Database, args) -> int | None:
    """Run ``hash-password`` or ``audit``; None for any other command."""
    if args.command == "hash-password":
        from getpass import getpass

        from sales_analytics.auth import hash_password

        if args.stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass("Password: ")
            if getpass("Again: ") != password:
                print("error: the passwords differ", file=sys.stderr)
                return BAD_INPUT
        if not password:
            print("error: empty password", file=sys.stderr)
            return BAD_INPUT
        print(hash_password(password))
        return 0
    if args.command == "audit":
        with db.cursor() as con:
            sys.stdout.write(export.to_csv(batches.batch_events(con)))
        return 0
    return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = Database(args.db, on_wait=lambda message: print(message, file=sys.stderr))
    try:
        if (done := _auth_command(db, args)) is not None:
            return done
        if args.command == "import":
            return _import(db, args)
        if args.command == "report":
            return _report(db, args)
        if args.command == "batches":
            with db.cursor() as con:
                sys.stdout.write(export.to_csv(batches.list_batches(con)))
            return 0
        if args.command == "delete-batch":
            with db.cursor() as con:
                removed = batches.delete_batch(con, args.batch_id)
            print(f"batch {args.batch_id}: {removed} rows removed", file=sys.stderr)
            return 0
        if args.command in BACKUP_COMMANDS:
            return _backup_command(db, args)
        if args.command == "demo":
            from sales_analytics.demo import load_demo

            with db.cursor() as con:
                load_demo(con, archive_dir=db.archive_dir, anchor=args.anchor)
            return 0
    except DatabaseBusy as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        db.close()
    return 1


def _import(db: Database, args) -> int:
    try:
        mapping = _mapping(args.map)
    except argparse.ArgumentTypeError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    with db.cursor() as con:
        results = []
        con.begin()
        try:
            for path in args.files:
                try:
                    data = path.read_bytes()
                except OSError as error:
                    raise InputError([]) from error
                results.append(
                    import_file(
                        con,
                        data,
                        path.name,
                        args.kind,
                        as_of=args.as_of,
                        year=args.year,
                        skip_invalid=args.skip_invalid,
                        mapping=mapping,
                        archive_dir=db.archive_dir,
                        own_transaction=False,
                        refresh=False,
                    )
                )
            # the client list and the aggregates, rebuilt once for every file of the command
            refresh_derived(con)
            con.commit()
        except InputError as error:
            con.rollback()
            cause = error.__cause__
            print(
                f"error: {cause}" if isinstance(cause, OSError) else error.message(args.lang, limit=50),
                file=sys.stderr,
            )
            print("nothing was imported", file=sys.stderr)
            return BAD_INPUT
        except BaseException:
            con.rollback()
            raise
    for result in results:
        line = (
            f"{result.file_name}: batch {result.batch_id}, {result.kind}, {result.rows} rows, "
            f"amount {result.amount_total}"
        )
        if result.snapshot_date:
            line += f", snapshot {result.snapshot_date.isoformat()}"
        if result.replaced_rows:
            line += f", replaced {result.replaced_rows} earlier rows"
        if result.warnings:
            line += ", warnings: " + ", ".join(f"{k}={v}" for k, v in sorted(result.warnings.items()))
        print(line, file=sys.stderr)
        for problem in result.skipped:
            print(f"  skipped: {problem.message(args.lang)}", file=sys.stderr)
    return 0


def _report(db: Database, args) -> int:
    with db.cursor() as con:
        frame = args.run(con, args)
    if args.format == "xlsx":
        payload = export.to_xlsx(frame, sheet_name=args.report)
        if args.output is None:
            sys.stdout.buffer.write(payload)
        else:
            args.output.write_bytes(payload)
        return 0
    text = export.to_csv(frame) if args.format == "csv" else export.to_json(frame)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


# --- backup, restore, rebuild ----------------------------------------------------------------------

BACKUP_COMMANDS = ("backup", "restore", "rebuild")


def _add_backup_commands(commands) -> None:
    # --db is also taken after the command ("restore DIR --db PATH"); SUPPRESS keeps the global one
    def db_option(parser):
        parser.add_argument("--db", default=argparse.SUPPRESS, help="the database file (as the global --db)")

    backup = commands.add_parser("backup", help="export the database and its uploads into a directory")
    backup.add_argument("directory", type=Path, help="a new or empty directory")
    db_option(backup)
    restore = commands.add_parser("restore", help="restore a backup into a new or empty database file")
    restore.add_argument("directory", type=Path, help="a directory written by `backup`")
    restore.add_argument("--force", action="store_true", help="replace a database that holds data")
    db_option(restore)
    rebuild = commands.add_parser(
        "rebuild", help="re-import every archived upload into a new database and compare every report"
    )
    rebuild.add_argument("--to", dest="to", type=Path, required=True, help="the new database file")
    db_option(rebuild)


def _backup_command(db: Database, args) -> int:
    from sales_analytics import backup

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    try:
        if args.command == "backup":
            manifest = backup.backup(db, args.directory, say=say)
            say(
                f"backup in {args.directory}: {manifest['batches']['live']} batches, "
                f"{len(manifest['uploads'])} uploads, data version {manifest['data_version']}"
            )
            return 0
        if args.command == "restore":
            db.close()
            manifest = backup.restore(args.directory, Path(db.target), force=args.force, say=say)
            say(
                f"restored {args.directory} into {db.target}: {manifest['batches']['live']} batches; "
                "row counts and sums match the manifest"
            )
            return 0
        result = backup.rebuild(db, args.to, say=say)
    except backup.BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    if result.differences:
        for comparison in result.differences:
            say(f"differs: {comparison.describe()}")
        say(
            f"rebuild of {len(result.batches)} batches into {args.to}: {len(result.differences)} reports differ"
        )
        return BAD_INPUT
    say(
        f"rebuild of {len(result.batches)} batches into {args.to}: "
        f"{len(result.comparisons)} reports compared, all equal"
    )
    return 0
