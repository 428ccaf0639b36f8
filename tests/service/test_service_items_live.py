"""A vote for an item a build published a moment ago is accepted: the service reads the build
output's stamp again before it refuses an item it does not know (``carebase serve`` answered
422 for the first vote when it came within the stamp's check interval of the first build)."""

from __future__ import annotations

from service_testkit import write_site_data

from carebase.output.live import LiveOutput
from carebase.service.items import ItemIds


def test_an_item_published_after_the_last_check_is_known_at_once(tmp_path):
    live = LiveOutput(tmp_path / "site-data", check_every=3600)  # the interval never passes here
    items = ItemIds(live)
    assert items.resolve("article:billing/refunds") is None  # no build yet: unknown
    write_site_data(tmp_path)  # a build writes the output (and its stamp) now
    assert items.resolve("article:billing/refunds") == "article:billing/refunds"
    assert items.resolve("article:old/refunds") == "article:billing/refunds"  # aliases too
    assert items.resolve("article:nowhere") is None
