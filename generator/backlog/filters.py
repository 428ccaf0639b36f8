"""Which backlog rows a view shows: the live report's filters (and the API's).

Query parameters, all optional: ``days`` (7, 28 or 90: the period), ``status`` (``active``
= open and in progress, the default; a status; or ``all``), ``owner``, ``category``, ``kind``
(article, faq, video, faq group, topic), ``action`` (fix, write, retag, keywords, promote,
review, transcript), ``lang`` (a language code; ``default`` for the site's own language) and
``page``; on the live page, ``limit``: the rows its long report tables (failing, missing,
stale content, FAQ answers to promote, videos without a transcript) show, 10 by default, up to 50
("show all"). A value the view does not know is a 400 naming the parameter; an owner or a
category with no row simply shows none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from carebase.backlog.rows import ACTIONS
from carebase.backlog.states import STATUSES

PERIODS = (7, 28, 90)
KINDS = ("article", "faq", "video", "faq group", "topic")
STATUS_CHOICES = ("active", *STATUSES, "all")
PAGE_SIZE = 50
SECTION_ROWS = 10  # the live page's report tables: their first rows, the rest behind ?limit=
SECTION_ROWS_MAX = 50
DEFAULT_LANG = "default"


class FilterError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class View:
    days: int = 28
    status: str = "active"
    owner: str = ""
    category: str = ""
    kind: str = ""
    action: str = ""
    lang: str = ""
    page: int = 1
    limit: int = SECTION_ROWS

    @classmethod
    def parse(cls, params) -> "View":
        known = {"days", "status", "owner", "category", "kind", "action", "lang", "page", "limit"}
        for name in params.keys():
            if name not in known:
                raise FilterError(name, f"{name[:40]}: unknown parameter (expected one of {', '.join(sorted(known))})")
        values = {k: (params.get(k) or "").strip() for k in known}
        days = _number(values["days"] or "28", "days")
        if days not in PERIODS:
            raise FilterError("days", f"days: expected one of {', '.join(map(str, PERIODS))}, found {days}")
        page = _number(values["page"] or "1", "page")
        if page < 1:
            raise FilterError("page", f"page: expected 1 or more, found {page}")
        limit = _number(values["limit"] or str(SECTION_ROWS), "limit")
        if not 1 <= limit <= SECTION_ROWS_MAX:
            raise FilterError("limit", f"limit: expected 1 to {SECTION_ROWS_MAX}, found {limit}")
        for field, choices in (("status", STATUS_CHOICES), ("kind", KINDS), ("action", tuple(ACTIONS))):
            if values[field] and values[field] not in choices:
                raise FilterError(field, f"{field}: expected one of {', '.join(choices)}, found {values[field][:40]!r}")
        return cls(days=days, status=values["status"] or "active", owner=values["owner"][:120],
                   category=values["category"][:120], kind=values["kind"], action=values["action"],
                   lang=values["lang"][:20], page=page, limit=limit)

    def keeps(self, row: dict) -> bool:
        if self.status == "active" and row["status"] not in ("open", "in_progress"):
            return False
        if self.status not in ("active", "all") and row["status"] != self.status:
            return False
        if self.lang and (row.get("lang") or DEFAULT_LANG) != self.lang:
            return False
        return all(not want or row.get(field) == want for field, want in
                   (("owner", self.owner), ("category", self.category), ("kind", self.kind), ("action", self.action)))

    def apply(self, rows: list[dict]) -> list[dict]:
        return [r for r in rows if self.keeps(r)]

    def query(self, **changes) -> str:
        """This view's query string with some filters changed (defaults left out)."""
        view = replace(self, **changes)
        pairs = [(k, getattr(view, k)) for k in ("days", "status", "owner", "category", "kind", "action", "lang", "page", "limit")]
        default = View()
        return urlencode([(k, v) for k, v in pairs if v != getattr(default, k)])


def _number(text: str, field: str) -> int:
    if not text.isdigit() or len(text) > 6:
        raise FilterError(field, f"{field}: expected a whole number, found {text[:40]!r}")
    return int(text)


def options(rows: list[dict]) -> dict[str, list[tuple[str, str, int]]]:
    """(value, label, rows) per filter, for the view's drop-downs."""
    out = {}
    for field in ("owner", "category", "kind", "action", "lang"):
        counts: Counter = Counter((r.get(field) or (DEFAULT_LANG if field == "lang" else "")) for r in rows)
        labels = {}
        if field == "category":
            labels = {r["category"]: r.get("category_title") or r["category"] for r in rows}
        if field == "action":
            labels = {a: v[0] for a, v in ACTIONS.items()}
        out[field] = sorted(((v, labels.get(v, v) or "(none)", n) for v, n in counts.items() if v or field == "category"),
                            key=lambda t: (t[1].lower(), t[0]))
    return out
