"""The store interface: what the crawl, the feed recovery and the CLI tools ask of a store, whatever its backend."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

# The time format of every timestamp column (first_saved_at, last_saved_at, seen_at, last_seen): ISO UTC, to the second.
STORE_TIME = "%Y-%m-%dT%H:%M:%SZ"
# The site template memory keeps at most this many block fingerprints per site (CLEANCRAWL_TEMPLATE_MAX_FINGERPRINTS).
TEMPLATE_MAX_FINGERPRINTS = 5000


class StoreError(Exception):
    """A store that cannot be opened or used (a bad URL, an unreachable server), with what to fix."""


class SaveStatus(str, Enum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"


@dataclass(frozen=True)
class PageState:
    """What the store knows of a URL from earlier fetches."""

    canonical_url: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str


class Store(Protocol):
    """Articles keyed by canonical URL, each story (same or near-same text) stored once; the crawl state of every
    fetched page; the copies not saved; the site template memory. Methods block: call them off the reactor."""

    crawl_id: str

    def save(self, record: dict[str, Any]) -> tuple[SaveStatus, str | None]:
        """Insert or update one record. Returns its status and, for duplicates, the canonical URL it copies."""

    def page_state(self, url: str) -> PageState | None: ...

    def record_fetch(self, url: str, etag: str | None, last_modified: str | None, fetched_at: str) -> None:
        """Remember a downloaded page's validators (its canonical URL is set once it is saved as an article)."""

    def duplicates(self) -> list[tuple[str, str, str]]:
        """(url, duplicate_of, kind) of every copy that was not saved."""

    def records(self) -> list[dict[str, Any]]:
        """Every stored record, by canonical URL."""

    def saved_since(self, since: str, saved_by: str | None = None) -> Iterator[dict[str, Any]]:
        """Records saved (new or updated) at ``since`` (a STORE_TIME) or later, oldest first, with ``event`` set;
        only those the crawl ``saved_by`` wrote when it is given."""

    def template_counts(self, site: str, fingerprints: Collection[str]) -> dict[str, int]:
        """For each given fingerprint seen on ``site``, the number of distinct pages (canonical URLs) it was seen on.
        Fingerprints never seen are absent from the result."""

    def record_template_pages(self, site: str, pages: Mapping[str, Collection[str]], seen_at: str) -> None:
        """Count each of ``pages`` (canonical URL -> its block fingerprints) once for each of its fingerprints on
        ``site``, in one transaction; idempotent per (site, page). ``seen_at`` (ISO UTC) is kept per fingerprint as
        last_seen. At most ``template_max_fingerprints`` per site: past that, those with the fewest pages, oldest
        first, are aged out."""

    def close(self) -> None: ...
