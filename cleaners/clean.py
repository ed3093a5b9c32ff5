"""The heart of the project: one page in, one clean record out."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from .blocks import remove_blocks
from .decoding import DEFAULT_MAX_BYTES, decode_html
from .errors import CleanError, ExtractionFailed, UnparsableHTML
from .header import read_header
from .lines import remove_lines
from .metadata import extract_page_metadata
from .pagetype import PageFacts, page_type_reason, read_facts
from .record import SCHEMA_VERSION, text_fields, word_count
from .structure import merge_split_body, show_streamed_parts
from .templates import RULE as TEMPLATE_RULE
from .text import extract_blocks

# A site template's rule: (blocks, headline) -> (the blocks kept, how many it removed); see cleaners.templates.
TemplateRule = Callable[[list[str], "str | None"], tuple[list[str], int]]

MIN_ARTICLE_WORDS = 60
# Listing pages: most of the text is teaser cards (a standalone headline link and a little text).
HEADLINE_MIN_WORDS = 4
CARD_MAX_WORDS = 80
LISTING_MIN_BLOCKS = 3
LISTING_MIN_SHARE = 0.5


def _card_texts(tree: HtmlElement) -> set[str]:
    """Texts found in teaser cards: around every link that stands alone as a headline."""
    texts: set[str] = set()
    for link in tree.iter("a"):
        headline = " ".join(link.text_content().split())
        parent = link.getparent()
        if len(headline.split()) < HEADLINE_MIN_WORDS or parent is None:
            continue
        if " ".join(parent.text_content().split()) != headline and len(link) == 0:
            continue  # a link inside a sentence, not a headline
        card = parent
        while card.getparent() is not None and len(card.getparent().text_content().split()) <= CARD_MAX_WORDS:
            card = card.getparent()
        texts.update(" ".join(element.text_content().split()) for element in card.iter() if isinstance(element.tag, str))
    return texts


def _not_article_reason(meta: dict[str, Any], words: int, blocks: list[str], tree: HtmlElement, url: str | None,
                        facts: PageFacts) -> str | None:
    if words == 0:
        return "no_text"
    if words < MIN_ARTICLE_WORDS:
        return "too_short"
    if reason := page_type_reason(facts, url, blocks, words, has_date=bool(meta["date_published"]),
                                  has_author=bool(meta["authors"])):
        return reason
    if meta["has_article_markup"]:
        return None
    # A section front whose kept text is mostly teaser cards (the page type's facts see the page before cleaning).
    cards = _card_texts(tree)
    in_cards = sum(1 for block in blocks if block in cards)
    if in_cards >= LISTING_MIN_BLOCKS and in_cards >= LISTING_MIN_SHARE * len(blocks):
        return "listing_page"
    return None


def _drop_scripts(tree: HtmlElement) -> None:
    """Scripts and styles are never text, and their build dates must not pass for publication dates."""
    for element in tree.xpath("//script[not(@type='application/ld+json')]|//style"):
        element.drop_tree()


def _drop_read_metadata(tree: HtmlElement) -> None:
    """Once the metadata is read, <head> and JSON-LD are of no use: trafilatura would only copy them around."""
    for element in tree.xpath("/html/head|//script"):
        element.drop_tree()


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
    skip_rules: Collection[str] = (),
    template: TemplateRule | None = None,
) -> dict[str, Any]:
    """Clean one page: decode, remove furniture, extract, detect the language, build the record.

    ``skip_rules`` names block or line rules not to apply (to measure what one rule costs).
    ``template`` removes the blocks of the page's site template last (rule ``site_template``),
    before the text's words, language and hashes are computed.
    Raises a :class:`cleaners.CleanError` subclass when the input is not a usable HTML page.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
        content_type = "text/html; charset=utf-8"
    text, _encoding = decode_html(body, content_type, max_bytes)
    try:
        return _clean_text(text, url, fetched_at, skip_rules, template)
    except CleanError:
        raise
    except Exception as error:  # lxml, trafilatura or htmldate failing on one page
        raise ExtractionFailed(f"{type(error).__name__}: {error}") from error


def _clean_text(text: str, url: str | None, fetched_at: str | None, skip_rules: Collection[str],
                template: TemplateRule | None) -> dict[str, Any]:
    tree = parse_html(text)
    _drop_scripts(tree)
    show_streamed_parts(tree)
    facts = read_facts(tree)  # before the block rules: a home page's teaser grid is what makes it a home page
    header = read_header(tree)  # before the block rules: they may take a byline for a caption
    removed, guarded = remove_blocks(tree, skip_rules, url)
    merge_split_body(tree)
    meta = extract_page_metadata(tree, url, header)
    _drop_read_metadata(tree)
    blocks, line_removed = remove_lines(extract_blocks(tree, url), titles=meta["headlines"] | {meta["title"] or ""},
                                        skip_rules=skip_rules, authors=meta["authors"])
    for name, count in line_removed.items():
        removed[name] = removed.get(name, 0) + count
    # The page type is judged before the site's template goes: whether the template is known yet (the worker
    # removing it, or the store afterwards) must not change what the page is.
    reason = _not_article_reason(meta, word_count("\n\n".join(blocks)), blocks, tree, url, facts)
    if template is not None:
        blocks, count = template(blocks, meta["title"])
        if count:
            removed[TEMPLATE_RULE] = count
    derived = text_fields(blocks)
    return {
        "url": url,
        "canonical_url": meta["canonical_url"],
        "site": meta["site"],
        "title": meta["title"],
        "description": meta["description"],
        "authors": meta["authors"],
        "date_published": meta["date_published"],
        "date_modified": meta["date_modified"],
        "language": derived["language"],
        "language_score": derived["language_score"],
        "text": derived["text"],
        "word_count": derived["word_count"],
        "tags": meta["tags"],
        "image": meta["image"],
        "is_article": reason is None,
        "not_article_reason": reason,
        "content_hash": derived["content_hash"],
        "simhash": derived["simhash"],
        "fetched_at": fetched_at,
        "event": None,
        "removed": dict(sorted(removed.items())),
        "guarded": dict(sorted(guarded.items())),
        "schema_version": SCHEMA_VERSION,
    }
