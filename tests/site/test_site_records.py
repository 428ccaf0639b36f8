"""Search records: one per FAQ question and per video chapter, with synonyms and kinds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_testkit import examples

from carebase.pages.records import Synonyms, enrich, generated_records
from carebase.pages.related import RelatedIndex
from carebase.pages.history import last_updated


def test_every_faq_question_and_chapter_is_its_own_record(ctx):
    records = {r["location"]: r for r in generated_records(ctx)}
    question = records["faq/billing/#can-i-get-a-refund"]
    assert question["title"] == "Can I get a refund?" and question["tags"] == ["FAQ"]
    chapter = records["videos/setup-basics/#t=42"]
    assert chapter["title"] == "Create a workspace" and chapter["tags"] == ["Video"]
    assert "Click the new workspace button." in chapter["text"]
    # page records come before their sections (Material maps sections onto the page)
    order = [r["location"] for r in generated_records(ctx)]
    assert order.index("videos/setup-basics/") < order.index("videos/setup-basics/#t=0")


def test_keywords_and_synonyms_are_hidden_in_the_record_text(ctx):
    records = {r["location"]: r for r in generated_records(ctx)}
    text = records["faq/billing/#can-i-get-a-refund"]["text"]
    assert '<span hidden>' in text
    hidden = text.split("<span hidden>")[1]
    assert "reimbursement" in hidden and "money back" in hidden and "reimburse" in hidden
    invite = records["videos/setup-basics/#t=120"]["text"]
    assert "add people" in invite  # the chapter title "Invite your team" names the group


def test_synonyms_match_whole_words_only():
    syn = Synonyms((("refund", "money back"), ("car", "vehicle")))
    assert syn.expand("Get your money back") == ["refund", "money back"]
    assert syn.expand("Which cards do you accept?") == []


@settings(max_examples=examples(300, 150), deadline=None)
@given(st.lists(st.sampled_from(["money back", "Money", "back", "c-wire", "wire", "o/b", "c++", "_a", "x_", "wi-fi",
                                 "wifi", "İx", "Σ", " ", "-", "_", "\u00a0", "\n", "é"]), max_size=12).map("".join))
def test_synonyms_found_as_by_each_phrase_s_own_pattern(text):
    groups = (("refund", "money back"), ("c-wire", "c wire", "wire"), ("o/b", "c++", "_a", "x_"), ("wifi", "wi-fi"),
              ("ix", "é"))
    by_pattern = [i for i, g in enumerate(groups)
                  if any(re.search(r"(?<!\w)" + re.escape(p.lower()) + r"(?!\w)", text.lower()) for p in g)]
    assert Synonyms(groups).expand(text) == [p for i in by_pattern for p in groups[i]]


def test_article_records_get_kind_tag_and_keywords(ctx):
    docs = [{"location": "billing/refunds/", "title": "Refunds", "text": "We refund within 14 days."},
            {"location": "billing/refunds/#how", "title": "How", "text": "Ask us."},
            {"location": "search/", "title": "Search", "text": ""}]
    out = enrich(docs, ctx.catalogue)
    assert out[0]["tags"] == ["Article"] and "chargeback" in out[0]["text"] and "money back" in out[0]["text"]
    assert out[1]["tags"] == ["Article"]
    assert "tags" not in out[2]


def test_computed_related_prefers_items_sharing_rare_terms(ctx):
    index = RelatedIndex(ctx.catalogue)
    related = index.related("article:billing/refunds")
    assert related[0] == "faq:billing#can-i-get-a-refund"
    assert "article:account/secret" not in index.related("article:account/password")


def test_last_updated_falls_back_to_file_time(tmp_path):
    (tmp_path / "a.md").write_text("x")
    stamps = last_updated(tmp_path, ["a.md", "missing.md"])
    assert set(stamps) == {"a.md"} and stamps["a.md"] > 0


def test_last_updated_reads_git_history_in_one_walk(tmp_path):
    import os
    import subprocess
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-01-02T03:04:05Z", "GIT_COMMITTER_DATE": "2024-01-02T03:04:05Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("x")
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-qm", "a"], check=True, env=env)
    stamps = last_updated(tmp_path / "docs", ["a.md"])
    assert stamps == {"a.md": 1704164645.0}
