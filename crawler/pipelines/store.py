"""StorePipeline: saves each article once in the SQLite store; duplicates and unchanged copies are dropped."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from ..store import ArticleStore, SaveStatus

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self


class StorePipeline:
    """Upserts articles into ``CLEANCRAWL_STORE_PATH``; blocking SQLite calls run in one dedicated thread."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = path
        self.store: ArticleStore | None = None
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cleancrawl-store")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("CLEANCRAWL_STORE_PATH")
        if not path:
            raise NotConfigured("CLEANCRAWL_STORE_PATH is empty")
        return cls(crawler, path)

    async def _run(self, func: Any, *args: Any) -> Any:
        return await asyncio.wrap_future(self.thread.submit(func, *args))

    async def open_spider(self) -> None:
        crawl_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        self.store = await self._run(ArticleStore, self.path, crawl_id)

    async def close_spider(self) -> None:
        if self.store is not None:
            await self._run(self.store.close)
            self.store = None
        self.thread.shutdown(wait=True)

    async def process_item(self, item: Any) -> Any:
        assert self.store is not None
        status = await self._run(self.store.save, ItemAdapter(item).asdict())
        self.crawler.stats.inc_value(f"cleancrawl/store/{status.value}")
        site_for = getattr(self.crawler.spider, "site_for", None)
        if site_for is not None and status is not SaveStatus.DUPLICATE:
            self.crawler.stats.inc_value(f"cleancrawl/seed/{site_for(item['url']).name}/articles")
        if status in (SaveStatus.UNCHANGED, SaveStatus.DUPLICATE):
            self.crawler.stats.inc_value(f"cleancrawl/dropped/{status.value}")
            raise DropItem(f"{status.value}: {item['url']}")
        return item
