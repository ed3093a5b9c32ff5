"""The site template memory in the SQLite store: counts distinct pages once, stays bounded, ages out rare blocks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cleaners.templates import fingerprint
from crawler.cleaning import PackedTemplate
from crawler.store import open_store
from crawler.store.sqlite import SQLiteStore

SITE = "planet"


def _line(n: int) -> str:
    """A distinct line for each n, spelt in letters (fingerprints fold digits)."""
    return "line " + "".join(chr(ord("a") + int(digit)) for digit in str(n))


def test_pages_are_counted_once_per_site(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store.sqlite3"), "crawl-1")
    about, rights = fingerprint("About the Planet"), fingerprint("© 2024 Planet Media")
    store.record_template_pages(SITE, {"https://planet.example/1": [about, rights]}, "2026-12-01T10:00:00+00:00")
    store.record_template_pages(SITE, {"https://planet.example/2": [about]}, "2026-12-01T10:01:00+00:00")
    store.record_template_pages(SITE, {"https://planet.example/2": [about, rights]}, "2026-12-01T10:02:00+00:00")
    store.record_template_pages("other", {"https://other.example/1": [about]}, "2026-12-01T10:03:00+00:00")
    assert store.template_counts(SITE, [about, rights, fingerprint("never seen")]) == {about: 2, rights: 1}
    assert store.template_counts("other", [about, rights]) == {about: 1}
    store.close()
    again = open_store(str(tmp_path / "store.sqlite3"), "crawl-2")  # the next crawl starts knowing the site
    again.record_template_pages(SITE, {"https://planet.example/1": [about, rights]}, "2026-12-02T10:00:00+00:00")
    assert again.template_counts(SITE, [about]) == {about: 2}
    again.close()


def test_the_memory_is_bounded_and_rare_blocks_age_out_first(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "store.sqlite3"), "crawl-1", template_max_fingerprints=4)
    about = fingerprint("About the Planet")
    for page in range(6):  # the template block on every page, one block of its own per page
        store.record_template_pages(SITE, {f"https://planet.example/{page}": [about, fingerprint(_line(page))]},
                                   f"2026-12-01T10:0{page}:00+00:00")
    with sqlite3.connect(tmp_path / "store.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM site_templates WHERE site = ?", (SITE,)).fetchone() == (4,)
    marks = [fingerprint(_line(page)) for page in range(6)]
    counts = store.template_counts(SITE, [about, *marks])
    assert counts == {about: 6, marks[3]: 1, marks[4]: 1, marks[5]: 1}  # the oldest single-page blocks went
    store.close()


def test_counts_of_many_fingerprints_at_once(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store.sqlite3"), "crawl-1")
    marks = [fingerprint(_line(n)) for n in range(1200)]  # more than SQLite binds in one statement
    store.record_template_pages(SITE, {"https://planet.example/1": marks}, "2026-12-01T10:00:00+00:00")
    assert store.template_counts(SITE, marks) == dict.fromkeys(marks, 1)
    store.close()


def test_a_worker_unpacks_what_is_new_in_a_sites_template() -> None:
    about, rights, other = fingerprint("About the Planet"), fingerprint("© 2024 Planet Media"), fingerprint("Other")
    assert set(PackedTemplate("unpack-test", about, 30).unpack().fingerprints) == {about}
    assert set(PackedTemplate("unpack-test", about + rights, 30).unpack().fingerprints) == {about, rights}
    assert set(PackedTemplate("unpack-test", other, 30).unpack().fingerprints) == {other}  # not a continuation: anew
    assert set(PackedTemplate("unpack-test-2", "", 30).unpack().fingerprints) == set()
