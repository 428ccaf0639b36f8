"""Learned phrasings per language: on the pages of a language the embedding model does not
know, the neighbours found by embeddings do not vote."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from carebase.content.languages import Languages
from carebase.content.translations import load_languages
from carebase.learned.model import Settings
from carebase.learned.nearest import EmbeddedVectors, LexicalVectors
from carebase.learned.ranking import heard_in, search
from carebase.search import meaning
from carebase.search.index import build_index
from carebase.search.query import Searcher

DEMO = Path(__file__).resolve().parents[2] / "content"


class Voting:
    """A snapshot whose nearest wordings vote for one item whatever is asked (as MiniLM's
    German neighbours do: cosines of 0.34 on average between wordings of different needs)."""

    def __init__(self, vectors, item: str):
        self.settings = Settings()
        self.nearest = SimpleNamespace(vectors=vectors)
        self.item = item

    def votes(self, query: str) -> dict[str, float]:
        return {self.item: 1.0}


def test_embedded_neighbours_vote_only_in_a_language_the_model_knows(tmp_path):
    """Before, a German search took the learned votes of its nearest wordings by the English
    model's cosines, and a voted item is a strong match: "Werkseinstellungen" could list a
    billing FAQ as strong because German wordings of other needs sit near it. Now such votes
    count on English pages only (and with the TF-IDF fallback, which reads words, on every
    page)."""
    ml = load_languages(DEMO, Languages(("en", "de"))).published()
    english, german = ml.catalogues["en"], replace(ml.catalogues["de"])
    de = Searcher(build_index(german, tmp_path / "de", source=english), german)
    en = Searcher(build_index(english, tmp_path / "en"), english)
    embedded = Voting(EmbeddedVectors(np.zeros((1, 4), np.float32), None), "faq:billing#refund-annual")
    lexical = Voting(LexicalVectors(["erstattung jahresabo"]), "faq:billing#refund-annual")
    assert meaning.knows("en") == meaning.available() and not meaning.knows("de")
    assert not heard_in(embedded, de) and heard_in(lexical, de) and not heard_in(None, en)

    strong = [h.id for h in search(de, embedded, "Werkseinstellungen").hits if h.strong]
    assert strong[:1] == ["article:troubleshooting/factory-reset"]
    assert "faq:billing#refund-annual" not in strong
    assert "faq:billing#refund-annual" in [h.id for h in search(de, lexical, "Werkseinstellungen").hits if h.strong]
    if meaning.available():  # English pages: the model's neighbours vote as before
        voted = search(en, embedded, "factory reset")
        assert "faq:billing#refund-annual" in [h.id for h in voted.hits if h.strong]
