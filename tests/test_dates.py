"""Publication dates on markup written for them: where a dateline may stand, and which declarations to believe."""

from __future__ import annotations

import json

import pytest

from cleaners import clean
from cleaners.clean import parse_html
from cleaners.dates import is_local_day_of, parse_day, url_day
from cleaners.header import read_header
from tests.markup import STORY

URL = "https://planet.example/city/tram-extension"
LEDE = ("Trams will reach the northern suburbs by 2027 after a decade of delays, the council decided on Tuesday evening"
        " after a long debate about the cost of the extension and its route.")


def story_page(*, above: str = "", below: str = "", inserted: str = "", after: int = 2, head: str = "",
               aside: str = "") -> str:
    """A story page: ``above`` and ``below`` its headline in the story's header, ``inserted`` after paragraph
    ``after`` of the story, ``aside`` a sidebar before the article."""
    paragraphs = [f"<p>{text}</p>" for text in STORY]
    paragraphs.insert(after, inserted)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Council approves tram extension | The Daily Planet</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="The Daily Planet">{head}</head>
<body><header><a href="/" class="logo">The Daily Planet</a></header>
<main>{aside}<article><header>{above}<h1>Council approves tram extension</h1>{below}</header>
<div class="article-body">{''.join(paragraphs)}</div></article></main>
</body></html>"""


def ld(kind: str = "NewsArticle", **fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": kind, **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def published(html: str, url: str = URL) -> str | None:
    return clean(html, url)["date_published"]


# --- where the dateline stands ---------------------------------------------


@pytest.mark.parametrize("above", [
    '<p class="kicker"><a href="/city">City</a> · <span>4 March 2025</span></p>',
    '<div class="meta"><span>Last updated:</span> <span>Mar 4, 2025</span></div>',
])
def test_a_dateline_above_the_headline_dates_the_story(above: str) -> None:
    assert published(story_page(above=above)) == "2025-03-04"


def test_a_dated_teaser_above_the_headline_is_another_story() -> None:
    teaser = '<h2><a href="/story/9">Harbour bridge repairs slip again</a></h2><span>1 May 2024</span>'
    assert published(story_page(above=teaser)) is None


def test_a_sidebar_of_dated_stories_before_the_article_is_no_dateline() -> None:
    items = "".join(f'<li><a href="/story/{n}">Bridge works, part {n}</a> <time datetime="2024-05-0{n}">05/0{n}/2024</time>'
                    "</li>" for n in (1, 2))
    aside = f"<aside><ul>{items}</ul></aside>"
    assert read_header(parse_html(story_page(aside=aside))).dates == []


@pytest.mark.parametrize("below", [
    f'<p>{LEDE}</p><p class="meta">Published 4 March 2025</p>',  # a standfirst without a class, then the dateline
    f'<div class="author"><p>Ana Ruiz covers transport for the paper. {LEDE}</p></div><span>4 March 2025</span>',
])
def test_a_dateline_after_a_standfirst_or_an_author_bio_dates_the_story(below: str) -> None:
    assert published(story_page(below=below)) == "2025-03-04"


def test_a_dated_card_inside_the_story_is_not_its_dateline() -> None:
    card = '<div class="card"><a href="/story/9">Harbour bridge repairs slip again</a> <span>1 May 2024</span></div>'
    assert published(story_page(inserted=card)) is None


def test_the_stamp_of_a_time_wins_over_the_ambiguous_text_around_it() -> None:
    meta = '<div class="meta"><time datetime="2017-03-01T12:00:00Z">03/01/2017</time> by Ana Ruiz</div>'
    assert published(story_page(below=meta)) == "2017-03-01"


# --- which declaration to believe ------------------------------------------


def test_a_web_pages_creation_date_is_no_publication() -> None:
    head = ld("WebPage", datePublished="2015-06-04T10:00:00+00:00", dateModified="2024-08-05T10:00:00+00:00")
    assert published(story_page(head=head)) is None


@pytest.mark.parametrize("head", [
    ld("WebPage", datePublished="2024-03-17T19:47:39+00:00", author={"@type": "Person", "name": "Ana Ruiz"}),
    ld("WebPage", datePublished="2024-03-17T19:47:39+00:00")
    + '<meta property="article:published_time" content="2024-03-17T19:47:39+00:00">',
])
def test_a_web_page_that_declares_a_post_keeps_its_date(head: str) -> None:
    assert published(story_page(head=head)) == "2024-03-17T19:47:39+00:00"


def test_a_web_page_creation_date_shown_by_the_headline_is_the_publication() -> None:
    head = ld("WebPage", datePublished="2015-06-04T10:00:00+00:00")
    assert published(story_page(head=head, below="<p>4 June 2015</p>")) == "2015-06-04"


@pytest.mark.parametrize("modified", ["2023-10-17T14:24:34.612134874-07:00", "2025-11-04T00:00:00.000Z"])
def test_a_declared_revision_with_fractions_of_a_second_is_no_publication(modified: str) -> None:
    head = f'<meta property="og:updated_time" content="{modified}">' + ld("Article", dateModified=modified)
    assert published(story_page(head=head)) is None


def test_an_earlier_dateline_wins_over_a_publication_stamped_with_the_last_save() -> None:
    head = ld(datePublished="2025-12-01T05:10:15+00:00", dateModified="2025-12-01T05:10:15+00:00")
    assert published(story_page(head=head, below="<p>24 April 2000</p>")) == "2000-04-24"


@pytest.mark.parametrize(("declared", "modified", "shown"), [
    ("2025-12-01T05:10:15+00:00", "2025-12-09T08:00:00+00:00", "24 April 2000"),  # a later revision: declared stands
    ("2026-02-23T00:57:30+00:00", "2026-02-23T00:57:32+00:00", "22 February 2026"),  # the same moment, local day
    ("2025-12-01T05:10:15+00:00", "2025-12-01T05:10:15+00:00", "9 December 2025"),  # shown later: an update
])
def test_the_declared_publication_stands(declared: str, modified: str, shown: str) -> None:
    head = ld(datePublished=declared, dateModified=modified)
    assert published(story_page(head=head, below=f"<p>{shown}</p>")) == declared


def test_a_date_written_out_in_json_ld_is_no_declaration() -> None:
    head = ld(datePublished="Jun 12, 2025")
    assert published(story_page(head=head, below="<p>2 November 2022</p>")) == "2022-11-02"


@pytest.mark.parametrize("name", ["og:publish_date", "published_at", "citation_publication_date"])
def test_more_publication_meta_names(name: str) -> None:
    head = f'<meta name="{name}" content="2025-03-04T10:00:00+00:00">'
    assert published(story_page(head=head)) == "2025-03-04T10:00:00+00:00"


def test_the_day_the_url_files_the_story_under_is_the_sites_day_of_the_same_moment() -> None:
    head = '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">'
    assert published(story_page(head=head), "https://blog.example/2025/12/18/tram") == "2025-12-18"


@pytest.mark.parametrize("url", ["https://blog.example/2025/12/17/tram", "https://blog.example/2025/12/19/tram",
                                 "https://blog.example/tram"])
def test_a_url_day_that_is_not_the_same_moment_leaves_the_declaration(url: str) -> None:
    head = '<meta property="article:published_time" content="2025-12-19T22:41:41+00:00">'
    assert published(story_page(head=head), url) == "2025-12-19T22:41:41+00:00"


def test_url_day_and_local_days() -> None:
    assert url_day("https://x.example/2025/12/18/a") == "2025-12-18"
    assert url_day("https://x.example/news/2025/12/a") is None
    assert url_day("https://x.example/2999/01/01/a") is None
    assert is_local_day_of("2025-12-19T02:41:41+00:00", "2025-12-18")
    assert is_local_day_of("2025-12-19T20:00:00+00:00", "2025-12-20")
    assert not is_local_day_of("2025-12-19T22:02:58+00:00", "2025-12-18")
    assert not is_local_day_of("2025-12-19", "2025-12-18")  # a day without a time is that day everywhere
    assert not is_local_day_of("2025-12-19T02:41:41", "2025-12-18")  # no zone: nothing to shift


def test_a_revision_on_the_day_the_page_declares_its_publication_is_no_mere_revision() -> None:
    head = ('<meta property="article:published_time" content="Thu, 09/25/2025 - 11:38">'
            '<meta property="article:modified_time" content="2025-09-25T00:00:00+00:00">')
    assert (published(story_page(head=head)) or "")[:10] == "2025-09-25"


@pytest.mark.parametrize(("text", "day"), [
    ("2/24/2026", "2026-02-24"),  # month first: 24 cannot be a month
    ("Updated 12/31/2025 5:00 pm", "2025-12-31"),
    ("24/02/2026", "2026-02-24"),
    ("03/01/2017", "2017-01-03"),  # either order: day first, as htmldate reads it
    ("2/30/2025", None),
])
def test_numeric_dates(text: str, day: str | None) -> None:
    assert parse_day(text) == day


def test_a_dateline_after_a_standfirst_and_an_authors_bio_dates_the_story() -> None:
    bio = f'<div class="author-bio"><p>Ana Ruiz covers transport for the paper. {LEDE}</p></div>'
    assert published(story_page(below=f"<p>{LEDE}</p>{bio}<span>4 March 2025</span>")) == "2025-03-04"


def test_a_date_after_two_story_paragraphs_is_not_the_dateline() -> None:
    assert published(story_page(below=f"<p>{LEDE}</p><p>{LEDE}</p><span>4 March 2025</span>")) is None


@pytest.mark.parametrize("placeholder", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00"])
def test_a_placeholder_declaration_is_no_date(placeholder: str) -> None:
    head = ld(datePublished=placeholder, dateModified=placeholder)
    assert published(story_page(head=head)) is None
    assert published(story_page(head=head), "https://blog.example/2025/12/18/tram") == "2025-12-18"
    assert published(story_page(head=head, below="<p>4 March 2025</p>")) == "2025-03-04"
    assert not is_local_day_of(placeholder, "2025-12-18")
