"""cleancrawl's cleaners: HTML (+URL) in, a clean article record out. No Scrapy here."""

from __future__ import annotations

from .clean import clean
from .errors import CleanError, DocumentTooLarge, EmptyDocument, ExtractionFailed, NotHTML, UnparsableHTML
from .record import FIELDS, SCHEMA_VERSION, content_hash, load_schema

__all__ = [
    "FIELDS",
    "SCHEMA_VERSION",
    "CleanError",
    "DocumentTooLarge",
    "EmptyDocument",
    "ExtractionFailed",
    "NotHTML",
    "UnparsableHTML",
    "clean",
    "content_hash",
    "load_schema",
]
