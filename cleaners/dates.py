"""Dates: ISO 8601 from declarations, and days from the text a page shows."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from htmldate.extractors import try_date_expr

EARLIEST = datetime(1995, 1, 1)


def normalize_date(value: str | None) -> str | None:
    """ISO 8601: a full timestamp when the source has a time, else the date alone."""
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        if not match:
            return None
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    if len(value) <= 10:
        return moment.date().isoformat()
    return moment.isoformat()


def parse_day(text: str, now: datetime | None = None) -> str | None:
    """The day (``YYYY-MM-DD``) a short text gives, in any language htmldate reads; never later than ``now``."""
    latest = now or datetime.now(timezone.utc).replace(tzinfo=None)
    return try_date_expr(text, "%Y-%m-%d", True, EARLIEST, latest)
