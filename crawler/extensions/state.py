"""CrawlState: owns the SQLite store that the pipelines and middlewares share, and its one thread.

SQLite calls block, so they all run in a single dedicated thread, never on the reactor.
Components reach it with ``crawler.get_extension(CrawlState)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy import signals
from scrapy.exceptions import NotConfigured

from ..store import MAX_TEMPLATE_FINGERPRINTS, ArticleStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

T = TypeVar("T")


class CrawlState:
    """The store at ``CLEANCRAWL_STORE_PATH`` (empty: no store, no state across runs)."""

    def __init__(self, path: str, max_template_fingerprints: int = MAX_TEMPLATE_FINGERPRINTS) -> None:
        self.path = path
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cleancrawl-store")
        crawl_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        self.store: ArticleStore = self.thread.submit(ArticleStore, path, crawl_id, max_template_fingerprints).result()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("CLEANCRAWL_STORE_PATH")
        if not path:
            raise NotConfigured("CLEANCRAWL_STORE_PATH is empty")
        fingerprints = crawler.settings.getint("CLEANCRAWL_TEMPLATE_MAX_FINGERPRINTS", MAX_TEMPLATE_FINGERPRINTS)
        extension = cls(path, fingerprints)
        crawler.signals.connect(extension.close, signal=signals.spider_closed)
        return extension

    async def call(self, function: Callable[..., T], *args: Any) -> T:
        """Run ``function(*args)`` in the store's thread."""
        return await asyncio.wrap_future(self.thread.submit(function, *args))

    def close(self) -> None:
        self.thread.submit(self.store.close).result()
        self.thread.shutdown(wait=True)
