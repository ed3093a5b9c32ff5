"""Errors raised by :func:`cleaners.clean` for input that cannot become a record."""

from __future__ import annotations


class CleanError(Exception):
    """Input that cannot be cleaned; ``reason`` is a short slug for stats and drop messages."""

    reason = "clean_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyDocument(CleanError):
    reason = "empty_body"


class NotHTML(CleanError):
    reason = "not_html"


class DocumentTooLarge(CleanError):
    reason = "too_large"


class UnparsableHTML(CleanError):
    reason = "unparsable_html"


class ExtractionFailed(CleanError):
    """A parser or extractor failed on this page: the page is dropped, the crawl goes on."""

    reason = "extraction_failed"
