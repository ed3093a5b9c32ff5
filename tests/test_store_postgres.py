"""The PostgreSQL store shared by several workers: concurrent saves keep each story once, the same story crawled
on two sites by two workers is saved once, and a crawl saves the same articles as with SQLite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from crawler.store import open_store
from tests.conftest import PROJECT_ROOT
from tests.faultserver import crawl_command, crawl_env, serve_faults
from tests.test_crawl_e2e import EXPECTED, free_port, summary_value
from tests.test_recrawl import ChangingSite, changing_site, story  # noqa: F401  (changing_site: a fixture)

STORIES = 150
WORKERS = 4

# One worker: waits for the go file, then saves every story in its own order. Workers 0 and 2 save each story at
# one URL, 1 and 3 a syndicated copy at another ("(Wire) " added: a near-duplicate).
_SAVER = textwrap.dedent("""
    import json, random, sys, time
    from pathlib import Path
    from crawler.store import open_store
    from tests.records import article, wire_copy
    url, worker, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    store = open_store(url, f"worker-{worker}")
    order = list(range(int(sys.argv[4])))
    random.Random(worker).shuffle(order)
    while not go.exists():
        time.sleep(0.01)
    statuses = {}
    for n in order:
        if worker % 2:
            record = article(n, text=wire_copy(n), base="http://wire.example/news")
        else:
            record = article(n)
        status, _ = store.save(record)
        statuses[status.value] = statuses.get(status.value, 0) + 1
    store.close()
    print(json.dumps(statuses))
""")


def test_concurrent_workers_save_each_story_once(postgres_url: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-c", _SAVER, postgres_url, str(worker), str(go), str(STORIES)],
                                cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True) for worker in range(WORKERS)]
    go.touch()
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * WORKERS
    statuses = sum((Counter(json.loads(output)) for output in outputs), Counter())
    store = open_store(postgres_url)
    records = store.records()
    duplicates = store.duplicates()
    store.close()
    titles = Counter(record["title"] for record in records)
    print(f"{WORKERS} workers saving {STORIES} stories: {len(records)} stored, "
          f"{sum(count - 1 for count in titles.values())} stored twice, statuses {dict(statuses)}")
    assert len(records) == STORIES and set(titles.values()) == {1}
    # Per story: saved by the first worker, unchanged for the one with the same URL, a near-duplicate for the others.
    assert statuses == {"new": STORIES, "unchanged": STORIES, "near_duplicate": 2 * STORIES}
    assert Counter(kind for _, _, kind in duplicates) == {"near_duplicate": STORIES}


def _worker_crawl(seed: dict[str, object], output: Path, store: str, worker: str) -> subprocess.Popen[str]:
    output.mkdir(parents=True, exist_ok=True)
    seeds = output / "seeds.jsonl"
    seeds.write_text(json.dumps(seed) + "\n", encoding="utf-8")
    feeds = {str(output.parent / "articles-%(worker)s.jsonl"): {"format": "jsonlines", "overwrite": False}}
    settings = {"FEEDS": json.dumps(feeds), "CLEANCRAWL_STORE_URL": store, "CLEANCRAWL_WORKER_ID": worker,
                "CLEANCRAWL_STATS_PATH": str(output / "stats.json"), "CLEANCRAWL_WORKERS": "0",
                "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1,localhost", "AUTOTHROTTLE_ENABLED": "False",
                "LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=crawl_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.e2e
def test_the_same_story_on_two_sites_crawled_by_two_workers_is_saved_once(
        changing_site: tuple[ChangingSite, str], postgres_url: str, tmp_path: Path) -> None:
    site, base = changing_site
    copy = story("harbour")
    copy[0] = "(Wire) " + copy[0]
    site.publish({"harbour": story("harbour"), "library": story("library")}, {"harbour-copy": copy}, base,
                 {"harbour": "2024-05-01", "library": "2024-05-01"})
    wire = f"http://localhost:{base.rsplit(':', 1)[1]}/wire/harbour-copy"
    crawls = [
        _worker_crawl({"name": "local", "start_urls": [f"{base}/"], "allowed_domains": ["127.0.0.1"]},
                      tmp_path / "a", postgres_url, "a"),
        _worker_crawl({"name": "wire", "start_urls": [wire], "allowed_domains": ["localhost"]},
                      tmp_path / "b", postgres_url, "b"),
    ]
    for crawl in crawls:
        _, stderr = crawl.communicate(timeout=300)
        assert crawl.returncode == 0, stderr[-3000:]
    store = open_store(postgres_url)
    stored = sorted(record["url"] for record in store.records())
    duplicates = store.duplicates()
    store.close()
    assert len(stored) == 2 and f"{base}/news/library" in stored
    [(url, original, kind)] = duplicates
    assert kind == "near_duplicate" and {url, original} == {f"{base}/news/harbour", wire} and original in stored
    exported = [json.loads(line)["url"] for worker in "ab"
                for line in (tmp_path / f"articles-{worker}.jsonl").read_text("utf-8").splitlines()]
    assert sorted(exported) == stored  # each worker's own feed file; together, each article once


def _demo(output: Path, port: int, store: str) -> str:
    feeds = {str(output / "articles-%(worker)s.jsonl"): {"format": "jsonlines", "encoding": "utf8", "overwrite": False}}
    done = subprocess.run(
        [sys.executable, "-m", "fixtures.demo", "--output", str(output), "--port", str(port), "--",
         "-s", f"CLEANCRAWL_STORE_URL={store}", "-s", f"FEEDS={json.dumps(feeds)}", "-s", "CLEANCRAWL_WORKER_ID=demo"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


@pytest.mark.e2e
def test_a_demo_crawl_into_postgresql_saves_the_same_articles_as_into_sqlite(postgres_url: str, tmp_path: Path) -> None:
    port = free_port()
    first, second = _demo(tmp_path, port, postgres_url), _demo(tmp_path, port, postgres_url)
    store = open_store(postgres_url)
    stored = store.records()
    store.close()
    # The golden records are what the SQLite crawl is checked against too (tests/test_crawl_e2e.py).
    assert sorted("/" + record["canonical_url"].split("/", 3)[3] for record in stored) == sorted(EXPECTED)
    for record in stored:
        assert record["text"] == EXPECTED["/" + record["canonical_url"].split("/", 3)[3]]["text"]
    exported = [json.loads(line) for line in (tmp_path / "articles-demo.jsonl").read_text("utf-8").splitlines()]
    assert sorted(record["canonical_url"] for record in exported) == sorted(record["canonical_url"] for record in stored)
    assert not (tmp_path / "articles.sqlite3").exists()
    assert summary_value(first, "articles saved").startswith(f"{len(EXPECTED)} (new {len(EXPECTED)}")
    # The second run asks PostgreSQL for the validators: nothing saved, no article downloaded again.
    assert summary_value(second, "articles saved").startswith("0 (new 0, updated 0)")
    assert summary_value(second, "already saved") == f"unchanged 0, not re-downloaded {len(EXPECTED)}"


@pytest.mark.e2e
def test_a_killed_worker_loses_nothing_when_another_takes_over(postgres_url: str, tmp_path: Path) -> None:
    """kill -9 of a worker with the default id (<host>-<pid>) mid-crawl; the next worker started on the host repairs
    the dead one's feed, then finishes the crawl: every article in PostgreSQL once and in the feeds once."""
    feeds = tmp_path / "feeds"
    with serve_faults(site="news", articles=24, delay=0.1) as server:
        command = crawl_command(tmp_path, url=f"{server.base_url}/", settings={
            "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "CLEANCRAWL_STORE_URL": postgres_url,
            "FEEDS": json.dumps({str(feeds / "articles-%(worker)s.jsonl"): {"format": "jsonlines"}})})
        killed = subprocess.Popen(command, cwd=PROJECT_ROOT, env=crawl_env(), start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while killed.poll() is None and time.monotonic() < deadline and \
                sum(path.read_bytes().count(b"\n") for path in feeds.glob("*.jsonl")) < 3:
            time.sleep(0.002)
        assert killed.poll() is None, "the crawl ended before it could be killed"
        os.killpg(killed.pid, signal.SIGKILL)  # the cleaning workers too
        killed.wait(timeout=30)
        final = subprocess.run(command, cwd=PROJECT_ROOT, env=crawl_env(), capture_output=True, text=True,
                               timeout=120, check=False)
        expected = {f"{server.base_url}{path}" for path in server.expected_articles()}
    assert final.returncode == 0, final.stderr[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text("utf-8"))
    print(f"appended to the dead worker's feed: {stats.get('cleancrawl/feed/recovered', 0)}")
    files = sorted(feeds.glob("*.jsonl"))
    assert len(files) == 2 and not list(feeds.glob("*.unfinished"))
    exported = Counter(json.loads(line)["url"] for path in files for line in path.read_text("utf-8").splitlines())
    store = open_store(postgres_url)
    stored = Counter(record["url"] for record in store.records())
    store.close()
    assert set(stored) == set(exported) == expected
    assert set(exported.values()) == {1} and set(stored.values()) == {1}
