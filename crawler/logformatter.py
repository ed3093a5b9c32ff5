"""Log lines for dropped items that name the reason, never the item (a page body can be megabytes)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.logformatter import LogFormatter, LogFormatterResult

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from twisted.python.failure import Failure


class CleanLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Response | Failure | None,
                spider: Spider) -> LogFormatterResult:
        return {"level": logging.INFO, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
