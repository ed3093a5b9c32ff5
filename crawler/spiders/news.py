"""The ``news`` spider: discovers articles of the seed sites through sitemaps, feeds and links."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from courlan import is_navigation_page, is_not_crawlable
from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import sitemap_urls_from_robots
from w3lib.url import url_query_cleaner

from ..discovery import Entry, age_days, feed_entries, sitemap_entries
from ..items import Page
from ..middlewares.conditional import LISTED_DATE
from ..seeds import Site, load_seeds

# Query parameters that only track the click: one article, one URL.
TRACKING_PARAMETERS = (
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "fbclid", "gclid", "dclid",
    "msclkid", "mc_cid", "mc_eid", "igshid", "ocid", "cmpid", "ito", "at_medium", "at_campaign", "_ga", "yclid",
)
_FEED_LINKS = "//link[@rel='alternate'][@type='application/rss+xml' or @type='application/atom+xml']/@href"


class NewsSpider(Spider):
    """Crawl news sites from a seed file (``-a seeds=FILE``) or one start URL (``-a url=URL``)."""

    name = "news"

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

    @staticmethod
    def clean_url(url: str) -> str:
        return url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, keep_fragments=False)

    def site_for(self, url: str) -> Site:
        host = urlsplit(url).hostname or ""
        while host:
            if host in self._site_by_domain:
                return self._site_by_domain[host]
            host = host.partition(".")[2]
        return self.sites[0]

    async def start(self) -> AsyncIterator[Any]:
        for site in self.sites:
            for url in site.sitemaps:
                yield Request(url, self.parse_sitemap)
            if site.discover_sitemaps:
                for url in site.robots_urls():
                    yield Request(url, self.parse_robots)
            for url in site.feeds:
                yield Request(url, self.parse_feed)
            for url in site.start_urls:
                yield Request(url, self.parse_page)

    def parse_robots(self, response: Response) -> Iterable[Request]:
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            yield Request(url, self.parse_sitemap)

    def _listed(self, response: Response, entries: Iterable[Entry], source: str) -> Iterable[Request]:
        """Requests for listed articles, except those older than the site's max_age_days."""
        site = self.site_for(response.url)
        stats = self.crawler.stats
        for entry in entries:
            if entry.is_sitemap:
                yield response.follow(entry.url, self.parse_sitemap)
                continue
            age = age_days(entry.date)
            if site.max_age_days is not None and age is not None and age > site.max_age_days:
                stats.inc_value("cleancrawl/discovery/too_old")
                continue
            stats.inc_value(f"cleancrawl/discovery/{source}")
            url = self.clean_url(response.urljoin(entry.url))
            yield Request(url, self.parse_page, meta={LISTED_DATE: entry.date} if entry.date else {})

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        body = response.body
        if gzip_magic_number(response):
            try:
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except (OSError, ValueError):
                self.crawler.stats.inc_value("cleancrawl/discovery/invalid_sitemap")
                return
        yield from self._listed(response, sitemap_entries(body), "sitemap")

    def parse_feed(self, response: Response) -> Iterable[Request]:
        yield from self._listed(response, feed_entries(response.body), "feed")

    def parse_page(self, response: Response) -> Iterable[Any]:
        site = self.site_for(response.url)
        if is_navigation_page(response.url):
            # Section, tag and page-2 URLs are read for their links, not cleaned as articles.
            self.crawler.stats.inc_value("cleancrawl/discovery/navigation_page")
        else:
            yield Page(
                url=response.url,
                body=response.body,
                content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
                fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
                site=site.name,
            )
        if not isinstance(response, TextResponse):
            return
        depth = response.meta.get("depth", 0)
        limit = self.settings.getint("DEPTH_LIMIT")
        # Links from a page at the depth limit would all be dropped: do not parse them at all.
        if (site.max_depth is not None and depth >= site.max_depth) or (limit and depth >= limit):
            self.crawler.stats.inc_value("cleancrawl/discovery/depth_limit_reached")
            return
        for link in self._links.extract_links(response):
            if not site.allows(link.url) or is_not_crawlable(link.url):
                continue
            url = self.clean_url(link.url)
            # Articles before overview pages: with a depth limit, a crawl reaches stories first.
            yield Request(url, self.parse_page, priority=0 if is_navigation_page(url) else 1)
        for href in response.xpath(_FEED_LINKS).getall():
            yield response.follow(href, self.parse_feed)
