"""A filled missing-content row's two sides in words, for report.md, index.html and the live
``/report`` (``missing.spread`` makes them: who found the row and who failed it, by client)."""

from __future__ import annotations

FEW_FOUND_SAYS = "found mostly by few addresses"


def few_found(row: dict) -> bool:
    return bool((row.get("spread") or {}).get("few_found"))


def spread_says(row: dict) -> str:
    """A row's two sides in numbers (``spread``); "" when the report does not count by client."""
    both = row.get("spread")
    if not both:
        return ""
    f, x = both["found"], both["failed"]
    return (f"found: {f['searches']:,} searches by {f['clients']:,} clients (busiest {f['busiest']:,}); "
            f"failed: {x['searches']:,} by {x['clients']:,} clients (busiest {x['busiest']:,})")


def filled_order(rows: list[dict]) -> list[dict]:
    """Filled rows as listed: the ones found mostly by few addresses first (a lead looks at them)."""
    return sorted(rows, key=lambda r: not few_found(r))
