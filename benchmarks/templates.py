"""What the site template rule removes, and how much of it was story text: the demo site and WCXB.

Run from the repository root (``make bench-templates``)::

    .venv/bin/python -m benchmarks.templates [--min-pages N] [--max-words W] [--wcxb DIR]

Pages are cleaned one by one, each site's template is learned from all its pages
(``cleaners.templates.clean_batch``, as ``python -m cleaners --learn-templates`` does), and every
block ``site_template`` removed is checked against the page's truth: a story line is a removed
block found in the golden text (the demo) or in the ground truth's ``main_content`` (WCXB, whose
pages are grouped by their ``domain`` in ``pages.json``; only domains with several pages can
teach a template). It reports, it never asserts. The last line is::

    templates demo_removed=... demo_story=... wcxb_article_removed=... wcxb_article_story=... wcxb_removed=... wcxb_story=...
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.data import ROOT
from cleaners import CleanError, clean
from cleaners.record import normalise_text
from cleaners.templates import MAX_WORDS, MIN_PAGES, RULE, blocks_of, clean_batch

DEFAULT_WCXB_DIR = ROOT / ".." / "shared" / "bench" / "wcxb"
# A removed block shorter than this ("Cons", "1") is story text only when it is a whole line of
# the truth; a longer one wherever it occurs (as fixtures.site.leftover_clutter judges clutter).
SHORT_BLOCK = 16
DEMO_BASE = "http://127.0.0.1:8000"
WORKERS = 2  # the machine is shared: at most two cleaning processes


def _removed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    kept = Counter(blocks_of(after))
    removed = []
    for block in blocks_of(before):
        if kept[block]:
            kept[block] -= 1
        else:
            removed.append(block)
    return removed


def score(pages: Sequence[tuple[dict[str, Any], str]], min_pages: int, max_words: int) -> tuple[int, list[str]]:
    """(blocks removed, the removed blocks that are story text) over (record, truth text) pairs of one batch."""
    cleaned = clean_batch([record for record, _ in pages], min_pages, max_words)
    removed, story = 0, []
    for (before, truth), after in zip(pages, cleaned, strict=True):
        assert after["removed"].get(RULE, 0) == len(_removed(before, after))
        folded = normalise_text(truth)
        lines = {normalise_text(line) for line in truth.splitlines()}
        for block in _removed(before, after):
            removed += 1
            mine = normalise_text(block)
            if mine in lines or (len(mine) >= SHORT_BLOCK and mine in folded):
                story.append(block)
    return removed, story


def demo_pages() -> list[tuple[dict[str, Any], str]]:
    from fixtures.site import golden_pages, render

    pages = []
    for path, golden in golden_pages():
        if golden["is_article"]:
            body, content_type = render(path, DEMO_BASE) or (b"", None)
            pages.append((clean(body, DEMO_BASE + path, content_type=content_type), str(golden["text"])))
    return pages


def _clean_wcxb(args: tuple[Path, str, str]) -> dict[str, Any] | None:
    html, url, domain = args
    try:
        record = clean(gzip.decompress(html.read_bytes()), url)
    except CleanError:
        return None
    return {**record, "site": domain}  # the registrable domain, as the crawl names a site without a seed


def wcxb_pages(root: Path, page_type: str | None = None) -> list[tuple[dict[str, Any], str]]:
    """Records and truths of the WCXB pages (of ``page_type`` only, if given) whose domain has several of them."""
    index = {page_id: page for page_id, page in json.loads((root / "pages.json").read_text("utf-8")).items()
             if page_type in (None, page["page_type"])}
    by_domain = Counter(page["domain"] for page in index.values())
    jobs, truths = [], []
    for page_id, page in sorted(index.items()):
        if by_domain[page["domain"]] < 2:
            continue
        truth = json.loads((root / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
        jobs.append((root / "html" / f"{page_id}.html.gz", truth["url"], page["domain"]))
        truths.append(str(truth["ground_truth"].get("main_content") or ""))
    with ProcessPoolExecutor(WORKERS) as pool:
        records = list(pool.map(_clean_wcxb, jobs, chunksize=8))
    return [(record, truth) for record, truth in zip(records, truths, strict=True) if record is not None]


def _report(name: str, removed: int, story: Iterable[str]) -> None:
    story = list(story)
    print(f"{name}: site_template removed {removed} blocks, {len(story)} of them story text")
    for block in story[:10]:
        print(f"  story: {block[:110]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-pages", type=int, default=MIN_PAGES)
    parser.add_argument("--max-words", type=int, default=MAX_WORDS)
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB_DIR, help="the WCXB benchmark (pages.json, html/, ground-truth/)")
    args = parser.parse_args(argv)
    demo_removed, demo_story = score(demo_pages(), args.min_pages, args.max_words)
    _report("demo site (per publisher)", demo_removed, demo_story)
    if not (args.wcxb / "pages.json").is_file():
        print(f"templates benchmark: no WCXB data at {args.wcxb}", file=sys.stderr)
        return 2
    articles = wcxb_pages(args.wcxb, "article")
    article_removed, article_story = score(articles, args.min_pages, args.max_words)
    _report(f"WCXB articles ({len(articles)} pages of domains with 2+ articles)", article_removed, article_story)
    pages = wcxb_pages(args.wcxb)
    wcxb_removed, wcxb_story = score(pages, args.min_pages, args.max_words)
    _report(f"WCXB, every page type ({len(pages)} pages of domains with 2+ pages)", wcxb_removed, wcxb_story)
    print(f"templates demo_removed={demo_removed} demo_story={len(demo_story)} wcxb_article_removed={article_removed}"
          f" wcxb_article_story={len(article_story)} wcxb_removed={wcxb_removed} wcxb_story={len(wcxb_story)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
