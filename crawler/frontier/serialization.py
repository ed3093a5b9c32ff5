"""Requests as JSON text (what ``Request.to_dict`` holds / ``request_from_dict``), never pickles.

``to_dict`` holds bytes (the body, header names and values); JSON has no bytes, so they are
written as ``{"$bytes": latin-1 text}`` (every byte maps to one character and back), and a
dict with keys that are not strings as ``{"$pairs": [[key, value], ...]}``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.utils.request import request_from_dict

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy import Spider

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


def _method_name(spider: Spider, method: Callable[..., Any] | str | None) -> str | None:
    """The name of the spider's method ``method`` is (a callback or errback), for ``request_from_dict``."""
    if method is None or isinstance(method, str):
        return method
    name = getattr(method, "__name__", "")
    function = getattr(getattr(spider, name, None), "__func__", None)
    if function is None or function is not getattr(method, "__func__", None):
        raise UnserializableRequest(f"{method!r} is not a method of the spider")
    return name


def _to_dict(request: Request, spider: Spider) -> dict[str, Any]:
    """``Request.to_dict(spider=spider)``, but for the callback's name: Scrapy finds it with
    ``inspect.getmembers`` over every attribute of the spider, 40% of a request's serialisation;
    a method's name is its ``__name__`` (checked against the spider's attribute of that name)."""
    data = {"url": request.url, "callback": _method_name(spider, request.callback),
            "errback": _method_name(spider, request.errback), "headers": dict(request.headers)}
    for attribute in request.attributes:
        data.setdefault(attribute, getattr(request, attribute))
    if type(request) is not Request:
        data["_class"] = f"{type(request).__module__}.{type(request).__name__}"
    return data


def dumps(request: Request, spider: Spider) -> str:
    return json.dumps(_plain(_to_dict(request, spider)), separators=(",", ":"), ensure_ascii=False)


def loads(text: str, spider: Spider) -> Request:
    return request_from_dict(json.loads(text, object_hook=_restore), spider=spider)
