"""Answers for assistants (issue 17) on the relevance harness: answer@1 against search hit@1,
and the "no answer" threshold measured on held-out topics.

    python benchmarks/search/answer_calibration.py            # choose the thresholds on half A
    python benchmarks/search/answer_calibration.py --measure  # half B, with the thresholds in
                                                              # carebase.assist.confidence
    (CAREBASE_SEMANTIC=0 for the lexical engine's threshold and figures)

Two help centres: the whole benchmark help centre (77 articles), and the held-out-topics one
(the 15 articles ``held_out_topics.removed_articles`` removes: seed 20261203, declared in that
script before any result was looked at). Every question is answered with no threshold, and
its confidence kept.

* **answer@1**: on the whole help centre, the first citation is a passage of the article
  written for the question's intent, *and* the answer is given (conf ≥ threshold); a "no
  answer" is a miss. **hit@1**: search's first result is that article (``Searcher.search``,
  the same ranking, asked apart).
* **no-answer precision / recall**: on the held-out help centre, a question whose article
  was removed should get "no answer" (positive); precision = removed-topic questions among
  those refused, recall = refused among the removed-topic questions.

Rule declared before looking at any figure (and committed with this script): on half A only,
the threshold is the one (over every confidence value seen) that maximises the F1 of "no
answer" on the held-out help centre while answer@1 on the whole help centre stays ≥ hit@1 − 0.02
(a margin under the acceptance's 0.03 for the move to half B). Half B is measured once, with
the thresholds then written into ``carebase.assist.confidence.THRESHOLD``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import held_out_topics  # noqa: E402
from query_vectors import prime, search_text  # noqa: E402

from carebase.assist import confidence as conf_module  # noqa: E402
from carebase.assist.answer import Answerer  # noqa: E402
from carebase.search import semantic  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402

MARGIN = 0.02


def searcher_for(catalogue, folder: Path, hybrid: bool) -> Searcher:
    build_index(catalogue, folder)
    vectors = semantic.SemanticIndex.build(catalogue, folder) if hybrid else None
    return Searcher(open_index(folder), catalogue, semantic=vectors)


def answer_all(searcher, catalogue, queries, *, label: str) -> list[dict]:
    answerer = Answerer(searcher, catalogue, threshold=0.0)  # answer everything; keep the confidence
    if searcher.semantic is not None:
        prime([search_text(searcher, q.text) for q in queries])
    out, started = [], time.perf_counter()
    for n, q in enumerate(queries, 1):
        answer = answerer.answer(q.text)
        first = answer.citations[0].id if answer.citations else None
        top = searcher.search(q.text, limit=1).hits
        out.append({"target": q.target, "cited": first, "conf": answer.confidence,
                    "hit": top[0].id if top else None})
        if n % 500 == 0:
            print(f"  {label}: {n}/{len(queries)} ({(time.perf_counter() - started) / n * 1000:.1f} ms each)",
                  file=sys.stderr)
    return out


def scores(full: list[dict], held: list[dict], removed: set[str], t: float) -> dict:
    n = len(full)
    hit1 = sum(r["hit"] == r["target"] for r in full) / n
    answer1 = sum(r["cited"] == r["target"] and r["conf"] >= t for r in full) / n
    refused = [r for r in held if r["conf"] < t]
    positives = [r for r in held if r["target"] in removed]
    true = sum(r["target"] in removed for r in refused)
    precision = true / len(refused) if refused else 1.0
    recall = true / len(positives) if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    refused_full = sum(r["conf"] < t for r in full) / n
    return {"threshold": round(t, 4), "hit@1": round(hit1, 4), "answer@1": round(answer1, 4),
            "no_answer_precision": round(precision, 4), "no_answer_recall": round(recall, 4),
            "no_answer_f1": round(f1, 4), "refused": len(refused), "removed_topic_questions": len(positives),
            "refused_on_whole_help_centre": round(refused_full, 4)}


def choose(full, held, removed) -> dict:
    best = None
    for t in sorted({0.0} | {r["conf"] for r in held} | {r["conf"] for r in full}):
        s = scores(full, held, removed, t)
        if s["answer@1"] < s["hit@1"] - MARGIN:
            continue
        if best is None or s["no_answer_f1"] > best["no_answer_f1"]:
            best = s
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measure", action="store_true", help="half B with the shipped thresholds (run once)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions of the half (a quick look)")
    ap.add_argument("--out", help="write the per-question rows and the result as JSON here")
    args = ap.parse_args(argv)

    hybrid = semantic.wanted()
    kind = "embedding" if hybrid else "lexical"
    catalogue = harness.load_helpcentre()
    removed = set(held_out_topics.removed_articles(catalogue))
    held_out = dataclasses.replace(catalogue, articles=tuple(a for a in catalogue.articles if a.id not in removed),
                                   _index={})
    half = "B" if args.measure else "A"
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == half]
    if args.limit:
        queries = queries[: args.limit]
    print(f"answers: half {half}, {len(queries)} questions, engine {kind}, {len(removed)} articles held out",
          file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        full = answer_all(searcher_for(catalogue, Path(tmp) / "full", hybrid), catalogue, queries, label="whole")
        held = answer_all(searcher_for(held_out, Path(tmp) / "held", hybrid), held_out, queries, label="held out")
    if args.measure:
        result = scores(full, held, removed, conf_module.THRESHOLD[kind])
    else:
        result = choose(full, held, removed)
        result["at_zero"] = scores(full, held, removed, 0.0)
    result.update(half=half, engine=kind, questions=len(queries))
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps({"result": result, "full": full, "held": held}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
