"""Which crawl process of a run this is: the worker id (``CLEANCRAWL_WORKER_ID``).

It names the crawl in the store (the crawl id) and fills ``%(worker)s`` in feed URIs, through Scrapy's own
``FEED_URI_PARAMS`` hook, so workers sharing a folder never write the same feed file.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy import Spider

_WORKER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def worker_id(settings: Mapping[str, Any]) -> str:
    """``CLEANCRAWL_WORKER_ID``, else ``<host name>-<pid>``; it goes into file names, so it is checked."""
    value = str(settings.get("CLEANCRAWL_WORKER_ID") or f"{socket.gethostname()}-{os.getpid()}")
    if not _WORKER_ID.fullmatch(value):
        raise ValueError(f"CLEANCRAWL_WORKER_ID={value!r}: use letters, digits, '.', '_' and '-' only")
    return value


def feed_uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS``: Scrapy's feed URI parameters (``%(name)s``, ``%(time)s``, spider attributes) and
    ``%(worker)s``."""
    assert spider.crawler is not None
    return {**params, "worker": worker_id(spider.crawler.settings)}
