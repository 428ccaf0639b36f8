"""The index and the searcher in-process: records, analysis, errors, hybrid search."""

import dataclasses

import numpy as np
import pytest

from carebase.content.model import Article
from carebase.search import semantic
from carebase.search.index import SearchIndexError, build_index, open_index
from carebase.search.query import Searcher
from carebase.search.records import catalogue_records, markdown_text
from search_testkit import help_centre


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ix")
    build_index(help_centre(), folder)
    return Searcher(open_index(folder))  # synonyms come from the index folder


def test_records_cover_articles_faq_questions_videos_and_each_chapter():
    cat = help_centre()
    draft = Article(id="article:draft", path="draft.md", title="Unpublished", body="x", body_line=1, draft=True)
    cat = dataclasses.replace(cat, articles=cat.articles + (draft,))
    records = {r.key: r for r in catalogue_records(cat)}
    assert "article:draft" not in records
    assert records["faq:cards#is-there-a-card-fee"].url == "faq/cards/#is-there-a-card-fee"
    chapter = records["video:getting-started#t=95"]
    assert chapter.id == "video:getting-started" and chapter.url == "videos/getting-started/#t=95"
    assert "top up" in chapter.body and "Download" not in chapter.body
    assert records["article:billing/refunds"].headings.split(" \n") == ["When we pay you back", "How long it takes"]


def test_markdown_is_reduced_to_text():
    md = "## Title {#anchor}\nSee [the app](https://x.example) and **bold** `code`.\n\n```\n# not a heading\n```"
    text = markdown_text(md)
    assert "https" not in text and "**" not in text and "{#" not in text
    assert "See the app and bold code." in text


def test_did_you_mean_only_for_words_the_index_does_not_know(searcher):
    assert searcher.search("refnd").suggestion == "refund"
    assert searcher.search("actvate card").suggestion == "activate card"
    assert searcher.search("refund").suggestion is None


def test_stemming_and_accent_folding(searcher):
    assert searcher.search("refunded").hits[0].id == "article:billing/refunds"
    assert searcher.search("actívating").hits[0].id == "article:cards/activate"


def test_all_stop_words_query_has_no_hits_and_no_error(searcher):
    res = searcher.search("how do I")
    assert res.hits == [] and res.total == 0


def test_unknown_kind_is_an_error_naming_the_field(searcher):
    with pytest.raises(ValueError, match="kind: expected one of article, faq, video"):
        searcher.search("card", kind="podcast")


def test_related_prefers_items_on_the_same_subject(searcher):
    related = searcher.related("article:cards/activate", limit=3)
    assert related and "article:cards/activate" not in related
    assert related[0].startswith("article:cards/") or related[0].startswith("faq:cards")
    assert searcher.related("article:missing") == []


def test_opening_a_folder_without_an_index_says_so(tmp_path):
    with pytest.raises(SearchIndexError, match="no carebase search index here"):
        open_index(tmp_path)


def test_without_saved_vectors_search_stays_lexical(tmp_path):
    build_index(help_centre(), tmp_path / "ix")
    assert semantic.SemanticIndex.open(tmp_path / "ix") is None


@pytest.mark.slow
def test_hybrid_finds_an_answer_phrased_in_other_words(tmp_path):
    cat = help_centre()
    build_index(cat, tmp_path / "ix")
    semantic.SemanticIndex.build(cat, tmp_path / "ix")
    hybrid = Searcher(open_index(tmp_path / "ix"), cat, semantic=semantic.SemanticIndex.open(tmp_path / "ix"))
    # no word of the query (after stop words) is in the lost-card article's title
    assert hybrid.search("someone took my wallet with my debit card inside").hits[0].id == "article:cards/lost-card"
    assert hybrid.search("refnd").hits[0].id == "article:billing/refunds"


@pytest.mark.slow
def test_an_unchanged_item_is_not_embedded_again_on_rebuild(tmp_path):
    """Vectors are computed per item text and model: a rebuild embeds only what changed."""
    from carebase.search.records import catalogue_records
    from carebase.search.vector_cache import VectorCache

    cat = help_centre()
    records = list(catalogue_records(cat))
    distinct = {semantic._about(r) for r in records} | {r.text() for r in records}
    cache_file = tmp_path / "vectors.sqlite"
    build_index(cat, tmp_path / "ix")
    first = VectorCache(cache_file)
    semantic.SemanticIndex.build(cat, tmp_path / "ix", cache=first)
    assert first.embedded == len(distinct)

    build_index(cat, tmp_path / "ix")  # the same content again (a new cache object: a new process)
    again = VectorCache(cache_file)
    semantic.SemanticIndex.build(cat, tmp_path / "ix", cache=again)
    assert again.embedded == 0

    article = cat.articles[0]
    changed = dataclasses.replace(article, body=article.body + " Also by bank transfer.")
    edited = dataclasses.replace(cat, articles=(changed,) + cat.articles[1:])
    build_index(edited, tmp_path / "ix")
    third = VectorCache(cache_file)
    rebuilt = semantic.SemanticIndex.build(edited, tmp_path / "ix", cache=third)
    assert third.embedded == 1  # its whole-text vector; its title, summary and keywords are the same
    opened = semantic.SemanticIndex.open(tmp_path / "ix")
    assert opened.keys == rebuilt.keys and np.allclose(opened.vectors, rebuilt.vectors)
