"""Sitemap and feed parsing: URLs with their dates, Google News dates first, no entity expansion."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.discovery import Entry, age_days, feed_entries, sitemap_entries

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://news.example/a</loc><lastmod>2024-05-02</lastmod>
  <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
  <news:publication_date>2024-05-01T08:00:00+02:00</news:publication_date><news:title>A</news:title></news:news></url>
 <url><loc>https://news.example/b</loc><lastmod>2024-04-30T10:00:00Z</lastmod></url>
 <url><loc>https://news.example/c</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example/sitemap-1.xml</loc><lastmod>2024-05-01</lastmod></sitemap></sitemapindex>"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><title>A</title><link>https://news.example/a</link><pubDate>Wed, 01 May 2024 06:00:00 GMT</pubDate></item>
<item><title>B</title><guid>https://news.example/b</guid></item></channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
<entry><title>A</title><link rel="alternate" href="https://news.example/a"/><link rel="enclosure" href="https://news.example/a.mp3"/>
<updated>2024-05-01T06:00:00Z</updated></entry></feed>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://news.example/&lol4;</loc></url></urlset>"""

XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><link>https://news.example/&x;</link></item></channel></rss>"""


def test_news_sitemap_dates() -> None:
    assert list(sitemap_entries(NEWS_SITEMAP)) == [
        Entry("https://news.example/a", "2024-05-01T08:00:00+02:00"),
        Entry("https://news.example/b", "2024-04-30T10:00:00+00:00"),
        Entry("https://news.example/c", None),
    ]


def test_sitemap_index() -> None:
    assert list(sitemap_entries(INDEX)) == [Entry("https://news.example/sitemap-1.xml", "2024-05-01", is_sitemap=True)]


def test_feeds() -> None:
    assert list(feed_entries(RSS)) == [Entry("https://news.example/a", "2024-05-01T06:00:00+00:00"),
                                       Entry("https://news.example/b", None)]
    assert list(feed_entries(ATOM)) == [Entry("https://news.example/a", "2024-05-01T06:00:00+00:00")]


def test_entities_are_never_expanded() -> None:
    for entry in sitemap_entries(BILLION_LAUGHS):
        assert "lollol" not in entry.url
    for entry in feed_entries(XXE):
        assert "root:" not in entry.url


def test_garbage_gives_nothing() -> None:
    assert list(sitemap_entries(b"\x00\x01 not xml")) == []
    assert list(feed_entries(b"<html><body>not a feed")) == []


def test_age() -> None:
    now = datetime(2024, 5, 3, tzinfo=UTC)
    assert age_days("2024-05-01", now) == 2
    assert age_days("2024-05-02T12:00:00+00:00", now) == 0.5
    assert age_days(None, now) is None and age_days("yesterday", now) is None
