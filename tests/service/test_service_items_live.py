"""A vote for an item a build published a moment ago is accepted: the service reads the build
output's stamp again before it refuses an item it does not know (``carebase serve`` answered
422 for the first vote when it came within the stamp's check interval of the first build).
That re-read is rate-limited, so a flood of bogus item ids cannot make every request read it."""

from __future__ import annotations

import time

from service_testkit import write_site_data

from carebase.output import stamp
from carebase.output.live import RECHECK_SECONDS, LiveOutput
from carebase.service.items import ItemIds


def _resolved_soon(items: ItemIds, item_id: str) -> str | None:
    """What ``item_id`` resolves to once the recheck interval has let the stamp be read again
    (the periodic check never comes in these tests: its interval is an hour)."""
    deadline = time.monotonic() + 60  # a bound on a failure only: found within 0.1 s when it works
    while (found := items.resolve(item_id)) is None and time.monotonic() < deadline:
        time.sleep(RECHECK_SECONDS / 4)
    return found


def test_an_item_published_after_the_last_check_is_known_at_once(tmp_path):
    live = LiveOutput(tmp_path / "site-data", check_every=3600)  # the interval never passes here
    items = ItemIds(live)
    assert items.resolve("article:billing/refunds") is None  # no build yet: unknown
    write_site_data(tmp_path)  # a build writes the output (and its stamp) now
    assert _resolved_soon(items, "article:billing/refunds") == "article:billing/refunds"
    assert items.resolve("article:old/refunds") == "article:billing/refunds"  # aliases too
    assert items.resolve("article:nowhere") is None


def test_a_flood_of_unknown_ids_reads_the_stamp_at_most_every_recheck_interval(tmp_path, monkeypatch):
    write_site_data(tmp_path)
    live = LiveOutput(tmp_path / "site-data", check_every=3600)
    items = ItemIds(live)
    assert items.resolve("article:billing/refunds") == "article:billing/refunds"
    reads = []
    real_read = stamp.read
    monkeypatch.setattr(stamp, "read", lambda folder: reads.append(1) or real_read(folder))
    started = time.monotonic()
    for n in range(3000):
        assert items.resolve(f"article:bogus-{n}") is None
    elapsed = time.monotonic() - started
    assert len(reads) <= elapsed / RECHECK_SECONDS + 1, (len(reads), elapsed)
    assert items.resolve("article:billing/refunds") == "article:billing/refunds"  # known ids never wait
