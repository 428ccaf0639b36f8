"""A build output is reused only when what made its terms is the same: the analyser's code
(carebase.text: stop words, slashed terms, word forms) and the word data it reads."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from carebase.output import stamp


def test_the_analyser_is_part_of_the_code_an_output_is_stamped_with():
    names = {Path(p).name for p in stamp.fingerprinted_files()}
    assert {"analyser.py", "forms.py", "derivations.py", "manifest.py"} <= names  # derivations: its rules


def test_the_site_searchs_shard_writer_is_part_of_the_code_an_output_is_stamped_with():
    """Fails on the old code (session 37 audit): the site search's shards are written with the
    index into the revision folder, but their writer was not fingerprinted, so rebuilding unchanged
    content after ffb7fbf (the shards' service scores, "c") reused the old shards: the browser kept
    its old strong rule and "battery low warning" still said 2 results down, 1 up."""
    names = {Path(p).name for p in stamp.fingerprinted_files()}
    assert {"search_shards.py", "search_rows.py", "search_shards_update.py"} <= names


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
