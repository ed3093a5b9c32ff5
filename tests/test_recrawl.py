"""Scheduled re-crawls: a site that changes between two crawls; each story is saved once, only changes again."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.store import open_store
from tests.conftest import PROJECT_ROOT
from tests.markup import page

pytestmark = pytest.mark.e2e

TOPICS = {
    "harbour": "The harbour authority approved a dredging plan for the inner basin after a year of delays",
    "library": "The town library will open on Sundays from next month after volunteers offered to staff it",
    "ferry": "The island ferry will run an extra evening crossing through the summer to cope with demand",
    "school": "The primary school on Hill Road will get a new roof before the winter term begins",
}


def story(topic: str, edited: bool = False) -> list[str]:
    lead = TOPICS[topic]
    paragraphs = [
        f"{lead}, officials said on Tuesday.",
        f"The decision about the {topic} follows a public consultation that drew more than 400 responses from residents.",
        f"Councillors said the cost of the {topic} project would be met from reserves and a grant from the regional fund.",
        f"Work on the {topic} plan is expected to start in the spring and to take about eight months to complete.",
    ]
    if edited:
        paragraphs.append(f"Update: the {topic} vote was confirmed on Thursday after a second reading, the council said.")
    return paragraphs


class ChangingSite:
    """Pages by path, swapped between crawls; every request is recorded with its status."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        self.log: list[tuple[str, str, int]] = []

    def publish(self, articles: dict[str, list[str]], copies: dict[str, list[str]], base: str, lastmod: dict[str, str]) -> None:
        self.pages = {}
        for slug, paragraphs in articles.items():
            head = f'<link rel="canonical" href="{base}/news/{slug}">'
            self.pages[f"/news/{slug}"] = page(story=paragraphs, head=head).encode()
        for slug, paragraphs in copies.items():
            self.pages[f"/wire/{slug}"] = page(story=paragraphs).encode()
        links = "".join(f'<li><a href="/news/{slug}">Story about {slug}</a></li>' for slug in articles)
        links += "".join(f'<li><a href="http://localhost:{base.rsplit(":", 1)[1]}/wire/{slug}">Wire: {slug}</a></li>'
                         for slug in copies)
        self.pages["/"] = f"<html><body><h1>Local news</h1><ul>{links}</ul></body></html>".encode()
        urls = "".join(f"<url><loc>{base}/news/{slug}</loc><lastmod>{lastmod[slug]}</lastmod></url>" for slug in articles)
        self.pages["/sitemap.xml"] = (
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()
        self.pages["/robots.txt"] = f"User-agent: *\nSitemap: {base}/sitemap.xml\n".encode()


def _handler(site: ChangingSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            host = self.headers.get("Host", "").split(":")[0]
            # The second host name is another site: it serves the wire copies only.
            body = site.pages.get(self.path) if (host == "localhost") == self.path.startswith("/wire/") else None
            if body is None:
                status, body = 404, b"not found"
            else:
                status = 200
                etag = f'"{hashlib.sha1(body).hexdigest()}"'
                if self.headers.get("If-None-Match") == etag:
                    status = 304
            site.log.append((host, self.path, status))
            self.send_response(status)
            if status != 304:
                self.send_header("Content-Type", "text/xml" if self.path.endswith(".xml") else "text/html")
                self.send_header("Content-Length", str(len(body)))
            if status != 404:
                self.send_header("ETag", f'"{hashlib.sha1(body).hexdigest()}"')
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def changing_site() -> Iterator[tuple[ChangingSite, str]]:
    site = ChangingSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def crawl(base: str, output: Path) -> dict[str, int]:
    seeds = output / "seeds.jsonl"
    seeds.write_text(json.dumps({"name": "local", "start_urls": [f"{base}/"],
                                 "allowed_domains": ["127.0.0.1", "localhost"]}) + "\n", encoding="utf-8")
    stats_path = output / "stats.json"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={seeds}",
         "-s", f"FEEDS={json.dumps({str(output / 'articles.jsonl'): {'format': 'jsonlines'}})}",
         "-s", f"CLEANCRAWL_STORE_PATH={output / 'store.sqlite3'}", "-s", f"CLEANCRAWL_STATS_PATH={stats_path}",
         "-s", "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS=127.0.0.1,localhost", "-s", "CLEANCRAWL_WORKERS=1",
         "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return {key: value for key, value in json.loads(stats_path.read_text("utf-8")).items() if isinstance(value, int)}


def test_second_crawl_saves_only_new_and_edited_stories(changing_site: tuple[ChangingSite, str], tmp_path: Path) -> None:
    site, base = changing_site
    first = {topic: story(topic) for topic in ("harbour", "library", "ferry")}
    site.publish(first, {}, base, dict.fromkeys(first, "2024-05-01"))
    stats = crawl(base, tmp_path)
    assert stats["cleancrawl/store/new"] == 3 and stats["item_scraped_count"] == 3

    # Second crawl: "school" is new, "library" was edited, "ferry" is gone, and "harbour" appears
    # again on another host name as a syndicated copy with a wire credit added.
    second = {"harbour": story("harbour"), "library": story("library", edited=True), "school": story("school")}
    copy = story("harbour")
    copy[0] = "(Wire) " + copy[0]
    site.log.clear()
    site.publish(second, {"harbour-copy": copy}, base, {"harbour": "2024-05-01", "library": "2099-01-01",
                                                        "school": "2099-01-01"})
    stats = crawl(base, tmp_path)
    assert stats["cleancrawl/store/new"] == 1
    assert stats["cleancrawl/store/updated"] == 1
    assert stats["cleancrawl/store/near_duplicate"] == 1
    assert stats["item_scraped_count"] == 2
    bodies = Counter(path for _, path, status in site.log if status == 200 and path.startswith("/news/"))
    assert bodies == {"/news/library": 1, "/news/school": 1}, site.log  # the unchanged story is not downloaded

    events = [json.loads(line) for line in (tmp_path / "articles.jsonl").read_text("utf-8").splitlines()]
    assert Counter(record["event"] for record in events) == {"new": 4, "updated": 1}
    store = open_store(str(tmp_path / "store.sqlite3"))
    stored = {record["canonical_url"].rsplit("/", 1)[1]: record for record in store.records()}
    copies = store.duplicates()
    store.close()
    assert sorted(stored) == ["ferry", "harbour", "library", "school"]  # ferry stays: removal from a site does not delete
    assert copies == [(f"http://localhost:{base.rsplit(':', 1)[1]}/wire/harbour-copy", f"{base}/news/harbour", "near_duplicate")]
    assert "Update: the library vote" in stored["library"]["text"]
