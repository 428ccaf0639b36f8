"""Stable ids, slugs and revisions."""

from __future__ import annotations

import hashlib
import re
import unicodedata

KINDS = ("article", "faq", "video")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_ID_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]*$")
ANCHOR_SHAPE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def slugify(text: str, fallback: str = "item") -> str:
    """'Can I get a refund?' -> 'can-i-get-a-refund' (ASCII, lower case, hyphens)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or fallback


def revision(source: str | bytes) -> str:
    """A short hash of an item's source, carried by votes to compare before/after edits."""
    data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    return hashlib.blake2b(data, digest_size=5).hexdigest()


def kind_of(item_id: str) -> str:
    head, sep, _ = item_id.partition(":")
    return head if sep and head in KINDS else ""


def normalise(value: str, kind: str) -> tuple[str, str]:
    """(id, complaint) for an id or alias a writer gave for an item of ``kind``.

    ``refunds`` → ``article:refunds``; ``billing/old.md`` → ``article:billing/old``; a
    FAQ alias without prefix is an old anchor of the same group (handled by the caller).
    """
    value = value.strip()
    given = kind_of(value)
    if given and given != kind:
        return "", f"expected an id starting with '{kind}:', found {value!r}"
    rest = value.split(":", 1)[1] if given else value
    if kind == "article" and not given:
        rest = rest.strip("/")
        rest = rest[:-3] if rest.endswith(".md") else rest
    if kind != "faq" and not _ID_SHAPE.match(rest):
        return "", f"expected an id of letters, digits, '-', '_', '.' and '/', found {value!r}"
    return f"{kind}:{rest}", ""
