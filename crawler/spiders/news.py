"""The ``news`` spider: discovers articles of the seed sites through sitemaps, feeds and links."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider

from ..items import Page
from ..seeds import Site, load_seeds

_FEED_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
_ATOM = "{http://www.w3.org/2005/Atom}"
_FEED_LINKS = "//link[@rel='alternate'][@type='application/rss+xml' or @type='application/atom+xml']/@href"


class NewsSpider(SitemapSpider):
    """Crawl news sites from a seed file (``-a seeds=FILE``) or one start URL (``-a url=URL``)."""

    name = "news"
    sitemap_rules = [("", "parse_page")]  # noqa: RUF012 (SitemapSpider's own attribute)

    def __init__(self, seeds: str | None = None, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if seeds:
            self.sites = load_seeds(seeds)
        elif url:
            host = urlsplit(url).hostname or ""
            self.sites = [Site(name=host, start_urls=(url,), allowed_domains=(host,))]
        else:
            raise ValueError("the news spider needs -a seeds=FILE or -a url=URL")
        self.allowed_domains = sorted({domain for site in self.sites for domain in site.allowed_domains})
        self._site_by_domain = {domain: site for site in self.sites for domain in site.allowed_domains}
        # LinkExtractor's allow_domains compares host:port; Site.allows compares hosts, like OffsiteMiddleware.
        self._links = LinkExtractor()

    def site_for(self, url: str) -> Site:
        host = urlsplit(url).hostname or ""
        while host:
            if host in self._site_by_domain:
                return self._site_by_domain[host]
            host = host.partition(".")[2]
        return self.sites[0]

    async def start(self) -> AsyncIterator[Any]:
        for site in self.sites:
            for url in site.sitemaps + (tuple(site.robots_urls()) if site.discover_sitemaps else ()):
                yield Request(url, self._parse_sitemap)
            for url in site.feeds:
                yield Request(url, self.parse_feed)
            for url in site.start_urls:
                yield Request(url, self.parse_page)

    def parse_page(self, response: Response) -> Iterable[Any]:
        site = self.site_for(response.url)
        yield Page(
            url=response.url,
            body=response.body,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
            site=site.name,
        )
        if not isinstance(response, TextResponse):
            return
        if site.max_depth is not None and response.meta.get("depth", 0) >= site.max_depth:
            return
        for link in self._links.extract_links(response):
            if site.allows(link.url):
                yield Request(link.url, self.parse_page)
        for href in response.xpath(_FEED_LINKS).getall():
            yield response.follow(href, self.parse_feed)

    def parse_feed(self, response: Response) -> Iterable[Request]:
        """RSS 2.0 and Atom entries; entity expansion and network access are off."""
        try:
            root = etree.fromstring(response.body, parser=_FEED_PARSER)
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            self.crawler.stats.inc_value("cleancrawl/feed/invalid")
            return
        links = [item.findtext("link") for item in root.iter("item")]
        links += [link.get("href") for entry in root.iter(f"{_ATOM}entry") for link in entry.iter(f"{_ATOM}link")
                  if link.get("rel", "alternate") == "alternate"]
        for link in filter(None, links):
            self.crawler.stats.inc_value("cleancrawl/feed/entries")
            yield response.follow(link.strip(), self.parse_page)
