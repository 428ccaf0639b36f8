"""A build output written by a carebase that wrote any part of it in another format (the search
index before its ``source`` field, say) is refused by every reader with one message saying who
wrote it and what to do; one written by another carebase in the same formats (a patch release)
is read as it is (carebase.output.formats). Each part's shape is pinned to its format number
here, so a change that forgets to raise the number fails."""

from __future__ import annotations


import dataclasses
import enum
import hashlib
import json
import types
import typing

import pytest
from cli_testkit import run_carebase
from search_testkit import help_centre

from carebase.output import OutputError, open_output
from carebase.output.layout import STAMP
from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from web_testkit import serve_asgi
from carebase import __version__ as CAREBASE_VERSION  # this carebase's version, as the messages name it

REBUILD = "rebuild it: run 'carebase build'"


@pytest.fixture()
def output(tmp_path, monkeypatch):
    """The test help centre's build output, and a way to rewrite its stamp as another carebase's
    (without meaning: no embedding, which these tests do not need). Meaning's decision is made
    once per process, so it is made again on both sides: left off, every later test in this
    worker would find meaning off."""
    from carebase.search import meaning

    monkeypatch.setenv("CAREBASE_SEMANTIC", "0")
    meaning.reset()
    folder = tmp_path / "site-data"
    open_output(folder, help_centre())

    def as_written(**changes):
        stamp = json.loads((folder / STAMP).read_text())
        for key, value in changes.items():
            if value is None:
                stamp.pop(key, None)
            else:
                stamp[key] = value
        (folder / STAMP).write_text(json.dumps(stamp))
        return stamp
    yield folder, as_written
    monkeypatch.delenv("CAREBASE_SEMANTIC")
    meaning.reset()


def _formats(**parts):
    from carebase.output.formats import declared

    return {**declared(), **parts}


@pytest.mark.parametrize("changes, said", [
    # a build of session 35: no formats declared (its index may lack the source field, or not)
    ({"formats": None}, "a carebase from before build outputs declared their formats, which this carebase "
                        f"({CAREBASE_VERSION}) cannot read: " + REBUILD),
    ({"formats": "search-only"}, "before build outputs declared their formats"),
    # an index written before a field this carebase searches (the search index's format 1)
    ({"formats": _formats(search=1)}, f"its search index is format 1, this carebase ({CAREBASE_VERSION}) reads format 2: " + REBUILD),
    # a newer carebase's output (a rollback): a rebuild with this one, or an upgrade
    ({"formats": _formats(catalogue=7)}, f"its catalogue snapshot is format 7, this carebase ({CAREBASE_VERSION}) reads format 1: "
                                         + REBUILD + " (or upgrade carebase)"),
    ({"schema": 0}, f"in layout 0, and this carebase ({CAREBASE_VERSION}) reads layout 1: " + REBUILD),
])
def test_an_output_in_a_format_this_carebase_does_not_read_is_refused_with_who_wrote_it_and_what_to_do(
        output, changes, said):
    """Before, an output without the ``source`` field stopped a search with TermNotFound and one
    from a newer carebase was read as far as it went: the stamp's ``code`` was never read, and only
    the layout number was compared."""
    folder, as_written = output
    stamp = as_written(carebase="0.0.9", **changes)
    written_by = f"written by carebase 0.0.9 (code {stamp['code'][:10]})"
    with pytest.raises(OutputError) as refused:
        open_output(folder)
    assert str(refused.value).startswith(f"{folder}: {written_by}") and said in str(refused.value)


@pytest.mark.slow  # three commands in this process: the report's, the service's and the MCP SDK's imports (~3 s)
def test_the_report_the_service_and_the_mcp_server_refuse_it_with_those_words(output, tmp_path):
    """Before, each read the output: a report on one from before the ``source`` field stopped with
    "unexpected error (TermNotFound …) … this is a bug" until 9ed7196."""
    folder, as_written = output
    stamp = as_written(carebase="0.0.9", formats=_formats(search=1))
    written_by = f"written by carebase 0.0.9 (code {stamp['code'][:10]})"
    said = f"its search index is format 1, this carebase ({CAREBASE_VERSION}) reads format 2: " + REBUILD

    # carebase report --site-data: the same words, no traceback, and nothing written
    report = run_carebase("report", "--site-data", str(folder), "--db", f"sqlite:///{tmp_path / 'events.db'}",
                          "--out", str(tmp_path / "report"), "--format", "json", "--no-cache")
    assert report.returncode == 2, report.stderr
    assert f"--site-data: {folder}: {written_by}" in report.stderr and said in report.stderr
    assert "Traceback" not in report.stderr and not (tmp_path / "report" / "report.json").exists()

    # the service does not start on it, and says why
    service = run_carebase("service", "--port", "0", "--db", f"sqlite:///{tmp_path / 'events.db'}",
                           "--site-data", str(folder))
    assert service.returncode == 1, service.stderr
    assert f"carebase service: {folder}: {written_by}" in service.stderr and said in service.stderr
    assert "Traceback" not in service.stderr

    # nor the MCP server for assistants
    mcp = run_carebase("mcp", "--site-data", str(folder))
    assert mcp.returncode == 2 and f"carebase mcp: --site-data: {folder}: {written_by}" in mcp.stderr, mcp.stderr


def test_nothing_stored_is_lost_when_an_old_output_is_refused_and_the_rebuild_is_served(output, tmp_path):
    """The events stored before stay; the refused output's files stay where they were (a
    service of the carebase that wrote them may still read them); a rebuild is served."""
    folder, as_written = output
    db = f"sqlite:///{tmp_path / 'events.db'}"
    vote = {"events": [{"id": "kept-vote-1", "type": "vote", "item": "article:billing/refunds", "value": 1}]}
    with serve_asgi(create_app(ServiceConfig(database_url=db, site_data=str(folder))), lifespan="on") as client:
        assert client.post("/api/v1/events", json=vote).json() == {"accepted": 1, "duplicates": 0}
    stamp = as_written(formats=_formats(search=1))
    files = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    with pytest.raises(OutputError, match="rebuild it: run 'carebase build'"):
        create_app(ServiceConfig(database_url=db, site_data=str(folder)))
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == files

    rebuilt = open_output(folder, help_centre())  # carebase build
    assert rebuilt.stamp["formats"] == _formats() and rebuilt.stamp["previous"] == stamp["revision"]
    with serve_asgi(create_app(ServiceConfig(database_url=db, site_data=str(folder))), lifespan="on") as client:
        assert client.post("/api/v1/events", json=vote).json() == {"accepted": 0, "duplicates": 1}  # kept
        hits = client.get("/api/v1/search", params={"q": "refund"}).json()["hits"]
        assert hits[0]["id"] == "article:billing/refunds"


def test_an_output_of_another_carebase_in_the_same_formats_is_read_as_it_is(output):
    """A patch release (another version, other code) that changes no format reads the output of
    the one before without a rebuild."""
    folder, as_written = output
    as_written(carebase="0.1.1", code="0123456789abcdef0123")
    opened = open_output(folder)
    assert opened.manifest["items"]["article:billing/refunds"]["kind"] == "article"
    assert opened.searcher().search("refund").hits[0].id == "article:billing/refunds"


def test_a_rebuild_after_an_upgrade_never_searches_the_old_index_meanwhile(output):
    """While the new revision's index is written (a worker, for a large help centre), the stamp
    names the previous revision's index only when this carebase reads it: an old-format index
    is not searched with new code in the meantime."""
    folder, as_written = output
    old = as_written(formats=_formats(search=1))
    catalogue = help_centre()
    article = dataclasses.replace(catalogue.articles[0], title=catalogue.articles[0].title + " today")
    meanwhile = []  # the stamp a reader sees while the index is written

    def progress(done, total):
        meanwhile.append(json.loads((folder / STAMP).read_text()))
    out = open_output(folder, dataclasses.replace(catalogue, articles=(article, *catalogue.articles[1:])),
                      worker=False, progress=progress)
    assert meanwhile and {(s["previous"], s["search"]) for s in meanwhile} == {(old["revision"], None)}
    assert out.indexed and out.stamp["search"] == out.revision


# -- each part's shape, pinned to its format number ----------------------------------------------
def _type(kind) -> str:
    if kind is type(None):
        return "None"
    if kind is Ellipsis:
        return "..."
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type(k) for k in typing.get_args(kind))
    if origin is not None:
        return f"{origin.__name__}[{', '.join(_type(k) for k in typing.get_args(kind))}]"
    return kind.__name__


def _catalogue_shape() -> str:
    """Every dataclass of the content model the snapshot writes, with its fields' types, and the
    values of its enums (``snapshot.to_data`` writes an enum by its value)."""
    from carebase.content.model import Catalogue

    lines, seen, todo = [], set(), [Catalogue]
    while todo:
        kind = todo.pop()
        if kind in seen:
            continue
        seen.add(kind)
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            lines.append(f"{kind.__name__} = {', '.join(str(m.value) for m in kind)}")
            continue
        hints = typing.get_type_hints(kind)
        fields = [f.name for f in dataclasses.fields(kind) if not f.name.startswith("_")]
        lines.append(f"{kind.__name__}({', '.join(f'{name}: {_type(hints[name])}' for name in fields)})")
        stack = [hints[name] for name in fields]
        while stack:
            hint = stack.pop()
            stack.extend(typing.get_args(hint))
            if dataclasses.is_dataclass(hint) or (isinstance(hint, type) and issubclass(hint, enum.Enum)):
                todo.append(hint)
    return "\n".join(sorted(lines))


#: format → the sha256 (16 hex) of ``_catalogue_shape()`` it reads.
CATALOGUE_SHAPES = {1: "c22f8ccd5406ef01"}
#: format → the fields of the search index (name, Whoosh type, stored) it holds.
SEARCH_SHAPES = {
    2: "body TEXT stored, category ID stored, headings TEXT, id ID stored, key ID stored, keywords TEXT, "
       "kind ID stored, source TEXT, spell TEXT, start NUMERIC stored, summary STORED stored, title TEXT stored, "
       "url STORED stored",
}


def test_the_catalogue_snapshot_s_shape_is_the_one_its_format_number_names():
    """A field added to the content model, removed or retyped changes what a snapshot written
    before reads as: raise ``carebase.output.snapshot.FORMAT`` (unless the snapshots written
    before still read right: a new field whose default is right for them) and pin the new shape."""
    from carebase.output.snapshot import FORMAT

    shape = _catalogue_shape()
    digest = hashlib.sha256(shape.encode()).hexdigest()[:16]
    assert CATALOGUE_SHAPES.get(FORMAT) == digest, (
        f"the content model changed (sha {digest}): raise carebase.output.snapshot.FORMAT if a catalogue "
        f"snapshot written before cannot be read as it is, and pin the new shape here\n{shape}")


def test_the_search_index_s_fields_are_the_ones_its_format_number_names():
    """The ``source`` field came without a new format (session 35): an index written before it
    stopped a report with TermNotFound. Raise ``carebase.search.index.FORMAT`` with the fields."""
    from carebase.search.index import FORMAT
    from carebase.search.schema import build_schema

    schema = build_schema("en")
    fields = ", ".join(f"{name} {type(field).__name__}" + (" stored" if field.stored else "")
                       for name, field in schema.items())
    assert SEARCH_SHAPES.get(FORMAT) == fields, (
        f"the search index's fields changed: raise carebase.search.index.FORMAT and pin them here: {fields}")


def test_a_running_service_keeps_its_output_when_an_old_one_is_deployed_over_it_and_says_so_once(output, caplog):
    from carebase.output.live import LiveOutput

    folder, as_written = output
    live = LiveOutput(folder, check_every=0.0)
    held = live.current()
    assert held is not None
    as_written(formats=_formats(search=1), carebase="0.0.9")  # e.g. an rsync of an old site-data
    with caplog.at_level("WARNING", logger="carebase.output"):
        for _ in range(5):
            assert live.current() is held
    said = [r.getMessage() for r in caplog.records if "cannot be used" in r.getMessage()]
    assert len(said) == 1 and "written by carebase 0.0.9" in said[0] and REBUILD in said[0], said


def test_an_output_that_failed_to_open_once_is_tried_again_at_the_next_check(output, monkeypatch):
    """Only an output in another format is remembered as refused. Fails on the old code: a read
    that failed once (a file being copied) was never tried again until the stamp changed, so the
    service searched nothing."""
    from carebase.output import live as live_module
    from carebase.output.live import LiveOutput

    folder, _ = output
    real = live_module.BuildOutput.__dict__["from_stamp"]
    monkeypatch.setattr(live_module.BuildOutput, "from_stamp",
                        classmethod(lambda cls, f, raw: (_ for _ in ()).throw(OutputError("being copied"))))
    live = LiveOutput(folder, check_every=0.0)
    assert live.current() is None
    monkeypatch.setattr(live_module.BuildOutput, "from_stamp", real)
    assert live.current() is not None
