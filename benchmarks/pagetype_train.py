"""Train the page-type model (``cleaners/pagetype_model.json``) on the WCXB development pages.

Run from the repository root::

    .venv/bin/python -m benchmarks.pagetype_train [--folds 5] [--write]

Every page is cleaned once (``cleaners.clean``) and the features the page-type decision
weighs (``cleaners.pagetype.page_features``) are recorded on the way. A multinomial
logistic regression over those interpretable features (standardised; L2-penalised)
learns the 7 page types. Its accuracy is measured by cross-validation GROUPED BY
DOMAIN (no site is in both the training and the test part of a fold): the threshold
on P(article) that keeps at least ``--keep`` of the held-out articles is chosen on the
out-of-fold probabilities, and accuracy, articles kept and the confusion per type are
printed for it. ``--write`` then fits all pages and stores the weights (numbers only,
no benchmark text) with that threshold. numpy is used here only, never at crawl time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from benchmarks.data import ARTICLE_TYPE, ROOT, BenchDataMissing, Page, load_wcxb

MODEL_PATH = ROOT / "cleaners" / "pagetype_model.json"
L2 = 0.01
STEPS = 1500
RATE = 0.5

_captured: dict[str, dict[str, float]] = {}


def _capture() -> None:
    """Record what ``page_features`` returns while ``cleaners.clean`` runs (in each worker)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from cleaners import pagetype

    original = pagetype.page_features

    def recording(*args: Any, **kwargs: Any) -> dict[str, float]:
        _captured["features"] = features = original(*args, **kwargs)
        return features

    pagetype.page_features = recording


def page_row(page: Page) -> dict[str, float] | None:
    """The features of one page, or ``None`` when the page is decided before they are computed (too short)."""
    from cleaners import CleanError, clean

    _captured.clear()
    try:
        clean(gzip.decompress(page.html_path.read_bytes()), page.url)
    except CleanError:
        pass  # a page whose features were computed counts even if the model is missing or changed
    return _captured.get("features")


def fit(x: np.ndarray, y: np.ndarray, classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Softmax regression by gradient descent on standardised features; returns (weights, biases)."""
    weights = np.zeros((x.shape[1], classes))
    biases = np.zeros(classes)
    target = np.eye(classes)[y]
    for _ in range(STEPS):
        probabilities = softmax(x @ weights + biases)
        error = (probabilities - target) / len(x)
        weights -= RATE * (x.T @ error + L2 * weights)
        biases -= RATE * error.sum(axis=0)
    return weights, biases


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def grouped_folds(domains: Sequence[str], folds: int) -> list[np.ndarray]:
    """Fold index per page: whole domains go to one fold (a deterministic spread by sorted domain)."""
    order = sorted(set(domains))
    fold_of = {domain: i % folds for i, domain in enumerate(order)}
    assignment = np.array([fold_of[d] for d in domains])
    return [np.flatnonzero(assignment == k) for k in range(folds)]


def out_of_fold(x: np.ndarray, y: np.ndarray, domains: Sequence[str], folds: int, classes: int) -> np.ndarray:
    probabilities = np.zeros((len(x), classes))
    for test in grouped_folds(domains, folds):
        train = np.setdiff1d(np.arange(len(x)), test)
        mean, scale = _standardise(x[train])
        weights, biases = fit((x[train] - mean) / scale, y[train], classes)
        probabilities[test] = softmax((x[test] - mean) / scale @ weights + biases)
    return probabilities


def keep_threshold(p_article: np.ndarray, is_article: np.ndarray, keep: float) -> float:
    """The highest threshold on P(article) that keeps at least ``keep`` of the articles."""
    scores = np.sort(p_article[is_article])
    return float(scores[int(np.floor((1 - keep) * len(scores) + 1e-9))]) if len(scores) else 0.5


def report(types: Sequence[str], kept: np.ndarray, title: str) -> None:
    pages = Counter(types)
    taken = Counter(t for t, k in zip(types, kept, strict=True) if k)
    right = sum(1 for t, k in zip(types, kept, strict=True) if k == (t == ARTICLE_TYPE))
    print(f"\n{title}: accuracy {right / len(types):.3f}, articles kept {taken[ARTICLE_TYPE] / pages[ARTICLE_TYPE]:.3f}")
    for kind in sorted(pages, key=lambda k: (k != ARTICLE_TYPE, k)):
        print(f"  {kind:<15} {pages[kind]:>5} taken for articles {taken[kind]:>5} ({taken[kind] / pages[kind]:.3f})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pagetype_train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--keep", type=float, default=0.98, help="share of held-out articles to keep (default 0.98)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true", help=f"fit all pages and write {MODEL_PATH.name}")
    args = parser.parse_args(argv)
    try:
        pages = load_wcxb()
    except BenchDataMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with ProcessPoolExecutor(args.workers, initializer=_capture) as pool:
        rows = list(pool.map(page_row, pages, chunksize=8))
    scored = [(page, row) for page, row in zip(pages, rows, strict=True) if row is not None]
    names = list(scored[0][1])
    classes = sorted({page.page_type for page, _ in scored}, key=lambda t: (t != ARTICLE_TYPE, t))
    x = np.array([[row[name] for name in names] for _, row in scored])
    y = np.array([classes.index(page.page_type) for page, _ in scored])
    types = [page.page_type for page, _ in scored]
    domains = [page.domain or page.url for page, _ in scored]
    print(f"{len(scored)} of {len(pages)} pages reach the page-type decision; {len(names)} features, "
          f"{len(set(domains))} domains, {args.folds} folds grouped by domain")

    probabilities = out_of_fold(x, y, domains, args.folds, len(classes))
    threshold = keep_threshold(probabilities[:, 0], y == 0, args.keep)
    report(types, probabilities[:, 0] >= threshold, f"cross-validated (threshold P(article) >= {threshold:.3f})")
    if args.write:
        mean, scale = _standardise(x)
        weights, biases = fit((x - mean) / scale, y, len(classes))
        model = {"about": "cleaners/pagetype.py: softmax over standardised page features; "
                          "trained by benchmarks/pagetype_train.py on WCXB development pages (CC-BY-4.0)",
                 "features": names, "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
                 "classes": classes, "weights": weights.round(5).T.tolist(), "biases": biases.round(5).tolist(),
                 "article_threshold": round(threshold, 4)}
        MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        fitted = softmax((x - mean) / scale @ weights + biases)
        report(types, fitted[:, 0] >= threshold, "fitted on all pages (optimistic)")
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
