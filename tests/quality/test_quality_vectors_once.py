"""Each text is embedded once per run (tests/once_testkit.py ``vectors_made_once``, installed for
every run by tests/conftest.py's ``session_vector_cache``): at the run's start the demo's English
texts were embedded by two worker processes at the same moment, ``embed_demo`` (for the demo's
build and build output) and a test writing the demo content's build output itself
(learned_testkit's ``site_data_in``), each into the run's still empty vector cache. Two real
processes do both at once here, with a stand-in model that logs what it embeds and whose first
embedding waits until the other process has looked the texts up too (without the claims, both find
the cache empty and both embed everything) or waits for this one's.

And a process waits only for the texts another is embedding, not for all embedding: a one-article
build output (tests/report's ``small_site_data``) waited 23.8 s in a loaded fast tier behind
another worker's embedding of the demo's texts under a single run-wide lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

#: one process of the pair: argv = role ("demo" or "learned"), the shared folder
ROLE = r'''
import json, os, sys, time
from pathlib import Path
import numpy as np

role, shared = sys.argv[1], Path(sys.argv[2])
from carebase.search import embedders, meaning

log, first = shared / f"{role}.embedded", []

def embed(texts, kind):
    """a stand-in model: logs what it embeds; its first call waits until the other process has
    looked the texts up too and missed them: it embeds them too, or waits for this one's"""
    with open(log, "a") as f:
        f.write(json.dumps(texts) + "\n")
    if not first:
        first.append(1)
        (shared / f"{role}.embedding").touch()
        other = shared / ("learned" if role == "demo" else "demo")
        deadline = time.monotonic() + 120
        while not (other.with_suffix(".embedding").exists() or other.with_suffix(".waits").exists()) \
                and time.monotonic() < deadline:
            time.sleep(0.02)
    return np.array([[(hash(t) % 97) + 1.0] + [1.0] * 7 for t in texts], np.float32)

meaning._embedder, meaning._decided = embedders.Embedder("stand-in", "stand-in-1", 8, embed), True

import once_testkit
if hasattr(once_testkit, "vectors_made_once"):
    once_testkit.vectors_made_once()  # what tests/conftest.py's session_vector_cache installs
    waiting = once_testkit.wait_for_others

    def wait_for_others(cache, folder, kind, texts):
        if texts:
            (shared / f"{role}.waits").touch()
        return waiting(cache, folder, kind, texts)
    once_testkit.wait_for_others = wait_for_others
(shared / f"{role}.ready").touch()
other = shared / ("learned" if role == "demo" else "demo")
while not other.with_suffix(".ready").exists():
    time.sleep(0.02)
if role == "demo":
    from conftest import embed_demo

    class Factory:  # what once() reads of pytest's tmp_path_factory: the run's folder
        def getbasetemp(self):
            return shared / "run"
    embed_demo(Factory())
else:
    from learned_testkit import site_data_in

    (shared / "service").mkdir()
    site_data_in(shared / "service")
'''


@pytest.mark.slow  # two processes loading the demo content
def test_the_demos_texts_are_embedded_once_when_two_workers_need_them_at_once(tmp_path):
    from carebase.search.vector_cache import VectorCache

    # this worker's run embeds through the lock too (the session fixture installed it)
    assert getattr(VectorCache.vectors, "carebase_one_at_a_time", False)

    (tmp_path / "run").mkdir()
    (tmp_path / "cache").mkdir()
    env = {**os.environ, "CAREBASE_CACHE_DIR": str(tmp_path / "cache"), "CAREBASE_SEMANTIC": "1",
           "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS / "learned")]),
           "PYTEST_DEBUG_TEMPROOT": str(tmp_path)}  # tests/conftest.py imported: no run folder of its own
    env.pop("PYTEST_XDIST_WORKER", None)
    pair = [subprocess.Popen([sys.executable, "-c", ROLE, role, str(tmp_path)], cwd=tmp_path, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for role in ("demo", "learned")]
    for process in pair:
        out, _ = process.communicate(timeout=300)
        assert process.returncode == 0, out

    def embedded(role: str) -> list[str]:
        log = tmp_path / f"{role}.embedded"
        return [t for line in log.read_text().splitlines() for t in json.loads(line)] if log.exists() else []

    demo, learned = embedded("demo"), embedded("learned")
    # the demo's English records (an "about" text and a whole text each), by one of the two
    assert len(demo + learned) >= 200
    twice = [t for t, n in Counter(demo + learned).items() if n > 1]
    assert twice == [], f"{len(twice)} of {len(set(demo + learned))} texts embedded twice, e.g. {twice[:2]}"
    assert [] in (demo, learned)  # the other read every vector the first kept


class Stand_in:
    """A model that counts what it embeds (meaning's embedder, for one test)."""
    name, model_id, dim, languages = "stand-in", "stand-in-1", 8, frozenset({"en"})

    def __init__(self):
        import numpy as np

        self.np, self.embedded = np, []

    def embed(self, texts, kind):
        self.embedded += texts
        return self.np.ones((len(texts), 8), self.np.float32)

    def warm(self):
        pass


def test_a_process_waits_for_the_texts_another_embeds_and_only_for_those(tmp_path, monkeypatch):
    import threading
    import time

    import once_testkit
    from carebase.search import meaning
    from carebase.search.vector_cache import VectorCache

    model = Stand_in()
    monkeypatch.setattr(meaning, "_embedder", model)
    monkeypatch.setattr(meaning, "_decided", True)
    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(VectorCache, "vectors", getattr(VectorCache.vectors, "carebase_made", VectorCache.vectors))
    once_testkit.vectors_made_once()  # for this test's cache folder
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # "another worker"
    try:
        demo = ["Refunds. money back", "Reset the thermostat. hold the button"]
        claims = {once_testkit._digest("passage", t): other.pid for t in demo}
        (tmp_path / once_testkit.CLAIMS).write_text(json.dumps(claims))  # it is embedding the demo's texts

        VectorCache().passages(["Ask for a refund."])  # not claimed: embedded at once, no waiting
        assert model.embedded == ["Ask for a refund."]

        asked = threading.Thread(target=lambda: VectorCache().passages(demo))
        asked.start()
        asked.join(0.5)
        assert asked.is_alive() and model.embedded == ["Ask for a refund."]  # waits for the other's
        kept = VectorCache(embed=Stand_in())
        getattr(VectorCache.vectors, "carebase_made")(kept, demo, "passage")  # the other keeps them
        asked.join(30)
        assert not asked.is_alive() and model.embedded == ["Ask for a refund."]  # read, not embedded

        # a claimant that ended without keeping its texts: the waiting process embeds them itself
        late = ["Pair a new sensor"]
        (tmp_path / once_testkit.CLAIMS).write_text(json.dumps({once_testkit._digest("passage", late[0]): other.pid}))
        asked = threading.Thread(target=lambda: VectorCache().passages(late))
        asked.start()
        time.sleep(0.3)
        other.kill()
        other.wait()
        asked.join(30)
        assert not asked.is_alive() and model.embedded == ["Ask for a refund.", "Pair a new sensor"]
    finally:
        other.kill()
        other.wait()
