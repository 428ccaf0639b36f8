"""A long build step says how far it is on a terminal and nothing in CI or a pipe: embedding
a cold multilingual build's search records (carebase.output.progress), also when a worker
process writes the index (its notes reach the build's terminal)."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from carebase.output.progress import MARK, Notes, wanted

BILINGUAL = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "bilingual"


def test_notes_on_a_terminal_quiet_in_ci_and_in_a_pipe(monkeypatch):
    monkeypatch.delenv("CAREBASE_PROGRESS", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())  # a pipe, not a terminal
    monkeypatch.delenv("CI", raising=False)
    assert wanted() is False
    monkeypatch.setenv("CAREBASE_PROGRESS", "1")
    assert wanted() is True
    monkeypatch.setenv("CAREBASE_PROGRESS", "0")
    assert wanted() is False

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CAREBASE_PROGRESS")
    monkeypatch.setattr("sys.stderr", Terminal())
    assert wanted() is True
    monkeypatch.setenv("CI", "true")
    assert wanted() is False


def test_notes_wait_their_interval_and_a_short_step_says_nothing():
    out = io.StringIO()
    quick = Notes("embedding the German search records for meaning", every=60, stream=out)
    for done in (256, 512, 600):
        quick(done, 600)
    assert out.getvalue() == ""  # done before the first interval: nothing to say
    each = Notes("embedding the German search records for meaning", every=0, stream=out, mark=MARK)
    each(256, 14000)
    each(14000, 14000)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(MARK + "carebase: embedding the German search records for meaning: 256 of 14,000 (")
    assert lines[1].startswith(MARK + "carebase: embedding the German search records for meaning: 14,000 of 14,000 (")


@pytest.mark.slow  # a worker process embeds the fixture's texts
def test_the_index_worker_s_notes_reach_the_build_s_terminal(tmp_path, monkeypatch, capfd):
    from carebase.content.languages import Languages
    from carebase.content.translations import load_languages
    from carebase.output import open_output
    from carebase.output.vectors import wanted as meaning_wanted

    if not meaning_wanted():
        pytest.skip("meaning is off here (CAREBASE_SEMANTIC=0 or no model): nothing is embedded")
    content = tmp_path / "content"
    shutil.copytree(BILINGUAL / "content", content)
    (content / "billing" / "orphan.de.md").unlink()
    ml = load_languages(content, Languages(("en", "de"))).published()
    monkeypatch.setenv("CAREBASE_PROGRESS", "1")  # as on a terminal (the parent decides for its worker)
    # a note per chunk of records (the fixture is one chunk), cached texts or not
    monkeypatch.setenv("CAREBASE_PROGRESS_EVERY", "0")
    out = open_output(tmp_path / "site-data", ml.default, languages={"de": ml.catalogues["de"]},
                      language="en", worker=True)
    out.wait()
    err = capfd.readouterr().err
    from carebase.search import meaning

    # the German records are embedded only by a model that knows German (meaning.knows: the
    # default model knows English only, and the German pages are searched by their words)
    assert ("carebase: embedding the German search records for meaning: " in err) == meaning.knows("de")
    assert "carebase: embedding the English search records for meaning: " in err
    assert MARK not in err  # the worker's mark is taken off
    assert (out.path / "languages" / "de" / "search").is_dir()
