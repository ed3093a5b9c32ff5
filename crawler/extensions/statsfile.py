"""StatsFile: writes the final crawl stats as one JSON object to ``CLEANCRAWL_STATS_PATH``.

For tests and monitoring: the stats Scrapy prints with ``STATS_DUMP``, but machine
readable. The file is replaced atomically (written aside, then renamed), so a reader
never sees half of it. Two keys are added: ``cleancrawl/memory/peak_rss_bytes`` (the
crawl process) and ``cleancrawl/memory/peak_rss_children_bytes`` (the largest cleaning
worker that has exited by then), from ``getrusage``.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self

logger = logging.getLogger(__name__)


def peak_rss() -> tuple[int | None, int | None]:
    """Peak resident memory in bytes of this process and of its largest waited-for child."""
    try:
        import resource  # noqa: PLC0415 (POSIX only)
    except ImportError:
        return None, None
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale)


class StatsFile:
    """Dumps the stats when the spider closes (after Scrapy's own CoreStats has set finish_reason)."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("CLEANCRAWL_STATS_PATH")
        if not path:
            raise NotConfigured  # off by default: no warning
        extension = cls(crawler, Path(path))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def stats(self) -> dict[str, Any]:
        stats = dict(self.crawler.stats.get_stats())
        own, children = peak_rss()
        if own is not None:
            stats["cleancrawl/memory/peak_rss_bytes"] = own
            stats["cleancrawl/memory/peak_rss_children_bytes"] = children
        return stats

    def spider_closed(self, reason: str) -> None:
        stats = self.stats()
        stats.setdefault("finish_reason", reason)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(stats, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
        os.replace(partial, self.path)
        logger.info("Stats written to %s", self.path)
