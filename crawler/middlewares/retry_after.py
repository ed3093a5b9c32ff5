"""RetryAfterMiddleware: a 429 or 503 answer's Retry-After is honoured before Scrapy retries the request.

Scrapy's RetryMiddleware retries 429 and 503 at once, whatever the server asked for.
This middleware (just outside RetryMiddleware, so it sees the answer first) waits the
number of seconds Retry-After gives (delta-seconds or an HTTP date), up to
``CLEANCRAWL_RETRY_AFTER_MAX`` (default 60); a server that asks for longer is not
retried in this crawl, and that is counted (``cleancrawl/failed/retry_after_too_long``).
Only the request that got the answer waits. Stats: ``cleancrawl/retry_after/waits``,
``cleancrawl/retry_after/seconds``.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from .outcomes import count_failure

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self

logger = logging.getLogger(__name__)

STATUSES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header value asks to wait (0 for a date in the past); None when unreadable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    def __init__(self, crawler: Crawler, max_wait: float, retry_times: int) -> None:
        self.crawler = crawler
        self.max_wait = max_wait
        self.retry_times = retry_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED") or not settings.getbool("CLEANCRAWL_RETRY_AFTER_ENABLED", True):
            raise NotConfigured  # retries or CLEANCRAWL_RETRY_AFTER_ENABLED are off
        return cls(crawler, settings.getfloat("CLEANCRAWL_RETRY_AFTER_MAX", 60.0), settings.getint("RETRY_TIMES"))

    async def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in STATUSES or request.meta.get("dont_retry"):
            return response
        if request.meta.get("retry_times", 0) >= request.meta.get("max_retry_times", self.retry_times):
            return response  # RetryMiddleware gives up on it anyway
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if delay is None or delay <= 0:
            return response
        if delay > self.max_wait:
            count_failure(self.crawler, request, "retry_after_too_long")
            raise IgnoreRequest(f"{response.status} with Retry-After {delay:g} s, more than"
                                f" CLEANCRAWL_RETRY_AFTER_MAX ({self.max_wait:g} s): {request.url}")
        stats = self.crawler.stats
        stats.inc_value("cleancrawl/retry_after/waits")
        stats.inc_value("cleancrawl/retry_after/seconds", delay)
        logger.debug("Waiting %g s as Retry-After asks before retrying %s", delay, request.url)
        await asyncio.sleep(delay)
        return response
