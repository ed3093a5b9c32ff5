"""Fuzzing ``cleaners.clean()``: whatever the bytes, only a ``CleanError`` may escape.

Hypothesis drives four kinds of input: random bytes, real article pages (in several
encodings) mutated with byte flips, cuts, splices and hostile tokens, random nested
markup, and random text. About 20 s in all (``max_examples`` per test, no deadline).
The atheris harness ``tests/fuzz_clean_atheris.py`` does the same, coverage-guided,
where atheris is installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaners import CleanError, clean
from tests.faultserver import FRENCH, GERMAN, JAPANESE, RUSSIAN, STORIES, article_html
from tests.markup import page

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=_HEALTH)

SEEDS = [
    page().encode(),
    article_html(STORIES["wind-farm"]).encode(),
    article_html(RUSSIAN, charset=None).encode("windows-1251"),
    article_html(JAPANESE, charset="shift_jis").encode("shift_jis"),
    article_html(GERMAN, charset=None).encode("iso-8859-1"),
    article_html(FRENCH, close_tags=False).encode("utf-16"),
]
TOKENS = [
    b"<div>", b"</div>", b"<p>", b"</p>", b"<!--", b"-->", b"<![CDATA[", b"<script>", b"</script>", b"<style>",
    b"\x00", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"&#0;", b"&#xD800;", b"&#x110000;", b"&amp", b"\r", b"\x1b",
    b'<meta charset="x-unknown">', b'<meta charset="utf-16">', b'<meta http-equiv="refresh" content="0;url=x">',
    b'<?xml version="1.0" encoding="utf-32"?>', b"<html>", b"</html>", b"<body>", b"</body>", b"<head>",
    b"<table><tr><td>", b"<svg><foreignObject>", b"<math><mi>", b"<template>", b"<noscript>", b"<iframe>",
    b'<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"99999-99-99",'
    b'"author":{"name":[1,{}]},"publisher":[null]}</script>',
    b'<script type="application/ld+json">{"@graph": [[[]]], "headline": {"a": 1}}</script>',
    b'<meta property="article:published_time" content="0000-00-00T25:61">', b"<time datetime='2024-13-45'>",
    b'<meta property="og:url" content="javascript:alert(1)">', b'<link rel="canonical" href="//">',
    b"<h1>" + b"x" * 3000 + b"</h1>", b"<a href='/tag/x'>a tag link here</a>" * 20, b"<div>" * 300,
    b"<p>" + "Überfahrt Трамвай 路面電車 ".encode() * 20 + b"</p>",
]
CONTENT_TYPES = st.sampled_from([
    None, "text/html", "text/html; charset=utf-8", "text/html; charset=iso-8859-1", "text/html; charset=x-bogus",
    "text/html; charset=utf-16", "application/xhtml+xml", "text/plain", "application/octet-stream", "text/html;;",
]) | st.text(max_size=40)
URLS = st.sampled_from([None, "http://127.0.0.1/a", "https://example.com/news/2024/05/story.html",
                        "https://example.com/tag/x/page/2", "relative/path", ""])


def _clean_or_clean_error(body: bytes | str, url: str | None, content_type: str | None) -> None:
    try:
        record = clean(body, url, content_type=content_type)
    except CleanError as error:
        assert error.reason and isinstance(error.message, str)
    else:
        assert isinstance(record["text"], str) and "\x00" not in record["text"]
        assert record["word_count"] >= 0 and isinstance(record["is_article"], bool)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.integers(0, 5))
        at = draw(st.integers(0, len(data)))
        if op == 0 and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == 1:
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == 2:
            del data[at:at + draw(st.integers(1, 400))]
        elif op == 3:
            data = data[:at]
        elif op == 4:
            start = draw(st.integers(0, len(data)))
            data[at:at] = data[start:start + draw(st.integers(1, 800))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


_TAGS = st.sampled_from(["div", "p", "span", "article", "main", "section", "a", "h1", "h2", "li", "ul", "table", "td",
                         "tr", "script", "style", "figure", "figcaption", "aside", "nav", "footer", "b", "i", "br",
                         "img", "svg", "iframe", "blockquote", "pre", "code", "time", "meta", "title", "head", "body"])
_ATTRS = st.dictionaries(st.sampled_from(["class", "id", "href", "src", "datetime", "content", "property", "rel",
                                          "name", "itemprop", "style", "lang", "charset"]),
                         st.text(max_size=20), max_size=3)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, attrs: dict[str, str], inner: list[str], close: bool) -> str:
        attributes = "".join(f' {name}="{value}"' for name, value in attrs.items())
        return f"<{tag}{attributes}>{''.join(inner)}" + (f"</{tag}>" if close else "")
    return st.builds(render, _TAGS, _ATTRS, st.lists(children, max_size=5), st.booleans())


MARKUP = st.recursive(st.text(max_size=80), _element, max_leaves=40)


@fuzz_settings(250)
@given(body=st.binary(max_size=4096), url=URLS, content_type=CONTENT_TYPES)
def test_random_bytes(body: bytes, url: str | None, content_type: str | None) -> None:
    _clean_or_clean_error(body, url, content_type)


@fuzz_settings(600)
@given(body=mutated(), url=URLS, content_type=CONTENT_TYPES)
def test_mutated_articles(body: bytes, url: str | None, content_type: str | None) -> None:
    _clean_or_clean_error(body, url, content_type)


@fuzz_settings(250)
@given(markup=st.lists(MARKUP, min_size=1, max_size=4), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
       url=URLS, content_type=CONTENT_TYPES)
def test_random_markup(markup: list[str], encoding: str, url: str | None, content_type: str | None) -> None:
    _clean_or_clean_error("<!DOCTYPE html>" + "".join(markup), url, content_type)
    _clean_or_clean_error("".join(markup).encode(encoding, errors="replace"), url, content_type)


@fuzz_settings(150)
@given(text=st.text(max_size=2000), url=URLS)
def test_random_text(text: str, url: str | None) -> None:
    _clean_or_clean_error(text, url, None)


# --------------------------------------------------------------------------- what the fuzzing found

@pytest.mark.parametrize("head", ['<link rel="canonical" href="http://[::1">',
                                  '<meta property="og:url" content="https://[broken/story">'])
def test_a_malformed_canonical_url_does_not_lose_the_article(head: str) -> None:
    record = clean(page(head=head).encode(), "https://planet.example/a")
    assert record["is_article"]
    assert record["canonical_url"] == "https://planet.example/a"


def test_atheris_harness(tmp_path: Path) -> None:
    """A few seconds of coverage-guided fuzzing, where atheris is installed (it is not a project dependency)."""
    pytest.importorskip("atheris")
    harness = Path(__file__).with_name("fuzz_clean_atheris.py")
    run = subprocess.run([sys.executable, str(harness), "-max_total_time=5", "-rss_limit_mb=4096"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert not list(tmp_path.glob("crash-*"))
