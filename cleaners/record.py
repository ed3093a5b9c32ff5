"""The clean record: the output schema that later stages rely on."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from importlib import resources
from typing import Any

import numpy as np

from .language import detect_language

SCHEMA_VERSION = 2

FIELDS = (
    "url", "canonical_url", "site", "title", "description", "authors", "date_published", "date_modified",
    "language", "language_score", "text", "word_count", "tags", "image", "is_article", "not_article_reason",
    "content_hash", "simhash", "fetched_at", "event", "removed", "guarded",
    "schema_version",
)

# A run of \w is a word, except in scripts written without spaces (Japanese, Chinese),
# where each character counts: otherwise a whole Japanese sentence is one "word".
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Case, Unicode form and spacing folded: the same story hashes the same however it was laid out."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def simhash(text: str) -> str:
    """64-bit SimHash of the text's word 3-grams, as 16 hex digits: near-identical texts differ in few bits.

    The ``simhash`` package's value for the same features (each weighing 1: the last 8 bytes of its MD5,
    bit by bit, most significant first; a bit is set when more than half the features have it), computed
    with one numpy pass over all digests instead of its per-feature Python loop.
    """
    words = normalise_text(text).split()
    if len(words) < 3:
        features = [" ".join(words).encode("utf-8")]
    else:
        features = [f"{a} {b} {c}".encode("utf-8") for a, b, c in zip(words, words[1:], words[2:])]
    md5 = hashlib.md5
    digests = b"".join([md5(feature).digest()[8:] for feature in features])
    ones = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(-1, 64).sum(axis=0, dtype=np.int64)
    return np.packbits(ones > len(features) / 2).tobytes().hex()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def text_fields(blocks: list[str]) -> dict[str, Any]:
    """The record fields derived from its text blocks: the text and its words, language and hashes."""
    text = "\n\n".join(blocks)
    language, language_score = detect_language(text)
    return {
        "language": language,
        "language_score": language_score,
        "text": text,
        "word_count": word_count(text),
        "content_hash": content_hash(text) if text else None,
        "simhash": simhash(text) if text else None,
    }


def with_text(record: dict[str, Any], blocks: list[str], removed: dict[str, int]) -> dict[str, Any]:
    """A copy of ``record`` holding only ``blocks``, its derived fields recomputed and ``removed`` added to its own."""
    counts = dict(record["removed"])
    for rule, count in removed.items():
        if count:
            counts[rule] = counts.get(rule, 0) + count
    return {**record, **text_fields(blocks), "removed": dict(sorted(counts.items()))}


def load_schema() -> dict[str, Any]:
    """The JSON Schema of a record (``cleaners/record.schema.json``)."""
    return json.loads(resources.files(__package__).joinpath("record.schema.json").read_text("utf-8"))
