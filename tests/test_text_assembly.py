"""Text assembly: blocks from trafilatura's output tree, with words and Unicode form as a reader sees them."""

from __future__ import annotations

from cleaners import clean
from tests.markup import STORY, page

URL = "https://planet.example/city/2024/05/14/tram-extension"


def _blocks(markup: str) -> list[str]:
    return clean(markup, URL)["text"].split("\n\n")


def test_paragraphs_of_a_layout_cell_are_blocks_of_their_own() -> None:
    story = "".join(f"<p>{text}</p>" for text in STORY)
    markup = f"""<html><head><title>Tram extension</title></head><body><table><tr>
<td class="menu"><a href="/">Home</a><br><a href="/city">City news</a><br><a href="/sport">Sport</a></td>
<td class="main"><h1>Council approves tram extension</h1>{story}</td></tr></table></body></html>"""
    blocks = _blocks(markup)
    for text in STORY:
        assert text in blocks, blocks
    assert not [block for block in blocks if "Home" in block and "council" in block]


def test_a_data_table_row_stays_one_block() -> None:
    table = "<table><tr><td>Northgate</td><td>2027</td></tr><tr><td>Riverside</td><td>2028</td></tr></table>"
    assert "Northgate 2027" in _blocks(page(table))


def test_soft_hyphens_and_zero_width_spaces_leave_whole_words() -> None:
    hyphenated = "<p>The trans\u00adport com\u00admittee met on Thurs\u200bday, a spokes\u2060woman said.</p>"
    text = clean(page(hyphenated), URL)["text"]
    assert "The transport committee met on Thursday, a spokeswoman said." in text
    assert not {"\u00ad", "\u200b", "\u2060"} & set(text)


def test_joiners_that_spelling_needs_are_kept() -> None:
    persian = "<p>\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \u0628\u0631\u0648\u0645 \u062e\u0627\u0646\u0647.</p>"
    assert "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645" in clean(page(persian), URL)["text"]


def test_text_is_in_unicode_normal_form_c() -> None:
    decomposed = "<p>The cafe\u0301 on Ha\u0308ndelstrasse reopened on Monday after the works.</p>"
    assert "The caf\u00e9 on H\u00e4ndelstrasse reopened on Monday after the works." in clean(page(decomposed), URL)["text"]
