"""The page banner's board of `carebase serve` (carebase.cli._preview_board) and the preview
server's guarded build (carebase.cli._watching.Server): which problems a build publishes, what
a failed build leaves served, and that a failed build no longer leaves every request waiting.
No real build: the builder is a function that logs or raises as MkDocs' build does."""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request

import pytest

from carebase.cli._preview_board import Board, excerpt
from carebase.content.problems import error, warning

log = logging.getLogger("mkdocs.plugins.carebase")


def _report(tmp_path, problem):
    from carebase.plugins.site.adapters import report

    report([problem], root=tmp_path)


@pytest.fixture
def board():
    board = Board().install()
    yield board
    board.uninstall()


def test_a_build_publishes_its_errors_with_the_file_as_the_cli_names_it_and_the_lines_around(tmp_path, board,
                                                                                             monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "faq").mkdir(parents=True)
    (tmp_path / "content" / "faq" / "billing.yml").write_text("title: Billing\nquestions:\n  - question: Q\n"
                                                             "    answer:\n", encoding="utf-8")
    board.begin()
    _report(tmp_path / "content", error("faq/billing.yml", 4, "questions[0].answer", "expected text, found nothing"))
    _report(tmp_path / "content", warning("faq/billing.yml", 1, "titel", "expected a known field"))  # not --strict
    log.info("carebase: 1 file(s) saved")
    board.end()
    shown = board.snapshot()
    assert (shown["version"], shown["state"], shown["total"]) == (1, "left-out", 1)
    [problem] = shown["problems"]
    assert problem == {"file": "content/faq/billing.yml", "line": 4, "field": "questions[0].answer",
                       "message": "expected text, found nothing", "severity": "error",
                       "excerpt": [[2, "questions:"], [3, "  - question: Q"], [4, "    answer:"]]}
    board.begin()  # the next build is clean
    board.end()
    assert board.snapshot()["state"] == "ok" and board.snapshot()["problems"] == []


def test_strict_shows_warnings_and_a_save_rendered_in_place_keeps_the_other_files_problems(tmp_path, board):
    board.strict = True
    content = tmp_path / "content"
    board.begin()
    _report(content, warning("billing/refunds.md", 3, "sumary", "expected a known field"))
    _report(content, error("faq/billing.yml", 4, "title", "expected text, found nothing"))
    board.end()
    assert [p["severity"] for p in board.snapshot()["problems"]] == ["warning", "error"]
    board.begin()  # refunds.md fixed and rendered in place (plugins/site/preview.py): no full build
    board.updated_in_place([content / "billing" / "refunds.md"])
    board.end()
    assert [p["file"].rsplit("/", 1)[-1] for p in board.snapshot()["problems"]] == ["billing.yml"]


def test_after_a_change_not_applied_a_save_rendered_in_place_shows_the_served_sites_problems(tmp_path, board):
    """A broken FAQ file also breaks the article naming it; the save that fixes the FAQ is
    rendered in place (no full build), and the article's error, which only the change that was
    not applied had, must go with it."""
    from carebase.plugins.site.kept import PreviewKept

    content = tmp_path / "content"
    board.begin()
    _report(content, error("videos/tour.yml", 1, "title", "expected text, found nothing"))  # since the start
    board.end()
    board.begin()
    _report(content, error("faq/billing.yml", 4, "", "expected valid YAML, found …"))
    _report(content, error("billing/refunds.md", 6, "related[0]", "… whose file has an error that leaves it out"))
    _report(content, error("videos/tour.yml", 1, "title", "expected text, found nothing"))
    board.end(PreviewKept(2), kept=True)
    assert board.snapshot()["state"] == "kept" and board.snapshot()["total"] == 3
    board.begin()
    board.updated_in_place([content / "faq" / "billing.yml"])
    board.end()
    shown = board.snapshot()
    assert shown["state"] == "left-out"
    assert [p["file"].rsplit("/", 2)[-2:] for p in shown["problems"]] == [["videos", "tour.yml"]]


def test_a_failure_that_logged_nothing_is_itself_the_problem(board):
    board.begin()
    board.end(RuntimeError("MkDocs encountered an error parsing the configuration file"), kept=True)
    shown = board.snapshot()
    assert shown["state"] == "kept"
    assert shown["problems"][0]["message"] == "MkDocs encountered an error parsing the configuration file"


def test_the_board_is_held_until_it_changes(board):
    board.begin()
    board.end()
    got = []
    waiter = threading.Thread(target=lambda: got.append(board.wait(1, timeout=30)))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive()  # nothing new yet
    board.begin()
    board.end()
    waiter.join(10)
    assert got and got[0]["version"] == 2
    assert board.wait(0, timeout=30)["version"] == 2  # past it already: at once


def test_an_excerpt_is_empty_without_a_line_or_a_file(tmp_path):
    assert excerpt(str(tmp_path / "none.yml"), 3) == [] and excerpt("", 3) == []
    (tmp_path / "a.md").write_text("x" * 1000 + "\n", encoding="utf-8")
    assert excerpt(str(tmp_path / "a.md"), 0) == []
    assert excerpt(str(tmp_path / "a.md"), 1) == [[1, "x" * 240]]


@pytest.fixture
def server(tmp_path):
    """The preview server on 127.0.0.1 with a builder the test sets (``server.step``)."""
    from carebase.cli._watching import Server

    (tmp_path / "index.html").write_text("<!doctype html><title>t</title><body><p>last site</p></body>",
                                         encoding="utf-8")
    box = {}
    board = Board().install()
    server = Server(builder=lambda: box["step"](), host="127.0.0.1", port=0, root=str(tmp_path), board=board)
    server.step = lambda fn: box.__setitem__("step", fn)
    server.watch(str(tmp_path))  # pages get the scripts
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    while not server.serve_thread.is_alive():
        thread.join(0.01)
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    thread.join(10)
    board.uninstall()


def _rebuild(server) -> None:
    """One turn of MkDocs' build loop: the wanted version, the build, the visible version."""
    with server._rebuild_cond:
        server._wanted_epoch += 1
    server.builder()
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch
        server._epoch_cond.notify_all()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as answer:  # a request left waiting fails here
        return answer.read().decode()


def test_a_change_not_applied_keeps_the_last_site_served_and_its_pages_unreloaded(server, tmp_path):
    from mkdocs.exceptions import Abort, ConfigurationError

    from carebase.plugins.site.kept import PreviewKept

    page = _get(server.url + "/")
    assert '<script src="/.carebase/problems.js" defer></script></body>' in page and "livereload" in page
    # a missing page (an item an error left out) gets the site's 404 page with both scripts, so it
    # shows the banner and reloads once the page exists (it stayed on "We can't find that page")
    server.error_handler = lambda code: b"<html><body>We can't find that page</body></html>" if code == 404 else None
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(server.url + "/billing/refunds/")
    body = missing.value.read().decode()
    assert missing.value.code == 404 and "We can't find that page" in body
    assert "livereload(" in body and '<script src="/.carebase/problems.js" defer></script></body>' in body
    assert "carebase serve" in _get(server.url + "/.carebase/problems.js")
    visible = server._visible_epoch

    def kept():
        _report(tmp_path, error("faq/billing.yml", 2, "", "expected valid YAML, found …"))
        raise PreviewKept(1)

    server.step(kept)
    _rebuild(server)
    assert server._visible_epoch == visible  # the open pages are not reloaded
    assert "last site" in _get(server.url + "/")  # served, not held for a build that never comes
    board = json.loads(_get(server.url + "/.carebase/problems.json"))
    assert board["state"] == "kept" and board["problems"][0]["file"].endswith("faq/billing.yml")

    def bad_config():
        raise ConfigurationError("Aborted with 1 configuration errors!")

    server.step(bad_config)
    _rebuild(server)
    assert server._visible_epoch == visible and "last site" in _get(server.url + "/")

    def strict():
        log.warning("Doc file 'billing/refunds.md' contains a link 'nothing.md', but the target is not found")
        raise Abort("Aborted with 1 warnings in strict mode!")

    server.board.strict = True
    server.step(strict)
    _rebuild(server)
    assert server._visible_epoch > visible  # the build wrote the site: the pages reload onto it
    assert "last site" in _get(server.url + "/")
    board = json.loads(_get(server.url + f"/.carebase/problems.json?after={board['version']}"))
    assert board["state"] == "failed" and board["problems"][0]["file"] == "billing/refunds.md"

    server.step(lambda: None)  # fixed
    _rebuild(server)
    board = json.loads(_get(server.url + f"/.carebase/problems.json?after={board['version']}"))
    assert (board["state"], board["problems"]) == ("ok", [])


def test_the_cause_comes_first_with_the_warning_on_its_line_and_its_consequences_under_it(tmp_path, board,
                                                                                          monkeypatch):
    """Audit 46, A8: "titel:" for "title:" in first-steps.md showed three errors, the two that
    only follow from it around it, and not the warning that says what to fix ("did you mean
    'title'?"): without --strict a warning on the line of a shown error is shown with it, and an
    error naming another as its cause is listed after that one."""
    monkeypatch.chdir(tmp_path)
    content = tmp_path / "content"
    (content / "getting-started").mkdir(parents=True)
    (content / "getting-started" / "first-steps.md").write_text("---\ntitel: First steps\n---\n", encoding="utf-8")
    board.begin()
    consequence = ("expected the id of an existing item, found 'getting-started/first-steps', whose file has an "
                   "error that leaves it out (getting-started/first-steps.md:2): fix that error first")
    _report(content, error("faq/account.yml", 12, "related[0]", consequence))
    _report(content, warning("getting-started/first-steps.md", 2, "titel",
                             "expected a known field (did you mean 'title'?)"))
    _report(content, error("getting-started/first-steps.md", 2, "title", "expected text, found nothing"))
    _report(content, warning("getting-started/first-steps.md", 5, "sumary", "expected a known field"))  # elsewhere
    _report(content, error("videos/tour.yml", 13, "related[1]", consequence))
    board.end()
    shown = board.snapshot()
    assert [(p["file"].removeprefix("content/"), p["line"], p["severity"]) for p in shown["problems"]] == [
        ("getting-started/first-steps.md", 2, "error"), ("getting-started/first-steps.md", 2, "warning"),
        ("faq/account.yml", 12, "error"), ("videos/tour.yml", 13, "error")]
    assert shown["total"] == 4 and "did you mean 'title'?" in shown["problems"][1]["message"]
    assert shown["problems"][1]["excerpt"] == [[1, "---"], [2, "titel: First steps"], [3, "---"]]


def test_with_strict_every_warning_is_shown_and_one_on_an_errors_line_is_listed_with_it(tmp_path, board):
    board.strict = True
    content = tmp_path / "content"
    board.begin()
    _report(content, warning("billing/refunds.md", 3, "sumary", "expected a known field"))
    _report(content, warning("faq/billing.yml", 4, "titel", "expected a known field (did you mean 'title'?)"))
    _report(content, error("faq/billing.yml", 4, "title", "expected text, found nothing"))
    board.end()
    assert [(p["line"], p["severity"]) for p in board.snapshot()["problems"]] == [
        (3, "warning"), (4, "error"), (4, "warning")]


def test_a_file_with_thousands_of_problems_is_read_once_and_only_the_problems_listed_get_an_excerpt(
        tmp_path, board, monkeypatch):
    """Reader 46, R2: every problem's excerpt read its whole file again, so 4,000 problems in an
    imported FAQ file (905 KB) took 5 s of every save's build (quadratic)."""
    import builtins

    import carebase.cli._preview_board as module
    from carebase.plugins.site.adapters import report

    content = tmp_path / "content"
    (content / "faq").mkdir(parents=True)
    (content / "faq" / "imported.yml").write_text("questions:\n" + "  - q: Q?\n    a:\n" * 2000, encoding="utf-8")
    opened = []

    def counting(file, *args, **kwargs):
        opened.append(str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(module, "open", counting, raising=False)
    board.begin()
    report([error("faq/imported.yml", 3 + 2 * n, f"questions[{n}].a", "expected text, found nothing")
            for n in range(2000)], root=content)
    board.end()
    shown = board.snapshot()
    assert shown["total"] == 2000 and len(shown["problems"]) == module.MAX_PROBLEMS
    assert shown["problems"][0]["excerpt"] == [[1, "questions:"], [2, "  - q: Q?"], [3, "    a:"], [4, "  - q: Q?"],
                                               [5, "    a:"]]
    assert len(opened) == 1


def test_a_file_name_that_is_not_utf8_does_not_stop_the_board(server, tmp_path):
    """Reader 46, R12: a content file named in Latin-1 (café.md; the loader keeps its name
    surrogate-escaped) made every answer of the board a 500, so no problem showed."""
    problem = error("billing/caf\udce9.md", 1, "title", "expected text, found nothing")
    record = logging.LogRecord("mkdocs.plugins.carebase", logging.ERROR, "", 0, "m", (), None)
    record.carebase_problem, record.carebase_shown = problem, "content/billing/caf\udce9.md"
    server.step(lambda: server.board.collect(record))  # as report() logs it, kept out of the captured log
    _rebuild(server)
    board = json.loads(_get(server.url + "/.carebase/problems.json"))
    assert board["state"] == "left-out" and board["problems"][0]["file"].endswith("billing/caf\udce9.md")
