"""The Ask box by words: an answer or a near miss? The evidence of the top two items for every
development question, and the score of the shipped rule and of one added mechanism on it
(session 44, `ask`; the sets, score and go rule declared in RESULTS "Session 44 (`ask`)" before
this script's first run).

    python benchmarks/search/ask_near_miss.py --out rows.json          # answer every question once
    python benchmarks/search/ask_near_miss.py --rows rows.json         # score the rules on the rows
    python benchmarks/search/ask_near_miss.py --confirm --out b.json   # half B + the German harness (once)
    python benchmarks/search/ask_near_miss.py --verbatim --out v.json  # the demo's FAQ questions word for word

Every question is answered by words (``CAREBASE_SEMANTIC=0``) as the service answers it, with
threshold 0 so that each row holds the top item's evidence whatever the shipped rule says; per
question word (clause) its idf (the weight of its best alternative, as ``informative_coverage``)
and what the top item and the runner-up hold of it (in the item, in its title/keywords/tags).
A rule is then a function of a row; the one before session 44 is ``coverage ≥ 0.3 and about``;
session 44 added ``LEAD`` (search's next item scores at most 0.8 of the top one: "score2/1<=0.8").

Score (session 43's): a right card +1, a wrong card −2, no card 0; each set's mean; the sets'
means summed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

RIGHT, WRONG = 1.0, -2.0
HERE = Path(__file__).resolve().parent


def evidence(answerer, text: str, accept: list[str]) -> dict:
    """One question's row: the shipped answer and the top two items' evidence per clause."""
    from carebase.assist.answer import _alternatives, _distinct
    from carebase.assist.confidence import idf
    from carebase.learned.ranking import search

    a = answerer.answer(text)
    cited = a.citations or a.related
    row = {"q": text, "accept": accept, "top": cited[0].id if cited else None, "answered": bool(a.answered),
           "conf": float(a.confidence), "clauses": [], "second": None, "scores": []}
    results = search(answerer.searcher, None, text, limit=5, snippets=False)
    hits = _distinct(results.hits)
    row["scores"] = [round(float(h.score), 4) for h in hits[:2]]
    if row["top"] is None or not hits:
        return row
    clauses = _alternatives(results.clauses) if results.clauses else answerer._clauses(text)
    second = next((h.id for h in hits if h.id != row["top"]), None)
    row["second"] = second
    items = [row["top"]] + ([second] if second else [])
    stems = {i: (answerer._item_stems(i), answerer._head_stems(i)) for i in items}
    for alternatives in clauses:
        if not alternatives:
            continue
        best = max(alternatives.items(), key=lambda kv: kv[1])[0]
        c = {"w": "+".join(best), "idf": round(idf(answerer.searcher, best), 4)}
        for name, i in zip(("t", "s"), items):
            body, head = stems[i]
            c[name] = round(max((w for alt, w in alternatives.items() if set(alt) <= body), default=0.0), 4)
            c[name + "h"] = round(max((w for alt, w in alternatives.items() if set(alt) <= head), default=0.0), 4)
        row["clauses"].append(c)
    return row


def demo_rows(limit: int) -> dict[str, list[dict]]:
    import ask_demo

    from carebase.assist.answer import Answerer

    questions = yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))
    found, _tmps = ask_demo.answerers(lexical=True)
    out = {}
    for lang in ("en", "de"):
        answerer = Answerer(found[lang][0].searcher, found[lang][0].catalogue, threshold=0.0)
        qs = questions[lang][:limit] if limit else questions[lang]
        out[f"demo-{lang}"] = [evidence(answerer, q["q"], list(q["accept"])) for q in qs]
    return out


def verbatim_rows() -> dict[str, list[dict]]:
    """Every FAQ question of the demo content asked word for word, by words, per language; the
    card is right only when it is that question's (session 44, lead: declared with the head
    guard, RESULTS "Session 44 (lead)")."""
    import ask_demo

    from carebase.assist.answer import Answerer

    found, _tmps = ask_demo.answerers(lexical=True)
    out = {}
    for lang in ("en", "de"):
        answerer = Answerer(found[lang][0].searcher, found[lang][0].catalogue, threshold=0.0)
        questions = [q for group in answerer.catalogue.faqs for q in group.questions]
        out[f"faq-verbatim-{lang}"] = [evidence(answerer, q.question, [q.id]) for q in questions]
    return out


def half_rows(half: str, limit: int) -> list[dict]:
    """The harness's half ``half`` as ``ask_threshold.half_rows`` asks it, one ``evidence`` row each."""
    import ask_threshold

    return ask_threshold.half_rows(half, limit, evidence)


def german_harness_rows() -> list[dict]:
    import harness
    from relevance_languages import german_queries

    from carebase.assist.answer import Answerer
    from carebase.content.languages import Languages
    from carebase.content.translations import load_languages
    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    ml = load_languages(harness.HELPCENTRE, Languages(("en", "de"))).published()
    english, german = ml.catalogues["en"], ml.catalogues["de"]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(german, Path(tmp), source=english)
        answerer = Answerer(Searcher(open_index(Path(tmp)), german), german, threshold=0.0)
        return [evidence(answerer, q.text, [q.target]) for q in german_queries()]


# -- rules: a row → give a card? ------------------------------------------------------------
def info(row: dict, key: str) -> float:
    """The share of the question's information ``key`` holds ("t": the top item, "s": the
    runner-up; "th" / "sh": their titles, keywords and tags)."""
    total = sum(c["idf"] for c in row["clauses"])
    return sum(c["idf"] * c.get(key, 0.0) for c in row["clauses"]) / total if total > 0 else 0.0


def shipped(row: dict) -> bool:
    """The code's own answer (the rule this checkout ships)."""
    return row["answered"] and row["top"] is not None and row["conf"] >= 0.3


def before(row: dict) -> bool:
    """The rule before session 44 (aa9de12): the coverage ≥ 0.3 and the item about a question
    word (a clause held in its title, keywords or tags); rebuilt from the row (row for row the
    old code's answers on the 6,071 development questions)."""
    return row["top"] is not None and row["conf"] >= 0.3 and any(c["th"] > 0 for c in row["clauses"])


def lead(row: dict) -> float:
    """How far the top item's information leads the runner-up's (its whole coverage without one)."""
    return info(row, "t") - (info(row, "s") if row["second"] else 0.0)


def score_lead(row: dict) -> float:
    """The runner-up's search score as a share of the top item's (0 without a runner-up)."""
    s = row["scores"]
    return s[1] / s[0] if len(s) > 1 and s[0] > 0 else 0.0


def unexplained(row: dict) -> float:
    """The largest share of the question's information one word the top item does not hold carries."""
    total = sum(c["idf"] for c in row["clauses"])
    return max((c["idf"] * (1 - c["t"]) / total for c in row["clauses"]), default=0.0) if total > 0 else 0.0


def head_guard(row: dict) -> bool:
    """The shipped lead rule, not applied when the top item's head holds all of the question's
    information (``confidence.HEAD_HOLDS``; session 44, lead)."""
    return before(row) and (score_lead(row) <= 0.8 + 1e-9 or info(row, "th") >= 0.999)


def candidates() -> dict:
    """The rule before session 44, this checkout's and, on top of the one before, each declared
    kind of mechanism at each of its values (the values tried in session 44's one choice)."""
    rules = {"before (aa9de12)": before, "this checkout": shipped,
             "score2/1<=0.8 unless the head holds all (lead)": head_guard}
    for m in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        rules[f"lead>={m}"] = lambda r, m=m: before(r) and lead(r) >= m - 1e-9
    for q in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        rules[f"score2/1<={q}"] = lambda r, q=q: before(r) and score_lead(r) <= q + 1e-9
    for h in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        rules[f"title>={h}"] = lambda r, h=h: before(r) and info(r, "th") >= h - 1e-9
    for u in (0.2, 0.3, 0.4, 0.5, 0.6):
        rules[f"unexplained<{u}"] = lambda r, u=u: before(r) and unexplained(r) < u - 1e-9
    return rules


def score(rows: list[dict], rule) -> dict:
    right = wrong = silent = 0
    for r in rows:
        if not rule(r):
            silent += 1
        elif r["top"] in r["accept"]:
            right += 1
        else:
            wrong += 1
    n = len(rows)
    return {"n": n, "right": right, "wrong": wrong, "none": silent,
            "score": round((RIGHT * right + WRONG * wrong) / n, 4) if n else 0.0}


def table(sets: dict[str, list[dict]], rules: dict) -> dict:
    out = {}
    for name, rule in rules.items():
        per = {s: score(rows, rule) for s, rows in sets.items()}
        out[name] = {"sets": per, "sum": round(sum(p["score"] for p in per.values()), 4)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N questions of each set (a quick look)")
    ap.add_argument("--out", help="write every question's row here (JSON)")
    ap.add_argument("--rows", help="score the rules on the rows an --out run wrote (no answering)")
    ap.add_argument("--json", action="store_true", help="the scores as JSON")
    ap.add_argument("--confirm", action="store_true", help="half B and the German harness (never tuned on)")
    ap.add_argument("--verbatim", action="store_true", help="the demo's FAQ questions word for word (en, de)")
    args = ap.parse_args(argv)
    if args.rows:
        sets = json.loads(Path(args.rows).read_text())
    else:
        os.environ["CAREBASE_SEMANTIC"] = "0"
        if args.verbatim:
            sets = verbatim_rows()
        elif args.confirm:
            sets = {"half-B": half_rows("B", args.limit), "harness-de": german_harness_rows()}
        else:
            sets = demo_rows(args.limit)
            sets["half-A"] = half_rows("A", args.limit)
        if args.out:
            Path(args.out).write_text(json.dumps(sets))
    scored = table(sets, candidates())
    if args.json:
        print(json.dumps(scored, indent=1))
        return 0
    names = list(sets)
    print("| rule | " + " | ".join(f"{n}: right / wrong / none, mean" for n in names) + " | sum |")
    print("| --- | " + " | ".join("---" for _ in names) + " | ---: |")
    for rule, t in scored.items():
        cells = [f"{t['sets'][n]['right']} / {t['sets'][n]['wrong']} / {t['sets'][n]['none']}, {t['sets'][n]['score']:.4f}"
                 for n in names]
        print(f"| {rule} | " + " | ".join(cells) + f" | {t['sum']:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
