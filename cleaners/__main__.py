"""Clean archived pages offline: ``python -m cleaners [options] INPUT...``.

INPUT: WARC files (``.warc``, ``.warc.gz``: every HTML response record, with its own
URL, fetch date and Content-Type), HTML files (``.html``, ``.html.gz``: URL from
``--url`` or ``--urls``) and folders (searched recursively). Pages are cleaned on
``--workers`` cores, deduplicated as the crawl does (same canonical URL, same text,
SimHash near-duplicates) through a store, and every new or updated article is written
as one JSON line in input order: the crawl's record plus ``source``. A summary of what
became of every page goes to stderr at the end (with a progress line on a terminal).
With ``--learn-templates`` the inputs are cleaned twice: each site's template is learned
from all of them first, then removed from every record (rule ``site_template``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from contextlib import ExitStack
from pathlib import Path
from collections.abc import Iterator
from typing import IO, Any

# The store is the crawl's (plain Python, no Scrapy): offline runs deduplicate exactly as crawls do.
from crawler.store import SaveStatus, Store, open_store

from . import templates
from .archive import Progress, Skip, list_inputs, read_inputs, read_urls, total_bytes
from .batch import ProgressLine, Tally, clean_in_order

_SAVED = {SaveStatus.NEW, SaveStatus.UPDATED}


def _workers(text: str) -> int:
    if text == "all":
        return os.cpu_count() or 1
    try:
        workers = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes or 'all', not {text!r}") from None
    if workers < 0:
        raise argparse.ArgumentTypeError("--workers cannot be negative")
    return workers


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m cleaners", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, metavar="INPUT",
                        help="WARC files, HTML files (any charset, .gz too) and folders of them")
    parser.add_argument("--url", help="URL of the HTML files that --urls does not list (resolves links, helps metadata)")
    parser.add_argument("--urls", type=Path, metavar="FILE",
                        help="a list of 'FILE URL' lines (FILE relative to the list); without INPUT, its files are the input")
    parser.add_argument("--workers", type=_workers, default=os.cpu_count() or 1, metavar="N",
                        help="cleaning processes (default: all cores; 0: clean in this process)")
    parser.add_argument("--store", metavar="PATH_OR_URL",
                        help="save into this store: a SQLite file (a crawl's CLEANCRAWL_STORE_PATH works) or a"
                             " postgresql:// URL; default: a temporary SQLite file")
    parser.add_argument("--learn-templates", action="store_true",
                        help=f"read the inputs twice: learn each site's template (blocks on {templates.MIN_PAGES}+ of its"
                             " pages) from all of them first, then clean with it (rule site_template)")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the records here (default: stdout)")
    parser.add_argument("--rejects", type=Path, metavar="FILE",
                        help="write a JSON line for every page or record not output, with its reason")
    args = parser.parse_args(argv)
    urls: dict[Path, str] = {}
    if args.urls:
        try:
            urls = read_urls(args.urls)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            parser.error(f"--urls: {error}")
    if not args.inputs:
        if not urls:
            parser.error("give at least one INPUT (or a --urls list)")
        args.inputs = list(urls)
    args.files = list_inputs(args.inputs, urls, args.url)
    return args


def _reject(rejects: IO[str] | None, source: dict[str, Any], url: str | None, reason: str, message: str = "") -> None:
    if rejects is not None:
        rejects.write(json.dumps({"source": source, "url": url, "reason": reason, "message": message},
                                 ensure_ascii=False) + "\n")


def _cleaned_records(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    """The articles among the inputs: the first pass of --learn-templates, which keeps nothing but their marks
    (as in the crawl, where the template memory sees only the articles that the filter kept)."""
    for item, result in clean_in_order(read_inputs(args.files, Progress(total=0)), args.workers):
        if result is not None and result[0] == "ok" and result[1]["is_article"]:
            yield result[1]


def run(args: argparse.Namespace, out: IO[str], rejects: IO[str] | None, store: Store) -> Tally:
    learned = templates.learn(_cleaned_records(args)) if args.learn_templates else {}
    progress = Progress(total=total_bytes(args.files))
    tally = Tally()
    line = ProgressLine(sys.stderr, progress)
    for item, result in clean_in_order(read_inputs(args.files, progress), args.workers):
        line.update(tally)
        if isinstance(item, Skip):
            (tally.errors if item.error else tally.skipped)[item.reason] += 1
            _reject(rejects, item.source, item.url, item.reason, item.message)
            continue
        tally.pages += 1
        assert result is not None
        status, value, _ = result
        if status == "error":
            reason, _, message = str(value).partition(": ")
            tally.errors[reason] += 1
            _reject(rejects, item.source, item.url, reason, message)
            continue
        tally.cleaned += 1
        record: dict[str, Any] = value
        if learned:
            record = templates.apply(record, learned.get(record["site"] or "", set()))
        if not record["is_article"]:
            tally.not_articles[record["not_article_reason"]] += 1
            _reject(rejects, item.source, item.url, f"not_article/{record['not_article_reason']}")
            continue
        record["source"] = item.source
        saved, original = store.save(record)
        if saved not in _SAVED:
            tally.duplicates[saved.value] += 1
            _reject(rejects, item.source, item.url, saved.value, f"of {original}" if original else "")
            continue
        tally.saved[saved.value] += 1
        record["event"] = saved.value
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    line.clear()
    return tally


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with ExitStack() as stack:
        out = stack.enter_context(args.output.open("w", encoding="utf-8")) if args.output else sys.stdout
        rejects = stack.enter_context(args.rejects.open("w", encoding="utf-8")) if args.rejects else None
        where = args.store or str(Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cleancrawl-"))) / "dedup.sqlite3")
        store = open_store(where, f"offline-{uuid.uuid4().hex}")
        stack.callback(store.close)
        tally = run(args, out, rejects, store)
        out.flush()
    sys.stderr.write("\n".join(tally.lines()) + "\n")
    # Failure only when nothing at all could be cleaned.
    return 1 if tally.errors and not tally.cleaned else 0


if __name__ == "__main__":
    sys.exit(main())
