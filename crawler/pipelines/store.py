"""StorePipeline: saves each story once; duplicates, near-duplicates and unchanged re-crawls are dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from ..extensions.state import CrawlState
from ..middlewares.outcomes import site_name
from ..store import SaveStatus, StoreError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

_SAVED = {SaveStatus.NEW: "new", SaveStatus.UPDATED: "updated"}


class StorePipeline:
    """Upserts articles into the store of :class:`CrawlState`; only new and changed stories go on to the feeds."""

    def __init__(self, crawler: Crawler, state: CrawlState) -> None:
        self.crawler = crawler
        self.state = state

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        state = crawler.get_extension(CrawlState)
        if state is None:
            raise NotConfigured("the CrawlState extension is off (no store configured)")
        return cls(crawler, state)

    async def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        stats = self.crawler.stats
        try:
            status, original = await self.state.call(self.state.store.save, adapter.asdict())
        except StoreError as error:  # not saved, so a later crawl saves it: dropped, counted, not exported
            stats.inc_value("cleancrawl/dropped/store_error")
            raise DropItem(f"store_error: {error}: {adapter['url']}") from error
        stats.inc_value(f"cleancrawl/store/{status.value}")
        if status is not SaveStatus.DUPLICATE:
            stats.inc_value(f"cleancrawl/seed/{site_name(self.crawler, adapter['url'])}/articles")
        if status not in _SAVED:
            stats.inc_value(f"cleancrawl/dropped/{status.value}")
            detail = f" of {original}" if original else ""
            raise DropItem(f"{status.value}{detail}: {adapter['url']}")
        adapter["event"] = _SAVED[status]
        return item
