"""The Ask box's hinge words by how common a word is in the language (session 46, `ask`; declared
in RESULTS "Session 46 (`ask`)" before this script's first run with the rule).

Session 45's U refuses a card by meaning when one question word the top item does not hold carries
≥ h of the question's information (idf in the index): "how much is lumo plus" lost its right card
on *much*, a word rare in a help centre and everywhere in English. The rules here let only a word
that is also rare in the language be a hinge:

* **U2** (by meaning): U, but a word whose Zipf frequency in the question's language is ≥ Z (as
  typed, or its correction when search corrected it: the higher) is never the hinge (it still
  weighs in the question's information). Frequency source ``wf`` (wordfreq's "best" list) or
  ``sc`` (pyspellchecker's list, already a dependency); and ``ord``: the analyser's own everyday
  words (``Analyser.is_ordinary``, no Z).
* **W2** (by words): the same on top of the shipped rule by words (session 45's W with U2's gate).
* **U3** (by meaning, declared after U2's rows): an unheld word is no hinge when the question is closer in
  meaning to the top item with it than without it by more than delta (``cw``: the cosine without it).

    python benchmarks/search/ask_everyday.py --meaning --out m.json   # by meaning: demo en, half A, everyday en
    python benchmarks/search/ask_everyday.py --out w.json             # by words: demo en/de, half A, everyday en/de
    python benchmarks/search/ask_everyday.py --confirm --out c.json   # by words: the German harness, separable
    python benchmarks/search/ask_everyday.py --meaning --half B --out b.json   # U4's confirmation: half B
    python benchmarks/search/ask_everyday.py --rows m.json --rows w.json   # score every rule
    python benchmarks/search/ask_everyday.py --latency 9               # the shipped check's cost per question

Capturing rows needs wordfreq 3.1.1 (U2's frequency source; not a dependency of carebase: U2 was a
no-go): ``pip install wordfreq==3.1.1``. Scoring ``--rows`` and ``--latency`` do not.

Every question is answered once as the service answers it (threshold 0: each row keeps the top
item's evidence whatever the shipped rule says); each clause of the question (as the box reads it:
German separated verbs joined) keeps its word as typed, its correction, its idf in the index,
whether the top item (``t``) and its head (``th``) hold it, and its Zipf frequency by both sources.
Score: right +1, wrong −2, none 0; each set's mean; the sets' means summed.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ask_near_miss import score  # noqa: E402  (right +1, wrong −2, none 0: a set's mean)

HERE = Path(__file__).resolve().parent
EMBEDDING = 0.4277  # confidence.THRESHOLD["embedding"]
ZS = (3.5, 4.0, 4.5, 5.0)
HS = (0.3, 0.4, 0.5)
DEV_MEANING = ("meaning:demo-en", "meaning:half-A")
DEV_WORDS = ("words:demo-en", "words:demo-de", "words:half-A")
CONFIRM_MEANING = ("meaning:everyday-en",)
CONFIRM_WORDS = ("words:everyday-en", "words:everyday-de", "words:harness-de", "words:separable-harness")


@functools.lru_cache(maxsize=None)
def _spell(lang: str):
    from spellchecker import SpellChecker

    freq = SpellChecker(language=lang, distance=1).word_frequency
    return freq, float(freq.total_words)


def zipf_sc(word: str, lang: str) -> float:
    """pyspellchecker's count of ``word`` as a Zipf value (log10 of uses per 10^9 words; 0 unseen)."""
    freq, total = _spell(lang)
    n = freq[word]
    return round(math.log10(n / total * 1e9), 3) if n else 0.0


def zipf_wf(word: str, lang: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # U2's source only (not shipped, not a dependency of carebase)
        raise SystemExit("ask_everyday.py captures rows with wordfreq's frequencies (U2): pip install wordfreq==3.1.1")

    return float(zipf_frequency(word, lang))


def row(answerer, text: str, accept: list[str], lang: str) -> dict:
    from carebase.assist import separable
    from carebase.assist.answer import _distinct
    from carebase.assist.confidence import idf
    from carebase.learned.ranking import search

    a = answerer.answer(text)
    cited = a.citations or a.related
    r = {"q": text, "accept": accept, "lang": lang, "top": cited[0].id if cited else None,
         "answered": bool(a.answered), "conf": float(a.confidence),
         "hinged": bool(a.sure is not None and not a.answered and "which the question hinges on" in a.sure.why),
         "clauses": [], "hits": []}
    results = search(answerer.searcher, None, text, limit=5, snippets=False)
    hits = _distinct(results.hits)
    r["hits"] = [[h.id, round(float(h.score), 4)] for h in hits]
    if r["top"] is None or not hits:
        return r
    found = results.clauses or answerer.searcher.build_query(text)[1]
    if answerer.analyser is not None:
        found = separable.joined_clauses(text, found, answerer.analyser)
    stems, head = answerer._item_stems(r["top"]), answerer._head_stems(r["top"])
    ordinary = answerer.analyser.ordinary_words() if answerer.analyser is not None else None
    for c in found:
        if not c.alternatives:
            continue
        alts = c.alternatives
        best = max(alts.items(), key=lambda kv: kv[1])[0]
        typed = [w for w in (c.word, c.corrected) if w]
        r["clauses"].append({
            "w": c.word, "c": c.corrected, "idf": round(idf(answerer.searcher, best), 4),
            "t": round(max((w for alt, w in alts.items() if set(alt) <= stems), default=0.0), 4),
            "th": round(max((w for alt, w in alts.items() if set(alt) <= head), default=0.0), 4),
            "wf": max(zipf_wf(w, lang) for w in typed), "sc": max(zipf_sc(w, lang) for w in typed),
            "ord": bool(ordinary is not None and any(w in ordinary for w in typed))})
        if r["clauses"][-1]["t"] <= 0:  # U3: the cosine to the top item without this word
            r["clauses"][-1]["cw"] = without_cosine(answerer, results.suggestion or text, c.word, r["top"], hits)
    return r


def without_cosine(answerer, text: str, word: str, top: str, hits) -> float | None:
    """U3: the cosine of ``text`` without the tokens whose folded form is ``word`` to the top item
    (None without meaning, or when no token is dropped or nothing is left)."""
    from carebase.assist.confidence import cosine, without

    reduced = without(answerer.analyser, text, word)
    if reduced is None:
        return None
    hit = next(h for h in hits if h.id == top)
    found = cosine(answerer.searcher, reduced, hit)
    return None if found is None else round(found, 5)


# -- rules: a row → give a card? ------------------------------------------------------------------
def _info(clauses: list[dict], key: str) -> float:
    total = sum(c["idf"] for c in clauses)
    return sum(c["idf"] * c.get(key, 0.0) for c in clauses) / total if total > 0 else 0.0


def hinge(r: dict, gate=None) -> float:
    """The largest share of the question's information one unheld word carries (any alternative
    held counts as held), among the words ``gate`` lets be a hinge (None: every word)."""
    total = sum(c["idf"] for c in r["clauses"])
    if total <= 0:
        return 0.0
    return max((c["idf"] / total for c in r["clauses"] if c["t"] <= 0 and (gate is None or gate(c))), default=0.0)


def gate_of(source: str, z: float | None):
    """Which clauses may be a hinge: rare in the language (Zipf < z by ``source``; ``ord``: not an
    everyday word of the analyser)."""
    if source == "ord":
        return lambda c: not c["ord"]
    return lambda c: c[source] < z


def by_meaning(r: dict, h: float | None = None, gate=None) -> bool:
    """The rule by meaning before session 45 (cosine ≥ 0.4277, its second signal), with U (h) gated."""
    given = (r["answered"] or r["hinged"]) and r["top"] is not None and r["conf"] >= EMBEDDING
    return given and (h is None or hinge(r, gate) < h - 1e-9)


def by_words(r: dict, h: float | None = None, gate=None) -> bool:
    """The shipped rule by words (coverage ≥ 0.3, *about*, ``LEAD`` unless the head holds all; the
    box's clauses, S2's German joins included), with W (h) gated."""
    clauses = r["clauses"]
    if r["top"] is None or not clauses:
        return False
    if _info(clauses, "t") < 0.3 - 1e-9 or not any(c["th"] > 0 for c in clauses):
        return False
    top = r["hits"][0][1] if r["hits"] else 0.0
    nxt = next((s for i, s in r["hits"] if i != r["top"]), None)
    share = 0.0 if nxt is None else (nxt / top if top > 0 else 1.0)
    if not (share <= 0.8 + 1e-9 or _info(clauses, "th") >= 0.999):
        return False
    return h is None or hinge(r, gate) < h - 1e-9


def rules(base, shipped_h: float | None) -> dict:
    out = {"shipped": lambda r: base(r, shipped_h)}
    for h in HS:
        out[f"ord h={h}"] = lambda r, h=h: base(r, h, gate_of("ord", None))
        for source in ("wf", "sc"):
            for z in ZS:
                out[f"{source} Z={z} h={h}"] = lambda r, s=source, z=z, h=h: base(r, h, gate_of(s, z))
    return out


def table(sets: dict, found: dict) -> dict:
    names = list(sets)
    print("| rule | " + " | ".join(f"{n} ({len(sets[n])})" for n in names) + " | sum |")
    print("| --- | " + " | ".join("---" for _ in names) + " | ---: |")
    sums = {}
    for name, rule in found.items():
        per = [score(sets[n], rule) for n in names]
        sums[name] = (sum(p["score"] for p in per), [p["score"] for p in per])
        cells = [f"{p['right']} / {p['wrong']} / {p['none']}, {p['score']:.3f}" for p in per]
        print(f"| {name} | " + " | ".join(cells) + f" | {sums[name][0]:.3f} |")
    return sums


def decide(label: str, sums: dict) -> str | None:
    """The declared choice: the best sum (ties: ``ord`` first, then ``sc``, then the lower Z and h);
    go when it beats the shipped rule's sum with no set's mean lower by more than 0.05."""
    order = {"ord": 0, "sc": 1, "wf": 2}
    best = max((n for n in sums if n != "shipped"),
               key=lambda n: (round(sums[n][0], 6), -order[n.split()[0]], [-float(p.split("=")[1]) for p in n.split()[1:]]))
    ship, (total, per) = sums["shipped"], sums[best]
    go = total > ship[0] + 1e-9 and all(a >= b - 0.05 - 1e-9 for a, b in zip(per, ship[1]))
    print(f"\n{label}: best {best!r} {total:.3f} against shipped {ship[0]:.3f}: {'GO' if go else 'NO-GO'}")
    return best if go else None


DELTAS = (0.0, 0.02, 0.05)
U4 = ((0.08, 0.1, 0.15, 0.2), (0.4, 0.5))  # declared after U3's rows
CONFIRM_U4 = ("meaning:everyday-en", "meaning:half-B")


def answered_in_meaning(r: dict, delta: float):
    """U3's gate: a word may be the hinge unless the question is closer in meaning to the top item
    with it than without it by more than ``delta`` (``cw``: the cosine without it)."""
    return lambda c: not (c.get("cw") is not None and r["conf"] - c["cw"] > delta + 1e-9)


def u3_rules(deltas=DELTAS, hs=HS, name="U3") -> dict:
    out = {"shipped": lambda r: by_meaning(r, 0.4)}
    for delta in sorted(deltas, reverse=True):  # ties: the larger delta, then the lower h (first listed wins)
        for h in hs:
            out[f"{name} d={delta} h={h}"] = lambda r, d=delta, h=h: by_meaning(r, h, answered_in_meaning(r, d))
    return out


def report_u3(sets: dict, name: str = "U3") -> None:
    dev = {k: sets[k] for k in DEV_MEANING if k in sets}
    if not dev or not any("cw" in c for rows in dev.values() for r in rows for c in r["clauses"]):
        return
    found = u3_rules(*U4, name="U4") if name == "U4" else u3_rules()
    print(f"\n## {name} (by meaning): development sets")
    sums = table(dev, found)
    ship = sums["shipped"]
    best = max((n for n in sums if n != "shipped"), key=lambda n: round(sums[n][0], 6))  # first of the best wins
    total, per = sums[best]
    go = len(dev) == len(DEV_MEANING) and total > ship[0] + 1e-9 and all(
        a >= b - 0.05 - 1e-9 for a, b in zip(per, ship[1]))
    print(f"\n{name}: best {best!r} {total:.3f} against shipped {ship[0]:.3f}: {'GO' if go else 'NO-GO'}")
    conf = {k: sets[k] for k in (CONFIRM_U4 if name == "U4" else CONFIRM_MEANING) if k in sets}
    if conf:
        print(f"\n## {name}: confirmation (reported whatever it gives)")
        pick = {"shipped": found["shipped"], best: found[best]}
        table(conf, pick)
        for k, rows in {**conf, **dev}.items():
            if k in ("meaning:half-A", "meaning:half-B"):
                continue
            for r in rows:
                a, b = pick["shipped"](r), pick[best](r)
                if a != b:
                    ok = "right" if r["top"] in r["accept"] else "wrong"
                    print(f"  {k}: {r['q']!r} → {r['top']} ({ok}): {'card' if b else 'none'} (was {'card' if a else 'none'})")


def report(sets: dict) -> None:
    report_u3(sets)
    report_u3(sets, "U4")
    code = {"by meaning": lambda r: r["answered"] and r["top"] is not None and r["conf"] >= EMBEDDING,
            "by words": lambda r: r["answered"] and r["top"] is not None and r["conf"] >= 0.3}
    for label, keys, confirm, base, shipped_h in (("U2 (by meaning)", DEV_MEANING, CONFIRM_MEANING, by_meaning, 0.4),
                                                  ("W2 (by words)", DEV_WORDS, CONFIRM_WORDS, by_words, None)):
        dev = {k: sets[k] for k in keys if k in sets}
        found = rules(base, shipped_h)
        chosen = None
        if dev:
            print(f"\n## {label}: development sets")
            kind = code[label.split("(")[1].rstrip(")")]
            table(dev, {"this checkout (the code's answers)": kind})
            chosen = decide(label, table(dev, found)) if len(dev) == len(keys) else None
        conf = {k: sets[k] for k in confirm if k in sets}
        if conf:
            print(f"\n## {label}: confirmation (reported whatever it gives)")
            pick = {"shipped": found["shipped"]}
            if chosen:
                pick[chosen] = found[chosen]
            else:
                pick.update({n: found[n] for n in found if n.startswith(("wf Z=4.5 h=0.4", "sc Z=4.5 h=0.4", "ord h=0.4"))})
            table(conf, pick)
            for n, rule in pick.items():
                if n == "shipped":
                    continue
                for k, rows in conf.items():
                    for r in rows:
                        a, b = found["shipped"](r), rule(r)
                        if a != b:
                            ok = "right" if r["top"] in r["accept"] else "wrong"
                            print(f"  {n} {k}: {r['q']!r} → {r['top']} ({ok}): {'card' if b else 'none'} (was {'card' if a else 'none'})")


# -- the sets ---------------------------------------------------------------------------------------
def demo(lexical: bool) -> dict[str, list[dict]]:
    import ask_demo

    from carebase.assist.answer import Answerer

    questions = yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))
    everyday = yaml.safe_load((HERE / "ask_everyday.yml").read_text(encoding="utf-8"))
    found, _tmps = ask_demo.answerers(lexical=lexical)
    out = {}
    for lang in ("en", "de") if lexical else ("en",):
        answerer = Answerer(found[lang][0].searcher, found[lang][0].catalogue, threshold=0.0)
        out[f"demo-{lang}"] = [row(answerer, q["q"], list(q["accept"]), lang) for q in questions[lang]]
        out[f"everyday-{lang}"] = [row(answerer, q["q"], list(q["accept"]), lang) for q in everyday[lang]]
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
        return {"harness-de": [row(answerer, q.text, [q.target], "de") for q in german_queries()],
                "separable-harness": [row(answerer, q["q"], list(q["accept"]), "de") for q in sep]}


def latency(rounds: int) -> None:
    """Per-question time of ``Answerer.answer`` by meaning with the shipped ``ANSWERED_IN_MEANING``
    against None (every unheld word can be the hinge), each question under both in turn (the order
    alternating) in one process, the query-vector cache emptied before every answer (a customer's question, and so
    the question without its word, is new): medians, 90th percentiles and their ratios, for every
    question and for those whose check ran (a card U would refuse)."""
    import statistics
    import time

    import ask_demo

    from carebase.assist import confidence
    from carebase.search import meaning

    found, _tmps = ask_demo.answerers(lexical=False)
    answerer = found["en"][0]
    questions = [q["q"] for q in yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))["en"]]
    questions += [q["q"] for q in yaml.safe_load((HERE / "ask_everyday.yml").read_text(encoding="utf-8"))["en"]]
    shipped = confidence.ANSWERED_IN_MEANING
    confidence.ANSWERED_IN_MEANING = None
    checked = {q for q in questions if "hinges on" in (answerer.answer(q).why or "")}  # U refuses: the check runs
    for q in questions:  # warm the item vectors, passages and the model
        answerer.answer(q)
    times: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for n in range(rounds):
        for k, q in enumerate(questions):  # each question under both rules in turn, the order alternating
            for arm in (("before", "after") if (n + k) % 2 == 0 else ("after", "before")):
                confidence.ANSWERED_IN_MEANING = None if arm == "before" else shipped
                with meaning._lock:
                    meaning._query_cache.clear()
                t = time.perf_counter()
                answerer.answer(q)
                times[arm].setdefault(q, []).append(time.perf_counter() - t)
    confidence.ANSWERED_IN_MEANING = shipped
    print(f"{len(questions)} questions ({len(checked)} with a hinge U would refuse on), {rounds} rounds, alternating")
    for label, qs in (("every question", questions), ("a hinge checked", sorted(checked))):
        if not qs:
            continue
        per = {arm: [statistics.median(times[arm][q]) for q in qs] for arm in times}
        b, a = statistics.median(per["before"]), statistics.median(per["after"])
        b90, a90 = (sorted(v)[int(0.9 * (len(v) - 1))] for v in (per["before"], per["after"]))
        print(f"  {label} ({len(qs)}): median {b * 1000:.1f} → {a * 1000:.1f} ms ({a / b:.2f}), "
              f"p90 {b90 * 1000:.1f} → {a90 * 1000:.1f} ms ({a90 / b90:.2f})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meaning", action="store_true", help="by meaning (the default English install); else by words")
    ap.add_argument("--confirm", action="store_true", help="by words: the German harness and separable questions")
    ap.add_argument("--no-half", action="store_true", help="leave BANKING77's half A out")
    ap.add_argument("--half", choices=("A", "B"), help="only BANKING77's half A or B (U4's confirmation: B)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N half questions (a quick look)")
    ap.add_argument("--out", help="write the rows here (JSON)")
    ap.add_argument("--rows", action="append", help="score the rows an --out run wrote (repeatable)")
    ap.add_argument("--latency", type=int, default=0, metavar="ROUNDS",
                    help="time the shipped ANSWERED_IN_MEANING against None (alternating), by meaning")
    args = ap.parse_args(argv)
    if args.latency:
        latency(args.latency)
        return 0
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
    if args.half:
        sets = {f"half-{args.half}": ask_threshold.half_rows(args.half, args.limit, lambda a, t, acc: row(a, t, acc, "en"),
                                                            meaning=args.meaning)}
    elif args.confirm:
        sets = german_harness()
    else:
        sets = demo(lexical=not args.meaning)
        if not args.no_half:
            sets["half-A"] = ask_threshold.half_rows("A", args.limit, lambda a, t, acc: row(a, t, acc, "en"),
                                                     meaning=args.meaning)
    sets = {f"{mode}:{k}": v for k, v in sets.items()}
    if args.out:
        Path(args.out).write_text(json.dumps(sets))
    report(sets)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
