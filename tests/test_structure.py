"""A story cut into sibling chunks is extracted whole; repeated comment containers are not merged."""

from __future__ import annotations

from lxml.html import fromstring

from cleaners import clean
from cleaners.structure import merge_split_body, show_streamed_parts
from tests.markup import STORY

SECOND_HALF = [
    "The transport committee will meet again in June to choose a contractor from the three firms that bid for the work.",
    "Residents of the northern suburbs have campaigned for the extension since the first line opened twenty years ago.",
    "The council said it would publish the full business case on its website before the June meeting takes place.",
]


def _chunk(paragraphs: list[str]) -> str:
    return '<div class="body-chunk narrow">' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"


def split_page() -> str:
    return f"""<html><head><title>Tram extension</title><meta property="og:type" content="article"></head><body>
    <article><h1>Council approves tram extension</h1><div class="chunks">
    {_chunk(STORY)}<div class="ad-rail"><div id="gpt-ad-3"></div></div>{_chunk(SECOND_HALF)}
    </div></article><aside class="sidebar"><p>Weather: sunny, 21C</p></aside></body></html>"""


def test_split_story_is_extracted_whole() -> None:
    record = clean(split_page(), "https://planet.example/a")
    for paragraph in STORY + SECOND_HALF:
        assert paragraph in record["text"]


def test_comment_lists_are_not_merged() -> None:
    comments = "".join(f'<div class="comment-body"><p>{p}</p><p>{p}</p></div>' for p in SECOND_HALF)
    root = fromstring(f"<html><body><section>{comments}</section></body></html>")
    assert merge_split_body(root) == 0
    assert len(root.findall(".//div")) == 3


def test_story_text_between_chunks_keeps_its_place() -> None:
    # A one-paragraph chunk and a pull quote between two full chunks: merged along, in order; the ad stays out.
    lone = "Without a deadline, both sides have lost the pressure that would have pushed them to a final agreement."
    quote = "We will build it, and we will build it on time, the mayor told the packed council chamber on Tuesday."
    root = fromstring(f"""<html><body><div class="chunks">{_chunk(STORY)}<div class="ad-rail"><p>Ad</p></div>
        <div class="body-chunk narrow"><p>{lone}</p></div><section class="quote"><blockquote><p>{quote}</p></blockquote>
        </section>{_chunk(SECOND_HALF)}</div></body></html>""")
    assert merge_split_body(root) == 1
    first = root.find(".//div[@class='body-chunk narrow']")
    order = [" ".join(p.text_content().split()) for p in first.iter("p")]
    assert order == [*STORY, lone, quote, *SECOND_HALF]
    assert root.find(".//div[@class='ad-rail']").getparent() is not first


def _paragraphs(element) -> list[str]:
    return [" ".join(p.text_content().split()) for p in element.iter("p")]


def test_a_group_interleaved_with_one_merged_before_merges_what_is_left_of_it() -> None:
    # The "lead" chunks' merge moves the first "more" chunk along; the two "more" chunks after it still merge.
    def chunk(kind: str, paragraphs: list[str]) -> str:
        return f'<div class="{kind}">' + "".join(f"<p>{p}</p>" for p in paragraphs) + "</div>"
    root = fromstring(f"""<html><body><div class="page">{chunk("lead", STORY[:2])}{chunk("more", SECOND_HALF[:2])}
        {chunk("lead", STORY[2:] * 2)}<div class="ad-rail"></div>{chunk("more", SECOND_HALF[1:])}<div class="ad-rail"></div>
        {chunk("more", SECOND_HALF)}</div></body></html>""")
    assert merge_split_body(root) == 2
    lead, more = root.find(".//div[@class='lead']"), root.findall("body/div/div[@class='more']")
    assert _paragraphs(lead) == [*STORY[:2], *SECOND_HALF[:2], *STORY[2:] * 2]
    assert len(more) == 1 and _paragraphs(more[0]) == [*SECOND_HALF[1:], *SECOND_HALF]


def test_repeated_boxes_in_a_story_that_runs_in_its_parent_are_not_merged() -> None:
    # Quote boxes with two paragraphs each, between the story's own paragraphs: merging them would pull the
    # story into the first box.
    quote = '<figure class="quote-box"><p>{}</p><p>{}</p></figure>'.format(*SECOND_HALF[:2])
    story = "".join(f"<p>{p}</p>" for p in STORY)
    root = fromstring(f'<html><body><div class="rich-text">{story}{quote}{story}{quote}{story}</div></body></html>')
    assert merge_split_body(root) == 0
    assert _paragraphs(root) == [*STORY, *SECOND_HALF[:2], *STORY, *SECOND_HALF[:2], *STORY]


def _streamed_page(part_ids: list[str], placeholders: list[str]) -> str:
    templates = "".join(f'<!--$?--><template id="{key}"></template><div class="spinner">Loading</div><!--/$-->'
                        for key in placeholders)
    parts = "".join(f'<div hidden id="{key}"><p>{paragraph}</p></div>' for key, paragraph in zip(part_ids, STORY))
    return f"""<html><head><title>Tram extension</title></head><body><nav><a href="/">Home</a></nav>
    <main><h1>Council approves tram extension</h1>{templates}</main>
    <footer><p>(c) 2024 The Daily Planet</p></footer>{parts}</body></html>"""


def test_a_streamed_story_of_a_react_page_is_shown() -> None:
    # React's streamed rendering sends the story hidden at the body's end, one part for each boundary; a script
    # (not run here) shows them. Each part is too small a share of the story for the story guard to keep it.
    parts = [f"S:{n}" for n in range(len(STORY))]
    for prefix in ("B:", "P:"):
        placeholders = [f"{prefix}{n}" for n in range(len(STORY))]
        assert show_streamed_parts(fromstring(_streamed_page(parts, placeholders))) == len(STORY)
        record = clean(_streamed_page(parts, placeholders), "https://planet.example/a")
        for paragraph in STORY:
            assert paragraph in record["text"], prefix
        assert "hidden_element" not in record["removed"]


def test_a_hidden_part_without_its_placeholder_stays_hidden() -> None:
    root = fromstring(_streamed_page(["S:7"], ["B:3"]))
    assert show_streamed_parts(root) == 0
    assert root.find(".//div[@id='S:7']").get("hidden") is not None
