"""Seed files: which sites to crawl and how. Validated before any request is sent.

Two formats, chosen by the file name:

* ``*.jsonl``: one site per line, a JSON object (keys below); blank lines and lines
  starting with ``#`` are skipped.
* anything else: one start URL per line (``#`` comments allowed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class SeedError(ValueError):
    """A seed file problem, naming the file and line."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")


@dataclass(frozen=True)
class Site:
    """One site to crawl."""

    name: str
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    max_depth: int | None = None
    max_age_days: float | None = None
    discover_sitemaps: bool = True
    line: int = field(default=0, compare=False)

    def allows(self, url: str) -> bool:
        """True when the URL's host is one of the site's domains or their subdomains."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith(f".{domain}") for domain in self.allowed_domains)

    def robots_urls(self) -> list[str]:
        """robots.txt of each start host, where its Sitemap: lines are read."""
        origins = dict.fromkeys(f"{p.scheme}://{p.netloc}" for p in map(urlsplit, self.start_urls + self.feeds))
        return [f"{origin}/robots.txt" for origin in origins]


_LIST_KEYS = ("start_urls", "feeds", "sitemaps", "allowed_domains", "languages")
_KEYS = {"name", *_LIST_KEYS, "max_depth", "max_age_days", "discover_sitemaps"}


def _check_url(path: Path, line: int, url: Any) -> str:
    if not isinstance(url, str):
        raise SeedError(path, line, f"URL must be a string, not {type(url).__name__}")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SeedError(path, line, f"not an absolute http(s) URL: {url!r}")
    return url.strip()


def _site_from_object(path: Path, line: int, data: Any) -> Site:
    if not isinstance(data, dict):
        raise SeedError(path, line, "each line must be a JSON object describing one site")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise SeedError(path, line, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}")
    values: dict[str, Any] = {}
    for key in _LIST_KEYS:
        items = data.get(key, [])
        if not isinstance(items, list):
            raise SeedError(path, line, f"{key} must be a list")
        if key in ("start_urls", "feeds", "sitemaps"):
            values[key] = tuple(_check_url(path, line, item) for item in items)
        elif not all(isinstance(item, str) and item and "/" not in item for item in items):
            raise SeedError(path, line, f"{key} must be a list of bare names (no scheme or path)")
        else:
            values[key] = tuple(item.lower() for item in items)
    if not (values["start_urls"] or values["feeds"] or values["sitemaps"]):
        raise SeedError(path, line, "a site needs at least one of start_urls, feeds, sitemaps")
    for key in ("max_depth", "max_age_days"):
        value = data.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
            raise SeedError(path, line, f"{key} must be a non-negative number")
        values[key] = value
    if not isinstance(data.get("discover_sitemaps", True), bool):
        raise SeedError(path, line, "discover_sitemaps must be true or false")
    urls = values["start_urls"] + values["feeds"] + values["sitemaps"]
    domains = values["allowed_domains"] or tuple(dict.fromkeys(urlsplit(u).hostname or "" for u in urls))
    name = data.get("name") or domains[0]
    if not isinstance(name, str):
        raise SeedError(path, line, "name must be a string")
    return Site(name=name, allowed_domains=domains, discover_sitemaps=data.get("discover_sitemaps", True), line=line,
                **{k: values[k] for k in ("start_urls", "feeds", "sitemaps", "languages", "max_depth", "max_age_days")})


def load_seeds(path: Path | str) -> list[Site]:
    """Read and validate a seed file; raise :class:`SeedError` on the first problem."""
    path = Path(path)
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(path, 0, f"cannot read the seed file: {error}") from error
    sites: list[Site] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if path.suffix == ".jsonl":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise SeedError(path, number, f"invalid JSON: {error.msg} at column {error.colno}") from error
            sites.append(_site_from_object(path, number, data))
        else:
            url = _check_url(path, number, text)
            sites.append(Site(name=urlsplit(url).hostname or url, start_urls=(url,),
                              allowed_domains=(urlsplit(url).hostname or "",), line=number))
    if not sites:
        raise SeedError(path, 0, "the seed file lists no site")
    return sites


def main(argv: list[str] | None = None) -> int:
    """Validate seed files: ``python -m crawler.seeds FILE...``."""
    import sys

    status = 0
    for name in argv if argv is not None else sys.argv[1:]:
        try:
            sites = load_seeds(name)
        except SeedError as error:
            print(f"error: {error}", file=sys.stderr)
            status = 1
        else:
            print(f"{name}: {len(sites)} site(s) OK")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
