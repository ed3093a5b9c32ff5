"""Extraction-quality benchmark: the project's cleaner against trafilatura, on both benchmark sets.

Run from the repository root (``make bench-quality``)::

    .venv/bin/python -m benchmarks.quality [--set zyte|wcxb] [--limit N] [--ids a,b]
        [--workers N] [--extractors project,trafilatura,traf_precision] [--losses N] [--dump DIR]

Every page is scored, in the same run, with:

- ``project``: ``cleaners.clean(html_bytes, url)`` (text, title, authors, publication
  date, ``is_article``); skipped, with a message, when ``cleaners`` cannot be imported;
- ``trafilatura``: ``trafilatura.extract(html_bytes, url=url, include_comments=False)``,
  and trafilatura's own metadata (``extract_metadata``) for title, author and date;
- ``traf_precision``: the same extraction with ``favor_precision=True``.

Zyte (``zyte/``): the benchmark's shingle F1, precision, recall and exact accuracy.
WCXB (``wcxb/``): on its article pages, word F1/P/R (means per page), the ``with`` and
``without`` snippet rates, title (same words after folding case, accents and
punctuation), authors (precision/recall/F1 of normalised person names, summed over
pages), publication day (right on pages whose truth has one; given at all on pages
whose truth has none); over all its pages, ``is_article`` against the page type.

Then the pages where the project loses most to trafilatura (per-page F1), each
re-cleaned with every rule that fired on it switched off in turn
(``cleaners.clean(..., skip_rules={rule})``), naming the rule that cost the most.
The output ends with one ``quality <set> ...`` line per set scored. All extractors get
the same gunzipped bytes; a page where one raises or returns ``None`` scores as empty
text. The data is read in place (``benchmarks.data``); ``--dump`` refuses directories
inside the repository. Exit status 0 whatever the scores, 2 when the data is missing.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.data import LOADERS, ROOT, SETS, BenchDataMissing, Page, bench_root
from benchmarks.metric import (NameCounts, aggregate, name_counts, publication_day, same_title, score_page,
                               snippet_hits, word_score)

# --- extractors -------------------------------------------------------------
# Each takes the page's bytes and URL and returns (text, metadata or None).

Extracted = tuple[str | None, dict[str, Any] | None]


def _project(html: bytes, url: str, skip_rules: Iterable[str] = ()) -> Extracted:
    from cleaners import clean

    record = clean(html, url, skip_rules=frozenset(skip_rules))
    fields = ("title", "authors", "date_published", "is_article", "not_article_reason", "removed")
    return record["text"], {name: record[name] for name in fields}


def _trafilatura(html: bytes, url: str) -> Extracted:
    import trafilatura
    from trafilatura.utils import load_html

    text = trafilatura.extract(html, url=url, include_comments=False)
    tree = load_html(html)
    if tree is None:
        return text, None
    meta = trafilatura.extract_metadata(tree, default_url=url)
    return text, {"title": meta.title, "authors": [meta.author] if meta.author else [], "date_published": meta.date}


def _traf_precision(html: bytes, url: str) -> Extracted:
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True), None


EXTRACTORS: dict[str, Callable[[bytes, str], Extracted]] = {
    "project": _project,
    "trafilatura": _trafilatura,
    "traf_precision": _traf_precision,
}
OWN = "project"
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


# --- running ----------------------------------------------------------------


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


def _run(extractor: Callable[..., Extracted], html: bytes, url: str, *args: Any) -> Result:
    start = time.perf_counter()
    error = None
    meta = None
    try:
        text, meta = extractor(html, url, *args)
        if text is None:
            error = "returned None"
    except Exception as exc:
        text = None
        last = traceback.extract_tb(exc.__traceback__)[-1]
        error = f"raised {type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})"
    return Result(text or "", time.perf_counter() - start, error, meta)


def _html(page: Page) -> bytes:
    return gzip.decompress(page.html_path.read_bytes())


def run_page(page: Page, names: Sequence[str]) -> PageResult:
    """Run the named extractors on one page (this is what the worker processes do)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    html = _html(page)
    return PageResult(page, {name: _run(EXTRACTORS[name], html, page.url) for name in names})


def run_without(page: Page, rule: str) -> str:
    """The project's text of one page with one rule switched off."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return _run(_project, _html(page), page.url, (rule,)).text


def warm_up(names: Sequence[str]) -> None:
    """Import and run each extractor once on a tiny page, so that one-off import
    and initialisation costs do not land in the first page's timing."""
    tiny = b"<html><body><article><p>Warm up the extractor once.</p></article></body></html>"
    for name in names:
        try:
            EXTRACTORS[name](tiny, "https://example.com/")
        except Exception:
            pass  # real pages will report the error


class _Serial(Executor):
    """A one-process stand-in for the pool (``--workers 1``)."""

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], timeout: float | None = None,
            chunksize: int = 1) -> Any:
        return map(fn, *iterables)


def make_executor(names: Sequence[str], workers: int) -> Executor:
    if workers <= 1:
        warm_up(names)
        return _Serial()
    return ProcessPoolExecutor(max_workers=workers, initializer=warm_up, initargs=(tuple(names),))


def run_pages(pages: Sequence[Page], names: Sequence[str], executor: Executor) -> list[PageResult]:
    """Run the extractors on every page."""
    return list(executor.map(run_page, pages, [tuple(names)] * len(pages), chunksize=4))


# --- scoring ----------------------------------------------------------------


def text_f1(page: Page, text: str) -> float:
    """The page's text score in its set's own metric (for ranking pages)."""
    return score_page(page.truth, text).f1 if page.set == "zyte" else word_score(page.truth, text).f1


@dataclass(frozen=True)
class TextScores:
    """One extractor's text scores on one set, with its failures and time."""

    f1: float
    precision: float
    recall: float
    extra: dict[str, float]  # zyte: accuracy; wcxb: with/without snippet rates
    pages: int
    ms_per_page: float  # extraction time, over every page run (not only those scored)
    failures: list[tuple[str, str]]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def text_scores(results: Sequence[PageResult], name: str) -> TextScores:
    """Zyte: the benchmark's shingle scores over all pages; WCXB: word scores over its article pages."""
    ms = 1000 * sum(r.results[name].seconds for r in results) / max(1, len(results))
    failures = [(r.page.id, r.results[name].error or "") for r in results if r.results[name].error]
    if results and results[0].page.set == "zyte":
        a = aggregate(score_page(r.page.truth, r.results[name].text) for r in results)
        return TextScores(a.f1, a.precision, a.recall, {"accuracy": a.accuracy}, a.pages, ms, failures)
    articles = [r for r in results if r.page.is_article]
    words = [word_score(r.page.truth, r.results[name].text) for r in articles]
    found = [snippet_hits(r.page.with_snippets, r.results[name].text, present=True) for r in articles]
    absent = [snippet_hits(r.page.without_snippets, r.results[name].text, present=False) for r in articles]
    extra = {"with": sum(h for h, _ in found) / max(1, sum(n for _, n in found)),
             "without": sum(h for h, _ in absent) / max(1, sum(n for _, n in absent))}
    return TextScores(_mean([w.f1 for w in words]), _mean([w.precision for w in words]),
                      _mean([w.recall for w in words]), extra, len(articles), ms, failures)


@dataclass(frozen=True)
class MetaScores:
    """One extractor's metadata scores on the WCXB article pages."""

    title: float
    authors: NameCounts
    date: float  # right day, on pages whose truth has a date
    date_when_none: float  # a date given, on pages whose truth has none
    dated: int
    undated: int


def meta_scores(results: Sequence[PageResult], name: str) -> MetaScores:
    articles = [r for r in results if r.page.is_article]
    metas = [(r.page, r.results[name].meta or {}) for r in articles]
    dated = [(page, meta) for page, meta in metas if publication_day(page.date)]
    undated = [meta for page, meta in metas if not publication_day(page.date)]
    authors = sum((name_counts(page.author, meta.get("authors") or []) for page, meta in metas), NameCounts())
    return MetaScores(
        title=_mean([1.0 if same_title(page.title, meta.get("title")) else 0.0 for page, meta in metas]),
        authors=authors,
        date=_mean([1.0 if publication_day(meta.get("date_published")) == page.date else 0.0 for page, meta in dated]),
        date_when_none=_mean([1.0 if publication_day(meta.get("date_published")) else 0.0 for meta in undated]),
        dated=len(dated), undated=len(undated),
    )


@dataclass(frozen=True)
class PageTypeScores:
    """``is_article`` against the page type over all pages of a set."""

    accuracy: float
    articles_kept: float
    kept: Counter[str]  # pages taken for articles, by page type
    pages: Counter[str]  # pages by page type
    reasons: dict[str, Counter[str]]  # not_article_reason by page type


def page_type_scores(results: Sequence[PageResult]) -> PageTypeScores:
    kept: Counter[str] = Counter()
    pages: Counter[str] = Counter()
    reasons: dict[str, Counter[str]] = {}
    right = 0
    for r in results:
        meta = r.results[OWN].meta or {}
        kind = r.page.page_type
        pages[kind] += 1
        if meta.get("is_article"):
            kept[kind] += 1
        else:
            reasons.setdefault(kind, Counter())[meta.get("not_article_reason") or r.results[OWN].error or "?"] += 1
        right += bool(meta.get("is_article")) == r.page.is_article
    articles = sum(n for kind, n in pages.items() if kind == "article")
    return PageTypeScores(right / max(1, len(results)), kept["article"] / max(1, articles), kept, pages, reasons)


# --- losses -----------------------------------------------------------------


@dataclass(frozen=True)
class Loss:
    """A page where the project scores below trafilatura, and the rule that cost it the most."""

    page: Page
    own: float
    base: float
    rule: str | None = None
    without_rule: float | None = None


def biggest_losses(results: Sequence[PageResult], count: int) -> list[Loss]:
    """The ``count`` article pages where the project's text F1 is furthest below trafilatura's."""
    losses = []
    for r in results:
        if r.page.is_article:
            own, base = text_f1(r.page, r.results[OWN].text), text_f1(r.page, r.results[BASELINE].text)
            if own < base - 1e-9:
                losses.append(Loss(r.page, own, base))
    return sorted(losses, key=lambda loss: (loss.own - loss.base, loss.page.id))[:count]


def blame_rules(losses: Sequence[Loss], results: Sequence[PageResult], executor: Executor) -> list[Loss]:
    """Re-clean each page once per rule that fired on it; name the rule whose absence helps most."""
    fired = {r.page.id: sorted(((r.results[OWN].meta or {}).get("removed") or {})) for r in results}
    tasks = [(loss, rule) for loss in losses for rule in fired[loss.page.id]]
    texts = executor.map(run_without, [loss.page for loss, _ in tasks], [rule for _, rule in tasks], chunksize=2)
    best: dict[str, tuple[float, str]] = {}
    for (loss, rule), text in zip(tasks, texts, strict=True):
        score = text_f1(loss.page, text)
        if score > best.get(loss.page.id, (loss.own + 1e-9, ""))[0]:
            best[loss.page.id] = (score, rule)
    blamed = []
    for loss in losses:
        score, rule = best.get(loss.page.id, (None, None))
        blamed.append(Loss(loss.page, loss.own, loss.base, rule, score))
    return blamed


# --- report -----------------------------------------------------------------


@dataclass
class SetReport:
    """Everything printed for one set, and its closing line."""

    name: str
    text: dict[str, TextScores]
    meta: dict[str, MetaScores]
    page_types: PageTypeScores | None
    losses: list[Loss]

    def summary_line(self) -> str:
        own, base = self.text.get(OWN), self.text.get(BASELINE)

        def num(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.4f}"

        parts = [f"f1={num(own and own.f1)}", f"p={num(own and own.precision)}", f"r={num(own and own.recall)}"]
        if self.name == "zyte":
            parts.append(f"accuracy={num(own and own.extra['accuracy'])}")
        else:
            meta = self.meta.get(OWN)
            types = self.page_types
            parts += [f"authors_f1={num(meta and meta.authors.f1)}", f"date={num(meta and meta.date)}",
                      f"date_when_none={num(meta and meta.date_when_none)}", f"title={num(meta and meta.title)}",
                      f"is_article={num(types and types.accuracy)}", f"articles_kept={num(types and types.articles_kept)}"]
        parts.append(f"trafilatura_f1={num(base and base.f1)}")
        if self.name == "wcxb":
            parts.append(f"trafilatura_r={num(base and base.recall)}")
        return f"quality {self.name} " + " ".join(parts)


def score_set(name: str, results: Sequence[PageResult], names: Sequence[str], losses: int,
              executor: Executor) -> SetReport:
    text = {extractor: text_scores(results, extractor) for extractor in names}
    meta = {extractor: meta_scores(results, extractor) for extractor in names
            if name == "wcxb" and extractor in (OWN, BASELINE)}
    page_types = page_type_scores(results) if name == "wcxb" and OWN in names else None
    blamed = []
    if OWN in names and BASELINE in names and losses:
        blamed = blame_rules(biggest_losses(results, losses), results, executor)
    return SetReport(name, text, meta, page_types, blamed)


def print_report(report: SetReport, wall: float) -> None:
    extra = ("accuracy",) if report.name == "zyte" else ("with", "without")
    print(f"\n== {report.name}: text ({next(iter(report.text.values())).pages if report.text else 0} "
          f"{'pages' if report.name == 'zyte' else 'article pages'})")
    print(f"{'extractor':<15} {'F1':>6} {'prec':>6} {'recall':>6} " + " ".join(f"{e:>7}" for e in extra)
          + f" {'ms/page':>8}")
    for extractor, s in report.text.items():
        print(f"{extractor:<15} {s.f1:>6.3f} {s.precision:>6.3f} {s.recall:>6.3f} "
              + " ".join(f"{s.extra[e]:>7.3f}" for e in extra) + f" {s.ms_per_page:>8.1f}")
    print(f"(ms/page: extraction time per page run, metadata included; wall time for the set {wall:.1f}s)")
    for extractor, s in report.text.items():
        if s.failures:
            print(f"{extractor}: {len(s.failures)} page(s) scored as empty text")
            for page_id, error in s.failures[:10]:
                print(f"  {page_id[:12]}  {error}")

    if report.meta:
        any_meta = next(iter(report.meta.values()))
        print(f"\n== {report.name}: metadata (article pages; date on {any_meta.dated} with a true date, "
              f"date_when_none on {any_meta.undated} without)")
        print(f"{'extractor':<15} {'title':>6} {'auth_p':>6} {'auth_r':>6} {'auth_f1':>7} {'date':>6} {'date_when_none':>15}")
        for extractor, m in report.meta.items():
            a = m.authors
            print(f"{extractor:<15} {m.title:>6.3f} {a.precision:>6.3f} {a.recall:>6.3f} {a.f1:>7.3f} "
                  f"{m.date:>6.3f} {m.date_when_none:>15.3f}")

    if report.page_types:
        t = report.page_types
        print(f"\n== {report.name}: is_article over {sum(t.pages.values())} pages: accuracy {t.accuracy:.3f}, "
              f"articles kept {t.articles_kept:.3f}")
        print(f"{'page type':<15} {'pages':>6} {'kept':>6} {'share':>6}  dropped as")
        for kind, n in sorted(t.pages.items(), key=lambda item: (item[0] != "article", item[0])):
            reasons = ", ".join(f"{reason} {count}" for reason, count in t.reasons.get(kind, Counter()).most_common())
            print(f"{kind:<15} {n:>6} {t.kept[kind]:>6} {t.kept[kind] / n:>6.3f}  {reasons}")

    if report.losses:
        print(f"\n== {report.name}: pages where {OWN} loses most to {BASELINE} (text F1), "
              "and the rule whose absence helps most")
        print(f"  {'id':<12} {OWN:>7} {BASELINE:>11}  {'rule':<20} {'without':>7}  url")
        for loss in report.losses:
            without = "-" if loss.without_rule is None else f"{loss.without_rule:.3f}"
            print(f"  {loss.page.id[:12]:<12} {loss.own:>7.3f} {loss.base:>11.3f}  {loss.rule or '(none)':<20} "
                  f"{without:>7}  {loss.page.url}")
        print("  (rule '(none)': no single rule switched off helps; the loss is extraction's)")


def dump(results: Sequence[PageResult], names: Sequence[str], directory: Path) -> None:
    """Write each page's truth and predictions as ``DIR/<set>/<extractor>/<id>.txt``."""
    for r in results:
        for name in ("truth", *names):
            (directory / r.page.set / name).mkdir(parents=True, exist_ok=True)
        (directory / r.page.set / "truth" / f"{r.page.id}.txt").write_text(r.page.truth, encoding="utf-8")
        for name in names:
            (directory / r.page.set / name / f"{r.page.id}.txt").write_text(r.results[name].text, encoding="utf-8")


def _inside_repo(path: Path) -> bool:
    resolved = path.resolve()
    return resolved == ROOT or ROOT in resolved.parents


def select(pages: list[Page], ids: Sequence[str], limit: int | None) -> list[Page]:
    if ids:
        pages = [p for p in pages if any(p.id.startswith(prefix) for prefix in ids)]
    return pages[:limit] if limit is not None else pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=SETS, action="append", help="score only this set (repeatable; default: all)")
    parser.add_argument("--limit", type=int, help="score only the first N pages (by id) of each set")
    parser.add_argument("--ids", help="comma-separated page ids (or id prefixes, as printed) to score")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--extractors", help=f"comma-separated subset of {','.join(EXTRACTORS)} (default: all)")
    parser.add_argument("--losses", type=int, default=10, help="losing pages to list per set, with their rule (default 10)")
    parser.add_argument("--dump", type=Path, help="write truth and predictions per page into DIR (outside the repo)")
    args = parser.parse_args(argv)

    if args.dump and _inside_repo(args.dump):
        parser.error(f"--dump {args.dump} is inside the repository; benchmark texts stay out of it (use e.g. /tmp)")
    names = list(EXTRACTORS)
    if args.extractors:
        names = [n.strip() for n in args.extractors.split(",") if n.strip()]
        unknown = [n for n in names if n not in EXTRACTORS]
        if unknown or not names:
            parser.error(f"--extractors: unknown {unknown}; choose from {', '.join(EXTRACTORS)}")
    ids = [i.strip() for i in (args.ids or "").split(",") if i.strip()]
    sets = args.set or list(SETS)
    try:
        pages = {name: select(LOADERS[name](), ids, args.limit) for name in sets}
    except BenchDataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if ids and not any(pages.values()):
        parser.error(f"--ids: no page matches {ids}")
    reason = project_available() if OWN in names else None
    if reason:
        print(f"project column unavailable: cannot import cleaners.clean ({reason})")
        names.remove(OWN)

    reports = []
    with make_executor(names, args.workers) as executor:
        for name, selected in pages.items():
            print(f"scoring {len(selected)} {name} pages from {bench_root() / name} with {', '.join(names)} "
                  f"({args.workers} workers)", flush=True)
            start = time.perf_counter()
            results = run_pages(selected, names, executor)
            if args.dump:
                dump(results, names, args.dump)
            report = score_set(name, results, names, args.losses, executor)
            print_report(report, time.perf_counter() - start)
            reports.append(report)
    if args.dump:
        print(f"wrote truth and predictions to {args.dump}")
    print()
    for report in reports:
        print(report.summary_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
