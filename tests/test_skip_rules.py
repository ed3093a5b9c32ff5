"""``cleaners.clean(..., skip_rules=...)``: a named block or line rule is not applied, the others are."""

from __future__ import annotations

from cleaners import clean
from cleaners.lines import remove_lines
from tests.markup import STORY, page

URL = "https://planet.example/city/2024/05/14/tram-extension"
CAPTION = '<div class="pic"><img src="/depot.jpg"><p>Trams wait at the northern depot before dawn.</p></div>'
READING_TIME = "<p>3 min read</p>"
HTML = page(CAPTION + READING_TIME)


def test_every_rule_applies_by_default() -> None:
    record = clean(HTML, URL)
    assert {"caption", "reading_time"} <= set(record["removed"])
    assert "Trams wait at the northern depot" not in record["text"] and "3 min read" not in record["text"]


def test_a_skipped_block_rule_leaves_its_block_and_the_line_rules_still_run() -> None:
    record = clean(HTML, URL, skip_rules={"caption"})
    assert "caption" not in record["removed"] and "reading_time" in record["removed"]
    assert "Trams wait at the northern depot" in record["text"] and "3 min read" not in record["text"]


def test_a_skipped_line_rule_leaves_its_line() -> None:
    record = clean(HTML, URL, skip_rules=("reading_time",))
    assert "reading_time" not in record["removed"] and "caption" in record["removed"]
    assert "3 min read" in record["text"]


def test_run_rules_can_be_skipped_too() -> None:
    blocks = ["Harbour bridge repairs slip again", "By Tess Foley Published", *STORY]
    assert remove_lines(blocks)[1] == {"teaser_card": 1, "teaser_byline": 1}
    kept, removed = remove_lines(blocks, skip_rules={"teaser_card"})
    assert kept == [blocks[0], *STORY] and removed == {"teaser_byline": 1}
