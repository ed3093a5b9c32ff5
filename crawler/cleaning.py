"""What runs in a cleaning worker process: no Scrapy, picklable inputs and outputs."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

import cleaners
from cleaners.templates import SiteTemplate

logger = logging.getLogger(__name__)

# A worker empties trafilatura's module-level LRU caches (trafilatura, htmldate,
# courlan, justext) and collects garbage after this many pages, so that its memory
# stays flat however long and varied the crawl (on the speed benchmark's pages a
# worker stays at ~225 MB either way); the caches refill within a few pages, and a
# reset (mostly its full garbage collection) takes ~90 ms: 0.2 ms a page.
RESET_CACHES_EVERY = 500

_in_worker = False  # set by warm_up(), the initializer of worker processes only
_pages = 0
_templates: dict[str, tuple[str, set[str]]] = {}  # site -> (fingerprints as packed, as a set), in this process


@dataclass(frozen=True)
class PackedTemplate:
    """A site's template on its way to a worker: the fingerprints as one string, cheap to pickle with
    every page. A crawl's template only grows (new fingerprints are appended), so a worker adds what
    is new to the set it unpacked before instead of unpacking the whole template for every page."""

    site: str
    fingerprints: str  # 16-hex-digit fingerprints, one after the other, oldest first
    max_words: int

    @property
    def size(self) -> int:
        """How many fingerprints it holds."""
        return len(self.fingerprints) // 16

    def unpack(self) -> SiteTemplate:
        packed, marks = _templates.get(self.site, ("", set()))
        if not self.fingerprints.startswith(packed):
            packed, marks = "", set()
        if len(self.fingerprints) > len(packed):
            new = self.fingerprints[len(packed):]
            marks.update(new[i:i + 16] for i in range(0, len(new), 16))
            _templates[self.site] = (self.fingerprints, marks)
        return SiteTemplate(marks, self.max_words)


def _exit_with(parent_pid: int) -> None:
    # A worker whose crawl died (kill -9 leaves no one to shut the pool down) exits too.
    while True:
        time.sleep(1)
        if os.getppid() != parent_pid:
            os._exit(0)


def warm_up(parent_pid: int | None = None) -> None:
    """Pay the import and first-use costs once per worker, not per page; exit when the crawl dies."""
    global _in_worker
    _in_worker = True
    if parent_pid is not None:
        threading.Thread(target=_exit_with, args=(parent_pid,), name="cleancrawl-parent-watch", daemon=True).start()
    cleaners.clean(b"<html><body><article><p>" + b"Warm up the extractor. " * 20 + b"</p></article></body></html>",
                   "http://127.0.0.1/warm-up")


def reset_caches() -> None:
    """Empty trafilatura's LRU caches (and its dependencies'), then collect garbage."""
    from trafilatura.meta import reset_caches as reset_trafilatura_caches

    reset_trafilatura_caches()


def clean_page(body: bytes, url: str | None, content_type: str | None, fetched_at: str | None,
               packed: PackedTemplate | None = None) -> tuple[str, Any, list[str]]:
    """Return ("ok", record, fingerprints) or ("error", "reason: message", []); never raises.

    With the site's ``template``, its blocks are removed and the fingerprints are those of the
    page's candidate blocks before removal (what the site's memory counts).
    """
    global _pages
    template = packed.unpack() if packed is not None else None
    try:
        record = cleaners.clean(body, url, content_type=content_type, fetched_at=fetched_at, template=template)
        return "ok", record, sorted(template.seen) if template else []
    except cleaners.CleanError as error:
        return "error", f"{error.reason}: {error.message}", []
    except Exception as error:  # a bug or a library failure on one page must not stop the crawl
        logger.exception("cleaning failed for %s", url)
        return "error", f"extraction_failed: {type(error).__name__}: {error}", []
    finally:
        _pages += 1
        if _in_worker and _pages % RESET_CACHES_EVERY == 0:
            try:
                reset_caches()
            except Exception:  # the caches are an optimisation: never fail a page over them
                logger.exception("resetting trafilatura's caches failed")
