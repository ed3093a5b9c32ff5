"""The address guard: only public http(s) addresses are fetched, unless a host is explicitly allowed.

Every address here is a loopback one. With the allowance off, seeds on 127.0.0.1,
localhost, [::1] and 127.0.0.1 spelt as one number are refused before any connection
(the fault server sees no request at all, not even robots.txt). With the allowance on
for 127.0.0.1 only, the crawl works there, while links, redirects and sitemap entries
to the other loopback spellings and to other schemes are refused and counted.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from crawler.middlewares.address_guard import _is_public
from tests.faultserver import STORIES, TRAVERSAL_PATHS, run_crawl, serve_faults

pytestmark = pytest.mark.e2e


def _seeds(path: Path, sites: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps({"discover_sitemaps": False, **site}) + "\n" for site in sites))
    return path


def test_loopback_seeds_are_refused_when_not_allowed(tmp_path: Path) -> None:
    with serve_faults() as server:
        port = server.server_address[1]
        hosts = {"loopback-ip": "127.0.0.1", "localhost": "localhost", "ipv6": "[::1]",
                 "decimal": "2130706433", "mapped": "[::ffff:127.0.0.1]"}
        seeds = _seeds(tmp_path / "seeds.jsonl", [
            {"name": name, "start_urls": [f"http://{host}:{port}/"]} for name, host in hosts.items()])
        result = run_crawl(tmp_path / "out", seeds=seeds, settings={"CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": ""})
        hits = dict(server.hits)
    assert result.returncode == 0, result.stderr[-3000:]
    assert hits == {}  # nothing reached the server
    assert result.stat("cleancrawl/address_guard/private_address") == len(hosts)
    for name in hosts:
        assert result.stat(f"cleancrawl/seed/{name}/failed/address_guard/private_address") == 1
    assert result.stat("downloader/response_count") == 0
    assert result.records == []
    summary = result.stderr[result.stderr.index("cleancrawl summary"):]
    for name in hosts:
        assert f"site without any article: {name}: refused address_guard/private_address x1" in summary


def test_the_resolver_refuses_a_private_answer_even_without_the_middleware(tmp_path: Path) -> None:
    """GuardedResolver checks the address the connection uses: the defence against DNS rebinding."""
    from crawler import settings as project_settings

    middlewares = {**project_settings.DOWNLOADER_MIDDLEWARES, "crawler.middlewares.address_guard.AddressGuardMiddleware": None}
    with serve_faults() as server:
        result = run_crawl(tmp_path / "out", url=f"http://localhost:{server.server_address[1]}/", settings={
            "CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1", "DOWNLOADER_MIDDLEWARES": json.dumps(middlewares)})
        hits = dict(server.hits)
    assert result.returncode == 0, result.stderr[-3000:]
    assert hits == {}
    assert result.stat("cleancrawl/address_guard/private_address") == 0  # the middleware is off
    assert result.stat("cleancrawl/failed/address_guard/private_address") >= 1
    assert result.records == []


def test_a_file_url_seed_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "local.html"
    story = STORIES["council-budget"]
    page.write_text("<html><head><meta property='og:type' content='article'></head><body><article>"
                    + "".join(f"<p>{text}</p>" for text in story.paragraphs) + "</article></body></html>")
    result = run_crawl(tmp_path / "out", url=page.as_uri(), settings={"CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": ""})
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stat("cleancrawl/address_guard/scheme") == 2  # the page and the robots.txt next to it
    assert result.stat("downloader/response_count") == 0
    assert result.records == []


@pytest.fixture(scope="module")
def allowed_crawl(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("guard")
    before = set(root.rglob("*"))
    with serve_faults() as server:
        port = server.server_address[1]
        base = f"http://127.0.0.1:{port}"
        hosts = ["127.0.0.1", "localhost", "::1", "127.0.0.2", "2130706433", "::ffff:127.0.0.1"]
        seeds = _seeds(root / "seeds.jsonl", [{
            "name": "guarded", "start_urls": [f"{base}/guard/links"], "sitemaps": [f"{base}/guard/sitemap.xml"],
            "allowed_domains": hosts, "max_depth": 1}])
        result = run_crawl(root / "out", seeds=seeds, settings={"CLEANCRAWL_ALLOWED_PRIVATE_HOSTS": "127.0.0.1"})
        return {"result": result, "hits": dict(server.hits), "log": list(server.log), "root": root,
                "before": before, "base": base, "secret": server.secret}


def test_with_the_allowance_on_127_0_0_1_is_crawled(allowed_crawl: dict[str, Any]) -> None:
    result = allowed_crawl["result"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert [record["url"] for record in result.records] == [f"{allowed_crawl['base']}/articles/school-meals-guarded"]
    assert allowed_crawl["hits"]["/guard/links"] == 1


def test_links_redirects_and_sitemap_entries_to_other_loopback_hosts_are_refused(
        allowed_crawl: dict[str, Any]) -> None:
    result, hits = allowed_crawl["result"], allowed_crawl["hits"]
    # 5 links (localhost, [::1], 127.0.0.2, 2130706433, [::ffff:127.0.0.1]), 2 redirects, 2 sitemap entries.
    assert result.stat("cleancrawl/address_guard/private_address") == 9
    assert result.stat("cleancrawl/seed/guarded/failed/address_guard/private_address") == 9
    # Only 127.0.0.1 was ever connected to, and only these paths were asked for.
    for refused in ("/articles/wind-farm", "/articles/bus-strike", "/articles/library-hours",
                    "/articles/harbour-dredging", "/articles/cycle-lanes", "/articles/marathon-route",
                    "/articles/museum-roof", "/ftp-file"):
        assert hits.get(refused, 0) == 0, refused
    assert hits["/redirect/to"] == 3  # localhost, [::1] and file: targets, none of them followed
    assert result.stat("cleancrawl/failed/connection_refused") == 0


def test_only_http_and_https_are_fetched(allowed_crawl: dict[str, Any]) -> None:
    result = allowed_crawl["result"]
    assert result.stat("cleancrawl/address_guard/scheme") == 1  # the ftp:// URL (linked and listed: one request)
    assert result.stat("offsite/filtered") == 2  # the file: and data: sitemap entries have no host of the site
    assert result.stat("httperror/response_ignored_status_count/302") == 1  # the redirect to file: is not followed
    assert all(record["url"].startswith("http://127.0.0.1:") for record in result.records)
    output = (result.output / "articles.jsonl").read_text("utf-8")
    assert allowed_crawl["secret"] not in output and STORIES["council-budget"].paragraphs[0] not in output


def test_no_file_name_is_derived_from_a_url(allowed_crawl: dict[str, Any]) -> None:
    """The crawl writes only the files its settings name; paths that climb out of a folder change nothing."""
    root: Path = allowed_crawl["root"]
    created = {path.relative_to(root).as_posix() for path in set(root.rglob("*")) - allowed_crawl["before"]}
    allowed = {"seeds.jsonl", "out", "out/articles.jsonl", "out/articles.sqlite3", "out/articles.sqlite3-wal",
               "out/articles.sqlite3-shm", "out/stats.json", "out/crawl.log"}
    assert created <= allowed, created - allowed
    assert not list(root.parent.glob("escape*")) and not list(Path(os.sep).glob("escape*"))
    asked = allowed_crawl["log"]
    assert len([path for path in asked if "escape" in path or path.startswith("/long")]) >= len(TRAVERSAL_PATHS) - 2


@pytest.mark.parametrize(("address", "public"), [
    ("127.0.0.1", False), ("127.255.255.254", False), ("::1", False), ("::ffff:127.0.0.1", False),
    ("0.0.0.0", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("fe80::1%eth0", False), ("fd00::1", False), ("100.64.0.1", False),
    ("224.0.0.1", False), ("ff02::1", False), ("::ffff:10.0.0.1", False), ("::", False),
    ("93.184.215.14", True), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
])
def test_address_classification(address: str, public: bool) -> None:
    """Classification only: nothing is sent to these addresses."""
    assert _is_public(address) is public
