"""The demo help centre (content/): big and varied enough to show every feature, and clean.

The loader is the judge: counts and references are read through
``carebase.content.load_catalogue``, and ``carebase check content --strict`` must pass.
The self-hosted video must really play in a browser, with its captions.
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

import pytest
import webvtt
import yaml
from carebase.content.review_day import review_day
from cli_testkit import run_carebase
from web_testkit import StaticServer, save_shot

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"


@pytest.fixture(scope="module")
def catalogue():
    from carebase.content import load_catalogue

    return load_catalogue(CONTENT)


def test_loads_without_any_problem(catalogue):
    assert [str(p) for p in catalogue.problems] == []


def test_check_strict_is_clean():
    run = run_carebase("check", str(CONTENT), "--strict", cwd=REPO, env={**os.environ, "CI": "1"})
    assert run.returncode == 0, run.stdout + run.stderr


def test_six_ordered_categories_each_with_articles(catalogue):
    categories = sorted(catalogue.categories, key=lambda c: c.order)
    assert len(categories) == 6
    assert [c.order for c in categories] == [1, 2, 3, 4, 5, 6]
    for category in categories:
        assert category.title and category.description
        assert category.icon.startswith("material/"), category
        articles = [a for a in catalogue.articles if a.category == category.id]
        assert len(articles) >= 4, f"{category.id} has only {len(articles)} articles"


def test_articles_are_complete_and_reviewed_in_the_future(catalogue):
    assert len(catalogue.articles) >= 30
    today = review_day()  # the suite's day (tests/conftest.py), or today
    for article in catalogue.articles:
        assert article.title and article.summary and article.owner, article.path
        assert article.review_by and article.review_by > today, article.path
        assert article.tags, article.path
        assert not article.draft, article.path
    assert sum(1 for a in catalogue.articles if a.keywords) >= 30
    assert sum(1 for a in catalogue.articles if a.related) >= 25
    # Realistic variety: long guides and a couple of thin pages a gap report can flag.
    words = sorted(len(a.body.split()) for a in catalogue.articles)
    assert words[0] < 60 and words[-1] > 350, words


def test_renamed_items_keep_their_old_ids(catalogue):
    renamed = {a.id: a.aliases for a in catalogue.articles if a.aliases}
    assert len(renamed) >= 2
    for item_id, aliases in renamed.items():
        for alias in aliases:
            assert catalogue.get(alias).id == item_id
    from carebase.content.manifest import build_manifest

    manifest = build_manifest(catalogue)  # what the service uses to accept votes on old ids
    assert manifest["aliases"]["article:billing/cancel-subscription"] == "article:billing/cancel-lumo-plus"
    assert manifest["items"]["faq:billing#refund-annual"]["url"] == "faq/billing/#refund-annual"
    assert manifest["items"]["video:reconnect-wifi"]["category"] == "troubleshooting"


def test_faq_groups_and_questions(catalogue):
    assert len(catalogue.faqs) == 3
    questions = [q for g in catalogue.faqs for q in g.questions]
    assert len(questions) >= 30
    categories = {c.id for c in catalogue.categories}
    for group in catalogue.faqs:
        assert group.category in categories and group.owner and group.review_by
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.answer.strip() for q in questions)
    linking = [q for q in questions if "](../" in q.answer]
    assert len(linking) >= 10, "FAQ answers should link to the articles that explain more"
    assert catalogue.get("faq:billing#refund-annual").question == "Can I get a refund for my annual plan?"


def test_videos_cover_every_source_kind_with_chapters_and_transcripts(catalogue):
    videos = {v.slug: v for v in catalogue.videos}
    assert len(videos) == 6
    kinds = sorted(v.source.kind for v in videos.values())
    assert kinds == ["file", "vimeo", "youtube", "youtube", "youtube", "youtube"]
    for video in videos.values():
        assert len(video.chapters) >= 4, video.slug
        starts = [c.start for c in video.chapters]
        assert starts == sorted(starts) and starts[0] == 0 and starts[-1] < video.duration, video.slug
        if video.source.kind != "file":
            assert len(video.source.video_id) >= 9, video.source
    with_transcript = {s: v for s, v in videos.items() if v.transcript}
    assert len(with_transcript) >= 3
    transcript_files = sorted(Path(v.transcript_path).suffix for v in with_transcript.values() if v.transcript_path)
    assert ".srt" in transcript_files and ".vtt" in transcript_files
    assert any(not v.transcript_path for v in with_transcript.values()), "one transcript is inline"
    for video in with_transcript.values():
        assert video.transcript[-1].end <= video.duration + 0.5, video.slug
    local = videos["reconnect-wifi"]
    assert local.source.kind == "file" and local.thumbnail and local.duration == 34
    assert [c.lang for c in local.captions] == ["en"]


def test_every_related_id_resolves(catalogue):
    items = list(catalogue.items())
    pointers = [(item.id, target) for item in items for target in item.related]
    assert len(pointers) >= 120
    missing = [(src, target) for src, target in pointers if catalogue.get(target) is None]
    assert missing == []
    kinds = {target.split(":", 1)[0] for _, target in pointers}
    assert kinds == {"article", "faq", "video"}


def test_synonym_groups(catalogue):
    groups = catalogue.synonyms
    assert 12 <= len(groups) <= 25
    words = [w for g in groups for w in g]
    assert all(len(g) >= 2 for g in groups)
    assert len(words) == len(set(words)), "a word belongs to one group"
    assert ("refund" in words) and ("money back" in words)


# --- files read directly: these hold whatever the loader does ----------------------------


def _video_files():
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted((CONTENT / "videos").glob("*.yml"))}


def _seconds(text) -> float:
    total = 0.0
    for part in str(text).split(":"):
        total = total * 60 + float(part)
    return total


def test_transcript_and_caption_files_parse_in_order():
    checked = 0
    for slug, data in _video_files().items():
        files = [data["transcript"]] if isinstance(data.get("transcript"), str) else []
        files += [c["src"] for c in data.get("captions", [])]
        for rel in files:
            path = CONTENT / rel
            captions = (webvtt.from_srt(path) if path.suffix == ".srt" else webvtt.read(path)).captions
            assert len(captions) >= 8, rel
            ends = [c.end_in_seconds for c in captions]
            assert ends == sorted(ends) and ends[-1] <= _seconds(data["duration"]), rel
            assert all(c.text.strip() for c in captions), rel
            checked += 1
    assert checked >= 3


def test_self_hosted_video_is_a_small_webm_with_a_png_thumbnail():
    data = _video_files()["reconnect-wifi"]
    video = CONTENT / data["source"]
    head = video.read_bytes()[:64]
    assert head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head, "an EBML/WebM file"
    assert video.stat().st_size < 300_000
    thumb = (CONTENT / data["thumbnail"]).read_bytes()
    assert thumb[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", thumb[16:24])
    assert (width, height) == (640, 360), "the poster fills the player without blur"
    assert len(thumb) < 30_000


@pytest.fixture(scope="module")
def media_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo-media")
    data = _video_files()["reconnect-wifi"]
    for rel in (data["source"], data["thumbnail"], data["captions"][0]["src"]):
        shutil.copy(CONTENT / rel, root / Path(rel).name)
    (root / "index.html").write_text(
        "<!doctype html><title>video</title>"
        f'<video id="v" controls muted preload="auto" poster="{Path(data["thumbnail"]).name}" width="640">'
        f'<source src="{Path(data["source"]).name}" type="video/webm">'
        f'<track kind="captions" srclang="en" label="English" default src="{Path(data["captions"][0]["src"]).name}">'
        "</video>")
    server = StaticServer(root)
    yield server.url
    server.close()


@pytest.mark.browser
def test_self_hosted_video_plays_in_chromium_with_captions(media_server, shared_chromium):
    page = shared_chromium.new_page()
    try:
        page.goto(media_server)
        page.wait_for_function("document.getElementById('v').readyState >= 1", timeout=15_000)
        state = page.evaluate("""async () => {
            const v = document.getElementById('v');
            await v.play();
            await new Promise(r => setTimeout(r, 700));
            const track = v.textTracks[0];
            track.mode = 'showing';
            for (let i = 0; i < 50 && !(track.cues && track.cues.length); i++)
                await new Promise(r => setTimeout(r, 100));
            return {duration: v.duration, readyState: v.readyState, width: v.videoWidth,
                    height: v.videoHeight, time: v.currentTime, error: v.error && v.error.code,
                    cues: track.cues ? track.cues.length : 0,
                    firstCue: track.cues && track.cues.length ? track.cues[0].text : ''};
        }""")
        save_shot(page, "demo-video-playing.png")
    finally:
        page.close()
    assert state["error"] is None
    assert state["readyState"] >= 1 and 33 <= state["duration"] <= 35
    assert (state["width"], state["height"]) == (640, 360)
    assert state["time"] > 0, "playback advanced"
    assert state["cues"] == 10 and "reconnect" in state["firstCue"]


# --- customers' words find the writers' pages ----------------------------------------------

# What a customer types → the page that answers it, among the first three results (what a
# search box shows without scrolling). The first queries match the pages' keywords; the
# last six find the right page only thanks to synonyms.yml.
CUSTOMER_QUERIES = [
    ("money back", "article:billing/refunds"),
    ("screen is dead", "article:troubleshooting/no-power-blank-screen"),
    ("common wire", "article:installation/c-wire-and-power-adapter"),
    ("vacation", "article:comfort-and-schedules/away-mode-and-geofencing"),
    ("programme", "article:comfort-and-schedules/create-a-schedule"),
    ("wipe", "article:troubleshooting/factory-reset"),
    ("second user", "article:app-and-account/share-access-with-family"),
    ("thermostat not connecting", "article:troubleshooting/thermostat-offline"),
    ("unsubscribe", "article:billing/cancel-lumo-plus"),
    ("stat disconnected", "article:troubleshooting/thermostat-offline"),
    ("unit offline", "article:troubleshooting/thermostat-offline"),
    ("dead stat", "article:troubleshooting/no-power-blank-screen"),
    ("air source", "article:installation/heat-pumps"),
]


@pytest.fixture(scope="module")
def searcher(catalogue, tmp_path_factory):
    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    index_dir = tmp_path_factory.mktemp("demo-index")
    build_index(catalogue, index_dir)
    return Searcher(open_index(index_dir), catalogue=catalogue)


@pytest.mark.parametrize("query, expected", CUSTOMER_QUERIES)
def test_customer_words_find_the_right_page_in_the_top_three(searcher, query, expected):
    hits = searcher.search(query, limit=3).hits
    assert expected in [h.id for h in hits], [h.id for h in hits]


def test_synonyms_are_what_finds_the_last_queries(catalogue, searcher, tmp_path_factory):
    import dataclasses

    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    bare = dataclasses.replace(catalogue, synonyms=())
    index_dir = tmp_path_factory.mktemp("demo-index-no-synonyms")
    build_index(bare, index_dir)
    without = Searcher(open_index(index_dir), catalogue=bare)
    synonym_queries = CUSTOMER_QUERIES[-6:]
    top3 = lambda s, q: [h.id for h in s.search(q, limit=3).hits]  # noqa: E731
    assert all(want in top3(searcher, q) for q, want in synonym_queries)
    missed = [q for q, want in synonym_queries if want not in top3(without, q)]
    assert len(missed) >= 2, f"without synonyms.yml only {missed} miss the top three"
