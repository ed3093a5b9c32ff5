"""Seed files are validated before any request: errors name the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.seeds import SeedError, load_seeds
from tests.conftest import PROJECT_ROOT


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "seeds").glob("*.*")), ids=lambda p: p.name)
def test_bundled_seed_files_are_valid(path: Path) -> None:
    assert load_seeds(path)


def test_jsonl_site(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('# comment\n\n{"start_urls": ["https://news.example.com/"], "feeds": ["https://news.example.com/rss"],'
                    ' "languages": ["EN"], "max_depth": 2, "max_age_days": 1.5}\n', encoding="utf-8")
    [site] = load_seeds(path)
    assert site.name == "news.example.com" and site.allowed_domains == ("news.example.com",)
    assert site.languages == ("en",) and site.max_depth == 2 and site.max_age_days == 1.5
    assert site.robots_urls() == ["https://news.example.com/robots.txt"]
    assert site.allows("https://www.news.example.com/a") and not site.allows("https://example.com/a")


@pytest.mark.parametrize(
    ("content", "line", "problem"),
    [
        ('{"start_urls": ["https://a.example/"]}\n{"start_urls": "https://b.example/"}\n', 2, "start_urls must be a list"),
        ('{"start_urls": ["ftp://a.example/"]}\n', 1, "not an absolute http(s) URL"),
        ('{"start_urls": ["https://a.example/"], "depth": 3}\n', 1, "unknown key(s) depth"),
        ('\n\n{"start_urls": ["https://a.example/"],}\n', 3, "invalid JSON"),
        ('{"name": "x"}\n', 1, "needs at least one of"),
        ('{"start_urls": ["https://a.example/"], "max_depth": -1}\n', 1, "max_depth must be a non-negative number"),
        ('{"start_urls": ["https://a.example/"], "allowed_domains": ["https://a.example"]}\n', 1, "bare names"),
        ('["https://a.example/"]\n', 1, "JSON object"),
    ],
)
def test_bad_jsonl_names_file_line_and_problem(tmp_path: Path, content: str, line: int, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SeedError) as raised:
        load_seeds(path)
    assert str(raised.value).startswith(f"{path}:{line}: ")
    assert problem in str(raised.value)


def test_plain_list(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("https://a.example/\n# x\nnot a url\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"list.txt:3: not an absolute"):
        load_seeds(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "none.txt"
    path.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(SeedError, match="lists no site"):
        load_seeds(path)
