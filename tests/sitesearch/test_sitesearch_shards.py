"""The site search's sharded client index (carebase.pages.search_shards): what the build
writes, how it splits big shards, and that search-index.js normalises words exactly as the
Python side does (a word indexed one way and looked up another would never be found)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tiers_testkit import real_build

from carebase.content import load_catalogue
from carebase.pages.search_shards import MAX_SHARD_BYTES, build_search_shards, shard_key, stem, terms, words

REPO = Path(__file__).resolve().parents[2]
INDEX_JS = REPO / "theme" / "assets" / "carebase" / "search-index.js"


@pytest.fixture(scope="module")
@real_build  # the demo's content loaded and its whole client index written: ~4 s of CPU, loaded
def demo_shards(tmp_path_factory):
    out = tmp_path_factory.mktemp("shards")
    catalogue = load_catalogue(REPO / "content")
    meta = build_search_shards(catalogue, out, category_title=lambda slug: slug.upper())
    return catalogue, out, meta


def _docs(out: Path, meta: dict) -> list[list]:
    rows = []
    for n in range((meta["items"] + meta["chunk"] - 1) // meta["chunk"]):
        rows += json.loads((out / f"d-{n}.json").read_text(encoding="utf-8"))
    return rows


def test_every_item_is_a_document_grouped_by_kind(demo_shards):
    catalogue, out, meta = demo_shards
    docs = _docs(out, meta)
    assert len(docs) == meta["items"] == sum(meta["kinds"].values())
    ids = {d[0] for d in docs}
    assert {a.id for a in catalogue.articles if not a.draft} <= ids
    assert {q.id for g in catalogue.faqs for q in g.questions} <= ids
    kinds = [d[1] for d in docs]
    assert kinds == sorted(kinds, key=["article", "faq", "video"].index)  # search-index.js relies on it
    refunds = next(d for d in docs if d[0] == "article:billing/refunds")
    assert refunds[3] == "billing/refunds/" and refunds[5] == "BILLING"
    chapter = next(d for d in docs if "#t=" in d[3])
    assert chapter[0].startswith("video:") and ": " in chapter[2]


def test_terms_are_found_in_their_shard_with_synonyms(demo_shards):
    _, out, meta = demo_shards
    docs = _docs(out, meta)
    refunds = next(i for i, d in enumerate(docs) if d[0] == "article:billing/refunds")
    shard = json.loads((out / f"t-{shard_key('refund', set(meta['split']))}.json").read_text(encoding="utf-8"))
    postings = shard["t"]["refund"]
    assert refunds in postings[0::2]
    # synonyms.yml: [refund, money back, reimburse, …] — the article never says "reimburse"
    key = shard_key(stem("reimburse"), set(meta["split"]))
    reimburse = json.loads((out / f"t-{key}.json").read_text(encoding="utf-8"))["t"][stem("reimburse")]
    assert refunds in reimburse[0::2]
    assert set(meta["shards"]) == {p.stem[2:] for p in out.glob("t-*.json")}


def test_big_shards_are_split_by_three_letters(tmp_path, demo_shards):
    """Two shard builds of the demo's whole content (~4-5 s of CPU): the module's loaded demo
    catalogue (``demo_shards``), so the test is in the slow tier, not the fast one."""
    limit = 1500
    catalogue = demo_shards[0]
    meta = build_search_shards(catalogue, tmp_path, max_shard_bytes=limit)
    assert meta["split"]  # the biggest two-letter shards (all "co…", "st…" terms) outgrow 1.5 KB
    split = set(meta["split"])
    files = {p.stem[2:]: json.loads(p.read_text(encoding="utf-8"))["t"] for p in tmp_path.glob("t-*.json")}
    for key, table in files.items():
        for term in table:
            assert shard_key(term, split) == key, (term, key)
            # a synonym phrase is where search-index.js looks it up: in its first word's shard
            assert " " not in term or shard_key(term.split(" ")[0], split) == key, (term, key)
    for two in split:  # a split shard keeps only its two-letter terms, the rest moved to three letters
        assert two not in meta["shards"] or all(len(t) <= 2 for t in files[two])
        assert any(key.startswith(two) and len(key) == 3 for key in files)
    # every term of the unsplit build is still in exactly one shard
    whole = tmp_path / "whole"
    build_search_shards(catalogue, whole)
    all_terms = {t for p in whole.glob("t-*.json") for t in json.loads(p.read_text(encoding="utf-8"))["t"]}
    assert all_terms == {t for table in files.values() for t in table}


@pytest.mark.slow  # runs Node
def test_a_synonym_phrase_is_in_its_first_words_shard_when_shards_split(tmp_path):
    """search-index.js looks a synonym phrase ("no connect", "wi fi") up in its first word's
    shard; with that word's two letters split to three, the phrase went to a shard of its own
    ("no "), so the query "no connection" lost its group on a big help centre."""
    from sitesearch_testkit import strong_in_node

    meta = build_search_shards(load_catalogue(REPO / "content"), tmp_path, max_shard_bytes=300)
    assert "no" in meta["split"]
    shard = json.loads((tmp_path / "t-no.json").read_text(encoding="utf-8"))["t"]
    assert "no connect" in shard and "no" in shard
    whole = tmp_path / "whole"
    build_search_shards(load_catalogue(REPO / "content"), whole)
    query = "no connection thermostat"
    assert strong_in_node(tmp_path, [query]) == strong_in_node(whole, [query])


def test_rebuild_removes_files_of_the_previous_build(tmp_path):
    (tmp_path / "t-zz.json").write_text("{}")
    build_search_shards(load_catalogue(REPO / "content"), tmp_path)
    assert not (tmp_path / "t-zz.json").exists()


def test_a_rebuild_over_an_index_never_leaves_it_without_meta(tmp_path, monkeypatch):
    """carebase serve writes the index again over the served one (a new or deleted article):
    a browser searching meanwhile must always find a meta.json and the shards it names."""
    import carebase.pages.search_shards as shards

    catalogue = load_catalogue(REPO / "content")
    build_search_shards(catalogue, tmp_path)
    (tmp_path / "t-zz.json").write_text("{}")  # a shard the new index does not have
    seen = []
    write = shards._write

    def watched(path, data):
        seen.append((tmp_path / "meta.json").is_file())
        write(path, data)

    monkeypatch.setattr(shards, "_write", watched)
    meta = build_search_shards(catalogue, tmp_path)
    assert seen and all(seen)
    assert not (tmp_path / "t-zz.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["meta.json", *(f"{kind}-{k}.json" for k in meta["shards"] for kind in "tf"),
         *(f"d-{n}.json" for n in range((meta["items"] + meta["chunk"] - 1) // meta["chunk"]))])


def test_meta_carries_the_analysers_rules_for_the_browser(demo_shards):
    from carebase.text import analyser_for

    _, out, meta = demo_shards
    index_terms = {t for key in meta["shards"] for t in json.loads((out / f"t-{key}.json").read_text())["t"]}
    assert meta["analyser"] == analyser_for("en").client_rules(index_terms)
    assert meta["analyser"]["forms"]["sent"] == "send"  # the word forms of the demo's terms
    assert "please" in meta["analyser"]["stop"] and meta["analyser"]["stemmer"] == "porter-whoosh"


def test_an_article_saved_again_updates_the_index_as_a_full_build_would(demo_shards, tmp_path, monkeypatch):
    """``carebase serve`` rewrites only the shards an edited article's terms live in: the
    files are the ones a full build of the edited content writes (the item chunks and the
    f-<key>.json files byte for byte), and the update reads each file once. Fails on session
    38's code: it read 14 files twice (each changed f-<key>.json, for the counts and again to
    rewrite it) and wrote a new term's counts after the others in f-re.json."""
    import collections
    import dataclasses

    from carebase.pages.search_shards_update import update_search_shards

    catalogue, _out, _meta = demo_shards
    shutil.copytree(_out, tmp_path / "updated")
    edited = next(a for a in catalogue.articles if a.path == "billing/refunds.md")
    changed = dataclasses.replace(edited, title="Zorbly money back", summary="Quuxed refunds",
                                  body=edited.body.replace("refund", "repayment") + "\n\nFlimflam wording.\n")
    new = dataclasses.replace(catalogue, articles=tuple(changed if a is edited else a for a in catalogue.articles))
    reads, read_text = collections.Counter(), Path.read_text

    def counted(path, *args, **kwargs):
        # only the index's own files: Path.read_text is patched for the whole process, and a
        # thread another test left running in this worker (a service polling its stamp.json)
        # reads through it too
        if Path(path).parent == tmp_path / "updated":
            reads[path.name] += 1
        return read_text(path, *args, **kwargs)
    monkeypatch.setattr(Path, "read_text", counted)
    assert update_search_shards(catalogue, new, tmp_path / "updated", saved=[edited.id],
                                category_title=lambda slug: slug.upper())
    monkeypatch.undo()
    assert reads and not [name for name, n in reads.items() if n > 1], reads
    build_search_shards(new, tmp_path / "full", category_title=lambda slug: slug.upper())
    for path in (tmp_path / "full").glob("[df]-*.json"):
        assert (tmp_path / "updated" / path.name).read_bytes() == path.read_bytes(), path.name
    written = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "full").glob("*.json")}
    updated = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "updated").glob("*.json")}
    from shards_testkit import same_postings

    assert updated.keys() == written.keys()
    assert written["meta.json"].pop("rows") and "rows" not in updated["meta.json"]  # rows in shards: stale
    assert updated["meta.json"].pop("avgfl").keys() == written["meta.json"].pop("avgfl").keys()
    for name in written:
        if name.startswith("t-"):  # display words: the first item's wording of a term, either way;
            # weights: by the last full build's average field lengths (shards_testkit.WEIGHT_TOLERANCE)
            assert same_postings(updated[name]["t"], written[name]["t"]), name
        else:
            assert updated[name] == written[name], name
    assert "zorbli" in json.dumps(updated) or "zorbly" in json.dumps(updated)


@pytest.mark.slow  # runs Node
def test_new_renamed_and_deleted_items_update_the_index_in_place(demo_shards, tmp_path):
    """``carebase serve`` after a rename, a new article, a deletion and a video that lost a
    chapter: the browser's own search (search-index.js in Node) finds the renamed article by
    its new title and no longer finds the deleted one; the index means what a full build of
    the same content means; a file whose content did not change is not written again."""
    import dataclasses

    from shards_testkit import client_index, same_index
    from sitesearch_testkit import search_in_node

    from carebase.pages.search_shards_update import update_search_shards

    catalogue, out, _ = demo_shards
    served = tmp_path / "served"
    shutil.copytree(out, served)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in served.glob("*.json")}
    title = lambda slug: slug.upper()  # noqa: E731
    refunds = next(a for a in catalogue.articles if a.path == "billing/refunds.md")
    flicker = next(a for a in catalogue.articles if a.path == "troubleshooting/display-flickering.md")
    moved = dataclasses.replace(refunds, id="article:billing/money-back", path="billing/money-back.md",
                                title="Wombat money back")
    gift = dataclasses.replace(refunds, id="article:billing/gift-cards", path="billing/gift-cards.md",
                               title="Gift cards", summary="Redeem a gift card.", keywords=(), tags=(),
                               body="# Gift cards\n\nRedeem a wallabian gift card in the app.\n")
    articles = sorted([*(a for a in catalogue.articles if a is not refunds), moved, gift], key=lambda a: a.path)
    renamed = dataclasses.replace(catalogue, articles=tuple(articles), _index={})
    assert update_search_shards(catalogue, renamed, served, added=[moved.id, gift.id], gone=[refunds.id],
                                category_title=title)
    video = next(v for v in catalogue.videos if len(v.chapters) > 1)
    cut = dataclasses.replace(video, chapters=video.chapters[:-1])
    final = dataclasses.replace(renamed, articles=tuple(a for a in articles if a is not flicker),
                                videos=tuple(cut if v is video else v for v in catalogue.videos), _index={})
    assert update_search_shards(renamed, final, served, saved=[video.id], gone=[flicker.id], category_title=title)

    found = search_in_node(served, ["wombat", "wallabian", "refunds", "flickering", video.chapters[-1].title])
    assert found["wombat"][:1] == ["billing/money-back/"]
    assert "billing/gift-cards/" in found["wallabian"]
    assert "billing/money-back/" in found["refunds"] and "billing/refunds/" not in found["refunds"]
    assert not any(url.startswith("troubleshooting/display-flickering/") for url in found["flickering"])
    assert not any(url.endswith(f"#{video.chapters[-1].anchor}") for urls in found.values() for url in urls)
    meta = json.loads((served / "meta.json").read_text(encoding="utf-8"))
    assert [kind for kind, _, _ in meta["ranges"]] == ["article", "faq", "video", "article", "video"]

    build_search_shards(final, tmp_path / "full", category_title=title)
    assert same_index(client_index(served), client_index(tmp_path / "full"))
    after = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in served.glob("*.json")}
    same = [name for name in before.keys() & after.keys() if before[name][2] == after[name][2]]
    assert all(before[name][:2] == after[name][:2] for name in same)  # not written again
    shards = [name for name in after if name.startswith("t-")]
    rewritten = [name for name in shards if before.get(name, (0, 0))[:2] != after[name][:2]]
    assert len(rewritten) < len(shards) / 2, (len(rewritten), len(shards))


def test_the_search_index_writer_writes_the_same_shards_from_its_own_analysis(tmp_path):
    """The build writes the client index with its search index (one analysis of each record,
    ``build_index(site_search=...)``); the site copies it: the same files, byte for byte, as the
    client index made on its own from the catalogue."""
    from carebase.search.index import build_index

    catalogue = load_catalogue(REPO / "content")
    build_index(catalogue, tmp_path / "ix", procs=1, site_search=tmp_path / "with-index")
    build_search_shards(catalogue, tmp_path / "alone", category_title=catalogue.category_title)
    names = sorted(p.name for p in (tmp_path / "alone").iterdir())
    assert sorted(p.name for p in (tmp_path / "with-index").iterdir()) == names and "meta.json" in names
    for name in names:
        assert (tmp_path / "with-index" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


@pytest.mark.slow  # runs Node
def test_one_word_suggestions_read_their_rows_from_the_shard_and_no_item_chunk(demo_shards, tmp_path):
    """A box's suggestions (search-index.js ``search(q, {titles: true})``, 12 items, in Node)
    for one word typed letter by letter, closed by a space or misspelt: the same items in the
    same order with the same ids, kinds, titles, URLs and categories as read from the item
    chunks, with no item chunk fetched — also in an index whose shards are split by three
    letters. Two words: the same items, the rows a shard lacks from the chunks."""
    from sitesearch_testkit import searches_in_node

    catalogue, out, _ = demo_shards
    split = tmp_path / "split"
    build_search_shards(catalogue, split, category_title=lambda slug: slug.upper(), max_shard_bytes=600)
    assert json.loads((split / "meta.json").read_text(encoding="utf-8"))["split"]
    typed = ["refund", "thermostat", "wifi", "password", "boiler", "reimburse", "cancel"]
    one = sorted({w[:n] for w in typed for n in range(1, len(w) + 1)}) + ["refund ", "refnd", "wont"]
    queries = one + ["thermostat offline", "money ba", "wifi router "]
    for folder in (out, split):
        answers = searches_in_node(folder, [(q, {"limit": 12, "titles": True}) for q in queries] +
                                   [(q, {"limit": 12}) for q in queries])
        for q, short, full in zip(queries, answers, answers[len(queries):]):
            assert [h[:4] + h[5:] for h in short["hits"]] == [h[:4] + h[5:] for h in full["hits"]], (folder.name, q)
            assert all(h[4] == "" for h in short["hits"]), q
            chunks = [f for f in short["fetched"] if f.startswith("d-")]
            assert not chunks or q not in one, (folder.name, q, chunks)
            assert [f for f in full["fetched"] if f.startswith("d-")] or not full["hits"], q
        hits = dict(zip(queries, (a["hits"] for a in answers)))
        assert hits["ref"] and hits["refnd"][0][3] == "billing/refunds/", folder.name


@pytest.mark.slow  # runs Node
def test_did_you_mean_corrects_typos_not_everyday_words_as_the_service_does(demo_shards):
    """The client index's "did you mean" (search-index.js in Node) on the demo: the same as the
    service's (tests/search/test_search_precision.py, the same table): "wife" is not "wire"."""
    from shards_testkit import DID_YOU_MEAN
    from sitesearch_testkit import suggestions_in_node

    _, out, meta = demo_shards
    assert suggestions_in_node(out, list(DID_YOU_MEAN)) == DID_YOU_MEAN
    # ("loft" was listed while the demo's "lost" was a term: it is "lose"'s now, carebase.text.forms)
    for word, listed in (("seller", True), ("wife", True), ("house", False), ("left", False), ("loft", False)):
        shard = json.loads((out / f"t-{shard_key(stem(word), set(meta['split']))}.json").read_text(encoding="utf-8"))
        # shipped only where the client would correct it ("house" is a word of the demo, "left" too)
        assert (word in shard.get("k", [])) is listed, word


@pytest.mark.slow  # runs Node
def test_a_word_joined_by_slashes_is_found_by_the_client_index_too(demo_shards):
    """"o/b" found nothing in the client index either (its one-letter words dropped): now the
    heat pump article first, as from the service (tests/search/test_search_precision.py); the
    term's shard is named without its slash ("t-o_.json"); "a", "b" alone find nothing."""
    from sitesearch_testkit import search_in_node

    _, out, meta = demo_shards
    assert "o_" in meta["shards"] and "o/b" in json.loads((out / "t-o_.json").read_text(encoding="utf-8"))["t"]
    found = search_in_node(out, ["o/b", "O/B", "o/b wire", "a", "b"])
    assert [found[q][:1] for q in ("o/b", "O/B", "o/b wire")] == [["installation/heat-pumps/"]] * 3
    assert found["a"] == found["b"] == []


@pytest.mark.slow  # runs Node
def test_the_client_index_ranks_as_the_service_does(demo_shards, tmp_path):
    """With the service down, the client index (search-index.js in Node) answers the demo's
    multi-word customer queries (benchmarks/search/demo_queries.yml) with the service's first
    result (BM25F: each term's frequency part in the shards, its idf in the browser, the words'
    scores summed). It weighed each term by a fixed field weight, without idf, and multiplied by
    the square of the share of the words matched: 6 of the 30 first results differed, and with
    the service down "thermostat offline" showed a video above the offline article."""
    import yaml
    from sitesearch_testkit import search_in_node, suggestions_in_node

    from carebase.search.index import build_index
    from carebase.search.query import Searcher

    catalogue, out, _ = demo_shards
    queries = [str(r["query"]) for r in yaml.safe_load((REPO / "benchmarks" / "search" / "demo_queries.yml")
                                                       .read_text(encoding="utf-8"))]
    service = Searcher(build_index(catalogue, tmp_path / "ix"), catalogue)
    first = {q: service.search(q, limit=1).hits[0].url for q in queries}
    client = search_in_node(out, queries)
    assert client["thermostat offline"][0] == first["thermostat offline"] == "troubleshooting/thermostat-offline/"
    differ = [q for q in queries if client[q][:1] != [first[q]]]
    assert len(differ) <= 1, differ  # "missing part box": the FAQ answer and the article swap
    # the did-you-mean keeps the customer's other words, and shows the help centre's most
    # frequent word of the stem, as the service's does (it was "refunds": the stem's first word)
    typed = "When will I get my refnd?"
    assert service.search(typed).suggestion == "When will I get my refund"
    assert suggestions_in_node(out, [typed])[typed] == "When will I get my refund"


@pytest.mark.slow  # runs Node
def test_the_client_index_names_the_services_strong_matches(demo_shards, tmp_path):
    """With the service down the client index (search-index.js in Node) lists as strong the
    items the service's lexical search does (cutoff.py: its numbers written into meta.json's
    "strong"). "thermostat offline" listed 15 strong items against the service's 9: the client
    matched a synonym phrase's words anywhere in an item ("no" ... "connect" as "no connection",
    a synonym of "offline"), credited "not" alone with the group of the phrase "not connecting",
    and counted a synonym as the word itself (fails on the old code). What still differs on the
    demo's 30 queries comes from the scores (the client sums BM25F's parts without Whoosh's
    coordination, and each field's part by the word's idf over whole items where the service
    takes each field's own idf, so a title match weighs less in the browser): a result near half,
    or near a quarter, of the best score is strong on one side only. Since session 36 a result
    covering most of the query needs a quarter of the best score (cutoff.FLOOR_SCORE): the
    browser's flatter scores keep more of them strong ("heating not turning on": 2 strong through
    the service, 7 in the browser; 8 and 8 before)."""
    import yaml
    from sitesearch_testkit import strong_in_node

    from carebase.search.index import build_index
    from carebase.search.query import Searcher

    catalogue, out, meta = demo_shards
    queries = [str(r["query"]) for r in yaml.safe_load((REPO / "benchmarks" / "search" / "demo_queries.yml")
                                                       .read_text(encoding="utf-8"))]
    service = Searcher(build_index(catalogue, tmp_path / "ix"), catalogue)
    api = {q: [h.id for h in service.search(q, limit=200, snippets=False).hits if h.strong] for q in queries}
    client = strong_in_node(out, queries)
    offline = client["thermostat offline"]
    assert offline[0] == "article:troubleshooting/thermostat-offline"
    assert set(offline) == set(api["thermostat offline"]) and len(offline) <= 10, offline
    assert len(set(client["cancel subscription"])) <= len(set(api["cancel subscription"])) + 1
    assert set(api["heating not turning on"]) <= set(client["heating not turning on"])
    same = [q for q in queries if sorted(client[q]) == sorted(api[q])]
    # 19 of 30 on session 33's code, 23 on session 35's; 20 with the score floor (session 36); all
    # 30 since session 37, the rule reading the service's own scores (the shards' "c")
    assert same == queries, sorted(set(queries) - set(same))
    from carebase.search.cutoff import client_rule

    assert meta["strong"] == client_rule()  # one rule: its numbers from the service's code


@pytest.mark.slow  # runs Node
def test_the_client_index_needs_a_quarter_of_the_best_score_as_the_service_does(demo_shards):
    """With the service down, "cancel subscription" listed 8 strong results in the browser, among
    them *Delete your account* and "I was charged twice", which hold both words in passing (0.18
    and 0.24 of the best score in the browser). search-index.js now applies the service's score
    floor (meta.json's "strong": "floor_score"): a result covering most of the query needs a
    quarter of the best score (fails on the old code: 8 strong, both among them). An index
    written before it (no "floor_score") keeps its rule."""
    from sitesearch_testkit import strong_in_node

    catalogue, out, meta = demo_shards
    assert meta["strong"]["floor_score"] == 0.25
    strong = strong_in_node(out, ["cancel subscription"])["cancel subscription"]
    assert strong[:2] == ["article:billing/cancel-lumo-plus", "faq:billing#cancel-anytime"], strong
    assert not {"article:app-and-account/delete-your-account", "faq:billing#charged-twice"} & set(strong), strong
    assert len(set(strong)) <= 6
    older = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    older["strong"].pop("floor_score")
    (out / "meta.json").write_text(json.dumps(older), encoding="utf-8")
    try:
        assert len(set(strong_in_node(out, ["cancel subscription"])["cancel subscription"])) == 8
    finally:
        (out / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


@pytest.mark.slow  # runs Node
def test_a_word_in_more_items_than_its_shard_lists_weighs_as_in_the_service(tmp_path, monkeypatch):
    """A term in more than ``MAX_POSTINGS`` items keeps its best-weighted postings only; the
    browser counted its idf (and its weight in the strong rule) from those, so the commonest
    words weighed more with the service down than through it (the code reader, session 33: at
    10,000 items). The shard now says how many items hold it ("n"). Planted past a cap of 20
    (the real cap, 2,000, needs a help centre of thousands): "boiler" is in 50 of 60 articles,
    "pairing" in 6; the client's strong matches and first results are the service's (fails on
    the old code: the articles with "boiler" alone were strong in the browser)."""
    import dataclasses

    from sitesearch_testkit import search_in_node, strong_in_node

    from carebase.content.model import Article, Catalogue
    from carebase.pages import search_shards
    from carebase.pages.search_shards_update import update_search_shards
    from carebase.search.index import build_index
    from carebase.search.query import Searcher

    filler = ("radiator", "valve", "schedule", "display", "sensor", "holiday", "battery", "wiring")
    articles = []
    for i in range(60):
        words = [filler[(i + j) % len(filler)] for j in range(i % 5 + 4)]
        if i < 50:
            words += ["boiler"] * (i % 4 + 1)
        if 47 <= i < 53:
            words.append("pairing")
        articles.append(Article(id=f"article:h/a{i}", path=f"h/a{i}.md", title=f"Heating note {i}",
                                body=" ".join(words) + ".", body_line=3, category="h"))
    catalogue = Catalogue(root="planted", articles=tuple(articles))
    monkeypatch.setattr(search_shards, "MAX_POSTINGS", 20)
    out = tmp_path / "site"
    search_shards.build_search_shards(catalogue, out)
    shard = json.loads((out / f"t-{shard_key('boiler', set())}.json").read_text(encoding="utf-8"))
    assert len(shard["t"]["boiler"]) == 2 * 20 and shard["n"]["boiler"] == [50, 50]
    assert "pairing" not in shard.get("n", {})
    service = Searcher(build_index(catalogue, tmp_path / "ix"), catalogue)
    # the common word with a rarer one: the service's 6 strong matches are the "pairing" articles;
    # the old client listed 24, "boiler" weighing 1.09 of the query's 3.33 (the service: 0.19 of 2.43)
    queries = ["boiler pairing", "pairing boiler", "boiler radiator pairing"]
    api = {q: service.search(q, limit=60, snippets=False).hits for q in queries}
    strong = strong_in_node(out, queries)
    first = search_in_node(out, queries[:2])
    for q in queries:
        assert set(strong[q]) == {h.id for h in api[q] if h.strong}, (q, strong[q])
    for q in queries[:2]:  # (three words: Whoosh's coordination bonus, which the client lacks, orders the first)
        assert first[q][0] == api[q][0].url, (q, first[q][:3], [h.url for h in api[q][:3]])
    # `carebase serve`'s update in place moves the count by the items it changes: one of the
    # postings deleted, two new articles with "boiler" (one with "pairing"), and keeps the build's cap
    gone = articles[shard["t"]["boiler"][0]]
    new = [Article(id=f"article:h/n{i}", path=f"h/n{i}.md", title=f"New note {i}", body=f"boiler radiator{extra}.",
                   body_line=3, category="h") for i, extra in ((1, ""), (2, " pairing"))]
    changed = dataclasses.replace(catalogue, articles=tuple([a for a in articles if a is not gone] + new), _index={})
    assert update_search_shards(catalogue, changed, out, added=[a.id for a in new], gone=[gone.id])
    shard = json.loads((out / f"t-{shard_key('boiler', set())}.json").read_text(encoding="utf-8"))
    assert shard["n"]["boiler"] == [51, 51]
    # the update's cap is the build's as it is now (the old code's was the one at its first import,
    # here before the cap was set: 21 postings kept, a full build keeps 20; and a first import
    # during this test capped every later update of the process at 20: a demo update lost
    # "Lumo at a glance" from "thermostat offline"'s strong matches, run before that test on a
    # worker: see test_serve_keeps_the_services_scores_right_after_an_update_in_place)
    assert len(shard["t"]["boiler"]) == 2 * 20, len(shard["t"]["boiler"]) // 2
    service = Searcher(build_index(changed, tmp_path / "ix2"), changed)
    assert set(strong_in_node(out, ["boiler pairing"])["boiler pairing"]) == \
        {h.id for h in service.search("boiler pairing", limit=60, snippets=False).hits if h.strong}


def test_serve_keeps_a_capped_words_count_when_items_past_the_cap_change(tmp_path, monkeypatch):
    """`carebase serve`'s update in place counted an item past the cap (not among the shard's
    postings) as new on every save and took nothing off when it was deleted, so the browser's
    idf of the commonest words drifted from the service's (this session's code reader). Planted
    past a cap of 20: "boiler" in 50 of 60 articles; two saves of one article past the cap (its
    body edited, "boiler" kept) and the deletion of another; the count is a fresh build's (fails
    on the old code: [51, 51] after the saves and the deletion, where a fresh build says 49)."""
    import dataclasses

    from carebase.content.model import Article, Catalogue
    from carebase.pages import search_shards
    from carebase.pages.search_shards_update import update_search_shards

    articles = [Article(id=f"article:h/a{i}", path=f"h/a{i}.md", title=f"Heating note {i}",
                        body=("boiler " * (i % 4 + 1) if i < 50 else "") + "radiator valve schedule.", body_line=3,
                        category="h") for i in range(60)]
    catalogue = Catalogue(root="planted", articles=tuple(articles))
    monkeypatch.setattr(search_shards, "MAX_POSTINGS", 20)
    out = tmp_path / "site"
    search_shards.build_search_shards(catalogue, out)
    key = f"t-{shard_key('boiler', set())}.json"
    listed = set(json.loads((out / key).read_text(encoding="utf-8"))["t"]["boiler"][::2])
    edited, deleted = [a for n, a in enumerate(articles[:50]) if n not in listed][:2]
    now = catalogue
    for body in ("boiler radiator valve schedule display.", "boiler radiator valve schedule display sensor."):
        then, now = now, dataclasses.replace(now, articles=tuple(dataclasses.replace(a, body=body) if a.id == edited.id
                                                                  else a for a in now.articles), _index={})
        assert update_search_shards(then, now, out, saved=[edited.id])
    then, now = now, dataclasses.replace(now, articles=tuple(a for a in now.articles if a.id != deleted.id), _index={})
    assert update_search_shards(then, now, out, gone=[deleted.id])
    fresh = tmp_path / "fresh"
    search_shards.build_search_shards(now, fresh)
    counts = json.loads((out / key).read_text(encoding="utf-8"))["n"]["boiler"]
    assert counts == json.loads((fresh / key).read_text(encoding="utf-8"))["n"]["boiler"] == [49, 49], counts


@pytest.mark.slow  # runs Node
def test_the_strong_rule_reads_the_services_scores_in_the_browser(demo_shards, tmp_path):
    """The strong matches are decided by one rule on one score, whichever engine answers: the
    shards carry each posting's score as the service's BM25F gives it (each field's part by the
    word's idf in that field, a synonym phrase its words' scores: "c"), which search-index.js's
    rule reads, while its order stays its own. Until session 37 the browser's rule read its own
    scores (each word's idf over whole items): "heating not turning on" named 7 strong in the
    browser, 2 through the service; "cancel subscription" 6 and 5; 20 of the demo's 30 multi-word
    queries had the same strong set (fails on the old code: no "c")."""
    from sitesearch_testkit import strong_in_node

    from carebase.search.index import build_index
    from carebase.search.query import Searcher

    catalogue, out, meta = demo_shards
    assert meta["cut"] == 1
    service = Searcher(build_index(catalogue, tmp_path / "ix"), catalogue)
    docs = _docs(out, meta)
    for word in map(stem, ("offline", "cancel", "subscription", "thermostat")):
        shard = json.loads((out / f"t-{shard_key(word, set(meta['split']))}.json").read_text(encoding="utf-8"))
        own = [(doc, c) for doc, w, c in zip(shard["t"][word][::2], shard["t"][word][1::2], shard["c"][word]) if w > 0]
        scores = {h.id: h.score for h in service.search(word, limit=200, snippets=False).hits if h.kind == "article"}
        checked = [(docs[doc][0], c) for doc, c in own if docs[doc][1] == "article"]
        assert checked, word
        for item, c in checked:  # a one-word query's score is the word's BM25F (no coordination)
            assert abs(c / 10 - scores[item]) <= 0.06, (word, item, c, scores[item])
    # a word no shard holds ("qwzx") counts for nothing on either side, and leaves the rule on the
    # service's scores (it put the whole query back on the browser's: 7 strong against 2)
    queries = ["heating not turning on", "cancel subscription", "thermostat offline", "wont connect wifi",
               "heating not turning on qwzx"]
    client = strong_in_node(out, queries)
    for q in queries:
        api = [h.id for h in service.search(q, limit=200, snippets=False).hits if h.strong]
        assert sorted(client[q]) == sorted(api), (q, client[q], api)
    assert len(client["heating not turning on"]) == 2 and len(client["cancel subscription"]) == 5


@pytest.mark.slow  # runs Node
def test_serve_keeps_the_services_scores_right_after_an_update_in_place(demo_shards, tmp_path):
    """``carebase serve`` updates the shards in place after a save: each changed term's items per
    field (f-<key>.json) are a full build's, each changed posting carries its score as the
    service's ("c", by the updated counts), and the browser names the same strong matches as over
    a full build of the same content."""
    import dataclasses

    from sitesearch_testkit import strong_in_node

    from carebase.pages.search_shards_update import update_search_shards

    catalogue, out, _ = demo_shards
    served = tmp_path / "served"
    shutil.copytree(out, served)
    offline = next(a for a in catalogue.articles if a.path == "troubleshooting/thermostat-offline.md")
    edited = dataclasses.replace(offline, title="Thermostat offline or not connecting to Wi-Fi",
                                 body=offline.body + "\n\nCancel the pairing and subscription reset first.\n")
    gift = dataclasses.replace(offline, id="article:billing/gift-cards", path="billing/gift-cards.md",
                               title="Cancel a gift subscription", summary="Gift cards.", keywords=(), tags=(),
                               body="# Gift cards\n\nCancel a gift subscription offline in the app.\n")
    articles = sorted([*(a for a in catalogue.articles if a is not offline), edited, gift], key=lambda a: a.path)
    new = dataclasses.replace(catalogue, articles=tuple(articles), _index={})
    assert update_search_shards(catalogue, new, served, saved=[offline.id], added=[gift.id],
                                category_title=lambda slug: slug.upper())
    full = tmp_path / "full"
    build_search_shards(new, full, category_title=lambda slug: slug.upper())
    fmeta = json.loads((full / "meta.json").read_text(encoding="utf-8"))
    for word in map(stem, ("cancel", "subscription", "offline", "gift", "thermostat")):
        key = shard_key(word, set(fmeta["split"]))
        updated = json.loads((served / f"t-{key}.json").read_text(encoding="utf-8"))
        fields = [json.loads((folder / f"f-{key}.json").read_text(encoding="utf-8")) for folder in (served, full)]
        assert fields[0]["f"][word] == fields[1]["f"][word] and "f" not in updated, word
        assert len(updated["c"][word]) == len(updated["t"][word]) // 2, word
    queries = ["cancel subscription", "thermostat offline", "cancel gift", "heating not turning on"]
    updated, written = strong_in_node(served, queries), strong_in_node(full, queries)
    assert {q: sorted(v) for q, v in updated.items()} == {q: sorted(v) for q, v in written.items()}
    assert "article:billing/gift-cards" in updated["cancel gift"]
