"""How ``bash tests/run`` shares the test files between its worker processes (tests/schedule_testkit.py),
driven here through pytest-xdist's own scheduler with three stand-in workers: the heaviest file
first; while the run's one demo build is not done, one worker gets a file that waits for it and the
others the heaviest files that do not (at the run's start every worker used to wait for that build,
a core idle); once it is done, the heaviest files again, whichever they use."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from schedule_testkit import DEMO_DONE, DEMO_FILES, DEMO_FIXTURES, make_scheduler

TESTS = Path(__file__).resolve().parents[1]

#: (file, tests, seconds a run) of a run: the three heaviest wait for the demo's build
FILES = [("tests/a/test_demo_1.py", 3, 90.0), ("tests/a/test_demo_2.py", 3, 80.0),
         ("tests/a/test_demo_3.py", 3, 70.0), ("tests/b/test_plain_1.py", 3, 20.0),
         ("tests/b/test_plain_2.py", 3, 15.0), ("tests/b/test_plain_3.py", 3, 10.0),
         ("tests/b/test_plain_4.py", 3, 5.0)]
DEMO = [f for f, _, _ in FILES if "demo" in f]


class Worker:
    """What xdist's scheduler needs of a worker: it records the tests it is sent."""

    def __init__(self, name: str):
        self.name, self.sent, self.shutting_down = name, [], False
        self.gateway = type("Gateway", (), {"id": name})()

    def send_runtest_some(self, indexes):
        self.sent += indexes

    def shutdown(self):
        self.shutting_down = True


class Config:
    def __init__(self, run_folder):
        self.option = type("Option", (), {"loadscopereorder": True, "dist": "loadfile", "tx": ["popen"] * 3,
                                          "numprocesses": 3, "maxschedchunk": None})()
        self._tmp_path_factory = type("Factory", (), {"getbasetemp": lambda _self: run_folder})()

    def getoption(self, name, default=None):
        return getattr(self.option, name, default)

    getvalue = getoption


@pytest.fixture
def run(tmp_path, monkeypatch):
    """(scheduler, workers, collection) for FILES, each worker holding the whole collection."""
    import schedule_testkit

    monkeypatch.setattr(schedule_testkit, "load_weights", lambda: {f: s for f, _, s in FILES})
    monkeypatch.setattr(schedule_testkit, "GROUPS", {})
    monkeypatch.delenv("CAREBASE_TEST_SHUFFLE", raising=False)  # the heaviest first, in a shuffled run too
    (tmp_path / DEMO_FILES).write_text(json.dumps(DEMO))
    collection = [f"{f}::test_{n}" for f, count, _ in FILES for n in range(count)]
    scheduler = make_scheduler(Config(tmp_path), None)
    workers = [Worker(f"gw{n}") for n in range(3)]
    for worker in workers:
        scheduler.add_node(worker)
    for worker in workers:
        scheduler.add_node_collection(worker, collection)
    return scheduler, workers, collection


def files_of(worker, collection) -> list[str]:
    return list(dict.fromkeys(collection[i].split("::")[0] for i in worker.sent))


def finish(scheduler, worker, collection, file):
    for index in [i for i in worker.sent if collection[i].startswith(file + "::")]:
        scheduler.mark_test_complete(worker, index)


def test_while_the_demo_builds_one_worker_waits_for_it_and_the_others_run_the_heaviest_other_files(run, tmp_path):
    scheduler, (first, second, third), collection = run
    scheduler.schedule()
    assert files_of(first, collection)[0] == "tests/a/test_demo_1.py"  # the heaviest: it makes the build
    assert files_of(second, collection)[0] == "tests/b/test_plain_1.py"
    assert files_of(third, collection)[0] == "tests/b/test_plain_2.py"
    handed = {f for w in (first, second, third) for f in files_of(w, collection)}
    assert handed & set(DEMO) == {"tests/a/test_demo_1.py"}
    # a worker that ends its file before the build is done gets another that does not wait for it
    finish(scheduler, second, collection, "tests/b/test_plain_1.py")
    assert set(files_of(second, collection)) & set(DEMO) == set()
    # one of the demo's builds is done (the site; the build output may never be asked for):
    # the heaviest files again, the demo's first
    (tmp_path / DEMO_DONE[0]).touch()
    finish(scheduler, third, collection, "tests/b/test_plain_2.py")
    assert files_of(third, collection)[-1] == "tests/a/test_demo_2.py"


def test_without_the_workers_list_the_heaviest_files_go_first(run, tmp_path):
    scheduler, (first, second, third), collection = run
    (tmp_path / DEMO_FILES).unlink()
    scheduler.schedule()
    assert [files_of(w, collection)[0] for w in (first, second, third)] == DEMO


def test_a_build_that_never_ends_holds_nothing_back_after_the_limit(run, monkeypatch):
    import schedule_testkit

    scheduler, (first, second, third), collection = run
    scheduler.schedule()
    monkeypatch.setattr(schedule_testkit, "DEMO_WAIT_LIMIT", 0.0)  # as if it had passed
    finish(scheduler, second, collection, "tests/b/test_plain_1.py")
    assert files_of(second, collection)[-1] == "tests/a/test_demo_2.py"


def test_a_fixture_that_asks_for_the_demo_build_by_name_is_one_of_the_demo_fixtures():
    """The workers list a test file as waiting for the demo's build when one of its tests' fixture
    names is in ``DEMO_FIXTURES``; a fixture that asks for one by name inside its body
    (``request.getfixturevalue("demo_stack")``) is not among those names, so it must be listed
    itself, or its files are handed out while the build is made and wait for it."""
    unlisted = []
    for path in sorted(TESTS.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "getfixturevalue" not in text:  # (parsing every file: ~1 s of CPU)
            continue
        tree = ast.parse(text, str(path))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            if not any("fixture" in ast.unparse(d) for d in function.decorator_list):
                continue
            asked = {c.args[0].value for c in ast.walk(function)
                     if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                     and c.func.attr == "getfixturevalue" and c.args and isinstance(c.args[0], ast.Constant)}
            if asked & DEMO_FIXTURES and function.name not in DEMO_FIXTURES:
                unlisted.append(f"{path.relative_to(TESTS)}::{function.name} asks for {sorted(asked & DEMO_FIXTURES)}")
    assert not unlisted, unlisted


#: prints, for each test collected, its file and the group fixtures (name, folder) it uses
_GROUP_USE = '''
import json, sys
import pytest

class Report:
    def pytest_collection_finish(self, session):
        for item in session.items:
            used = []
            for name in item.fixturenames:
                defs = item._fixtureinfo.name2fixturedefs.get(name)
                if defs:  # the one that serves the test: the last (an override in a module wins)
                    used.append([name, defs[-1].baseid])
            print("USES " + json.dumps([item.nodeid.split("::")[0], used]))

sys.exit(pytest.main(["--collect-only", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", *sys.argv[1:]],
                     plugins=[Report()]))
'''


@pytest.mark.slow  # collects three folders in a child process
def test_every_file_that_uses_a_groups_fixture_is_in_that_group():
    """A file that uses a group's shared session fixture but is not in the group is handed to any
    worker, which sets the fixture up again: test_report_glance_browser.py made the demo's report
    run (``demo_run``) a second time in each CI of session 45."""
    import subprocess
    import sys

    from schedule_testkit import GROUP_FIXTURES, GROUPS

    folders = sorted({folder for folder, _ in GROUP_FIXTURES.values()})
    done = subprocess.run([sys.executable, "-c", _GROUP_USE, *folders], cwd=TESTS.parent, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(TESTS)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    uses = [json.loads(line[5:]) for line in done.stdout.splitlines() if line.startswith("USES ")]
    assert len({path for path, _ in uses}) > 30, done.stdout[-2000:]  # the three folders' files
    outside = set()
    for path, used in uses:
        for group, (folder, names) in GROUP_FIXTURES.items():
            if any(name in names and where == folder for name, where in used) and GROUPS.get(path) != group:
                outside.add(f"{path} uses {group}'s fixtures")
    assert not outside, sorted(outside)
