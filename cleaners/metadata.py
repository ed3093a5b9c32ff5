"""Article metadata: explicit declarations first (JSON-LD, Open Graph, meta tags), trafilatura's guesses after."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata

_ARTICLE_TYPES = frozenset(
    {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "blogposting",
     "liveblogposting", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle", "techarticle", "report",
     "socialmediaposting", "webpage"}
)
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
                   "publish-date", "publish_date", "sailthru.date", "dc.date.issued", "dcterms.created", "date", "dc.date")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified", "last-modified",
                  "dcterms.modified", "lastmod")
_NOT_A_NAME = re.compile(
    r"https?://|@|\bemail\b|\bauthor\b|\bcontact\b|\bfollow\b|\bstaff\b|\bteam\b|\bredaktion\b|\bnewsroom\b"
    r"|\bpublished\b|\bupdated\b|\bposted\b|\bver[öo]ffentlicht|\baktualisiert|\bpubli[ée]|\bpublicado|\bопубликовано|\bобновлено"
    r"|\bwire\s+services?\b|\bbureau\b|\bagencies\b",
    re.I,
)
# "Tom Gillespie, News reporter", "Malcolm Owen Monday": a role or a date after the name.
_NAME_SUFFIX = re.compile(
    r"(?:(?:^|\s*[,|-]?\s+)(?:[\w-]+\s+){0,2}(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|photographer)s?"
    r"|\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august"
    r"|september|october|november|december))+$",
    re.I,
)
_NAME_SPLIT = re.compile(r"\s*(?:;|\||,|\band\b|&|\bund\b|\bet\b|\by\b|\bи\b|\bі\b)\s*")
_BY_PREFIX = re.compile(r"^(?:by|von|par|por|от|від|автор)\s*:?\s+", re.I)


def _iter_jsonld(tree: HtmlElement) -> Iterator[dict[str, Any]]:
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
    nodes = [node for node in _iter_jsonld(tree) if _types(node) & _ARTICLE_TYPES]
    return sorted(nodes, key=lambda node: "webpage" in _types(node))


def _meta(tree: HtmlElement, names: tuple[str, ...]) -> str | None:
    found: dict[str, str] = {}
    for element in tree.xpath("//meta[@content]|//*[@itemprop and (@content or @datetime)]"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv") or "").lower()
        value = element.get("content") or element.get("datetime")
        if key in names and value and key not in found:
            found[key] = value.strip()
    return next((found[name] for name in names if name in found), None)


def normalize_date(value: str | None) -> str | None:
    """ISO 8601: a full timestamp when the source has a time, else the date alone."""
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        if not match:
            return None
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    if len(value) <= 10:
        return moment.date().isoformat()
    return moment.isoformat()


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


_CMS_ACCOUNTS = frozenset({"admin", "administrator", "webmaster", "editor", "editors", "staff", "user", "guest", "redaktion"})


def clean_authors(candidates: list[str], site: str | None, publisher: str | None, min_words: int = 2) -> list[str]:
    """Person names only: no site or publisher name, no URLs, no "Email the author" links.

    A one-word name ("Reuters", "Regan") is accepted only from an explicit declaration
    (``min_words=1``), never from a guessed byline.
    """
    banned = {name.casefold() for name in (site, publisher) if name}
    authors: list[str] = []
    for candidate in candidates:
        for name in _NAME_SPLIT.split(_BY_PREFIX.sub("", " ".join(candidate.split()))):
            name = _NAME_SUFFIX.sub("", name.strip(" .,:-")).strip(" .,:-")
            words = name.split()
            if not min_words <= len(words) <= 5 or _NOT_A_NAME.search(name) or any(ch.isdigit() for ch in name):
                continue
            if name.casefold() in _CMS_ACCOUNTS or any(name.casefold() in b for b in banned):
                continue
            if name.isupper():
                name = name.title()
            if name.casefold() in banned or any(b and b in name.casefold() for b in banned):
                continue
            if name not in authors:
                authors.append(name)
    return authors


def _split_keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [tag for item in value for tag in _split_keywords(item)]
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
    return []


def _tags(tree: HtmlElement, nodes: list[dict[str, Any]], guessed: list[str] | None) -> list[str]:
    """JSON-LD keywords, else article:tag metas, else meta keywords, else trafilatura's."""
    tags = _split_keywords(_jsonld_value(nodes, "keywords"))
    tags = tags or [value.strip() for value in tree.xpath('//meta[@property="article:tag"]/@content') if value.strip()]
    tags = tags or _split_keywords(_meta(tree, ("news_keywords", "keywords")))
    tags = tags or _split_keywords(guessed or [])
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


def extract_page_metadata(tree: HtmlElement, url: str | None) -> dict[str, Any]:
    """Metadata fields of the record, read from a tree whose furniture is already removed."""
    nodes = article_jsonld(tree)
    guessed = extract_metadata(tree, default_url=url, extensive=False)
    publisher = _names(_jsonld_value(nodes, "publisher"))
    site = _meta(tree, ("og:site_name",)) or (publisher[0] if publisher else None) or guessed.sitename
    host = urlsplit(url).hostname if url else None
    site = site or host
    meta_author = _meta(tree, ("author", "article:author", "dc.creator", "byl", "parsely-author"))
    # The first source that gives a person's name wins: JSON-LD, then meta tags, then trafilatura's byline search.
    sources = (_names(_jsonld_value(nodes, "author")), [meta_author] if meta_author else [],
               [guessed.author] if guessed.author else [])
    publisher_name = publisher[0] if publisher else None
    found = (clean_authors(source, site, publisher_name, min_words=1 if explicit else 2)
             for source, explicit in zip(sources, (True, True, False), strict=True))
    authors = next((names for names in found if names), [])
    published = normalize_date(_jsonld_value(nodes, "datePublished")) or normalize_date(_meta(tree, _PUBLISHED_META))
    published = published or normalize_date(guessed.date)
    modified = normalize_date(_jsonld_value(nodes, "dateModified")) or normalize_date(_meta(tree, _MODIFIED_META))
    title = _meta(tree, ("og:title",)) or _jsonld_value(nodes, "headline") or guessed.title
    return {
        "headlines": {" ".join(t.split()) for t in (title, guessed.title, tree.findtext(".//title"),
                                                     _first_h1(tree)) if isinstance(t, str) and t.strip()},
        "canonical_url": canonical_url(tree, url),
        "site": site,
        "title": _strip_site_suffix(" ".join(title.split()) if isinstance(title, str) else None, site),
        "description": guessed.description,
        "authors": authors,
        "date_published": published,
        "date_modified": modified,
        "tags": _tags(tree, nodes, guessed.tags),
        "image": guessed.image,
        "page_language": (tree.get("lang") or "").split("-")[0].lower() or None,
        "has_article_markup": bool(nodes and not all("webpage" in _types(n) for n in nodes))
        or (_meta(tree, ("og:type",)) or "").lower() == "article",
    }
