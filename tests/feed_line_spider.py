"""A spider for tests/test_feed_paths.py: yields items without downloading anything, and records, as each item
is scraped, how many lines the feed file already holds (``-a feed=PATH``) in the stats ``lines_before/<n>``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

ITEMS = 5


class FeedLineSpider(Spider):
    name = "feed_lines"

    def __init__(self, feed: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.feed = Path(feed)
        self.scraped = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Connected before the feed exporter's handler: item n finds the lines of items 0..n-1 in the file.
        crawler.signals.connect(spider.item_scraped, signal=signals.item_scraped)
        return spider

    def item_scraped(self) -> None:
        lines = self.feed.read_bytes().count(b"\n") if self.feed.exists() else 0
        self.crawler.stats.set_value(f"lines_before/{self.scraped}", lines)
        self.scraped += 1

    async def start(self) -> AsyncIterator[Any]:
        for number in range(ITEMS):
            yield {"url": f"http://127.0.0.1/{number}"}
            await asyncio.sleep(0.05)  # one item at a time through the pipelines and the feed
