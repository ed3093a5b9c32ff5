"""kill -9 a crawl with JOBDIR several times at random moments, resume it until it finishes: nothing lost, nothing twice.

The moments are drawn from a seeded random generator: most kills come right after
the JSON lines file grew (while other articles are between the store's commit and the
feed write) or after a random number of requests, some at a random time during
start-up. Every kill takes the
crawl's whole process group (the cleaning workers too; see the orphan test below).
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.extensions.jobdir import LOCK_NAME, CrashSafeJobdir, JobdirInUse
from crawler.feedstorage import FeedRecovery, remove_partial_line
from crawler.store import ArticleStore
from tests.faultserver import PROJECT_ROOT, crawl_command, crawl_env, read_jsonl, serve_faults

SEED = int(os.environ.get("CLEANCRAWL_KILL_SEED", "20241123"))  # another seed: other moments
KILLS = 4
ARTICLES = 24


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_group(process: subprocess.Popen[Any]) -> None:
    """SIGKILL the crawl (its own process group: started with start_new_session), workers included."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def _start(command: list[str], log: Path) -> subprocess.Popen[Any]:
    with log.open("ab") as stderr:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=PROJECT_ROOT, env=crawl_env(), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=stderr)


@pytest.mark.e2e
def test_killed_and_resumed_crawl_saves_every_article_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    feed = tmp_path / "articles.jsonl"
    with serve_faults(site="news", articles=ARTICLES, delay=0.1) as server:
        command = crawl_command(tmp_path, url=f"{server.base_url}/", settings={
            "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1",
            "JOBDIR": str(tmp_path / "job"),
            "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
        })
        interrupted = 0
        for run in range(KILLS):
            crawl = _start(command, tmp_path / "stderr.log")
            try:
                if rng.random() < 0.25:
                    deadline = time.monotonic() + rng.uniform(0.3, 1.5)  # during start-up
                    while crawl.poll() is None and time.monotonic() < deadline:
                        time.sleep(0.01)
                else:
                    # Mid-stream: right after an export, or after some requests of this run (a resumed run
                    # re-reads the index pages and exports little until it reaches articles not yet saved).
                    lines, hits = _lines(feed) + rng.randint(1, 4), server.hit_count() + rng.randint(10, 40)
                    deadline = time.monotonic() + 60
                    while (crawl.poll() is None and _lines(feed) < lines and server.hit_count() < hits
                           and time.monotonic() < deadline):
                        time.sleep(0.002)
                    time.sleep(rng.uniform(0, 0.1))
                interrupted += crawl.poll() is None
            finally:
                _kill_group(crawl)
            print(f"kill {run + 1}: {_lines(feed)} lines in the feed")
        assert interrupted >= KILLS - 1, "the crawls ended before they could be killed"
        final = subprocess.run(command, cwd=PROJECT_ROOT, env=crawl_env(), capture_output=True, text=True,
                               timeout=120, check=False)
        expected = {f"{server.base_url}{path}": story for path, story in server.expected_articles().items()}

    assert final.returncode == 0, final.stderr[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text("utf-8"))
    assert stats["finish_reason"] == "finished"

    raw = feed.read_bytes()
    assert raw.endswith(b"\n"), "the feed ends in a partial line"
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines()]  # every line parses
    exported = Counter(record["url"] for record in records)
    db = sqlite3.connect(tmp_path / "articles.sqlite3")
    stored = Counter(row[0] for row in db.execute("SELECT url FROM articles"))
    db.close()
    lost_feed, lost_store = set(expected) - set(exported), set(expected) - set(stored)
    duplicated = {url: count for url, count in exported.items() if count > 1}
    log = (tmp_path / "crawl.log").read_text("utf-8")
    recovered = sum(int(n) for n in re.findall(r"killed: (\d+) article\(s\) saved in the store", log))
    print(f"articles expected {len(expected)}, in the store {len(stored)}, in the feed {len(exported)},"
          f" lost {len(lost_feed | lost_store)}, duplicated {len(duplicated)}, kills {interrupted},"
          f" JOBDIR resets {log.count('was not closed cleanly')}, appended by the feed recovery {recovered}")
    assert lost_store == set()
    assert lost_feed == set()
    assert duplicated == {}
    assert set(exported) == set(expected) == set(stored)
    for record in records:
        assert all(paragraph in record["text"] for paragraph in expected[record["url"]].paragraphs)


@pytest.mark.e2e
def test_cleaning_workers_exit_when_the_crawl_is_killed(tmp_path: Path) -> None:
    with serve_faults(site="news", articles=12, delay=0.2) as server:
        command = crawl_command(tmp_path, url=f"{server.base_url}/",
                                settings={"CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"})
        crawl = _start(command, tmp_path / "stderr.log")
        try:
            deadline = time.monotonic() + 60
            while crawl.poll() is None and _lines(tmp_path / "articles.jsonl") < 1 and time.monotonic() < deadline:
                time.sleep(0.01)  # a worker has cleaned a page: the pool is up
            os.kill(crawl.pid, signal.SIGKILL)  # the crawl process only, as the OOM killer would
            crawl.wait(timeout=30)
            time.sleep(3)
            try:
                os.killpg(crawl.pid, 0)
                survivors = True
            except ProcessLookupError:
                survivors = False
        finally:
            _kill_group(crawl)
    assert not survivors, "processes of the killed crawl are still running"


# --------------------------------------------------------------------------- the pieces, in-process

def _fingerprint_file(urls: list[str]) -> bytes:
    from scrapy.utils.request import RequestFingerprinter

    fingerprinter = RequestFingerprinter()
    return b"".join(len(fp).to_bytes(2, "big") + fp for fp in (fingerprinter.fingerprint(Request(u)) for u in urls))


@pytest.mark.e2e
def test_a_jobdir_left_by_a_killed_crawl_is_crawled_again_not_skipped(tmp_path: Path) -> None:
    """The state kill -9 leaves once requests.seen was flushed: fingerprints of the seeds, an empty queue."""
    with serve_faults(site="news", articles=6) as server:
        job = tmp_path / "job"
        job.mkdir()
        (job / "requests.seen").write_bytes(_fingerprint_file([f"{server.base_url}/", f"{server.base_url}/robots.txt"]))
        (job / LOCK_NAME).write_text("running\n")  # the killed crawl never wrote "closed"
        command = crawl_command(tmp_path, url=f"{server.base_url}/", settings={
            "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "JOBDIR": str(job)})
        final = subprocess.run(command, cwd=PROJECT_ROOT, env=crawl_env(), capture_output=True, text=True,
                               timeout=120, check=False)
        expected = {f"{server.base_url}{path}" for path in server.expected_articles()}
    assert final.returncode == 0, final.stderr[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text("utf-8"))
    assert stats["cleancrawl/jobdir/unclean_restart"] == 1
    assert {record["url"] for record in read_jsonl(tmp_path / "articles.jsonl")} == expected
    assert (job / LOCK_NAME).read_text().strip() == "closed"


def test_crash_safe_jobdir_resets_only_after_an_unclean_stop(tmp_path: Path) -> None:
    job = tmp_path / "job"
    crawler = get_crawler(settings_dict={"JOBDIR": str(job)})
    first = CrashSafeJobdir(crawler, job)
    (job / "requests.seen").write_bytes(b"x")
    (job / "requests.queue").mkdir()
    with pytest.raises(JobdirInUse):
        CrashSafeJobdir(crawler, job)  # a second crawl on the same JOBDIR
    first.spider_closed()
    assert (job / LOCK_NAME).read_text().strip() == "closed"
    second = CrashSafeJobdir(crawler, job)  # after a clean close: the state is kept
    assert (job / "requests.seen").exists() and (job / "requests.queue").exists()
    second.file.close()  # killed: "running" stays in the lock file
    CrashSafeJobdir(crawler, job).file.close()
    assert not (job / "requests.seen").exists() and not (job / "requests.queue").exists()


def test_a_partial_last_line_is_cut(tmp_path: Path) -> None:
    feed = tmp_path / "articles.jsonl"
    feed.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert remove_partial_line(feed) == len(b'{"c": ')
    assert feed.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert remove_partial_line(feed) == 0
    feed.write_bytes(b'{"c": ')
    assert remove_partial_line(feed) == 6 and feed.read_bytes() == b""


def _record(n: int) -> dict[str, Any]:
    text = f"Story number {n} about the harbour, the council and the trams. " * 12
    from cleaners import content_hash

    return {"url": f"http://127.0.0.1/news/{n}", "canonical_url": f"http://127.0.0.1/news/{n}", "site": "t",
            "title": f"Story {n}", "description": None, "authors": [], "date_published": None,
            "date_modified": None, "language": "en", "language_score": 0.99, "text": text, "word_count": 144,
            "tags": [], "image": None, "is_article": True, "not_article_reason": None,
            "content_hash": content_hash(text), "simhash": None, "fetched_at": None, "event": None, "removed": {},
            "guarded": {}, "schema_version": 2}


def test_feed_recovery_appends_what_the_store_saved_but_the_killed_crawl_did_not_export(tmp_path: Path) -> None:
    feed, store_path = tmp_path / "articles.jsonl", tmp_path / "articles.sqlite3"
    settings = {"FEEDS": {str(feed): {"format": "jsonlines", "encoding": "utf8", "overwrite": False}},
                "CLEANCRAWL_STORE_PATH": str(store_path), "FEED_EXPORT_ENCODING": "utf-8"}
    crawler = get_crawler(settings_dict=settings)
    older = ArticleStore(store_path, "old-crawl")
    older.save(_record(0))  # saved and exported by an earlier, clean crawl
    older.close()
    feed.write_text(json.dumps({**_record(0), "event": "new"}) + "\n", encoding="utf-8")

    recovery = FeedRecovery.from_crawler(crawler)
    recovery.spider_opened()  # the crawl that will be killed starts
    marker = FeedRecovery.marker(feed)
    assert marker.exists()
    killed = ArticleStore(store_path, "killed-crawl")
    for n in (1, 2, 3):
        killed.save(_record(n))
    killed.close()
    with feed.open("a", encoding="utf-8") as file:  # only story 1 reached the feed, story 2 half-way
        file.write(json.dumps({**_record(1), "event": "new"}) + "\n" + '{"url": "http://127.0.0.1/news/2", "te')

    resumed = get_crawler(settings_dict=settings)
    FeedRecovery.from_crawler(resumed).spider_opened()
    lines = feed.read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [record["url"] for record in records] == [f"http://127.0.0.1/news/{n}" for n in (0, 1, 2, 3)]
    assert [record["event"] for record in records] == ["new"] * 4
    assert resumed.stats.get_value("cleancrawl/feed/recovered") == 2
    assert resumed.stats.get_value("cleancrawl/feed/partial_line_removed") == 1
    FeedRecovery.from_crawler(resumed).spider_closed()
    assert not marker.exists()
