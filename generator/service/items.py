"""Known item ids from the site's manifest.json, with aliases resolved to canonical ids.

The manifest is re-read when its file changes (checked at most once a second), so a
rebuilt site's new items are accepted without restarting the service. Without a manifest
every well-formed item id is accepted (the service logs a warning at start-up).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path


class ManifestError(Exception):
    pass


def read_manifest(path: str | Path) -> tuple[frozenset[str], dict[str, str]]:
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
    return frozenset(items), {str(k): str(v) for k, v in aliases.items()}


class ItemIds:
    def __init__(self, manifest_path: str | Path | None, *, check_every: float = 1.0) -> None:
        self.path = Path(manifest_path) if manifest_path else None
        self._check_every = check_every
        self._lock = threading.Lock()
        self._mtime: float | None = None
        self._checked = 0.0
        self.items: frozenset[str] = frozenset()
        self.aliases: dict[str, str] = {}
        if self.path is not None:
            self.items, self.aliases = read_manifest(self.path)
            self._mtime = self.path.stat().st_mtime

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
                    self.items, self.aliases = read_manifest(self.path)
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
