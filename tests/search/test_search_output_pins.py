"""The shapes of the build outputs the service and the browser read, each pinned to the format
number its writer declares: the manifest (``content.manifest.VERSION``), the document vectors
(``search.semantic.FORMAT``), the site search's shards (``pages.search_shards.VERSION``, which
the browser's search-index.js reads) and the no-JavaScript pages' template ``search-page.json``
(``pages.search_template.FORMAT``). A writer that changes a part's shape without raising its
number fails here; an output of another number is refused with the rebuild message by the
reader: the service and the CLI (the stamp's formats), the browser (the shards' meta.json),
the service's no-JavaScript pages (``search-page.json``: served plain, said once in the log).

``tests/search/test_search_output_formats.py`` pins the catalogue snapshot and the search index."""

from __future__ import annotations


import hashlib
import json
import logging
import re
from pathlib import Path

import numpy as np
import pytest
from search_testkit import help_centre
from carebase import __version__ as CAREBASE_VERSION  # this carebase's version, as the messages name it

REBUILD = "rebuild it: run 'carebase build'"
REPO = Path(__file__).resolve().parents[2]


# -- a JSON value's shape ----------------------------------------------------------------------
def shape(value, maps=(), arrays=(), path="$") -> str:
    """The shape of a JSON ``value``: an object's keys with their values' shapes, a list's
    positions with theirs, a scalar's type. Objects keyed by data (items by id, words, languages)
    are named in ``maps`` and lists of any length in ``arrays`` (paths like ``$.items``,
    ``$.t.*``: ``*`` for any key or position): their values' shapes, each once. So the data of a
    help centre never changes a shape; a field added, dropped, renamed or retyped does."""
    def matches(patterns):
        return any(re.fullmatch(re.escape(p).replace(r"\*", r"[^.]*"), path) for p in patterns)

    if isinstance(value, dict):
        if matches(maps):
            return "{*: " + _alternatives(shape(v, maps, arrays, path + ".*") for v in value.values()) + "}"
        return "{" + ", ".join(f"{k}: {shape(v, maps, arrays, f'{path}.{k}')}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, list):
        if matches(arrays):
            return "[" + _alternatives(shape(v, maps, arrays, path + ".*") for v in value) + " ...]"
        return "[" + ", ".join(shape(v, maps, arrays, f"{path}.{i}") for i, v in enumerate(value)) + "]"
    if value is None:
        return "null"
    return {bool: "bool", int: "int", float: "float", str: "str"}[type(value)]


def _alternatives(shapes) -> str:
    found = sorted(set(shapes))
    return " | ".join(found) if found else "nothing"


def test_a_shape_names_fields_not_data():
    """The pins below rest on this: other data, the same shape; another field, another shape."""
    one = {"version": 1, "items": {"a:1": {"kind": "article", "n": 1}}, "rows": [["x", 1], ["y", 2]]}
    two = {"version": 1, "items": {"b:2": {"kind": "faq", "n": 9}, "c": {"kind": "video", "n": 0}},
           "rows": [["z", 3]]}
    opts = {"maps": ("$.items",), "arrays": ("$.rows",)}
    assert shape(one, **opts) == shape(two, **opts) == "{items: {*: {kind: str, n: int}}, rows: [[str, int] ...], version: int}"
    assert shape({**one, "extra": True}, **opts) != shape(one, **opts)
    assert shape({**one, "rows": [["x", 1, "new column"]]}, **opts) != shape(one, **opts)
    assert shape({**one, "items": {"a:1": {"kind": "article", "n": "1"}}}, **opts) != shape(one, **opts)


# -- the manifest --------------------------------------------------------------------------------
MANIFEST_MAPS = ("$.items", "$.aliases", "$.strings", "$.strings.*")
MANIFEST_ARRAYS = ("$.reasons",)
#: manifest format (content.manifest.VERSION) → its shape (``_manifest_shape``)
MANIFEST_SHAPES = {
    1: "{aliases: {*: str}, items: {*: {category: str, kind: str, path: str, revision: str, title: str, url: str}}, "
       "reasons: [str ...], strings: {*: {*: str}}, version: int}",
}


def _manifest_shape() -> str:
    from carebase.content.manifest import build_manifest

    catalogue = help_centre()
    manifest = build_manifest(catalogue, reasons=["outdated", "unclear"], strings={"en": {"contact.title": "Contact"}})
    manifest["aliases"] = {"article:billing/refund": "article:billing/refunds"}  # one of each part
    return shape(manifest, MANIFEST_MAPS, MANIFEST_ARRAYS)


def test_the_manifests_shape_is_the_one_its_format_number_names():
    """The service reads the manifest (which ids it accepts votes for, the site's strings) and the
    site's scripts its copy (a result's URL → its id): a field added, dropped or retyped changes
    what a reader of the manifests written before finds. Raise ``carebase.content.manifest.VERSION``
    (unless the old manifests still read right) and pin the new shape here."""
    from carebase.content.manifest import VERSION

    found = _manifest_shape()
    assert MANIFEST_SHAPES.get(VERSION) == found, (
        f"the manifest's shape changed: raise carebase.content.manifest.VERSION if a manifest written before "
        f"cannot be read as it is, and pin the new shape here:\n{found}")


# -- the document vectors ------------------------------------------------------------------------
#: vectors format (search.semantic.FORMAT) → their shape (``_vectors_shape``), as it reads
VECTORS_SHAPES = {
    1: "carebase-embeddings.json {format: int, keys: [str ...], model: str}; carebase-embeddings.npy float32 "
       "[2 (about, whole text), records, dim]; keys article:x, faq:x#x, video:x, video:x#x=x",
}


class _Vectors:
    """A vector cache that embeds nothing: each text's vector made from its hash (8 dimensions)."""

    def passages(self, texts):
        return np.array([np.frombuffer(hashlib.sha256(t.encode()).digest()[:32], np.float32) for t in texts])


def _vectors_shape(folder: Path, monkeypatch) -> str:
    from carebase.search import meaning
    from carebase.search.semantic import EMBEDDINGS, KEYS, SemanticIndex

    monkeypatch.setattr(meaning, "model_id", lambda: "test-model@1")  # no model needed to write them
    SemanticIndex.build(help_centre(), folder, cache=_Vectors())
    saved = np.load(folder / EMBEDDINGS)
    keys = json.loads((folder / KEYS).read_text())
    assert saved.shape[1] == len(keys["keys"])
    forms = sorted({k.split(":", 1)[0] + ":" + re.sub(r"[^#=]+", "x", k.split(":", 1)[1]) for k in keys["keys"]})
    sides = {2: "2 (about, whole text)"}.get(saved.shape[0], str(saved.shape[0]))
    return (f"{KEYS} {shape(keys, arrays=('$.keys',))}; {EMBEDDINGS} {saved.dtype} [{sides}, records, dim]; "
            f"keys {', '.join(forms)}")


def test_the_document_vectors_shape_is_the_one_its_format_number_names(tmp_path, monkeypatch):
    """The service reads the vectors by record key and side (about, whole text): another key's
    form, another array layout or another keys file is not what the old vectors hold. Raise
    ``carebase.search.semantic.FORMAT`` and pin the new shape here."""
    from carebase.search.semantic import FORMAT

    found = _vectors_shape(tmp_path, monkeypatch)
    assert VECTORS_SHAPES.get(FORMAT) == found, (
        f"the document vectors' shape changed: raise carebase.search.semantic.FORMAT if the vectors written before "
        f"cannot be read as they are, and pin the new shape here:\n{found}")


# -- the site search's shards (read by the browser) -----------------------------------------------
SHARD_MAPS = ("$.t", "$.w", "$.r", "$.n", "$.c", "$.f", "$.kinds", "$.analyser.folds", "$.analyser.forms", "$.same")
SHARD_ARRAYS = ("$", "$.t.*", "$.k", "$.n.*", "$.c.*", "$.f.*", "$.shards", "$.split", "$.analyser.stop", "$.analyser.typo_edits",
                "$.analyser.typo_edits.*")
#: site search format (pages.search_shards.VERSION) → its files' shapes (``_shards_shape``). Format 3
#: took t-*'s "c" and "f" and meta.json's "cut" (session 37, ffb7fbf) without a new number: the
#: script of before ignores them, and today's reads an index without them (the browser's scores).
SHARD_SHAPES = {3: """files: d-*, meta.json, t-*
d-*: [[str, str, str, str, str, str, str] ...]
meta.json: {analyser: {fold: str, folds: {*: str}, forms: {*: str}, language: str, segment: str, stemmer: str, \
stop: [str ...], typo_edits: [[int ...] ...]}, avgfl: {body: float, headings: float, keywords: float, source: float, \
title: float}, chunk: int, cut: int, items: int, kinds: {*: int}, min_corrected: int, rows: int, shards: [str ...], \
split: [str ...], strong: {floor_coverage: float, floor_score: float, fuzzy: float, min_coverage: float, \
score_share: float, synonym: float}, version: int}
t-*: {c: {*: [int ...]}, f: {*: [int ...]}, k: [str ...], n: {*: [int ...]}, r: {*: [str, str, str, str, str, str]}, \
t: {*: [int ...]}, w: {*: str}}""",
                #: format 4 (session 38): each term's items per field out of the term shards (the
                #: browser never read them) into f-*, beside them, for carebase serve's update in place;
                #: meta.json's "same" (session 43: a video chapter's row → its video's first row, the
                #: counts' items) added within format 4: the script of before ignores it, and the
                #: script of now counts records when an index has none
                4: """files: d-*, f-*, meta.json, t-*
d-*: [[str, str, str, str, str, str, str] ...]
f-*: {f: {*: [int ...]}}
meta.json: {analyser: {fold: str, folds: {*: str}, forms: {*: str}, language: str, segment: str, stemmer: str, \
stop: [str ...], typo_edits: [[int ...] ...]}, avgfl: {body: float, headings: float, keywords: float, source: float, \
title: float}, chunk: int, cut: int, items: int, kinds: {*: int}, min_corrected: int, rows: int, same: {*: int}, \
shards: [str ...], split: [str ...], strong: {floor_coverage: float, floor_score: float, fuzzy: float, min_coverage: float, \
score_share: float, synonym: float}, version: int}
t-*: {c: {*: [int ...]}, k: [str ...], n: {*: [int ...]}, r: {*: [str, str, str, str, str, str]}, t: {*: [int ...]}, \
w: {*: str}}"""}


def _shards_shape(folder: Path, monkeypatch) -> str:
    from carebase.pages import search_shards

    # every part a large help centre's shards have: shards this small split (meta.json's "split",
    # three-letter shards), and terms in more items than this are capped (t-*'s "n")
    monkeypatch.setattr(search_shards, "MAX_POSTINGS", 3)
    search_shards.build_search_shards(help_centre(), folder, category_title=lambda slug: slug.upper(),
                                      max_shard_bytes=20)
    files = sorted(p.name for p in folder.iterdir())
    assert json.loads((folder / "meta.json").read_text())["split"]
    kinds = sorted({re.sub(r"-.*", "-*", name) for name in files})
    lines = [f"files: {', '.join(kinds)}"]
    for kind in kinds:
        values = [json.loads((folder / n).read_text(encoding="utf-8")) for n in files if re.sub(r"-.*", "-*", n) == kind]
        lines.append(f"{kind}: {shape(_together(values), SHARD_MAPS, SHARD_ARRAYS)}")
    return "\n".join(lines)


def _together(values: list):
    """The files of one kind (every t-*.json) as one: their lists one after another, their
    objects' keys together (a key only some files have, such as t-*'s "k", is there)."""
    if all(isinstance(v, list) for v in values):
        return [x for v in values for x in v]
    together: dict = {}
    for value in values:
        for key, part in value.items():
            if isinstance(part, dict):
                together.setdefault(key, {}).update(part)
            elif isinstance(part, list):
                together.setdefault(key, []).extend(part)
            else:
                together.setdefault(key, part)
    return together


def test_the_site_search_shards_shape_is_the_one_its_format_number_names(tmp_path, monkeypatch):
    """The browser's search-index.js reads meta.json, t-*.json and d-*.json by position and key: a
    column added to a row or a key renamed is misread by the script of before (a cached page, a
    site half deployed). Raise ``carebase.pages.search_shards.VERSION`` (and search-index.js's
    ``FORMAT``, the format it reads) and pin the new shape here."""
    from carebase.pages.search_shards import VERSION

    found = _shards_shape(tmp_path, monkeypatch)
    assert SHARD_SHAPES.get(VERSION) == found, (
        f"the site search's shards changed shape: raise carebase.pages.search_shards.VERSION and search-index.js's "
        f"FORMAT if the script of before cannot read them as they are, and pin the new shape here:\n{found}")


# -- search-page.json (the service's pages without JavaScript) ---------------------------------------
SEARCH_PAGE_MAPS = ("$.pages", "$.contact", "$.titles")
#: search-page.json format (pages.search_template.FORMAT) → its shape
SEARCH_PAGE_SHAPES = {
    # the contact form's "site_name" (session 37): added within format 2, as a reader of format 2
    # before it ignores it and the service reads a file without it (the answer pages' titles)
    2: "{carebase: str, contact: {*: {html: str, site_name: str, url: str}}, default: str, format: int, "
       "pages: {*: {html: str, url: str}}, site_url: str, titles: {*: str}}",
}

_PAGE = ('<!doctype html><html><head><title>Search</title><link rel="stylesheet" href="../assets/main.css"></head>'
         '<body><form class="cb-search"><input class="cb-search__input" id="cb-q" name="q" type="search" value="">'
         '</form><div class="cb-search-results" data-cb-search-results></div><script>x()</script></body></html>')
_FORM = ('<!doctype html><html><head><title>Contact</title></head><body><form data-cb-contact-form>'
         '<div class="cb-contact-context" data-cb-contact-context></div></form></body></html>')


def _write_templates(site: Path, folder: Path) -> dict:
    from carebase.pages.search_template import FILE, write_search_templates

    for url, page in (("search/", _PAGE), ("contact/", _FORM)):
        (site / url).mkdir(parents=True, exist_ok=True)
        (site / url / "index.html").write_text(page, encoding="utf-8")
    write_search_templates(folder, site, {"en": "search/"}, site_url="https://help.example.com/", default="en",
                           contact={"en": "contact/"}, titles={"videos/": "Videos"}, names={"en": "Acme - Help"})
    return json.loads((folder / FILE).read_text(encoding="utf-8"))


def test_the_search_page_templates_shape_is_the_one_its_format_number_names(tmp_path):
    """The service fills search-page.json's templates for the search page and the contact form
    without JavaScript. Its contents changed in session 36 (the contact form, the titles) with no
    number to say so: an old file was read as it was, and the form fell back to the plain one
    without a word. Raise ``carebase.pages.search_template.FORMAT`` with any change and pin it."""
    from carebase.pages.search_template import FORMAT

    found = shape(_write_templates(tmp_path / "site", tmp_path / "site-data"), SEARCH_PAGE_MAPS)
    assert SEARCH_PAGE_SHAPES.get(FORMAT) == found, (
        f"search-page.json's shape changed: raise carebase.pages.search_template.FORMAT if a file written before "
        f"cannot be read as it is, and pin the new shape here:\n{found}")


@pytest.mark.parametrize("written, said", [
    ({"format": None, "carebase": None}, f"written by an older carebase in format 1, and this carebase ({CAREBASE_VERSION}) reads format 2"),
    ({"format": 1, "carebase": "0.0.9"}, f"written by carebase 0.0.9 in format 1, and this carebase ({CAREBASE_VERSION}) reads format 2"),
    ({"format": 3, "carebase": "0.2.0"}, f"written by carebase 0.2.0 in format 3, and this carebase ({CAREBASE_VERSION}) reads format 2"),
])
def test_a_search_page_template_of_another_format_is_not_used_and_the_log_says_rebuild(tmp_path, caplog, written,
                                                                                         said):
    """Fails on the old code: a template of another format was filled as it was (an old one
    has no contact form's template: the form fell back to the plain one silently). Now the
    service serves its plain pages and says once why and what to do; a rebuild is used again."""
    from carebase.pages.search_template import FILE
    from carebase.service.search_page import Templates

    folder = tmp_path / "site-data"
    current = _write_templates(tmp_path / "site", folder)
    templates = Templates(str(folder))
    assert templates.get()["pages"]["en"]["url"] == "search/"  # today's file is used
    old = {**current, **written}
    for key in [k for k, v in old.items() if v is None]:
        old.pop(key)
    (folder / FILE).write_text(json.dumps(old), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="carebase.service"):
        for _ in range(3):
            assert templates.get() == {}  # served plain
    told = [r.getMessage() for r in caplog.records if FILE in r.getMessage()]
    assert len(told) == 1 and said in told[0] and told[0].endswith(REBUILD + (" (or upgrade carebase)"
                                                                             if old.get("format", 1) > 2 else "")), told
    _write_templates(tmp_path / "site", folder)  # carebase build
    assert templates.get()["contact"]["en"]["url"] == "contact/"


@pytest.mark.slow  # the service app in process
def test_the_service_serves_the_plain_search_page_from_an_old_template(tmp_path):
    """End to end: a search without JavaScript on a service whose search-page.json is of format 1
    gets the service's plain page (200, the results), not the old template."""
    from starlette.testclient import TestClient
    from web_testkit import write_site_data

    from carebase.pages.search_template import FILE
    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    folder = write_site_data(tmp_path / "site-data", help_centre())
    current = _write_templates(tmp_path / "site", folder)
    config = dict(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", site_data=str(folder), rate_limit=0,
                  search_rate_limit=0, learn_every=0, report_every=0)
    with TestClient(create_app(ServiceConfig(**config))) as client:
        assert "main.css" in client.get("/search/", params={"q": "refund"}).text  # the site's look
        (folder / FILE).write_text(json.dumps({**current, "format": 1}), encoding="utf-8")
        plain = client.get("/search/", params={"q": "refund"})
        assert plain.status_code == 200 and "main.css" not in plain.text and "Getting your money back" in plain.text


# -- the stamp: every reader refuses a part of another format ------------------------------------------
@pytest.fixture()
def output(tmp_path, monkeypatch):
    """The test help centre's build output without meaning (as test_search_output_formats.py's:
    meaning's once-per-process decision made again on both sides, never left changed)."""
    from carebase.output import open_output
    from carebase.search import meaning

    monkeypatch.setenv("CAREBASE_SEMANTIC", "0")
    meaning.reset()
    folder = tmp_path / "site-data"
    open_output(folder, help_centre())
    yield folder
    monkeypatch.delenv("CAREBASE_SEMANTIC")
    meaning.reset()


@pytest.mark.parametrize("part, name", [("manifest", "manifest"), ("vectors", "document vectors"),
                                        ("site-search", "site search index")])
def test_an_output_whose_manifest_vectors_or_site_search_is_of_another_format_is_refused(output, part, name):
    from carebase import __version__
    from carebase.output import OutputError, open_output
    from carebase.output.formats import declared
    from carebase.output.layout import STAMP

    stamp = json.loads((output / STAMP).read_text())
    stamp["formats"] = {**declared(), part: declared()[part] - 1}
    (output / STAMP).write_text(json.dumps(stamp))
    with pytest.raises(OutputError) as refused:
        open_output(output)
    assert (f"its {name} is format {declared()[part] - 1}, this carebase ({__version__}) reads format "
            f"{declared()[part]}: {REBUILD}") in str(refused.value)
