"""Hand-written article pages for the rule tests: a story with room for one inserted block."""

from __future__ import annotations

STORY = [
    "The city council voted on Tuesday to extend the tram line to the northern suburbs, ending a decade of delays"
    " that had frustrated residents and businesses along the route.",
    "The extension will add four kilometres of track and five stops, and the first trams are expected to run in the"
    " spring of 2027 if construction starts on schedule this autumn.",
    "Councillor Maria Lindqvist, who chairs the transport committee, said the decision was the most important the"
    " council had taken in years and thanked residents for their patience during the long consultation.",
    "Opposition members questioned the cost, which has risen by a third since the first estimate, and asked for an"
    " independent review of the contracts before any money is spent on the project.",
]


def page(inserted: str = "", *, after: int = 2, story: list[str] | None = None, head: str = "") -> str:
    """A news page whose article body holds the story paragraphs with ``inserted`` after paragraph ``after``."""
    paragraphs = [f"<p>{text}</p>" for text in (story or STORY)]
    paragraphs.insert(after, inserted)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Council approves tram extension | The Daily Planet</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="The Daily Planet">
{head}</head>
<body><header><nav><a href="/">Home</a> <a href="/city">City</a> <a href="/business">Business</a></nav></header>
<main><article><h1>Council approves tram extension</h1>
<div class="article-body">{''.join(paragraphs)}</div></article></main>
<footer><p>(c) 2024 The Daily Planet</p></footer></body></html>"""
