"""Metadata on markup written for it: authors, dates, canonical URL, site, tags."""

from __future__ import annotations

import json

from cleaners import clean
from tests.markup import page

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
