"""Known item ids: the current build output's manifest, aliases resolved to canonical ids.

It also gives each item's current content revision, the site's configured vote reasons
(``"reasons"``; the widget's default list when the manifest has none, or without a build
output) and the site's own strings per language (``"strings"``).

The service follows the build output (``carebase.output.live``): when a rebuild makes a new
revision current, its items are accepted within a second, without a restart. Without a
build output every well-formed item id is accepted (the service logs a warning at start-up).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from carebase.output.live import CHECK_SECONDS, LiveOutput
from carebase.service.masking_region import NO_REGION, Plans, plans, read_region
from carebase.widget.settings import DEFAULT_REASONS

MAX_ALIAS_HOPS = 10
log = logging.getLogger("carebase.service")


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
    def __init__(self, live: LiveOutput | None, region: tuple[str, ...] = ()) -> None:
        """``region``: the site's countries when the build output names none (``carebase service
        --region``)."""
        self.live = live
        self._known: tuple[str, Manifest] | None = None
        self._fallback = tuple(region)
        codes = self._codes_of(live.current() if live is not None else None)
        # the masker's plans for the site's region, compiled now (not on the event loop at the
        # first request: ~0.3 s for 30 codes), then again in a thread of their own when a rebuilt
        # output names another region, the previous ones masking until they are ready
        self._region: tuple[tuple[str, ...], Plans] = (codes, plans(codes) if codes else NO_REGION)
        self._pending: tuple[str, ...] | None = None
        self._region_lock = threading.Lock()  # the pending codes and the plans change together
        self._watching: threading.Thread | None = None
        self._stop = threading.Event()
        if live is not None:
            live.on_change(self._output_changed)

    def start(self) -> None:
        """Follow the build output in a thread of its own (its stamp read every second, as
        ``LiveOutput`` does for a request), so a rebuild's region is taken up even when no request
        reads the output (stored searches and comments do not)."""
        if self.live is not None and self._watching is None:
            self._stop.clear()
            self._watching = threading.Thread(target=self._watch, name="carebase-output-watch", daemon=True)
            self._watching.start()

    def stop(self) -> None:
        self._stop.set()
        if self._watching is not None:
            self._watching.join(5)
            self._watching = None

    def _watch(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            try:
                self.live.current()
            except Exception:  # logged; the next check tries again
                log.exception("build output %s: could not be checked", self.live.folder)

    def _codes_of(self, out) -> tuple[str, ...]:
        """The region codes of a build output (its manifest's ``region``), else the fallback;
        codes this version does not know are left out (a newer build's)."""
        found = out.manifest.get("region") if out is not None and isinstance(out.manifest, dict) else None
        codes = tuple(str(code) for code in found) if isinstance(found, list) and found else self._fallback
        return read_region(list(codes))[0] if codes else ()

    def _output_changed(self, out) -> None:
        codes = self._codes_of(out)
        with self._region_lock:
            if codes == (self._pending if self._pending is not None else self._region[0]):
                return
            self._pending = codes
        threading.Thread(target=self._compile, args=(codes,), name="carebase-region", daemon=True).start()

    def _compile(self, codes: tuple[str, ...]) -> None:
        found = plans(codes) if codes else NO_REGION
        with self._region_lock:
            if self._pending == codes:  # not replaced by a newer output's meanwhile
                self._region, self._pending = (codes, found), None

    @property
    def region(self) -> Plans:
        """The masker's national plans for the site's region (the build output's, else the
        fallback): held, never read from the output on the request path."""
        return self._region[1]

    @property
    def region_codes(self) -> tuple[str, ...]:
        return self._region[0]

    def plans(self) -> Plans:
        """``region`` (what ``carebase mcp`` masks its recorded questions with)."""
        return self.region

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
