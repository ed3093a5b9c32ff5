"""Export the store's new and updated articles: ``python -m crawler.export --store URL [--since TIME] [--output FILE]``.

One JSON line per article (the record, ``event`` ``new`` or ``updated``), oldest save first: what a later stage
reads. ``--since`` takes an ISO 8601 date or time (UTC when it names no zone); the store keeps save times to the
second, so a stage that exports again from the last time it saw gets the articles of that second once more, never
fewer. With ``--output`` the file appears whole (written aside, then renamed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .store import STORE_TIME, StoreError, open_store


def store_time(text: str) -> str:
    """An ISO 8601 date or time as the store writes its save times (UTC, to the second)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(STORE_TIME)


def write_records(records: Iterable[dict[str, Any]], out: IO[str]) -> Counter[str]:
    events: Counter[str] = Counter()
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        events[record["event"]] += 1
    return events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.export", description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True,
                        help="postgresql://..., sqlite:///path or a SQLite file (as CLEANCRAWL_STORE_URL)")
    parser.add_argument("--since", type=store_time,
                        help="only articles saved (new or updated) at this time or later; default: all")
    parser.add_argument("--output", type=Path, help="JSON lines file to write (default: standard output)")
    args = parser.parse_args(argv)
    since = args.since or ""
    try:
        store = open_store(args.store)
    except StoreError as error:
        print(f"python -m crawler.export: {error}", file=sys.stderr)
        return 2
    try:
        if args.output is None:
            events = write_records(store.saved_since(since), sys.stdout)
        else:
            partial = args.output.with_name(args.output.name + ".partial")
            with partial.open("w", encoding="utf-8") as out:
                events = write_records(store.saved_since(since), out)
            os.replace(partial, args.output)
    finally:
        store.close()
    print(f"{sum(events.values())} article(s) saved since {since or 'the start'}: new {events['new']},"
          f" updated {events['updated']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
