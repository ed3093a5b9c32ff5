"""Article records for store tests: a story per number, with its content hash and SimHash."""

from __future__ import annotations

import random
from typing import Any

from cleaners.record import content_hash, simhash
from crawler.store import NEAR_DUPLICATE_BITS

_WORDS = ("harbour council tram ferry mayor depot residents budget school library bridge river storm road "
          "market station hospital park museum festival police court election teachers nurses farmers port "
          "airport rail strike vote plan report inquiry museum theatre stadium club season coach players "
          "weather flood fire rescue volunteers charity grant tax rents housing planning permit licence").split()


def story_text(n: int) -> str:
    """A text of its own for each ``n`` (far from every other one in SimHash bits)."""
    words = random.Random(n).choices(_WORDS, k=150)
    return " ".join(" ".join(words[i:i + 15]).capitalize() + "." for i in range(0, len(words), 15))


def wire_copy(n: int) -> str:
    """Story ``n`` as a wire service republishes it: a credit added, the SimHash within NEAR_DUPLICATE_BITS."""
    text = story_text(n)
    for credit in ("(Wire)", "(AP)", "Reuters:", "(AFP)", "From the wire:", "Agency report:", "(PA)", "dpa:"):
        copy = f"{credit} {text}"
        if bin(int(simhash(copy), 16) ^ int(simhash(text), 16)).count("1") <= NEAR_DUPLICATE_BITS:
            return copy
    raise AssertionError(f"no near-same wire copy of story {n}")


def article(n: int, *, text: str | None = None, base: str = "http://127.0.0.1/news", site: str = "t") -> dict[str, Any]:
    """Story ``n`` at ``<base>/<n>`` (its own canonical URL), as the crawl's pipelines hand it to the store."""
    text = story_text(n) if text is None else text
    url = f"{base}/{n}"
    return {"url": url, "canonical_url": url, "site": site, "title": f"Story {n}", "description": None,
            "authors": [], "date_published": None, "date_modified": None, "language": "en", "language_score": 0.99,
            "text": text, "word_count": len(text.split()), "tags": [], "image": None, "is_article": True,
            "not_article_reason": None, "content_hash": content_hash(text), "simhash": simhash(text),
            "fetched_at": "2026-12-01T10:00:00+00:00", "event": None, "removed": {}, "guarded": {},
            "schema_version": 2}
