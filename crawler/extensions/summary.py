"""CrawlSummary: prints what a crawl fetched, saved and dropped, and why, when it ends.

It also counts dropped items per seed site (``cleancrawl/seed/<site>/dropped/<reason>``),
so that a site that yielded no article at all is named with the reason: the statuses
its pages answered with, the requests refused or failed (from
:mod:`crawler.middlewares.outcomes`) and the pages dropped.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from ..middlewares.outcomes import site_name

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)

# Global stats keys listed under "requests not saved" (each one a reason a page never became an item).
_NOT_SAVED_PREFIXES = (
    "cleancrawl/failed/", "cleancrawl/address_guard/", "robotstxt/forbidden", "offsite/filtered",
    "retry/max_reached", "depth/request_ignored_count", "cleancrawl/discovery/depth_limit_reached",
    "downloader/exception_type_count/", "httperror/response_ignored_status_count/",
)


def drop_reason(exception: BaseException) -> str:
    """The reason slug of a DropItem: its ``reason`` attribute, else the message up to the first colon or space."""
    reason = getattr(exception, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    return str(exception).split(":", 1)[0].split(" ", 1)[0] or "unknown"


def _counts(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {key.removeprefix(prefix): int(value) for key, value in sorted(stats.items())
            if key.startswith(prefix) and isinstance(value, int)}


def _listed(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} x{count}" for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def site_reason(stats: Mapping[str, Any], site: str) -> str:
    """Why a site yielded no article, from its per-seed stats."""
    prefix = f"cleancrawl/seed/{site}/"
    statuses = _counts(stats, f"{prefix}status/")
    failed = _counts(stats, f"{prefix}failed/")
    dropped = _counts(stats, f"{prefix}dropped/")
    fetched = sum(count for status, count in statuses.items() if status.startswith("2"))
    errors = {f"HTTP {status}": count for status, count in statuses.items() if not status.startswith("2")}
    parts = []
    if errors:
        parts.append(f"answered {_listed(errors)}")
    refused = {reason: count for reason, count in failed.items()
               if reason.startswith(("address_guard/", "robots_forbidden", "scheme", "offsite"))}
    if refused:
        parts.append(f"refused {_listed(refused)}")
    broken = {reason: count for reason, count in failed.items() if reason not in refused}
    if broken:
        parts.append(f"failed {_listed(broken)}")
    if fetched:
        parts.append(f"{fetched} page(s) fetched" + (f", dropped {_listed(dropped)}" if dropped else
                                                    ", none of them an article page"))
    if not parts:
        parts.append("no page was requested (check the start URLs, allowed_domains and DEPTH_LIMIT)")
    return "; ".join(parts)


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
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        return extension

    def item_dropped(self, item: Any, exception: BaseException, **kwargs: Any) -> None:
        site = getattr(item, "site", None)
        if not isinstance(site, str):
            url = getattr(item, "url", None)
            if url is None and hasattr(item, "get"):
                url = item.get("url")
            site = site_name(self.crawler, url) if isinstance(url, str) else "unknown"
        self.crawler.stats.inc_value(f"cleancrawl/seed/{site}/dropped/{drop_reason(exception)}")

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
        skipped = sorted((key, value) for key, value in stats.items() if key.startswith(_NOT_SAVED_PREFIXES))
        if skipped:
            lines.append("  requests not saved:")
            lines += [f"    {key}: {value}" for key, value in skipped]
        spider = self.crawler.spider
        for site in getattr(spider, "sites", []):
            if not stats.get(f"cleancrawl/seed/{site.name}/articles"):
                lines.append(f"  site without any article: {site.name}: {site_reason(stats, site.name)}")
        return lines

    def spider_closed(self, reason: str) -> None:
        sys.stderr.write("\n".join(self.lines(reason)) + "\n")
