"""A stats collector for ``benchmarks.speed``: Scrapy's usual in-memory stats, also
written as JSON to ``SPEED_STATS_FILE`` when the spider closes (``-s STATS_CLASS=...``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.statscollectors import MemoryStatsCollector


class JsonFileStatsCollector(MemoryStatsCollector):
    def _persist_stats(self, stats: dict[str, Any]) -> None:
        super()._persist_stats(stats)
        path = self._crawler.settings.get("SPEED_STATS_FILE")
        if path:
            Path(path).write_text(json.dumps(stats, default=str, sort_keys=True, indent=1), encoding="utf-8")
