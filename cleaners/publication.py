"""The publication date: which of the dates a page declares or shows dates the story.

Declarations come first (JSON-LD, meta tags), then the dateline by the headline, then
htmldate's guess. Three declarations are not the story's first publication: a generic
WebPage's ``datePublished`` on a page that declares no post (when the page was made),
a revision (htmldate falls back to modification dates), and a publication stamped on
the same day as the last modification when the page shows an earlier dateline (the
page was re-saved or imported). A day only a time zone apart from the day the URL files
the story under is that same moment: the URL's day is the site's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .dates import declared_day, is_local_day_of, normalize_date, url_day
from .header import Header


@dataclass(frozen=True)
class Declared:
    """The dates a page's metadata declares (ISO 8601)."""

    published: str | None = None
    modified: str | None = None
    page_created: str | None = None  # a generic WebPage's datePublished on a page that declares no post
    revisions: tuple[str, ...] = ()  # the days of every modification or review the page declares


def _restamped(declared: Declared, shown: str) -> bool:
    """Publication and modification declared on one day, and an earlier day shown by the headline."""
    published = declared.published or ""
    return (bool(published) and declared_day(declared.modified) == published[:10] and shown < published[:10]
            and not is_local_day_of(published, shown))


def _guessed(guess: str | None, declared: Declared) -> str | None:
    """htmldate's date, unless it is a declaration already refused (a revision, the page's creation)."""
    day = normalize_date(guess)
    if day and (day[:10] in declared.revisions or day[:10] == declared_day(declared.page_created)):
        return None
    return day


def _filed_day(published: str | None, url: str | None) -> str | None:
    day = url_day(url)
    return day if published and day and is_local_day_of(published, day) else published


def publication_date(declared: Declared, header: Header, url: str | None,
                     guess: Callable[[], str | None]) -> str | None:
    """The story's first publication: ISO 8601, a full timestamp when the source has one.

    ``guess`` is htmldate's search, run only when nothing is declared or shown.
    """
    published, shown = declared.published, header.published()
    if published and shown and _restamped(declared, shown):
        published = shown
    published = published or shown or header.updated() or _guessed(guess(), declared)
    return _filed_day(published, url)
