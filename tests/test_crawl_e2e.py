"""End to end: ``make crawl``'s demo, a real crawl of the demo site over HTTP on 127.0.0.1, run twice."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from cleaners.lines import remove_lines
from cleaners.templates import fingerprint
from crawler.store import open_store
from fixtures.l10n import SITE_BOILERPLATE
from fixtures.site import golden_pages, leftover_clutter
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.e2e

EXPECTED = {golden["canonical_path"]: golden for _, golden in golden_pages()
            if golden["is_article"] and not golden.get("robots_disallowed")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_demo(output: Path, port: int) -> str:
    done = subprocess.run([sys.executable, "-m", "fixtures.demo", "--output", str(output), "--port", str(port)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def summary_value(summary: str, label: str) -> str:
    line = next(line for line in summary.splitlines() if line.strip().startswith(label))
    return line.split(":", 1)[1].strip()


# A paragraph of story length on either side of a line, so that the line rules judge it as they do inside an article.
STORY_LIKE = " ".join(["The council met on Tuesday to discuss the harbour plan."] * 4)


def template_memory(output: Path) -> dict[str, int]:
    with sqlite3.connect(output / "articles.sqlite3") as db:
        return dict(db.execute("SELECT fingerprint, pages FROM site_templates WHERE site = 'demo'").fetchall())


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    output = tmp_path_factory.mktemp("demo")
    port = free_port()  # the same in both runs: the site's URLs must not change
    first = run_demo(output, port)
    (output / "memory-after-first-run.json").write_text(json.dumps(template_memory(output)), "utf-8")
    second = run_demo(output, port)
    return output, first, second


def _records(output: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (output / "articles.jsonl").read_text("utf-8").splitlines()]


def test_every_article_is_saved_once_and_clean(crawled: tuple[Path, str, str],
                                               record_validator: jsonschema.Draft202012Validator) -> None:
    output, first, _ = crawled
    records = _records(output)
    paths = [str(record["canonical_url"]).split("/", 3)[3] for record in records]
    assert sorted("/" + path for path in paths) == sorted(EXPECTED)
    for record in records:
        record_validator.validate(record)
        golden = EXPECTED["/" + str(record["canonical_url"]).split("/", 3)[3]]
        assert record["text"] == golden["text"]
        assert leftover_clutter(golden["clutter"], str(record["text"])) == []
        assert record["event"] == "new" and record["fetched_at"]
    assert summary_value(first, "articles saved").startswith(f"{len(EXPECTED)} (new {len(EXPECTED)}")


def test_every_publishers_boilerplate_is_learned_and_gone_from_all_its_articles(crawled: tuple[Path, str, str]) -> None:
    output, _, _ = crawled
    records = _records(output)  # in the order they were saved: the first ones crawled come first
    memory = template_memory(output)
    for key, lines in SITE_BOILERPLATE.items():
        mine = [r for r in records if str(r["canonical_url"]).split("/")[3] == key]
        boilerplate = [line.format(year=str(r["date_published"])[:4]) for r in mine for line in lines]
        golden_clutter = {line for r in mine for line in EXPECTED["/" + str(r["canonical_url"]).split("/", 3)[3]]["clutter"]}
        assert set(boilerplate) <= golden_clutter  # printed on every page of the publisher
        assert not [line for line in boilerplate if any(line in str(r["text"]) for r in mine)]
        for line in (line.format(year=2024) for line in lines):
            if (count := memory.get(fingerprint(line))) is not None:
                assert count == len(mine)  # each page counted once
            else:  # a phrase rule removes it before the template memory sees the page's blocks
                (rule,) = remove_lines([STORY_LIKE, line, STORY_LIKE])[1]
                assert all(rule in r["removed"] for r in mine)
        assert any(fingerprint(line.format(year=2024)) in memory for line in lines)
    assert json.loads((output / "memory-after-first-run.json").read_text("utf-8")) == memory  # re-running adds nothing


def test_the_store_holds_the_same_articles(crawled: tuple[Path, str, str]) -> None:
    output, _, _ = crawled
    store = open_store(str(output / "articles.sqlite3"))
    stored = store.records()
    store.close()
    assert sorted(record["canonical_url"] for record in stored) == sorted(str(r["canonical_url"]) for r in _records(output))


def test_non_articles_and_robots_are_dropped_with_reasons(crawled: tuple[Path, str, str]) -> None:
    _, first, _ = crawled
    assert "not_article/too_short" in first and "not_article/listing_page" in first
    assert "robotstxt/forbidden: 1" in first


def test_second_run_saves_nothing_and_downloads_no_article_again(crawled: tuple[Path, str, str]) -> None:
    _, _, second = crawled
    assert summary_value(second, "articles saved").startswith("0 (new 0, updated 0)")
    assert summary_value(second, "already saved") == f"unchanged 0, not re-downloaded {len(EXPECTED)}"
