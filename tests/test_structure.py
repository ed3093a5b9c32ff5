"""A story cut into sibling chunks is extracted whole; repeated comment containers are not merged."""

from __future__ import annotations

from lxml.html import fromstring

from cleaners import clean
from cleaners.structure import merge_split_body
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
