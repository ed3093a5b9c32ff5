"""SiteTemplatePipeline: learns each site's template during the crawl and removes it from the site's articles.

Every article adds the fingerprints of its short blocks to its site's memory in the store
(one count per distinct page, bounded per site, kept across runs); a block seen on at
least ``CLEANCRAWL_TEMPLATE_MIN_PAGES`` pages of the site is removed (rule ``site_template``).
The cleaning workers already remove the template blocks this pipeline has found so far
(:meth:`SiteTemplatePipeline.for_site`), before the text's language and hashes are
computed; here the rest is removed, the blocks that only the store knows to be template yet.

The first pages of a site arrive before its template can be known, so each article is
held here until ``CLEANCRAWL_TEMPLATE_HOLD_PAGES`` more pages of its site have been
recorded, and judged then. An article held when nothing else is left to crawl is released
at once, and none waits longer than ``CLEANCRAWL_TEMPLATE_HOLD_SECONDS``. A held article
is neither stored nor exported: a crawl killed meanwhile fetches it again next time (its
page was never saved), and its page is not counted twice (the memory counts pages once).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from cleaners.templates import MAX_WORDS, MIN_PAGES, RULE, apply

from ..cleaning import PackedTemplate
from ..extensions.state import CrawlState
from ..items import BLOCK_FINGERPRINTS
from ..middlewares.outcomes import site_name
from ..store.base import TEMPLATE_MAX_FINGERPRINTS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from scrapy.crawler import Crawler
    from typing_extensions import Self

TICK_SECONDS = 0.5  # how often held articles are checked against the time limit and an idle crawl
IDLE_TICKS = 2  # ticks in a row with nothing but held articles in flight before they are all released
HOLD_PAGES = 10  # CLEANCRAWL_TEMPLATE_HOLD_PAGES: twice what the demo crawl needs (see the README)
HOLD_SECONDS = 30.0


@dataclass
class _Held:
    site: str
    until: int  # released once the site has this many pages recorded in this crawl
    deadline: float  # loop time
    released: asyncio.Future[str] = field(repr=False)


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
        self.known: dict[str, frozenset[str]] = {}  # site -> fingerprints found to be template in this crawl
        self.packed: dict[str, PackedTemplate] = {}  # the same, as the cleaning workers receive them
        self.recorded: Counter[str] = Counter()  # pages recorded in this crawl, per site
        self.held: list[_Held] = []  # oldest first
        self.ticker: asyncio.Task[None] | None = None
        self.idle_ticks = 0

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

    def for_site(self, site: str) -> PackedTemplate:
        """What a cleaning worker removes from a page of ``site``: the template found so far."""
        return self.packed.get(site) or PackedTemplate(site, "", self.max_words)

    def _learned(self, site: str, fingerprints: Iterable[str]) -> None:
        known = self.known.get(site, frozenset())
        new = sorted(set(fingerprints) - known)[: max(self.max_fingerprints - len(known), 0)]
        if new:
            self.known[site] = known | frozenset(new)
            self.packed[site] = PackedTemplate(site, self.for_site(site).fingerprints + "".join(new), self.max_words)

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        marks: list[str] = adapter.pop(BLOCK_FINGERPRINTS, [])
        record = adapter.asdict()
        site = site_name(self.crawler, record["url"])
        store = self.state.store
        await self.state.call(store.record_template_page, site, record["canonical_url"] or record["url"], marks,
                              datetime.now(UTC).isoformat(timespec="seconds"))
        self.stats.inc_value("cleancrawl/template/pages")
        self.recorded[site] += 1
        self._release(lambda held: held.site == site and held.until <= self.recorded[site], "pages")
        if marks and self.hold_pages > 0:
            await self._hold(site)
        counts = await self.state.call(store.template_counts, site, marks)
        template = {mark for mark, pages in counts.items() if pages >= self.min_pages}
        self._learned(site, template)
        cleaned = apply(record, template, self.max_words)
        removed = cleaned["removed"].get(RULE, 0) - record["removed"].get(RULE, 0)
        if removed:
            self.stats.inc_value(f"cleancrawl/removed/{RULE}", removed)
            for key, value in cleaned.items():
                adapter[key] = value
        return item

    async def _hold(self, site: str) -> None:
        loop = asyncio.get_running_loop()
        held = _Held(site, self.recorded[site] + self.hold_pages, loop.time() + self.hold_seconds, loop.create_future())
        self.held.append(held)
        self.stats.inc_value("cleancrawl/template/held")
        self.stats.max_value("cleancrawl/template/max_held", len(self.held))
        if self.ticker is None:
            self.ticker = asyncio.create_task(self._tick())
        reason = await held.released
        self.stats.inc_value(f"cleancrawl/template/released/{reason}")

    def _release(self, due: Callable[[_Held], bool], reason: str) -> None:
        for held in [held for held in self.held if due(held)]:
            self.held.remove(held)
            held.released.set_result(reason)

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(TICK_SECONDS)
            now = loop.time()
            self._release(lambda held: held.deadline <= now, "timeout")
            # Held articles keep their responses in the scraper's budget: when it is full, nothing is
            # downloaded, and once the pages already fetched are through, nothing but them is in flight.
            self.idle_ticks = self.idle_ticks + 1 if self.held and self._only_held_in_flight() else 0
            if self.idle_ticks >= IDLE_TICKS:
                self._release(lambda held: True, "idle")

    def _only_held_in_flight(self) -> bool:
        """Nothing is downloading or being parsed or cleaned but the held articles: no page can come to release them."""
        engine = self.crawler.engine
        slot = engine.scraper.slot if engine else None
        return (slot is not None and not engine.downloader.active and not slot.queue
                and len(slot.active) <= len(self.held))

    async def close_spider(self) -> None:
        self._release(lambda held: True, "closed")
        if self.ticker is not None:
            self.ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.ticker
