"""trafilatura's two modes: precision always, balanced only when its blocks may fill a gap in precision's text."""

from __future__ import annotations

from cleaners.clean import parse_html
from cleaners.text import SHORT_TEXT_WORDS, Block, _balanced_may_win, _blocks, _may_have_gaps, _words, extract_blocks
from tests.markup import STORY, page

# A boxed section inside the story: precision drops bordered boxes, balanced keeps them.
BOXED = ("<div style='border: 1px solid #ccc'><p>Residents of the northern suburbs have waited since 2014 for the"
         " line, and many of them said at the meeting that they would believe in the trams only once they saw them."
         "</p></div>")
TEASER = ("<div style='border: 1px solid #ccc'><p>Read more from the city desk: how the council's budget for the coming"
          " year was drawn up, who argued for which cuts, and what it means for the bus routes.</p></div>")


def _texts(blocks: list[Block]) -> list[str]:
    return [block.text for block in blocks]


def test_a_section_precision_drops_between_story_paragraphs_is_filled_in() -> None:
    tree = parse_html(page(BOXED, story=STORY * 2))
    precise = _blocks(tree, None, precision=True)
    assert not any("waited since 2014" in block.text for block in precise)
    assert _may_have_gaps(tree, precise)
    assert any("waited since 2014" in block for block in extract_blocks(tree, None))


def test_balanced_is_skipped_when_precision_kept_every_text_of_the_story() -> None:
    tree = parse_html(page(story=STORY * 2))
    precise = _blocks(tree, None, precision=True)
    assert not _may_have_gaps(tree, precise)
    assert extract_blocks(tree, None) == _texts(precise)


def test_a_text_after_the_kept_story_is_no_gap() -> None:
    # The fill takes balanced's blocks between precision's, never after its last: balanced is not needed.
    tree = parse_html(page(TEASER, after=len(STORY) * 2, story=STORY * 2))
    precise = _blocks(tree, None, precision=True)
    assert not any("city desk" in block.text for block in precise)
    assert not _may_have_gaps(tree, precise)


def test_a_short_text_runs_balanced_only_if_the_tree_holds_five_times_its_words() -> None:
    tree = parse_html(page(story=STORY[:1]))
    precise = _blocks(tree, None, precision=True)
    assert _words(precise) < SHORT_TEXT_WORDS
    assert not _balanced_may_win(tree, _words(precise)) and not _may_have_gaps(tree, precise)
    assert extract_blocks(tree, None) == _texts(precise)
    # The same text beside a footer of five times its words: balanced may find a story precision missed.
    html = page(story=STORY[:1]).replace("<p>(c) 2024 The Daily Planet</p>", f"<p>{' '.join(STORY * 2)}</p>")
    assert _balanced_may_win(parse_html(html), _words(precise))


def test_a_paragraph_precision_drops_before_the_story_is_its_opening() -> None:
    tree = parse_html(page(BOXED, after=0, story=STORY * 2))
    precise = _blocks(tree, None, precision=True)
    assert not any("waited since 2014" in block.text for block in precise)
    assert _may_have_gaps(tree, precise)
    assert extract_blocks(tree, None)[0].startswith("Residents of the northern suburbs")


def test_a_subheading_precision_drops_is_filled_in_but_not_a_teaser_title_or_a_heading_before_the_story() -> None:
    # A subheading that links to its own anchor is a link to precision; a heading opens a section when the
    # block after it is a paragraph. A teaser's title over "Read more", or a heading before the story, does not.
    subheading = "<h3><a href='#next'>What happens next</a></h3>"
    assert "What happens next" in extract_blocks(parse_html(page(subheading, story=STORY * 2)), None)
    teaser = "<h3><a href='/city/bus-fares'>Bus fares rise again</a></h3><p><a href='/city/bus-fares'>Read</a> more</p>"
    assert "Bus fares rise again" not in extract_blocks(parse_html(page(teaser, story=STORY * 2)), None)
    assert "What happens next" not in extract_blocks(parse_html(page(subheading, after=0, story=STORY * 2)), None)


def test_a_short_line_before_the_story_is_no_opening() -> None:
    # Only balanced's long paragraphs before precision's first block open the story: not a menu line or a label.
    boxed_label = "<div style='border: 1px solid #ccc'><p>Council news, updated daily</p></div>"
    blocks = extract_blocks(parse_html(page(boxed_label + BOXED, after=0, story=STORY * 2)), None)
    assert "Council news, updated daily" not in blocks
    assert blocks[0].startswith("Residents of the northern suburbs")
