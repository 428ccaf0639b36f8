"""Known item ids from the site's manifest.json, with aliases resolved to canonical ids.

It also gives each item's current content revision and the site's configured vote reasons
(``"reasons"``; the widget's default list when the manifest has none, or without a manifest).

The manifest is re-read when its file changes (checked at most once a second), so a
rebuilt site's new items are accepted without restarting the service. Without a manifest
every well-formed item id is accepted (the service logs a warning at start-up).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from carebase.widget.settings import DEFAULT_REASONS


class ManifestError(Exception):
    pass


@dataclass(frozen=True)
class Manifest:
    items: frozenset[str]
    aliases: dict[str, str]
    revisions: dict[str, str]
    reasons: tuple[str, ...]


def read_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: manifest not found (build the site first: it writes site/manifest.json)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not a readable JSON manifest: {exc}") from None
    items = data.get("items") if isinstance(data, dict) else None
    aliases = data.get("aliases", {}) if isinstance(data, dict) else None
    if not isinstance(items, dict) or not isinstance(aliases, dict):
        raise ManifestError(f'{path}: expected {{"version": 1, "items": {{...}}, "aliases": {{...}}}}')
    reasons = data.get("reasons")
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        reasons = DEFAULT_REASONS
    revisions = {str(k): str(v.get("revision")) for k, v in items.items() if isinstance(v, dict) and v.get("revision")}
    return Manifest(frozenset(items), {str(k): str(v) for k, v in aliases.items()}, revisions, tuple(reasons))


class ItemIds:
    def __init__(self, manifest_path: str | Path | None, *, check_every: float = 1.0) -> None:
        self.path = Path(manifest_path) if manifest_path else None
        self._check_every = check_every
        self._lock = threading.Lock()
        self._mtime: float | None = None
        self._checked = 0.0
        self.manifest = Manifest(frozenset(), {}, {}, DEFAULT_REASONS)
        if self.path is not None:
            self.manifest = read_manifest(self.path)
            self._mtime = self.path.stat().st_mtime

    @property
    def items(self) -> frozenset[str]:
        return self.manifest.items

    @property
    def aliases(self) -> dict[str, str]:
        return self.manifest.aliases

    @property
    def reasons(self) -> tuple[str, ...]:
        """The vote reasons the site offers (any other reason is stored as a comment)."""
        if self.path is not None:
            self._refresh()
        return self.manifest.reasons

    def revision_of(self, item_id: str) -> str | None:
        return self.manifest.revisions.get(item_id)

    @property
    def enforced(self) -> bool:
        return self.path is not None

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_every:
            return
        with self._lock:
            self._checked = now
            try:
                mtime = self.path.stat().st_mtime
                if mtime != self._mtime:
                    self.manifest = read_manifest(self.path)
                    self._mtime = mtime
            except (OSError, ManifestError):
                pass  # a site being rebuilt: keep the last good manifest

    def resolve(self, item_id: str) -> str | None:
        """The canonical id, or None when the item is unknown."""
        if self.path is None:
            return item_id
        self._refresh()
        if item_id in self.items:
            return item_id
        seen = 0
        while item_id in self.aliases and seen < 10:  # alias chains, without looping forever
            item_id = self.aliases[item_id]
            seen += 1
            if item_id in self.items:
                return item_id
        return None
