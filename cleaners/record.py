"""The clean record: the output schema that later stages rely on."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from importlib import resources
from typing import Any

from simhash import Simhash

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
    """64-bit SimHash of the text's word 3-grams, as 16 hex digits: near-identical texts differ in few bits."""
    words = normalise_text(text).split()
    features = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))]
    return f"{Simhash(features).value:016x}"


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
