"""The report's remembered replays (carebase.report.replay.RememberedReplays) are keyed by the
code that replays *now*, not only by the build output's stamp (which names the code that wrote
the output): after an upgrade of carebase, a report on an output the old carebase wrote replays
its failed searches again instead of showing the old code's rankings until the next build."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest
from report_testkit import START_MS, CountingReplayer, run_cli
from sqlalchemy import create_engine

import carebase
from carebase.output.stamp import carebase_files
from carebase.report import replay
from carebase.report.replay import RememberedReplays

PACKAGE = Path(carebase.__path__[0])


def _replayed(cache: Path, *queries: str) -> list:
    """The queries a report run with this process's code replays afresh (the rest are read back)."""
    inner = CountingReplayer()
    replayer = RememberedReplays(inner, cache, "search-revision\0lexical\0en")
    for q in queries:
        replayer.search(q, 5)
    replayer.save()
    return inner.calls


@pytest.mark.parametrize("module", ["search/query.py", "search/engine.py", "text/analyser.py", "search/spelling.py",
                                    "output/opened.py", "search/data/bert-uncased-vocab.txt"])
def test_a_change_to_the_code_a_replay_runs_replays_again(tmp_path, monkeypatch, module):
    """Fails on the old code, whose key held the build output's search revision and this
    module's own code only: a report run by an upgraded carebase (another ranking in
    search/query.py, another stemmer in text/analyser.py) on an output the old one wrote read
    the old rankings back until the help centre was built again."""
    cache = tmp_path / "cache"
    assert _replayed(cache, "wifi drops", "router red") == [("wifi drops", 5), ("router red", 5)]
    assert _replayed(cache, "wifi drops", "router red") == []  # the same code: read back
    changed, real = PACKAGE / module, Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: real(p) + b"\n# upgraded" if p == changed else real(p))
    assert _replayed(cache, "wifi drops", "router red") == [("wifi drops", 5), ("router red", 5)]  # upgraded
    assert _replayed(cache, "wifi drops", "router red") == []  # and remembered for the new code


@pytest.mark.parametrize("distribution", ["whoosh-reloaded", "simplemma", "onnxruntime"])
def test_another_version_of_what_ranks_the_replays_replays_again(tmp_path, monkeypatch, distribution):
    """Fails on the old code: a Whoosh or word-data upgrade (pip install -U) kept the old replays."""
    cache = tmp_path / "cache"
    _replayed(cache, "wifi drops")
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "99.0" if name == distribution else real(name))
    assert _replayed(cache, "wifi drops") == [("wifi drops", 5)]


def test_code_the_replays_do_not_run_keeps_them(tmp_path, monkeypatch):
    """The report's own rendering is not part of the key: its replays stay remembered."""
    cache = tmp_path / "cache"
    _replayed(cache, "wifi drops")
    changed, real = PACKAGE / "report" / "render_html.py", Path.read_bytes
    assert changed not in carebase_files(replay.CODE)
    monkeypatch.setattr(Path, "read_bytes", lambda p: real(p) + b"\n# upgraded" if p == changed else real(p))
    assert _replayed(cache, "wifi drops") == []


# a fresh process replays a failed search through the build output's search, as `carebase report`
# does (meaning on when the output holds vectors), and lists every carebase file loaded
_REPLAY = """
import json, sys
from carebase.output import open_output
from carebase.report.replay import WhooshReplayer
output = open_output(sys.argv[1])
print(output.searches_by_meaning(), file=sys.stderr)
replayer = WhooshReplayer(opening=lambda: output.searcher())
assert replayer.search("my thermostat keeps going offline", 5)
print(json.dumps(sorted(m.__file__ for n, m in list(sys.modules.items())
                        if n.split(".")[0] == "carebase" and getattr(m, "__file__", None))))
"""


@pytest.mark.slow
def test_every_carebase_module_a_replay_runs_is_in_its_key(demo_site_data, tmp_path):
    """A module the replay imports by a name computed at run time, or a new module the search
    imports in a way the import walk does not read, would fail here."""
    ran = subprocess.run([sys.executable, "-c", _REPLAY, str(demo_site_data)], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    files = {Path(f).resolve() for f in json.loads(ran.stdout.splitlines()[-1])}
    assert any(f.name == "query.py" for f in files)
    assert files - {f.resolve() for f in carebase_files(replay.CODE)} == set()


def _store(path: Path) -> str:
    """A SQLite store where five customers searched "money back for my order" and found nothing."""
    from carebase.store.schema import events, metadata

    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        for n in range(5):
            conn.execute(events.insert(), {"event_id": f"s{n}", "type": "search", "received_ms": START_MS + n * 1000,
                                           "query": "money back for my order", "results": 0, "journey": f"j{n}",
                                           "client": f"c{n}"})
    engine.dispose()
    return url


def _replays(section) -> list[list[dict]]:
    """Every row's ``replay`` (its replayed typical wording's hits) in a report section."""
    if isinstance(section, dict):
        return ([section["replay"]] if isinstance(section.get("replay"), list) else []) + \
            [r for v in section.values() for r in _replays(v)]
    return [r for v in section for r in _replays(v)] if isinstance(section, list) else []


@pytest.mark.slow
def test_a_report_after_an_upgrade_shows_the_new_codes_replays(tmp_path, monkeypatch):
    """The whole command, twice on the same build output, store and cache: the second run is an
    upgraded carebase whose search ranks the other article first (search/query.py changed). Fails
    on the old code: the second report still said the old code's closest item."""
    from carebase.content.model import Article, Catalogue
    from carebase.output import open_output
    from carebase.search.query import Searcher

    site_data = tmp_path / "site-data"
    open_output(site_data, Catalogue(root=str(tmp_path / "content"), articles=(
        Article(id="article:refunds", path="refunds.md", title="Refunds", body="Money back for an order.", body_line=4),
        Article(id="article:returns", path="returns.md", title="Returns", body="Send an order back.", body_line=4))))
    url = _store(tmp_path / "feedback.db")

    def closest(name: str) -> list[str]:
        out = tmp_path / name
        proc = run_cli("--site-data", str(site_data), "--db", url, "--out", str(out), "--cache", str(tmp_path / "cache"),
                       "--format", "json", "--min-searches", "1", in_process=True)
        assert proc.returncode == 0, proc.stderr
        return [hit["id"] for hits in _replays(json.loads((out / "report.json").read_text())["missing"]) for hit in hits]

    before = closest("before")
    assert before and before[0] == "article:refunds"
    real_ranked, changed, real_bytes = Searcher.ranked, PACKAGE / "search" / "query.py", Path.read_bytes
    monkeypatch.setattr(Searcher, "ranked", lambda self, q, limit=5: list(reversed(real_ranked(self, q, limit=limit))))
    monkeypatch.setattr(Path, "read_bytes", lambda p: real_bytes(p) + b"\n# upgraded" if p == changed else real_bytes(p))
    after = closest("after")
    assert after[0] == "article:returns", after
