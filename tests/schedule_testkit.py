"""How the run's test files are shared between pytest-xdist's worker processes (``bash tests/run``:
``-n 2 --dist loadfile``), through xdist's ``pytest_xdist_make_scheduler`` hook in tests/conftest.py.

xdist's own file scheduler hands out the files with the most tests first, so a file of a few long
tests (a whole ``carebase init`` → build → serve, a live report rebuilt on two databases) came
last and one worker ran it alone while the other idled. Here the heaviest file still waiting is
handed out next (longest first), by the seconds each file took in a measured run
(tests/durations.json, written by ``python tests/schedule_testkit.py LOG`` from a
``--durations=0`` log); a file not in that table weighs ``UNKNOWN_SECONDS_PER_TEST`` per test.

Files that share an expensive session fixture are one unit (``GROUPS``), so it is set up once
rather than once in each worker. Within a unit the tests run in their collected order.

The demo's build (``demo_build``, ``demo_site_data``: tests/conftest.py) is made once for the run
by the first worker that asks; the heaviest files all use it, so at the run's start every worker
began with one and all but one waited for that build (13 s of each worker's set-up in a quiet
clean-clone CI, 63 s loaded: benchmarks/RESULTS.md, session 41) while a core idled. Until the
first of the demo's builds is done (one of ``DEMO_DONE`` in the run's folder: the site or its
build output, whichever a unit asked for first; they share the embedding of the demo's texts),
a worker is handed a unit that uses it only when no other worker has one; the others get the
heaviest units that do not. Which units use it the workers say at collection (``DEMO_FILES``,
written by tests/conftest.py). A build that never ends (a failing one) holds nothing back after
``DEMO_WAIT_LIMIT`` seconds.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from shuffle_testkit import seed as shuffle_seed

DURATIONS = Path(__file__).with_name("durations.json")
UNKNOWN_SECONDS_PER_TEST = 0.2
#: the session fixtures that wait for the run's one demo build (tests/conftest.py), and those that
#: ask for one of them by name (``request.getfixturevalue``: not among a test's fixture names
#: otherwise): tests/widget's ``widget_stack``, whose two heaviest files each waited ~54 s for the
#: build at the start of the clean-clone CI of eeb77e5 while the hold did not know they use it
DEMO_FIXTURES = frozenset({"demo_build", "demo_site_data", "demo_stack", "widget_stack"})
DEMO_FILES = "demo-files.json"  # in the run's folder: the test files whose tests use one of them
DEMO_DONE = ("demo-build.done", "demo-site-data.done")  # in the run's folder (once_testkit)
DEMO_WAIT_LIMIT = 600.0  # seconds after the first unit is handed out

#: files run by one worker because they share session fixtures that take long to set up
GROUPS = {
    # the live report over 3,000 simulated journeys on SQLite and on PostgreSQL (sqlite_live,
    # postgres_live: a filled store and a `carebase report` child process each)
    "tests/backlog/test_backlog_browser.py": "tests/backlog (live report)",
    "tests/backlog/test_backlog_live.py": "tests/backlog (live report)",
    "tests/backlog/test_backlog_digest.py": "tests/backlog (live report)",
    # the report over ~18,000 simulated events (simulated, report: ~8 s) and the real command's
    # run on the demo with simulated traffic (demo_run: ~9 s), tests/report/conftest.py
    **{f"tests/report/test_report_{name}.py": "tests/report (simulated traffic)"
       for name in ("background", "backlog", "command", "glance_browser", "html_browser", "ranking", "store_memo")},
    # the shared feedback service on SQLite and its PostgreSQL twin (service, pg_service: a
    # service process each, ~1.2 s of CPU to start, tests/service/conftest.py), started once
    # instead of once in each worker these files would otherwise spread over
    **{f"tests/service/test_service_{name}.py": "tests/service (shared service)"
       for name in ("contact", "digit_scripts", "events", "fuzz", "http", "outcome", "views")},
}


#: the session fixtures each group is for (defined in the group's folder, tests/FOLDER/conftest.py):
#: a file that uses one belongs in the group, or the fixture is set up again in the worker that
#: runs it (test_report_glance_browser.py made the demo's report run, ~9 s of CPU, a second time in
#: the CIs of session 45); tests/quality/test_quality_schedule.py checks it
GROUP_FIXTURES = {
    "tests/backlog (live report)": ("tests/backlog", {"sqlite_live", "postgres_live"}),
    "tests/report (simulated traffic)": ("tests/report", {"simulated", "report", "demo_run", "demo_cache"}),
    "tests/service (shared service)": ("tests/service", {"service", "pg_service"}),
}


def scope_of(nodeid: str) -> str:
    """The unit a test belongs to: its file, or its file's group."""
    path = nodeid.split("::", 1)[0]
    return GROUPS.get(path, path)


def load_weights(path: Path = DURATIONS) -> dict[str, float]:
    try:
        return {k: float(v) for k, v in json.loads(path.read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def make_scheduler(config, log):
    from xdist.scheduler import LoadFileScheduling

    class LongestFirst(LoadFileScheduling):
        weights = load_weights()

        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

        def _weight(self, scope: str) -> float:
            files = {n.split("::", 1)[0] for n in self.workqueue[scope]}
            known = [self.weights[f] for f in files if f in self.weights]
            if len(known) == len(files):
                return sum(known)
            return sum(known) + UNKNOWN_SECONDS_PER_TEST * len(self.workqueue[scope])

        def _assign_work_unit(self, node) -> None:
            units = list(self.workqueue)
            demo = demo_files(run_folder)
            started.append(time.monotonic())
            if (demo and time.monotonic() - started[0] < DEMO_WAIT_LIMIT
                    and not any((run_folder / done).exists() for done in DEMO_DONE)):
                running = [scope for work in self.assigned_work.values() for scope, tests in work.items()
                           if not all(tests.values())]
                units = pick_while_building(units, running, lambda scope: uses_demo(scope, demo))
            heaviest = rng.choice(sorted(units)) if rng is not None else max(units, key=self._weight)
            self.workqueue.move_to_end(heaviest, last=False)  # the parent hands out the first
            super()._assign_work_unit(node)

    factory = getattr(config, "_tmp_path_factory", None)
    run_folder = factory.getbasetemp() if factory is not None else Path("/nonexistent")
    started: list[float] = []  # when units were handed out (the first: the run's start)
    # CAREBASE_TEST_SHUFFLE=SEED (tests/shuffle_testkit.py): the units in the seed's order instead
    rng = random.Random(shuffle_seed()) if shuffle_seed() is not None else None
    return LongestFirst(config, log)


def demo_files(run_folder: Path) -> set[str]:
    """The test files that use the demo's build, as the workers wrote them ({} when unknown)."""
    try:
        return set(json.loads((run_folder / DEMO_FILES).read_text()))
    except (OSError, ValueError, TypeError):
        return set()


def uses_demo(scope: str, demo: set[str]) -> bool:
    """Whether the unit ``scope`` (a file or a ``GROUPS`` name) has a file that uses the demo's build."""
    return scope in demo or any(group == scope and path in demo for path, group in GROUPS.items())


def pick_while_building(units: list[str], running: list[str], needs_build) -> list[str]:
    """The units to choose from while the demo's build is not done: none that needs it when a
    unit that does is running or waiting on a worker already (that worker makes the build), unless
    nothing else is left."""
    if not any(needs_build(scope) for scope in running):
        return units
    others = [scope for scope in units if not needs_build(scope)]
    return others or units


_LINE = re.compile(r"^\s*([0-9.]+)s\s+(?:setup|call|teardown)\s+(\S+?)::")


def weights_from_log(text: str) -> dict[str, float]:
    """Seconds per test file from pytest's ``--durations=0`` report (setup + call + teardown)."""
    seconds: dict[str, float] = defaultdict(float)
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            seconds[m.group(2)] += float(m.group(1))
    return {f: round(s, 1) for f, s in sorted(seconds.items())}


if __name__ == "__main__":  # python tests/schedule_testkit.py run.log  (a --durations=0 log)
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/schedule_testkit.py LOG  (the output of a pytest run with --durations=0)")
    weights = weights_from_log(Path(sys.argv[1]).read_text())
    if not weights:
        sys.exit(f"{sys.argv[1]}: no '--durations=0' lines found (run pytest with --durations=0 -vv)")
    DURATIONS.write_text(json.dumps(weights, indent=0, sort_keys=True) + "\n")
    print(f"wrote {DURATIONS} ({len(weights)} files, {sum(weights.values()):.0f} s)")
