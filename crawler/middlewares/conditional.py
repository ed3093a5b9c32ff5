"""ConditionalFetchMiddleware: articles saved by an earlier run are not downloaded again unless they changed.

A known article listed in a sitemap or feed with a date no newer than our last fetch is
skipped outright; any other known article is requested with If-None-Match /
If-Modified-Since, and a 304 answer ends there.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import IgnoreRequest, NotConfigured

from ..discovery import parse_moment
from ..extensions.state import CrawlState
from ..store import StoreError
from .outcomes import site_name

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self

logger = logging.getLogger(__name__)

# Request.meta key: the date a sitemap or feed gives for the URL (ISO 8601).
LISTED_DATE = "cleancrawl_listed_date"


class ConditionalFetchMiddleware:
    """Uses the validators and fetch times that :class:`CrawlState` keeps (``CLEANCRAWL_CONDITIONAL_ENABLED``)."""

    def __init__(self, crawler: Crawler, state: CrawlState) -> None:
        self.crawler = crawler
        self.state = state
        self.store_failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("CLEANCRAWL_CONDITIONAL_ENABLED", True):
            raise NotConfigured("CLEANCRAWL_CONDITIONAL_ENABLED is off")
        state = crawler.get_extension(CrawlState)
        if state is None:
            raise NotConfigured("no crawl state: no store configured")
        return cls(crawler, state)

    def _count_known(self, request: Request, what: str) -> None:
        self.crawler.stats.inc_value(f"cleancrawl/state/{what}")
        self.crawler.stats.inc_value(f"cleancrawl/seed/{site_name(self.crawler, request.url)}/articles")

    def _count_store_error(self, error: StoreError) -> None:
        """A store that fails (a lost server) costs the conditional request, not the page."""
        self.crawler.stats.inc_value("cleancrawl/state/store_error")
        if not self.store_failed:
            self.store_failed = True
            logger.warning("Pages are fetched without their validators while the store fails: %s"
                           " (further failures are counted in cleancrawl/state/store_error, not logged)", error)

    async def process_request(self, request: Request) -> None:
        try:
            known = await self.state.call(self.state.store.page_state, request.url)
        except StoreError as error:
            self._count_store_error(error)
            return
        if known is None or known.canonical_url is None:
            return
        listed = parse_moment(request.meta.get(LISTED_DATE))
        fetched = parse_moment(known.fetched_at)
        if listed and fetched and listed <= fetched:
            self._count_known(request, "skipped_unchanged")
            raise IgnoreRequest(f"unchanged since {known.fetched_at} according to its listing: {request.url}")
        if known.etag:
            request.headers.setdefault("If-None-Match", known.etag)
        if known.last_modified:
            request.headers.setdefault("If-Modified-Since", known.last_modified)

    async def process_response(self, request: Request, response: Response) -> Any:
        if response.status == 304 and (b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers):
            self._count_known(request, "not_modified")
            raise IgnoreRequest(f"not modified: {request.url}")
        content_type = response.headers.get("Content-Type", b"").lower()
        if response.status == 200 and (b"html" in content_type or not content_type):
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            try:
                await self.state.call(
                    self.state.store.record_fetch, response.url, etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None, datetime.now(UTC).isoformat(timespec="seconds"))
            except StoreError as error:
                self._count_store_error(error)
        return response
