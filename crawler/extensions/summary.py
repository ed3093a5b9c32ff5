"""CrawlSummary: prints what a crawl fetched, saved and dropped, and why, when it ends."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)


class CrawlSummary:
    """Writes a short summary to stderr at the end of the crawl (``CLEANCRAWL_SUMMARY_ENABLED``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("CLEANCRAWL_SUMMARY_ENABLED", True):
            raise NotConfigured("CLEANCRAWL_SUMMARY_ENABLED is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def lines(self, reason: str) -> list[str]:
        stats = self.crawler.stats.get_stats()
        saved = stats.get("item_scraped_count", 0)
        lines = [
            f"cleancrawl summary ({reason}):",
            f"  pages fetched:  {stats.get('response_received_count', 0)}",
            f"  articles saved: {saved} (new {stats.get('cleancrawl/store/new', 0)},"
            f" updated {stats.get('cleancrawl/store/updated', 0)})",
            f"  already saved:  unchanged {stats.get('cleancrawl/store/unchanged', 0)},"
            f" not re-downloaded {stats.get('cleancrawl/state/not_modified', 0) + stats.get('cleancrawl/state/skipped_unchanged', 0)}",
            f"  duplicates:     {stats.get('cleancrawl/store/duplicate', 0)} exact,"
            f" {stats.get('cleancrawl/store/near_duplicate', 0)} near (syndicated copies)",
        ]
        drops = sorted((key.removeprefix("cleancrawl/dropped/"), value) for key, value in stats.items()
                       if key.startswith("cleancrawl/dropped/"))
        lines.append(f"  items dropped:  {sum(count for _, count in drops)}")
        lines += [f"    {why}: {count}" for why, count in drops]
        skipped = sorted((key, value) for key, value in stats.items()
                         if key.startswith(("robotstxt/forbidden", "offsite/filtered", "retry/max_reached",
                                            "downloader/exception_type_count/", "httperror/response_ignored_status_count/")))
        if skipped:
            lines.append("  requests not saved:")
            lines += [f"    {key}: {value}" for key, value in skipped]
        spider = self.crawler.spider
        for site in getattr(spider, "sites", []):
            if not stats.get(f"cleancrawl/seed/{site.name}/articles"):
                lines.append(f"  site without any article: {site.name}")
        return lines

    def spider_closed(self, reason: str) -> None:
        sys.stderr.write("\n".join(self.lines(reason)) + "\n")
