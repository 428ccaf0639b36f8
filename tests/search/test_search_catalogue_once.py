"""Every search names each hit's category from the catalogue its index was written from: that
catalogue is read once per output and language, not on every search (a German search while
the next revision's index was written read and parsed the previous revision's German
catalogue on each request), and a FAQ question's group is found without a scan of every group."""

from __future__ import annotations

from types import SimpleNamespace

from carebase.content import load_catalogue
from carebase.output import snapshot
from carebase.output.layout import CATALOGUE, SCHEMA, language_folder, revision_folder
from carebase.output.opened import BuildOutput

CONTENT = {
    "categories.yml": "- id: billing\n  title: {title}\n",
    "faq/billing.yml": "title: Billing\ncategory: billing\nquestions:\n  - question: Can I get a refund?\n"
                       "    id: can-i-get-a-refund\n    answer: Yes, within 30 days.\n",
}


def _output(tmp_path) -> BuildOutput:
    """Revision r2 is current, its index still being written: the searches answer from r1's
    index, so their categories come from r1's catalogues ("Abrechnung alt" in German)."""
    for revision in ("r1", "r2"):
        for lang, title in (("", "Billing"), ("de", "Abrechnung")):
            root = tmp_path / "content" / revision / (lang or "en")
            for name, text in CONTENT.items():
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_text(text.replace("{title}", f"{title} {'alt' if revision == 'r1' else 'neu'}"),
                                         encoding="utf-8")
            target = language_folder(revision_folder(tmp_path / "out", revision), lang) if lang else \
                revision_folder(tmp_path / "out", revision)
            target.mkdir(parents=True, exist_ok=True)
            (target / CATALOGUE).write_text(snapshot.dumps(load_catalogue(root)), encoding="utf-8")
    return BuildOutput(tmp_path / "out", {"schema": SCHEMA, "revision": "r2", "search": "r1", "languages": ["en", "de"]})


def test_two_german_searches_while_the_next_index_is_written_read_its_catalogue_once(tmp_path, monkeypatch):
    """Fails on the old code: each search parsed the catalogue again (2 reads for 2 searches)
    and scanned the FAQ groups once per FAQ hit."""
    from carebase.learned import ranking
    from carebase.service import routes_search, search_page

    out = _output(tmp_path)
    parsed, scans, answers = [], [], []
    real_from_data, real_groups = snapshot.from_data, getattr(routes_search, "faq_categories", None)
    monkeypatch.setattr(snapshot, "from_data", lambda data: parsed.append(1) or real_from_data(data))
    monkeypatch.setattr(routes_search, "faq_categories", lambda cat: scans.append(1) or real_groups(cat), raising=False)
    hit = SimpleNamespace(id="faq:billing#can-i-get-a-refund", kind="faq", title="Can I get a refund?",
                          url="de/faq/billing/#can-i-get-a-refund", snippet="", score=1.0, strong=True)
    found = SimpleNamespace(total=2, counts={"faq": 2}, strong=2, strong_counts={"faq": 2}, suggestion=None,
                            hits=[hit, hit])
    monkeypatch.setattr(ranking, "search", lambda *args, **kwargs: found)
    monkeypatch.setattr(search_page, "routes", lambda answer_json, languages: answers.append(answer_json) or [])
    routes_search.routes(lambda lang=None: object(), catalogue=out.index_catalogue_of, languages=lambda: ("en", "de"))
    search = answers[0]
    for _ in range(2):
        answer = search("Erstattung", None, 10, "de")
        assert [h["category"] for h in answer["hits"]] == ["Abrechnung alt", "Abrechnung alt"]
    assert len(parsed) == 1, f"the catalogue was parsed {len(parsed)} times for 2 searches"
    assert len(scans) == 1  # the FAQ groups indexed once, not scanned per hit
    assert search("refund", None, 10, None)["hits"][0]["category"] == "Billing alt"
