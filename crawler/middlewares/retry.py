"""TimeoutAwareRetryMiddleware: Scrapy's RetryMiddleware, retrying timeouts fewer times than other failures.

A 503 or a reset connection is often gone a moment later; a page that stalled or dripped
for a whole ``DOWNLOAD_TIMEOUT`` rarely comes faster on the next tries, and each try costs
the full timeout (three tries of 30 s: 90 s for one URL). Timeouts are retried
``CLEANCRAWL_RETRY_TIMEOUT_TIMES`` times (default 1), other failures ``RETRY_TIMES``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request

from .outcomes import failure_reason

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self


class TimeoutAwareRetryMiddleware(RetryMiddleware):
    timeout_retry_times: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        middleware.timeout_retry_times = crawler.settings.getint("CLEANCRAWL_RETRY_TIMEOUT_TIMES", 1)
        return middleware

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if (failure_reason(exception) != "timeout" or request.meta.get("dont_retry", False)
                or not isinstance(exception, self.exceptions_to_retry)):
            return super().process_exception(request, exception)
        assert self.crawler.spider is not None
        return get_retry_request(
            request, spider=self.crawler.spider, reason=exception,
            max_retry_times=min(request.meta.get("max_retry_times", self.max_retry_times), self.timeout_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level))
