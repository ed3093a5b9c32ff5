"""Where the public benchmark data lives, and its pages with their ground truth.

The bench root is ``$CLEANCRAWL_BENCH_DIR`` or ``../shared/bench`` beside the repository;
each set is a directory of it (``zyte/``, ``wcxb/``). Pages are read in place, never copied.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_ENV = "CLEANCRAWL_BENCH_DIR"
DEFAULT_BENCH_ROOT = ROOT / ".." / "shared" / "bench"
SETS = ("zyte", "wcxb")
ARTICLE_TYPE = "article"


class BenchDataMissing(Exception):
    """The benchmark directory or one of its files is missing."""


def bench_root() -> Path:
    """The directory holding the sets: ``$CLEANCRAWL_BENCH_DIR`` or ``../shared/bench``."""
    override = os.environ.get(BENCH_ENV)
    return Path(override) if override else DEFAULT_BENCH_ROOT.resolve()


def set_dir(name: str) -> Path:
    """One set's directory under the bench root."""
    return bench_root() / name


@dataclass(frozen=True)
class Page:
    """One benchmark page and its ground truth (metadata fields only where the set has them)."""

    set: str
    id: str
    url: str
    html_path: Path
    truth: str
    page_type: str = ARTICLE_TYPE
    domain: str = ""
    title: str | None = None
    author: str | None = None
    date: str | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()

    @property
    def is_article(self) -> bool:
        return self.page_type == ARTICLE_TYPE


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise BenchDataMissing(f"benchmark data not found: {path} is missing (set {BENCH_ENV} to the directory "
                               f"holding {', '.join(f'{name}/' for name in SETS)})")
    return json.loads(path.read_text("utf-8"))


def _html_path(directory: Path, page_id: str) -> Path:
    path = directory / "html" / f"{page_id}.html.gz"
    if not path.is_file():
        raise BenchDataMissing(f"benchmark data incomplete: {path} is missing")
    return path


def load_zyte(directory: Path | None = None) -> list[Page]:
    """The Zyte article-extraction pages (``ground-truth.json``: url and articleBody by id), sorted by id."""
    directory = directory or set_dir("zyte")
    truth = _read_json(directory / "ground-truth.json")
    return [Page("zyte", page_id, truth[page_id]["url"], _html_path(directory, page_id),
                 truth[page_id].get("articleBody") or "") for page_id in sorted(truth)]


def load_wcxb(directory: Path | None = None) -> list[Page]:
    """The WCXB development pages (``pages.json`` and ``ground-truth/<id>.json``), sorted by id."""
    directory = directory or set_dir("wcxb")
    index = _read_json(directory / "pages.json")
    pages = []
    for page_id in sorted(index):
        truth_path = directory / "ground-truth" / f"{page_id}.json"
        if not truth_path.is_file():
            raise BenchDataMissing(f"benchmark data incomplete: {truth_path} is missing")
        entry = json.loads(truth_path.read_text("utf-8"))
        truth = entry["ground_truth"]
        pages.append(Page(
            "wcxb", page_id, entry["url"], _html_path(directory, page_id), truth.get("main_content") or "",
            page_type=index[page_id]["page_type"], domain=index[page_id].get("domain") or "",
            title=truth.get("title"), author=truth.get("author"), date=truth.get("publish_date"),
            with_snippets=tuple(truth.get("with") or ()), without_snippets=tuple(truth.get("without") or ()),
        ))
    return pages


LOADERS = {"zyte": load_zyte, "wcxb": load_wcxb}
