"""A language's dictionary kept in carebase's cache folder: the same words as pyspellchecker's
file, read back from the kept list, and a kept list that is not a word list is ignored and
written again. On pyspellchecker's Russian dictionary (19,880 words, non-ASCII: a small file,
the same code path as English's and German's; test_text_languages reads German's through
``is_word``)."""

from __future__ import annotations

from spellchecker import SpellChecker

from carebase.text.dictionary import words_of


def test_the_kept_word_list_is_pyspellcheckers_and_is_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path))
    first = words_of("ru")
    assert len(first) > 10_000 and first == frozenset(SpellChecker(language="ru", distance=1).word_frequency.dictionary)
    [kept] = (tmp_path / "dictionaries").iterdir()
    assert kept.name.startswith("ru-") and kept.read_text(encoding="utf-8").count("\n") == len(first) - 1
    kept.write_text("возврат\nzzkvplorb", encoding="utf-8")  # the next run reads the kept list
    assert words_of("ru") == {"возврат", "zzkvplorb"}
    kept.write_text("возврат\nimport os; os.system('x')", encoding="utf-8")  # not a word list: ignored
    assert words_of("ru") == first and kept.read_text(encoding="utf-8").count("\n") == len(first) - 1
    monkeypatch.setenv("CAREBASE_CACHE_DIR", "off")  # nothing kept, the same words
    assert words_of("ru") == first and words_of("") == frozenset()
