"""A build output is reused only when what made it is the same: every carebase module its writers
run (found from their imports, not kept by hand: the analyser's stop words, slashed terms and word
forms, the site search's shards, the content model) and the word data the analyser reads."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest
from search_testkit import help_centre

import carebase
from carebase.output import stamp
from carebase.output.snapshot import dumps

PACKAGE = Path(carebase.__path__[0])


def test_the_analyser_is_part_of_the_code_an_output_is_stamped_with():
    names = {Path(p).name for p in stamp.fingerprinted_files()}
    assert {"analyser.py", "forms.py", "derivations.py", "manifest.py"} <= names  # derivations: its rules


def test_the_site_searchs_shard_writer_is_part_of_the_code_an_output_is_stamped_with():
    """Fails on the old code (session 37 audit): the site search's shards are written with the
    index into the revision folder, but their writer was not fingerprinted, so rebuilding unchanged
    content after ffb7fbf (the shards' service scores, "c") reused the old shards: the browser kept
    its old strong rule and "battery low warning" still said 2 results down, 1 up. (Their update
    in place, search_shards_update.py, writes a preview's site folder, not the output.)"""
    names = {Path(p).name for p in stamp.fingerprinted_files()}
    assert {"search_shards.py", "search_rows.py"} <= names


# a fresh process builds the output of a help centre from its snapshot (so nothing but the writers
# and what they import runs: no content loader), meaning on, and lists every carebase file it ran
_BUILD = """
import json, sys
from pathlib import Path
from carebase.output import open_output
from carebase.output.snapshot import loads
open_output(sys.argv[2], loads(Path(sys.argv[1]).read_text()), worker=False)
print(json.dumps(sorted(m.__file__ for n, m in list(sys.modules.items())
                        if n.split(".")[0] == "carebase" and getattr(m, "__file__", None))))
"""


@pytest.mark.slow
def test_every_carebase_module_a_build_runs_is_in_its_stamp(tmp_path):
    """Fails on the old code, whose hand-kept list missed 7 of the 52 carebase modules this build
    runs: the content model the snapshot is written from and read back into (content/model.py),
    the languages the index is written in (content/languages.py), content/fences.py and
    problems.py, and the packages' __init__ files. A module a writer imports by a name computed
    at run time would fail here too."""
    snapshot = tmp_path / "catalogue.json"
    snapshot.write_text(dumps(help_centre()), encoding="utf-8")
    ran = subprocess.run([sys.executable, "-c", _BUILD, str(snapshot), str(tmp_path / "site-data")],
                         capture_output=True, text=True, check=True, cwd=tmp_path)
    files = {Path(f).resolve() for f in json.loads(ran.stdout.splitlines()[-1])}
    assert any(f.name == "semantic.py" for f in files)  # meaning was on: the vectors were written
    assert files - {f.resolve() for f in stamp.fingerprinted_files()} == set()


@pytest.mark.parametrize("module", ["content/model.py", "search/fused_cut.py", "search/data/bert-uncased-vocab.txt"])
def test_changing_a_file_the_writers_import_or_read_changes_the_stamp(monkeypatch, module):
    """Fails on the old code for the content model (not in its list) and the embedder's vocabulary
    (not Python). The snapshot is written from the content model's fields, the stamp's revision
    from the snapshot: a field added to an item would be missing from a reused output."""
    changed = PACKAGE / module
    real = Path.read_bytes
    stamp.code_fingerprint.cache_clear()
    try:
        before = stamp.code_fingerprint()
        monkeypatch.setattr(Path, "read_bytes", lambda p: real(p) + b"\n# changed" if p == changed else real(p))
        stamp.code_fingerprint.cache_clear()
        assert stamp.code_fingerprint() != before
    finally:
        monkeypatch.undo()
        stamp.code_fingerprint.cache_clear()


def test_another_word_data_version_is_another_output(monkeypatch):
    stamp.code_fingerprint.cache_clear()
    try:
        before = stamp.code_fingerprint()
        real = importlib.metadata.version
        monkeypatch.setattr(importlib.metadata, "version",
                            lambda name: "9.9.9" if name == "simplemma" else real(name))
        stamp.code_fingerprint.cache_clear()
        assert stamp.code_fingerprint() != before  # a simplemma upgrade changes the terms' stems
    finally:
        monkeypatch.undo()
        stamp.code_fingerprint.cache_clear()
