"""The store: one interface (:class:`Store`), two backends, picked by URL.

``CLEANCRAWL_STORE_URL``: ``postgresql://...`` (:mod:`.postgres`, shared by several workers) or ``sqlite:///path``
(:mod:`.sqlite`; ``sqlite:////abs/path`` for an absolute path); else ``CLEANCRAWL_STORE_PATH``, a SQLite file.
Plain Python (no Scrapy), so later stages and the CLI tools open the store the same way. No module outside this
package talks to a database itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .base import STORE_TIME, TEMPLATE_MAX_FINGERPRINTS, PageState, SaveStatus, Store, StoreError
from .sql import NEAR_DUPLICATE_BITS

__all__ = ["NEAR_DUPLICATE_BITS", "STORE_TIME", "PageState", "SaveStatus", "Store", "StoreError", "new_crawl_id",
           "open_store", "store_url"]

_SQLITE = "sqlite:///"
_POSTGRES = ("postgresql://", "postgres://")


def store_url(settings: Mapping[str, Any]) -> str | None:
    """The store a crawl's settings name: ``CLEANCRAWL_STORE_URL``, else ``CLEANCRAWL_STORE_PATH`` as a SQLite URL;
    None when both are empty (no store)."""
    url = settings.get("CLEANCRAWL_STORE_URL")
    if url:
        return str(url)
    path = settings.get("CLEANCRAWL_STORE_PATH")
    return f"{_SQLITE}{path}" if path else None


def new_crawl_id(worker: str = "") -> str:
    """A crawl's id: its start time (UTC, to the microsecond), then the worker that runs it."""
    started = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{started} {worker}" if worker else started


def open_store(source: str | Mapping[str, Any], crawl_id: str | None = None) -> Store:
    """Open the store at a URL (a bare path is a SQLite file) or the one a crawl's settings name.

    Raises :class:`StoreError` for a URL of another scheme, no store in the settings, or a server that cannot be
    reached.
    """
    template_max = TEMPLATE_MAX_FINGERPRINTS
    if isinstance(source, str):
        url: str | None = source
    else:
        url = store_url(source)
        template_max = int(source.get("CLEANCRAWL_TEMPLATE_MAX_FINGERPRINTS") or TEMPLATE_MAX_FINGERPRINTS)
    if not url:
        raise StoreError("no store: CLEANCRAWL_STORE_URL and CLEANCRAWL_STORE_PATH are empty")
    crawl_id = crawl_id or new_crawl_id()
    if url.startswith(_POSTGRES):
        from .postgres import PostgresStore  # psycopg only when PostgreSQL is used

        return PostgresStore(url, crawl_id, template_max_fingerprints=template_max)
    if "://" in url and not url.startswith(_SQLITE):
        raise StoreError(f"unsupported store URL {url.split('://', 1)[0]}://...: use postgresql://... or sqlite:///path")
    from .sqlite import SQLiteStore

    return SQLiteStore(url.removeprefix(_SQLITE), crawl_id, template_max_fingerprints=template_max)
