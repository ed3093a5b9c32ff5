"""The extraction-quality metric of the Zyte article-extraction benchmark.

Definition (see the benchmark's README):

- tokens are the matches of ``\\w+`` (Unicode) in the text;
- shingles are the runs of 4 consecutive tokens; a text with fewer than 4
  tokens gives one shorter shingle, an empty text gives none;
- per page, with the shingle multisets T (truth) and P (prediction):
  ``tp = sum(min(T, P))``, ``fp = sum(max(0, P - T))``,
  ``fn = sum(max(0, T - P))``, all three divided by their sum so that every
  page weighs the same;
- per-page precision ``tp / (tp + fp)`` and recall ``tp / (tp + fn)``; both
  are 1 when ``fp == fn == 0`` and 0 when tp and the other term are 0;
- precision and recall are means over pages, leaving out pages with
  ``tp + fp == 0`` (precision) or ``tp + fn == 0`` (recall);
  F1 is ``2PR / (P + R)`` of those means;
- accuracy is the share of pages whose token list equals the truth's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

SHINGLE_SIZE = 4
_TOKEN_RE = re.compile(r"\w+")

Shingle = tuple[str, ...]


def tokenize(text: str | None) -> list[str]:
    """Return the ``\\w+`` tokens of ``text`` (``None`` counts as empty)."""
    return _TOKEN_RE.findall(text or "")


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> Counter[Shingle]:
    """Return the multiset of runs of ``size`` consecutive tokens.

    Fewer than ``size`` tokens give one shorter shingle; no tokens give none.
    """
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True)
class PageScore:
    """Normalised shingle counts of one page, and whether its tokens match exactly."""

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        """Per-page precision, or ``None`` when the page is left out of the mean."""
        if self.tp + self.fp == 0:
            return None
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """Per-page recall, or ``None`` when the page is left out of the mean."""
        if self.tp + self.fn == 0:
            return None
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Per-page F1 (for ranking pages only; not part of the benchmark's means).

        1.0 when nothing is wrong (including both texts empty), 0.0 when tp is 0.
        """
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


def score_page(truth: str | None, prediction: str | None) -> PageScore:
    """Score one page: normalised tp/fp/fn over 4-token shingles, and exact token match."""
    truth_tokens = tokenize(truth)
    pred_tokens = tokenize(prediction)
    t = shingles(truth_tokens)
    p = shingles(pred_tokens)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total:
        return PageScore(tp / total, fp / total, fn / total, truth_tokens == pred_tokens)
    return PageScore(0.0, 0.0, 0.0, truth_tokens == pred_tokens)


@dataclass(frozen=True)
class Aggregate:
    """Benchmark-level scores over a set of pages."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def aggregate(scores: Iterable[PageScore]) -> Aggregate:
    """Mean precision and recall (with the exclusions), F1 of the means, accuracy."""
    scores = list(scores)
    precisions = [s.precision for s in scores if s.precision is not None]
    recalls = [s.recall for s in scores if s.recall is not None]
    precision = _mean(precisions)
    recall = _mean(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = _mean([1.0 if s.exact else 0.0 for s in scores])
    return Aggregate(precision, recall, f1, accuracy, len(scores))
