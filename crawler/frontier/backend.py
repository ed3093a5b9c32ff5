"""The contract every frontier backend keeps (SQLite in :mod:`.local`, Redis in :mod:`.redis`).

A backend holds two things that must never disagree, so it changes them together:

* **seen**: the fingerprint of every request ever pushed with one (the duplicate filter);
* **entries**: requests not yet done, each *pending* (anyone may lease it) or *leased*
  (to one owner, until a deadline).

An entry moves pending -> leased (:meth:`lease`) -> gone (:meth:`done`), or back from
leased to pending when its owner is gone (:meth:`release_expired`, :meth:`release_owner`).
A request is never lost: it is pending, leased or done; and a seen fingerprint always
belongs to an entry that exists or was done. Each method is one atomic change (a
transaction, a Lua script, a MULTI/EXEC): a process killed at any moment leaves the
backend as it was before the call or after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Entry:
    """A request to push: its data (JSON text from :mod:`.serialization`), priority and fingerprint.

    ``fingerprint`` None: the request is not filtered (Scrapy's ``dont_filter``) and not recorded as seen.
    """

    data: str
    priority: int
    fingerprint: bytes | None


@dataclass(frozen=True, slots=True)
class Lease:
    """A leased entry. ``key`` is the backend's opaque id of the entry, stable until it is done."""

    key: str
    data: str
    priority: int


class FrontierBackend(Protocol):
    """Pending, leased and done requests, with the duplicate filter, shared by every worker of a crawl.

    Built by the scheduler with ``from_crawler(crawler)`` (``CLEANCRAWL_FRONTIER`` names it). When it opens,
    it returns to pending the leases of owners it knows are dead (the local backend: all of them, as its lock
    excludes any other live owner; a shared one: those :meth:`release_expired` finds).

    Owners are strings unique to one running process (host, pid and a random part); a backend
    never derives anything else from them. Times are seconds; deadlines are the backend's own
    clock (the local one: ``time.time()``; a Redis one: the server's ``TIME``), so workers' clocks
    need not agree.
    """

    def push(self, entries: Sequence[Entry]) -> list[bool]:
        """Add ``entries`` as pending, in one atomic change; return, per entry, whether it was added.

        An entry with a fingerprint that was seen before (pushed earlier by anyone, in this run or a
        run this one resumes) is not added (False). Otherwise its fingerprint becomes seen and the
        entry pending, both or neither. Entries without a fingerprint are always added. The scheduler
        calls this once per batch (the requests a response yielded): one round-trip, not one per link.
        """
        ...

    def lease(self, owner: str, count: int, seconds: float) -> list[Lease]:
        """Lease up to ``count`` pending entries to ``owner`` until now + ``seconds``, best first.

        Best: highest ``priority``, then oldest push (FIFO within a priority). Atomic: no entry is
        leased to two owners. Empty when nothing is pending (entries leased to others do not count).
        """
        ...

    def done(self, keys: Sequence[str]) -> None:
        """Forget the leased entries ``keys``: their responses were fully processed. Their fingerprints
        stay seen. Unknown keys (already done, or released and done by another owner) are ignored."""
        ...

    def heartbeat(self, owner: str, seconds: float) -> int:
        """Extend every lease of ``owner`` (and its start-up, see :meth:`starting`) to now + ``seconds``;
        return how many it holds. Called every few seconds, well within ``seconds``."""
        ...

    def release_expired(self) -> int:
        """Return to pending every lease whose deadline has passed (its owner stopped renewing: it
        died); return how many. Any worker may call it at any time."""
        ...

    def release_owner(self, owner: str) -> int:
        """Return every lease of ``owner`` to pending at once (a clean stop, or an owner known to be dead);
        return how many."""
        ...

    def starting(self, owner: str, seconds: float) -> None:
        """``owner`` is reading its start requests (its seeds): the run is not drained until it calls
        :meth:`started`, or its heartbeat stops for ``seconds`` (it died). One process alone: nothing to do."""
        ...

    def started(self, owner: str) -> None:
        """``owner`` has pushed every start request (see :meth:`starting`)."""
        ...

    def pending(self) -> int:
        """How many entries are pending (not leased)."""
        ...

    def is_drained(self) -> bool:
        """True when nothing is pending or leased, by any owner, and no owner is starting: the crawl's work is done.

        One process alone (the local backend) may stop when nothing is pending and its engine is idle
        (its own leases are the engine's requests in flight). A worker sharing the backend must also wait
        while others hold leases or are still starting: their responses and seeds may still yield requests
        for it. It ends when this is True.
        """
        ...

    def close(self) -> None:
        """Release the backend's resources (not its leases: see :meth:`release_owner`)."""
        ...
