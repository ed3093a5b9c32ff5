"""The heart of the project: one page in, one clean record out."""

from __future__ import annotations

from typing import Any

from courlan import is_navigation_page
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from .blocks import remove_blocks
from .decoding import DEFAULT_MAX_BYTES, decode_html
from .errors import CleanError, ExtractionFailed, UnparsableHTML
from .language import detect_language
from .lines import remove_lines
from .metadata import extract_page_metadata
from .record import SCHEMA_VERSION, content_hash, simhash, word_count
from .text import extract_blocks

MIN_ARTICLE_WORDS = 60
# Listing pages: many headline links and a text made of their teasers.
LISTING_MIN_HEADLINES = 6
HEADLINE_MIN_WORDS = 4


def _headline_links(tree: HtmlElement) -> int:
    return sum(1 for link in tree.iter("a") if len(link.text_content().split()) >= HEADLINE_MIN_WORDS)


def _not_article_reason(meta: dict[str, Any], words: int, headlines: int, blocks: list[str], url: str | None) -> str | None:
    if words == 0:
        return "no_text"
    if words < MIN_ARTICLE_WORDS:
        return "too_short"
    if meta["has_article_markup"]:
        return None
    if url and is_navigation_page(url):
        return "navigation_page"
    if headlines >= LISTING_MIN_HEADLINES and words / max(len(blocks), 1) < 30:
        return "listing_page"
    return None


def parse_html(text: str) -> HtmlElement:
    tree = load_html(text)
    if tree is None or tree.find(".//body") is None and len(tree) == 0:
        raise UnparsableHTML("the body could not be parsed as an HTML document")
    return tree


def clean(
    body: bytes | str,
    url: str | None = None,
    *,
    content_type: str | None = None,
    fetched_at: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> dict[str, Any]:
    """Clean one page: decode, remove furniture, extract, detect the language, build the record.

    Raises a :class:`cleaners.CleanError` subclass when the input is not a usable HTML page.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
        content_type = "text/html; charset=utf-8"
    text, _encoding = decode_html(body, content_type, max_bytes)
    try:
        return _clean_text(text, url, fetched_at)
    except CleanError:
        raise
    except Exception as error:  # lxml, trafilatura or htmldate failing on one page
        raise ExtractionFailed(f"{type(error).__name__}: {error}") from error


def _clean_text(text: str, url: str | None, fetched_at: str | None) -> dict[str, Any]:
    tree = parse_html(text)
    headlines = _headline_links(tree)
    removed = remove_blocks(tree)
    meta = extract_page_metadata(tree, url)
    blocks, line_removed = remove_lines(extract_blocks(tree, url))
    for name, count in line_removed.items():
        removed[name] = removed.get(name, 0) + count
    clean_text = "\n\n".join(blocks)
    words = word_count(clean_text)
    language, language_score = detect_language(clean_text)
    reason = _not_article_reason(meta, words, headlines, blocks, url)
    return {
        "url": url,
        "canonical_url": meta["canonical_url"],
        "site": meta["site"],
        "title": meta["title"],
        "description": meta["description"],
        "authors": meta["authors"],
        "date_published": meta["date_published"],
        "date_modified": meta["date_modified"],
        "language": language,
        "language_score": language_score,
        "text": clean_text,
        "word_count": words,
        "tags": meta["tags"],
        "image": meta["image"],
        "is_article": reason is None,
        "not_article_reason": reason,
        "content_hash": content_hash(clean_text) if clean_text else None,
        "simhash": simhash(clean_text) if clean_text else None,
        "fetched_at": fetched_at,
        "event": None,
        "removed": dict(sorted(removed.items())),
        "schema_version": SCHEMA_VERSION,
    }
