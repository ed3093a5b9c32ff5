"""SiteTemplatePipeline: learns each site's template during the crawl and removes it from the site's articles.

Every article adds the fingerprints of its short blocks to its site's memory in the store
(one count per distinct page, bounded per site, kept across runs); a block seen on at
least ``CLEANCRAWL_TEMPLATE_MIN_PAGES`` pages of the site is removed (rule ``site_template``).
The cleaning workers already remove the template blocks this pipeline has found so far
(:meth:`SiteTemplatePipeline.for_site`), before the text's language and hashes are
computed; here the rest is removed (in a cleaning worker too), the blocks that only the store
knows to be template yet.

The first pages of a site arrive before its template can be known, so each article is
held here until ``CLEANCRAWL_TEMPLATE_HOLD_PAGES`` more pages of its site have been
recorded, and judged then. An article held when nothing else is left to crawl is released
at once, and none waits longer than ``CLEANCRAWL_TEMPLATE_HOLD_SECONDS``.

Pages are written to the memory in batches, one store transaction per site every
``FLUSH_PAGES`` pages (or ``TICK_SECONDS``), and the held articles that are due are judged
with the counts read right after, in the same call to the store's thread (two calls a
page were most of what the memory cost the crawl before, see the README). An article leaves only after the batch that
counts its page is written, so a crawl killed at any moment has lost only the counts of
pages whose articles were not saved, which the next crawl fetches, and counts, again (a
page is counted once however often it is written). Losing the count of a saved article's
page instead would keep a block one page short of template on that site for good.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from cleaners.templates import MAX_WORDS, MIN_PAGES, RULE, apply

from ..cleaning import PackedTemplate
from ..extensions.state import CrawlState
from ..items import BLOCK_FINGERPRINTS, BlockMarks
from ..middlewares.outcomes import site_name
from ..store import StoreError
from ..store.base import TEMPLATE_MAX_FINGERPRINTS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.crawler import Crawler
    from typing_extensions import Self

    from ..store import Store
    from .clean import CleanPipeline

TICK_SECONDS = 0.5  # how often held articles are checked against the time limit and an idle crawl
IDLE_TICKS = 2  # ticks in a row with nothing but held articles in flight before they are all released
HOLD_PAGES = 10  # CLEANCRAWL_TEMPLATE_HOLD_PAGES: twice what the demo crawl needs (see the README)
HOLD_SECONDS = 30.0
# Pages written to the memory at once. A due article waits for the next batch: held responses count
# in Scrapy's scraper budget (SCRAPER_SLOT_MAX_ACTIVE_SIZE, 5 MB), so HOLD_PAGES + FLUSH_PAGES
# articles must leave room for the pages being cleaned.
FLUSH_PAGES = 8

Pages = dict[str, dict[str, list[str]]]  # site -> page (canonical URL) -> its block fingerprints


@dataclass
class _Held:
    site: str
    marks: BlockMarks
    until: int  # due once the site has this many pages recorded in this crawl
    deadline: float  # loop time
    released: asyncio.Future[tuple[str, dict[str, int]]] = field(repr=False)  # (reason, counts of its marks)


class SiteTemplatePipeline:
    """Between the filter and the store (``CLEANCRAWL_TEMPLATE_ENABLED``); needs the store of :class:`CrawlState`."""

    def __init__(self, crawler: Crawler, state: CrawlState, *, min_pages: int, max_words: int, max_fingerprints: int,
                 hold_pages: int, hold_seconds: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = state
        self.min_pages = min_pages
        self.max_words = max_words
        self.max_fingerprints = max_fingerprints
        self.hold_pages = hold_pages
        self.hold_seconds = hold_seconds
        # site -> fingerprint found to be template in this crawl -> its place in the site's PackedTemplate
        self.known: dict[str, dict[str, int]] = {}
        self.packed: dict[str, PackedTemplate] = {}  # the same, as the cleaning workers receive them
        self.recorded: Counter[str] = Counter()  # pages recorded in this crawl (written or pending), per site
        self.pending: Pages = {}  # recorded, not yet written
        self.pending_pages = 0
        self.flushing = asyncio.Lock()  # one batch at a time, in order
        self.held: list[_Held] = []  # oldest first
        self.ticker: asyncio.Task[None] | None = None
        self.idle_ticks = 0
        self.cleaner: CleanPipeline | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("CLEANCRAWL_TEMPLATE_ENABLED", True):
            raise NotConfigured("CLEANCRAWL_TEMPLATE_ENABLED is off")
        state = crawler.get_extension(CrawlState)
        if state is None:
            raise NotConfigured("the site template memory lives in the store: CLEANCRAWL_STORE_PATH is empty")
        min_pages = settings.getint("CLEANCRAWL_TEMPLATE_MIN_PAGES", MIN_PAGES)
        if min_pages < 2:
            raise ValueError(f"CLEANCRAWL_TEMPLATE_MIN_PAGES must be at least 2, not {min_pages}")
        return cls(crawler, state, min_pages=min_pages,
                   max_words=settings.getint("CLEANCRAWL_TEMPLATE_MAX_WORDS", MAX_WORDS),
                   max_fingerprints=settings.getint("CLEANCRAWL_TEMPLATE_MAX_FINGERPRINTS", TEMPLATE_MAX_FINGERPRINTS),
                   hold_pages=settings.getint("CLEANCRAWL_TEMPLATE_HOLD_PAGES", HOLD_PAGES),
                   hold_seconds=settings.getfloat("CLEANCRAWL_TEMPLATE_HOLD_SECONDS", HOLD_SECONDS))

    def open_spider(self) -> None:
        from .clean import CleanPipeline  # which imports this module

        self.cleaner = self.crawler.get_item_pipeline(CleanPipeline)

    def for_site(self, site: str) -> PackedTemplate:
        """What a cleaning worker removes from a page of ``site``: the template found so far."""
        return self.packed.get(site) or PackedTemplate(site, "", self.max_words)

    def _learned(self, site: str, fingerprints: Iterable[str]) -> None:
        known = self.known.setdefault(site, {})
        new = sorted(set(fingerprints).difference(known))[: max(self.max_fingerprints - len(known), 0)]
        if new:
            known.update(zip(new, range(len(known), len(known) + len(new)), strict=True))
            self.packed[site] = PackedTemplate(site, self.for_site(site).fingerprints + "".join(new), self.max_words)

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        marks: BlockMarks = adapter.pop(BLOCK_FINGERPRINTS, BlockMarks([], 0))
        url: str = adapter["url"]
        site = site_name(self.crawler, url)
        self.pending.setdefault(site, {}).setdefault(adapter.get("canonical_url") or url, marks.fingerprints)
        self.pending_pages += 1
        self.recorded[site] += 1
        self.stats.inc_value("cleancrawl/template/pages")
        if not marks.fingerprints:
            return item  # nothing to judge, and nothing to count that a lost batch could miss
        loop = asyncio.get_running_loop()
        held = _Held(site, marks, self.recorded[site] + self.hold_pages, loop.time() + self.hold_seconds,
                     loop.create_future())
        self.held.append(held)
        if self.hold_pages > 0:
            self.stats.inc_value("cleancrawl/template/held")
            self.stats.max_value("cleancrawl/template/max_held", len(self.held))
        if self.ticker is None:
            self.ticker = asyncio.create_task(self._tick())
        if self.hold_pages == 0 or self.pending_pages >= FLUSH_PAGES:
            await self._flush()
        try:
            reason, counts = await held.released
        except StoreError as error:  # not judged, so not saved: a later crawl saves it
            self.stats.inc_value("cleancrawl/dropped/store_error")
            raise DropItem(f"store_error: {error}: {url}") from error
        if self.hold_pages > 0:
            self.stats.inc_value(f"cleancrawl/template/released/{reason}")
        template = {mark for mark, pages in counts.items() if pages >= self.min_pages}
        self._learned(site, template)
        known = self.known[site]
        if all(known.get(mark, marks.template_size) < marks.template_size for mark in template):
            return item  # the worker removed them all already
        record = adapter.asdict()
        # In a cleaning worker: the text's language and hashes are computed again (langdetect: CPU, and its
        # profiles would take 70 MB in the crawl process).
        cleaned = (await self.cleaner.run(url, apply, record, template, self.max_words) if self.cleaner is not None
                   else apply(record, template, self.max_words))
        removed = cleaned["removed"].get(RULE, 0) - record["removed"].get(RULE, 0)
        if removed:
            self.stats.inc_value(f"cleancrawl/removed/{RULE}", removed)
            for key, value in cleaned.items():
                adapter[key] = value
        return item

    async def _flush(self, everyone: str | None = None) -> None:
        """Write the pages recorded so far and release the held articles that are due, judged with the counts
        read right after (all of them, with ``everyone`` as the reason)."""
        async with self.flushing:
            now = asyncio.get_running_loop().time()
            due: list[tuple[_Held, str]] = []
            for held in self.held:
                reason = everyone or ("pages" if held.until <= self.recorded[held.site] else
                                      "timeout" if held.deadline <= now else None)
                if reason is not None:
                    due.append((held, reason))
            if not self.pending and not due:
                return
            self.held = [held for held in self.held if all(held is not other for other, _ in due)]
            pages, self.pending, self.pending_pages = self.pending, {}, 0
            wanted: dict[str, set[str]] = {}
            for held, _ in due:
                wanted.setdefault(held.site, set()).update(held.marks.fingerprints)
            try:
                counts = await self.state.call(_write_and_count, self.state.store, pages, wanted,
                                               datetime.now(UTC).isoformat(timespec="seconds"))
            except Exception as error:  # the due articles fail; the pages go with the next batch
                for site, batch in pages.items():
                    self.pending[site] = batch | self.pending.get(site, {})
                self.pending_pages = sum(map(len, self.pending.values()))
                for held, _ in due:
                    held.released.set_exception(error)
                return
            for held, reason in due:
                site_counts = counts[held.site]
                held.released.set_result((reason, {mark: site_counts[mark] for mark in held.marks.fingerprints
                                                   if mark in site_counts}))

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            # Held articles keep their responses in the scraper's budget: when it is full, nothing is
            # downloaded, and once the pages already fetched are through, nothing but them is in flight.
            self.idle_ticks = self.idle_ticks + 1 if self.held and self._only_held_in_flight() else 0
            await self._flush("idle" if self.idle_ticks >= IDLE_TICKS else None)

    def _only_held_in_flight(self) -> bool:
        """Nothing is downloading or being parsed or cleaned but the held articles: no page can come to release them."""
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine else None
        return (slot is not None and not engine.downloader.active and not slot.queue
                and len(slot.active) <= len(self.held))

    async def close_spider(self) -> None:
        await self._flush("closed")
        if self.ticker is not None:
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.ticker


def _write_and_count(store: Store, pages: Pages, wanted: dict[str, set[str]],
                     seen_at: str) -> dict[str, dict[str, int]]:
    """In the store's thread: write a batch of pages, then read the counts of the ``wanted`` fingerprints per site."""
    for site, batch in pages.items():
        store.record_template_pages(site, batch, seen_at)
    return {site: store.template_counts(site, marks) for site, marks in wanted.items()}
