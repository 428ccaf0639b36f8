"""One road: the build writes the build output once per content revision, and every later
stage reads it. A build, the service (votes and searches over real HTTP), the gap report and
a second build of the same content, all in this process, write the search index exactly
once; and no product module but ``carebase.output`` can build one."""

from __future__ import annotations

import ast
import functools
import json
import shutil
from pathlib import Path

import pytest

from web_testkit import serve_asgi

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "site" / "fixtures"  # a small help centre: articles, FAQ, videos
PRODUCT = [REPO / "generator", REPO / "plugins", REPO / "theme"]


@pytest.fixture()
def index_writes(monkeypatch):
    """Every call of the search index writer in this process, by folder."""
    import carebase.search.index as index

    calls: list[str] = []
    real = index.write_records

    def counted(records, index_dir, **kw):
        calls.append(str(index_dir))
        return real(records, index_dir, **kw)

    monkeypatch.setattr(index, "write_records", counted)  # what build_index writes with
    return calls


@pytest.mark.slow  # three real MkDocs builds, a service and a report in this process
def test_build_service_report_and_a_rebuild_index_the_content_once(tmp_path, index_writes, monkeypatch):
    from carebase.cli import main
    from carebase.output import build, open_output
    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(build, "INDEX_BUILDS", [])
    project = tmp_path / "project"
    shutil.copytree(FIXTURES, project)
    config, site = project / "mkdocs.yml", tmp_path / "out" / "site"

    assert main(["build", "-q", "-f", str(config), "-d", str(site)]) == 0
    site_data = tmp_path / "out" / "site-data"  # beside the site, never inside it
    output = open_output(site_data)
    assert output.indexed and not (site / "site-data").exists()
    assert json.loads((site / "manifest.json").read_bytes()) == output.manifest  # the published copy

    db = tmp_path / "feedback.db"
    app = create_app(ServiceConfig(database_url=f"sqlite:///{db}", site_data=str(site_data)))
    with serve_asgi(app, lifespan="on") as client:
        hits = client.get("/api/v1/search", params={"q": "refund"}).json()["hits"]
        assert hits and hits[0]["id"] == "article:billing/refunds"
        vote = {"events": [{"id": "one-road-1", "type": "vote", "item": "article:billing/refunds", "value": 0},
                           {"id": "one-road-2", "type": "search", "query": "refund", "results": len(hits)}]}
        assert client.post("/api/v1/events", json=vote).json() == {"accepted": 2, "duplicates": 0}

    report = tmp_path / "report"
    assert main(["report", "--site-data", str(site_data), "--db", f"sqlite:///{db}", "--out", str(report),
                 "--format", "json", "--min-votes", "1"]) == 0
    assert json.loads((report / "report.json").read_text())["summary"]["votes"] == 1

    assert main(["build", "-q", "-f", str(config), "-d", str(site)]) == 0  # same content: reused
    assert build.INDEX_BUILDS == [output.revision]
    assert len(index_writes) == 1, index_writes

    page = project / "help" / "billing" / "refunds.md"
    page.write_text(page.read_text() + "\nAn edit.\n")
    assert main(["build", "-q", "-f", str(config), "-d", str(site)]) == 0  # a new revision: indexed once more
    assert len(build.INDEX_BUILDS) == 2 and open_output(site_data).revision != output.revision


@functools.cache
def _calls(path: Path) -> frozenset[str]:
    """The functions a module calls: ``name`` for ``name(…)`` and ``x.name(…)``, and
    ``Owner.name`` for ``Owner.name(…)``. Each module is parsed once per process, not once per
    function asked about."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                names.add(func.attr)
                if isinstance(func.value, ast.Name):
                    names.add(f"{func.value.id}.{func.attr}")
            elif isinstance(func, ast.Name):
                names.add(func.id)
    return frozenset(names)


@pytest.mark.parametrize("function, allowed", [
    # the search index (and its vectors) is written by the build output only
    ("build_index", {"generator/output/indexing.py"}),
    ("write_records", {"generator/search/index.py"}),  # build_index's writer
    ("SemanticIndex.build", {"generator/output/vectors.py"}),
    ("ImpactIndex.compute", {"generator/search/index.py"}),  # the fast engine's arrays: with the index only
    # the manifest is made in one place, and copied into the site from the build output
    ("build_manifest", {"generator/output/build.py"}),
    # raw content is read by the stages that check or render it (and by the content package's
    # translations loader, for check and translate), never by the service or report
    ("load_catalogue", {"plugins/site/plugin.py", "generator/cli/check.py", "generator/content/translations.py"}),
])
def test_only_the_build_output_builds_what_it_holds(function, allowed):
    callers = {p.relative_to(REPO).as_posix() for folder in PRODUCT for p in folder.rglob("*.py")
               if function in _calls(p)}
    assert callers <= allowed, f"{function} is called outside the build output: {sorted(callers - allowed)}"


def test_the_service_refuses_to_start_without_a_build_output(tmp_path):
    from carebase.output import OutputError
    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    with pytest.raises(OutputError, match="run 'carebase build'"):
        create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'f.db'}", site_data=str(tmp_path / "none")))
