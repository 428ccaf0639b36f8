"""Failed searches grouped into topics per language: with the embedding model or by words (TF-IDF
of stems), as ``carebase report`` groups them (``missing._vectors``, the shipped thresholds).

The German queries of ``queries.de.yml`` (60: three per translated article, written before any
German measurement) taken as failed searches on the German pages, and, as the control, three
English queries per one of the same 20 articles (half B, the first three in file order): each
query its own wording group, then ``topics.group`` with the settings of each kind. BCubed
precision, recall, F0.5 and F1 against the article each query was written for. The report uses
meaning only for a language its model knows (``meaning.knows``); this measures what meaning
would do on German pages with the installed model. Nothing is tuned here.

Then the learned phrasings' neighbours (``learned.nearest``, floor ``MIN_SIMILARITY``) on the same
queries: the model's cosines between queries written for the same article and for different
ones, the share over the floor, and how often a query's nearest other query is one for its own
article (``learned.ranking.heard_in`` keeps embedded neighbours from voting in a language the
model does not know).

    python benchmarks/search/topic_languages.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from relevance_languages import german_queries  # noqa: E402
from topic_calibration import bcubed, wordings_of  # noqa: E402

from carebase.content.languages import Languages  # noqa: E402
from carebase.content.translations import load_languages  # noqa: E402
from carebase.report import topic_evidence, topics  # noqa: E402
from carebase.report.build import make_normaliser  # noqa: E402
from carebase.report.missing import _lexical  # noqa: E402
from carebase.report.topic_vectors import open_embeddings  # noqa: E402


def grouped(kind: str, vectors, normaliser, wordings, catalogue):
    """``topics.group`` as ``missing.missing_section`` calls it for this kind of vectors."""
    matrix = vectors.encode([w.meaning() for w in wordings], [w.key for w in wordings])
    weight = topic_evidence.WORDS_WEIGHT[kind]
    words = _lexical(normaliser, wordings, catalogue).encode_keys([w.key for w in wordings]) if weight else None
    found, other = topics.group(wordings, matrix, topic_evidence.GROUP_THRESHOLD[kind],
                                merge_threshold=topic_evidence.MERGE_THRESHOLD[kind], words=words,
                                words_weight=weight or 0.0, fragments=topic_evidence.FRAGMENTS[kind])
    return [[m.key for m in t.members] for t in found] + [[w.key] for w in other]


def main() -> int:
    ml = load_languages(harness.HELPCENTRE, Languages(("en", "de"))).published()
    english, german = ml.catalogues["en"], ml.catalogues["de"]
    translated = {a.id for a in german.articles}
    per_article: dict[str, list] = defaultdict(list)
    for q in harness.load_queries(harness.load_intents()):
        if q.half == "B" and q.target in translated and len(per_article[q.target]) < 3:
            per_article[q.target].append(q)
    sets = [("German queries, German pages", german, german_queries()),
            ("English queries for the same 20 articles (control)", english,
             [q for qs in per_article.values() for q in qs])]
    embeddings = open_embeddings(None)
    lines = ["| queries | vectors | queries | topics | BCubed P | R | F0.5 | F1 |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, catalogue, queries in sets:
        normaliser = make_normaliser(catalogue)
        wordings, intents = wordings_of(normaliser, queries)
        kinds = [("lexical", _lexical(normaliser, wordings, catalogue))]
        if embeddings is not None:
            kinds.append(("embedding", embeddings))
        for kind, vectors in kinds:
            clusters = grouped(kind, vectors, normaliser, wordings, catalogue)
            p, r, f05, f1 = bcubed(clusters, intents)
            label = kind if kind == "lexical" else f"embedding ({embeddings.name})"
            lines.append(f"| {name} | {label} | {len(queries)} | {sum(1 for c in clusters if c)} | "
                         f"{p:.3f} | {r:.3f} | {f05:.3f} | {f1:.3f} |")
    print("\n".join(lines))
    if embeddings is not None:
        print()
        print(neighbours(sets))
    return 0


def neighbours(sets) -> str:
    import numpy as np

    from carebase.learned.nearest import MIN_SIMILARITY
    from carebase.search import meaning

    lines = [f"| queries | same-article pairs: mean cosine | ≥ {MIN_SIMILARITY} | other-article pairs: mean | "
             f"≥ {MIN_SIMILARITY} | nearest query is for the same article |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, _catalogue, queries in sets:
        vectors = meaning.embed_queries([q.text for q in queries])
        sims = vectors @ vectors.T
        same = np.array([[q.target == r.target for r in queries] for q in queries])
        upper = np.triu(np.ones_like(same), 1)
        alike, apart = sims[same & upper], sims[~same & upper]
        np.fill_diagonal(sims, -1.0)
        nearest = float(np.mean(same[np.arange(len(queries)), sims.argmax(1)]))
        lines.append(f"| {name} | {alike.mean():.3f} | {np.mean(alike >= MIN_SIMILARITY):.2f} | {apart.mean():.3f} | "
                     f"{np.mean(apart >= MIN_SIMILARITY):.2f} | {nearest:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
