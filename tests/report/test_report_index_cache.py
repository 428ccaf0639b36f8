"""The replay index cache: ``carebase report`` builds the search index of the content once,
reuses it while the content is unchanged, rebuilds it after an edit, and leaves nothing
behind with --no-cache."""

from __future__ import annotations

import json
import shutil

import pytest
from report_testkit import REPO, run_cli

pytestmark = pytest.mark.slow  # real report runs that build and rebuild the replay index


def _entries(cache):
    return sorted(p for p in cache.glob("replay-index-*") if p.is_dir())


def _clusters(out):
    report = json.loads((out / "report.json").read_text())
    assert report["replayed_with"] == "carebase search (Whoosh)"
    return [(c["label"], c["status"], c.get("closest", {}) and c["closest"].get("id")) for c in report["missing"]["clusters"]]


def test_the_index_is_built_once_reused_while_content_is_unchanged_and_rebuilt_after_an_edit(demo_run, tmp_path):
    _, _, url, _ = demo_run
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    cache = tmp_path / "cache"
    args = ["--content", str(content), "--db", url, "--format", "json", "--cache", str(cache)]

    first = run_cli(*args, "--out", str(tmp_path / "r1"))
    assert first.returncode == 0, first.stderr
    [entry] = _entries(cache)
    stamps = {p.name: p.stat().st_mtime_ns for p in entry.iterdir()}

    second = run_cli(*args, "--out", str(tmp_path / "r2"))
    assert second.returncode == 0, second.stderr
    assert _entries(cache) == [entry]
    assert {p.name: p.stat().st_mtime_ns for p in entry.iterdir()} == stamps  # reused, not rewritten
    assert _clusters(tmp_path / "r2") == _clusters(tmp_path / "r1")

    article = next(p for p in sorted((content / "troubleshooting").glob("*.md")) if len(p.suffixes) == 1)  # a source, not a translation (battery-low-warning.de.md)
    article.write_text(article.read_text() + "\nA brand-new paragraph about zyxwvut sensors.\n")
    third = run_cli(*args, "--out", str(tmp_path / "r3"))
    assert third.returncode == 0, third.stderr
    [rebuilt] = _entries(cache)
    assert rebuilt != entry and not entry.exists()  # only the latest index is kept


def test_default_cache_lives_under_out_and_no_cache_leaves_nothing(demo_run, tmp_path):
    _, out, url, _ = demo_run
    assert len(_entries(out / ".cache" / "carebase")) == 1
    proc = run_cli("--content", str(REPO / "content"), "--db", url, "--format", "json", "--no-cache",
                   "--out", str(tmp_path / "r"))
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["report.json"]


def test_cache_and_no_cache_together_are_refused(demo_run, tmp_path):
    _, _, url, _ = demo_run
    proc = run_cli("--content", str(REPO / "content"), "--db", url, "--cache", str(tmp_path / "c"), "--no-cache",
                   "--out", str(tmp_path / "r"))
    assert proc.returncode == 2
    assert "--cache and --no-cache" in proc.stderr and "Traceback" not in proc.stderr


def test_the_lean_replay_ranks_exactly_as_the_site_search(catalogue, tmp_path):
    """The replay skips counts and snippets, not ranking: same ids, same order, same scores
    as Searcher.search for customer-like queries (typos, synonyms, several words)."""
    from carebase.report.build import make_normaliser
    from carebase.report.replay import WhooshReplayer, open_replayer
    from carebase.search.index import open_index
    from carebase.search.query import Searcher

    replayer, note = open_replayer(catalogue, make_normaliser(catalogue), build_dir=str(tmp_path / "ix"))
    assert note == "" and isinstance(replayer, WhooshReplayer)
    searcher = Searcher(open_index(tmp_path / "ix"), catalogue=catalogue)
    words = [w for item in list(catalogue.items())[:40] for w in item.title.lower().split() if len(w) > 3]
    queries = [" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(0, min(len(words), 60), 7)]
    queries += ["thermostat wifi", "thermostst", "how do i reset", "zzzz nothing like it"]
    compared = 0
    for q in queries:
        expected = []
        for hit in searcher.search(q, limit=10).hits:
            if hit.id not in [e[0] for e in expected]:
                expected.append((hit.id, round(hit.score, 6)))
        got = [(i, round(s, 6)) for i, s in replayer.search(q, limit=5)]
        assert got == expected[:5], q
        compared += bool(got)
    assert compared >= len(queries) // 2
