"""The story guard: whatever a block rule asks for, the story and the containers holding most of it stay."""

from __future__ import annotations

import pytest

from cleaners import clean
from cleaners.blocks import remove_blocks
from cleaners.clean import parse_html
from tests.markup import STORY, page

URL = "https://planet.example/city/2024/05/14/tram-extension"
PARAGRAPHS = "".join(f"<p>{text}</p>" for text in STORY)
BRIEF = ["The harbour ferry will run every twenty minutes from Monday, the operator said on Friday evening."]


def _page(body: str, *, body_class: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Tram extension</title>
<meta property="og:type" content="article"></head><body class="{body_class}">{body}</body></html>"""


NAV = '<div class="nav"><a href="/">Home</a> <a href="/city">City</a> <a href="/about">About us</a></div>'

# Each case: a page whose story sits where a rule would claim it, the story paragraphs, the rule the guard stops.
STORY_LOSS = {
    # A post wrapper: title, meta line, share row and one child with the whole story looks like a teaser list.
    "post_wrapper_as_teaser_list": (
        _page(f"""{NAV}<div class="post">
<h2 class="post-title"><a href="/city/2024/05/14/tram-extension">Council approves tram extension to the north</a></h2>
<div class="post-meta"><a href="/author/ana-ruiz">Ana Ruiz Vidal</a> <time datetime="2024-05-14">14 May 2024</time></div>
<div class="post-share"><a href="/share?to=facebook">Share on Facebook</a> <a href="/share?to=x">Share on X</a></div>
<div class="post-entry">{PARAGRAPHS}</div></div>"""),
        STORY,
        "related_stories",
    ),
    # A page wrapped in one form (old ASP.NET sites) that has an e-mail field somewhere.
    "page_form_as_newsletter_box": (
        _page(f"""<form id="aspnetForm" action="/default.aspx" method="post">{NAV}
<div class="content"><h2>Council approves tram extension</h2>{PARAGRAPHS}</div>
<div class="footer"><label>Your e-mail</label> <input type="text" name="txtEmail"></div></form>"""),
        STORY,
        "newsletter_box",
    ),
    # A short brief with its share links: the share row climbs to the story's container.
    "share_bar_climbing_to_the_story": (
        _page(f"""{NAV}<div class="brief"><p>{BRIEF[0]}</p>
<a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a>
<a href="https://twitter.com/intent/tweet?url=x">X</a></div>"""),
        BRIEF,
        "share_bar",
    ),
    # A wrapper whose class merely contains "caption" around a short story.
    "caption_class_on_the_story_wrapper": (
        _page(f"""{NAV}<div class="entry-body has-captions"><p>{STORY[0]}</p><p>{BRIEF[0]}</p></div>"""),
        [STORY[0], BRIEF[0]],
        "caption",
    ),
}


@pytest.mark.parametrize("case", sorted(STORY_LOSS))
def test_guard_keeps_the_story(case: str) -> None:
    markup, story, rule = STORY_LOSS[case]
    record = clean(markup, URL)
    for paragraph in story:
        assert paragraph in record["text"], f"{case}: lost {paragraph[:40]!r}; removed={record['removed']}"
    assert record["guarded"].get(rule, 0) >= 1, record["guarded"]


def test_an_inline_image_and_a_bold_word_in_a_sentence_are_no_caption() -> None:
    sentence = ('<p>The new trams <img src="/img/icon-tram.png" alt=""> will carry <b>twice</b> as many'
                " passengers as the old ones.</p>")
    record = clean(page(sentence), URL)
    assert "will carry twice as many passengers as the old ones." in record["text"], record["removed"]
    assert "caption" not in record["removed"]


def test_an_illustrated_paragraph_and_a_figure_around_a_table_are_no_captions() -> None:
    illustrated = f'<div class="section"><p><img src="/img/depot.jpg" alt=""></p><p>{STORY[1]}</p></div>'
    table = ('<figure class="table"><table><tr><th>Stop</th><th>Opens</th></tr>'
             "<tr><td>Northgate</td><td>2027</td></tr></table></figure>")
    record = clean(page(illustrated + table, story=[STORY[0], STORY[2], STORY[3]]), URL)
    assert STORY[1] in record["text"] and "Northgate" in record["text"], record["removed"]
    assert "caption" not in record["removed"]


def test_a_refused_teaser_list_keeps_its_heading() -> None:
    # Each item is a headline and a long paragraph: read as teasers, but the list is the whole story.
    items = "".join(f'<li><h3><a href="/part/{n}">Part {n} of the plan</a></h3><p>{text}</p></li>'
                    for n, text in enumerate(STORY, 1))
    tree = parse_html(_page(f'{NAV}<h2>The plan in four parts</h2><ul class="parts">{items}</ul>'))
    removed, guarded = remove_blocks(tree)
    assert guarded == {"related_stories": 1} and removed == {}
    assert [h2.text for h2 in tree.iter("h2")] == ["The plan in four parts"]
