"""Golden files: every page of the demo site, cleaned offline, gives its expected text and metadata.

Each publisher prints its own boilerplate on all its articles, which only the site template
removes: as ``python -m cleaners --learn-templates`` does, the articles' templates are learned
from all of them first, then each is cleaned of its site's template.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from cleaners import clean
from cleaners.templates import apply, learn
from fixtures.site import golden_pages, leftover_clutter, render

BASE = "http://127.0.0.1:8000"
PAGES = list(golden_pages())
ARTICLES = [(path, golden) for path, golden in PAGES if golden["is_article"]]


def _clean(path: str) -> dict[str, Any]:
    served = render(path, BASE)
    assert served is not None, f"{path} is not in the built site"
    body, content_type = served
    return clean(body, BASE + path, content_type=content_type)


def test_the_demo_site_is_big_enough() -> None:
    languages = {golden["language"] for _, golden in ARTICLES}
    assert len(ARTICLES) >= 30
    assert {"de", "fr", "es", "ru", "uk"} <= languages
    assert len({golden["site"] for _, golden in ARTICLES}) >= 4


@pytest.fixture(scope="module")
def learned() -> tuple[dict[str, dict[str, Any]], dict[str, set[str]]]:
    """Every article cleaned alone, and the sites' templates learned from all of them."""
    records = {path: _clean(path) for path, _ in ARTICLES}
    return records, learn(records.values())


@pytest.mark.parametrize(("path", "golden"), ARTICLES, ids=[path for path, _ in ARTICLES])
def test_article_matches_golden(path: str, golden: dict[str, Any], record_validator: jsonschema.Draft202012Validator,
                                learned: tuple[dict[str, dict[str, Any]], dict[str, set[str]]]) -> None:
    records, templates = learned
    alone = records[path]
    assert leftover_clutter(golden["clutter"], alone["text"]), "the site boilerplate is on the page"
    record = apply(alone, templates[alone["site"]])
    record_validator.validate(record)
    assert leftover_clutter(golden["clutter"], record["text"]) == []
    assert record["text"] == golden["text"]
    assert record["is_article"] is True
    assert record["title"] == golden["title"]
    assert record["authors"] == golden["authors"]
    assert record["date_published"] == golden["date_published"]
    assert record["date_modified"] == golden["date_modified"]
    assert record["language"] == golden["language"]
    assert record["site"] == golden["site"]
    assert record["canonical_url"] == BASE + golden["canonical_path"]
    assert record["description"] == golden["description"]
    assert record["tags"] == golden["tags"]


NON_ARTICLES = [(path, golden) for path, golden in PAGES if not golden["is_article"]]


@pytest.mark.parametrize(("path", "golden"), NON_ARTICLES, ids=[path for path, _ in NON_ARTICLES])
def test_non_article_is_recognised(path: str, golden: dict[str, Any]) -> None:
    record = _clean(path)
    assert record["is_article"] is False, record["text"][:300]
    assert record["not_article_reason"]
