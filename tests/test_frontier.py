"""The frontier's pieces in-process: the backends' contract (crawler/frontier/backend.py), kept by the SQLite and
the Redis backend alike, and requests as JSON.

The whole crawl (kill -9, SIGTERM, resume) is in tests/test_kill_resume.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request, Spider

from crawler.frontier import Entry, FrontierBackend, JobdirInUse, SQLiteFrontier
from crawler.frontier import serialization


@pytest.fixture(params=["sqlite", "redis"])
def frontier(request: pytest.FixtureRequest) -> Iterator[FrontierBackend]:
    """Each backend in turn: SQLite in memory, then Redis under a run id of this test alone."""
    if request.param == "sqlite":
        backend: FrontierBackend = SQLiteFrontier()
    else:
        import redis

        from crawler.frontier.redis import RedisFrontier

        backend = RedisFrontier(redis.Redis.from_url(request.getfixturevalue("redis_server")),
                                request.getfixturevalue("redis_run"), persist=True)
    yield backend
    backend.close()


def _entry(name: str, priority: int = 0, *, filtered: bool = True) -> Entry:
    return Entry(name, priority, name.encode() if filtered else None)


def test_push_filters_what_was_seen_in_the_same_change(frontier: FrontierBackend) -> None:
    assert frontier.push([_entry("a"), _entry("b"), _entry("a")]) == [True, True, False]
    assert frontier.push([_entry("b"), _entry("b", filtered=False)]) == [False, True]  # dont_filter: always added
    assert frontier.pending() == 3


def test_lease_gives_the_best_first_fifo_within_a_priority_and_never_twice(frontier: FrontierBackend) -> None:
    frontier.push([_entry("deep", -2), _entry("index"), _entry("story", 1), _entry("index-2"), _entry("story-2", 1)])
    first = frontier.lease("me", 3, 60)
    assert [lease.data for lease in first] == ["story", "story-2", "index"]
    assert [lease.data for lease in frontier.lease("other", 5, 60)] == ["index-2", "deep"]
    assert frontier.lease("me", 1, 60) == [] and frontier.pending() == 0
    assert not frontier.is_drained()  # leased is not done
    frontier.done([lease.key for lease in first])
    frontier.done([first[0].key])  # done twice: ignored
    assert frontier.release_owner("other") == 2
    assert [lease.data for lease in frontier.lease("me", 5, 60)] == ["index-2", "deep"]


def test_done_entries_stay_seen_and_drain_the_frontier(frontier: FrontierBackend) -> None:
    frontier.push([_entry("a")])
    frontier.done([lease.key for lease in frontier.lease("me", 1, 60)])
    assert frontier.is_drained()
    assert frontier.push([_entry("a")]) == [False]


def test_expired_leases_go_back_to_pending_and_heartbeats_keep_them(frontier: FrontierBackend) -> None:
    frontier.push([_entry("a"), _entry("b")])
    frontier.lease("dead", 1, -1)  # its deadline has passed
    frontier.lease("alive", 1, -1)
    assert frontier.heartbeat("alive", 60) == 1
    assert frontier.release_expired() == 1
    assert [lease.data for lease in frontier.lease("me", 5, 60)] == ["a"]


def test_a_jobdir_frontier_resumes_with_the_leases_of_the_dead_crawl_pending(tmp_path: Path) -> None:
    frontier = SQLiteFrontier(tmp_path)
    frontier.push([_entry("a"), _entry("b"), _entry("c")])
    frontier.done([frontier.lease("killed", 1, 300)[0].key])
    frontier.lease("killed", 1, 300)  # in flight when the crawl died
    with pytest.raises(JobdirInUse):
        SQLiteFrontier(tmp_path)  # a second crawl on the same JOBDIR
    frontier.db.close()  # the process dies: nothing else is written
    frontier.lock.close()  # type: ignore[union-attr]
    resumed = SQLiteFrontier(tmp_path)
    assert resumed.released == 1 and resumed.pending() == 2
    assert [lease.data for lease in resumed.lease("me", 5, 60)] == ["b", "c"]
    assert resumed.push([_entry("a"), _entry("d")]) == [False, True]
    resumed.close()


class _Spider(Spider):
    name = "s"

    def parse_page(self, response: object) -> None:
        pass


def test_requests_round_trip_as_json_with_bytes_and_callbacks() -> None:
    spider = _Spider()
    request = Request("http://127.0.0.1/a?b=1", spider.parse_page, method="POST", body=b"\xff\x00 body",
                      headers={"If-None-Match": b'"etag\xe9"'}, priority=-3, dont_filter=True,
                      meta={"depth": 2, "raw": b"\x80", "listed": "2024-03-12", "pairs": {1: "one"}},
                      cb_kwargs={"n": [1, 2]})
    text = serialization.dumps(request, spider)
    assert "pickle" not in text and text.startswith("{")
    restored = serialization.loads(text, spider)
    assert (restored.url, restored.method, restored.body, restored.priority, restored.dont_filter) == (
        request.url, "POST", b"\xff\x00 body", -3, True)
    assert restored.headers["If-None-Match"] == b'"etag\xe9"'
    assert restored.callback == spider.parse_page
    assert restored.meta == request.meta and restored.cb_kwargs == {"n": [1, 2]}


def test_the_stored_dict_is_scrapys_to_dict() -> None:
    spider = _Spider()
    request = Request("http://127.0.0.1/a", spider.parse_page, errback=spider.parse_page, meta={"depth": 1})
    assert serialization._to_dict(request, spider) == request.to_dict(spider=spider)


@pytest.mark.parametrize("request_", [
    Request("http://127.0.0.1/", meta={"object": object()}),
    Request("http://127.0.0.1/", callback=lambda response: None),  # not a spider method
])
def test_a_request_json_cannot_carry_is_refused_with_a_clear_error(request_: Request) -> None:
    with pytest.raises(serialization.UnserializableRequest):
        serialization.dumps(request_, _Spider())


def test_an_unknown_frontier_backend_is_a_clear_error() -> None:
    from scrapy.utils.test import get_crawler

    from crawler.frontier.scheduler import FrontierScheduler

    with pytest.raises(ValueError, match="CLEANCRAWL_FRONTIER='redis-typo': the frontier backends are local"):
        FrontierScheduler.from_crawler(get_crawler(settings_dict={"CLEANCRAWL_FRONTIER": "redis-typo"}))


def test_a_redis_frontier_that_cannot_be_reached_is_a_clear_error() -> None:
    import socket

    from scrapy.utils.test import get_crawler

    from crawler.frontier.redis import FrontierUnavailable, RedisFrontier
    from crawler.spiders.news import NewsSpider

    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    crawler = get_crawler(NewsSpider, settings_dict={"REDIS_URL": f"redis://127.0.0.1:{port}/0",
                                                     "REDIS_PARAMS": {"socket_connect_timeout": 1}})
    with pytest.raises(FrontierUnavailable, match=f"the Redis at 127.0.0.1:{port} cannot be used"):
        RedisFrontier.from_crawler(crawler)


def _redis_frontier(url: str, run: str, *, persist: bool = True) -> FrontierBackend:
    import redis

    from crawler.frontier.redis import RedisFrontier

    return RedisFrontier(redis.Redis.from_url(url), run, persist=persist)


def test_a_shared_run_is_not_drained_while_a_worker_reads_its_seeds(redis_server: str, redis_run: str) -> None:
    frontier = _redis_frontier(redis_server, redis_run)
    frontier.starting("slow-starter", 60)
    frontier.starting("died-starting", -1)  # its start-up marker expired: a dead worker does not hold the run
    assert not frontier.is_drained()
    frontier.started("slow-starter")
    assert frontier.is_drained()
    frontier.close()


def test_a_drained_run_deletes_its_keys_unless_persisted(redis_server: str, redis_run: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_server)
    persisted = _redis_frontier(redis_server, redis_run)
    persisted.push([_entry("a")])
    persisted.done([lease.key for lease in persisted.lease("me", 1, 60)])
    persisted.close()
    assert client.exists(f"{redis_run}:dupefilter")  # SCHEDULER_PERSIST: the fingerprints stay for the next run

    busy, closing = (_redis_frontier(redis_server, redis_run, persist=False) for _ in range(2))
    busy.push([_entry("b")])
    leased = busy.lease("busy", 1, 60)
    closing.close()  # the run is not over (b is leased): nothing is deleted
    assert client.exists(f"{redis_run}:entries")
    busy.done([lease.key for lease in leased])
    busy.close()  # over: the last one out deletes the run
    assert not client.keys(f"{redis_run}:*")
    client.close()
