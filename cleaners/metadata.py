"""Article metadata: explicit declarations first (JSON-LD, Open Graph, meta tags), trafilatura's guesses after."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cached_property
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (META_URL, examine_meta, extract_author, extract_catstags, extract_meta_json,
                                  extract_sitename, extract_title, extract_url)
from trafilatura.settings import set_date_params
from trafilatura.utils import line_processing

from .authors import clean_authors, is_organisation
from .dates import declared_day, is_plausible, normalize_date
from .header import Header
from .publication import Declared, publication_date

_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "blogposting",
     "liveblogposting", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle", "techarticle", "report",
     "socialmediaposting", "webpage"}
)
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "article:first_published_time",
                   "og:published_time", "og:publish_date", "og:publication_time", "datepublished", "pubdate",
                   "publishdate", "publish-date", "publish_date", "publish_time", "published-date", "published_date",
                   "published-time", "published_at", "published", "publisheddate", "parsely-pub-date",
                   "citation_publication_date", "publication_date", "sailthru.date", "dc.date.issued",
                   "dcterms.created", "date", "dc.date")
# Declared only for posts (WordPress's SEO plugins write them for posts, not for the site's pages).
_POST_META = ("article:published_time", "og:article:published_time")
HEADLINE_MIN_WORDS = 2
HEADLINE_MAX_CHARS = 300
HEADLINE_SHARED_WORDS = 0.2  # "next to nothing": under a fifth of the headline's words
_WORD = re.compile(r"\w+")
# Revisions: a page that declares one but no publication date gets nothing from htmldate's fallback to it.
_REVISION_META = ("lastreviewed", "last-reviewed", "dc.date.modified", "revised")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified", "last-modified",
                  "dcterms.modified", "lastmod")


def iter_jsonld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """The page's JSON-LD objects, ``@graph`` and ``mainEntity`` members included."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                yield node
                if "@graph" in node:
                    stack.append(node["@graph"])
                if isinstance(node.get("mainEntity"), (dict, list)):
                    stack.append(node["mainEntity"])


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def article_jsonld(tree: HtmlElement) -> list[dict[str, Any]]:
    """JSON-LD objects that describe the page's own article (news article types before a generic WebPage)."""
    nodes = [node for node in iter_jsonld(tree) if _types(node) & _ARTICLE_TYPES]
    return sorted(nodes, key=lambda node: "webpage" in _types(node))


def _meta_values(tree: HtmlElement) -> dict[str, str]:
    """Meta tags and microdata values by lower-cased name: the first non-empty value of each."""
    found: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]|//*[@itemprop and (@content or @datetime)]"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv") or "").lower()
        value = element.get("content") or element.get("datetime")
        if value and value.strip() and key not in found:
            found[key] = value.strip()
    return found


def _first(values: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((values[name] for name in names if name in values), None)


def _trim(value: str | None) -> str | None:
    """As trafilatura trims its own metadata: entities decoded, spaces and control characters folded."""
    return line_processing(unescape(value[:10000])) if value else value


class _Guesses:
    """trafilatura's metadata guesses (meta tags, JSON-LD, then page heuristics and htmldate).

    The same steps as ``trafilatura.extract_metadata``, but each costly search (byline
    XPaths, tag links, date) runs only when asked, i.e. when the page declares nothing.
    """

    def __init__(self, tree: HtmlElement, url: str | None) -> None:
        self._tree, self._url = tree, url
        declared = examine_meta(tree)
        if declared.author and " " not in declared.author:
            declared.author = None
        try:
            declared = extract_meta_json(tree, declared)
        except Exception:  # noqa: BLE001 (trafilatura's JSON-LD reader failing on odd data loses nothing of ours)
            pass
        self._declared = declared

    @cached_property
    def title(self) -> str | None:
        return _trim(self._declared.title or extract_title(self._tree))

    @cached_property
    def author(self) -> str | None:
        return _trim(self._declared.author or extract_author(self._tree))

    @cached_property
    def page_url(self) -> str | None:
        return self._declared.url or extract_url(self._tree, self._url)

    @cached_property
    def date(self) -> str | None:
        return _trim(find_date(self._tree, **{**set_date_params(False), "url": self.page_url}))

    @cached_property
    def sitename(self) -> str | None:
        name = (self._declared.sitename or extract_sitename(self._tree) or "").lstrip("@")
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        if not name and self.page_url and (match := META_URL.match(self.page_url)):
            name = match[1]
        return _trim(name) or None

    @cached_property
    def tags(self) -> list[str]:
        return self._declared.tags or extract_catstags("tag", self._tree)

    @property
    def description(self) -> str | None:
        return _trim(self._declared.description)

    @property
    def image(self) -> str | None:
        return _trim(self._declared.image)


def _jsonld_value(nodes: list[dict[str, Any]], key: str) -> Any:
    return next((node[key] for node in nodes if node.get(key)), None)


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, str):
        return [value]
    return []


def _split_keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [tag for item in value for tag in _split_keywords(item)]
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
    return []


def _tags(tree: HtmlElement, nodes: list[dict[str, Any]], values: dict[str, str], guessed: _Guesses) -> list[str]:
    """JSON-LD keywords, else article:tag metas, else meta keywords, else trafilatura's."""
    tags = _split_keywords(_jsonld_value(nodes, "keywords"))
    tags = tags or [value.strip() for value in tree.xpath('//meta[@property="article:tag"]/@content') if value.strip()]
    tags = tags or _split_keywords(_first(values, ("news_keywords", "keywords")))
    tags = tags or _split_keywords(guessed.tags)
    return list(dict.fromkeys(tags))


def canonical_url(tree: HtmlElement, url: str | None) -> str | None:
    for href in tree.xpath('//link[@rel="canonical"]/@href|//meta[@property="og:url"]/@content'):
        try:
            absolute = urljoin(url or "", href.strip())
            if urlsplit(absolute).scheme in ("http", "https") and urlsplit(absolute).hostname:
                return absolute
        except ValueError:  # "http://[::1": a broken declaration is skipped, not fatal
            continue
    return url


def _strip_site_suffix(title: str | None, site: str | None) -> str | None:
    if not title or not site:
        return title
    for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
        if title.endswith(sep + site):
            return title[: -len(sep + site)].strip()
    return title


def _first_h1(tree: HtmlElement) -> str | None:
    heading = tree.find(".//h1")
    return heading.text_content() if heading is not None else None


def _is_story_headline(headline: str | None, declared: Any, site: str | None) -> bool:
    """The page's visible headline is its title, unless it is the site's name (a logo), a bare section word,
    or a heading that shares next to nothing with the title the page declares ("Contact Us" in a sidebar)."""
    if not headline or len(headline.split()) < HEADLINE_MIN_WORDS or len(headline) > HEADLINE_MAX_CHARS:
        return False
    if site and headline.casefold() in site.casefold():
        return False
    if not isinstance(declared, str):
        return True
    words, declared_words = set(_WORD.findall(headline.casefold())), set(_WORD.findall(declared.casefold()))
    return len(words & declared_words) >= HEADLINE_SHARED_WORDS * len(words)


def _date(value: Any) -> str | None:
    """A declared date in ISO 8601, between 1995 and today; a date written out for readers ("Aug 21, 2025",
    "03-09-2026") is no declaration: its order is ambiguous, and it is often the display of another date."""
    iso = normalize_date(value) if isinstance(value, str) else None
    return iso if iso and is_plausible(iso) else None


def _declared_dates(nodes: list[dict[str, Any]], values: dict[str, str]) -> Declared:
    """The dates the page declares; a generic WebPage's datePublished is its creation unless it declares a post."""
    dated = next((node for node in nodes if node.get("datePublished")), None)
    published = _date(dated["datePublished"]) if dated else None
    page_created = None
    if (dated is not None and not _types(dated) & (_ARTICLE_TYPES - {"webpage"}) and not dated.get("author")
            and not any(name in values for name in _POST_META)):
        published, page_created = None, published
    jsonld_modified, meta_published = _jsonld_value(nodes, "dateModified"), _first(values, _PUBLISHED_META)
    modified = _date(jsonld_modified) or _date(_first(values, _MODIFIED_META))
    revisions = (jsonld_modified, *(values.get(name) for name in _MODIFIED_META + _REVISION_META))
    # A day declared as the publication too (in any form) is no mere revision.
    publication_days = {declared_day(dated["datePublished"]) if dated else None, declared_day(meta_published)}
    return Declared(published=published or _date(meta_published), modified=modified,
                    page_created=page_created,
                    revisions=tuple(day for day in map(declared_day, revisions) if day and day not in publication_days))


def extract_page_metadata(tree: HtmlElement, url: str | None, header: Header) -> dict[str, Any]:
    """Metadata fields of the record, read from a tree whose furniture is already removed.

    ``header`` holds the bylines and dates shown around the headline, read before the block rules.
    """
    nodes = article_jsonld(tree)
    values = _meta_values(tree)
    guessed = _Guesses(tree, url)
    publisher = _names(_jsonld_value(nodes, "publisher"))
    publisher_name = publisher[0] if publisher else None
    site = values.get("og:site_name") or publisher_name or guessed.sitename
    host = urlsplit(url).hostname if url else None
    site = site or host
    meta_author = _first(values, ("author", "article:author", "dc.creator", "byl", "parsely-author"))
    # JSON-LD, then meta tags, then the byline search: the first that names a person wins; an organisation
    # (the site as its own author) is kept only when no source names a person.
    sources = ((lambda: _names(_jsonld_value(nodes, "author")), False),
               (lambda: [meta_author] if meta_author else [], False),
               (lambda: header.bylines, True), (lambda: [guessed.author] if guessed.author else [], True))
    authors: list[str] = []
    for source, visible in sources:
        names = clean_authors(source(), site, publisher_name, visible=visible)
        if any(not is_organisation(name, site, publisher_name) for name in names):
            authors = names
            break
        authors = authors or names
    declared = _declared_dates(nodes, values)
    published = publication_date(declared, header, url, lambda: guessed.date)
    declared_title = values.get("og:title") or _jsonld_value(nodes, "headline") or guessed.title
    title = header.headline if _is_story_headline(header.headline, declared_title, site) else declared_title
    return {
        "headlines": {" ".join(t.split()) for t in (title, declared_title, guessed.title, tree.findtext(".//title"),
                                                     _first_h1(tree)) if isinstance(t, str) and t.strip()},
        "canonical_url": canonical_url(tree, url),
        "site": site,
        "title": _strip_site_suffix(" ".join(unescape(title).split()) if isinstance(title, str) else None, site),
        "description": guessed.description,
        "authors": authors,
        "date_published": published,
        "date_modified": declared.modified,
        "tags": _tags(tree, nodes, values, guessed),
        "image": guessed.image,
        "page_language": (tree.get("lang") or "").split("-")[0].lower() or None,
        "has_article_markup": bool(nodes and not all("webpage" in _types(n) for n in nodes))
        or (values.get("og:type") or "").lower() == "article",
    }
