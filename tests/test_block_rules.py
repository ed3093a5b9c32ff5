"""Each block rule on markup written for it: it fires on furniture and leaves story text alone."""

from __future__ import annotations

import pytest

from cleaners import clean
from tests.markup import STORY, page

URL = "https://planet.example/city/2024/05/14/tram-extension"

FIRES = {
    "newsletter_box": (
        """<div class="nl-signup"><h3>Sign up for The Daily Planet's Free Newsletters</h3>
        <p>From our morning briefing to our weekly picks, get the best of the Planet delivered to your inbox.</p>
        <form action="/subscribe"><input type="email" name="email" placeholder="Your email"><button>Sign up</button></form></div>""",
        ["Sign up for The Daily Planet", "delivered to your inbox"],
    ),
    "newsletter_box/promo": (
        """<div class="box-23"><p>Subscribe to The Daily Planet</p>
        <p>Escape the noise. Get the facts behind the headlines, plus analysis from every side.</p>
        <a class="btn" href="/subscribe">SUBSCRIBE &amp; SAVE</a></div>""",
        ["Subscribe to The Daily Planet", "Escape the noise", "SUBSCRIBE"],
    ),
    "related_stories": (
        """<section class="more"><h2>More from The Daily Planet</h2><ul>"""
        + "".join(
            f"""<li><a href="/story/{n}">Why the harbour bridge repairs keep slipping, part {n}</a>
            <p>The Explainer Engineers blame supply problems for the latest delay</p>
            <p>By Tess Foley <time datetime="2023-0{n}-01">Published</time></p></li>"""
            for n in range(1, 5))
        + "</ul></section>",
        ["harbour bridge repairs", "The Explainer", "By Tess Foley", "More from The Daily Planet"],
    ),
    "share_bar": (
        """<div class="tools"><a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a>
        <a href="https://twitter.com/intent/tweet?url=x">Share on X</a><a href="mailto:?subject=Tram">Email</a>
        <button>Copy link</button></div>""",
        ["Facebook", "Share on X", "Copy link"],
    ),
    "share_bar/tweet_button": (
        """<p>The inspectors were blunt. <span class="quote-tweet"><span class="q">Nobody should wait
        an hour for a tram in a capital city.</span><span class="q-btn">Click To Tweet</span></span></p>""",
        ["Click To Tweet"],
    ),
    "media_player": (
        """<div class="player"><video src="/v/report.mp4" controls>Your browser doesn’t support HTML5</video>
        <div class="title">Leaders in diplomatic push for tram funding</div></div>""",
        ["Your browser", "Leaders in diplomatic push"],
    ),
    "caption": (
        """<figure><img src="/img/tram.jpg" alt=""><figcaption>A tram waits at the depot on Monday.
        Photo: Jan Berg</figcaption></figure>""",
        ["A tram waits at the depot", "Jan Berg"],
    ),
    "caption/image_wrapper": (
        """<div class="media"><img src="/img/queue.jpg" alt=""><span>Residents queue outside the town hall to
        give their views on the plans.</span></div>""",
        ["Residents queue outside the town hall"],
    ),
    "advertisement": ("""<div class="slot-7"><span>Advertisement</span><div id="gpt-1"></div></div>""", ["Advertisement"]),
    "tag_list": (
        """<div class="meta">Tags: <a href="/tag/transport" rel="tag">Transport</a>,
        <a href="/tag/city-council">City council</a>, <a href="/tag/trams">Trams</a></div>""",
        ["Tags:", "City council"],
    ),
    "comment_section": (
        """<section class="talk"><h3>42 comments</h3><p>Join the conversation</p>
        <form><textarea name="body"></textarea><button>Post</button></form></section>""",
        ["42 comments", "Join the conversation"],
    ),
}


@pytest.mark.parametrize("case", sorted(FIRES))
def test_rule_fires(case: str) -> None:
    markup, clutter = FIRES[case]
    record = clean(page(markup), URL)
    for text in clutter:
        assert text not in record["text"], f"{case} left {text!r}"
    for paragraph in STORY:
        assert paragraph in record["text"]
    assert record["removed"].get(case.split("/")[0], 0) >= 1, record["removed"]


# Story text that looks like furniture: every sentence must survive, whatever rules fire elsewhere.
MUST_SURVIVE = [
    "<p>Sign-ups for the bike scheme rose by 40 percent in the first month, the council said.</p>",
    "<p>Nobody was injured.</p>",
    "<p>Subscribers to the council's text-alert service were told to boil their water until Friday.</p>",
    "<p>By Thursday, published figures showed the scheme had already paid for itself.</p>",
    "<p>Share prices fell 3 percent on Tuesday after the announcement.</p>",
    "<p>Read more widely, the report suggests the problem is national rather than local.</p>",
    "<p>Comments made by the minister on Friday drew sharp criticism from the unions.</p>",
    "<p>The video, posted on Tuesday, shows the driver leaving the scene before the police arrived.</p>",
    "<p>Advertisement regulators said the campaign had broken the code on two counts.</p>",
    "<p>Follow-up inspections found the same faults in three other depots.</p>",
    "<h2>Reaction</h2>",
    "<ul><li>Two new stations</li><li>Longer trams</li><li>A night service</li></ul>",
    "<p>'We are not giving up,' she said.</p>",
    "<p>More than 3,000 residents signed up for the scheme in its first week.</p>",
    "<p>The newsletter, which the council sends to 20,000 households, carried the warning on its front page.</p>",
    "<blockquote><p>We will build it, and we will build it on time.</p></blockquote>",
]


def _visible(markup: str) -> list[str]:
    from lxml.html import fromstring

    element = fromstring(f"<div>{markup}</div>")
    return [" ".join(t.split()) for t in element.itertext() if t.strip()]


@pytest.mark.parametrize("markup", MUST_SURVIVE)
def test_story_text_survives(markup: str) -> None:
    record = clean(page(markup), URL)
    for text in _visible(markup):
        assert text in record["text"], f"lost {text!r}; removed={record['removed']}"
    for paragraph in STORY:
        assert paragraph in record["text"]


def test_all_lookalikes_together_survive() -> None:
    record = clean(page("".join(MUST_SURVIVE)), URL)
    for markup in MUST_SURVIVE:
        for text in _visible(markup):
            assert text in record["text"], f"lost {text!r}; removed={record['removed']}"


def test_the_tweet_button_goes_and_its_quote_stays() -> None:
    markup = FIRES["share_bar/tweet_button"][0]
    record = clean(page(markup), URL)
    assert "Nobody should wait an hour for a tram in a capital city." in record["text"]
    assert "The inspectors were blunt." in record["text"]


def test_a_sentence_about_tweeting_stays() -> None:
    markup = "<p>Click to tweet, the campaign told its supporters, and thousands did within the hour.</p>"
    record = clean(page(markup), URL)
    assert "Click to tweet, the campaign told its supporters" in record["text"]


def test_a_roundup_linking_to_other_sites_is_not_related_stories() -> None:
    # Its items are the story, each linking to another site; a site's teasers of its own stories link home.
    sites = ["woodshop.example", "makers.test", "diy-home.example", "garden.test"]
    markup = "<ul>" + "".join(
        f'<li><h3><a href="https://{site}/plans/{n}">Project {n} for a small balcony</a></h3>'
        f"<p>Cheap to build in an afternoon from {site}, and sturdy enough for the winter storms.</p></li>"
        for n, site in enumerate(sites)) + "</ul>"
    record = clean(page(markup), URL)
    assert "related_stories" not in record["removed"]
    for site in sites:
        assert f"Cheap to build in an afternoon from {site}" in record["text"]
    home = markup.replace("https://", "https://planet.example/")  # the same list of the site's own pages
    assert clean(page(home, after=len(STORY)), URL)["removed"].get("related_stories") == 1


_PATCHES = [f'<a href="/patches/{n}">Fix the depot signalling fault number {n}</a>, merged after review' for n in range(5)]


@pytest.mark.parametrize(("intro", "heading", "items"), [
    ("<p>{}</p><ul>{}</ul>", "<h3>More from the Planet</h3><ul>{}</ul>", "".join(f"<li>{item}</li>" for item in _PATCHES)),
    # Generated markup (AsciiDoc, block editors) wraps each paragraph and each list in a <div> of its own.
    ('<div class="paragraph"><p>{}</p></div><div class="ulist"><ul>{}</ul></div>',
     '<div class="title"><h3>More from the Planet</h3></div><div class="ulist"><ul>{}</ul></div>',
     "".join(f"<li><p>{item}</p></li>" for item in _PATCHES)),
])
def test_a_list_the_story_introduces_is_not_related_stories(intro: str, heading: str, items: str) -> None:
    record = clean(page(intro.format("Engineers sent these fixes for review last month:", items), after=len(STORY)), URL)
    assert "related_stories" not in record["removed"]
    assert "Fix the depot signalling fault number 3" in record["text"]
    # The same list under its own heading is a teaser list.
    assert clean(page(heading.format(items), after=len(STORY)), URL)["removed"].get("related_stories", 0) >= 1


def test_paragraphs_beside_an_image_are_not_a_caption() -> None:
    section = ('<div class="brand"><figure class="pic"><img src="/img/brand.png" alt=""></figure>'
               '<div class="copy"><p>The label makes its coats from recycled wool in a small mill near Porto.</p>'
               "<p>Most items come in sizes XS to XL.</p></div></div>")
    record = clean(page(section * 3), URL)
    assert "The label makes its coats from recycled wool" in record["text"]
    assert "Most items come in sizes XS to XL." in record["text"]
    caption = '<div class="pic"><img src="/img/tram.jpg" alt=""><div class="copy">Trams at the depot.</div></div>'
    assert "Trams at the depot." not in clean(page(caption), URL)["text"]


def test_an_icon_beside_a_text_is_not_a_caption() -> None:
    item = ('<div class="feature"><div class="icon"><img src="/icons/{0}.svg" alt=""></div>'
            "<div class='copy'><p>Binding quotes guarantee the price of the {0} move will not change after signing.</p></div></div>")
    record = clean(page("".join(item.format(name) for name in ("house", "office", "piano"))), URL)
    assert "Binding quotes guarantee the price of the office move" in record["text"]
    small = '<div class="pic"><img src="/img/tram.jpg" width="64" height="64" alt=""><p>Trams at the depot.</p></div>'
    assert "Trams at the depot." in clean(page(small), URL)["text"]


def test_headlines_alone_between_two_paragraphs_are_related_stories() -> None:
    links = "".join(f'<li><a href="/city/{n}">Why the harbour bridge repairs keep slipping, part {n}</a></li>' for n in range(4))
    record = clean(page(f"<ul>{links}</ul>", after=2), URL)
    assert record["removed"].get("related_stories", 0) >= 1
    assert "harbour bridge repairs" not in record["text"]
    described = "".join(f'<li><a href="/courses/{n}">Tram driving, level {n}</a> from the city academy, rated 4.{n} by '
                        "its students</li>" for n in range(4))
    record = clean(page(f"<ul>{described}</ul>", after=2), URL)
    assert "related_stories" not in record["removed"]
