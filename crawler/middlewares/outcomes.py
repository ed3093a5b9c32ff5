"""Every request that ends without a page is counted, with its reason, per seed site.

Scrapy counts most failures only globally (``downloader/exception_type_count/...``)
and some not at all: a redirect chain longer than ``REDIRECT_MAX_TIMES`` and a body
that unpacks past ``DOWNLOAD_MAXSIZE`` are dropped with a log line and no stat, and a
truncated gzip body is silently accepted as the part that could be unpacked. Here:

* :class:`DownloadOutcomesMiddleware` (outermost: it sees what no other middleware
  retried or answered) counts the final status of every response per seed,
  ``cleancrawl/seed/<site>/status/<code>``, and every final download failure,
  ``cleancrawl/failed/<reason>`` and ``cleancrawl/seed/<site>/failed/<reason>``.
* :class:`CountedRedirectMiddleware` replaces Scrapy's RedirectMiddleware and counts
  ``max_redirects``.
* :class:`CheckedHttpCompressionMiddleware` replaces Scrapy's HttpCompressionMiddleware:
  it counts ``decompressed_too_large`` and ``bad_encoding``, and refuses a gzip body
  that ends before its compressed stream does (``truncated_body``; retried first, as
  for any broken transfer) instead of passing half a page on.

The end-of-crawl summary reads these keys to say why a site yielded no article.
"""

from __future__ import annotations

import logging
import zlib
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest

from .address_guard import GuardedResolver

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024

# Exception class names (Scrapy's own and Twisted's) -> reason slug.
_REASONS = {
    "DownloadTimeoutError": "timeout",
    "TimeoutError": "timeout",
    "TCPTimedOutError": "timeout",
    "ResponseDataLossError": "connection_lost",
    "ResponseFailed": "connection_lost",
    "ResponseNeverReceived": "connection_lost",
    "ConnectionLost": "connection_lost",
    "ConnectionDone": "connection_lost",
    "ConnectionResetError": "connection_lost",
    "DownloadConnectionRefusedError": "connection_refused",
    "ConnectionRefusedError": "connection_refused",
    "CannotResolveHostError": "dns",
    "DNSLookupError": "dns",
    "DownloadCancelledError": "too_large",  # DOWNLOAD_MAXSIZE exceeded while downloading
    "UnsupportedURLSchemeError": "scheme",
}
# IgnoreRequest messages of Scrapy's and the project's middlewares that are not failures.
_NOT_FAILURES = ("not modified", "unchanged since")


def site_name(crawler: Crawler, url: str) -> str:
    """The seed site a URL belongs to (the news spider's ``site_for``), else its host."""
    site_for = getattr(crawler.spider, "site_for", None)
    if site_for is not None:
        try:
            return str(site_for(url).name)
        except (AttributeError, IndexError, ValueError):
            pass
    return urlsplit(url).hostname or "unknown"


def failure_reason(exception: BaseException) -> str | None:
    """The reason slug of a download failure; None for requests skipped on purpose (already saved)."""
    reason = getattr(exception, "reason", None)
    if isinstance(reason, str) and reason:
        return reason
    if isinstance(exception, IgnoreRequest):
        message = str(exception)
        if message.startswith(_NOT_FAILURES):
            return None
        if message == "Forbidden by robots.txt":
            return "robots_forbidden"
        if message.startswith("Filtered offsite request"):
            return "offsite"
        return "ignored"
    name = type(exception).__name__
    return _REASONS.get(name, f"other/{name}")


def count_failure(crawler: Crawler, request: Request, reason: str) -> None:
    stats = crawler.stats
    stats.inc_value(f"cleancrawl/failed/{reason}")
    stats.inc_value(f"cleancrawl/seed/{site_name(crawler, request.url)}/failed/{reason}")


class DownloadOutcomesMiddleware:
    """Counts final responses by status and final failures by reason, per seed site.

    Its priority must be the lowest of all downloader middlewares (process_exception
    runs it last, once RetryMiddleware has given up) but for the address guard, which
    must run first on the way in; a refusal of the guard still reaches it.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.allowed_statuses = {int(code) for code in settings.getlist("HTTPERROR_ALLOWED_CODES")}
        self.allow_all = settings.getbool("HTTPERROR_ALLOW_ALL")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not urlsplit(response.url).path.endswith("/robots.txt"):
            self.crawler.stats.inc_value(
                f"cleancrawl/seed/{site_name(self.crawler, response.url)}/status/{response.status}")
            if response.status >= 400 and not self._handled(request, response.status):
                # The one line for an HTTP error (HttpErrorMiddleware then drops it, at INFO).
                logger.warning("HTTP error (status/%d): %s", response.status, request)
        return response

    def _handled(self, request: Request, status: int) -> bool:
        """Whether the spider takes this status (HttpErrorMiddleware's rules) rather than it being an error."""
        meta = request.meta
        if meta.get("handle_httpstatus_all", self.allow_all):
            return True
        return status in meta.get("handle_httpstatus_list", self.allowed_statuses)

    def process_exception(self, request: Request, exception: Exception) -> None:
        reason = failure_reason(exception)
        if reason == "dns" and (urlsplit(request.url).hostname or "") in GuardedResolver.refused:
            reason = "address_guard/private_address"  # refused by the resolver, reported by Twisted as "no results"
        if reason is not None:
            count_failure(self.crawler, request, reason)
        return None  # never handles it: Scrapy goes on as without this middleware


class CountedRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware, counting what it drops.

    A chain longer than REDIRECT_MAX_TIMES is ``max_redirects``; a redirect back to a URL
    of its own chain is ``redirect_loop``, stopped at once (Scrapy leaves a loop to the
    duplicate filter, which lets ``dont_filter`` requests go round until the limit).
    """

    def process_response(self, request: Request, response: Response) -> Any:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            count_failure(self.crawler, request, "max_redirects")
            raise
        if isinstance(result, Request) and result.url in (
                *request.meta.get("redirect_urls", ()), request.url):
            count_failure(self.crawler, request, "redirect_loop")
            raise IgnoreRequest(f"redirect loop: {request.url} -> {result.url}")
        return result


def _gzip_header_length(data: bytes) -> int | None:
    """Length of the gzip member header at the start of ``data`` (RFC 1952), None if it is not one or is cut."""
    if len(data) < 10 or data[:3] != b"\x1f\x8b\x08":
        return None
    flags, position = data[3], 10
    if flags & 4:  # FEXTRA
        if len(data) < position + 2:
            return None
        position += 2 + int.from_bytes(data[position:position + 2], "little")
    for flag in (8, 16):  # FNAME, FCOMMENT: zero-terminated
        if flags & flag:
            end = data.find(b"\x00", position)
            if end < 0:
                return None
            position = end + 1
    if flags & 2:  # FHCRC
        position += 2
    return position if position <= len(data) else None


def gzip_state(body: bytes, max_size: int) -> str:
    """``complete``, ``truncated``, ``corrupt`` or ``too_large`` (unpacks past ``max_size``) for a gzip body.

    What counts is whether each member's deflate stream reaches its end: a missing or
    wrong CRC/size trailer is accepted, as Scrapy's gunzip accepts it (the text is whole).
    Members are unpacked in 64 KiB steps and thrown away, so a bomb costs no memory.
    Bytes after a complete member that do not start another one are ignored, as by gunzip.
    """
    data, total, members = body, 0, 0
    while data:
        header = _gzip_header_length(data)
        if header is None:
            if members:
                return "complete"  # trailing bytes after a complete member
            return "truncated" if body.startswith(b"\x1f\x8b") else "corrupt"
        decompressor = zlib.decompressobj(wbits=-zlib.MAX_WBITS)  # the raw deflate stream
        try:
            chunk = decompressor.decompress(data[header:], _CHUNK)
            while True:
                total += len(chunk)
                if max_size and total > max_size:
                    return "too_large"
                if decompressor.eof:
                    break
                chunk = decompressor.decompress(decompressor.unconsumed_tail, _CHUNK)
                if not chunk and not decompressor.unconsumed_tail:
                    break
        except zlib.error:
            return "corrupt"
        if not decompressor.eof:
            return "truncated"
        members += 1
        data = decompressor.unused_data[8:]  # past the CRC32 and size trailer (or what is left of it)
    return "complete" if members else "corrupt"


class CheckedHttpCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware (``DOWNLOAD_MAXSIZE`` bounds the unpacked size too), with its drops counted.

    A gzip body cut short is retried like a broken transfer, then dropped as ``truncated_body``.
    """

    def __init__(self, stats: Any = None, *, crawler: Crawler | None = None) -> None:
        super().__init__(stats, crawler=crawler)
        self.crawler = crawler

    def process_response(self, request: Request, response: Response) -> Any:
        if not response.body:
            return response  # a 304 or 204 labelled gzip: nothing to unpack (Scrapy would raise and retry it)
        encodings = [part.strip().lower() for value in response.headers.getlist("Content-Encoding")
                     for part in value.split(b",")]
        if request.method != "HEAD" and encodings and encodings[-1] in (b"gzip", b"x-gzip") and self.crawler:
            max_size = request.meta.get("download_maxsize", self._max_size)
            state = gzip_state(response.body, max_size)
            if state == "truncated":
                return self._truncated(request, response)
            if state == "corrupt":  # Scrapy's gunzip would pass on whatever part it could unpack
                count_failure(self.crawler, request, "bad_encoding")
                raise IgnoreRequest(f"the gzip body of {response.url} is corrupt")
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            if self.crawler:
                count_failure(self.crawler, request, "decompressed_too_large")
            raise
        except (OSError, EOFError, ValueError, zlib.error) as error:
            if self.crawler:
                count_failure(self.crawler, request, "bad_encoding")
            raise IgnoreRequest(f"cannot decode the {b','.join(encodings).decode('latin-1')} body of"
                                f" {response.url}: {error}") from error

    def _truncated(self, request: Request, response: Response) -> Any:
        assert self.crawler is not None
        retry = get_retry_request(request, spider=self.crawler.spider, reason="truncated_body")
        if retry is not None:
            return retry
        count_failure(self.crawler, request, "truncated_body")
        raise IgnoreRequest(f"the gzip body of {response.url} ends before its compressed stream does")
