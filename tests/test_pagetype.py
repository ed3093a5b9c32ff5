"""is_article by page type, on pages written for it: each kind of non-article page is recognised,
and stories that share one of their traits (a price, a comment thread, many links, a category-like
URL) stay articles."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners import clean
from cleaners.clean import parse_html
from cleaners.pagetype import _PRICE, _class_facts, page_type_reason, read_facts, url_cues
from tests.markup import STORY

LONG_STORY = STORY + [
    "Residents along the route said they welcomed the decision but worried about noise during the two years of"
    " construction, and several shop owners asked the council to compensate them for lost trade.",
    "The council's transport director said work would be done in short sections so that no street is closed for"
    " more than six weeks, and that night work would be kept to a minimum near homes and schools.",
]


def _page(body: str, *, head: str = "", title: str = "Page") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body><header><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav></header>
{body}<footer><p>Copyright 2025 Example Ltd</p></footer></body></html>"""


def _jsonld(data: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def _story_html(extra: str = "", paragraphs: list[str] | None = None) -> str:
    body = "".join(f"<p>{text}</p>" for text in (paragraphs or LONG_STORY))
    head = _jsonld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council approves tram",
                    "datePublished": "2025-05-14T09:00:00Z", "author": {"@type": "Person", "name": "Ana Ruiz"}})
    return _page(f"""<main><article><h1>Council approves tram extension</h1>
<p class="byline">By Ana Ruiz <time datetime="2025-05-14">14 May 2025</time></p>{body}</article>{extra}</main>""",
                 head=head + '<meta property="og:type" content="article">', title="Council approves tram extension")


PRODUCT_DESCRIPTION = (
    "The Harbour kettle boils a full litre in under three minutes and switches itself off when the water is ready."
    " Its steel body stays cool to the touch, the lid opens with one button and the filter lifts out for cleaning."
    " A gauge on both sides shows how much water is left, and the base turns all the way round for either hand."
    " Every kettle is tested before it leaves our workshop and comes with a two year guarantee on every part."
)
PRODUCT = _page(f"""<main><div class="product"><h1>Harbour Kettle 1.7 L</h1>
<div class="product-price"><span class="price">$49.99</span> <s>$59.99</s></div>
<form class="product-form" action="/cart/add"><select name="colour"><option>Steel</option><option>Black</option></select>
<input type="number" name="qty" value="1"><button type="submit">Add to cart</button></form>
<div class="description"><p>{PRODUCT_DESCRIPTION}</p><p>{PRODUCT_DESCRIPTION}</p></div>
<h2>Customers also bought</h2><ul>{''.join(f'<li><a href="/products/mug-{n}"><img src="/m{n}.jpg">Stoneware mug {n}</a> <span class="price">$12.00</span></li>' for n in range(6))}</ul>
</div></main>""", head=_jsonld({"@context": "https://schema.org", "@type": "Product", "name": "Harbour Kettle",
                                "offers": {"@type": "Offer", "price": "49.99", "priceCurrency": "USD"}})
                  + '<meta property="og:type" content="product">', title="Harbour Kettle 1.7 L")

FORUM_POSTS = [
    ("kettlefan", "My tram stop moved two streets away after the last timetable change and nobody told us. Has anyone"
                  " else on the northern line had the same problem with the new stops this month?"),
    ("maria_l", "Same here. The council page says the old stop closes for good in June, but the signs at the stop"
                " still show the winter times. I wrote to the transport office and have had no answer so far."),
    ("tess", "They answered me after two weeks: the new stops open in stages and the old ones stay until each new"
             " one is ready. It would help if they put that on the signs at every stop along the route."),
    ("oskar", "Thanks, that explains it. I will keep using the old stop until the new shelter is finished then."
              " Does anyone know whether the night trams will stop at both of them during the change?"),
]
FORUM = _page(f"""<main><h1>New tram stops on the northern line?</h1><div class="topic">{''.join(
    f'<div class="topic-post"><div class="post-meta"><a class="username" href="/u/{user}">{user}</a> '
    f'<time datetime="2025-05-{10 + n}">May {10 + n}</time></div><div class="post-body"><p>{text}</p></div>'
    f'<a class="reply-button" href="#">Reply</a></div>' for n, (user, text) in enumerate(FORUM_POSTS))}</div></main>""",
              title="New tram stops on the northern line? - Community")

DOCS = _page(f"""<div class="docs"><aside class="sidebar"><nav><ul>{''.join(
    f'<li><a href="/docs/guide/{topic}">{topic.title()}</a></li>' for topic in (
        'install', 'quickstart', 'settings', 'logging', 'storage', 'queues', 'signals', 'testing', 'deploy',
        'upgrading', 'security', 'faq', 'glossary', 'api', 'cli', 'plugins', 'templates', 'caching'))}</ul></nav></aside>
<main><h1>Logging</h1><p>The library writes its messages through the standard logging module, so any handler you
configure for your application also receives them. Each component logs under its own name, which lets you raise or
lower the level of one part without touching the others.</p><pre><code>import logging
logging.basicConfig(level=logging.INFO)</code></pre><h2>Levels</h2><p>Set the level of one component by its name:
messages below that level are dropped before any handler sees them, which keeps busy components quiet in production
while you debug another one.</p><pre><code>logging.getLogger("example.storage").setLevel(logging.DEBUG)</code></pre>
<h2>Handlers</h2><p>Add a handler to send messages to a file or a service; the formatter decides what each line holds.
The default handler writes to standard error with the time, the level and the component's name.</p>
<pre><code>handler = logging.FileHandler("app.log")</code></pre><p><a href="/docs/guide/storage">Next: Storage</a></p>
</main></div>""", title="Logging — Example 4.2 documentation")

TEASERS = [
    "Council approves tram extension to the northern suburbs", "Harbour bridge repairs slip again as costs rise",
    "Schools get new funding for music lessons next year", "City marathon draws a record field of runners",
    "Library opening hours extended during exam season", "New cycle lanes planned for the ring road",
    "Market hall reopens after two years of works", "Police appeal for witnesses after night-time fire",
    "Local team wins the regional cup final on penalties", "Museum shows a century of city photographs",
    "Water prices to rise by four percent from April", "Park concerts return for the summer season",
]
HOME = _page(f"""<main><h1 class="sr-only">The Daily Planet</h1><div class="grid">{''.join(
    f'<div class="card"><a href="/city/2025/05/{n + 1:02d}/story-{n}"><img src="/i{n}.jpg"><h2>{headline}</h2></a>'
    f'<p class="summary">{STORY[n % 4]}</p></div>' for n, headline in enumerate(TEASERS))}</div></main>""",
             head='<meta property="og:type" content="website">', title="The Daily Planet - News from the city")

SERVICE = _page("""<main><section class="hero"><h1>Web development that grows with your business</h1>
<p>We design, build and look after fast websites and online shops for small and medium businesses, from the first
sketch to the launch and the years after it.</p><a class="button" href="/contact">Get a free quote</a></section>
<section class="features"><div class="feature"><h3>Design</h3><p>Clear layouts that work on every screen and help your
visitors find what they came for in a few clicks.</p></div><div class="feature"><h3>Development</h3><p>Modern code,
tested on every release, with hosting and backups handled by our team so you never have to think about them.</p></div>
<div class="feature"><h3>Support</h3><p>A named contact who answers within one working day, and monthly reports on
speed, security and search traffic.</p></div></section><section class="cta"><h2>Ready to start your project?</h2>
<a class="button" href="/contact">Book a call</a> <a class="button" href="/pricing">See pricing</a></section></main>""",
                head=_jsonld({"@context": "https://schema.org", "@type": "ProfessionalService", "name": "Example Web"}),
                title="Web development services | Example Web")

NOT_ARTICLES = {
    "product_page": (PRODUCT, "https://shop.example/products/harbour-kettle"),
    "forum_page": (FORUM, "https://community.example/t/new-tram-stops-on-the-northern-line/4821"),
    "documentation_page": (DOCS, "https://example.org/docs/guide/logging"),
    "service_page": (SERVICE, "https://webstudio.example/services/web-development"),
}


@pytest.mark.parametrize("reason", sorted(NOT_ARTICLES))
def test_non_article_pages_are_recognised(reason: str, record_validator) -> None:
    html, url = NOT_ARTICLES[reason]
    record = clean(html, url)
    record_validator.validate(record)
    assert record["word_count"] >= 60  # not dropped as too short: the page type decides
    assert not record["is_article"] and record["not_article_reason"] == reason


STORY_LOOKALIKES = {
    # A story that quotes prices is not a shop.
    "price": (_story_html(paragraphs=[*LONG_STORY, "A single ticket will cost $2.50 and a monthly pass $65, the same"
                                                   " as on the buses, and children under twelve travel for free."]),
              "https://planet.example/city/2025/05/14/tram-extension"),
    # A comment thread under a story looks like a forum.
    "comments": (_story_html(extra='<section class="comments"><h2>4 comments</h2>' + "".join(
        f'<div class="comment"><a class="username" href="/u/{user}">{user}</a> <time datetime="2025-05-1{n}">'
        f'May 1{n}</time><p>{text}</p></div>' for n, (user, text) in enumerate(FORUM_POSTS)) + "</section>"),
        "https://planet.example/city/2025/05/14/tram-extension"),
    # A long story with many inline links is still a story.
    "inline_links": (_story_html(paragraphs=[
        text.replace("council", '<a href="/topics/council">council</a>', 1).replace(
            "the ", '<a href="/city/2025/05/01/earlier">the earlier report</a> and the ', 1) for text in LONG_STORY * 2]),
        "https://planet.example/city/2025/05/14/tram-extension"),
    # A story whose URL has a category segment.
    "category_url": (_story_html(), "https://planet.example/category/city/council-approves-tram-extension"),
}


@pytest.mark.parametrize("kind", sorted(STORY_LOOKALIKES))
def test_stories_that_look_like_other_pages_stay_articles(kind: str) -> None:
    html, url = STORY_LOOKALIKES[kind]
    record = clean(html, url)
    assert record["is_article"], record["not_article_reason"]


def test_a_home_page_of_teasers_is_never_an_article() -> None:
    # The block rules take its teaser grid for furniture, so little text is left...
    assert not clean(HOME, "https://planet.example/")["is_article"]
    # ...but the page's own facts, read before cleaning, name it, on the front page and on a section front,
    # even when the cleaning had kept a story-length text with a date.
    facts = read_facts(parse_html(HOME))
    assert page_type_reason(facts, "https://planet.example/news/", STORY, 400, has_date=True, has_author=False) == "listing_page"
    assert page_type_reason(facts, "https://planet.example/", STORY, 400, has_date=True, has_author=False)
    # A front page is never an article, whatever its markup and text.
    story = read_facts(parse_html(STORY_LOOKALIKES["price"][0]))
    assert page_type_reason(story, "https://planet.example/", STORY, 400, has_date=True, has_author=True)


def test_facts_read_the_markup_before_cleaning() -> None:
    facts = read_facts(parse_html(PRODUCT))
    assert {"product", "offer"} <= facts.schema_types and facts.og_type == "product"
    assert facts.cart_controls >= 1 and facts.prices >= 3
    forum = read_facts(parse_html(FORUM))
    assert forum.dated_posts == 4 and forum.times == 4
    assert read_facts(parse_html(HOME)).largest_card_group == 12
    assert read_facts(parse_html(DOCS)).code_blocks == 3


def test_url_cues() -> None:
    assert "home" in url_cues("https://planet.example/") and "home" in url_cues("https://planet.example")
    assert url_cues("https://planet.example/city/2025/05/14/tram") >= {"dated"}
    assert "forum" in url_cues("https://community.example/t/slug/4821")
    assert "documentation" in url_cues("https://docs.example.org/en/latest/intro.html")
    assert "product" in url_cues("https://shop.example/products/kettle")
    assert url_cues(None) == frozenset()


def test_deeply_nested_json_ld_is_read_without_error() -> None:
    deep = "[" * 900 + '{"@type": "Offer"}' + "]" * 900
    html = _page("<main><h1>Title</h1>" + "".join(f"<p>{text}</p>" for text in LONG_STORY) + "</main>",
                 head=f'<script type="application/ld+json">{{"@type": "NewsArticle", "hasPart": {deep}}}</script>')
    facts = read_facts(parse_html(html))
    assert {"newsarticle", "offer"} <= facts.schema_types


# The price pattern as first written: the one that starts with a character class must find the same amounts.
_PLAIN_PRICE = re.compile(r"(?:[$€£¥₹₽]\s?\d[\d.,]*|\b\d[\d.,]*\s?(?:€|EUR|USD|GBP|zł|PLN|руб|₽|грн|kr|CHF)(?!\w))")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["$", "€", "₽", "1", "25", ".", ",", " ", "x", "kr", "EUR", "CHF", "руб", "a1"]),
                max_size=20).map("".join))
def test_the_price_pattern_finds_what_the_plain_one_finds(text: str) -> None:
    assert _PRICE.findall(text) == _PLAIN_PRICE.findall(text)


@pytest.mark.parametrize(("classes", "facts"), [
    ("btn add-to-cart ", (0,)), ("product__Price small", (1,)), ("topic-post reply", (2,)), ("entry-meta ", (3,)),
    ("card teaser ", ()), ("PRİCE tag", (1,)),  # a capital dotted I is an i to the case-blind class patterns
])
def test_class_strings_match_past_the_quick_test(classes: str, facts: tuple[int, ...]) -> None:
    assert _class_facts(classes) == facts
