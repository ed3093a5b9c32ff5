"""kill -9 a crawl with JOBDIR at random moments, resume it until it finishes: nothing lost, nothing twice, and
little fetched again (the frontier resumes where the crawl stopped).

A plain site of a few hundred pages that sends no validators (no ETag, no Last-Modified:
nothing saves a re-fetch but the frontier). The moments are drawn from a seeded random
generator: one in the first second, others right after the JSON lines file grew (while
articles are between the store's commit and the feed write) or after a random number of
requests, and one clean stop (SIGTERM). Every kill takes the crawl's whole process group
(the cleaning workers too; see the orphan test below).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cleaners.templates import blocks_of, candidates
from crawler.feedstorage import remove_partial_line
from crawler.store import open_store
from tests.faultserver import PROJECT_ROOT, Story, crawl_command, crawl_env, serve_faults

SEED = int(os.environ.get("CLEANCRAWL_KILL_SEED", "20241123"))  # another seed: other moments
KILLS = 5
ARTICLES = 300
# Fast enough for CI, slow enough that each kill lands mid-crawl: the site answers in 20 ms, 8 at a time.
SITE_DELAY = 0.02
SETTINGS = {"CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "CONCURRENT_REQUESTS": "8",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "8"}


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _kill_group(process: subprocess.Popen[Any]) -> None:
    """SIGKILL the crawl (its own process group: started with start_new_session), workers included."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def _start(command: list[str], log: Path, root: Path = PROJECT_ROOT) -> subprocess.Popen[Any]:
    with log.open("ab") as stderr:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=root, env=crawl_env(), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=stderr)


@dataclass
class Runs:
    """What a crawl (uninterrupted, or killed and resumed) cost and left behind."""

    requests: int
    seconds: float
    kills: int
    returncode: int
    output: Path
    expected: dict[str, Story]


def crawl_site(output: Path, *, kills: int, clean_stops: int = 0, seed: int = SEED,
               root: Path = PROJECT_ROOT) -> Runs:
    """Crawl a plain site of ARTICLES pages with a JOBDIR: killed (``kill -9``) ``kills`` times at random moments
    and stopped cleanly (SIGTERM) ``clean_stops`` times, then run to its end. The moments: the first second
    (start-up), right after the feed grew (articles being saved), and after a random number of requests.
    ``requests`` counts the server's requests over all runs."""
    rng = random.Random(seed)
    feed = output / "articles.jsonl"
    output.mkdir(parents=True, exist_ok=True)
    moments = ["start", "saving", *(rng.choice(("saving", "requests")) for _ in range(kills - 2))][:kills]
    moments += ["sigterm"] * clean_stops
    rng.shuffle(moments)
    with serve_faults(site="news", articles=ARTICLES, delay=SITE_DELAY) as server:
        command = crawl_command(output, url=f"{server.base_url}/", settings={**SETTINGS, "JOBDIR": str(output / "job")})
        began, interrupted = time.monotonic(), 0
        for moment in moments:
            crawl = _start(command, output / "stderr.log", root)
            try:
                if moment == "start":
                    deadline = time.monotonic() + rng.uniform(0.2, 1.0)
                    while crawl.poll() is None and time.monotonic() < deadline:
                        time.sleep(0.005)
                else:
                    lines, hits = _lines(feed) + rng.randint(1, 8), server.hit_count() + rng.randint(10, 60)
                    deadline = time.monotonic() + 60
                    while (crawl.poll() is None and time.monotonic() < deadline
                           and (_lines(feed) < lines if moment == "saving" else server.hit_count() < hits)):
                        time.sleep(0.002)
                interrupted += crawl.poll() is None
                if moment == "sigterm":  # as cron's timeout or scrapyd would: the crawl finishes what is in flight
                    crawl.send_signal(signal.SIGTERM)
                    crawl.wait(timeout=60)
            finally:
                _kill_group(crawl)
        final = subprocess.run(command, cwd=root, env=crawl_env(), capture_output=True, text=True, timeout=180,
                               check=False)
        seconds = time.monotonic() - began
        expected = {f"{server.base_url}{path}": story for path, story in server.expected_articles().items()}
        return Runs(server.hit_count(), seconds, interrupted, final.returncode, output, expected)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return crawl_site(tmp_path_factory.mktemp("uninterrupted"), kills=0)


@pytest.mark.e2e
def test_killed_and_resumed_crawl_saves_every_article_once_and_refetches_little(
        tmp_path: Path, uninterrupted: Runs) -> None:
    runs = crawl_site(tmp_path, kills=KILLS, clean_stops=1)
    print(f"uninterrupted: {uninterrupted.requests} requests in {uninterrupted.seconds:.1f} s;"
          f" {runs.kills} stops (one SIGTERM) and resumed: {runs.requests} requests in {runs.seconds:.1f} s")
    assert runs.kills >= KILLS, "the crawls ended before they could be stopped"
    assert runs.returncode == 0, (tmp_path / "stderr.log").read_text("utf-8")[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text("utf-8"))  # of the last run
    assert stats["finish_reason"] == "finished"
    # Each run after a stop went on where it stopped (but after the kill in the first second: nothing was queued).
    resumed = (tmp_path / "crawl.log").read_text("utf-8").count("Resuming the crawl in JOBDIR")
    assert resumed >= runs.kills - 1
    frontier = sqlite3.connect(tmp_path / "job" / "frontier.sqlite3")
    assert frontier.execute("SELECT count(*) FROM entries").fetchone() == (0,)  # every request done, none left
    frontier.close()

    raw = (tmp_path / "articles.jsonl").read_bytes()
    assert raw.endswith(b"\n"), "the feed ends in a partial line"
    records = [json.loads(line) for line in raw.decode("utf-8").splitlines()]  # every line parses
    exported = Counter(record["url"] for record in records)
    store = open_store(str(tmp_path / "articles.sqlite3"))
    stored = Counter(record["url"] for record in store.records())
    # An article leaves the site template pipeline only once the memory counts its page: a count lost to a kill
    # would keep a block one page short of template on its site for good (its article is not fetched again).
    with_blocks = {record["canonical_url"] or record["url"] for record in store.records()
                   if candidates(blocks_of(record))}
    store.close()
    with sqlite3.connect(tmp_path / "articles.sqlite3") as db:
        counted = {page for (page,) in db.execute("SELECT page FROM site_template_pages")}
    assert with_blocks and with_blocks - counted == set()
    assert {url for url, count in exported.items() if count > 1} == set()
    assert set(runs.expected) - set(stored) == set()
    assert set(exported) == set(runs.expected) == set(stored)
    for record in records:
        assert all(paragraph in record["text"] for paragraph in runs.expected[record["url"]].paragraphs)
    assert runs.requests <= 1.2 * uninterrupted.requests


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

def test_a_partial_last_line_is_cut(tmp_path: Path) -> None:
    feed = tmp_path / "articles.jsonl"
    feed.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert remove_partial_line(feed) == len(b'{"c": ')
    assert feed.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert remove_partial_line(feed) == 0
    feed.write_bytes(b'{"c": ')
    assert remove_partial_line(feed) == 6 and feed.read_bytes() == b""

