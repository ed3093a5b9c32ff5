"""The site that ``benchmarks.speed`` crawls: the Zyte benchmark pages, repeated, on 127.0.0.1.

Layout (``N`` article pages, ``ARTICLES_PER_INDEX`` links per index page)::

    /robots.txt                      allows everything, no Sitemap lines
    /category/all/                   the start page: links to every index page        (depth 0)
    /category/all/page/<i>/          links to up to ARTICLES_PER_INDEX article pages  (depth 1)
    /news/<k>-<id>.html              article page k, 0 <= k < N                       (depth 2)

The index URLs are navigation pages for courlan (``/category/``, ``/page/``), so the
spider reads them for links only; only the N article pages become ``Page`` items.

Article page ``k`` is benchmark page ``k % 181`` (pages sorted by id), byte for byte,
with two changes that make every copy a distinct story for the store (one row per
canonical URL and per content hash, SimHash near-duplicates dropped):

* a ``<link rel="canonical">`` to its own path is put first in ``<head>``, so the
  canonical URL is the served URL, not the original publisher's;
* copies after the first round (``k >= 181``) get their copy number (``"3 "``) as a
  word of its own after every ``MARK_EVERY``-th gap between two words (a space, or an
  ideographic full stop) of the text in ``<body>``, never in markup, scripts, styles
  or comments: most word 3-grams of the text change, so copies are far apart in
  SimHash, while the language, markup and amount of text stay those of the original.
  (A page whose text is mostly a table, without spaces in its cells, can still come
  out as a near-duplicate of its own copies: 3 of 2,000 pages, 57 of 20,000.)

Links on the article pages point to the original publishers (other hosts, not
followed) or to paths of 127.0.0.1 one level deeper than the benchmark's
DEPTH_LIMIT, so the crawl reads them but never requests them.

The server is a threaded ``http.server`` bound to 127.0.0.1 on a free port, HTTP/1.1
with keep-alive; pages are built per request from pre-split chunks (one ``join``), so
serving costs little CPU next to the crawl it measures.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from benchmarks.data import BENCH_ENV, ROOT, BenchDataMissing, set_dir

ARTICLES_PER_INDEX = 100
MARK_EVERY = 4
HTML_TYPE = "text/html"  # no charset on purpose: each page's own declaration rules, as on the demo site

# Markup, scripts, styles, comments and entities are skipped; a gap is a space between two words, or U+3002.
_MARKUP_OR_GAP = re.compile(
    rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<textarea\b.*?</textarea\s*>|<!--.*?-->|<[^>]*>|&[#\w]+;"
    rb"|((?<=[^\s>;]) (?=[^\s<&])|\xe3\x80\x82)", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(rb"<body(?:\s[^>]*)?>", re.IGNORECASE)
_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.IGNORECASE)
_ARTICLE_PATH = re.compile(r"^/news/(\d+)-([0-9a-f]+)\.html$")
_INDEX_PATH = re.compile(r"^/category/all/page/(\d+)/$")
START_PATH = "/category/all/"
ROBOTS_TXT = b"User-agent: *\nAllow: /\n"




@dataclass(frozen=True)
class BenchPage:
    """One benchmark page: its id, its original URL and its HTML bytes (gunzipped)."""

    id: str
    url: str
    html: bytes


def load_pages(directory: Path | None = None) -> list[BenchPage]:
    """Every ``html/*.html.gz`` page of the benchmark, sorted by id."""
    directory = directory or set_dir("zyte")
    files = sorted((directory / "html").glob("*.html.gz"))
    if not files:
        raise BenchDataMissing(f"no benchmark pages in {directory / 'html'} (set {BENCH_ENV} to the directory holding zyte/)")
    truth_path = directory / "ground-truth.json"
    urls: dict[str, str] = {}
    if truth_path.is_file():
        urls = {key: value.get("url") or "" for key, value in json.loads(truth_path.read_text("utf-8")).items()}
    pages = []
    for file in files:
        page_id = file.name.removesuffix(".html.gz")
        pages.append(BenchPage(page_id, urls.get(page_id) or f"https://bench.invalid/{page_id}", gzip.decompress(file.read_bytes())))
    return pages


def _split_points(html: bytes) -> list[int]:
    """Offsets where a copy number goes: after every MARK_EVERY-th gap (space, 。) of the body's text."""
    body = _BODY.search(html)
    points: list[int] = []
    seen = 0
    for match in _MARKUP_OR_GAP.finditer(html, body.end() if body else 0):
        if match.group(1) is None:
            continue
        seen += 1
        if seen % MARK_EVERY == 0:
            points.append(match.end())
    return points


class _Template:
    """A benchmark page, pre-split so that a copy is one ``bytes.join``."""

    def __init__(self, page: BenchPage) -> None:
        html = page.html
        head = _HEAD.search(html)
        self.head_at = head.end() if head else 0
        points = [p for p in _split_points(html) if p > self.head_at]
        bounds = [self.head_at, *points, len(html)]
        self.before_head = html[: self.head_at]
        self.chunks = [html[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        self.marks = len(points)

    def render(self, path: str, copy: int) -> bytes:
        canonical = b'\n<link rel="canonical" href="' + path.encode("ascii") + b'">\n'
        if copy == 0:
            return b"".join((self.before_head, canonical, *self.chunks))
        return b"".join((self.before_head, canonical, (b"%d " % copy).join(self.chunks)))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # listen() backlog: the default 5 drops a crawler's burst of connections


class SpeedSite:
    """N article pages made of the benchmark pages, with index pages linking to all of them."""

    def __init__(self, pages: list[BenchPage], n: int, per_index: int = ARTICLES_PER_INDEX) -> None:
        if n < 1:
            raise ValueError("the site needs at least one article page")
        self.pages = pages
        self.n = n
        self.per_index = per_index
        self.templates = [_Template(page) for page in pages]
        self.indexes = (n + per_index - 1) // per_index

    # --- URLs -----------------------------------------------------------------

    def article_path(self, k: int) -> str:
        return f"/news/{k:06d}-{self.pages[k % len(self.pages)].id[:12]}.html"

    def article_paths(self) -> list[str]:
        return [self.article_path(k) for k in range(self.n)]

    def index_path(self, i: int) -> str:
        return f"/category/all/page/{i}/"

    # --- content --------------------------------------------------------------

    def article(self, k: int) -> bytes:
        """The bytes served for article page ``k``."""
        return self.templates[k % len(self.pages)].render(self.article_path(k), k // len(self.pages))

    def _listing(self, title: str, paths: list[str]) -> bytes:
        links = "\n".join(f'<li><a href="{path}">{path}</a></li>' for path in paths)
        return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
                f"<body><h1>{title}</h1><ul>\n{links}\n</ul></body></html>").encode("utf-8")

    def start_page(self) -> bytes:
        return self._listing("All stories", [self.index_path(i) for i in range(1, self.indexes + 1)])

    def index_page(self, i: int) -> bytes | None:
        if not 1 <= i <= self.indexes:
            return None
        first = (i - 1) * self.per_index
        return self._listing(f"All stories, page {i}", [self.article_path(k) for k in range(first, min(first + self.per_index, self.n))])

    def resolve(self, path: str) -> tuple[bytes, str] | None:
        """(body, Content-Type) served at ``path``, or None for a 404."""
        path = path.split("?", 1)[0]
        if path == "/robots.txt":
            return ROBOTS_TXT, "text/plain"
        if path == START_PATH:
            return self.start_page(), "text/html; charset=utf-8"
        match = _INDEX_PATH.match(path)
        if match:
            body = self.index_page(int(match.group(1)))
            return (body, "text/html; charset=utf-8") if body is not None else None
        match = _ARTICLE_PATH.match(path)
        if match:
            k = int(match.group(1))
            if k < self.n and path == self.article_path(k):
                return self.article(k), HTML_TYPE
        return None

    # --- serving --------------------------------------------------------------

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve the site on 127.0.0.1 (a free port) in a background thread; yields the base URL."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                found = site.resolve(self.path)
                body, content_type = found if found is not None else (b"not found", "text/plain")
                self.send_response(200 if found is not None else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        server = _Server(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, name="speed-site", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
