"""The Ask box's lexical threshold (``confidence.THRESHOLD["lexical"]``): keep 0.3 or take 0.1761,
decided on development questions by a rule declared here before any figure of it was looked at
(session 43, `siteui`; committed before the first run).

    python benchmarks/search/ask_threshold.py [--limit N] [--out rows.json] [--rows rows.json]

The two candidates only: 0.3 (shipped since issue 17; chosen on half A for the plain coverage)
and 0.1761 (what ``answer_calibration.py``'s rule chose on half A for the informative coverage,
RESULTS "Session 42 (`siteui`)"). No other value is tried: the development sets are small and a
grid over them would be tuning on them.

**Development questions** (never the held-out harness: the German harness of
``answer_languages.py`` and half B are not used here; they may be reported afterwards, for
information only):

1. the demo's German questions (``ask_demo_questions.yml``, de: answered by words, as German
   always is);
2. the demo's English questions, by words (as English is answered with meaning off);
3. BANKING77 half A by words: every half-A question on the whole benchmark help centre
   (answerable: its intent's article), and the half-A questions whose article
   ``held_out_topics.removed_articles`` removes (seed 20261203), asked of the help centre
   without those articles (unanswerable there).

**What a customer gains or loses** from one question: a right answer +1 (the card on top says
"This should answer your question" and it does); a wrong answer −2 (an answer with the wrong
item, or any answer to a question nothing answers: the customer reads it, tries it and comes
back; we count that twice what a right card saves — a customer tolerates at most one wrong card
per two right ones the lower threshold adds); no answer 0 (the results list is still there).
Each set's score is the mean over its questions; the three sets weigh alike.

**Rule**: take 0.1761 if the sum of the three sets' scores is higher with it than with 0.3;
on a tie or less, keep 0.3.

Every question is answered once with threshold 0 (the shipped rule otherwise, the "about" check
included); an answer at threshold t is one answered at 0 whose confidence is ≥ t.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ask_demo  # noqa: E402
import harness  # noqa: E402
import held_out_topics  # noqa: E402

from carebase.assist.answer import Answerer  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402

CANDIDATES = (0.3, 0.1761)
RIGHT, WRONG = 1.0, -2.0
HERE = Path(__file__).resolve().parent


def asked(answerer: Answerer, text: str, accept: list[str]) -> dict:
    a = answerer.answer(text)
    cited = a.citations or a.related
    return {"q": text, "accept": accept, "top": cited[0].id if cited else None,
            "answered": bool(a.answered), "conf": float(a.confidence)}


def score(rows: list[dict], t: float) -> dict:
    right = wrong = silent = 0
    for r in rows:
        given = r["answered"] and r["top"] is not None and r["conf"] >= t
        if not given:
            silent += 1
        elif r["top"] in r["accept"]:
            right += 1
        else:
            wrong += 1
    n = len(rows)
    return {"questions": n, "right": right, "wrong": wrong, "not_answered": silent,
            "score": round((RIGHT * right + WRONG * wrong) / n, 4) if n else 0.0}


def demo_rows(limit: int) -> dict[str, list[dict]]:
    questions = yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))
    found, _tmps = ask_demo.answerers(lexical=True)
    out = {}
    for lang in ("de", "en"):
        searcher = found[lang][0].searcher
        answerer = Answerer(searcher, found[lang][0].catalogue, threshold=0.0)
        qs = questions[lang][:limit] if limit else questions[lang]
        out[f"demo-{lang}"] = [asked(answerer, q["q"], list(q["accept"])) for q in qs]
    return out


def half_rows(half: str, limit: int, row=None, *, meaning: bool = False) -> list[dict]:
    """One row per question of the harness's half ``half`` (``row(answerer, text, accept)``,
    default ``asked``): every question on the whole help centre, then the removed articles'
    questions on the held-out one (where no answer is right). ``meaning``: each help centre with
    its meaning index, as the default English install answers (else by words)."""
    row = row or asked
    catalogue = harness.load_helpcentre()
    removed = set(held_out_topics.removed_articles(catalogue))
    held_out = dataclasses.replace(catalogue, articles=tuple(a for a in catalogue.articles if a.id not in removed),
                                   _index={})
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == half]
    if limit:
        queries = queries[:limit]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, cat, wanted in (("full", catalogue, lambda q: True), ("held", held_out, lambda q: q.target in removed)):
            folder = Path(tmp) / name
            build_index(cat, folder)
            semantic = None
            if meaning:
                from carebase.search.semantic import SemanticIndex

                semantic = SemanticIndex.build(cat, folder)
            answerer = Answerer(Searcher(open_index(folder), cat, semantic=semantic), cat, threshold=0.0)
            mine = [q for q in queries if wanted(q)]
            for n, q in enumerate(mine, 1):
                rows.append(row(answerer, q.text, [q.target] if name == "full" else []))
                if n % 500 == 0 and sys.stderr.isatty():
                    print(f"  half {half}, {name}: {n}/{len(mine)}", file=sys.stderr)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions of each set (a quick look)")
    ap.add_argument("--out", help="write every question's row here (JSON)")
    ap.add_argument("--rows", help="decide again from the rows an --out run wrote (no answering)")
    args = ap.parse_args(argv)
    if args.rows:
        sets = json.loads(Path(args.rows).read_text())
    else:
        import os

        os.environ["CAREBASE_SEMANTIC"] = "0"  # by words: the lexical threshold's engine
        sets = demo_rows(args.limit)
        sets["half-A"] = half_rows("A", args.limit)
        if args.out:
            Path(args.out).write_text(json.dumps(sets))
    table = {name: {str(t): score(rows, t) for t in CANDIDATES} for name, rows in sets.items()}
    totals = {str(t): round(sum(table[name][str(t)]["score"] for name in table), 4) for t in CANDIDATES}
    keep, new = str(CANDIDATES[0]), str(CANDIDATES[1])
    decision = new if totals[new] > totals[keep] else keep
    print(json.dumps({"sets": table, "total_score": totals, "decision": float(decision)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
