"""Every local form of a FEEDS path (relative, absolute, file://) is written through: each JSON line is in the
file before the next item is processed, as the README promises (Scrapy's own FileFeedStorage buffers them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.feedstorage import DurableFileFeedStorage
from tests.faultserver import PROJECT_ROOT, crawl_env
from tests.feed_line_spider import ITEMS


@pytest.mark.e2e
@pytest.mark.parametrize("form", ["relative", "absolute", "file_uri"])
def test_each_line_is_in_the_file_before_the_next_item(tmp_path: Path, form: str) -> None:
    feed = tmp_path / "out" / "items.jsonl"
    uri = {"relative": "out/items.jsonl", "absolute": str(feed), "file_uri": feed.as_uri()}[form]
    feeds = {uri: {"format": "jsonlines", "encoding": "utf8", "overwrite": False}}
    env = {**crawl_env(), "SCRAPY_SETTINGS_MODULE": "crawler.settings",
           "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "scrapy", "runspider", str(PROJECT_ROOT / "tests" / "feed_line_spider.py"),
               "-a", f"feed={feed}", "-s", f"FEEDS={json.dumps(feeds)}", "-s", "ITEM_PIPELINES={}",
               "-s", "FEED_EXPORT_FIELDS=url", "-s", "CLEANCRAWL_STORE_PATH=", "-s", "TELNETCONSOLE_ENABLED=False",
               "-s", f"CLEANCRAWL_STATS_PATH={tmp_path / 'stats.json'}"]
    completed = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text("utf-8"))
    assert [stats[f"lines_before/{n}"] for n in range(ITEMS)] == list(range(ITEMS))
    assert feed.read_text("utf-8").count("\n") == ITEMS


@pytest.mark.parametrize("scheme", ["", "file"])
def test_the_project_stores_plain_paths_and_file_uris_durably(scheme: str) -> None:
    from crawler import settings

    assert settings.FEED_STORAGES[scheme] == f"{DurableFileFeedStorage.__module__}.{DurableFileFeedStorage.__name__}"
