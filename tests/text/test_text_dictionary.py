"""A language's dictionary kept in carebase's cache folder: the same words as pyspellchecker's
file, read back from the kept list, and a kept list that is not a word list is ignored and
written again."""

from __future__ import annotations

from spellchecker import SpellChecker

from carebase.text.dictionary import words_of


def test_the_kept_word_list_is_pyspellcheckers_and_is_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path))
    first = words_of("en")
    assert first == frozenset(SpellChecker(language="en", distance=1).word_frequency.dictionary)
    [kept] = (tmp_path / "dictionaries").iterdir()
    assert kept.name.startswith("en-") and kept.read_text(encoding="utf-8").count("\n") == len(first) - 1
    kept.write_text("refund\nzzkvplorb", encoding="utf-8")  # the next run reads the kept list
    assert words_of("en") == {"refund", "zzkvplorb"}
    kept.write_text("refund\nimport os; os.system('x')", encoding="utf-8")  # not a word list: ignored
    assert words_of("en") == first and kept.read_text(encoding="utf-8").count("\n") == len(first) - 1
    monkeypatch.setenv("CAREBASE_CACHE_DIR", "off")  # nothing kept, the same words
    assert words_of("en") == first and words_of("") == frozenset()
