"""What runs in a cleaning worker process: no Scrapy, picklable inputs and outputs."""

from __future__ import annotations

import logging
from typing import Any

import cleaners

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Pay the import and first-use costs once per worker, not per page."""
    cleaners.clean(b"<html><body><article><p>" + b"Warm up the extractor. " * 20 + b"</p></article></body></html>",
                   "http://127.0.0.1/warm-up")


def clean_page(body: bytes, url: str, content_type: str | None, fetched_at: str) -> tuple[str, Any]:
    """Return ("ok", record) or ("error", "reason: message"); never raises."""
    try:
        return "ok", cleaners.clean(body, url, content_type=content_type, fetched_at=fetched_at)
    except cleaners.CleanError as error:
        return "error", f"{error.reason}: {error.message}"
    except Exception as error:  # a bug or a library failure on one page must not stop the crawl
        logger.exception("cleaning failed for %s", url)
        return "error", f"extraction_failed: {type(error).__name__}: {error}"
