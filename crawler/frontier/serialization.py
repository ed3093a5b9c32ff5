"""Requests as JSON text (``Request.to_dict`` / ``request_from_dict``), never pickles.

``to_dict`` holds bytes (the body, header names and values); JSON has no bytes, so they are
written as ``{"$bytes": latin-1 text}`` (every byte maps to one character and back), and a
dict with keys that are not strings as ``{"$pairs": [[key, value], ...]}``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scrapy.utils.request import request_from_dict

if TYPE_CHECKING:
    from scrapy import Request, Spider

_BYTES, _PAIRS = "$bytes", "$pairs"


class UnserializableRequest(ValueError):
    """The request holds a value JSON cannot carry (in meta, cb_kwargs) or a callback that is not a spider method."""


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, bytes):
        return {_BYTES: value.decode("latin-1")}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {key: _plain(item) for key, item in value.items()}
        return {_PAIRS: [[_plain(key), _plain(item)] for key, item in value.items()]}
    raise UnserializableRequest(f"a {type(value).__name__} cannot be stored as JSON")


def _restore(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if _BYTES in obj:
            return obj[_BYTES].encode("latin-1")
        if _PAIRS in obj:
            return {key if not isinstance(key, list) else tuple(key): item for key, item in obj[_PAIRS]}
    return obj


def dumps(request: Request, spider: Spider) -> str:
    try:
        data = request.to_dict(spider=spider)
    except ValueError as error:  # a callback or errback that is not a method of the spider
        raise UnserializableRequest(str(error)) from error
    return json.dumps(_plain(data), separators=(",", ":"), ensure_ascii=False)


def loads(text: str, spider: Spider) -> Request:
    return request_from_dict(json.loads(text, object_hook=_restore), spider=spider)
