"""Known item ids: the current build output's manifest, aliases resolved to canonical ids.

It also gives each item's current content revision, the site's configured vote reasons
(``"reasons"``; the widget's default list when the manifest has none, or without a build
output) and the site's own strings per language (``"strings"``).

The service follows the build output (``carebase.output.live``): when a rebuild makes a new
revision current, its items are accepted within a second, without a restart. Without a
build output every well-formed item id is accepted (the service logs a warning at start-up).
"""

from __future__ import annotations

from dataclasses import dataclass

from carebase.output.live import LiveOutput
from carebase.service.masking_region import NO_REGION, Plans, plans, read_region
from carebase.widget.settings import DEFAULT_REASONS

MAX_ALIAS_HOPS = 10


@dataclass(frozen=True)
class Manifest:
    items: frozenset[str]
    aliases: dict[str, str]
    revisions: dict[str, str]
    reasons: tuple[str, ...]
    strings: dict = None  # lang → the site's own strings (the manifest's "strings"), for the service's pages
    pages: dict = None  # an item's page (its site-relative URL, no fragment) → (id, title): the contact form's "About"
    urls: dict = None  # an item's id → its site-relative URL (an FAQ question's with its fragment): suggestions opened
    region: tuple[str, ...] = ()  # the site's countries (the plugin's ``region``): the masker's national plans


NO_MANIFEST = Manifest(frozenset(), {}, {}, DEFAULT_REASONS, {}, {}, {})


def manifest_of(data: dict) -> Manifest:
    """The parts of a manifest (``carebase.content.manifest``) the service needs."""
    items = data.get("items") if isinstance(data.get("items"), dict) else {}
    aliases = data.get("aliases") if isinstance(data.get("aliases"), dict) else {}
    reasons = data.get("reasons")
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        reasons = DEFAULT_REASONS
    revisions = {str(k): str(v.get("revision")) for k, v in items.items() if isinstance(v, dict) and v.get("revision")}
    strings = data.get("strings") if isinstance(data.get("strings"), dict) else {}
    strings = {str(lang): texts for lang, texts in strings.items() if isinstance(texts, dict)}
    pages, urls = {}, {}
    for key, value in items.items():  # an FAQ question's URL has a fragment: its page is its group's
        url = value.get("url") if isinstance(value, dict) else None
        if isinstance(url, str):
            urls[str(key)] = url
            if "#" not in url:
                pages.setdefault(url, (str(key), str(value.get("title") or "")))
    region = data.get("region")
    region = tuple(str(code) for code in region) if isinstance(region, list) else ()
    return Manifest(frozenset(items), {str(k): str(v) for k, v in aliases.items()}, revisions, tuple(reasons),
                    strings, pages, urls, region)


class ItemIds:
    def __init__(self, live: LiveOutput | None) -> None:
        self.live = live
        self._known: tuple[str, Manifest] | None = None

    @property
    def enforced(self) -> bool:
        return self.live is not None

    @property
    def manifest(self) -> Manifest:
        out = self.live.current() if self.live is not None else None
        if out is None:  # no build output, or `carebase serve` before its first build
            return NO_MANIFEST
        known = self._known
        if known is None or known[0] != out.revision:
            known = self._known = (out.revision, manifest_of(out.manifest))
        return known[1]

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of a multilingual build output, the default first (an event's
        ``lang`` must be one of them); () for one language or no output (any code)."""
        out = self.live.current() if self.live is not None else None
        found = tuple(out.stamp.get("languages") or ()) if out is not None else ()
        return found if len(found) > 1 else ()

    def plans(self, fallback: tuple[str, ...] = ()) -> Plans:
        """The masker's national plans for the site's region: the build output's, else ``fallback``
        (``carebase service --region``); codes it does not know are left out (a newer build's)."""
        codes = self.manifest.region or fallback
        return plans(read_region(list(codes))[0]) if codes else NO_REGION

    @property
    def items(self) -> frozenset[str]:
        return self.manifest.items

    @property
    def aliases(self) -> dict[str, str]:
        return self.manifest.aliases

    @property
    def reasons(self) -> tuple[str, ...]:
        """The vote reasons the site offers (any other reason is stored as a comment)."""
        return self.manifest.reasons

    def revision_of(self, item_id: str) -> str | None:
        return self.manifest.revisions.get(item_id)

    def resolve(self, item_id: str) -> str | None:
        """The canonical id, or None when the item is unknown (also to the build output's stamp
        read again, at most every ``RECHECK_SECONDS``: an item a build published a moment ago is
        not refused, and a flood of unknown ids does not read the stamp on every request)."""
        if self.live is None:
            return item_id
        found = self._resolve(item_id, self.manifest)
        if found is None and self.live.current() is not self.live.recheck():
            found = self._resolve(item_id, self.manifest)
        return found

    @staticmethod
    def _resolve(item_id: str, manifest: Manifest) -> str | None:
        if item_id in manifest.items:
            return item_id
        seen = 0
        while item_id in manifest.aliases and seen < MAX_ALIAS_HOPS:  # alias chains, without looping forever
            item_id = manifest.aliases[item_id]
            seen += 1
            if item_id in manifest.items:
                return item_id
        return None
