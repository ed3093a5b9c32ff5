"""Page type: is a page a story, or a product, forum, documentation, service, listing or collection page?

The facts are read from the whole page before any furniture is removed (a home page's
teaser grid is furniture to the block rules, but it is what makes the page a home page):
schema.org types (JSON-LD and microdata), ``og:type``, the URL's shape, how much of the
text sits in links, shop controls and prices, repeated same-shaped cards, code and
documentation navigation, forum posts each with its author and date, and a story's
own byline and date.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from courlan import is_navigation_page
from lxml.html import HtmlElement

from .metadata import iter_jsonld

MODEL_PATH = Path(__file__).with_name("pagetype_model.json")
ARTICLE = "article"

_PRODUCT_TYPES = frozenset({"product", "productgroup", "individualproduct", "productmodel", "offer", "aggregateoffer"})
_FORUM_TYPES = frozenset({"qapage", "discussionforumposting", "question", "answer"})
_COLLECTION_TYPES = frozenset({"itemlist", "collectionpage", "searchresultspage", "offercatalog"})
_SOFTWARE_TYPES = frozenset({"softwareapplication", "webapplication", "mobileapplication", "videogame"})
_SERVICE_TYPES = frozenset({"service", "professionalservice", "financialproduct", "course", "educationaloccupationalprogram",
                            "localbusiness", "organization", "corporation", "faqpage", "aboutpage", "contactpage"})
_STORY_TYPES = frozenset({"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
                          "blogposting", "liveblogposting", "backgroundnewsarticle", "reviewnewsarticle", "report",
                          "scholarlyarticle", "socialmediaposting", "posting", "review"})
_DOC_TYPES = frozenset({"techarticle", "apireference"})

_SENTENCE_ENDS = (".", "!", "?", "…", '"', "”", "»", ")", "。")
CONTROL_MAX_CHARS = 80  # a button's or a link's label, not a headline or a paragraph
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# A currency sign then an amount, or an amount (its first digit not inside a word) then a currency.
# It starts with one character class, which the regex engine scans for fast: a page's whole text is searched.
_PRICE = re.compile(r"[$€£¥₹₽\d](?:(?<=[$€£¥₹₽])\s?\d[\d.,]*"
                    r"|(?<=(?<!\w)\d)[\d.,]*\s?(?:€|EUR|USD|GBP|zł|PLN|руб|₽|грн|kr|CHF)(?!\w))")
_CART = re.compile(
    r"\b(?:add\s+to\s+(?:cart|basket|bag|trolley)|buy\s+(?:it\s+)?now|in\s+den\s+warenkorb|ajouter\s+au\s+panier"
    r"|a[ñn]adir\s+al\s+carrito|aggiungi\s+al\s+carrello|adicionar\s+ao\s+carrinho|in\s+winkelwagen"
    r"|do\s+koszyka|в\s+корзину|до\s+кошика)\b", re.IGNORECASE)
_CART_CLASS = re.compile(r"add[-_]?to[-_]?(?:cart|basket|bag)|addtocart|buy[-_]?button|product[-_]?form", re.IGNORECASE)
_PRICE_CLASS = re.compile(r"(?:^|[\s_-])price(?:$|[\s_-])|itemprop-price", re.IGNORECASE)
# "cooked" is the post body of Discourse, the forum software of many communities.
_POST_CLASS = re.compile(r"\b(?:post|message|reply|answer|comment|topic-post|cooked)(?:$|[\s_-])", re.IGNORECASE)
_BYLINE_CLASS = re.compile(r"byline|author|posted-by|entry-meta|post-meta|article-meta", re.IGNORECASE)
# Calls to action of a company or shop page ("Get started", "Book a demo", "Request a quote").
_CALL_TO_ACTION = re.compile(
    r"^\W*(?:get\s+(?:started|a\s+(?:free\s+)?(?:quote|demo|consultation)|in\s+touch)|book\s+a\s+(?:demo|call|consultation)"
    r"|request\s+a\s+(?:quote|demo|consultation)|contact\s+(?:us|sales)|talk\s+to\s+(?:us|sales|an?\s+expert)"
    r"|start\s+(?:your\s+)?(?:free\s+)?trial|try\s+(?:it\s+)?(?:for\s+)?free|schedule\s+a\s+(?:demo|call)|learn\s+more"
    r"|see\s+(?:pricing|plans)|sign\s+up(?:\s+for\s+free)?|apply\s+now|enroll\s+now|shop\s+now|call\s+(?:us|now))\W*$",
    re.IGNORECASE)
# How a company or a shop speaks: "we" to "you". A story reports on third persons. Words that are also another
# person's pronoun ("sie" she/they, "su" his/her, "je" I) are left out: they would weigh on stories.
_WE = frozenset("we our us ours nous notre nos wir unser unsere uns nosotros nuestro nuestra nuestros nuestras noi "
                "nostro nostra nós nosso nossa wij ons onze".split())
_YOU = frozenset("you your yours vous votre usted tu tus voi vostro você jij jouw uw".split())
_LETTERS = re.compile(r"[^\W\d_]+")
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d\d[/-](?:0?[1-9]|1[0-2])(?:[/-]|$)|/(?:19|20)\d\d/")

# URL path segments (and host labels) that name a page type.
_URL_CUES: dict[str, re.Pattern[str]] = {
    "product": re.compile(r"/(?:products?|p|dp|itm|item|items|app|shop/[^/]+|store/detail|sku)/[^/]+", re.IGNORECASE),
    "collection": re.compile(r"/(?:collections?|c|browse|catalog|catalogue|departments?|shop)(?:/|$)", re.IGNORECASE),
    "forum": re.compile(r"/(?:t|threads?|topics?|questions|forums?|discussions?|boards?|community|viewtopic)(?:/|\.php|$)"
                        r"|^(?:forums?|community|discuss|boards?)\.", re.IGNORECASE),
    "documentation": re.compile(r"/(?:docs?|documentation|reference|manual|api|guides?/api|wiki)(?:/|\.html|$)"
                                r"|^(?:docs|developer|developers|wiki)\.", re.IGNORECASE),
    "service": re.compile(r"/(?:services?|solutions?|pricing|plans|features|products?|programs?|about(?:-us)?|pages)(?:/|$)",
                          re.IGNORECASE),
}
_SECTION_END = re.compile(r"/(?:news|blog|blogs|articles|stories|posts|latest|archives?|recipes|podcasts|topics|press)/?$",
                          re.IGNORECASE)
_STORY_PATH = re.compile(r"/(?:news|blog|blogs|article|articles|story|stories|posts?|insights|press|magazine)/",
                         re.IGNORECASE)


@dataclass(frozen=True)
class PageFacts:
    """What the page's markup says about its type, read once before cleaning."""

    schema_types: frozenset[str]
    og_type: str
    words: int  # words in the body
    link_words: int  # of them, words inside links
    headline_links: int  # links of four or more words (teaser headlines)
    largest_card_group: int  # most same-tag, same-class siblings that each hold a link
    prices: int  # currency amounts in the text, and elements classed as prices
    cart_controls: int  # "add to cart" buttons, forms and links
    code_blocks: int  # <pre> elements
    nav_links: int  # links inside <nav> and <aside>
    dated_posts: int  # most same-class siblings that each hold a date (<time>) — posts of a thread
    posts: int  # elements classed as posts, replies, answers or comments
    times: int  # <time> elements
    bylines: int  # elements classed as a byline / author / post meta
    articles: int  # <article> elements
    inputs: int  # form fields
    long_paragraphs: int  # <p> of 30 words or more: a story's paragraphs
    paragraphs: int  # <p> elements
    paragraph_words: int  # words in them
    we_words: int  # "we", "our", "nous", "wir"... in the body
    you_words: int  # "you", "your", "vous", "ihr"...
    headings: int  # h2-h6
    calls_to_action: int  # "Get started", "Book a demo" links and buttons
    declared_date: bool  # a publication date in meta tags, microdata or JSON-LD


def _schema_types(tree: HtmlElement, jsonld: list[dict[str, Any]]) -> frozenset[str]:
    """Every schema.org type the page declares: in JSON-LD at any depth (a Product's Offer, a QAPage's
    Answer...) and in microdata."""
    found: set[str] = set()
    stack: list[Any] = list(jsonld)
    while stack:  # a loop, not recursion: JSON-LD may nest deeper than Python's stack
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            kinds = value.get("@type", [])
            found.update(str(kind).rsplit("/", 1)[-1].lower() for kind in (kinds if isinstance(kinds, list) else [kinds]))
            stack.extend(item for key, item in value.items() if key != "@context" and isinstance(item, (dict, list)))
    for element in tree.xpath("//*[@itemtype]"):
        found.update(kind.rstrip("/").rsplit("/", 1)[-1].lower() for kind in (element.get("itemtype") or "").split())
    return frozenset(found)


def _words(text: str | None) -> int:
    return len(text.split()) if text else 0


GroupKey = tuple[HtmlElement, str, str]


def _groups(starts: Iterator[HtmlElement], depth: int) -> dict[GroupKey, set[HtmlElement]]:
    """For each element and its ``depth`` nearest ancestors: the parent, tag and class of each level,
    with the distinct elements at that level (same-shaped siblings holding a start)."""
    groups: dict[GroupKey, set[HtmlElement]] = {}
    for start in starts:
        item = start
        for _ in range(depth):
            parent = item.getparent()
            if parent is None:
                break
            groups.setdefault((parent, str(item.tag), item.get("class") or ""), set()).add(item)
            item = parent
    return groups


def _is_card(element: HtmlElement) -> bool:
    """A teaser or product card: besides its link, an image, a heading or some text."""
    return (element.tag != "a" and (element.find(".//img") is not None or any(True for _ in element.iter(*_HEADINGS))
            or _words(element.text_content()) >= 8))


def _largest_card_group(groups: dict[GroupKey, set[HtmlElement]]) -> int:
    """The most cards in one group of three or more: largest groups first, until no group left can hold more."""
    largest = 0
    for items in sorted(groups.values(), key=len, reverse=True):
        if len(items) < 3 or len(items) <= largest:
            break
        largest = max(largest, sum(1 for item in items if _is_card(item)))
    return largest


_CLASS_FACTS = ((_CART_CLASS, frozenset({"button", "form", "input", "a"})), (_PRICE_CLASS, frozenset({"span", "div", "p"})),
                (_POST_CLASS, frozenset({"div", "article", "li", "section"})), (_BYLINE_CLASS, frozenset({"div", "span", "p", "a"})))
_CLASSED_TAGS = ("button", "a", "input", "form", "div", "span", "article", "li", "section", "p")


# Words each of the class patterns needs (lower case): a class string holding none of them matches none.
_CLASS_CUES = re.compile("add|buy|product|price|post|message|reply|answer|comment|cooked|byline|author|meta")


def _class_facts(classes: str) -> tuple[int, ...]:
    """The indexes in ``_CLASS_FACTS`` of the patterns a class string matches (most match none)."""
    if classes.isascii() and not _CLASS_CUES.search(classes.lower()):  # non-ASCII: case folding beyond lower()
        return ()
    return tuple(index for index, (pattern, _) in enumerate(_CLASS_FACTS) if pattern.search(classes))


def _class_counts(body: HtmlElement, controls: dict[HtmlElement, str]) -> list[int]:
    """Elements whose class or id names a cart control, a price, a post, a byline (shop controls also by their text)."""
    counts = [0, 0, 0, 0]
    verdicts: dict[str, tuple[int, ...]] = {}  # class strings repeat across a page: match each once
    for element in body.iter(_CLASSED_TAGS):
        text = controls.get(element) if element.tag != "input" else element.get("value") or ""
        if text is not None and len(text) <= CONTROL_MAX_CHARS and _CART.search(text):
            counts[0] += 1
            continue
        classes = f"{element.get('class') or ''} {element.get('id') or ''}"
        if classes == " ":
            continue
        matched = verdicts.get(classes)
        if matched is None:
            matched = verdicts[classes] = _class_facts(classes)
        for index in matched:
            counts[index] += element.tag in _CLASS_FACTS[index][1]
    return counts


def read_facts(tree: HtmlElement) -> PageFacts:
    """The page-type facts of a whole page (scripts other than JSON-LD may already be gone)."""
    body = tree.find(".//body")
    body = tree if body is None else body
    og_type = next((value.strip().lower() for value in tree.xpath('//meta[@property="og:type"]/@content')), "")
    controls = {element: element.text_content() for element in body.iter("a", "button")}
    links = [element for element in controls if element.tag == "a"]
    link_counts = [_words(controls[link]) for link in links]
    largest_card_group = _largest_card_group(_groups(iter(links), 4))
    dated = _groups(body.iter("time"), 6)
    text = body.text_content()
    cart_controls, price_classes, posts, bylines = _class_counts(body, controls)
    jsonld = list(iter_jsonld(tree))  # parsed once for both facts below
    paragraph_words = [_words(p.text_content()) for p in body.iter("p")]
    letters = Counter(word.lower() for word in _LETTERS.findall(text))
    return PageFacts(
        schema_types=_schema_types(tree, jsonld), og_type=og_type, words=_words(text), link_words=sum(link_counts),
        headline_links=sum(1 for count in link_counts if count >= 4), largest_card_group=largest_card_group,
        prices=len(_PRICE.findall(text)) + price_classes + len(tree.xpath("//*[@itemprop='price']")),
        cart_controls=cart_controls, code_blocks=sum(1 for _ in body.iter("pre")),
        nav_links=sum(1 for container in body.iter("nav", "aside") for _ in container.iter("a")),
        dated_posts=max((len(items) for items in dated.values()), default=0), posts=posts,
        times=sum(1 for _ in body.iter("time")), bylines=bylines, articles=sum(1 for _ in body.iter("article")),
        inputs=sum(1 for _ in body.iter("input", "textarea", "select")),
        long_paragraphs=sum(1 for count in paragraph_words if count >= 30), paragraphs=len(paragraph_words),
        paragraph_words=sum(paragraph_words), we_words=sum(letters[word] for word in _WE),
        you_words=sum(letters[word] for word in _YOU),
        headings=sum(1 for _ in body.iter(*_HEADINGS[1:])),
        calls_to_action=sum(1 for value in controls.values() if len(value) <= CONTROL_MAX_CHARS
                            and _CALL_TO_ACTION.match(value)),
        declared_date=bool(tree.xpath('//meta[@property="article:published_time" or @name="article:published_time"]'
                                      '|//*[@itemprop="datePublished"]'))
        or any("datePublished" in node for node in jsonld),
    )


def url_cues(url: str | None) -> frozenset[str]:
    """Page types the URL's path or host name suggests, and "home" for a site's front page, "dated"/"story" paths."""
    if not url:
        return frozenset()
    parts = urlsplit(url)
    path, host = parts.path or "/", (parts.hostname or "").removeprefix("www.")
    cues = {kind for kind, pattern in _URL_CUES.items() if pattern.search(path) or pattern.search(host)}
    if path.rstrip("/") in ("", "/index.html", "/index.php", "/home", "/en", "/en-us", "/de", "/fr"):
        cues.add("home")
    if _DATE_IN_PATH.search(path):
        cues.add("dated")
    if _STORY_PATH.search(path):
        cues.add("story")
    if _SECTION_END.search(path):
        cues.add("section")
    return frozenset(cues)


def _log(count: int) -> float:
    return math.log1p(max(0, count))


def _block_shares(blocks: Sequence[str]) -> tuple[float, float, int]:
    """Of the kept text: the share of words in prose paragraphs (15+ words ending a sentence), the share of
    blocks under 8 words (headings, bullets, buttons), and how many blocks have 30 words or more."""
    counts = [len(block.split()) for block in blocks]
    total = sum(counts) or 1
    prose = sum(count for count, block in zip(counts, blocks, strict=True)
                if count >= 15 and block.rstrip().endswith(_SENTENCE_ENDS))
    short = sum(1 for count in counts if count < 8)
    return prose / total, short / max(1, len(blocks)), sum(1 for count in counts if count >= 30)


def page_features(facts: PageFacts, url: str | None, blocks: Sequence[str], text_words: int, has_date: bool,
                  has_author: bool) -> dict[str, float]:
    """The interpretable numbers the page-type decision weighs (also what the model was trained on)."""
    prose_share, short_share, long_blocks = _block_shares(blocks)
    kinds = facts.schema_types
    cues = url_cues(url)
    path = urlsplit(url).path if url else ""
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    return {
        "schema_story": float(bool(kinds & _STORY_TYPES)),
        "schema_product": float(bool(kinds & _PRODUCT_TYPES)),
        "schema_forum": float(bool(kinds & _FORUM_TYPES)),
        "schema_collection": float(bool(kinds & _COLLECTION_TYPES)),
        "schema_software": float(bool(kinds & _SOFTWARE_TYPES)),
        "schema_service": float(bool(kinds & _SERVICE_TYPES)),
        "schema_doc": float(bool(kinds & _DOC_TYPES)),
        "og_article": float(facts.og_type == "article"),
        "og_product": float(facts.og_type.startswith("product")),
        **{f"url_{cue}": float(cue in cues) for cue in (*_URL_CUES, "home", "dated", "story", "section")},
        "url_navigation": float(bool(url and is_navigation_page(url))),
        "url_depth": float(min(6, len([part for part in path.split("/") if part]))),
        "slug_words": float(min(12, len(re.findall(r"[^\W\d_]+", slug)))),
        "link_share": facts.link_words / facts.words if facts.words else 1.0,
        "text_share": min(1.0, text_words / facts.words) if facts.words else 0.0,
        "text_words": _log(text_words),
        "headline_links": _log(facts.headline_links),
        "card_group": _log(facts.largest_card_group),
        "prices": _log(facts.prices),
        "cart": float(facts.cart_controls > 0),
        "code_blocks": _log(facts.code_blocks),
        "nav_links": _log(facts.nav_links),
        "dated_posts": _log(facts.dated_posts),
        "posts": _log(facts.posts),
        "times": _log(facts.times),
        "bylines": _log(facts.bylines),
        "articles": _log(facts.articles),
        "inputs": _log(facts.inputs),
        "prose_share": prose_share,
        "short_block_share": short_share,
        "long_blocks": _log(long_blocks),
        "long_paragraphs": _log(facts.long_paragraphs),
        "paragraph_share": min(1.0, 30 * facts.long_paragraphs / text_words) if text_words else 0.0,
        "paragraph_mean": math.log1p(facts.paragraph_words / facts.paragraphs) if facts.paragraphs else 0.0,
        "we_share": facts.we_words / facts.words if facts.words else 0.0,
        "you_share": facts.you_words / facts.words if facts.words else 0.0,
        "headings": _log(facts.headings),
        "calls_to_action": _log(facts.calls_to_action),
        "declared_date": float(facts.declared_date),
        "has_date": float(has_date),
        "has_author": float(has_author),
    }


@dataclass(frozen=True)
class PageTypeModel:
    """A softmax over standardised page features (``pagetype_model.json``, see benchmarks/pagetype_train.py)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    classes: tuple[str, ...]  # "article" first
    weights: tuple[tuple[float, ...], ...]  # one row per class
    biases: tuple[float, ...]
    article_threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> PageTypeModel:
        data = json.loads(path.read_text("utf-8"))
        return cls(tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]), tuple(data["classes"]),
                   tuple(tuple(row) for row in data["weights"]), tuple(data["biases"]), data["article_threshold"])

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        x = [(features[name] - mean) / scale for name, mean, scale in zip(self.features, self.mean, self.scale, strict=True)]
        scores = [bias + sum(w * v for w, v in zip(row, x, strict=True)) for row, bias in zip(self.weights, self.biases,
                                                                                                strict=True)]
        top = max(scores)
        exp = [math.exp(score - top) for score in scores]
        total = sum(exp)
        return {kind: value / total for kind, value in zip(self.classes, exp, strict=True)}


@cache
def _model() -> PageTypeModel:
    return PageTypeModel.load()


def page_type_reason(facts: PageFacts, url: str | None, blocks: Sequence[str], text_words: int, *, has_date: bool,
                     has_author: bool) -> str | None:
    """Why the page is not an article (``product_page``, ``forum_page``...), or ``None`` for a story.

    A site's front page is never an article; otherwise the model's P(article) decides, against a
    threshold that keeps 98% of held-out articles. The reason names the most likely other type.
    """
    features = page_features(facts, url, blocks, text_words, has_date, has_author)
    model = _model()
    probabilities = model.probabilities(features)
    if probabilities[ARTICLE] >= model.article_threshold and not features["url_home"]:
        return None
    kind = max((kind for kind in model.classes if kind != ARTICLE), key=probabilities.__getitem__)
    return f"{kind}_page"
