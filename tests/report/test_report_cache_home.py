"""Where ``carebase report`` remembers between runs by default: never inside the report folder
(its memory holds masked wordings, journey ids and client hashes, and a report folder is what
a lead shares), one folder per event source, and an older carebase's memory moved out of
``OUT/.cache`` so topics keep their ids."""

from __future__ import annotations

from carebase.report import cache_home


def test_one_folder_per_database_under_carebase_cache_never_under_out(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    relative = cache_home.default_folder(cache_home.source_identity("sqlite:///feedback.db"))
    absolute = cache_home.default_folder(cache_home.source_identity(f"sqlite:///{tmp_path / 'feedback.db'}"))
    other = cache_home.default_folder(cache_home.source_identity(f"sqlite:///{tmp_path / 'other.db'}"))
    export = cache_home.default_folder(cache_home.source_identity("sqlite:///feedback.db", "events.jsonl"))
    assert relative == absolute  # the same file, however it is named: topics keep their ids
    assert len({relative, other, export}) == 3
    assert relative.parent == tmp_path / "cache" / "reports"


def test_a_database_password_never_reaches_the_folder_key():
    with_password = cache_home.source_identity("postgresql://lead:s3cret@db.example/help")
    assert "s3cret" not in with_password
    assert with_password == cache_home.source_identity("postgresql://lead:other@db.example/help")


def test_cache_off_means_no_default_memory(monkeypatch):
    monkeypatch.setenv("CAREBASE_CACHE_DIR", "off")
    assert cache_home.default_folder(cache_home.source_identity("sqlite:///feedback.db")) is None


def test_an_older_memory_moves_out_of_the_report_folder_and_keeps_its_files(tmp_path):
    out = tmp_path / "report"
    legacy = out / ".cache" / "carebase"
    (legacy / "de").mkdir(parents=True)
    (legacy / "topics.json").write_text('{"topic:0123456789": "refund"}')
    (out / "report.md").write_text("# report")
    target = tmp_path / "cache" / "reports" / "sqlite-abc"
    note = cache_home.adopt_legacy(target, str(out))
    assert "moved" in note and str(target) in note
    assert not (out / ".cache").exists() and (out / "report.md").is_file()
    assert (target / "topics.json").read_text() == '{"topic:0123456789": "refund"}' and (target / "de").is_dir()
    assert cache_home.adopt_legacy(target, str(out)) is None  # nothing left to move


def test_an_older_memory_is_removed_when_the_new_place_is_already_in_use(tmp_path):
    out = tmp_path / "report"
    (out / ".cache" / "carebase").mkdir(parents=True)
    (out / ".cache" / "carebase" / "topics.json").write_text("{}")
    target = tmp_path / "cache" / "reports" / "sqlite-abc"
    target.mkdir(parents=True)
    (target / "topics.json").write_text('{"kept": true}')
    note = cache_home.adopt_legacy(target, str(out))
    assert "removed" in note and not (out / ".cache").exists()
    assert (target / "topics.json").read_text() == '{"kept": true}'


def test_items_vectors_go_to_the_shared_cache_and_wordings_to_the_reports_own(tmp_path, monkeypatch):
    """The items' texts (the site's published words) are embedded once for every database's
    report; customers' wordings stay in that database's memory; ``--no-cache`` and a cache
    turned off keep them in memory only, as before."""
    import pytest

    from carebase.report.topic_vectors import open_embeddings

    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path / "shared"))
    vectors = open_embeddings(tmp_path / "memory")
    if vectors is None:
        pytest.skip("no meaning model here: the report uses lexical vectors, nothing is embedded")
    assert vectors.cache.path == tmp_path / "memory" / "vectors.sqlite"
    assert vectors.items_cache.path == tmp_path / "shared" / "vectors.sqlite"
    in_memory = open_embeddings(None)  # --no-cache
    assert in_memory.cache.path is None and in_memory.items_cache is in_memory.cache
    monkeypatch.setenv("CAREBASE_CACHE_DIR", "off")
    off = open_embeddings(tmp_path / "memory")
    assert off.items_cache is off.cache
    for v in (vectors, in_memory, off):
        v.cache.close()
        v.items_cache.close()
