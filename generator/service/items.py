"""Known item ids: the current build output's manifest, aliases resolved to canonical ids.

The service follows the build output (``carebase.output.live``): when a rebuild makes a new
revision current, its items are accepted within a second, without a restart. Without a
build output every well-formed item id is accepted (the service logs a warning at start-up).
"""

from __future__ import annotations

from carebase.output.live import LiveOutput

MAX_ALIAS_HOPS = 10


class ItemIds:
    def __init__(self, live: LiveOutput | None) -> None:
        self.live = live
        self._known: tuple[str, frozenset[str], dict[str, str]] | None = None

    @property
    def enforced(self) -> bool:
        return self.live is not None

    def _ids(self) -> tuple[frozenset[str], dict[str, str]]:
        out = self.live.current()
        if out is None:  # `carebase serve` before its first build: nothing is published yet
            return frozenset(), {}
        known = self._known
        if known is None or known[0] != out.revision:
            manifest = out.manifest
            known = (out.revision, frozenset(manifest.get("items", {})),
                     {str(k): str(v) for k, v in manifest.get("aliases", {}).items()})
            self._known = known
        return known[1], known[2]

    def resolve(self, item_id: str) -> str | None:
        """The canonical id, or None when the item is unknown."""
        if self.live is None:
            return item_id
        items, aliases = self._ids()
        if item_id in items:
            return item_id
        seen = 0
        while item_id in aliases and seen < MAX_ALIAS_HOPS:  # alias chains, without looping forever
            item_id = aliases[item_id]
            seen += 1
            if item_id in items:
                return item_id
        return None
