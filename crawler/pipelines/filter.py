"""ArticleFilterPipeline: drops pages that are not articles, or not in a wanted language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from typing_extensions import Self


class ArticleFilterPipeline:
    """Keeps articles; ``CLEANCRAWL_LANGUAGES`` (and a seed's ``languages``) limit their languages."""

    def __init__(self, crawler: Crawler, languages: list[str]) -> None:
        self.crawler = crawler
        self.languages = {code.lower() for code in languages}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getlist("CLEANCRAWL_LANGUAGES"))

    def _allowed_languages(self, url: str) -> set[str]:
        site_for = getattr(self.crawler.spider, "site_for", None)
        site_languages = set(site_for(url).languages) if site_for else set()
        return site_languages or self.languages

    async def process_item(self, item: Any) -> Any:
        if not item["is_article"]:
            self._drop(f"not_article/{item['not_article_reason']}", item["url"])
        allowed = self._allowed_languages(item["url"])
        if allowed and item["language"] not in allowed:
            self._drop("language", f"{item['language']} not in {sorted(allowed)}: {item['url']}")
        return item

    def _drop(self, reason: str, detail: str) -> None:
        self.crawler.stats.inc_value(f"cleancrawl/dropped/{reason}")
        raise DropItem(f"{reason}: {detail}")
