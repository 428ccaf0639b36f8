"""The Ask box's four mechanisms of session 45 (`ask`), scored on rows (declared in RESULTS
"Session 45 (`ask`)" before this script's first run):

* **U**: by meaning, no card when a question word the top item does not hold carries ≥ h of the
  question's information (U-any; U-unknown: only a word no record holds);
* **P**: the article's passage chosen without the words its title holds (``ask_passages.yml``);
* **H**: an FAQ and the article its answer links to (H-link; H-related: or its ``related``) are
  one answer for the lead rule, by words;
* **S**: a German separated verb read joined for the box's evidence, by words.

    python benchmarks/search/ask_hinges.py --out words.json              # by words: demo en/de, separable demo, half A, verbatim
    python benchmarks/search/ask_hinges.py --meaning --out meaning.json  # by meaning: demo en, half A
    python benchmarks/search/ask_hinges.py --rows words.json --rows meaning.json   # score every rule
    python benchmarks/search/ask_hinges.py --confirm --out b.json        # half B (both ways), the German harness, separable harness
    python benchmarks/search/ask_hinges.py --confirm --meaning --out bm.json

Every question is answered once as the service answers it (threshold 0, so each row keeps the top
item's evidence whatever the shipped rule says), with ``ask_near_miss.evidence``'s row plus: the
distinct items search ranked with their scores (``hits``), the top item's pairs (``pair_link``,
``pair_related``), the heaviest unheld word's share (``hinge_any``, ``hinge_unknown``), the clauses
with a German separated verb joined (``sep``: same form as ``clauses``, or null when nothing is
joined) and the top item's cited passage now and under P (``passage``, ``passage_p``). Score:
right +1, wrong −2, none 0; each set's mean; the sets' means summed.
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

from ask_near_miss import score  # noqa: E402  (right +1, wrong −2, none 0: a set's mean)

HERE = Path(__file__).resolve().parent
EMBEDDING = 0.4277  # confidence.THRESHOLD["embedding"]


def answer_pairs(catalogue, *, related: bool = False) -> dict[str, frozenset]:
    """Item id → the items it points to one answer with: an FAQ question whose answer links to
    an article, and that article (``related``: also an FAQ whose ``related`` names it)."""
    import posixpath

    from carebase.content.links import classify, markdown_links

    by_path = {}
    for article in catalogue.articles:
        by_path[article.path] = article.id
        suffix = f".{article.lang}.md" if article.lang else ""
        if suffix and article.path.endswith(suffix):  # a translation: linked by its source's path
            by_path[article.path[: -len(suffix)] + ".md"] = article.id
    ids = {a.id for a in catalogue.articles}
    out: dict[str, set] = {}
    for group in catalogue.faqs:
        for q in group.questions:
            linked = set()
            for _, target in markdown_links(q.answer, 1):
                found = classify(target, posixpath.dirname(group.path), group.path)
                if found is None:
                    continue
                kind, where, _ = found
                linked.add(where if kind == "id" else by_path.get(posixpath.normpath(where)))
            if related:
                linked.update(r for r in q.related if r in ids)
            for article_id in linked & ids:
                out.setdefault(q.id, set()).add(article_id)
                out.setdefault(article_id, set()).add(q.id)
    return {k: frozenset(v) for k, v in out.items()}



def joined_clauses(text: str, clauses: list, analyser, *, keep_verb: bool = False) -> list:
    """S2 (``keep_verb``): the box's clauses as shipped (``carebase.assist.separable``: the prefix's
    clause dropped, the joined verb an alternative of the verb's); S: the joined verb the verb
    clause's only alternative (not shipped); the clauses themselves when nothing is joined."""
    from dataclasses import replace

    from carebase.assist import separable

    out = separable.joined_clauses(text, clauses, analyser)
    if keep_verb or out is clauses:
        return out
    joined = {tuple(analyser.terms(prefix + verb)) for verb, prefix in separable.separated(text, analyser)}
    return [replace(c, alternatives={a: w for a, w in c.alternatives.items() if a in joined})
            if joined & set(c.alternatives) else c for c in out]


def closest_passage(answerer, hit, text: str) -> str | None:
    """P3 (not shipped): by meaning, the heading of the item's passage closest in meaning to the
    question (each passage's heading and text embedded as a passage); the word match's by words,
    or for a video chapter search found."""
    import numpy as np

    from carebase.search import meaning

    found = answerer._passages(hit.id)
    if getattr(answerer.searcher, "semantic", None) is None or len(found) < 2 or "#t=" in hit.key:
        p = answerer._best(hit, answerer._clauses(text))
        return None if p is None else p.heading
    vectors = meaning.embed_passages([f"{p.heading}\n{p.text}" if p.heading else p.text for p, _, _ in found])
    return found[int(np.argmax(vectors @ meaning.embed_query(text)))][0].heading


_PAIRS: dict = {}


def pair(answerer, item_id: str, kind: str) -> frozenset:
    """H: the item and the items it points to one answer with ("link" / "related")."""
    key = (id(answerer.catalogue), kind)
    if key not in _PAIRS:
        _PAIRS[key] = answer_pairs(answerer.catalogue, related=kind == "related")
    return _PAIRS[key].get(item_id, frozenset()) | {item_id}


def row(answerer, text: str, accept: list[str]) -> dict:
    """``ask_near_miss.evidence``'s row and what the four mechanisms read."""
    import ask_near_miss

    from carebase.assist import separable
    from carebase.assist.answer import _alternatives, _distinct
    from carebase.assist.confidence import hinge, idf
    from carebase.learned.ranking import search

    r = ask_near_miss.evidence(answerer, text, accept)
    sure = answerer.answer(text).sure
    r["hinged"] = bool(sure is not None and not sure.answered and "which the question hinges on" in sure.why)
    results = search(answerer.searcher, None, text, limit=5, snippets=False)
    hits = _distinct(results.hits)
    r["hits"] = [[h.id, round(float(h.score), 4)] for h in hits]
    r.update(pair_link=[], pair_related=[], hinge_any=0.0, hinge_unknown=0.0, sep=None, sep2=None, passage=None,
             passage_p=None)
    top = r["top"]
    found = results.clauses or answerer.searcher.build_query(text)[1]
    if top is None or not hits:
        return r
    clauses = _alternatives(separable.joined_clauses(text, found, answerer.analyser) if answerer.analyser else found)
    stems = answerer._item_stems(top)
    r["pair_link"] = sorted(pair(answerer, top, "link") - {top})
    r["pair_related"] = sorted(pair(answerer, top, "related") - {top})
    r["hinge_any"] = round(hinge(answerer.searcher, clauses, stems, unknown=False)[0], 4)
    r["hinge_unknown"] = round(hinge(answerer.searcher, clauses, stems, unknown=True)[0], 4)
    for key, keep in (("sep", False), ("sep2", True)):
        joined = joined_clauses(text, found, answerer.analyser, keep_verb=keep) if answerer.analyser else found
        if joined is not found:
            head = answerer._head_stems(top)
            r[key] = []
            for alternatives in _alternatives(joined):
                best = max(alternatives.items(), key=lambda kv: kv[1])[0]
                r[key].append({"w": "+".join(best), "idf": round(idf(answerer.searcher, best), 4),
                               "t": round(max((w for a, w in alternatives.items() if set(a) <= stems), default=0.0), 4),
                               "th": round(max((w for a, w in alternatives.items() if set(a) <= head), default=0.0), 4)})
    hit = next(h for h in hits if h.id == top)
    title = frozenset(answerer._stems(answerer.catalogue.get(top).title))
    untitled = [alts for alts in clauses if not any(set(alt) <= title for alt in alts)]  # P
    for key, these in (("passage", clauses), ("passage_p", untitled)):
        p = answerer._best(hit, these)
        r[key] = None if p is None else p.heading
    r["passage_p3"] = closest_passage(answerer, hit, results.suggestion or text)
    return r


def demo(lexical: bool) -> dict[str, list[dict]]:
    import ask_demo

    from carebase.assist.answer import Answerer

    questions = yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))
    found, _tmps = ask_demo.answerers(lexical=lexical)
    out = {}
    langs = ("en", "de") if lexical else ("en",)
    for lang in langs:
        answerer = Answerer(found[lang][0].searcher, found[lang][0].catalogue, threshold=0.0)
        out[f"demo-{lang}"] = [row(answerer, q["q"], list(q["accept"])) for q in questions[lang]]
        if lang == "en":  # P's questions, with their labels
            labelled = yaml.safe_load((HERE / "ask_passages.yml").read_text(encoding="utf-8"))
            out["passages-en"] = [dict(row(answerer, q["q"], [k for k in q if k != "q"]), labels=q) for q in labelled]
            confirm = yaml.safe_load((HERE / "ask_passages_confirm.yml").read_text(encoding="utf-8"))
            out["passages-confirm"] = [dict(row(answerer, q["q"], [k for k in q if k != "q"]), labels=q)
                                       for q in confirm]
        if lang == "de":
            sep = yaml.safe_load((HERE / "separable_de.yml").read_text(encoding="utf-8"))["demo"]
            out["separable-demo"] = [row(answerer, q["q"], list(q["accept"])) for q in sep]
    if lexical:
        for lang in ("en", "de"):
            answerer = Answerer(found[lang][0].searcher, found[lang][0].catalogue, threshold=0.0)
            faqs = [q for group in answerer.catalogue.faqs for q in group.questions]
            out[f"faq-verbatim-{lang}"] = [row(answerer, q.question, [q.id]) for q in faqs]
    return out


def german_harness() -> dict[str, list[dict]]:
    import harness
    from relevance_languages import german_queries

    from carebase.assist.answer import Answerer
    from carebase.content.languages import Languages
    from carebase.content.translations import load_languages
    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    ml = load_languages(harness.HELPCENTRE, Languages(("en", "de"))).published()
    english, german = ml.catalogues["en"], ml.catalogues["de"]
    sep = yaml.safe_load((HERE / "separable_de.yml").read_text(encoding="utf-8"))["harness"]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(german, Path(tmp), source=english)
        answerer = Answerer(Searcher(open_index(Path(tmp)), german), german, threshold=0.0)
        return {"harness-de": [row(answerer, q.text, [q.target]) for q in german_queries()],
                "separable-harness": [row(answerer, q["q"], list(q["accept"])) for q in sep]}


# -- rules: a row → give a card? ------------------------------------------------------------------
def _info(clauses: list[dict], key: str) -> float:
    total = sum(c["idf"] for c in clauses)
    return sum(c["idf"] * c.get(key, 0.0) for c in clauses) / total if total > 0 else 0.0


def by_words(r: dict, *, pair: str | None = None, joined: str = "") -> bool:
    """The shipped rule by words (coverage ≥ 0.3, *about*, ``LEAD`` unless the head holds all),
    with H's pair (``pair``: "link" / "related") and S's or S2's clauses (``joined``: "sep" / "sep2")."""
    clauses = r[joined] if joined and r.get(joined) is not None else r["clauses"]
    if r["top"] is None or not clauses:
        return False
    if _info(clauses, "t") < 0.3 - 1e-9 or not any(c["th"] > 0 for c in clauses):
        return False
    one = {r["top"], *(r.get(f"pair_{pair}", []) if pair else ())}
    top = r["hits"][0][1] if r.get("hits") else 0.0
    nxt = next((s for i, s in r.get("hits", []) if i not in one), None)
    share = 0.0 if nxt is None else (nxt / top if top > 0 else 1.0)
    return share <= 0.8 + 1e-9 or _info(clauses, "th") >= 0.999


def by_meaning(r: dict, hinge: tuple[str, float] | None = None) -> bool:
    """The rule by meaning before session 45 (cosine ≥ 0.4277 and its second signal), with U
    (rows captured with U on are read without it: ``hinged`` marks a card U withheld)."""
    given = (r["answered"] or r.get("hinged", False)) and r["top"] is not None and r["conf"] >= EMBEDDING
    if given and hinge is not None:
        given = r[f"hinge_{hinge[0]}"] < hinge[1] - 1e-9
    return given


def passages_right(rows: list[dict], key: str) -> list[bool]:
    """Per labelled question: whether the first citation is a labelled article at a labelled passage."""
    return [r["top"] in r["labels"] and r[key] in r["labels"][r["top"]] for r in rows]


def table(sets: dict, rules: dict) -> None:
    names = list(sets)
    print("| rule | " + " | ".join(f"{n} ({len(sets[n])}): right / wrong / none, mean" for n in names) + " | sum |")
    print("| --- | " + " | ".join("---" for _ in names) + " | ---: |")
    for name, rule in rules.items():
        per = [score(sets[n], rule) for n in names]
        cells = [f"{p['right']} / {p['wrong']} / {p['none']}, {p['score']:.4f}" for p in per]
        print(f"| {name} | " + " | ".join(cells) + f" | {sum(p['score'] for p in per):.4f} |")


def report(sets: dict) -> None:
    words = {k: v for k, v in sets.items() if k.startswith("words:")}
    meaning = {k: v for k, v in sets.items() if k.startswith("meaning:")}
    dev_words = {k: words[k] for k in ("words:demo-en", "words:demo-de", "words:half-A") if k in words}
    if dev_words:
        print("\nH (by words; declared sets):")
        table(dev_words, {"this checkout (the code's answers)": lambda r: r["answered"] and r["top"] is not None
                          and r["conf"] >= 0.3, "shipped": by_words, "H-link": lambda r: by_words(r, pair="link"),
                          "H-related": lambda r: by_words(r, pair="related")})
        verbatim = {k: words[k] for k in ("words:faq-verbatim-en", "words:faq-verbatim-de") if k in words}
        if verbatim:
            table(verbatim, {"shipped": by_words, "H-link": lambda r: by_words(r, pair="link"),
                             "H-related": lambda r: by_words(r, pair="related")})
    w_sets = dev_words or {k: words[k] for k in ("words:half-B", "words:harness-de", "words:separable-harness")
                           if k in words}
    if w_sets:
        print("\nW (by words, on top of the shipped rule with S2; not shipped):")
        rules = {"this checkout (the code's answers)": lambda r: r["answered"] and r["top"] is not None
                 and r["conf"] >= 0.3, "shipped (S2)": lambda r: by_words(r, joined="sep2")}
        for h in (0.3, 0.4, 0.5, 0.6, 0.7):
            rules[f"W h={h}"] = lambda r, h=h: by_words(r, joined="sep2") and r["hinge_any"] < h - 1e-9
        table(w_sets, rules)
    sep = {k: words[k] for k in ("words:demo-de", "words:separable-demo") if k in words}
    if sep:
        print("\nS (by words; declared sets):")
        table(sep, {"this checkout (the code's answers)": lambda r: r["answered"] and r["top"] is not None
                    and r["conf"] >= 0.3, "before (31da265)": by_words, "S": lambda r: by_words(r, joined="sep"),
                    "S2": lambda r: by_words(r, joined="sep2")})
        en = words.get("words:demo-en", [])
        print(f"English rows with a joined verb: {sum(1 for r in en if r.get('sep') is not None)} of {len(en)}")
    confirm = {k: words[k] for k in ("words:half-B", "words:harness-de", "words:separable-harness") if k in words}
    if confirm:
        print("\nConfirmation by words:")
        table(confirm, {"shipped": by_words, "H-link": lambda r: by_words(r, pair="link"),
                        "H-related": lambda r: by_words(r, pair="related"), "S": lambda r: by_words(r, joined="sep"),
                        "S2": lambda r: by_words(r, joined="sep2")})
    dev_meaning = {k: v for k, v in meaning.items() if ":passages-" not in k}
    if dev_meaning:
        print("\nU (by meaning; declared sets, or half B to confirm):")
        rules = {"this checkout (the code's answers)": lambda r: r["answered"] and r["top"] is not None
                 and r["conf"] >= EMBEDDING, "shipped (before session 45)": by_meaning}
        for kind in ("any", "unknown"):
            for h in (0.3, 0.4, 0.5, 0.6, 0.7):
                rules[f"U-{kind} h={h}"] = lambda r, kind=kind, h=h: by_meaning(r, (kind, h))
        table(dev_meaning, rules)
    for mode, group in (("words", words), ("meaning", meaning)):
        for name in ("passages-en", "passages-confirm"):
            rows = group.get(f"{mode}:{name}")
            for key, rule in (("passage_p", "P"), ("passage_p3", "P3")):
                if not rows or key not in rows[0]:
                    continue
                now, p = passages_right(rows, "passage"), passages_right(rows, key)
                lost = [r["q"] for r, a, b in zip(rows, now, p) if a and not b]
                print(f"\n{rule} by {mode}, {name}: labelled passages cited {sum(now)} → {sum(p)} of {len(rows)}; lost: {lost}")
                for r, a, b in zip(rows, now, p):
                    if r["passage"] != r[key]:
                        print(f"  {r['q']!r} [{r['top']}]: {r['passage']!r} ({'ok' if a else 'no'}) → {r[key]!r} ({'ok' if b else 'no'})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meaning", action="store_true", help="by meaning (the default English install); else by words")
    ap.add_argument("--confirm", action="store_true", help="the confirmation sets (never tuned on)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N half questions (a quick look)")
    ap.add_argument("--no-half", action="store_true", help="leave BANKING77's half out (the German rules' sets)")
    ap.add_argument("--out", help="write the rows here (JSON)")
    ap.add_argument("--rows", action="append", help="score the rows an --out run wrote (repeatable)")
    args = ap.parse_args(argv)
    if args.rows:
        sets = {}
        for path in args.rows:
            sets.update(json.loads(Path(path).read_text()))
        report(sets)
        return 0
    if not args.meaning:
        os.environ["CAREBASE_SEMANTIC"] = "0"
    import ask_threshold

    mode = "meaning" if args.meaning else "words"
    if args.confirm:
        sets = {} if args.no_half else {"half-B": ask_threshold.half_rows("B", args.limit, row, meaning=args.meaning)}
        if not args.meaning:
            sets.update(german_harness())
    else:
        sets = demo(lexical=not args.meaning)
        if not args.no_half:
            sets["half-A"] = ask_threshold.half_rows("A", args.limit, row, meaning=args.meaning)
    sets = {f"{mode}:{k}": v for k, v in sets.items()}
    if args.out:
        Path(args.out).write_text(json.dumps(sets))
    report(sets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
