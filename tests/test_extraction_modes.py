"""trafilatura's two modes: precision always, balanced only when its blocks may fill a gap in precision's text."""

from __future__ import annotations

from cleaners.clean import parse_html
from cleaners.text import SHORT_TEXT_WORDS, _balanced_may_win, _blocks, _may_have_gaps, _words, extract_blocks
from tests.markup import STORY, page

# A boxed section inside the story: precision drops bordered boxes, balanced keeps them.
BOXED = ("<div style='border: 1px solid #ccc'><p>Residents of the northern suburbs have waited since 2014 for the"
         " line, and many of them said at the meeting that they would believe in the trams only once they saw them."
         "</p></div>")
TEASER = ("<div style='border: 1px solid #ccc'><p>Read more from the city desk: how the council's budget for the coming"
          " year was drawn up, who argued for which cuts, and what it means for the bus routes.</p></div>")


def test_a_section_precision_drops_between_story_paragraphs_is_filled_in() -> None:
    tree = parse_html(page(BOXED, story=STORY * 2))
    precise = _blocks(tree, None, precision=True)
    assert not any("waited since 2014" in block for block in precise)
    assert _may_have_gaps(tree, precise)
    assert any("waited since 2014" in block for block in extract_blocks(tree, None))


def test_balanced_is_skipped_when_precision_kept_every_text_of_the_story() -> None:
    tree = parse_html(page(story=STORY * 2))
    precise = _blocks(tree, None, precision=True)
    assert not _may_have_gaps(tree, precise)
    assert extract_blocks(tree, None) == precise


def test_a_text_after_the_kept_story_is_no_gap() -> None:
    # The fill takes balanced's blocks between precision's, never after its last: balanced is not needed.
    tree = parse_html(page(TEASER, after=len(STORY) * 2, story=STORY * 2))
    precise = _blocks(tree, None, precision=True)
    assert not any("city desk" in block for block in precise)
    assert not _may_have_gaps(tree, precise)


def test_a_short_text_runs_balanced_only_if_the_tree_holds_five_times_its_words() -> None:
    tree = parse_html(page(story=STORY[:1]))
    precise = _blocks(tree, None, precision=True)
    assert _words(precise) < SHORT_TEXT_WORDS
    assert not _balanced_may_win(tree, _words(precise)) and not _may_have_gaps(tree, precise)
    assert extract_blocks(tree, None) == precise
    # The same text beside a footer of five times its words: balanced may find a story precision missed.
    html = page(story=STORY[:1]).replace("<p>(c) 2024 The Daily Planet</p>", f"<p>{' '.join(STORY * 2)}</p>")
    assert _balanced_may_win(parse_html(html), _words(precise))
