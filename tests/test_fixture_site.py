"""The bundled demo news site: reproducible build, discovery, golden files and server."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.html
import pytest

from fixtures import build_site
from fixtures.server import make_server, serve
from fixtures.site import GOLDEN_ROOT, SITE_ROOT, golden_pages, leftover_clutter, render
from fixtures.source import SourceError, parse_article

BASE = "http://127.0.0.1:8000"
GOLDEN = dict(golden_pages())
ARTICLES = {path: g for path, g in GOLDEN.items() if g["is_article"]}
PUBLIC = {path: g for path, g in ARTICLES.items() if not g["robots_disallowed"]}
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(path: str) -> tuple[bytes, str]:
    found = render(path, BASE)
    assert found is not None, f"{path} is missing"
    return found


def page_text(path: str, encoding: str) -> str:
    """The page's visible-ish text (all text nodes), whitespace collapsed."""
    body, _ = fetch(path)
    parser = lxml.html.HTMLParser(encoding=encoding)
    root = lxml.html.document_fromstring(body, parser=parser)
    return " ".join("".join(root.itertext()).split())


def links(path: str) -> set[str]:
    """Root-relative paths of the <a href> on a page that stay on this host, without query or fragment."""
    body, content_type = fetch(path)
    if content_type != "text/html":
        return set()
    found = set()
    for href in lxml.html.document_fromstring(body).xpath("//a/@href"):
        url = urlsplit(urljoin(BASE + path, href))
        if f"{url.scheme}://{url.netloc}" == BASE and url.path:
            found.add(url.path)
    return found


def crawl() -> set[str]:
    seen, queue = {"/"}, deque(["/"])
    while queue:
        for link in links(queue.popleft()) - seen:
            seen.add(link)
            queue.append(link)
    return seen


def sitemap_locs() -> set[str]:
    index = ET.fromstring(fetch("/sitemap.xml")[0])
    locs: set[str] = set()
    for loc in index.iter(f"{SITEMAP}loc"):
        sitemap = ET.fromstring(fetch(urlsplit(loc.text or "").path)[0])
        locs |= {urlsplit(node.text or "").path for node in sitemap.iter(f"{SITEMAP}loc")}
    return locs


def test_build_is_reproducible_and_matches_committed_files(tmp_path: Path) -> None:
    for name in ("a", "b"):
        build_site.write(build_site.build(), tmp_path / name / "site", tmp_path / name / "golden")
    for built, committed in (("site", SITE_ROOT), ("golden", GOLDEN_ROOT)):
        first = _tree(tmp_path / "a" / built)
        assert first == _tree(tmp_path / "b" / built), "two builds differ"
        assert first == _tree(committed), (
            f"fixtures/{built} is stale: run '.venv/bin/python -m fixtures.build_site' and commit the result"
        )


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_counts() -> None:
    assert len(PUBLIC) >= 30
    assert {path.split("/")[1] for path in PUBLIC} == {"ledger", "voice", "metro", "bulletin"}
    assert sum(g["language"] != "en" for g in PUBLIC.values()) >= 5
    assert sum(g["robots_disallowed"] for g in ARTICLES.values()) == 1
    kinds = set(GOLDEN)
    assert sum("/tag/" in p for p in kinds) >= 2 and any("/author/" in p for p in kinds)


def test_every_page_is_linked_from_the_root_and_no_link_is_broken() -> None:
    reached = crawl()
    assert set(GOLDEN) <= reached
    for path in reached:
        assert render(path, BASE) is not None, f"broken link to {path}"


def test_every_public_article_is_in_a_sitemap() -> None:
    locs = sitemap_locs()
    assert set(PUBLIC) <= locs
    assert not any(p.startswith("/private/") for p in locs)


def test_news_sitemap_has_publication_date_title_and_language() -> None:
    root = ET.fromstring(fetch("/voice/sitemap-news.xml")[0])
    news = "{http://www.google.com/schemas/sitemap-news/0.9}"
    for url in root.iter(f"{SITEMAP}url"):
        g = ARTICLES[urlsplit(url.findtext(f"{SITEMAP}loc") or "").path]
        assert url.findtext(f"{news}news/{news}publication_date") == g["date_published"]
        assert url.findtext(f"{news}news/{news}title") == g["title"]
        assert url.findtext(f"{news}news/{news}publication/{news}language") == g["language"]


def test_robots_txt_disallows_private_and_names_the_sitemap() -> None:
    text = fetch("/robots.txt")[0].decode("ascii")
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    private = [p for p, g in ARTICLES.items() if g["robots_disallowed"]]
    assert private and all(p.startswith("/private/") for p in private)
    assert not robots.can_fetch("*", BASE + private[0])
    assert all(robots.can_fetch("*", BASE + p) for p in PUBLIC)
    assert robots.site_maps() == [BASE + "/sitemap.xml"]


@pytest.mark.parametrize("path, kind", [
    ("/ledger/feed.rss", "rss"), ("/bulletin/feed.rss", "rss"), ("/metro/feed.atom", "atom"),
])
def test_feeds_are_valid_and_list_articles(path: str, kind: str) -> None:
    body, content_type = fetch(path)
    assert content_type == f"application/{kind}+xml"
    root = ET.fromstring(body)
    if kind == "rss":
        links_ = [item.findtext("link") or "" for item in root.iter("item")]
    else:
        links_ = [entry.find(f"{ATOM}link").get("href", "") for entry in root.iter(f"{ATOM}entry")]  # type: ignore[union-attr]
    assert links_ and all(urlsplit(link).path in PUBLIC for link in links_)
    # Every page of the publisher advertises its feed.
    home = fetch(f"/{path.split('/')[1]}/")[0].decode("utf-8")
    assert re.search(rf'<link rel="alternate" type="application/{kind}\+xml"[^>]*href="{BASE}{path}"', home)


def test_placeholders_are_replaced() -> None:
    for path in ["/", "/robots.txt", "/sitemap.xml", "/ledger/feed.rss", *list(ARTICLES)[:5]]:
        body, _ = fetch(path)
        assert b"__BASE_URL__" not in body


@pytest.mark.parametrize("path", sorted(ARTICLES))
def test_golden_article_matches_its_page(path: str) -> None:
    g = ARTICLES[path]
    text = page_text(path, g["encoding"])
    for block in g["text"].split("\n\n"):
        assert " ".join(block.split()) in text, "story text missing or mis-encoded"
    for line in g["clutter"]:
        assert line in text, f"clutter {line!r} is not on the page"
    assert leftover_clutter(g["clutter"], g["text"]) == []
    html = fetch(path)[0].decode(g["encoding"])
    assert f'rel="canonical" href="{BASE}{g["canonical_path"]}"' in html
    assert g["date_published"] in html
    assert "\n\n\n" not in g["text"] and g["text"] == g["text"].strip()


def test_every_legacy_encoding_has_a_late_http_equiv_declaration() -> None:
    encodings = {g["encoding"] for g in ARTICLES.values()} - {"utf-8"}
    for encoding in encodings:
        late = []
        for path, g in ARTICLES.items():
            body = fetch(path)[0]
            if g["encoding"] == encoding and b"<meta charset" not in body:
                late.append(body.find(b'http-equiv="Content-Type"'))
        assert late and max(late) > 1024, encoding


def test_golden_records_have_the_documented_keys() -> None:
    article_keys = {"path", "is_article", "robots_disallowed", "canonical_path", "title", "description", "authors",
                    "date_published", "date_modified", "language", "site", "tags", "text", "clutter", "encoding"}
    for path, g in GOLDEN.items():
        assert set(g) == (article_keys if g["is_article"] else {"path", "is_article", "robots_disallowed"})
        assert (GOLDEN_ROOT / (path.replace("/", "__") + ".json")).is_file()


def test_server_answers_get_head_and_404() -> None:
    with serve() as base:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        with urllib.request.urlopen(base + "/ledger/") as response:
            body = response.read()
            assert response.status == 200 and response.headers["Content-Type"] == "text/html"
            assert base.encode() in body and b"__BASE_URL__" not in body
        head = urllib.request.Request(base + "/robots.txt", method="HEAD")
        with urllib.request.urlopen(head) as response:
            assert response.headers["Content-Type"] == "text/plain" and response.read() == b""
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "/no/such/page")
        missing.value.close()
        assert missing.value.code == 404


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
def test_server_refuses_non_loopback_hosts(host: str) -> None:
    with pytest.raises(ValueError):
        make_server(host)


HEADER = ("template: voice\nsection: world\nslug: broken\nlanguage: en\ntitle: T\ndescription: D\nauthors:\n"
          "published: 2024-05-14T09:30:00+00:00\ntags: a\n")


@pytest.mark.parametrize("source, message", [
    ("template: ledger\n", ":1: no '---' line"),
    (HEADER.replace("voice", "gazette") + "---\nText.\n", ":1: template: 'gazette' is not one of"),
    ("wrong line\n" + HEADER + "---\nText.\n", ":1: expected 'key: value'"),
    (HEADER.replace("+00:00", "") + "---\nText.\n", ":8: published: '2024-05-14T09:30:00' is not like"),
    (HEADER + "---\nText.\n- an item glued to a paragraph\n", ":12: a quote, list or heading line needs a blank"),
    (HEADER + "tags: b\n---\nText.\n", ":10: duplicate key 'tags'"),
    (HEADER + "---\n\n", ":11: the body is empty"),
])
def test_source_errors_name_file_and_line(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "broken.md"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(SourceError, match=re.escape(f"{path}{message}")):
        parse_article(path)


def test_source_body_blocks(tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_text(
        "template: voice   # comment\nsection: world\nslug: ok\nlanguage: en\ntitle: T\ndescription: D\n"
        "authors:\npublished: 2024-05-14T09:30:00+00:00\ntags: a; b\n---\nOne\nline.\n\n## Head\n\n"
        "> Quote.\n\n- x\n- y\n",
        encoding="utf-8",
    )
    article = parse_article(path)
    assert article.template == "voice" and article.authors == () and article.tags == ("a", "b")
    assert article.text == "One line.\n\nHead\n\nQuote.\n\nx\n\ny"
    assert json.dumps(article.text)
