"""The store contract, the same for every backend (SQLite and PostgreSQL): save statuses, page state, records saved
since a time, the site template memory; and how a store is picked and opened."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from crawler.store import NEAR_DUPLICATE_BITS, PageState, SaveStatus, StoreError, open_store, store_url
from crawler.store import sql
from crawler.store.sql import simhash_bands
from tests.records import article, story_text, wire_copy


def test_save_statuses(store_url: str) -> None:
    first = open_store(store_url, "crawl-1")
    assert first.save(article(1)) == (SaveStatus.NEW, None)
    assert first.save(article(1)) == (SaveStatus.DUPLICATE, article(1)["url"])  # seen twice in one crawl
    copy = {**article(1), "url": "http://127.0.0.1/other/1", "canonical_url": "http://127.0.0.1/other/1"}
    assert first.save(copy) == (SaveStatus.DUPLICATE, article(1)["url"])  # the same text elsewhere
    wire = article(2, text=wire_copy(1), base="http://wire.example/news")
    assert first.save(wire) == (SaveStatus.NEAR_DUPLICATE, article(1)["url"])
    first.close()

    second = open_store(store_url, "crawl-2")
    assert second.save(article(1)) == (SaveStatus.UNCHANGED, None)
    second.close()
    third = open_store(store_url, "crawl-3")
    edited = article(1, text=story_text(1) + " Update: the vote was confirmed on Thursday.")
    assert third.save(edited) == (SaveStatus.UPDATED, None)  # its own near-same older text does not count
    assert [record["text"] for record in third.records()] == [edited["text"]]
    assert third.duplicates() == [(article(1)["url"], article(1)["url"], "duplicate"),
                                  (copy["url"], article(1)["url"], "duplicate"),
                                  (wire["url"], article(1)["url"], "near_duplicate")]
    third.close()


def test_a_story_far_from_every_other_is_new(store_url: str) -> None:
    store = open_store(store_url, "crawl")
    statuses = {store.save(article(n))[0] for n in range(20)}
    assert statuses == {SaveStatus.NEW} and len(store.records()) == 20
    store.close()


def test_page_state(store_url: str) -> None:
    store = open_store(store_url, "crawl")
    url = article(3)["url"]
    assert store.page_state(url) is None
    store.record_fetch(url, '"v1"', "Tue, 01 Dec 2026 09:00:00 GMT", "2026-12-01T09:00:00+00:00")
    assert store.page_state(url) == PageState(None, '"v1"', "Tue, 01 Dec 2026 09:00:00 GMT", "2026-12-01T09:00:00+00:00")
    store.save(article(3))  # a saved article: its page now knows its canonical URL
    store.record_fetch(url, None, None, "2026-12-01T10:00:00+00:00")
    assert store.page_state(url) == PageState(url, None, None, "2026-12-01T10:00:00+00:00")
    store.close()


def test_saved_since(store_url: str) -> None:
    first = open_store(store_url, "crawl-1")
    for n in range(3):
        first.save(article(n))
    everything = list(first.saved_since(""))
    assert [record["url"] for record in everything] == [article(n)["url"] for n in range(3)]
    assert {record["event"] for record in everything} == {"new"}
    assert list(first.saved_since("9999-01-01T00:00:00Z")) == []
    first.close()
    second = open_store(store_url, "crawl-2")
    second.save(article(3))
    second.save(article(1, text=story_text(1) + " Correction: the depot opens in May."))
    second.save(article(2))  # unchanged: not saved again
    by_second = list(second.saved_since("", "crawl-2"))
    assert [(record["url"], record["event"]) for record in by_second] == \
        sorted([(article(3)["url"], "new"), (article(1)["url"], "updated")])
    assert [record["url"] for record in second.saved_since("", "crawl-1")] == [article(0)["url"], article(2)["url"]]
    second.close()


def test_saved_since_reads_a_large_store_in_pages(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "_PAGE", 4)
    store = open_store(store_url, "crawl")
    for n in range(13):
        assert store.save(article(n))[0] is SaveStatus.NEW
    saved = [record["url"] for record in store.saved_since("")]
    assert sorted(saved) == sorted(article(n)["url"] for n in range(13))
    store.close()


def test_template_memory(store_url: str) -> None:
    store = open_store(store_url, "crawl")
    first, second = "aaaa000000000001", "aaaa000000000002"
    assert store.template_counts("metro", [first]) == {}
    store.record_template_pages("metro", {"http://m/1": [first, second]}, "2026-12-01T10:00:00Z")
    store.record_template_pages("metro", {"http://m/1": [first]}, "2026-12-01T11:00:00Z")  # again: no count
    store.record_template_pages("metro", {"http://m/2": [first]}, "2026-12-01T11:00:00Z")
    store.record_template_pages("voice", {"http://v/1": [first]}, "2026-12-01T11:00:00Z")
    assert store.template_counts("metro", [first, second, "ffff000000000000"]) == {first: 2, second: 1}
    assert store.template_counts("voice", [first, second]) == {first: 1}
    store.close()


def test_a_batch_of_template_pages_counts_each_new_page_once(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql, "_PAGE", 4)  # the batch's pages are written in several statements
    common, rare = "c" * 16, "d" * 16
    store = open_store(store_url, "crawl")
    store.record_template_pages("s", {"p1": [common]}, "2026-12-01T10:00:00Z")
    batch = {f"p{n}": [common, common] for n in range(1, 10)} | {"p10": [common, rare], "p11": []}
    store.record_template_pages("s", batch, "2026-12-01T11:00:00Z")  # p1 counted already; a block twice on a page
    store.record_template_pages("s", batch, "2026-12-01T12:00:00Z")  # the same batch again: nothing new
    assert store.template_counts("s", [common, rare]) == {common: 10, rare: 1}
    store.close()


def test_template_memory_ages_out_the_rarest_oldest_fingerprints(tmp_path: Path, store_url: str) -> None:
    store = open_store(store_url, "crawl")
    store.template_max_fingerprints = 3  # type: ignore[attr-defined]  # CLEANCRAWL_TEMPLATE_MAX_FINGERPRINTS
    common, old, new = "c" * 16, "0" * 16, "1" * 16
    store.record_template_pages("s", {"p1": [common, old]}, "2026-12-01T10:00:00Z")
    store.record_template_pages("s", {"p2": [common, new]}, "2026-12-01T11:00:00Z")
    store.record_template_pages("s", {"p3": [common, "2" * 16]}, "2026-12-01T12:00:00Z")  # 4 kept: one must go
    assert store.template_counts("s", [common, old, new, "2" * 16]) == {common: 3, new: 1, "2" * 16: 1}
    store.close()


def test_near_duplicate_bands_cover_the_distance() -> None:
    # Two SimHashes at most NEAR_DUPLICATE_BITS apart share a band key: that is what the store looks up and locks.
    value = int(article(1)["simhash"], 16)
    flipped = f"{value ^ (0b1011 << 30):016x}"
    assert bin(value ^ int(flipped, 16)).count("1") == NEAR_DUPLICATE_BITS
    assert set(simhash_bands(article(1)["simhash"])) & set(simhash_bands(flipped))


def test_store_url_from_settings() -> None:
    assert store_url({"CLEANCRAWL_STORE_PATH": "output/a.sqlite3"}) == "sqlite:///output/a.sqlite3"
    assert store_url({"CLEANCRAWL_STORE_PATH": "output/a.sqlite3", "CLEANCRAWL_STORE_URL": "postgresql://h/db"}) == \
        "postgresql://h/db"
    assert store_url({"CLEANCRAWL_STORE_PATH": "", "CLEANCRAWL_STORE_URL": ""}) is None


def test_open_store_paths_and_errors(tmp_path: Path) -> None:
    for url in (f"sqlite:///{tmp_path}/a/one.sqlite3", str(tmp_path / "b" / "two.sqlite3")):
        open_store(url).close()
    assert (tmp_path / "a" / "one.sqlite3").exists() and (tmp_path / "b" / "two.sqlite3").exists()
    with pytest.raises(StoreError, match="unsupported store URL mysql://"):
        open_store("mysql://user:secret@127.0.0.1/db")
    with pytest.raises(StoreError, match="CLEANCRAWL_STORE_URL and CLEANCRAWL_STORE_PATH are empty"):
        open_store({"CLEANCRAWL_STORE_PATH": ""})
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match=rf"cannot connect to the PostgreSQL store postgresql://u:\*\*\*@127.0.0.1:{port}/db") as error:
        open_store(f"postgresql://u:secret@127.0.0.1:{port}/db?connect_timeout=5")
    assert "secret" not in str(error.value)


def test_an_older_sqlite_store_gains_the_saved_by_column(tmp_path: Path) -> None:
    # The on-disk format: a store written before saved_by existed is migrated when opened.
    import sqlite3

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE articles (canonical_url TEXT PRIMARY KEY, url TEXT NOT NULL, content_hash TEXT NOT NULL,"
                   " simhash TEXT, site TEXT, title TEXT, language TEXT, date_published TEXT, record TEXT NOT NULL,"
                   " first_saved_at TEXT NOT NULL, last_saved_at TEXT NOT NULL, crawl_id TEXT NOT NULL)")
    db.close()
    store = open_store(str(path), "crawl")
    assert store.save(article(1)) == (SaveStatus.NEW, None)
    assert [record["url"] for record in store.saved_since("", "crawl")] == [article(1)["url"]]
    store.close()


def test_a_lost_postgresql_connection_fails_one_call_then_reconnects(postgres_url: str) -> None:
    import psycopg

    store = open_store(postgres_url, "crawl")
    assert store.save(article(1)) == (SaveStatus.NEW, None)
    backend = store.db.info.backend_pid  # type: ignore[attr-defined]
    with psycopg.connect(postgres_url, autocommit=True) as admin:  # as a server restart would
        admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
    with pytest.raises(StoreError, match="the PostgreSQL store postgresql://.* failed"):
        store.save(article(2))
    assert store.save(article(2)) == (SaveStatus.NEW, None)  # a new connection
    assert [record["url"] for record in store.records()] == [article(1)["url"], article(2)["url"]]
    store.close()
