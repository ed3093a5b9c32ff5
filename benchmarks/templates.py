"""What the site template rule removes, and how much of it was story text: the demo site and WCXB.

Run from the repository root (``make bench-templates``)::

    .venv/bin/python -m benchmarks.templates [--min-pages N] [--max-words W] [--wcxb DIR]
    .venv/bin/python -m benchmarks.templates --cpu PAGES

Pages are cleaned one by one, each site's template is learned from all its pages
(``cleaners.templates.clean_batch``, as ``python -m cleaners --learn-templates`` does), and every
block ``site_template`` removed is checked against the page's truth: a story line is a removed
block found in the golden text (the demo) or in the ground truth's ``main_content`` (WCXB, whose
pages are grouped by their ``domain`` in ``pages.json``; only domains with several pages can
teach a template). ``--cpu PAGES`` instead replays, in one process, what the crawl does with the
speed benchmark's first PAGES pages (``benchmarks.speed_site``: one site) with and without the site
template steps (a cleaning worker's call, the store's memory, the pipeline's own removal) and
prints the CPU they add per page. It reports, it never asserts. The last line is::

    templates demo_removed=... demo_story=... wcxb_article_removed=... wcxb_article_story=... wcxb_removed=... wcxb_story=...
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.data import ROOT
from cleaners import CleanError, clean
from cleaners.record import normalise_text
from cleaners.templates import MAX_WORDS, MIN_PAGES, RULE, apply, blocks_of, clean_batch

DEFAULT_WCXB_DIR = ROOT / ".." / "shared" / "bench" / "wcxb"
# A removed block shorter than this ("Cons", "1") is story text only when it is a whole line of
# the truth; a longer one wherever it occurs (as fixtures.site.leftover_clutter judges clutter).
SHORT_BLOCK = 16
DEMO_BASE = "http://127.0.0.1:8000"
BASE_URL = "http://127.0.0.1:8001"  # the speed site's pages, never fetched
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


def _cpu(pages: int) -> None:
    """CPU per page of the crawl's cleaning with and without the site template steps, replayed in one process."""
    from benchmarks.speed_site import HTML_TYPE, SpeedSite, load_pages
    from crawler.cleaning import PackedTemplate, clean_page
    from crawler.pipelines.templates import FLUSH_PAGES
    from crawler.store import open_store

    site = SpeedSite(load_pages(), pages)
    bodies = [(site.article(k), BASE_URL + site.article_path(k)) for k in range(pages)]

    def cleaned(body: bytes, url: str, packed: PackedTemplate | None) -> tuple[str, Any, list[str]]:
        # pickled both ways, as the pool does
        result = clean_page(*pickle.loads(pickle.dumps((body, url, HTML_TYPE, "", packed))))
        return pickle.loads(pickle.dumps(result))  # type: ignore[no-any-return]

    def plain() -> float:
        start = time.process_time()
        for body, url in bodies:
            cleaned(body, url, None)
        return time.process_time() - start

    plain()  # warm-up
    without = plain()
    store = open_store(str(Path(tempfile.mkdtemp()) / "store.sqlite3"), "cpu")
    packed, known = PackedTemplate("site", "", MAX_WORDS), dict[str, int]()  # fingerprint -> place in packed
    batch: list[tuple[dict[str, Any], list[str], int]] = []
    worker = crawl = moved = 0.0
    for number, (body, url) in enumerate(bodies, 1):
        start = time.process_time()
        status, record, marks = cleaned(body, url, packed)
        middle = time.process_time()
        if status == "ok":
            batch.append((record, marks, packed.size))
        if len(batch) >= FLUSH_PAGES or number == len(bodies):  # as SiteTemplatePipeline writes and judges
            store.record_template_pages("site", {record["canonical_url"]: marks for record, marks, _ in batch}, "")
            counts = store.template_counts("site", {mark for _, marks, _ in batch for mark in marks})
            for record, marks, size in batch:
                template = {mark for mark in marks if counts.get(mark, 0) >= MIN_PAGES}
                new = sorted(template.difference(known))
                if new:
                    packed = PackedTemplate("site", packed.fingerprints + "".join(new), MAX_WORDS)
                    known.update(zip(new, range(len(known), len(known) + len(new)), strict=True))
                if any(known[mark] >= size for mark in template):  # else the worker removed them all
                    applying = time.process_time()
                    pickle.loads(pickle.dumps(apply(*pickle.loads(pickle.dumps((record, template, MAX_WORDS))))))
                    moved += time.process_time() - applying  # in a worker, as the pipeline sends it
            batch = []
        worker, crawl = worker + middle - start, crawl + time.process_time() - middle
    worker, crawl = worker + moved, crawl - moved
    without = (without + plain()) / 2
    ms = 1000 / pages
    print(f"{pages} speed benchmark pages: {without * ms:.2f} ms CPU a page without the site template,"
          f" {worker * ms:.2f} in the worker + {crawl * ms:.2f} on the crawl side with it"
          f" ({100 * (worker + crawl - without) / without:+.1f}%); {len(known)} template fingerprints")
    print(f"templates cpu_ms_without={without * ms:.2f} cpu_ms_with={(worker + crawl) * ms:.2f}")


def _report(name: str, removed: int, story: Iterable[str]) -> None:
    story = list(story)
    print(f"{name}: site_template removed {removed} blocks, {len(story)} of them story text")
    for block in story[:10]:
        print(f"  story: {block[:110]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-pages", type=int, default=MIN_PAGES)
    parser.add_argument("--max-words", type=int, default=MAX_WORDS)
    parser.add_argument("--wcxb", type=Path, default=DEFAULT_WCXB_DIR,
                        help="the WCXB benchmark (pages.json, html/, ground-truth/)")
    parser.add_argument("--cpu", type=int, metavar="PAGES",
                        help="measure the CPU the crawl's template steps add instead")
    args = parser.parse_args(argv)
    if args.cpu:
        _cpu(args.cpu)
        return 0
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
