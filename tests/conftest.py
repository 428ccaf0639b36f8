"""Fixtures shared by every test folder (the helpers they share are in web_testkit.py).

One headless Chromium for the whole run: Playwright's sync API runs an event loop in the
main thread, so two ``sync_playwright()`` instances alive at once (one folder's session
browser, another folder's own) fail with "using Playwright Sync API inside the asyncio
loop". Every folder's browser fixture hands out this one.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis_testkit import CI

# In CI (CI=true) every property test draws the same examples on every run (derived from the
# test's source), so a submission passes or fails on its code, never on the luck of the draw;
# a developer's runs stay random and keep finding new examples (Hypothesis's advice for CI).
# Each test's number of examples there is its ``ci`` count (hypothesis_testkit.examples).
settings.register_profile("ci", derandomize=True, database=None)
if CI:
    settings.load_profile("ci")

pytest.register_assert_rewrite("tiers_testkit")  # imported here before pytest loads it as the plugin below
from tiers_testkit import real_build  # noqa: E402
from once_testkit import forms_made_once, locked, once, run_folder, vectors_made_once  # noqa: E402
from web_testkit import (CHROMIUM, CHROMIUM_ARGS, PLACEHOLDER_SERVICE, PLACEHOLDER_SITE, DemoStack,  # noqa: E402
                         WebhookServer, build_demo)

# The day the whole run builds and checks for (SOURCE_DATE_EPOCH, reproducible builds): the
# demo's review_by dates are judged by it, so the suite does not start failing the demo's strict
# build on the day one of them passes. Move it forward when the demo's content is reviewed.
SUITE_DAY = "1796083200"  # 2026-12-01 00:00 UTC
os.environ.setdefault("SOURCE_DATE_EPOCH", SUITE_DAY)
# CAREBASE_TEST_TODAY=YYYY-MM-DD runs the whole run's clock as on that day (this process and the
# Python processes it starts): a check that no test depends on the day it runs (clock_testkit.py)
if os.environ.get("CAREBASE_TEST_TODAY"):
    from clock_testkit import move_run_to

    move_run_to(os.environ["CAREBASE_TEST_TODAY"])

REPO = Path(__file__).resolve().parents[1]


def own_temp_root() -> Path:
    """Where this checkout's runs keep their temporary folders: ``carebase-tests-<checkout>``
    in the system's temporary folder (``$TMPDIR``), one per checkout, instead of the
    ``pytest-of-<user>`` folder every pytest run of the machine shares. At its end a run removes
    all but the three newest numbered folders beside its own; in the shared folder those were
    often other checkouts' runs (one loaded run spent 20.8 s of its wall time deleting another's
    13,297 files, benchmarks/RESULTS.md session 39), now only this checkout's own. A clean
    clone starts with an empty one. ``PYTEST_DEBUG_TEMPROOT`` or ``--basetemp`` still win."""
    import hashlib

    digest = hashlib.sha256(str(REPO).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"carebase-tests-{digest}"


#: the run's own system temporary folder (``$TMPDIR`` of the run and every process it starts), set
#: by the process that starts the run; what pytest, Chromium (its profile and singleton-socket
#: folders), Playwright, PostgreSQL and the tests' ``mkdtemp`` write there is removed with it
RUN_TMPDIR = "CAREBASE_TEST_RUN_TMPDIR"
#: keep a passing run's temporary folders too (set to 1); a failing run's are always kept
KEEP_TEMP = "CAREBASE_TEST_KEEP_TEMP"
if not os.environ.get("PYTEST_DEBUG_TEMPROOT"):  # read by pytest when it makes the run's folder
    own_temp_root().mkdir(mode=0o700, exist_ok=True)
    # others may pass through (PostgreSQL runs as its own user, in a folder of the run's TMPDIR),
    # not list it; the runs' folders inside are pytest's (0700)
    own_temp_root().chmod(0o711)
    os.environ["PYTEST_DEBUG_TEMPROOT"] = str(own_temp_root())
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        run_tmp = Path(tempfile.mkdtemp(prefix=f"tmp-{os.getpid()}-", dir=own_temp_root()))
        run_tmp.chmod(0o711)
        os.environ[RUN_TMPDIR] = os.environ["TMPDIR"] = str(run_tmp)
        tempfile.tempdir = None  # read TMPDIR again

POSTGRES_RECORD = "postgres.json"  # in the run's temporary folder: the run's PostgreSQL server
_STARTED: list = []

pytest_plugins = ["tiers_testkit",  # the tiers: fast, slow, browser, postgres (see that module)
                  "costs_testkit",  # CAREBASE_TEST_COSTS=FILE: CPU and wall by test and fixture
                  "shuffle_testkit"]  # CAREBASE_TEST_SHUFFLE=SEED: the tests in a shuffled order


def pytest_collection_modifyitems(session, config, items):
    """In a pytest-xdist worker: the test files whose tests use the demo's build, written in the
    run's folder for the scheduler (tests/schedule_testkit.py), which gives them out one at a time
    until the build is done."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    from schedule_testkit import DEMO_FILES, DEMO_FIXTURES

    files = sorted({item.nodeid.split("::", 1)[0] for item in items
                    if DEMO_FIXTURES.intersection(getattr(item, "fixturenames", ()))})
    target = run_folder(config._tmp_path_factory) / DEMO_FILES
    written = target.with_name(f"{DEMO_FILES}.{os.environ['PYTEST_XDIST_WORKER']}")
    written.write_text(json.dumps(files))
    written.replace(target)  # whole, whichever worker writes last (they collect the same tests)


#: the youngest generation's threshold in a test process once its tests are collected (Python's
#: default 700; 3.13's is 2,000): see ``pytest_collection_finish``
GC_YOUNG_THRESHOLD = 10_000
# While the test modules are imported and their tests collected nothing is garbage yet: no
# collection runs until ``pytest_collection_finish`` (a whole-suite collection made ~500 of them,
# 0.48 s of its 2.65 s of CPU, in every worker)
gc.disable()


def pytest_collection_finish(session):
    """Once a test process has collected its tests: what it holds then (the imported packages, the
    test modules, the collected items: ~200,000 objects after a whole-suite collection) is moved out
    of the garbage collector's view (``gc.freeze``), and the youngest generation is collected every
    ``GC_YOUNG_THRESHOLD`` allocations instead of 700. Every full collection walked that heap
    again, none of it garbage (tests/search in one process: 23 full collections, 2.3 s of its
    38.5 s of CPU; all collections 2.9 s, 0.9 s after). Only the test processes: the servers,
    builds and CLI runs a test starts are the product's own processes, as a customer runs them.
    A cycle made later is still collected; ``gc.collect()`` still collects everything unfrozen."""
    gc.collect()  # (what collecting left behind is not frozen)
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With ``--dist loadfile`` (bash tests/run): the longest test files first, files sharing a
    costly session fixture on one worker (tests/schedule_testkit.py)."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from schedule_testkit import make_scheduler

    return make_scheduler(config, log)


@pytest.fixture(scope="session", autouse=True)
def session_vector_cache(tmp_path_factory):
    """One vector cache for the run (carebase.search.vector_cache), not the user's: each demo
    text is embedded once per run, whichever test, subprocess or worker process builds an index
    first. Under pytest-xdist every worker has its own temp folder inside the run's; the cache
    sits beside them (one SQLite file in WAL mode: processes may share it)."""
    if "CAREBASE_CACHE_DIR" not in os.environ:
        base = tmp_path_factory.getbasetemp()
        folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "carebase-cache"
        folder.mkdir(exist_ok=True)
        os.environ["CAREBASE_CACHE_DIR"] = str(folder)
    forms_made_once()  # the word-forms tables made by one worker, read by the others
    vectors_made_once()  # each text embedded by one worker, read by the others
    yield


@pytest.fixture(scope="session")
def shared_chromium():
    """The session's headless Chromium (Debian's, driven by Playwright); skips when missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (bash tests/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """The run's throwaway PostgreSQL server (initdb into a temp dir), shared by the store and
    service tests of every worker process, each of which creates its own databases on it
    (uniquely named). Started by the first worker that needs it (once_testkit's lock), stopped
    when the whole run ends (``pytest_sessionfinish``): one initdb and one server per run."""
    from postgres_testkit import PostgresUnavailable, start_postgres

    record = run_folder(tmp_path_factory) / POSTGRES_RECORD
    with locked(record.with_suffix(".lock")):
        if not record.exists():
            base = Path(tempfile.mkdtemp(prefix="carebase-pg-"))
            try:
                process, url = start_postgres(base, fsync=False, max_connections=400)
                _STARTED.append(process)  # kept, never collected while it runs
                record.write_text(json.dumps({"url": url, "folder": str(base)}))
            except PostgresUnavailable as exc:
                shutil.rmtree(base, ignore_errors=True)
                record.write_text(json.dumps({"error": str(exc)}))
    started = json.loads(record.read_text())
    if "error" in started:
        pytest.skip(f"PostgreSQL tests skipped: cannot start a throwaway server: {started['error']}")
    yield started["url"]


@pytest.hookimpl(tryfirst=True)  # before pytest's own clean-up of old temporary folders
def pytest_sessionfinish(session):
    """At the end of the run (in xdist's controlling process, once every worker has finished):
    stop the run's PostgreSQL server if a worker started one."""
    session.config._carebase_exitstatus = session.exitstatus
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    base = getattr(factory, "_basetemp", None)  # None: the run made no temporary folder
    record = Path(base) / POSTGRES_RECORD if base is not None else None
    if record is not None and record.exists():
        from postgres_testkit import stop_postgres

        folder = json.loads(record.read_text()).get("folder")
        if folder:
            stop_postgres(Path(folder))


def pytest_terminal_summary(terminalreporter, exitstatus):
    """In the process that started the run, when a test failed (or the run did not end): where
    the run's temporary files are kept for a look (removed at the end of a passing run)."""
    if os.environ.get("PYTEST_XDIST_WORKER") or exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        return
    kept = [str(path) for path in _run_folders(terminalreporter.config)]
    if kept:
        terminalreporter.write_line(f"the run's temporary files are kept (the run did not pass): {' and '.join(kept)}")


def _run_folders(config) -> list[Path]:
    """The folders this run made for its temporary files: pytest's (unless ``--basetemp`` named
    it) and the run's TMPDIR (RUN_TMPDIR), those that exist. The TMPDIR only in the process that
    made it (its id is in its name): a pytest run that a test starts in the checkout with the
    environment it inherits (tests/quality's) has the running suite's RUN_TMPDIR, and at its end
    it removed that folder under the suite's remaining tests (session 46, a shuffled run: 354 errors)."""
    folders = []
    factory = getattr(config, "_tmp_path_factory", None)
    base = getattr(factory, "_basetemp", None)  # None: the run made no temporary folder
    if base is not None and not config.getoption("basetemp"):
        folders.append(Path(base))
    if os.environ.get(RUN_TMPDIR) and Path(os.environ[RUN_TMPDIR]).name.startswith(f"tmp-{os.getpid()}-"):
        folders.append(Path(os.environ[RUN_TMPDIR]))
    return [folder for folder in folders if folder.exists()]


def pytest_configure(config):
    """In the process that starts the run: earlier failed runs' TMPDIR folders beyond the newest
    three are removed (in the background), as pytest removes its own older runs' folders."""
    if os.environ.get(RUN_TMPDIR) and not os.environ.get("PYTEST_XDIST_WORKER"):
        old = _old_run_tmps(Path(os.environ[RUN_TMPDIR]).parent)
        if old:
            remove_in_background(old)


def pytest_unconfigure(config):
    """At the very end of a passing run, in the process that started it (after every worker, the
    PostgreSQL server and the browsers have ended): its temporary folders are removed, with the
    checkout's temporary root when nothing else is left in it, by a process of its own in the
    background (deleting a run's ~10,000 files waits on the disk: tens of seconds on a loaded
    machine), so the run ends at once. A failing run's are kept (the summary says where), and
    so is everything with CAREBASE_TEST_KEEP_TEMP=1."""
    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get(KEEP_TEMP) == "1":
        return
    if getattr(config, "_carebase_exitstatus", None) not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        return
    folders = _run_folders(config)
    if not folders:
        return
    remove_in_background(folders, emptied=[folder.parent for folder in folders])


def _old_run_tmps(root: Path, keep: int = 3) -> list[Path]:
    """The TMPDIR folders of this checkout's earlier runs that failed (a passing run removes its
    own), but for the ``keep`` newest, as pytest keeps its own three newest runs' folders; never
    one whose run is still going (its process id is in its name)."""
    def running(folder: Path) -> bool:
        try:
            os.kill(int(folder.name.split("-")[1]), 0)
        except (ValueError, IndexError, ProcessLookupError):
            return False
        except PermissionError:
            return True
        return True

    runs = sorted(root.glob("tmp-*-*"), key=lambda f: f.stat().st_mtime, reverse=True)
    return [folder for folder in runs[keep:] if not running(folder)]


def remove_in_background(folders: list[Path], emptied: list[Path] = ()) -> None:
    """``folders`` removed, then each of ``emptied`` when nothing is left in it, by a process of
    its own that the run does not wait for."""
    import subprocess
    import sys

    root = Path(os.environ["PYTEST_DEBUG_TEMPROOT"])
    emptied = [folder for folder in emptied if folder != root] + [root]  # pytest-of-<user>, the root
    subprocess.Popen([sys.executable, "-c", _REMOVE, json.dumps([list(map(str, folders)), list(map(str, emptied))])],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True, cwd="/")


#: removes folders (argv[1]: [folders, then those removed only when they are empty, in order])
_REMOVE = """import json, os, shutil, sys
folders, emptied = json.loads(sys.argv[1])
for folder in folders:
    shutil.rmtree(folder, ignore_errors=True)
for folder in emptied:  # pytest's "pytest-current" link to the removed run goes too
    try:
        for name in os.listdir(folder):
            link = os.path.join(folder, name)
            if os.path.islink(link) and not os.path.exists(link):
                os.unlink(link)
        os.rmdir(folder)
    except OSError:
        pass
"""


@pytest.hookimpl(trylast=True)  # after Hypothesis's plugin has ended its initialisation
def pytest_sessionstart(session):
    """Before any test (in xdist's controlling process, before the workers draw any text):
    Hypothesis's utf-8 alphabet cached for the checkout when missing (hypothesis_testkit)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        from hypothesis_testkit import prime_utf8_alphabet

        prime_utf8_alphabet()


@pytest.fixture(scope="session")
def webhook():
    """A local server receiving the contact form's tickets (the demo service's --contact-webhook)."""
    hook = WebhookServer()
    yield hook
    hook.close()


def demo_catalogues():
    """(the demo's languages, its published catalogues): what its build reads."""
    from carebase.content.languages import languages_from_config
    from carebase.content.translations import load_languages

    languages, _ = languages_from_config(REPO / "mkdocs.yml")
    return languages, load_languages(REPO / "content", languages).published()


def embed_demo(tmp_path_factory) -> None:
    """The demo's search records embedded into the run's vector cache (``session_vector_cache``)
    once for the run, before its build (``demo_build``) and its build output (``demo_site_data``)
    read them: the two are made at the same time by two worker processes at the run's start, and
    each embedded the same 220 texts itself (110 English records; ~6.5 s of CPU each) while the
    cache was still empty. In two threads, half the records each (the model runs outside Python's
    lock; the vectors are the same bit for bit): the workers waiting for the demo would leave the
    second core idle otherwise."""
    def embed(folder: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from carebase.output.vectors import covers
        from carebase.search.records import catalogue_records
        from carebase.search.semantic import record_vectors
        from carebase.search.vector_cache import VectorCache, default_path

        if default_path() is None:  # CAREBASE_CACHE_DIR=off: no cache to fill, each build embeds
            return
        languages, loaded = demo_catalogues()
        catalogues = [loaded.default] + [loaded.catalogues[lang] for lang in languages.others]
        records = [r for c in catalogues if covers(c.language) for r in catalogue_records(c)]
        if not records:  # meaning off (CAREBASE_SEMANTIC=0) or no model: nothing is embedded
            return
        halves = [records[: len(records) // 2], records[len(records) // 2:]]
        with ThreadPoolExecutor(2, thread_name_prefix="embed-demo") as pool:
            caches = [VectorCache() for _ in halves]
            list(pool.map(record_vectors, halves, caches))
        for cache in caches:
            cache.close()

    once(tmp_path_factory, "demo-vectors", embed)


@pytest.fixture(scope="session")
@real_build
def demo_site_data(tmp_path_factory):
    """The build output of the demo help centre (content/), as `carebase build` writes it
    (every language of mkdocs.yml: English and German): one for the run, read (never
    rebuilt) by the report, assistants' and other tests (written once for the run, copied into
    each worker process's temporary folder)."""
    def write(shared: Path) -> None:
        from carebase.output import open_output

        embed_demo(tmp_path_factory)
        languages, loaded = demo_catalogues()
        open_output(shared / "site-data", loaded.default,
                    languages={lang: loaded.catalogues[lang] for lang in languages.others}, language=languages.default)

    # written once for the run (once_testkit); each worker process reads its own copy
    folder = tmp_path_factory.mktemp("demo-build") / "site-data"
    shutil.copytree(once(tmp_path_factory, "demo-site-data", write) / "site-data", folder)
    return folder


@pytest.fixture(scope="session")
@real_build
def demo_build(tmp_path_factory):
    """The demo help centre's ``mkdocs build --strict`` (site/ and its build output site-data/),
    made once for the whole run by whichever worker process asks first (once_testkit), naming
    placeholder URLs that each worker's ``demo_stack`` replaces with its own."""
    def build(folder: Path) -> None:
        from concurrent.futures import ThreadPoolExecutor

        embed_demo(tmp_path_factory)
        with ThreadPoolExecutor(1, thread_name_prefix="demo-word-forms") as pool:
            forms = pool.submit(demo_word_forms)  # on the other core while the build runs
            build_demo(folder, PLACEHOLDER_SITE, PLACEHOLDER_SERVICE)
            forms.result()

    return once(tmp_path_factory, "demo-build", build)


def demo_word_forms() -> None:
    """The German word forms a German search reads for separated verbs (``carebase.text.separable``:
    simplemma's table, ~4.3 s of CPU to make, ~0.05 s to read once kept) made into the run's cache
    with the demo's build, before any test searches the demo in German. The build itself does not
    need them; the first German search did, in whichever process came first: with the demo stack's
    service in a worker, the German contact form without JavaScript waited 25.7 s (loaded, ~20) for
    its "Before you send" suggestions, and timed out a CI under load ~30 (cc43: the click's 30 s).
    The table is made under the run's lock (``once_testkit.forms_made_once``): a worker asking
    meanwhile waits for it, then reads it."""
    from carebase.text.analyser import analyser_for
    from carebase.text.separable import warm

    warm(analyser_for("de"))


@pytest.fixture(scope="session")
@real_build
def demo_stack(tmp_path_factory, webhook, demo_build):
    """The demo help centre built once for the run (``demo_build``), served on 127.0.0.1 with
    the real service it sends to (its contact-form tickets forwarded to ``webhook``), plus
    copies pointed at a service that refuses every vote and at a dead port
    (web_testkit.DemoStack). The quality gates and the site-search tests share it (``stack`` /
    ``search_stack``): one build, one service per worker process."""
    stack = DemoStack(tmp_path_factory.mktemp("demo"), build=demo_build,
                      refusing_work=tmp_path_factory.mktemp("refusing"), contact_webhook=webhook.url)
    yield stack
    stack.close()
