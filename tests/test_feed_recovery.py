"""FeedRecovery with every store backend: a crawl killed between the store's commit and the feed write loses no
article, and with several workers (``%(worker)s`` in the feed URI) each repaired feed gets only its own worker's."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler.extensions.state import CrawlState
from crawler.feedstorage import FeedRecovery
from crawler.workers import worker_id
from tests.records import article


def _crawl(feed_uri: str, store_url: str, worker: str = "") -> tuple[Crawler, Spider, FeedRecovery, CrawlState]:
    """A crawl's FeedRecovery and CrawlState, opened as ``scrapy crawl`` opens them."""
    crawler = get_crawler(settings_dict={
        "FEEDS": {feed_uri: {"format": "jsonlines", "encoding": "utf8", "overwrite": False}},
        "FEED_EXPORT_ENCODING": "utf-8", "FEED_URI_PARAMS": "crawler.workers.feed_uri_params",
        "CLEANCRAWL_STORE_URL": store_url, "CLEANCRAWL_WORKER_ID": worker,
        "EXTENSIONS": {"crawler.extensions.state.CrawlState": 0}})
    spider = Spider.from_crawler(crawler, name="news")
    recovery = FeedRecovery.from_crawler(crawler)
    asyncio.run(recovery.spider_opened(spider))
    state = crawler.get_extension(CrawlState)
    assert state is not None
    return crawler, spider, recovery, state


def _save(state: CrawlState, *numbers: int) -> None:
    for n in numbers:
        state.thread.submit(state.store.save, article(n)).result()


def _exported(path: Path, *numbers: int, partial: str = "") -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write("".join(json.dumps({**article(n), "event": "new"}) + "\n" for n in numbers) + partial)


def _urls(path: Path) -> list[Any]:
    return [json.loads(line)["url"] for line in path.read_text("utf-8").splitlines()]


def test_feed_recovery_appends_what_the_store_saved_but_the_killed_crawl_did_not_export(
        tmp_path: Path, store_url: str) -> None:
    feed = tmp_path / "articles.jsonl"
    _, _, earlier, state = _crawl(str(feed), store_url)  # an earlier crawl, closed cleanly
    _save(state, 0)
    _exported(feed, 0)
    earlier.spider_closed()
    state.close()

    _, _, _, killed = _crawl(str(feed), store_url)  # the crawl that will be killed
    assert FeedRecovery.marker(feed).exists()
    _save(killed, 1, 2, 3)
    _exported(feed, 1, partial='{"url": "http://127.0.0.1/news/2", "te')  # story 2 half-way, story 3 not at all
    killed.close()  # its connection dies with it
    _, _, _, other = _crawl(str(tmp_path / "elsewhere.jsonl"), store_url, "other")
    _save(other, 4)  # another worker, sharing the store, exporting to its own feed
    other.close()

    resumed, _, recovery, state = _crawl(str(feed), store_url)
    assert _urls(feed) == [article(n)["url"] for n in (0, 1, 2, 3)]
    assert [json.loads(line)["event"] for line in feed.read_text("utf-8").splitlines()] == ["new"] * 4
    assert resumed.stats.get_value("cleancrawl/feed/recovered") == 2
    assert resumed.stats.get_value("cleancrawl/feed/partial_line_removed") == 1
    recovery.spider_closed()
    state.close()
    assert not FeedRecovery.marker(feed).exists()


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_worker_repairs_the_feeds_of_dead_workers_of_its_host(tmp_path: Path, store_url: str) -> None:
    uri = str(tmp_path / "feeds" / "articles-%(worker)s.jsonl")
    _, _, _, dead = _crawl(uri, store_url, "w1")
    _save(dead, 1, 2)
    _exported(tmp_path / "feeds" / "articles-w1.jsonl", 1)
    dead.close()
    _, _, _, alive = _crawl(uri, store_url, "w2")  # a live worker (this process): its feed is left alone
    _save(alive, 3)
    _exported(tmp_path / "feeds" / "articles-w2.jsonl", 3)
    marker = FeedRecovery.marker(tmp_path / "feeds" / "articles-w1.jsonl")
    left = json.loads(marker.read_text("utf-8"))
    assert left["host"] == socket.gethostname() and left["pid"] == os.getpid()
    marker.write_text(json.dumps({**left, "pid": _dead_pid()}), encoding="utf-8")  # as if w1's process had died

    crawler, _, recovery, state = _crawl(uri, store_url, "w3")  # w1 restarted under a new id
    assert _urls(tmp_path / "feeds" / "articles-w1.jsonl") == [article(1)["url"], article(2)["url"]]
    assert not marker.exists()
    assert _urls(tmp_path / "feeds" / "articles-w2.jsonl") == [article(3)["url"]]
    assert FeedRecovery.marker(tmp_path / "feeds" / "articles-w2.jsonl").exists()
    assert crawler.stats.get_value("cleancrawl/feed/recovered") == 1
    assert FeedRecovery.marker(tmp_path / "feeds" / "articles-w3.jsonl").exists()
    recovery.spider_closed()
    state.close()
    alive.close()


def test_worker_ids() -> None:
    assert worker_id({"CLEANCRAWL_WORKER_ID": "crawler-7.eu_west"}) == "crawler-7.eu_west"
    assert worker_id({}) == f"{socket.gethostname()}-{os.getpid()}"
    with pytest.raises(ValueError, match=r"CLEANCRAWL_WORKER_ID='\.\./a': use letters, digits"):
        worker_id({"CLEANCRAWL_WORKER_ID": "../a"})
