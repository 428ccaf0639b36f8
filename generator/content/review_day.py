"""The day ``review_by`` dates are judged by.

Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set: the reproducible-builds variable
(https://reproducible-builds.org/specs/source-date-epoch/) that MkDocs also dates the sitemap
by. A build made for a day then warns about the same past review dates on any later day, and a
CI that pins the variable does not start failing ``--strict`` on the day a date passes.
"""

from __future__ import annotations

import datetime as dt
import os

VARIABLE = "SOURCE_DATE_EPOCH"


def review_day() -> dt.date:
    """Today (local), or the UTC day of ``SOURCE_DATE_EPOCH``; ValueError naming the variable
    when it is set to something that is not seconds since 1970-01-01."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"{VARIABLE}: expected the build's date in seconds since 1970-01-01 (an integer), "
                         f"found {value!r}; fix it or unset it") from None
