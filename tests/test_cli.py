"""``python -m cleaners``: HTML files and folders cleaned on several workers, in input order, deduplicated, summed up."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from cleaners.templates import MIN_PAGES
from tests.conftest import PROJECT_ROOT
from tests.faultserver import STORIES, article_html
from tests.markup import STORY, page
from tests.test_bad_input import RUSSIAN

STORY_KEYS = ["harbour-dredging", "library-hours", "wind-farm", "bus-strike", "school-meals", "bridge-repairs"]


def run_cli(*args: str) -> tuple[int, list[dict[str, Any]], str]:
    done = subprocess.run([sys.executable, "-m", "cleaners", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_pages_come_out_in_input_order_deduplicated_with_a_summary(
        tmp_path: Path, record_validator: jsonschema.Draft202012Validator) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for k, key in enumerate(STORY_KEYS):  # a folder: searched recursively, in name order
        (site / f"{k:02d}-{key}.html").write_text(article_html(STORIES[key]), encoding="utf-8")
    (site / "notes.txt").write_text("not a page", encoding="utf-8")
    nested = site / "nested"
    nested.mkdir()
    (nested / "copy.html.gz").write_bytes(gzip.compress(article_html(STORIES["wind-farm"]).encode()))
    near = STORIES["harbour-dredging"]
    near_text = article_html(near).replace(near.paragraphs[-1], near.paragraphs[-1][:-1] + " again.")  # 3 bits apart
    (tmp_path / "near.html").write_text(near_text, encoding="utf-8")
    (tmp_path / "short.html").write_text("<html><body><p>Too short to be a story.</p></body></html>", encoding="utf-8")
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "broken.html.gz").write_bytes(gzip.compress(article_html(STORIES["museum-roof"]).encode())[:200])
    urls = tmp_path / "urls.txt"
    urls.write_text("# file URL\n" + "".join(f"site/{k:02d}-{key}.html https://news.example/{key}\n"
                                            for k, key in enumerate(STORY_KEYS)), encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    inputs = [str(site), str(tmp_path / "near.html"), str(tmp_path / "short.html"), str(tmp_path / "empty.html"),
              str(tmp_path / "missing.html"), str(tmp_path / "broken.html.gz")]
    code, records, stderr = run_cli("--workers", "2", "--urls", str(urls), "--url", "https://news.example/other",
                                    "--rejects", str(rejects), *inputs)
    assert code == 0, stderr
    assert [r["url"] for r in records] == [f"https://news.example/{key}" for key in STORY_KEYS]
    assert [r["source"] for r in records] == [{"path": str(site / f"{k:02d}-{key}.html")}
                                              for k, key in enumerate(STORY_KEYS)]
    for record in records:
        record_validator.validate(record)
        assert record["event"] == "new" and record["is_article"] and record["fetched_at"] is None
    assert records[0]["title"] == STORIES["harbour-dredging"].title
    not_output = {Path(r["source"]["path"]).name: r["reason"] for r in read_jsonl(rejects)}
    assert not_output == {"copy.html.gz": "duplicate", "near.html": "near_duplicate", "short.html": "not_article/too_short",
                          "empty.html": "empty_body", "missing.html": "unreadable", "broken.html.gz": "truncated_gzip"}
    summary = stderr.splitlines()
    assert summary[0].startswith("cleancrawl offline summary: 10 pages in ")
    assert summary[1:] == [
        "  cleaned:        9",
        "  articles saved: 6 (new 6, updated 0)",
        "  not articles:   1 (too_short 1)",
        "  duplicates:     2 (duplicate 1, near_duplicate 1)",
        "  errors:         3 (empty_body 1, truncated_gzip 1, unreadable 1)",
    ]


def test_one_process_gives_the_same_output(tmp_path: Path) -> None:
    files = []
    for key in STORY_KEYS[:3]:
        path = tmp_path / f"{key}.html"
        path.write_text(article_html(STORIES[key]), encoding="utf-8")
        files.append(str(path))
    _, parallel, _ = run_cli("--workers", "2", *files)
    _, alone, _ = run_cli("--workers", "0", *files)
    assert alone == parallel and [r["url"] for r in alone] == [Path(path).as_uri() for path in files]


def test_charset_rules_and_furniture_as_in_the_crawl(tmp_path: Path) -> None:
    plain = tmp_path / "story.html"
    plain.write_text(page('<div class="x"><p>Subscribe to The Daily Planet</p><a href="/s">SUBSCRIBE &amp; SAVE</a></div>'),
                     encoding="utf-8")
    russian = tmp_path / "russian.html.gz"
    russian.write_bytes(gzip.compress(page(story=RUSSIAN * 2).replace('<meta charset="utf-8">', "").encode("windows-1251")))
    output = tmp_path / "out.jsonl"
    code, stdout, _ = run_cli("-o", str(output), str(plain), str(russian))
    records = read_jsonl(output)
    assert code == 0 and stdout == [] and len(records) == 2
    assert "Subscribe" not in records[0]["text"] and records[0]["removed"]["newsletter_box"] == 1
    assert records[1]["language"] == "ru" and RUSSIAN[0] in records[1]["text"]


def test_a_store_keeps_what_earlier_runs_saved(tmp_path: Path) -> None:
    story = tmp_path / "story.html"
    story.write_text(article_html(STORIES["museum-roof"]), encoding="utf-8")
    store = tmp_path / "articles.sqlite3"
    _, first, _ = run_cli("--store", str(store), "--url", "https://news.example/museum", str(story))
    _, again, stderr = run_cli("--store", str(store), "--url", "https://news.example/museum", str(story))
    assert [r["event"] for r in first] == ["new"] and again == []
    assert "  duplicates:     1 (unchanged 1)" in stderr.splitlines()


def test_it_fails_when_every_input_fails(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    code, records, stderr = run_cli(str(empty))
    assert code == 1 and records == [] and "errors:         1 (empty_body 1)" in stderr


def test_it_learns_each_sites_template_from_the_whole_batch(tmp_path: Path) -> None:
    about = "About the Planet: an independent daily owned by its readers since 1921."
    twice = "The harbour board meets on the first Tuesday of every month."
    files = []
    for number, town in enumerate(("Arden", "Bexley", "Corran", "Dunmore", "Elgin", "Fenwick")[:MIN_PAGES]):
        extra = f"<p>{about}</p>" + (f"<p>{twice}</p>" if number < 2 else "")
        story = [f"In {town}, {line[0].lower()}{line[1:]}" for line in STORY]  # each page its own story
        path = tmp_path / f"story-{number}.html"
        path.write_text(page(extra, story=story, head=f'<link rel="canonical" href="https://planet.example/{number}">'),
                        "utf-8")
        files.append(str(path))
    code, alone, _ = run_cli("--workers", "0", *files)
    code_learned, learned, stderr = run_cli("--workers", "2", "--learn-templates", *files)
    assert code == code_learned == 0, stderr
    assert len(alone) == len(learned) == MIN_PAGES
    assert all(about in record["text"] for record in alone)
    for record in learned:
        assert about not in record["text"] and record["removed"]["site_template"] == 1
    assert twice in learned[0]["text"] and twice in learned[1]["text"]  # on two pages only: story text
