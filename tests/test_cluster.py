"""Several crawl processes, one run: the shared frontier in Redis, the store in PostgreSQL (real servers).

Each test is one run under a Redis key prefix of its own (``redis_run``) and a PostgreSQL schema of its own
(``postgres_url``). The workers are the real command (``scrapy crawl news``) in their own process groups.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from cleaners.record import simhash
from crawler.store import NEAR_DUPLICATE_BITS, open_store
from tests.faultserver import (PROJECT_ROOT, FaultServer, Story, article_html, crawl_command, crawl_env,
                               generated_story, read_jsonl, serve_faults)

pytestmark = pytest.mark.e2e

ARTICLES = 240
SITE_LIMIT = 3  # CONCURRENT_REQUESTS_PER_DOMAIN: for the whole run, not per worker
# Fetched twice per run, as by one crawl process: by the robots.txt middleware (once for all workers) and as the
# spider's request for its Sitemap lines (once: the shared duplicate filter).
ROBOTS = "/robots.txt"


@dataclass
class Worker:
    name: str
    output: Path
    process: subprocess.Popen[Any]
    exited_at: float | None = None  # time.monotonic(), as the server's request times

    @property
    def stats(self) -> dict[str, Any]:
        path = self.output / "stats.json"
        return json.loads(path.read_text("utf-8")) if path.exists() else {}

    @property
    def pages(self) -> int:
        return int(self.stats.get("scheduler/dequeued", 0))

    def log_tail(self) -> str:
        return (self.output / "crawl.log").read_text("utf-8", errors="replace")[-3000:]


@dataclass
class Run:
    """The workers of one run (their settings differ only in CLEANCRAWL_WORKER_ID) and everything they left."""

    root: Path
    command: dict[str, Any]
    workers: list[Worker] = field(default_factory=list)

    def start(self, name: str) -> Worker:
        output = self.root / name
        output.mkdir(parents=True, exist_ok=True)
        settings = {**self.command["settings"], "CLEANCRAWL_WORKER_ID": name}
        command = crawl_command(output, url=self.command.get("url"), seeds=self.command.get("seeds"),
                                settings=settings)
        with (output / "stderr.log").open("ab") as stderr:
            process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=crawl_env(), start_new_session=True,
                                       stdout=subprocess.DEVNULL, stderr=stderr)
        worker = Worker(name, output, process)
        self.workers.append(worker)
        return worker

    def poll(self) -> None:
        for worker in self.workers:
            if worker.exited_at is None and worker.process.poll() is not None:
                worker.exited_at = time.monotonic()

    def wait(self, timeout: float = 150) -> None:
        deadline = time.monotonic() + timeout
        while any(worker.exited_at is None for worker in self.workers) and time.monotonic() < deadline:
            self.poll()
            time.sleep(0.02)
        for worker in self.workers:
            assert worker.exited_at is not None, f"{worker.name} did not end by itself:\n{worker.log_tail()}"

    def stop(self) -> None:
        for worker in self.workers:
            kill(worker)


def kill(worker: Worker) -> None:
    """SIGKILL the worker's process group (its cleaning processes too)."""
    try:
        os.killpg(worker.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.process.wait(timeout=30)


@contextmanager
def cluster(tmp_path: Path, redis_server: str, redis_run: str, postgres_url: str, **command: Any) -> Iterator[Run]:
    settings = {
        "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1,localhost", "CLEANCRAWL_FRONTIER": "redis",
        "REDIS_URL": redis_server, "CLEANCRAWL_RUN_ID": redis_run, "CLEANCRAWL_STORE_URL": postgres_url,
        "CONCURRENT_REQUESTS": "8", "CONCURRENT_REQUESTS_PER_DOMAIN": str(SITE_LIMIT),
        # Short leases: a killed worker's requests are pending again within 3 s (heartbeats every second).
        "CLEANCRAWL_FRONTIER_LEASE_SECONDS": "3", "CLEANCRAWL_FRONTIER_POLL_SECONDS": "0.2",
        **command.pop("settings", {}),
    }
    run = Run(tmp_path, {**command, "settings": settings})
    try:
        yield run
    finally:
        run.stop()


def wait_for(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)


def fetched_twice(server: FaultServer) -> dict[str, int]:
    assert server.hits[ROBOTS] <= 2
    return {path: count for path, count in server.hits.items() if count > 1 and path != ROBOTS}


def stored_urls(postgres_url: str) -> Counter[str]:
    store = open_store(postgres_url)
    try:
        return Counter(record["url"] for record in store.records())
    finally:
        store.close()


def feed_urls(workers: Sequence[Worker]) -> Counter[str]:
    return Counter(record["url"] for worker in {w.output: w for w in workers}.values()
                   for record in read_jsonl(worker.output / "articles.jsonl"))


def test_three_workers_one_run_fetch_each_url_once_and_save_each_article_once(
        tmp_path: Path, redis_server: str, redis_run: str, postgres_url: str) -> None:
    with serve_faults(site="news", articles=ARTICLES, delay=0.02) as server, \
            cluster(tmp_path, redis_server, redis_run, postgres_url, url=f"{server.base_url}/") as run:
        run.start("w1")
        run.start("w2")
        wait_for(lambda: server.hit_count() >= 10)  # the run is under way: the third worker joins it
        run.start("w3")
        run.wait()
        expected = {f"{server.base_url}{path}" for path in server.expected_articles()}
        assert fetched_twice(server) == {}
        assert server.max_in_flight <= SITE_LIMIT
        pages = {worker.name: worker.pages for worker in run.workers}
    print(f"pages per worker: {pages}; site requests at once: {server.max_in_flight}")
    for worker in run.workers:
        assert worker.process.returncode == 0, worker.log_tail()
        assert worker.stats["finish_reason"] == "finished"
    assert all(count >= 0.15 * sum(pages.values()) for count in pages.values()), pages
    stored = stored_urls(postgres_url)
    assert set(stored) == expected and max(stored.values()) == 1
    assert feed_urls(run.workers) == Counter(expected)  # each worker exported what it saved, once


def test_killing_the_busiest_worker_loses_nothing_and_saves_nothing_twice(
        tmp_path: Path, redis_server: str, redis_run: str, postgres_url: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_server)
    rng = random.Random(20241201)
    leased_at_kills = 0
    with serve_faults(site="news", articles=ARTICLES, delay=0.03) as server, \
            cluster(tmp_path, redis_server, redis_run, postgres_url, url=f"{server.base_url}/") as run:
        live = {name: run.start(name) for name in ("w1", "w2", "w3")}
        for _ in range(3):
            target = server.hit_count() + rng.randint(30, 60)
            wait_for(lambda target=target: server.hit_count() >= target)  # type: ignore[misc]
            # The busiest: the worker holding the most leases now (owners are "<host>:<pid>:<random>").
            owners = Counter(owner.decode() for owner in client.hvals(f"{redis_run}:owners"))
            by_pid = {str(worker.process.pid): worker for worker in live.values()}
            busiest = max(owners, key=lambda owner: (owner.split(":")[1] in by_pid, owners[owner]))
            victim = by_pid[busiest.split(":")[1]]
            kill(victim)
            # Dead, it renews nothing: what it held until its leases expire is what it held when it died.
            leased_at_kills += Counter(owner.decode() for owner in client.hvals(f"{redis_run}:owners"))[busiest]
            live[victim.name] = run.start(victim.name)  # a replacement joins the run in progress
        run.workers = list(live.values())
        run.wait()
        refetched = fetched_twice(server)
        expected = {f"{server.base_url}{path}" for path in server.expected_articles()}
    client.close()
    print(f"3 kills: {leased_at_kills} requests leased by the killed workers, {sum(refetched.values())} fetched twice")
    for worker in run.workers:
        assert worker.process.returncode == 0, worker.log_tail()
    # Every fetch beyond the first is of a request a killed worker held (one leased to two victims in turn is
    # fetched three times); nothing else is fetched again.
    assert sum(count - 1 for count in refetched.values()) <= leased_at_kills
    stored = stored_urls(postgres_url)
    assert set(stored) == expected and max(stored.values()) == 1  # nothing lost, nothing saved twice
    assert feed_urls(run.workers) == Counter(expected)  # the replacements repaired their feeds (FeedRecovery)


def test_a_slow_page_keeps_every_worker_until_its_lease_is_done(
        tmp_path: Path, redis_server: str, redis_run: str, postgres_url: str) -> None:
    timeout = 4
    with serve_faults(site="news", articles=12) as server, \
            cluster(tmp_path, redis_server, redis_run, postgres_url, url=f"{server.base_url}/",
                    settings={"DOWNLOAD_TIMEOUT": str(timeout), "CLEANCRAWL_RETRY_TIMEOUT_TIMES": "0"}) as run:
        server.extra_links = ("/slow/stall/1",)
        run.start("w1")
        run.start("w2")
        run.wait()
        stalled_at = server.times["/slow/stall/1"][0]
    for worker in run.workers:
        assert worker.process.returncode == 0, worker.log_tail()
        # The worker that did not fetch the slow page found nothing to do long before, and waited for it.
        assert worker.exited_at is not None and worker.exited_at > stalled_at + timeout
    assert sum(worker.stats.get("cleancrawl/frontier/idle_waits", 0) for worker in run.workers) > 0


def wire_copy(story: Story) -> Story:
    """``story`` with a wire credit that keeps its SimHash within NEAR_DUPLICATE_BITS (a near-duplicate)."""
    for credit in ("(Wire)", "(AP)", "Reuters:", "(AFP)", "From the wire:", "Agency report:", "(PA)", "dpa:"):
        copy = Story(story.title, (f"{credit} {story.paragraphs[0]}", *story.paragraphs[1:]))
        if bin(int(simhash(copy.text), 16) ^ int(simhash(story.text), 16)).count("1") <= NEAR_DUPLICATE_BITS:
            return copy
    raise AssertionError(f"no near-same wire copy of {story.title!r}")


@contextmanager
def syndicating_server(stories: int) -> Iterator[tuple[str, list[tuple[str, str, str]]]]:
    """One server, two sites: 127.0.0.1 publishes stories, localhost the same stories with a wire credit.
    Yields the port and its log: (host, path, User-Agent) of every request."""
    log: list[tuple[str, str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802
            host = (self.headers.get("Host") or "").split(":")[0]
            log.append((host, self.path, self.headers.get("User-Agent", "")))
            if self.path == "/":
                links = "".join(f'<li><a href="/news/{n:03d}">Story {n}</a></li>' for n in range(stories))
                body = f"<!DOCTYPE html><html><body><h1>News</h1><ul>{links}</ul></body></html>".encode()
            elif self.path.startswith("/news/") and self.path[6:].isdigit() and int(self.path[6:]) < stories:
                story = generated_story(int(self.path[6:]))
                if host == "localhost":  # the syndicated copy: a credit before the first paragraph
                    story = wire_copy(story)
                body = article_html(story).encode()
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield str(server.server_address[1]), log
    finally:
        server.shutdown()
        server.server_close()


def test_the_same_story_on_two_sites_is_saved_once_and_the_copy_recorded_as_near_duplicate(
        tmp_path: Path, redis_server: str, redis_run: str, postgres_url: str) -> None:
    stories = 16
    with syndicating_server(stories) as (port, log):
        seeds = tmp_path / "seeds.jsonl"
        seeds.write_text("".join(json.dumps({"name": host, "start_urls": [f"http://{host}:{port}/"],
                                             "allowed_domains": [host]}) + "\n" for host in ("127.0.0.1", "localhost")),
                         encoding="utf-8")
        with cluster(tmp_path, redis_server, redis_run, postgres_url, seeds=seeds,
                     settings={"CLEANCRAWL_CONDITIONAL_ENABLED": "False"}) as run:
            for name in ("w1", "w2"):
                run.command["settings"]["USER_AGENT"] = f"cleancrawl-test/{name}"
                run.start(name)
            run.wait()
    for worker in run.workers:
        assert worker.process.returncode == 0, worker.log_tail()
    store = open_store(postgres_url)
    try:
        stored = {record["url"] for record in store.records()}
        copies = store.duplicates()
    finally:
        store.close()
    pairs = [{f"http://{host}:{port}/news/{n:03d}" for host in ("127.0.0.1", "localhost")} for n in range(stories)]
    assert len(stored) == stories and all(len(pair & stored) == 1 for pair in pairs)  # each story once
    assert sorted(kind for _, _, kind in copies) == ["near_duplicate"] * stories
    assert all({url, original} in pairs for url, original, _ in copies)
    fetched_by = {f"http://{host}:{port}{path}": agent for host, path, agent in log if path.startswith("/news/")}
    assert any(fetched_by[url] != fetched_by[original] for url, original, _ in copies), "one worker fetched all"
