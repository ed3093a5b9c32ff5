"""The offline cleaner's machinery: pages cleaned on every core in input order, and what became of them.

:func:`clean_in_order` hands pages to a pool of worker processes (the crawl's own worker
function, :func:`crawler.cleaning.clean_page`, which empties trafilatura's caches every
few hundred pages so a worker's memory stays flat), keeps at most ``PAGES_PER_WORKER``
pages per worker in flight (memory is bounded whatever the input's size) and gives the
results back in input order. :class:`Tally` counts every outcome for the summary.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

from crawler.cleaning import clean_page, warm_up

from .archive import Page, Progress, Skip

# Pages in flight per worker: results leave in input order, so a slow page holds up the ones behind it; with
# 16 a worker (~30 ms a page) keeps going for half a second behind a slow page, for ~3 MB of bodies held.
PAGES_PER_WORKER = 16
PROGRESS_EVERY = 0.5  # seconds between two progress lines

Result = tuple[str, Any, list[str]]  # clean_page's ("ok", record, fingerprints) or ("error", "reason: message", [])


def _pool(workers: int) -> ProcessPoolExecutor:
    # fork where there is one: workers start at once with the modules already imported here.
    if "fork" in multiprocessing.get_all_start_methods():
        warm_up()  # here, once: langdetect's profiles and trafilatura's first-use costs are then every worker's
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=warm_up, initargs=(os.getpid(),))


def clean_in_order(items: Iterable[Page | Skip], workers: int) -> Iterator[tuple[Page | Skip, Result | None]]:
    """Each item with its cleaning result (None for a Skip), in input order; ``workers`` 0 cleans in this process."""
    if workers == 0:
        for item in items:
            yield item, (clean_page(item.body, item.url, item.content_type, item.fetched_at)
                         if isinstance(item, Page) else None)
        return
    window = workers * PAGES_PER_WORKER
    pending: deque[tuple[Page | Skip, Future[Result] | None]] = deque()
    with _pool(workers) as pool:
        for item in items:
            future = (pool.submit(clean_page, item.body, item.url, item.content_type, item.fetched_at)
                      if isinstance(item, Page) else None)
            pending.append((item, future))
            # Give back what is done at the head at once, and wait for the head when the window is full.
            while pending and (len(pending) > window or pending[0][1] is None or pending[0][1].done()):
                head, done = pending.popleft()
                yield head, done.result() if done is not None else None
        while pending:
            head, done = pending.popleft()
            yield head, done.result() if done is not None else None


def _listed(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass
class Tally:
    """What became of every page and record, for the summary line at the end."""

    started: float = field(default_factory=time.perf_counter)
    pages: int = 0  # pages handed to the cleaner
    cleaned: int = 0
    saved: Counter[str] = field(default_factory=Counter)  # new / updated
    not_articles: Counter[str] = field(default_factory=Counter)
    duplicates: Counter[str] = field(default_factory=Counter)  # duplicate / near_duplicate / unchanged
    errors: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # records not cleaned: other types, non-HTML, statuses

    def rate(self) -> float:
        seconds = time.perf_counter() - self.started
        return self.pages / seconds if seconds > 0 else 0.0

    def lines(self) -> list[str]:
        seconds = time.perf_counter() - self.started
        lines = [
            f"cleancrawl offline summary: {self.pages} pages in {seconds:.1f} s ({self.rate():.1f} pages/s)",
            f"  cleaned:        {self.cleaned}",
            f"  articles saved: {sum(self.saved.values())} (new {self.saved['new']}, updated {self.saved['updated']})",
        ]
        for label, counts in (("not articles", self.not_articles), ("duplicates", self.duplicates),
                              ("errors", self.errors), ("skipped", self.skipped)):
            if counts:
                lines.append(f"  {label + ':':<15} {sum(counts.values())} ({_listed(counts)})")
        return lines


class ProgressLine:
    """Pages, pages/s and an ETA (from the bytes read) on one rewritten line, on a terminal only."""

    def __init__(self, stream: IO[str], progress: Progress) -> None:
        self.stream = stream
        self.progress = progress
        self.enabled = stream.isatty()
        self.last = 0.0

    def update(self, tally: Tally) -> None:
        now = time.perf_counter()
        if not self.enabled or now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        line = f"{tally.pages} pages, {tally.rate():.1f} pages/s"
        total, done = self.progress.total, self.progress.done
        if total and done:
            fraction = min(done / total, 1.0)
            eta = (now - tally.started) * (1 - fraction) / fraction
            line += f", {100 * fraction:.0f}% of the input, ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        self.stream.write(f"\r{line}\033[K")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\r\033[K")
            self.stream.flush()
