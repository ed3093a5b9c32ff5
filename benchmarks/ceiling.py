"""How far choosing between extractors' outputs can take the WCXB article text F1.

Run from the repository root::

    .venv/bin/python -m benchmarks.ceiling [--workers 2]

Every WCXB development article is extracted by the project and by trafilatura's three
modes (default, favor_precision, favor_recall; comments off). The benchmark's word F1 of
each output is averaged, and so is the per-page best of them: the score a perfect
per-page choice between those outputs would reach, an upper bound for any rule that
picks or merges them. It reports, it never asserts. The last line is::

    ceiling wcxb project=... best_of_trafilatura=... best_of_all=... pages_below_target=N/M
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from benchmarks.data import ARTICLE_TYPE, BenchDataMissing, Page, load_wcxb
from benchmarks.metric import word_score

TARGET = 0.955  # issue 10's WCXB text F1 target
TRAFILATURA_MODES = {"trafilatura": {}, "favor_precision": {"favor_precision": True}, "favor_recall": {"favor_recall": True}}


def page_scores(page: Page) -> dict[str, float]:
    """Each output's word F1 on one page."""
    import trafilatura

    from cleaners import CleanError, clean

    html = gzip.decompress(page.html_path.read_bytes())
    outputs = {name: trafilatura.extract(html, url=page.url, include_comments=False, **options) or ""
               for name, options in TRAFILATURA_MODES.items()}
    try:
        outputs["project"] = clean(html, page.url)["text"] or ""
    except CleanError:
        outputs["project"] = ""
    return {name: word_score(page.truth, text).f1 for name, text in outputs.items()}


def ceilings(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """Mean F1 of each output, of the per-page best trafilatura mode, and of the per-page best of all."""
    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    means = {name: mean([row[name] for row in rows]) for name in (rows[0] if rows else {})}
    means["best_of_trafilatura"] = mean([max(row[name] for name in TRAFILATURA_MODES) for row in rows])
    means["best_of_all"] = mean([max(row.values()) for row in rows])
    return means


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ceiling", description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        pages = [page for page in load_wcxb() if page.page_type == ARTICLE_TYPE]
    except BenchDataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(pool.map(page_scores, pages, chunksize=8))
    means = ceilings(rows)
    for name, value in means.items():
        print(f"{name:22s} {value:.4f}")
    below = sum(1 for row in rows if row["project"] < TARGET)
    print(f"ceiling wcxb project={means['project']:.4f} best_of_trafilatura={means['best_of_trafilatura']:.4f} "
          f"best_of_all={means['best_of_all']:.4f} pages_below_target={below}/{len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
