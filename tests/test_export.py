"""``python -m crawler.export``: the store's new and updated articles since a time, as JSON lines, from either backend."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from crawler.export import store_time
from crawler.store import open_store
from tests.conftest import PROJECT_ROOT
from tests.records import article, story_text


def run_export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crawler.export", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_export_writes_new_and_updated_articles(store_url: str, tmp_path: Path,
                                                record_validator: jsonschema.Draft202012Validator) -> None:
    first = open_store(store_url, "crawl-1")
    for n in range(3):
        first.save(article(n))
    first.close()
    second = open_store(store_url, "crawl-2")
    second.save(article(1, text=story_text(1) + " Correction: the depot opens in May."))
    second.close()

    output = tmp_path / "out" / "export.jsonl"
    output.parent.mkdir()
    done = run_export("--store", store_url, "--since", "2000-01-01", "--output", str(output))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in output.read_text("utf-8").splitlines()]
    for record in records:
        record_validator.validate(record)
    assert sorted((record["url"], record["event"]) for record in records) == \
        [(article(0)["url"], "new"), (article(1)["url"], "updated"), (article(2)["url"], "new")]
    assert "3 article(s) saved since 2000-01-01T00:00:00Z: new 2, updated 1" in done.stderr
    assert not list(output.parent.glob("*.partial"))

    later = run_export("--store", store_url, "--since", "2999-01-01T00:00:00+02:00")
    assert later.returncode == 0 and later.stdout == ""
    assert "0 article(s) saved since 2998-12-31T22:00:00Z" in later.stderr


def test_export_errors_are_specific(tmp_path: Path) -> None:
    done = run_export("--store", "mysql://127.0.0.1/db")
    assert done.returncode == 2 and "unsupported store URL mysql://" in done.stderr
    done = run_export("--store", str(tmp_path / "s.sqlite3"), "--since", "yesterday")
    assert done.returncode == 2 and "not an ISO 8601 date or time: 'yesterday'" in done.stderr


def test_store_time() -> None:
    assert store_time("2026-12-01") == "2026-12-01T00:00:00Z"
    assert store_time("2026-12-01T10:30:15.5+01:00") == "2026-12-01T09:30:15Z"
