"""WARC out of the crawl, WARC into the offline cleaner.

The writer's files are read back by warcio (digests checked) and by
:mod:`cleaners.archive`; a crawl of the demo site archived with CLEANCRAWL_WARC_PATH
cleans offline into the same records as the crawl saved; cut files (what ``kill -9``
leaves), corrupt gzip members, revisits and non-HTML records are counted, never fatal.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaners.archive import InputFile, Page, Skip, read_inputs
from crawler.warc import Exchange, RotatingWarcFiles, WarcArchive, Written
from tests.conftest import PROJECT_ROOT
from tests.faultserver import FAST_SETTINGS, STORIES, article_html, crawl_command, crawl_env, serve_faults
from tests.test_crawl_e2e import free_port

MOMENT = datetime(2026, 11, 30, 8, 15, 0, tzinfo=UTC)
STORY_HTML = article_html(STORIES["harbour-dredging"]).encode()
OTHER_HTML = article_html(STORIES["wind-farm"]).encode()


def exchange(path: str, body: bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
             extra: list[tuple[bytes, bytes]] | None = None) -> Exchange:
    return Exchange(
        url=f"https://news.example{path}", fetched_at=MOMENT, protocol="HTTP/1.1", status=status,
        response_headers=[(b"Content-Type", content_type.encode()), *(extra or [])], body=body, method="GET",
        request_headers=[(b"User-Agent", b"cleancrawl-test"), (b"Proxy-Authorization", b"Basic c2VjcmV0")],
        request_body=b"", ip_address="192.0.2.7")


def write_archive(directory: Path, exchanges: list[Exchange], max_size: int = 10**9) -> list[Path]:
    files = RotatingWarcFiles(directory, max_size)
    for item in exchanges:
        files.write(item)
    files.close()
    return sorted(directory.glob("*.warc.gz"))


def warcio_records(path: Path) -> list[dict[str, Any]]:
    """Every record as warcio reads it, digests checked."""
    seen = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests=True):
            payload = record.content_stream().read()
            seen.append({"type": record.rec_type, "headers": dict(record.rec_headers.headers),
                         "http": record.http_headers, "payload": payload, "digest_ok": record.digest_checker.passed})
    return seen


def read_all(*paths: Path) -> tuple[list[Page], list[Skip]]:
    items = list(read_inputs([InputFile(path) for path in paths]))
    return [i for i in items if isinstance(i, Page)], [i for i in items if isinstance(i, Skip)]


def test_records_are_standard_warc_with_digests_and_linked_requests(tmp_path: Path) -> None:
    gzipped = gzip.compress(OTHER_HTML, mtime=0)
    [path] = write_archive(tmp_path, [
        exchange("/harbour", STORY_HTML),
        exchange("/wind", gzipped, extra=[(b"Content-Encoding", b"gzip"), (b"Transfer-Encoding", b"chunked")]),
    ])
    assert path.name.endswith(f"-{os.getpid()}.warc.gz")
    records = warcio_records(path)
    assert [r["type"] for r in records] == ["warcinfo", "response", "request", "response", "request"]
    assert all(r["digest_ok"] is not False for r in records)
    for response, request in ((records[1], records[2]), (records[3], records[4])):
        assert request["headers"]["WARC-Concurrent-To"] == response["headers"]["WARC-Record-ID"]
        assert response["headers"]["WARC-Date"] == "2026-11-30T08:15:00Z"
        assert response["headers"]["WARC-IP-Address"] == "192.0.2.7"
        assert request["http"].protocol == "GET" and request["http"].get_header("Host") == "news.example"
        assert request["http"].get_header("Proxy-Authorization") is None  # credentials stay out of archives
    wind = records[3]
    # The body as received: still gzipped, with the digest of those bytes; the de-chunked body is not called chunked.
    expected_digest = "sha1:" + base64.b32encode(hashlib.sha1(gzipped).digest()).decode()
    assert wind["headers"]["WARC-Payload-Digest"] == expected_digest
    assert wind["http"].get_header("Content-Encoding") == "gzip"
    assert wind["http"].get_header("Transfer-Encoding") is None
    assert wind["payload"] == OTHER_HTML  # warcio undoes the content encoding

    pages, skipped = read_all(path)
    assert [(p.url, p.body, p.fetched_at, p.content_type) for p in pages] == [
        ("https://news.example/harbour", STORY_HTML, "2026-11-30T08:15:00+00:00", "text/html; charset=utf-8"),
        ("https://news.example/wind", OTHER_HTML, "2026-11-30T08:15:00+00:00", "text/html; charset=utf-8"),
    ]
    assert Counter(s.reason for s in skipped) == {"warcinfo": 1, "request": 2}
    assert not any(s.error for s in skipped)
    assert pages[1].source == {"warc": str(path), "offset": records_offsets(path)[3]}


def records_offsets(path: Path) -> list[int]:
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        offsets = []
        for _ in records:
            offsets.append(records.get_record_offset())
    return offsets


def test_files_rotate_at_the_size_limit_and_keep_each_pair_together(tmp_path: Path) -> None:
    paths = write_archive(tmp_path, [exchange(f"/story-{k}", STORY_HTML) for k in range(3)], max_size=1)
    assert len(paths) == 3 and len({path.name for path in paths}) == 3
    for k, path in enumerate(paths):
        types = [(r["type"], r["headers"].get("WARC-Target-URI")) for r in warcio_records(path)]
        url = f"https://news.example/story-{k}"
        assert types == [("warcinfo", None), ("response", url), ("request", url)]


def test_the_writer_thread_reports_each_exchange_and_survives_failures(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the WARC folder should be", encoding="utf-8")
    for directory, failing in ((tmp_path / "warc", False), (blocked, True)):
        reports: list[Written] = []
        archive = WarcArchive(RotatingWarcFiles(directory), 4, reports.append)
        archive.start()
        for k in range(3):
            archive.put(exchange(f"/story-{k}", STORY_HTML))
        archive.stop()
        assert len(reports) == 3
        assert all((report.error is not None) == failing for report in reports)
        assert [report.new_file is not None for report in reports] == [not failing, False, False]


def test_revisits_non_html_statuses_and_other_records_are_skipped_and_counted(tmp_path: Path) -> None:
    [written] = write_archive(tmp_path / "crawl", [
        exchange("/story", STORY_HTML),
        exchange("/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        exchange("/gone", b"<html><title>Not found</title></html>", status=404),
        exchange("/moved", b"", status=301, extra=[(b"Location", b"/story")]),
    ])
    mixed = tmp_path / "mixed.warc"  # uncompressed, written by warcio itself
    with mixed.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://news.example/wind", "response",
                                                      payload=BytesIO(OTHER_HTML), length=len(OTHER_HTML),
                                                      http_headers=http))
        writer.write_record(writer.create_revisit_record("https://news.example/wind", "sha1:AAAA",
                                                         "https://news.example/wind", "2026-11-29T00:00:00Z",
                                                         http_headers=http))
        writer.write_record(writer.create_warc_record("https://news.example/wind", "metadata",
                                                      payload=BytesIO(b"via: test\r\n"), length=11,
                                                      warc_content_type="application/warc-fields"))
    pages, skipped = read_all(written, mixed)
    assert [p.url for p in pages] == ["https://news.example/story", "https://news.example/wind"]
    assert pages[1].fetched_at is not None and pages[1].source["warc"] == str(mixed)
    assert Counter(s.reason for s in skipped) == {
        "warcinfo": 1, "request": 4, "non_html": 1, "http_status": 2, "revisit": 1, "metadata": 1}
    assert not any(s.error for s in skipped)


def _cut(path: Path, keep: int) -> Path:
    cut = path.with_name("cut-" + path.name)
    cut.write_bytes(path.read_bytes()[:keep])
    return cut


def test_a_file_cut_mid_record_yields_every_whole_record_and_counts_the_last(tmp_path: Path) -> None:
    [path] = write_archive(tmp_path, [exchange(f"/story-{k}", STORY_HTML) for k in range(3)])
    offsets = records_offsets(path)
    last_response = offsets[5]
    for cut in (_cut(path, last_response + 40), _cut(path, (last_response + offsets[6]) // 2)):
        pages, skipped = read_all(cut)
        assert [p.url for p in pages] == ["https://news.example/story-0", "https://news.example/story-1"]
        assert [(s.reason, s.source["offset"]) for s in skipped if s.error] == [("truncated_record", last_response)]
    plain = tmp_path / "plain.warc"
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    with plain.open("rb") as stream:
        records = ArchiveIterator(stream)
        plain_offsets = [records.offset for _ in records]
    pages, skipped = read_all(_cut(plain, (plain_offsets[5] + plain_offsets[6]) // 2))
    assert len(pages) == 2
    assert [s.reason for s in skipped if s.error] == ["truncated_record"]


def test_a_corrupt_gzip_member_is_counted_and_reading_goes_on(tmp_path: Path) -> None:
    [path] = write_archive(tmp_path, [exchange(f"/story-{k}", STORY_HTML) for k in range(3)])
    offsets = records_offsets(path)
    data = bytearray(path.read_bytes())
    middle = (offsets[3] + offsets[4]) // 2  # inside the compressed body of story-1's response
    data[middle : middle + 16] = bytes(16)
    path.write_bytes(bytes(data))
    pages, skipped = read_all(path)
    assert [p.url for p in pages] == ["https://news.example/story-0", "https://news.example/story-2"]
    assert [(s.reason, s.source["offset"]) for s in skipped if s.error] == [("corrupt_gzip", offsets[3])]
    assert Counter(s.reason for s in skipped if not s.error) == {"warcinfo": 1, "request": 3}


# --- crawls ---------------------------------------------------------------------------------


def _offline(*args: str) -> tuple[list[dict[str, Any]], str]:
    done = subprocess.run([sys.executable, "-m", "cleaners", "--workers", "2", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    # fetched_at: the crawl stamps it when the spider reads the page, the WARC when the response arrives.
    return {key: value for key, value in record.items() if key not in ("fetched_at", "source")}


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo-warc")
    done = subprocess.run([sys.executable, "-m", "fixtures.demo", "--output", str(output), "--port", str(free_port()),
                           "--", "-s", f"CLEANCRAWL_WARC_PATH={output / 'warc'}",
                           "-s", f"CLEANCRAWL_STATS_PATH={output / 'stats.json'}"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return output


@pytest.mark.e2e
def test_a_demo_crawl_archives_every_response_with_its_request(demo_crawl: Path) -> None:
    stats = json.loads((demo_crawl / "stats.json").read_text("utf-8"))
    [path] = sorted((demo_crawl / "warc").glob("*.warc.gz"))
    records = warcio_records(path)
    responses = [r for r in records if r["type"] == "response"]
    requests = {r["headers"]["WARC-Concurrent-To"]: r for r in records if r["type"] == "request"}
    assert len(responses) == stats["response_received_count"] == stats["cleancrawl/warc/records"]
    assert stats["cleancrawl/warc/files"] == 1 and 0 < stats["cleancrawl/warc/bytes"] < path.stat().st_size
    assert all(r["digest_ok"] is not False for r in records)
    for response in responses:
        request = requests[response["headers"]["WARC-Record-ID"]]
        assert request["headers"]["WARC-Target-URI"] == response["headers"]["WARC-Target-URI"]
        assert request["http"].get_header("User-Agent").startswith("cleancrawl/")
    pages, skipped = read_all(path)
    html = [r for r in responses if r["http"].get_header("Content-Type").startswith("text/html")]
    assert [p.url for p in pages] == [r["headers"]["WARC-Target-URI"] for r in html]
    assert not any(s.error for s in skipped)


@pytest.mark.e2e
def test_cleaning_the_archive_offline_gives_the_records_the_crawl_saved(
        demo_crawl: Path, record_validator: jsonschema.Draft202012Validator) -> None:
    saved = [json.loads(line) for line in (demo_crawl / "articles.jsonl").read_text("utf-8").splitlines()]
    offline, summary = _offline("--learn-templates", str(demo_crawl / "warc"))
    # The same records (site templates learned from the whole archive first, as the crawl's memory holds them) (the crawl's feed is in the order cleaning finished; the offline output in archive order).
    assert sorted(map(_comparable, offline), key=lambda r: r["url"]) == sorted(map(_comparable, saved), key=lambda r: r["url"])
    with (demo_crawl / "warc").glob("*.warc.gz").__next__().open("rb") as stream:
        archived = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert [r["url"] for r in offline] == [url for url in archived if url in {r["url"] for r in offline}]
    for record in offline:
        record_validator.validate(record)
        assert record["source"]["warc"].endswith(".warc.gz") and record["fetched_at"]
    assert f"articles saved: {len(saved)} (new {len(saved)}, updated 0)" in summary


class _EncodedHandler(http.server.BaseHTTPRequestHandler):
    """A gzipped article (Content-Length) and a chunked one: what the WARC must hold as it came."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body, headers = b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}
        elif self.path == "/":
            body = b'<html><body><a href="/gzipped">one</a> <a href="/chunked">two</a></body></html>'
            headers = {"Content-Type": "text/html"}
        elif self.path == "/gzipped":
            body, headers = gzip.compress(STORY_HTML, mtime=0), {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        elif self.path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(OTHER_HTML), 1000):
                chunk = OTHER_HTML[start : start + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return
        else:
            body, headers = b"not found", {"Content-Type": "text/plain"}
        self.send_response(200 if body != b"not found" else 404)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def encoded_site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EncodedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.e2e
def test_the_archive_holds_bodies_as_received_before_decompression(encoded_site: str, tmp_path: Path) -> None:
    settings = {**FAST_SETTINGS, "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "CLEANCRAWL_WARC_PATH": str(tmp_path / "warc"),
                "CLEANCRAWL_STORE_PATH": str(tmp_path / "store.sqlite3"), "LOG_FILE": str(tmp_path / "crawl.log"),
                "FEEDS": json.dumps({str(tmp_path / "articles.jsonl"): {"format": "jsonlines"}})}
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={encoded_site}/"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False,
                          env=crawl_env())
    assert done.returncode == 0, done.stderr[-3000:]
    [path] = sorted((tmp_path / "warc").glob("*.warc.gz"))
    with path.open("rb") as stream:
        raw = {r.rec_headers.get_header("WARC-Target-URI").removeprefix(encoded_site): (r.http_headers, r.raw_stream.read())
               for r in ArchiveIterator(stream) if r.rec_type == "response"}
    headers, body = raw["/gzipped"]
    assert headers.get_header("Content-Encoding") == "gzip" and gzip.decompress(body) == STORY_HTML
    headers, body = raw["/chunked"]
    assert headers.get_header("Transfer-Encoding") is None and body == OTHER_HTML
    saved = {r["url"]: r for r in map(json.loads, (tmp_path / "articles.jsonl").read_text("utf-8").splitlines())}
    offline, _ = _offline(str(path))
    assert sorted(saved) == sorted(r["url"] for r in offline) == [f"{encoded_site}/chunked", f"{encoded_site}/gzipped"]
    assert all(_comparable(r) == _comparable(saved[r["url"]]) for r in offline)


def test_a_whole_warc_gzipped_in_one_member_is_read_too(tmp_path: Path) -> None:
    [path] = write_archive(tmp_path / "crawl", [exchange(f"/story-{k}", STORY_HTML) for k in range(3)])
    single = tmp_path / "single.warc.gz"
    single.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())))
    pages, skipped = read_all(single)
    assert [p.url for p in pages] == [f"https://news.example/story-{k}" for k in range(3)]
    assert {p.source["offset"] for p in pages} == {0} and not any(s.error for s in skipped)


@pytest.mark.e2e
def test_kill_9_leaves_a_readable_archive(tmp_path: Path) -> None:
    with serve_faults(site="news", articles=24, delay=0.05) as server:
        command = crawl_command(tmp_path, url=f"{server.base_url}/", settings={
            "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "CLEANCRAWL_WARC_PATH": str(tmp_path / "warc")})
        crawl = subprocess.Popen(command, cwd=PROJECT_ROOT, env=crawl_env(), start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while crawl.poll() is None and server.hit_count() < 20 and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            os.killpg(crawl.pid, signal.SIGKILL)  # the crawl and its cleaning workers, mid-crawl
            crawl.wait(timeout=30)
    [path] = sorted((tmp_path / "warc").glob("*.warc.gz"))
    pages, skipped = read_all(path)
    errors = [s for s in skipped if s.error]
    assert errors == [] or [s.reason for s in errors] == ["truncated_record"]  # at most the last record, cut
    assert pages and {page.url.removeprefix(server.base_url) for page in pages} <= set(server.hits)
    assert all(b"</html>" in page.body for page in pages)  # whole bodies only
