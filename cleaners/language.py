"""Language identification with langdetect, deterministic and on a bounded sample."""

from __future__ import annotations

import re

import numpy as np
from langdetect import DetectorFactory, detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

SAMPLE_CHARS = 1000  # same language as 2000 on all 181 benchmark pages, a third less time
MIN_LETTERS = 40

_factory: DetectorFactory | None = None
_SPACES = re.compile(" {2,}")


def load_profiles() -> DetectorFactory:
    """langdetect's language profiles, loaded once per process (0.6 s): do it before forking workers."""
    global _factory
    if _factory is None:
        detector_factory.init_factory()
        _factory = detector_factory._factory
        _factory.set_seed(0)  # langdetect samples n-grams at random: a fixed seed makes it repeatable
    return _factory


class _NormalizedChars(dict[str, str]):
    """NGram.normalize of each character, computed once per character (it walks Unicode's block table)."""

    def __missing__(self, ch: str) -> str:
        normalized = self[ch] = NGram.normalize(ch)
        return normalized


_normalized = _NormalizedChars()


class FastDetector(Detector):
    """langdetect's Detector with its inner loops written for CPython: the same arithmetic in the same order,
    the same random draws, so the same languages and probabilities to the last bit, in half the time."""

    def append(self, text: str) -> None:
        text = self.MAIL_RE.sub(" ", self.URL_RE.sub(" ", text))
        self.text += _SPACES.sub(" ", NGram.normalize_vi(text)[: self.max_text_length])

    def _extract_ngrams(self) -> list[str]:
        # NGram.add_char and the n = 1..3 lookups of Detector._extract_ngrams, inlined.
        known = self.word_lang_prob_map
        result: list[str] = []
        grams, capitalword = " ", False
        for raw in self.text:
            ch = _normalized[raw]
            last_char = grams[-1]
            if last_char == " ":
                grams, capitalword = " ", False
                if ch == " ":
                    continue
            elif len(grams) >= 3:
                grams = grams[1:]
            grams += ch
            if ch.isupper():
                if last_char.isupper():
                    capitalword = True
            else:
                capitalword = False
            if capitalword:
                continue
            if ch != " " and ch in known:
                result.append(ch)
            if len(grams) >= 2:
                gram = grams[-2:]
                if gram in known:
                    result.append(gram)
                if len(grams) >= 3 and grams in known:
                    result.append(grams)
        return result

    def _detect_block(self) -> None:
        # Detector._detect_block with its probability vectors as numpy arrays: each product and quotient is
        # the same IEEE operation as langdetect's, and the sums stay Python's left-to-right sum.
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        vectors = _vectors(self.word_lang_prob_map)
        self.langprob = [0.0] * len(self.langlist)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability())
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            i = 0
            while True:
                prob *= weight + vectors[self.random.choice(ngrams)]
                if i % 5 == 0:
                    prob /= sum(prob.tolist())
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            for j, p in enumerate(prob.tolist()):
                self.langprob[j] += p / self.n_trial


class _Vectors(dict[str, "np.ndarray"]):
    """Each n-gram's probabilities by language as an array, made on first use (at most one per profile n-gram)."""

    def __init__(self, source: dict[str, list[float]]) -> None:
        super().__init__()
        self.source = source

    def __missing__(self, word: str) -> np.ndarray:
        vector = self[word] = np.array(self.source[word])
        return vector


_vector_cache: _Vectors | None = None


def _vectors(source: dict[str, list[float]]) -> _Vectors:
    global _vector_cache
    if _vector_cache is None or _vector_cache.source is not source:
        _vector_cache = _Vectors(source)
    return _vector_cache


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    # Middle of the text: openings and endings carry datelines and sign-offs.
    start = (len(text) - SAMPLE_CHARS) // 2
    return text[start : start + SAMPLE_CHARS]


def detect_language(text: str) -> tuple[str | None, float | None]:
    """Return the ISO 639-1 code and its probability, or (None, None) when the text is too short to tell."""
    sample = _sample(text)
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None, None
    detector = FastDetector(load_profiles())
    detector.append(sample)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None, None
    code = best.lang.split("-")[0]
    return code, round(best.prob, 4)
