"""Report periods: the period read and the one it is compared with (half-open, in ms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAY_MS = 86_400_000
DEFAULT_DAYS = 28


@dataclass(frozen=True, slots=True)
class Period:
    since_ms: int
    until_ms: int  # exclusive

    @property
    def days(self) -> float:
        return (self.until_ms - self.since_ms) / DAY_MS

    def label(self) -> str:
        last = self.until_ms - 1
        return f"{_date(self.since_ms)} – {_date(last)}"

    def as_dict(self) -> dict:
        return {"since": _iso(self.since_ms), "until": _iso(self.until_ms), "label": self.label()}


@dataclass(frozen=True, slots=True)
class Periods:
    current: Period
    compare: Period

    @property
    def start_ms(self) -> int:
        return min(self.current.since_ms, self.compare.since_ms)

    @property
    def end_ms(self) -> int:
        return max(self.current.until_ms, self.compare.until_ms)


def parse_day(text: str, *, field: str, end: bool = False) -> int:
    """``YYYY-MM-DD`` (or a full ISO time) → ms since the epoch, UTC.

    An ``--until`` day is inclusive: 2026-11-30 means up to the end of that day.
    """
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
            if end:
                moment += dt.timedelta(days=1)
        else:
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise ValueError(f"{field}: expected a date like 2026-11-30, found {text!r}") from None
    return int(moment.timestamp() * 1000)


def resolve(since: int | None, until: int | None, compare_since: int | None,
            compare_until: int | None, *, latest_ms: int | None, days: int = DEFAULT_DAYS) -> Periods:
    """Fill in the defaults: until = just after the latest event (or now), since = ``days``
    (28) days before; the comparison period is the equal-length period just before."""
    if until is None:
        if latest_ms is not None:
            until = (latest_ms // DAY_MS + 1) * DAY_MS  # end of the latest event's day
        else:
            until = (int(dt.datetime.now(dt.timezone.utc).timestamp() * 1000) // DAY_MS + 1) * DAY_MS
    if since is None:
        since = until - days * DAY_MS
    if since >= until:
        # said as typed: the first day, and --until's last day (inclusive), not the exclusive end kept inside
        last = _date(until - 1) if until % DAY_MS == 0 else _iso(until)
        first = _date(since) if since % DAY_MS == 0 else _iso(since)
        raise ValueError(f"--since: expected a day no later than the period's last day ({last}: --until, or the "
                         f"latest day with an event), found {first}")
    length = until - since
    if compare_until is None:
        compare_until = since if compare_since is None else compare_since + length
    if compare_since is None:
        compare_since = compare_until - length
    if compare_since >= compare_until:
        raise ValueError("--compare-since: expected a time before --compare-until")
    return Periods(Period(since, until), Period(compare_since, compare_until))


def _iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _date(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).date().isoformat()


def day_of(ms: int) -> str:
    return _date(ms)
