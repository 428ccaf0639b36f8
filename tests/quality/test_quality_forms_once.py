"""The word-forms tables are made by one worker process of a run at a time (tests/once_testkit.py
``forms_made_once``, installed for every run by tests/conftest.py): every worker whose first
stemming test started before another had kept the table made all of it itself (~3.1 s of CPU
each, at the run's start). A process asking while another holds the language's lock waits, then
reads what that one kept."""

from __future__ import annotations

import threading
import time

from once_testkit import locked


def test_a_table_asked_for_while_another_process_makes_it_waits_for_that_one(tmp_path, monkeypatch):
    from carebase.text import forms
    from carebase.text.analyser import analyser_for

    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path))
    made = []  # when the table's making began (simplemma's file looked up), in this process
    monkeypatch.setattr(forms, "_simplemma_file", lambda language: made.append(time.monotonic()))  # -> None: {}
    english = analyser_for("en")
    asked = threading.Thread(target=forms.table, args=(english, english.stem_only, "en"))
    with locked(tmp_path / ".forms-en.lock"):  # another process is making the English table
        asked.start()
        asked.join(0.5)
        assert made == [] and asked.is_alive()  # it waits
        released = time.monotonic()
    asked.join(30)
    assert not asked.is_alive() and len(made) == 1 and made[0] >= released
    # another language is not held up
    german = analyser_for("de")
    with locked(tmp_path / ".forms-en.lock"):
        assert forms.table(german, german.stem_only, "de") == {}
    assert len(made) == 2
