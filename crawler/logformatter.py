"""Log hygiene: an expected fault is one WARNING line with its reason slug; a traceback means a real bug.

* Dropped items name the reason, never the item (a page body can be megabytes).
* A download that failed for an expected reason (a timeout, a refused or lost connection,
  DNS, a page over ``DOWNLOAD_MAXSIZE``, ...: the slugs of ``cleancrawl/failed/<reason>``) is
  logged by Scrapy's scraper through :meth:`CleanLogFormatter.download_error`, here at WARNING
  as ``Download failed (<reason>): <request>: <error>``. The scraper attaches the failure's
  traceback to that record whatever its level, so a filter on its logger removes tracebacks
  from records below ERROR: unexpected exceptions (``other/<Name>``) and spider errors stay
  ERROR, with their tracebacks. The download handlers' warnings about a body over
  ``DOWNLOAD_MAXSIZE`` or cut short (just before that line) or over ``DOWNLOAD_WARNSIZE`` are INFO.
* A robots.txt that could not be fetched for an expected reason: one WARNING line with it,
  not RobotsTxtMiddleware's ERROR with a traceback.
* Scrapy's "Gave up retrying" line (``RETRY_GIVE_UP_LOG_LEVEL``) is DEBUG in the settings: the
  line above, or DownloadOutcomesMiddleware's for an HTTP error status, says it once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from .middlewares.outcomes import failure_reason

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self

SCRAPER_LOGGER = "scrapy.core.scraper"
ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
# Download handlers warn about a body over DOWNLOAD_MAXSIZE or cut short just before failing the download (the
# failure's own line says it, with the reason), and about one over DOWNLOAD_WARNSIZE (no fault): these are INFO.
HANDLER_LOGGERS = ("scrapy.core.downloader.handlers.http11", "scrapy.core.downloader.handlers._base_streaming")
FAILURE_DETAILS = ("larger than download max size", "larger than download warn size", "Got data loss")


class TracebacksOnlyForErrors(logging.Filter):
    """Drops the traceback of a record below ERROR (an expected fault the formatter lowered to WARNING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            record.exc_info = None
            record.exc_text = None
        return True


class FailureDetailsAsInfo(logging.Filter):
    """Lowers a handler's warnings about a body's size or loss to INFO (a failure is logged once, later)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and any(text in record.getMessage() for text in FAILURE_DETAILS):
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


def expected_reason(exception: BaseException | None) -> str | None:
    """The reason slug of an expected download failure; None for anything else (a bug, until shown otherwise)."""
    reason = failure_reason(exception) if exception is not None else None
    return None if reason is None or reason.startswith("other/") else reason


class RobotsFailuresAsWarnings(logging.Filter):
    """RobotsTxtMiddleware logs a robots.txt it could not fetch at ERROR with a traceback, whatever the reason:
    an expected fault (the host refuses, times out...) becomes one WARNING line with its reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        reason = expected_reason(record.exc_info[1]) if record.exc_info else None
        if reason is not None and isinstance(record.args, dict):
            record.levelno, record.levelname = logging.WARNING, logging.getLevelName(logging.WARNING)
            record.exc_info, record.exc_text = None, None
            record.msg = "robots.txt not fetched (%(reason)s) for %(request)s: %(f_exception)s"
            record.args = {**record.args, "reason": reason}
        return True


def install_filters() -> None:
    """Once per process (loggers are global; a process may run several crawlers)."""
    for name, kind in ((SCRAPER_LOGGER, TracebacksOnlyForErrors), (ROBOTS_LOGGER, RobotsFailuresAsWarnings),
                       *((handler, FailureDetailsAsInfo) for handler in HANDLER_LOGGERS)):
        target = logging.getLogger(name)
        if not any(isinstance(existing, kind) for existing in target.filters):
            target.addFilter(kind())


class CleanLogFormatter(LogFormatter):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        install_filters()
        return super().from_crawler(crawler)

    def dropped(self, item: Any, exception: BaseException, response: Response | Failure | None,
                spider: Spider) -> LogFormatterResult:
        return {"level": logging.INFO, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}

    def download_error(self, failure: Failure, request: Request, spider: Spider,
                       errmsg: str | None = None) -> LogFormatterResult:
        reason = expected_reason(failure.value) if isinstance(failure, Failure) else None
        if reason is None:
            return super().download_error(failure, request, spider, errmsg)
        return {"level": logging.WARNING, "msg": "Download failed (%(reason)s): %(request)s: %(error)s",
                "args": {"reason": reason, "request": request, "error": errmsg or failure.getErrorMessage()}}
