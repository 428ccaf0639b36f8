"""The embedding interface (carebase.search.meaning), its tokenizer and its vector cache."""

from __future__ import annotations


import numpy as np
import pytest

from carebase.search import embedders, meaning
from carebase.search.vector_cache import VectorCache
from carebase.search.wordpiece import WordPiece, basic_tokens

needs_model = pytest.mark.skipif(not meaning.available(), reason=meaning.status())


def test_basic_tokens_follow_berts_rules():
    assert basic_tokens("Héllo, WORLD!  don't\tstop") == ["hello", ",", "world", "!", "don", "'", "t", "stop"]
    assert basic_tokens("a\u200bb 你好") == ["ab", "你", "好"]  # format chars dropped, CJK split


def test_wordpiece_splits_unknown_words_into_known_pieces(tmp_path):
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\nrefund\n##able\nun\n##refund\n")
    tok = WordPiece.from_file(vocab)
    assert tok.ids("Refundable unrefundable xyz", 16) == [2, 4, 5, 6, 7, 5, 1, 3]
    assert tok.ids("refund " * 20, 5) == [2, 4, 4, 4, 3]  # truncated, [SEP] kept


def test_no_backend_means_lexical_with_a_one_line_reason(monkeypatch):
    def broken():
        raise ImportError("no module", name="onnxruntime")

    monkeypatch.setattr(embedders, "BACKENDS", {"minilm-onnx": broken})
    meaning.reset()
    try:
        assert not meaning.available()
        line = meaning.status()
        assert "\n" not in line and "lexical" in line and "onnxruntime" in line
        with pytest.raises(RuntimeError):
            meaning.embed_queries(["x"])
    finally:
        meaning.reset()


def test_opt_out_by_environment(monkeypatch):
    monkeypatch.setenv("CAREBASE_SEMANTIC", "0")
    meaning.reset()
    try:
        assert not meaning.available()
        assert "CAREBASE_SEMANTIC=0" in meaning.status()
    finally:
        monkeypatch.delenv("CAREBASE_SEMANTIC")
        meaning.reset()


@pytest.mark.slow
@needs_model
def test_vectors_are_normalised_float32_and_paraphrases_are_close():
    q = meaning.embed_queries(["I want my money back", "how do I reset my password"])
    p = meaning.embed_passages(["Getting a refund for a payment", "Change or reset your password"])
    assert q.dtype == np.float32 and q.shape == (2, meaning.dim())
    assert np.allclose(np.linalg.norm(q, axis=1), 1, atol=1e-5)
    sims = q @ p.T
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]
    assert meaning.embed_queries([]).shape == (0, meaning.dim())
    assert np.allclose(meaning.embed_query("I want my money back"), q[0], atol=1e-5)
    assert meaning.model_id()


@pytest.mark.slow
@needs_model
def test_vector_cache_embeds_each_text_once(tmp_path):
    first = VectorCache(tmp_path / "v.sqlite")
    a = first.queries(["card not arrived", "money back", "card not arrived"])
    assert first.embedded == 2
    again = VectorCache(tmp_path / "v.sqlite")  # another process, the same file
    b = again.queries(["money back", "card not arrived", "a new wording"])
    assert again.embedded == 1
    assert np.allclose(b[0], a[1]) and np.allclose(b[1], a[0])
    assert again.passages(["money back"]).shape == (1, meaning.dim()) and again.embedded == 2  # kinds apart
