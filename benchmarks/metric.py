"""The quality metrics of the two benchmark sets: Zyte (shingles) and WCXB (words, snippets, metadata).

Zyte's definition (see the benchmark's README):

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

WCXB's (its README): word F1 per page over lower-cased ``\\w+`` words counted as
multisets, averaged over pages; ``with`` snippets found and ``without`` snippets
absent (whitespace-collapsed, case-insensitive substrings). The metadata comparisons
are ours, defined with each function below.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
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


# --- WCXB: words and snippets -------------------------------------------------


@dataclass(frozen=True)
class WordScore:
    """One page's word-multiset precision, recall and F1."""

    precision: float
    recall: float
    f1: float


def word_score(truth: str | None, prediction: str | None) -> WordScore:
    """WCXB's per-page score: overlap of lower-cased ``\\w+`` word multisets.

    An empty truth scores 1 only for an empty prediction (and 0 otherwise); an empty
    prediction of a non-empty truth scores 0.
    """
    t = Counter(word.lower() for word in tokenize(truth))
    p = Counter(word.lower() for word in tokenize(prediction))
    if not t or not p:
        value = 1.0 if not t and not p else 0.0
        return WordScore(value, value, value)
    overlap = sum((t & p).values())
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return WordScore(precision, recall, f1)


def _collapse(text: str) -> str:
    return " ".join(text.split()).casefold()


def snippet_hits(snippets: Sequence[str], prediction: str | None, *, present: bool) -> tuple[int, int]:
    """(snippets that are as wanted, snippets): found in the prediction when ``present``, absent otherwise."""
    text = _collapse(prediction or "")
    hits = sum(1 for snippet in snippets if (_collapse(snippet) in text) == present)
    return hits, len(snippets)


# --- WCXB: title, authors, date -------------------------------------------------


def _fold(text: str) -> str:
    """Compatibility-normalised, accents stripped, case-folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_title(title: str | None) -> str:
    """A title as its words: folded (NFKD, accents and case), punctuation and spacing dropped.

    So curly and straight quotes, dashes and a trailing full stop never decide a match;
    a site name still attached to the title does.
    """
    return " ".join(w for w in tokenize(_fold(title or "")) if w != "_")


def same_title(truth: str | None, prediction: str | None) -> bool:
    """True when both titles have the same normalised words (two empty titles never match)."""
    folded = normalise_title(truth)
    return bool(folded) and folded == normalise_title(prediction)


_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
_HONORIFICS = frozenset({"dr", "prof", "mr", "mrs", "ms", "mx", "by"})
# "Jane Doe, MS, RD", "John Roe, M.D. FACLM", "Ann Poe PhD": degrees and titles after a name are not names.
_POSTNOMINAL = re.compile(r"^(?:[A-Z]\.?){2,6}$|^(?:Ph\.?D\.?|Jr\.?|Sr\.?)$")


def _without_postnominals(words: list[str]) -> list[str]:
    end = len(words)
    while end and _POSTNOMINAL.match(words[end - 1]):
        end -= 1
    return words[:end]


def person_names(authors: str | Sequence[str] | None) -> set[str]:
    """Normalised names from a ground-truth string ("A, B and C") or a list of predicted names.

    Each part is split on commas, semicolons, bars, "&" and "and"; trailing post-nominals
    ("MS", "M.D. FACLM", "PhD") are dropped, and a part made only of them, unless it is
    the first one ("JOHN SMITH"); so is a leading "Dr"/"Prof"/"By". A name is its
    folded words joined by single spaces.
    """
    if authors is None:
        return set()
    parts = [authors] if isinstance(authors, str) else list(authors)
    names = set()
    for part in parts:
        for position, piece in enumerate(_NAME_SEPARATORS.split(part)):
            raw = _without_postnominals(piece.split()) or (piece.split() if position == 0 else [])
            words = tokenize(_fold(" ".join(raw)))
            while words and words[0] in _HONORIFICS:
                words = words[1:]
            if words:
                names.add(" ".join(words))
    return names


@dataclass(frozen=True)
class NameCounts:
    """Name matches summed over pages: true positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: NameCounts) -> NameCounts:
        return NameCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def name_counts(truth: str | None, predicted: Sequence[str] | str | None) -> NameCounts:
    """One page's name matches: a predicted name on a page without a true author is a false positive."""
    t, p = person_names(truth), person_names(predicted)
    return NameCounts(len(t & p), len(p - t), len(t - p))


def publication_day(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` day of an ISO date or timestamp, else ``None``."""
    match = re.match(r"\d{4}-\d{2}-\d{2}", (value or "").strip())
    return match[0] if match else None
