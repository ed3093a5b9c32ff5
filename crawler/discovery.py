"""Sitemap and feed parsing that keeps each entry's date, with entity expansion and network access off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from io import BytesIO

from lxml import etree

from cleaners.metadata import normalize_date

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class Entry:
    """A URL found in a sitemap or feed, with the newest date given for it (ISO 8601) and whether it is a sitemap."""

    url: str
    date: str | None = None
    is_sitemap: bool = False


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _parse(body: bytes) -> Iterator[tuple[str, etree._Element]]:
    return etree.iterparse(BytesIO(body), events=("end",), resolve_entities=False, no_network=True, huge_tree=False,
                           recover=True, remove_comments=True, remove_pis=True)


def sitemap_entries(body: bytes) -> Iterator[Entry]:
    """<url> and <sitemap> entries; the date is news:publication_date, else lastmod."""
    try:
        for _, element in _parse(body):
            name = _local(element.tag)
            if name not in ("url", "sitemap"):
                continue
            values = {_local(child.tag): (child.text or "").strip() for child in element.iter() if child is not element}
            if values.get("loc"):
                date = normalize_date(values.get("publication_date")) or normalize_date(values.get("lastmod"))
                yield Entry(values["loc"], date, name == "sitemap")
            element.clear()
    except etree.XMLSyntaxError:
        return


def _feed_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).isoformat()  # RFC 822, as RSS writes it
    except (TypeError, ValueError):
        return normalize_date(value)  # ISO 8601, as Atom writes it


def feed_entries(body: bytes) -> Iterator[Entry]:
    """RSS 2.0 <item> and Atom <entry> links with their publication or update date."""
    try:
        for _, element in _parse(body):
            if element.tag == "item":
                link = (element.findtext("link") or element.findtext("guid") or "").strip()
                date = _feed_date(element.findtext("pubDate") or element.findtext("{http://purl.org/dc/elements/1.1/}date"))
            elif element.tag == f"{_ATOM}entry":
                links = [a.get("href") for a in element.iter(f"{_ATOM}link") if a.get("rel", "alternate") == "alternate"]
                link = (links[0] if links else "") or ""
                date = _feed_date(element.findtext(f"{_ATOM}updated") or element.findtext(f"{_ATOM}published"))
            else:
                continue
            if link.startswith(("http://", "https://", "/")):
                yield Entry(link, date)
            element.clear()
    except etree.XMLSyntaxError:
        return


def parse_moment(value: str | None) -> datetime | None:
    """An ISO 8601 date or timestamp as an aware datetime (naive ones count as UTC); None if unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def age_days(date: str | None, now: datetime | None = None) -> float | None:
    """Days since an ISO 8601 date (naive dates count as UTC)."""
    moment = parse_moment(date)
    if moment is None:
        return None
    return ((now or datetime.now(UTC)) - moment).total_seconds() / 86400
