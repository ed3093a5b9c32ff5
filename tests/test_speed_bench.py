"""The speed benchmark's machinery on a tiny site (it never asserts timings).

``make bench-speed`` serves thousands of pages; here 20 pages go through the same
code: both loops, the fetch-ceiling crawl and the full crawl, with a well-formed
summary line and every served article saved exactly once, by the crawl and by the
archive phase's offline cleaner.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import cleaners
from benchmarks import speed
from benchmarks.speed_site import HTML_TYPE, BenchDataMissing, SpeedSite, load_pages
from crawler.store import open_store

PAGES = 20
SUMMARY = re.compile(
    r"^speed pages_per_s=\d+\.\d ratio_vs_trafilatura_loop=\d+\.\d\d peak_rss_mb=\d+ rss_growth_10x=skipped"
    r" archive_pages_per_s=\d+\.\d ratio_clean_vs_trafilatura=\d+\.\d\d parallel_efficiency=\d+\.\d\d"
    r" ratio_clean_vs_trafilatura_wcxb=(\d+\.\d\d|n/a)$")


@pytest.fixture(scope="module")
def bench_pages() -> list:
    try:
        return load_pages()
    except BenchDataMissing as error:
        pytest.skip(str(error))


def test_copies_are_distinct_stories(bench_pages: list) -> None:
    site = SpeedSite(bench_pages, 2 * len(bench_pages) + 1)
    first, again, third = site.article(0), site.article(len(bench_pages)), site.article(2 * len(bench_pages))
    canonical = f'\n<link rel="canonical" href="{site.article_path(0)}">\n'.encode()
    assert first.replace(canonical, b"", 1) == bench_pages[0].html  # the first round: the page itself, canonical added
    assert len({first, again, third}) == 3
    assert site.resolve(site.article_path(0)) == (first, HTML_TYPE)
    assert site.resolve("/news/999999-0.html") is None
    assert site.index_page(site.indexes) is not None and site.index_page(site.indexes + 1) is None


@pytest.mark.e2e
def test_benchmark_on_a_tiny_site(bench_pages: list, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = speed.run(PAGES, skip_10x=True, output=tmp_path, wcxb_pages=2)
    printed = capsys.readouterr().out.splitlines()
    assert report.ok, "\n".join(report.lines)
    assert SUMMARY.match(printed[-1]), printed[-1]
    assert printed[-1] == report.lines[-1]
    assert report.fetch is not None and report.fetch.stats["response_received_count"] >= PAGES
    assert report.loop is not None and report.clean_loop is not None and report.clean_loop.pages == PAGES
    assert any(line.startswith("(c)/(d) = ") for line in printed)

    # Every served article is saved once, under its own URL, in the feed and in the store;
    # the pages the cleaner does not take for articles are the only ones missing.
    site = SpeedSite(bench_pages, PAGES)
    expected = set()
    for k in range(PAGES):
        path = site.article_path(k)
        if cleaners.clean(site.article(k), f"http://127.0.0.1:8000{path}", content_type=HTML_TYPE)["is_article"]:
            expected.add(path)
    assert report.full is not None
    saved = [urlsplit(url).path for url in report.full.saved_urls]
    assert len(saved) == len(set(saved))
    assert set(saved) == expected
    assert report.full.stats["cleancrawl/cleaned"] == PAGES
    # The archive phase cleans the same pages offline into the same articles.
    assert report.archive is not None and report.archive.returncode == 0
    offline = [json.loads(line)["url"] for line in (tmp_path / "archive" / "records.jsonl").read_text("utf-8").splitlines()]
    assert [urlsplit(url).path for url in offline] == [path for path in site.article_paths() if path in expected]
    store = open_store(str(tmp_path / "full" / "articles.sqlite3"))
    stored = [urlsplit(record["url"]).path for record in store.records()]
    store.close()
    assert sorted(stored) == sorted(saved)
