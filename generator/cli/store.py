"""``carebase store remask``: the event store's customer texts masked again with the masker's
current rules and the site's region (``carebase.store.remask``)."""

from __future__ import annotations

import argparse
import os
import sys
import time

NAME = "store"
HELP = "Maintain the event store: 'remask' masks stored searches, comments and contact messages again with the site's region."


def _env(name: str, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("remask",),
                        help="remask: mask every stored search, comment and contact message again with the masker's "
                             "current rules and the site's region (after naming a region, or a carebase upgrade)")
    parser.add_argument("--db", "--database-url", dest="database_url",
                        default=_env("CAREBASE_DATABASE_URL", "sqlite:///feedback.db"),
                        help="the service's database: sqlite:///PATH (default sqlite:///feedback.db) or "
                             "postgresql://user:pass@host/db [env CAREBASE_DATABASE_URL]")
    parser.add_argument("--site-data", default=_env("CAREBASE_SITE_DATA"), metavar="DIR",
                        help="the build output (site-data/): its region (the carebase plugin's 'region') is the one "
                             "used, as the service uses it [env CAREBASE_SITE_DATA]")
    parser.add_argument("--region", default=_env("CAREBASE_REGION", ""), metavar="CODES",
                        help="the help centre's countries (GB,IE) when no build output names them, as "
                             "'carebase service --region' [env CAREBASE_REGION]")
    parser.add_argument("--contact-mask", default=_env("CAREBASE_CONTACT_MASK", "payment"),
                        choices=["payment", "all", "none"],
                        help="what the service masks in contact messages, as 'carebase service --contact-mask' "
                             "(default payment) [env CAREBASE_CONTACT_MASK]")
    parser.add_argument("--cache", metavar="DIR",
                        help="the folder 'carebase report --cache' uses, if it uses one: its memory of the stored "
                             "texts is removed after a run that changed rows, as the default one's is")
    parser.add_argument("--dry-run", action="store_true",
                        help="print each text that would change (masked as it would be written) and change nothing")
    parser.add_argument("--show-before", action="store_true",
                        help="with --dry-run, print each text as stored too (before -> after): it copies the "
                             "unmasked numbers out of the store, to the terminal or a log")


def _fail(message: str, code: int) -> int:
    print(f"carebase store: {message}", file=sys.stderr)
    return code


def _region_codes(args) -> tuple[str, ...]:
    """The build output's region (its manifest's), else --region; raises ValueError with the user's message."""
    from carebase.service.masking_region import read_region

    raw = ""
    if args.site_data:
        from carebase.output import OutputError, open_output

        if not os.path.isdir(args.site_data):
            raise ValueError(f"--site-data: expected the build output folder, found nothing at {args.site_data!r} "
                             "(run 'carebase build' first, or leave --site-data out and give --region)")
        try:
            manifest = open_output(args.site_data).manifest
        except OutputError as exc:
            raise ValueError(f"--site-data: {exc}") from None
        found = manifest.get("region") if isinstance(manifest, dict) else None
        if isinstance(found, list) and found:
            raw = [str(code) for code in found]
    if not raw:
        raw = args.region or ""
    codes, problems = read_region(raw)
    if problems:
        raise ValueError(f"--region: {problems[0]}")
    return codes


def _progress_printer():
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return lambda message: None
    started, shown = time.monotonic(), [0.0]

    def show(message: str) -> None:
        now = time.monotonic()
        if now - shown[0] >= 0.2:
            shown[0] = now
            print(f"\r\033[Kcarebase store remask [{now - started:5.1f}s] {message}…", end="", file=sys.stderr, flush=True)
    show.done = lambda: print("\r\033[K", end="", file=sys.stderr, flush=True)  # type: ignore[attr-defined]
    return show


def _missing_sqlite_file(url: str) -> str | None:
    """The path of a SQLite store ``url`` names that does not exist (opening it would create an empty
    one: a maintenance command run in the wrong folder would then say it masked 0 rows), else None."""
    from pathlib import Path

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from carebase.store.engine import normalise_url

    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        return None  # open_engine says what is wrong with it
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return None if Path(database).expanduser().exists() else str(Path(database).expanduser().resolve())


def run(args: argparse.Namespace) -> int:
    from carebase.service.masking_region import NO_REGION, plans
    from carebase.store.engine import StoreError, open_engine
    from carebase.store.remask import remask

    try:
        codes = _region_codes(args)
    except ValueError as exc:
        return _fail(str(exc), 2)
    if (missing := _missing_sqlite_file(args.database_url)) is not None:
        return _fail(f"no event store at {missing}: give the service's database with --db sqlite:///PATH "
                     "(or CAREBASE_DATABASE_URL); nothing was changed", 2)
    try:
        engine = open_engine(args.database_url)
    except StoreError as exc:
        return _fail(str(exc), 2)
    where = engine.url.render_as_string(hide_password=True)
    progress = _progress_printer()

    def show(change) -> None:
        if args.dry_run:
            getattr(progress, "done", lambda: None)()
            # repr: a control character or an escape sequence in a stored text is shown, never sent to the terminal;
            # the text as stored (the unmasked number) only when asked for
            before = f"{change.before!r} " if args.show_before else ""
            print(f"{change.table}.{change.column} {change.key}: {before}-> {change.after!r}")

    region = ", ".join(codes) or "none"
    try:
        result = remask(engine, plans(codes) if codes else NO_REGION, contact_mask=args.contact_mask,
                        dry_run=args.dry_run, progress=progress, show=show, note=f"region {region}")
    finally:
        getattr(progress, "done", lambda: None)()
        engine.dispose()
    columns = ", ".join(f"{name} {count:,}" for name, count in sorted(result.per_column.items())) or "none"
    if args.dry_run:
        print(f"{where}: {result.read:,} rows read (region {region}); {result.changed:,} would change ({columns}). "
              "Nothing was written: run again without --dry-run to write them."
              + ("" if args.show_before else " Each text is shown as it would be written (--show-before: as stored too)."))
        return 0
    print(f"{where}: {result.read:,} rows read (region {region}); {result.changed - result.skipped:,} masked again "
          f"({columns}).")
    if result.skipped:
        print(f"{result.skipped:,} rows changed while this ran were left as they are: run it again to mask them.")
    if result.changed:
        removed = _forget_report_memory(args)
        if removed:
            print(f"Removed the report's memory of the texts as they were ({len(removed)} files: "
                  f"{', '.join(sorted({str(p.parent) for p in removed}))}).")
        print("The next 'carebase report' reads the store afresh; the service's learned phrasings take the new "
              "texts at their next refresh.")
    return 0


def _forget_report_memory(args) -> list:
    """The report's files that hold the store's texts as they were before this run (its memory of
    the store's aggregates, ``store-aggregates.pickle``, and of the searches' replays keyed by their
    text, ``replays.json``, per language), removed from the default memory folder of this database
    (``carebase report`` without ``--cache``) and from ``--cache``; the paths removed."""
    from pathlib import Path

    from carebase.report import cache_home
    from carebase.report.replay import RememberedReplays
    from carebase.report.store_memo import FILE

    folders = [Path(args.cache)] if args.cache else []
    default = cache_home.default_folder(cache_home.source_identity(args.database_url))
    if default is not None:
        folders.append(default)
    removed = []
    for folder in folders:
        if folder.is_dir():
            for path in [*folder.rglob(FILE), *folder.rglob(RememberedReplays.FILE)]:
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
