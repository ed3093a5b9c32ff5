"""ArticleFilterPipeline: non-articles and unwanted languages are dropped with a counted reason."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.pipelines.filter import ArticleFilterPipeline


def article(**fields: Any) -> Article:
    record = {"url": "https://planet.example/a", "is_article": True, "not_article_reason": None, "language": "en"}
    return Article({**record, **fields})


def run(settings: dict[str, Any], item: Article) -> tuple[Any, dict[str, Any]]:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipeline = ArticleFilterPipeline.from_crawler(crawler)
    try:
        result: Any = asyncio.run(pipeline.process_item(item))
    except DropItem as drop:
        result = drop
    return result, crawler.stats.get_stats()


def test_articles_pass() -> None:
    item = article()
    assert run({}, item)[0] is item


def test_non_articles_are_dropped_with_their_reason() -> None:
    result, stats = run({}, article(is_article=False, not_article_reason="listing_page"))
    assert isinstance(result, DropItem) and str(result).startswith("not_article/listing_page")
    assert stats["cleancrawl/dropped/not_article/listing_page"] == 1


@pytest.mark.parametrize(("language", "kept"), [("de", True), ("en", False), (None, False)])
def test_language_filter(language: str | None, kept: bool) -> None:
    item = article(language=language)
    result, stats = run({"CLEANCRAWL_LANGUAGES": "de,fr"}, item)
    assert (result is item) == kept
    if not kept:
        assert stats["cleancrawl/dropped/language"] == 1
