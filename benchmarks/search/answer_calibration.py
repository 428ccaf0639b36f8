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

**The second signal** (2026-12-04, a more cautious "no answer"; declared here before the run
that chooses it): over the threshold, an answer is given only if the top item also holds at
least ``coverage`` of the question's words, or stands at least ``margin`` closer in meaning
than search's next item (``confidence.SECOND``). The threshold, ``coverage`` (0, 0.2, 0.25,
1/3, 0.4, 0.5, 0.6, 2/3, 0.75, 1) and ``margin`` (0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15,
never) are chosen together by the same rule (max no-answer F1, answer@1 ≥ hit@1 − 0.02, ties:
the higher precision), on half A only; coverage 0 is the threshold alone (the rule before).
Also reported: **answer@1 on the others** — on the held-out help centre, the questions whose
article is still there.
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


COVERAGES = (0.0, 0.2, 0.25, 1 / 3, 0.4, 0.5, 0.6, 2 / 3, 0.75, 1.0)
MARGINS = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.15, 9.0)  # 9: never (coverage alone)


def answer_all(searcher, catalogue, queries, *, label: str) -> list[dict]:
    answerer = Answerer(searcher, catalogue, threshold=0.0)  # answer everything; keep the confidence
    if searcher.semantic is not None:
        prime([search_text(searcher, q.text) for q in queries])
    out, started = [], time.perf_counter()
    for n, q in enumerate(queries, 1):
        answer = answerer.answer(q.text)
        first = answer.citations[0].id if answer.citations else None
        top = searcher.search(q.text, limit=1).hits
        sure = answer.sure
        out.append({"target": q.target, "cited": first, "conf": answer.confidence,
                    "hit": top[0].id if top else None, "cover": sure.coverage if sure else 0.0,
                    "margin": sure.margin if sure and sure.margin is not None else 1.0,
                    "voted": bool(sure and sure.votes > (sure.cosine if sure.cosine is not None else sure.coverage))})
        if n % 500 == 0:
            print(f"  {label}: {n}/{len(queries)} ({(time.perf_counter() - started) / n * 1000:.1f} ms each)",
                  file=sys.stderr)
    return out


def answers(r: dict, t: float, coverage: float = 0.0, margin: float = 0.0) -> bool:
    """``confidence.confidence``'s rule on a recorded question."""
    if r["conf"] < t:
        return False
    return r["voted"] or (coverage <= 0 and margin <= 0) or r["cover"] >= coverage or r["margin"] >= margin


def scores(full: list[dict], held: list[dict], removed: set[str], t: float, coverage: float = 0.0,
           margin: float = 0.0) -> dict:
    n = len(full)
    hit1 = sum(r["hit"] == r["target"] for r in full) / n
    answer1 = sum(r["cited"] == r["target"] and answers(r, t, coverage, margin) for r in full) / n
    refused = [r for r in held if not answers(r, t, coverage, margin)]
    positives = [r for r in held if r["target"] in removed]
    others = [r for r in held if r["target"] not in removed]
    true = sum(r["target"] in removed for r in refused)
    precision = true / len(refused) if refused else 1.0
    recall = true / len(positives) if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    refused_full = sum(not answers(r, t, coverage, margin) for r in full) / n
    others1 = sum(r["cited"] == r["target"] and answers(r, t, coverage, margin) for r in others) / len(others) \
        if others else None
    others_hit1 = sum(r["hit"] == r["target"] for r in others) / len(others) if others else None
    return {"threshold": round(t, 4), "coverage": round(coverage, 4), "margin": margin,
            "hit@1": round(hit1, 4), "answer@1": round(answer1, 4),
            "no_answer_precision": round(precision, 4), "no_answer_recall": round(recall, 4),
            "no_answer_f1": round(f1, 4), "refused": len(refused), "removed_topic_questions": len(positives),
            "refused_on_whole_help_centre": round(refused_full, 4),
            "others_answer@1": None if others1 is None else round(others1, 4),
            "others_hit@1": None if others_hit1 is None else round(others_hit1, 4), "others": len(others)}


def choose(full, held, removed, *, second: bool = False) -> dict:
    """The declared rule, vectorised: every threshold seen × (coverage, margin) when ``second``."""
    import numpy as np

    def arrays(rows):
        return (np.array([r["conf"] for r in rows]), np.array([r["cover"] for r in rows]),
                np.array([r["margin"] for r in rows]), np.array([r["voted"] for r in rows]))

    fc, fv, fm, fvote = arrays(full)
    hc, hv, hm, hvote = arrays(held)
    f_right = np.array([r["cited"] == r["target"] for r in full])
    h_pos = np.array([r["target"] in removed for r in held])
    hit1 = sum(r["hit"] == r["target"] for r in full) / len(full)
    best, best_key = None, None
    for coverage in (COVERAGES if second else (0.0,)):
        for margin in (MARGINS if second else (0.0,)):
            if coverage <= 0 < margin:
                continue  # coverage 0 lets every answer through: the threshold alone, already tried
            plain = coverage <= 0 and margin <= 0
            f_out = fvote | plain | (fv >= coverage) | (fm >= margin)
            h_out = hvote | plain | (hv >= coverage) | (hm >= margin)
            for t in sorted({0.0} | set(hc.tolist()) | set(fc.tolist())):
                answer1 = float(np.mean(f_right & (fc >= t) & f_out))
                if answer1 < hit1 - MARGIN:
                    continue
                refused = ~((hc >= t) & h_out)
                n_ref, true = int(refused.sum()), int((refused & h_pos).sum())
                precision = true / n_ref if n_ref else 1.0
                recall = true / int(h_pos.sum()) if h_pos.any() else 0.0
                f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
                key = (round(f1, 6), round(precision, 6))
                if best_key is None or key > best_key:
                    best_key, best = key, (t, coverage, margin)
    return scores(full, held, removed, *best)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--measure", action="store_true", help="half B with the shipped thresholds (run once)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions of the half (a quick look)")
    ap.add_argument("--out", help="write the per-question rows and the result as JSON here")
    ap.add_argument("--second", action="store_true", help="choose the threshold with the second signal "
                                                        "(coverage or margin; confidence.SECOND)")
    ap.add_argument("--rows", help="choose again from the rows an --out run wrote (no answering)")
    args = ap.parse_args(argv)
    if args.rows:
        data = json.loads(Path(args.rows).read_text())
        removed = set(data["removed"])
        result = choose(data["full"], data["held"], removed, second=args.second)
        result["before"] = choose(data["full"], data["held"], removed)
        print(json.dumps(result, indent=1))
        return 0

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
        rule = conf_module.SECOND[kind]
        result = scores(full, held, removed, conf_module.THRESHOLD[kind], rule["coverage"], rule["margin"])
        result["threshold_alone"] = scores(full, held, removed, conf_module.THRESHOLD[kind])
    else:
        result = choose(full, held, removed, second=args.second)
        if args.second:
            result["threshold_alone"] = choose(full, held, removed)
        result["at_zero"] = scores(full, held, removed, 0.0)
    result.update(half=half, engine=kind, questions=len(queries))
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps({"result": result, "full": full, "held": held,
                                              "removed": sorted(removed)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
