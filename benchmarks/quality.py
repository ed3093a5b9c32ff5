"""Extraction-quality benchmark: the project's cleaner against trafilatura.

Run from the repository root::

    .venv/bin/python -m benchmarks.quality [--limit N] [--ids a,b] [--workers N]
        [--extractors project,trafilatura,...] [--dump DIR]

Every page of the Zyte article-extraction benchmark is scored, in the same
run, with:

- ``project``: ``cleaners.clean(html_bytes, url)["text"]`` (skipped, with a
  message, when ``cleaners`` cannot be imported);
- ``trafilatura``: ``trafilatura.extract(html_bytes, url=url)`` (defaults);
- ``traf_no_comments``: the same with ``include_comments=False``;
- ``traf_precision``: ``include_comments=False, favor_precision=True``.

All extractors get the same gunzipped bytes (trafilatura decodes them itself).
A page where an extractor raises or returns ``None`` scores as empty text.

The benchmark data is read from ``../shared/bench/zyte`` relative to the
repository root, or from ``$CLEANCRAWL_BENCH_DIR``; it is never copied into the
repository (``--dump`` refuses directories inside it). The exit status is 0
whatever the scores, 2 when the benchmark data is missing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.data import BENCH_ENV, ROOT, BenchDataMissing, bench_dir
from benchmarks.metric import Aggregate, aggregate, score_page

META_FIELDS = ("title", "authors", "date_published", "language")




@dataclass(frozen=True)
class Page:
    """One benchmark page: id, URL, path of its gzipped HTML and the true body text."""

    id: str
    url: str
    html_path: Path
    truth: str


def load_pages(directory: Path | None = None) -> list[Page]:
    """Load the ground truth and check that every page's HTML is present (sorted by id)."""
    directory = directory or bench_dir()
    truth_path = directory / "ground-truth.json"
    if not truth_path.is_file():
        raise BenchDataMissing(
            f"benchmark data not found: {truth_path} is missing "
            f"(set {BENCH_ENV} to the directory holding ground-truth.json and html/)"
        )
    with truth_path.open(encoding="utf-8") as f:
        truth = json.load(f)
    pages = []
    for page_id in sorted(truth):
        html_path = directory / "html" / f"{page_id}.html.gz"
        if not html_path.is_file():
            raise BenchDataMissing(f"benchmark data incomplete: {html_path} is missing")
        entry = truth[page_id]
        pages.append(Page(page_id, entry["url"], html_path, entry.get("articleBody") or ""))
    return pages


# --- extractors -------------------------------------------------------------
# Each takes the page's bytes and URL and returns (text, metadata or None).

Extracted = tuple[str | None, dict[str, Any] | None]


def _project(html: bytes, url: str) -> Extracted:
    from cleaners import clean

    record = clean(html, url)
    if record is None:
        return None, None
    meta = {name: record.get(name) for name in META_FIELDS}
    return record.get("text"), meta


def _trafilatura(**options: Any) -> Callable[[bytes, str], Extracted]:
    def run(html: bytes, url: str) -> Extracted:
        import trafilatura

        return trafilatura.extract(html, url=url, **options), None

    return run


EXTRACTORS: dict[str, Callable[[bytes, str], Extracted]] = {
    "project": _project,
    "trafilatura": _trafilatura(),
    "traf_no_comments": _trafilatura(include_comments=False),
    "traf_precision": _trafilatura(include_comments=False, favor_precision=True),
}
BASELINE = "trafilatura"


def project_available() -> str | None:
    """``None`` when ``cleaners.clean`` imports, else the reason it does not."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from cleaners import clean  # noqa: F401
    except Exception as exc:  # ImportError, or any error raised while importing
        return f"{type(exc).__name__}: {exc}"
    return None


# --- scoring ----------------------------------------------------------------


@dataclass
class Result:
    """One extractor's output on one page."""

    text: str
    seconds: float
    error: str | None = None  # "raised: ..." or "returned None"
    meta: dict[str, Any] | None = None


@dataclass
class PageResult:
    """All extractors' outputs on one page."""

    page: Page
    results: dict[str, Result] = field(default_factory=dict)


def run_page(page: Page, names: Sequence[str]) -> PageResult:
    """Run the named extractors on one page (this is what the worker processes do)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    html = gzip.decompress(page.html_path.read_bytes())
    out = PageResult(page)
    for name in names:
        start = time.perf_counter()
        error = None
        meta = None
        try:
            text, meta = EXTRACTORS[name](html, page.url)
            if text is None:
                error = "returned None"
        except Exception as exc:
            text = None
            last = traceback.extract_tb(exc.__traceback__)[-1]
            error = f"raised {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
        out.results[name] = Result(text or "", time.perf_counter() - start, error, meta)
    return out


def warm_up(names: Sequence[str]) -> None:
    """Import and run each extractor once on a tiny page, so that one-off import
    and initialisation costs do not land in the first page's timing."""
    tiny = b"<html><body><article><p>Warm up the extractor once.</p></article></body></html>"
    for name in names:
        try:
            EXTRACTORS[name](tiny, "https://example.com/")
        except Exception:
            pass  # real pages will report the error


def run_pages(pages: Sequence[Page], names: Sequence[str], workers: int = 2) -> list[PageResult]:
    """Run the extractors on every page, in a process pool when ``workers > 1``."""
    if workers <= 1:
        warm_up(names)
        return [run_page(p, names) for p in pages]
    with ProcessPoolExecutor(max_workers=workers, initializer=warm_up, initargs=(tuple(names),)) as pool:
        return list(pool.map(run_page, pages, [tuple(names)] * len(pages), chunksize=2))


@dataclass
class ExtractorSummary:
    """One extractor's aggregate scores, failures and total extraction time."""

    name: str
    scores: Aggregate
    seconds: float
    failures: list[tuple[str, str]]  # (page id, error)


def summarise(results: Sequence[PageResult], name: str) -> ExtractorSummary:
    """Aggregate one extractor's per-page scores."""
    scores = [score_page(r.page.truth, r.results[name].text) for r in results]
    failures = [(r.page.id, r.results[name].error) for r in results if r.results[name].error]
    seconds = sum(r.results[name].seconds for r in results)
    return ExtractorSummary(name, aggregate(scores), seconds, failures)


# --- report -----------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def print_report(results: Sequence[PageResult], names: Sequence[str], wall: float) -> None:
    """Print the table, the failures, the project's losses and its worst pages, then the summary line."""
    summaries = {name: summarise(results, name) for name in names}
    print(f"\n{'extractor':<18} {'F1':>6} {'prec':>6} {'recall':>6} {'acc':>6} {'pages':>6} {'seconds':>8}")
    for s in summaries.values():
        a = s.scores
        print(
            f"{s.name:<18} {a.f1:>6.3f} {a.precision:>6.3f} {a.recall:>6.3f} "
            f"{a.accuracy:>6.3f} {a.pages:>6} {s.seconds:>8.1f}"
        )
    print(f"(seconds: extraction time summed over pages; wall time {wall:.1f}s)")

    for s in summaries.values():
        if s.failures:
            print(f"\n{s.name}: {len(s.failures)} page(s) scored as empty text")
            for page_id, error in s.failures:
                print(f"  {page_id[:12]}  {error}")

    if "project" in summaries:
        per_page = {
            r.page.id: (r, score_page(r.page.truth, r.results["project"].text)) for r in results
        }
        if BASELINE in summaries:
            losses = []
            for r, own in per_page.values():
                base = score_page(r.page.truth, r.results[BASELINE].text)
                if own.f1 < base.f1 - 1e-9:
                    losses.append((own.f1 - base.f1, r.page, own.f1, base.f1))
            losses.sort(key=lambda x: x[0])
            print(f"\npages where project loses to {BASELINE} (default): {len(losses)}")
            print(f"  {'id':<12} {'project':>7} {BASELINE:>11}  url")
            for _, page, own_f1, base_f1 in losses:
                print(f"  {page.id[:12]:<12} {own_f1:>7.3f} {base_f1:>11.3f}  {page.url}")

        worst = sorted(per_page.values(), key=lambda x: (x[1].f1, x[0].page.id))[:10]
        print("\nten worst project pages:")
        print(f"  {'id':<12} {'F1':>6} {'prec':>6} {'recall':>6}  url")
        for r, s in worst:
            print(
                f"  {r.page.id[:12]:<12} {s.f1:>6.3f} {_fmt(s.precision):>6} "
                f"{_fmt(s.recall):>6}  {r.page.url}"
            )

        metas = [r.results["project"].meta or {} for r in results]
        shares = ", ".join(
            f"{name} {sum(1 for m in metas if m.get(name)) / len(metas):.3f}" for name in META_FIELDS
        )
        print(f"\nproject metadata presence (share of {len(metas)} pages, non-empty): {shares}")

    own = summaries.get("project")
    base = summaries.get(BASELINE)
    base_f1 = f"{base.scores.f1:.4f}" if base else "n/a"
    if own:
        a = own.scores
        print(
            f"quality f1={a.f1:.4f} precision={a.precision:.4f} recall={a.recall:.4f} "
            f"accuracy={a.accuracy:.4f} trafilatura_f1={base_f1}"
        )
    else:
        print(f"quality f1=n/a precision=n/a recall=n/a accuracy=n/a trafilatura_f1={base_f1}")


def dump(results: Sequence[PageResult], names: Sequence[str], directory: Path) -> None:
    """Write each page's truth and predictions as ``DIR/<extractor>/<id>.txt``."""
    for name in ("truth", *names):
        (directory / name).mkdir(parents=True, exist_ok=True)
    for r in results:
        (directory / "truth" / f"{r.page.id}.txt").write_text(r.page.truth, encoding="utf-8")
        for name in names:
            (directory / name / f"{r.page.id}.txt").write_text(r.results[name].text, encoding="utf-8")


def _inside_repo(path: Path) -> bool:
    resolved = path.resolve()
    return resolved == ROOT or ROOT in resolved.parents


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.quality", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--limit", type=int, help="score only the first N pages (by id)")
    parser.add_argument("--ids", help="comma-separated page ids (or unique id prefixes, as printed) to score")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--extractors",
        help=f"comma-separated subset of {','.join(EXTRACTORS)} (default: all)",
    )
    parser.add_argument("--dump", type=Path, help="write truth and predictions per page into DIR (outside the repo)")
    args = parser.parse_args(argv)

    if args.dump and _inside_repo(args.dump):
        parser.error(f"--dump {args.dump} is inside the repository; benchmark texts stay out of it (use e.g. /tmp)")

    try:
        pages = load_pages()
    except BenchDataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.ids:
        wanted = [i.strip() for i in args.ids.split(",") if i.strip()]
        selected = []
        for prefix in wanted:
            matches = [p for p in pages if p.id.startswith(prefix)]
            if len(matches) != 1:
                parser.error(f"--ids: {prefix!r} matches {len(matches)} pages")
            selected.append(matches[0])
        pages = selected
    if args.limit is not None:
        pages = pages[: args.limit]

    names = list(EXTRACTORS)
    if args.extractors:
        names = [n.strip() for n in args.extractors.split(",") if n.strip()]
        unknown = [n for n in names if n not in EXTRACTORS]
        if unknown or not names:
            parser.error(f"--extractors: unknown {unknown}; choose from {', '.join(EXTRACTORS)}")
    reason = project_available() if "project" in names else None
    if reason:
        print(f"project column unavailable: cannot import cleaners.clean ({reason})")
        names.remove("project")

    print(f"scoring {len(pages)} pages from {bench_dir()} with {', '.join(names)} ({args.workers} workers)")
    start = time.perf_counter()
    results = run_pages(pages, names, args.workers)
    wall = time.perf_counter() - start
    if args.dump:
        dump(results, names, args.dump)
        print(f"wrote truth and predictions to {args.dump}")
    print_report(results, names, wall)
    return 0


if __name__ == "__main__":
    sys.exit(main())
