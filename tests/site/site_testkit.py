"""Helpers shared by the site tests (a uniquely named module: `conftest` is ambiguous when
several test folders are collected together)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
# A day long past, for the tests that compare a `carebase serve` with a full build: the copied
# content's file times (its "last updated" dates where there is no Git history) and the build
# date (MkDocs' SOURCE_DATE_EPOCH: the sitemap's lastmod) are this day's, so neither the day the
# checkout was made nor a run that crosses midnight changes what the two builds write.
EARLIER_DAY = 1717243200  # 1 June 2024, 12:00 UTC


def copy_from_an_earlier_day(source: Path, dest: Path, monkeypatch) -> Path:
    """``source`` copied to ``dest`` with EARLIER_DAY's file times, as a checkout made on an
    earlier day has them, and the builds of this test dated EARLIER_DAY; gives ``dest``."""
    import shutil

    shutil.copytree(source, dest)
    for path in dest.rglob("*"):
        os.utime(path, (EARLIER_DAY, EARLIER_DAY))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EARLIER_DAY))
    return dest


def mkdocs_build(config: Path, site_dir: Path, *, strict: bool = True) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        cmd.append("--strict")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def preview_build(config_file: Path, site_dir: Path, command: str):
    """A real MkDocs build of ``config_file`` into ``site_dir`` in this process, started as
    ``command`` ("serve" keeps the plugin's preview state for saves); its loaded config."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command=command, dirty=False)
    build(config)
    return config


def site_files(site: Path) -> dict[str, object]:
    """Every file of a site, comparable: JSON parsed, the site search's shards as what they
    answer (shards_testkit: ``carebase serve`` numbers new rows after the last), Material's
    search index as a set of entries (a save replaces the entries of the pages it renders at
    the end), the gzip sitemap unzipped."""
    import gzip
    import json

    from shards_testkit import client_indexes

    out = {}
    indexes = client_indexes(site, weights=False)  # the site search's shards as what they answer (the
    # weights of an index updated in place: tests/sitesearch/test_sitesearch_shards.py, within a tolerance)
    out.update((f"{folder}/ (client search index)", index) for folder, index in indexes.items())
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        if rel.rsplit("/", 1)[0] in indexes:
            continue
        data = path.read_bytes()
        if rel == "search/search_index.json":
            index = json.loads(data)
            out[rel] = (index["config"], sorted(json.dumps(d, sort_keys=True) for d in index["docs"]))
        elif rel.endswith(".json"):
            out[rel] = json.loads(data)
        elif rel.endswith(".gz"):
            out[rel] = gzip.decompress(data)
        else:
            out[rel] = data
    return out
