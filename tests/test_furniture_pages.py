"""Whole pages in ten languages: every sentence of the story survives cleaning, and the furniture around it goes."""

from __future__ import annotations

import jsonschema
import pytest

from cleaners import clean
from tests.multilingual_pages import PAGES, StoryPage


@pytest.mark.parametrize("page", PAGES, ids=[page.language for page in PAGES])
def test_the_story_stays_and_the_furniture_goes(page: StoryPage,
                                                record_validator: jsonschema.Draft202012Validator) -> None:
    record = clean(page.html(), f"https://planet.example/{page.language}/story")
    record_validator.validate(record)
    assert record["language"] == page.language
    assert record["authors"] == [page.author]
    assert record["text"].split("\n\n") == list(page.story)
    removed = record["removed"]
    assert removed.get("byline_name") == 1, removed
    assert removed.get("social_follow") == 1, removed
    assert removed.get("copyright_notice", 0) >= 1, removed
    # The subscription promo goes with its block (newsletter_box) or as a line (subscription_promo).
    assert removed.get("newsletter_box", 0) + removed.get("subscription_promo", 0) >= 1, removed


def test_without_its_author_in_the_metadata_a_name_line_stays() -> None:
    page = PAGES[0]
    html = page.html().replace('"author": {"@type": "Person", "name": "Anna Berg"}, ', "")
    record = clean(html, "https://planet.example/en/story")
    assert record["authors"] == []
    assert record["text"].split("\n\n")[0] == page.author
