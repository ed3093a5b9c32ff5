"""Block rules: remove page furniture from the HTML tree before trafilatura sees it.

A rule looks at structure and text together (a small block holding a sign-up form and
a call to action, a list whose every item is a headline link with a byline), never at
one publisher's class names alone. Each rule returns the elements to remove; the
caller passes each through the story guard (``guard.py``), removes what it allows and
counts both under the rule's name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import islice
from urllib.parse import urlsplit

from courlan.urlutils import extract_domain, is_external
from lxml import etree
from lxml.html import HtmlElement

from . import patterns
from .guard import STORY_PARAGRAPH_WORDS, STORY_TAGS, StoryGuard

# A claim is an element, or an element with companions removed only with it (a teaser list's heading).
Claim = HtmlElement | tuple[HtmlElement, ...]
BlockRule = Callable[["PageTree"], list[Claim]]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_TAGS = frozenset(
    {"p", "span", "a", "button", "div", "strong", "b", "em", "li", "label", "legend", "small", "section", "aside",
     "figcaption", "header", "footer", "dt", "dd", "td", "h2", "h3", "h4", "h5", "h6", "i", "font", "center"}
)
_NOT_CAPTIONS = STORY_TAGS | {"figure", "header"}
_COMMENT_TAGS = _HEADINGS | {"a", "button", "span", "div", "p"}
_MEDIA_TAGS = ("video", "audio", "object", "embed", "iframe")
# A figure or an image's companion holding a table, a quote, code or a list is content, not a photo caption.
_FIGURE_CONTENT = ("table", "blockquote", "pre", "ul", "ol")
_TAG_HREF = re.compile(r"/(?:tags?|topics?|schlagwort|stichwort|thema|etiqueta)/")

BOX_MAX_WORDS = 80
MEDIA_MAX_WORDS = 25
SHARE_MAX_WORDS = 20
CAPTION_MAX_WORDS = 60
TEASER_MAX_WORDS = 60


_WORD = re.compile(r"\w+")


def _words(text: str | None) -> int:
    return len(_WORD.findall(text)) if text and not text.isspace() else 0


def _own_words(element: HtmlElement) -> int:
    """Words directly in the element, between its children: a list's items carry its text, a sentence has its own."""
    return _words(element.text) + sum(_words(child.tail) for child in element)


def _with_ancestors(elements: Iterable[HtmlElement | None]) -> set[HtmlElement]:
    """The elements and all their ancestors (``None`` stands for no element)."""
    found: set[HtmlElement] = set()
    for element in elements:
        while element is not None and element not in found:
            found.add(element)
            element = element.getparent()
    return found


class _Matches(dict[str, bool]):
    """A pattern's verdict per string, for strings that repeat across a page (class names, links)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__()
        self.pattern = pattern

    def __missing__(self, text: str) -> bool:
        found = self[text] = bool(self.pattern.search(text))
        return found


class PageTree:
    """The parsed page with per-element word counts and structure facts, computed once for all rules."""

    def __init__(self, root: HtmlElement, url: str | None = None) -> None:
        self.root = root
        self.url = url
        self._texts: dict[HtmlElement, str] = {}
        self.words: dict[HtmlElement, int] = {}
        self.link_words: dict[HtmlElement, int] = {}  # of those words, the ones inside links
        link_words = self.link_words
        # Text elements where a phrase starts (their own text holds a word), in the order of ``words``.
        self._phrases: list[HtmlElement] = []
        words, phrases = self.words, self._phrases
        # One walk: an element's count is its own text's words plus its children's counts and tails.
        open_counts, open_links = [0], [0]
        for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
            if event == "start":
                open_counts.append(0)
                open_links.append(0)
                continue
            if event == "end":
                own = _words(node.text)
                words[node] = count = open_counts.pop() + own
                open_counts[-1] += count
                below = open_links.pop()
                in_links = count if node.tag == "a" else below
                if in_links:
                    link_words[node] = in_links
                open_links[-1] += in_links
                if own and node.tag in _TEXT_TAGS:
                    phrases.append(node)
            open_counts[-1] += _words(node.tail)
        # The whole document's: a climb may leave the root.
        self._above_h1 = _with_ancestors(h1.getparent() for h1 in root.getroottree().iter("h1"))
        self._headed = _with_ancestors(root.iter(*_HEADINGS))
        self.guard = StoryGuard(root, words, link_words, self._above_h1)

    def text(self, element: HtmlElement) -> str:
        text = self._texts.get(element)
        if text is None:
            # A leaf's text is its whole text: no XPath call needed.
            raw = element.text_content() if len(element) else element.text or ""
            text = self._texts[element] = " ".join(raw.split())
        return text

    def has_heading(self, element: HtmlElement) -> bool:
        """True if ``element`` is or holds a heading."""
        return element in self._headed

    def small_ancestors(self, element: HtmlElement, max_words: int) -> list[HtmlElement]:
        """Ancestors of at most ``max_words`` words below the story containers (words only grow upwards)."""
        found = []
        ancestor = element.getparent()
        while (ancestor is not None and self.words.get(ancestor, max_words + 1) <= max_words
               and ancestor.tag not in STORY_TAGS):
            found.append(ancestor)
            ancestor = ancestor.getparent()
        return found

    def climb(self, element: HtmlElement, max_words: int) -> HtmlElement:
        """The largest ancestor-or-self of at most ``max_words`` words that the guard would let go."""
        best = element
        parent = element.getparent()
        while parent is not None and self.words.get(parent, 0) <= max_words and not self.guard.refuses(parent):
            best, parent = parent, parent.getparent()
        return best

    def short_texts(self, max_words: int) -> Iterator[tuple[HtmlElement, str]]:
        """Short elements that hold text of their own (a phrase starts in one of them), with their full text."""
        for element in self._phrases:
            if self.words[element] <= max_words:
                yield element, self.text(element)


def _has_email_field(form: HtmlElement) -> bool:
    for field in form.iter("input"):
        kind = (field.get("type") or "").lower()
        name = (field.get("name") or "") + (field.get("placeholder") or "")
        if kind == "email" or "mail" in name.lower():
            return True
    return False


def newsletter_box(page: PageTree) -> list[HtmlElement]:
    """Sign-up forms, subscription promos and newsletter boxes with their straplines."""
    found = []
    for form in page.root.iter("form"):
        if _has_email_field(form):
            found.append(page.climb(form, BOX_MAX_WORDS))
    for element, text in page.short_texts(25):
        if patterns.CALL_TO_ACTION.search(text):
            found.append(page.climb(element, BOX_MAX_WORDS))
        elif patterns.PROMO_STRAPLINE.search(text):
            box = page.climb(element, BOX_MAX_WORDS)
            # A strapline alone may be story text; inside a box with a control it is a promo.
            if box is not element and (box.find(".//a") is not None or box.find(".//button") is not None):
                found.append(box)
    return found


INLINE_AFTER_WORDS = 3  # a link after this many words of its item may be inside a sentence


def _headline_link_words(page: PageTree, item: HtmlElement) -> int:
    """Words in the item's headline links: one that opens the item (after a kicker at most), or the item's only
    link that ends it ("YouTubers must unionize, <a>no matter what Google says</a>"). Not a link inside a
    sentence ("Backpack (I use an <a>Osprey</a> or <a>Kelty</a>)") or after a label ("Website: <a>...</a>")."""
    total, links = page.words.get(item, 0), sum(1 for _ in item.iter("a"))
    before = counted = 0
    last = ""  # the text just before the current node
    for event, node in etree.iterwalk(item, events=("start", "end")):
        text = node.text if event == "start" else (node.tail if node is not item else None)
        if event == "start" and node.tag == "a" and not last.rstrip().endswith(":"):
            size = page.words.get(node, 0)
            if before < INLINE_AFTER_WORDS or links == 1 and before + size == total:
                counted += size
        if text and text.strip():
            before += _words(text)
            last = text
    return counted


def _is_teaser(page: PageTree, item: HtmlElement, headlined: set[HtmlElement]) -> bool:
    """A card: a headline link with a little text, and the link, a heading or a date is most of it."""
    words = page.words.get(item, 0)
    if item.tag == "p" or not 0 < words <= TEASER_MAX_WORDS or item not in headlined:
        return False
    if any(True for _ in item.iter("h2", "h3", "h4", "h5", "h6", "time")):
        return True
    return _headline_link_words(page, item) >= 0.25 * words


OUTBOUND_MIN_SITES = 3


def _links_out(page: PageTree, teasers: list[HtmlElement]) -> bool:
    """Most teasers link to other sites, three or more of them: a roundup or a resource list, the story itself.
    A site's teasers for its own stories link home; an ad network's all go to one host."""
    if not page.url:
        return False
    sites = []
    for item in teasers:
        href = next((link.get("href", "") for link in item.iter("a") if link.get("href", "").startswith("http")), "")
        if href and is_external(href, page.url):
            sites.append(extract_domain(href) or urlsplit(href).hostname)  # no public suffix: the host
    return len(set(sites)) >= OUTBOUND_MIN_SITES and len(sites) >= 0.6 * len(teasers)


INTRO_MIN_WORDS = 5


def _neighbour(page: PageTree, element: HtmlElement, forward: bool) -> HtmlElement | None:
    """The element next to ``element`` in the text (``forward``: after it), seen through wrappers: the
    neighbour of a list wrapped in a ``<div>`` of its own is that div's, and a paragraph wrapped alone in
    a ``<div>`` is that paragraph."""
    words = page.words.get(element, 0)
    while True:
        # Elements only: comments and processing instructions are no neighbours.
        sibling = next(element.itersiblings(etree.Element, preceding=not forward), None)
        if sibling is not None:
            break
        element = element.getparent()
        if element is None or page.words.get(element, 0) != words:
            return None
    while (len(sibling) == 1 and isinstance(sibling[0].tag, str)
           and page.words.get(sibling[0], 0) == page.words.get(sibling, 0)):
        sibling = sibling[0]
    return sibling


def _prose(page: PageTree, element: HtmlElement | None) -> bool:
    return element is not None and element.tag == "p" and page.words.get(element, 0) >= STORY_PARAGRAPH_WORDS


LINK_ONLY_SHARE = 0.9


def _in_story_flow(page: PageTree, element: HtmlElement, teasers: list[HtmlElement]) -> bool:
    """A list the story introduces ("Many patches were sent for review:"), or that stands between two of its
    paragraphs with text of its own besides links. A teaser list comes after its own heading ("Related
    stories"), not after a sentence; headlines alone after a paragraph are a list of other stories."""
    before, after = _neighbour(page, element, forward=False), _neighbour(page, element, forward=True)
    if before is not None and before.tag not in _HEADINGS:
        intro = page.text(before)
        if (intro.endswith(":") and _words(intro) >= INTRO_MIN_WORDS and not patterns.RELATED_HEADING.match(intro)
                and not patterns.READ_MORE_PROMO.match(intro)):
            return True
    headlines_only = all(page.link_words.get(item, 0) >= LINK_ONLY_SHARE * page.words[item] for item in teasers)
    return not headlines_only and _prose(page, before) and _prose(page, after)


def related_stories(page: PageTree) -> list[Claim]:
    """Lists and grids of teasers: at least three items, most of them cards of another story of the site."""
    # Only a parent of a short item holding a headline link can be a teaser list.
    containers: dict[HtmlElement, None] = {}
    headlines = []  # three words of joined text; joining never adds words, so ``words`` is 3 or more too
    for link in page.root.iter("a"):
        if page.words.get(link, 0) >= 3 and link.get("href"):
            if _words(page.text(link)) >= 3:
                headlines.append(link)
            item = link
            while (parent := item.getparent()) is not None and page.words.get(item, 0) <= TEASER_MAX_WORDS:
                if parent in containers:
                    break  # and so are its ancestors up the same climb
                containers[parent] = None
                item = parent
    headlined = _with_ancestors(headlines)  # the items that hold a headline link
    found: list[Claim] = []
    for element in containers:
        if element.tag == "p":
            continue
        items = [child for child in element if isinstance(child.tag, str)]
        if len(items) < 3 or _own_words(element) >= INLINE_AFTER_WORDS:
            continue  # a sentence with links in it ("features in my lists of the <a>best</a>, the <a>...</a>")
        teasers = [item for item in items if _is_teaser(page, item, headlined)]
        if (len(teasers) >= 3 and len(teasers) >= 0.6 * len(items) and not _links_out(page, teasers)
                and not _in_story_flow(page, element, teasers)):
            block = page.climb(element, page.words[element] + 8)
            heading = block.getprevious()
            if (heading is not None and isinstance(heading.tag, str) and page.words.get(heading, 99) <= 6
                    and (heading.tag in _HEADINGS or patterns.RELATED_HEADING.match(page.text(heading)))):
                found.append((block, heading))
            else:
                found.append(block)
    return found


def share_bar(page: PageTree) -> list[HtmlElement]:
    """Rows of share and bookmark buttons, and the lone "Click to tweet" button after a quoted sentence."""
    rows_of = {link: page.small_ancestors(link, SHARE_MAX_WORDS) for link in page.root.iter("a", "button")}
    links = Counter(row for rows in rows_of.values() for row in rows)
    share_links: Counter[HtmlElement] = Counter()
    labelled: Counter[HtmlElement] = Counter()
    share_hrefs = _Matches(patterns.SHARE_HREF)
    for link, rows in rows_of.items():
        if not rows or links[rows[-1]] < 2:
            continue  # not even its largest row holds another link: no bar, so spare it the patterns
        if share_hrefs[link.get("href") or ""]:
            share_links.update(rows)
        if page.words.get(link, 0) <= 8 and patterns.SHARE_LABEL.match(page.text(link)):
            labelled.update(rows)
    bars = [page.climb(row, SHARE_MAX_WORDS) for row, count in links.items()
            if share_links.get(row, 0) >= 2 or (labelled.get(row, 0) >= 3 and labelled[row] >= 0.8 * count)]
    # The button, not its climb: it sits inside the story paragraph that holds the quote.
    return bars + [element for element, text in page.short_texts(4) if patterns.TWEET_BUTTON.match(text)]


def media_player(page: PageTree) -> list[HtmlElement]:
    """Embedded players with their fallback text and titles."""
    return [page.climb(element, MEDIA_MAX_WORDS) for element in page.root.iter(*_MEDIA_TAGS)]


def _holds_content(element: HtmlElement) -> bool:
    return next(element.iter(*_FIGURE_CONTENT), None) is not None


ICON_MAX_PIXELS = 100


def _is_icon(holder: HtmlElement) -> bool:
    """An icon beside a text makes a feature list's item, not a captioned photo: a vector image, or a small one."""
    image = holder if holder.tag == "img" else next(holder.iter("img"), None)
    if image is None:
        return False
    if (image.get("src") or "").split("?", 1)[0].lower().endswith(".svg"):
        return True
    sizes = [image.get(name, "") for name in ("width", "height")]
    return all(size.isdigit() and int(size) <= ICON_MAX_PIXELS for size in sizes)


def _is_image_wrapper(page: PageTree, element: HtmlElement, imaged: set[HtmlElement]) -> bool:
    """One image and one short text beside it, and no text of its own (an image inside a sentence is no caption)."""
    if _own_words(element):
        return False
    children = [child for child in element if isinstance(child.tag, str)]
    images = [child for child in children if child.tag in ("img", "picture") or (child in imaged and not page.words[child])]
    if len(children) != 2 or len(images) != 1 or _is_icon(images[0]):
        return False
    text = children[0] if children[1] is images[0] else children[1]
    # An illustrated paragraph, list or table is content, and so are paragraphs beside an image (a section of a
    # roundup: a brand's picture and its description); a caption is one short text.
    return (not (text.tag == "p" and page.words[text] >= STORY_PARAGRAPH_WORDS) and not _holds_content(text)
            and next(islice(text.iter("p"), 1, None), None) is None)


def caption(page: PageTree) -> list[HtmlElement]:
    """Photo captions and credits: figures, and an image with a short text as its only companion."""
    found = [element for element in page.root.iter("figure", "figcaption") if page.words.get(element, 0) <= CAPTION_MAX_WORDS
             and not _holds_content(element)]
    imaged = _with_ancestors(image.getparent() for image in page.root.iter("img"))
    caption_markers = _Matches(patterns.CAPTION_CLASS)
    for element, count in page.words.items():
        # A headline with its image is the story's header.
        if not 0 < count <= CAPTION_MAX_WORDS or element.tag in _NOT_CAPTIONS or page.has_heading(element):
            continue
        if (element.tag != "a" and caption_markers[f"{element.get('class', '')} {element.get('id', '')}"]) or (
                len(element) >= 2 and _is_image_wrapper(page, element, imaged)):
            found.append(element)
    return found


def _is_hidden(element: HtmlElement, hidden_classes: _Matches) -> bool:
    names = element.keys()  # one look at the attribute names: most elements have none of these
    if "hidden" in names or ("aria-hidden" in names and element.get("aria-hidden") == "true"):
        return True
    style = (element.get("style") or "").replace(" ", "").lower() if "style" in names else ""
    return ("display:none" in style or "visibility:hidden" in style
            or ("class" in names and hidden_classes[element.get("class") or ""]))


def hidden_element(page: PageTree) -> list[HtmlElement]:
    """Text a reader never sees: hidden, aria-hidden and screen-reader-only elements."""
    hidden_classes = _Matches(patterns.HIDDEN_CLASS)
    return [element for element, count in page.words.items() if count and _is_hidden(element, hidden_classes)]


def advertisement(page: PageTree) -> list[HtmlElement]:
    """"Advertisement" labels and the empty slots around them."""
    return [page.climb(element, 3) for element, text in page.short_texts(3) if patterns.ADVERTISEMENT_LABEL.match(text)]


def tag_list(page: PageTree) -> list[HtmlElement]:
    """Lists of topic and tag links."""
    tag_links: Counter[HtmlElement] = Counter()
    tag_words: Counter[HtmlElement] = Counter()
    for link in page.root.iter("a"):
        if link.get("rel") == "tag" or _TAG_HREF.search(link.get("href") or ""):
            for block in page.small_ancestors(link, 40):
                tag_links[block] += 1
                tag_words[block] += page.words.get(link, 0)
    return [page.climb(block, page.words[block] + 3) for block in tag_links
            if tag_links[block] >= 2 and tag_words[block] >= 0.6 * page.words[block]]


def cookie_notice(page: PageTree) -> list[HtmlElement]:
    """Cookie and consent banners."""
    found = []
    for element in page.root.iter(etree.Element):
        if "cookie" not in (element.text or "").lower() and "cookie" not in (element.tail or "").lower():
            continue
        for block in (element, *page.small_ancestors(element, 60)):
            if page.words.get(block, 0) <= 60 and patterns.COOKIE_NOTICE.search(page.text(block)):
                found.append(page.climb(block, BOX_MAX_WORDS))
                break
    return found


def comment_section(page: PageTree) -> list[HtmlElement]:
    """Comment forms and widgets."""
    found = [page.climb(area, BOX_MAX_WORDS) for area in page.root.iter("textarea")]
    for element, text in page.short_texts(8):
        if element.tag in _COMMENT_TAGS and patterns.COMMENT_WIDGET.match(text):
            found.append(page.climb(element, 8))
    return found


BLOCK_RULES: tuple[tuple[str, BlockRule], ...] = (
    ("hidden_element", hidden_element),
    ("newsletter_box", newsletter_box),
    ("related_stories", related_stories),
    ("share_bar", share_bar),
    ("media_player", media_player),
    ("caption", caption),
    ("advertisement", advertisement),
    ("tag_list", tag_list),
    ("comment_section", comment_section),
    ("cookie_notice", cookie_notice),
)


def remove_blocks(root: HtmlElement, skip_rules: Collection[str] = (), url: str | None = None
                  ) -> tuple[dict[str, int], dict[str, int]]:
    """Apply every block rule (but those named in ``skip_rules``) to ``root`` in place; return how many
    blocks each removed, and how many of its claims the story guard refused. ``url`` is the page's own
    address (links to other sites tell a roundup from a site's related stories).

    All rules see the same snapshot; a block claimed by several rules, or inside
    another removed block, counts once, for the first rule that claimed it.
    """
    page = PageTree(root, url)
    claims: dict[HtmlElement, str] = {}
    guarded: dict[str, int] = {}
    for name, rule in BLOCK_RULES:
        if name in skip_rules:
            continue
        for claim in rule(page):
            block, *companions = claim if isinstance(claim, tuple) else (claim,)
            if page.guard.refuses(block):
                guarded[name] = guarded.get(name, 0) + 1
                continue
            claims.setdefault(block, name)
            for companion in companions:
                if not page.guard.refuses(companion):
                    claims.setdefault(companion, name)
    removed: dict[str, int] = {}
    for element, name in claims.items():
        if any(ancestor in claims for ancestor in element.iterancestors()):
            continue
        element.drop_tree()
        removed[name] = removed.get(name, 0) + 1
    return removed, guarded
