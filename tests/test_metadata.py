"""Metadata on markup written for it: authors, dates, canonical URL, site, tags."""

from __future__ import annotations

import json

import pytest

from cleaners import clean
from tests.markup import STORY, page

URL = "https://planet.example/city/2024/05/14/tram-extension?utm_source=rss"

RELATED = """<section><h2>More stories</h2><ul>""" + "".join(
    f"""<li><a href="/story/{n}">Harbour bridge repairs slip again for the {n}th time</a>
    <p class="byline">By Tess Foley Published <time datetime="2021-0{n}-01T10:00:00Z">1 March 2021</time></p></li>"""
    for n in range(1, 5)) + "</ul></section>"


def jsonld(**fields: object) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_authors_come_from_the_article_not_from_related_bylines_or_the_site() -> None:
    head = jsonld(author=[{"@type": "Person", "name": "Maria Lindqvist"}, {"@type": "Organization", "name": "The Daily Planet"}],
                  publisher={"@type": "Organization", "name": "The Daily Planet"})
    record = clean(page(RELATED, head=head), URL)
    assert record["authors"] == ["Maria Lindqvist"]


def test_meta_author_with_contact_links_and_site_name() -> None:
    head = '<meta name="author" content="By Jan Berg and Anna Roe | The Daily Planet">'
    byline = '<p class="byline">By <a href="/author/jan">Jan Berg</a> <a href="mailto:jan@planet.example">Email the author</a></p>'
    record = clean(page(byline + RELATED, head=head), URL)
    assert record["authors"] == ["Jan Berg", "Anna Roe"]


def test_no_author_rather_than_a_wrong_one() -> None:
    record = clean(page(RELATED), URL)
    assert record["authors"] == []


def test_published_and_modified_stay_apart() -> None:
    head = ('<meta property="article:published_time" content="2024-05-14T09:30:00+02:00">'
            '<meta property="article:modified_time" content="2024-05-15T08:00:00+02:00">')
    record = clean(page(RELATED, head=head), URL)
    assert record["date_published"] == "2024-05-14T09:30:00+02:00"
    assert record["date_modified"] == "2024-05-15T08:00:00+02:00"


def test_date_never_comes_from_a_related_story_a_script_or_the_fetch_time() -> None:
    script = '<script>var config = {"date": "2023-01-02", "buildTime": "2022-12-31T10:00:00Z"};</script>'
    record = clean(page(RELATED + script), "https://planet.example/city/tram-extension",
                   fetched_at="2026-11-23T10:00:00+00:00")
    assert record["date_published"] is None
    assert record["date_modified"] is None


def test_jsonld_date_in_a_graph() -> None:
    head = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "WebSite", "name": "The Daily Planet"},'
            '{"@type": "NewsArticle", "datePublished": "2024-05-14T07:30:00Z", "dateModified": "2024-05-14T09:00:00Z"}]}</script>')
    record = clean(page(head=head), URL)
    assert record["date_published"] == "2024-05-14T07:30:00+00:00"
    assert record["date_modified"] == "2024-05-14T09:00:00+00:00"


def test_canonical_site_title_and_tags() -> None:
    head = ('<link rel="canonical" href="/city/2024/05/14/tram-extension">'
            '<meta property="og:title" content="Council approves tram extension | The Daily Planet">'
            '<meta name="keywords" content="transport, city council; trams">')
    record = clean(page(head=head), URL)
    assert record["canonical_url"] == "https://planet.example/city/2024/05/14/tram-extension"
    assert record["site"] == "The Daily Planet"
    assert record["title"] == "Council approves tram extension"
    assert record["tags"] == ["transport", "city council", "trams"]


def test_without_canonical_the_url_is_kept() -> None:
    record = clean(page(), URL)
    assert record["canonical_url"] == URL


def test_the_url_date_is_a_last_resort() -> None:
    record = clean(page(RELATED), URL)
    assert record["date_published"] == "2024-05-14"


def test_roles_and_dates_after_a_name_are_cut() -> None:
    head = '<meta name="author" content="Tom Gillespie, News reporter; Malcolm Owen Monday">'
    assert clean(page(head=head), URL)["authors"] == ["Tom Gillespie", "Malcolm Owen"]


def test_one_word_names_only_when_declared() -> None:
    declared = jsonld(author={"@type": "Organization", "name": "Reuters"})
    assert clean(page(head=declared), URL)["authors"] == ["Reuters"]
    cms_account = jsonld(author={"@type": "Person", "name": "admin"})
    assert clean(page(head=cms_account), URL)["authors"] == []


def headed(header: str = "", *, head: str = "", h1: str = "Council approves tram extension", after: str = "") -> str:
    """A story page with ``header`` between its headline and its first paragraph, ``after`` below the story."""
    body = "".join(f"<p>{text}</p>" for text in STORY)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Council approves tram extension | The Daily Planet</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="The Daily Planet">{head}</head>
<body><header><a href="/" class="logo">The Daily Planet</a></header>
<main><article><header><h1>{h1}</h1>{header}</header><div class="article-body">{body}</div></article>{after}</main>
</body></html>"""


NO_DATE_URL = "https://planet.example/city/tram-extension"


@pytest.mark.parametrize(("byline", "authors"), [
    ('<p class="byline">Ana Ruiz Writer</p>', ["Ana Ruiz"]),
    ('<p class="byline">Tom Vale Tech Reporter</p>', ["Tom Vale"]),
    ('<p class="byline">By Tom May</p>', ["Tom May"]),  # a surname that is a month
    ('<div class="author">Author <a href="/author/ana-ruiz">Ana Ruiz</a></div>', ["Ana Ruiz"]),
    ('<p>View all posts by Ana Ruiz</p>', ["Ana Ruiz"]),
    ('<p class="post-author">Written by Ana Ruiz, Senior Staff Writer</p>', ["Ana Ruiz"]),
    ('<p class="byline">By Ana Ruiz and Tom Vale | 4 March 2025</p>', ["Ana Ruiz", "Tom Vale"]),
    ('<p class="byline">By Genevieve Carlton, Ph.D. · Reviewed by Molly Price</p>', ["Genevieve Carlton"]),
    ('<p class="byline">Von Anna Schmidt, Redakteurin</p>', ["Anna Schmidt"]),
    ('<p class="byline">Par Jean Dupont, journaliste</p>', ["Jean Dupont"]),
    ('<p class="byline">Por Lucía Gómez, periodista</p>', ["Lucía Gómez"]),
    ('<p class="byline">Di Marco Rossi, redattore</p>', ["Marco Rossi"]),
    ('<p class="byline">Автор: Иван Петров, корреспондент</p>', ["Иван Петров"]),
])
def test_a_visible_byline_keeps_the_name_without_its_label_or_role(byline: str, authors: list[str]) -> None:
    assert clean(headed(byline), NO_DATE_URL)["authors"] == authors


def test_an_author_card_the_caption_rule_would_remove_still_names_the_author() -> None:
    card = '<div class="author-card"><img src="/img/ana.jpg" alt=""><a href="/author/ana-ruiz">Ana Ruiz</a></div>'
    assert clean(headed(card), NO_DATE_URL)["authors"] == ["Ana Ruiz"]


@pytest.mark.parametrize("byline", ["By Reuters", "By The Daily Planet Editorial Team"])
def test_an_organisation_the_byline_names_is_kept(byline: str) -> None:
    expected = [byline.removeprefix("By ")]
    assert clean(headed(f'<p class="byline">{byline}</p>'), NO_DATE_URL)["authors"] == expected


def test_a_person_wins_over_the_site_named_as_author_in_json_ld() -> None:
    head = jsonld(author={"@type": "Organization", "name": "The Daily Planet"})
    record = clean(headed('<p class="byline">By Ana Ruiz</p>', head=head), NO_DATE_URL)
    assert record["authors"] == ["Ana Ruiz"]


@pytest.mark.parametrize("header", [
    "<p>By Friday, the council will have voted on the budget.</p>",  # a sentence, not a byline
    '<p class="byline">Written by</p>',  # a label alone
    '<p class="author">admin</p>',  # a CMS account
    '<ul class="social"><li><a href="https://video.example/user/DailyPlanet">Youtube</a></li></ul>',  # a network's page
])
def test_no_author_from_a_sentence_a_bare_label_or_an_account(header: str) -> None:
    assert clean(headed(header), NO_DATE_URL)["authors"] == []


def test_no_author_from_the_site_name_a_comment_or_a_related_story() -> None:
    comments = ('<section id="comments"><h2>Comments</h2><div class="comment">'
                '<p class="comment-author">By Joe Bloggs</p>'
                '<p>Great news for the suburbs.</p></div></section>')
    record = clean(headed(after=comments + RELATED), NO_DATE_URL)
    assert record["authors"] == []
    assert record["date_published"] is None


@pytest.mark.parametrize(("dateline", "day"), [
    ("<p>Published 4 March 2025</p>", "2025-03-04"),
    ('<p class="meta">March 4, 2025 at 10:00</p>', "2025-03-04"),
    ('<span><time datetime="2025-03-04T10:00:00Z">Tuesday</time></span>', "2025-03-04"),
    ("<p>Veröffentlicht am 4. März 2025</p>", "2025-03-04"),
    ("<p>Publié le 4 mars 2025</p>", "2025-03-04"),
    ("<p>Publicado el 4 de marzo de 2025</p>", "2025-03-04"),
    ("<p>Pubblicato il 4 marzo 2025</p>", "2025-03-04"),
    ("<p>Publicado em 4 de março de 2025</p>", "2025-03-04"),
    ("<p>Gepubliceerd op 4 maart 2025</p>", "2025-03-04"),
    ("<p>Opublikowano 4 marca 2025</p>", "2025-03-04"),
    ("<p>Опубликовано 4 марта 2025</p>", "2025-03-04"),
    ("<p>Опубліковано 4 березня 2025 р.</p>", "2025-03-04"),
    ('<p class="byline">By Ana Ruiz - Mar 4, 2025</p>', "2025-03-04"),
])
def test_a_date_shown_only_in_the_header_is_the_publication_day(dateline: str, day: str) -> None:
    assert clean(headed(dateline), NO_DATE_URL)["date_published"] == day


def test_a_published_date_wins_over_an_updated_one_in_the_header() -> None:
    dateline = "<p>Updated <time>5 March 2025</time></p><p>Published <time>4 March 2025</time></p>"
    assert clean(headed(dateline), NO_DATE_URL)["date_published"] == "2025-03-04"


def test_an_archive_of_dated_posts_under_a_heading_gives_no_date() -> None:
    posts = "".join(f"<li><a href='/p/{n}'>Post number {n}</a> <span>{n} March 2025</span></li>" for n in range(1, 6))
    assert clean(headed(f"<ul>{posts}</ul>", h1="Archive of the tram blog"), NO_DATE_URL)["date_published"] is None


def test_a_declared_revision_is_not_taken_for_the_publication() -> None:
    head = '<meta property="article:modified_time" content="2025-03-05T08:00:00+00:00">'
    record = clean(headed(head=head), NO_DATE_URL)
    assert record["date_published"] is None
    assert record["date_modified"] == "2025-03-05T08:00:00+00:00"


def test_a_story_sentence_with_a_date_is_not_a_dateline() -> None:
    dated_story = headed().replace("on Tuesday", "on 4 March 2025")
    assert clean(dated_story, NO_DATE_URL)["date_published"] is None


def test_the_visible_headline_is_the_title() -> None:
    head = '<meta property="og:title" content="Tram extension approved: trams to reach the northern suburbs by 2027">'
    assert clean(headed(head=head), NO_DATE_URL)["title"] == "Council approves tram extension"


@pytest.mark.parametrize("h1", ["The Daily Planet", "Contact us today", "News"])
def test_a_logo_a_sidebar_heading_or_a_section_word_is_not_the_title(h1: str) -> None:
    head = '<meta property="og:title" content="Council approves tram extension">'
    assert clean(headed(head=head, h1=h1), NO_DATE_URL)["title"] == "Council approves tram extension"


def test_a_label_standing_alone_before_the_name() -> None:
    byline = '<div class="meta"><p>Written by</p><p>Ana Ruiz</p></div>'
    assert clean(headed(byline), NO_DATE_URL)["authors"] == ["Ana Ruiz"]


@pytest.mark.parametrize("dateline", ["<p>Published 4 March 2999</p>", "<p>Published 31 February 2025</p>",
                                      '<time datetime="soon">Tuesday</time>'])
def test_no_date_from_a_future_an_impossible_or_an_unreadable_dateline(dateline: str) -> None:
    assert clean(headed(dateline), NO_DATE_URL)["date_published"] is None
