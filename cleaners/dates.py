"""Dates: ISO 8601 from declarations, and days from the text a page shows."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from htmldate.extractors import extract_url_date, try_date_expr
from htmldate.utils import Extractor

EARLIEST = datetime(1995, 1, 1)
# Civil time zones run from UTC-12 to UTC+14: the local days one UTC moment can fall on.
_WEST, _EAST = timedelta(hours=-12), timedelta(hours=14)

# Month names in the languages the project claims (genitive forms where a date uses them: "4 марта 2025").
_MONTH_NAMES = (
    "january jan jänner januar janvier janv enero gennaio janeiro januari stycznia styczeń января январь січня січень",
    "february feb februar février févr febrero febbraio fevereiro fev februari lutego luty февраля февраль лютого"
    " лютий",
    "march mar märz mär mrz mars marzo março maart marca marzec марта март березня березень",
    "april apr avril avr abril aprile abr kwietnia kwiecień апреля апрель квітня квітень",
    "may mai mayo maggio maio mei maja maj мая май травня травень",
    "june jun juni juin junio giugno junho czerwca czerwiec июня июнь червня червень",
    "july jul juli juillet juil julio luglio julho lipca lipiec июля июль липня липень",
    "august aug août agosto augustus sierpnia sierpień августа август серпня серпень",
    "september sep sept septembre septiembre setiembre settembre setembro set września wrzesień сентября сентябрь"
    " вересня вересень",
    "october oct oktober okt octobre octubre ottobre outubro out października październik октября октябрь жовтня"
    " жовтень",
    "november nov novembre noviembre novembro listopada listopad ноября ноябрь листопада листопад",
    "december dec dezember dez décembre déc diciembre dicembre dezembro grudnia grudzień декабря декабрь грудня"
    " грудень",
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_TEXT_DATES = (
    # "4 March 2025", "4. März 2025", "4 de marzo de 2025", "4 марта 2025 г."
    re.compile(rf"(?<!\d)(?P<day>[0-3]?\d)(?:\.|st|nd|rd|th|er|º)?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?"
               r"(?P<year>\d{4})(?!\d)", re.I),
    # "March 4, 2025", "Mar. 4th 2025"
    re.compile(rf"(?<![^\W\d_]){_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)", re.I),
)

# "2/24/2026": month first, read only when the day cannot be a month (htmldate reads day/month/year only).
_MONTH_FIRST = re.compile(r"(?<![\d/.])(?P<month>1[0-2]|0?[1-9])/(?P<day>1[3-9]|2\d|3[01])/(?P<year>\d{4})(?![\d/])")


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


def latest(now: datetime | None = None) -> datetime:
    """``now``, or the current UTC time (naive, as the dates compared with it): no date may be later."""
    return now or datetime.now(timezone.utc).replace(tzinfo=None)


def parse_day(text: str, now: datetime | None = None) -> str | None:
    """The day (``YYYY-MM-DD``) a short text gives, with month names in the claimed languages; never after ``now``."""
    until = latest(now)
    for pattern in (*_TEXT_DATES, _MONTH_FIRST):
        for match in pattern.finditer(text):
            month = match["month"]
            try:
                day = datetime(int(match["year"]), int(month) if month.isdigit() else _MONTHS[month.lower()],
                               int(match["day"]))
            except ValueError:
                continue
            if EARLIEST <= day <= until:
                return day.strftime("%Y-%m-%d")
    # Numeric forms ("2025-03-04", "04.03.2025") by htmldate's fast rules; its dateparser search costs seconds.
    return try_date_expr(text, "%Y-%m-%d", False, EARLIEST, until)


def declared_day(value: object) -> str | None:
    """The day (``YYYY-MM-DD``) of a declared date: ISO 8601, else a date written out ("July 17, 2025")."""
    if not isinstance(value, str):
        return None
    iso = normalize_date(value)
    return iso[:10] if iso else parse_day(value)


def url_day(url: str | None, now: datetime | None = None) -> str | None:
    """The day a URL's path carries (``/2025/03/04/``, ``-2025-03-04-``), never after ``now``."""
    return extract_url_date(url, Extractor(False, latest(now), EARLIEST, False, "%Y-%m-%d"))


def is_local_day_of(timestamp: str, day: str) -> bool:
    """Whether ``day`` is a different day on which the moment ``timestamp`` falls in some time zone.

    "2025-12-19T02:41:00+00:00" is still 18 December in New York: a site that shows
    or files the story under the 18th dates the same moment, not another day.
    """
    try:
        moment = datetime.fromisoformat(timestamp)
        if len(timestamp) <= 10 or moment.tzinfo is None or timestamp[:10] == day:
            return False
        utc = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return (utc + _WEST).date().isoformat() <= day <= (utc + _EAST).date().isoformat()
    except (ValueError, OverflowError):  # "0001-01-01T00:00:00+00:00" has no day before it
        return False


def is_plausible(iso: str, now: datetime | None = None) -> bool:
    """Whether an ISO 8601 date falls between 1995 and ``now``: "0001-01-01" is a placeholder, not a date."""
    return EARLIEST.date().isoformat() <= iso[:10] <= latest(now).date().isoformat()
