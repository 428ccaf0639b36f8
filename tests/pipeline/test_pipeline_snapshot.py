"""The catalogue snapshot of the build output: the same JSON whether an item's part is written
again or reused from the last snapshot of the same content (a save in ``carebase serve``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from carebase.content import load_catalogue
from carebase.output.snapshot import dumps, loads, to_data

REPO = Path(__file__).resolve().parents[2]


def _reference(catalogue) -> str:
    return json.dumps(to_data(catalogue), ensure_ascii=False, separators=(",", ":"))


def test_a_snapshot_after_a_save_is_the_saved_catalogue_whole():
    catalogue = load_catalogue(REPO / "content")
    first = dumps(catalogue)
    assert first == _reference(catalogue) and loads(first) == catalogue
    assert dumps(catalogue) == first  # every item's part reused

    saved = dataclasses.replace(catalogue.articles[1], title="Saved again: a new title")
    group = catalogue.faqs[0]
    question = dataclasses.replace(group.questions[0], answer="A new answer.")
    edited = dataclasses.replace(
        catalogue, articles=(catalogue.articles[0], saved, *catalogue.articles[2:]),
        faqs=(dataclasses.replace(group, questions=(question, *group.questions[1:])), *catalogue.faqs[1:]),
        _index={})
    after = dumps(edited)
    assert after == _reference(edited) and loads(after) == edited
    assert "Saved again: a new title" in after and "A new answer." in after
    assert dumps(catalogue) == first  # and back: the old items' parts are written again
