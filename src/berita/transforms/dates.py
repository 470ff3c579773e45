"""Find and parse publication dates as Indonesian and English news pages print them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from berita.transforms import chardata

# Local time (WIB) is assumed when a time has no zone: Indonesian outlets print Jakarta time.
DEFAULT_OFFSET_HOURS = 7
_DIGIT = re.compile(r"\d")
# The end of every DATE_MDY match: a month name's last letter, the day, the year ("r 9, 2022").
_MDY_TAIL = re.compile(r"[a-z]\.?\s+[0-3]?\d,?\s+(?:19|20)\d\d", re.IGNORECASE)
_YEAR_OR_SLASH = re.compile(r"(?:19|20)\d\d|\d/\d")
_WEEKDAY_REACH = 40  # "Jum'at, 30 September 2024": the weekday starts at most this far before the year
_NUMERIC_TAIL = 8  # "Kamis (25/4/19)": the date may end a little after its first "d/m"
# A date line may carry a few words besides the date ("Kompas.com - ", "(last modified ... )").
_MAX_EXTRA_WORDS = 4


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: the UTC instant, the text as printed, and whether it had a time."""

    when: datetime
    raw: str
    has_time: bool
    start: int
    end: int


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


_ZONES: dict[int, timezone] = {}


def _zone(hours: int) -> timezone:
    zone = _ZONES.get(hours)
    if zone is None:
        zone = _ZONES[hours] = timezone(timedelta(hours=hours))
    return zone


def _to_utc(match: re.Match[str], year: int, month: int, day: int) -> datetime | None:
    groups = match.groupdict()
    try:
        if groups.get("hour") is None:
            return datetime(year, month, day, tzinfo=UTC)
        offset = chardata.TIMEZONES.get((groups.get("tz") or "").lower(), DEFAULT_OFFSET_HOURS)
        hour = int(groups["hour"])
        if groups.get("ampm") and hour <= 12:  # 12-hour clock: 12 AM is midnight ("14:30 PM" is 14:30)
            hour = hour % 12 + (12 if groups["ampm"] in "Pp" else 0)
        local = datetime(
            year, month, day, hour, int(groups["minute"]), int(groups.get("second") or 0), tzinfo=_zone(offset)
        )
    except ValueError:  # 31 February and friends: not a date
        return None
    return local.astimezone(UTC)


def _from_match(match: re.Match[str]) -> FoundDate | None:
    g = match.groupdict()
    named_month: int | None
    if g.get("iyear"):
        year, named_month, day = int(g["iyear"]), int(g["imonth"]), int(g["iday"])
    else:
        month_text = g["month"]
        named_month = int(month_text) if month_text.isdigit() else chardata.MONTHS.get(month_text.lower())
        year, day = _year(g["year"]), int(g["day"])
    if named_month is None:
        return None
    month: int = named_month
    when = _to_utc(match, year, month, day)
    if when is None:
        return None
    raw = match.group(0).strip(" ,|-\u2013\u2014")
    return FoundDate(when, raw, g.get("hour") is not None, match.start(), match.end())


def find_dates(text: str) -> list[FoundDate]:
    """Every date in ``text``, in order of position (overlaps resolved by the earlier match).

    >>> [d.when.isoformat() for d in find_dates("Kamis, 31 Mei 2018 20:25 WIB")]
    ['2018-05-31T13:25:00+00:00']
    >>> [d.raw for d in find_dates("Mar 16, 2019 17:28 Asia/Jakarta")]
    ['Mar 16, 2019 17:28 Asia/Jakarta']
    >>> [d.when.isoformat() for d in find_dates("Kompas.com - 03/06/2021, 13:51 WITA")]
    ['2021-06-03T05:51:00+00:00']
    """
    found: list[FoundDate] = []
    for pattern in (chardata.DATE_DMY, chardata.DATE_MDY, chardata.DATE_NUMERIC):
        if pattern is chardata.DATE_MDY and _MDY_TAIL.search(text) is None:
            continue  # the month-first pattern is slow to scan; its tail is a cheap necessary test
        for match in pattern.finditer(text):
            parsed = _from_match(match)
            if parsed is not None and not any(f.start < parsed.end and parsed.start < f.end for f in found):
                found.append(parsed)
    return sorted(found, key=lambda f: f.start)


def fetched_time(value: object) -> datetime | None:
    """A scraper record's ``fetched_at`` as a UTC time: an ISO 8601 string or a datetime (one without a zone is
    taken as UTC); None for anything else, which is no time.

    >>> fetched_time("2024-01-01T07:30:00+07:00"), fetched_time("2024-01-01T00:30:00Z") == fetched_time(
    ...     "2024-01-01 00:30:00")
    (datetime.datetime(2024, 1, 1, 0, 30, tzinfo=datetime.timezone.utc), True)
    >>> fetched_time("kemarin"), fetched_time(1704067200), fetched_time(None)
    (None, None, None)
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def date_line(text: str) -> FoundDate | None:
    """The date when the whole line is a date (give or take a few words), else None.

    A date inside a sentence is not a publication date.

    >>> date_line("(last modified Sat, 16 Mar 2019 10:28:47 GMT )").when.isoformat()
    '2019-03-16T10:28:47+00:00'
    >>> date_line("Dialog itu digelar pada Selasa, 10 April 2018, di Moskow bersama para menteri.") is None
    True
    >>> date_line("Senin, 1 April 2024 19:09 WIB | Diperbarui 1 April 2024 20:00 WIB").raw
    'Senin, 1 April 2024 19:09 WIB'
    """
    if len(text) > 120 or not _DIGIT.search(text):  # every date shape has digits
        return None
    dates = find_dates(text)
    if len(dates) == 2 and is_modified_line(text[dates[0].end : dates[1].start]):
        dates = dates[:1]  # "<published> | Diperbarui <modified>": the line's date is the first
        text = text[: dates[0].end]
    if len(dates) != 1:
        return None
    found = dates[0]
    rest = text[: found.start] + " " + text[found.end :]
    if len(chardata.WORD.findall(rest)) > _MAX_EXTRA_WORDS:
        return None
    return found


def is_modified_line(text: str, found: FoundDate | None = None) -> bool:
    """'(last modified ...)', 'Diperbarui ...': a revision date, not the publication date. With
    ``found`` (the line's date), only a marker before that date counts."""
    return chardata.LAST_MODIFIED.search(text if found is None else text[: found.start]) is not None


def _anchor_candidates(text: str) -> list[int]:
    """Sorted positions where ``_YEAR_OR_SLASH`` may match: each "19" and "20", and the character
    before each "/"."""
    found: list[int] = []
    for needle, back in (("19", 0), ("20", 0), ("/", 1)):
        i = text.find(needle)
        while i != -1:
            if i >= back:
                found.append(i - back)
            i = text.find(needle, i + 1)
    found.sort()
    return found


def weekday_dates(text: str) -> list[date]:
    """Dates anchored to a weekday whose weekday is right: 'Selasa, 16 Januari 2024', 'Kamis (25/4/2019)'.

    >>> weekday_dates("bertemu pada Selasa, 16 Januari 2024, kata Kremlin; Senin, 16 Januari 2024 salah")
    [datetime.date(2024, 1, 16)]
    """
    out: list[date] = []
    done = last_end = 0
    # Every weekday date ends with a year or holds "d/m": find those and run the slow
    # case-insensitive pattern only on the few characters before each. str.find locates the
    # candidates ("19", "20", "/") far faster than any regex scan over the whole text.
    for pos in _anchor_candidates(text):
        if pos < last_end:
            continue  # inside the previous anchor, as a left-to-right scan would skip it
        anchor = _YEAR_OR_SLASH.match(text, pos)
        if anchor is None:
            continue
        last_end = anchor.end()
        if anchor.end() <= done:
            continue
        start = max(done, anchor.start() - _WEEKDAY_REACH)
        match = chardata.WEEKDAY_DATE.search(text, start, anchor.end() + _NUMERIC_TAIL)
        if match is None:
            continue
        done = match.end()
        g = match.groupdict()
        try:
            if g.get("nday"):
                day = date(_year(g["nyear"]), int(g["nmonth"]), int(g["nday"]))
            else:
                month = chardata.MONTHS[g["month"].lower()]
                day = date(int(g["year"]), month, int(g["day"]))
        except (ValueError, KeyError):
            continue
        if chardata.WEEKDAYS[g["weekday"].lower()] == day.weekday():
            out.append(day)
    return out
