"""German separable verbs read joined in search (and so in the Ask box): the rule declared in
RESULTS "Session 47 (`lang`)" before this script's first run, against the shipped code.

    python benchmarks/search/separable_search.py [--verbose]                 # development: R and R-drop
    python benchmarks/search/separable_search.py --confirm --rule R [--verbose]  # R's confirmation, once
    python benchmarks/search/separable_search.py --sets seen --rule R2       # R2 on every seen set
    python benchmarks/search/separable_search.py --sets confirm2 --rule R2   # R2's confirmation, once
    python benchmarks/search/separable_search.py --sets seen3 --rule R3      # R3 on every seen set (C3 too)
    python benchmarks/search/separable_search.py --sets confirm3 --rule R3   # R3's confirmation, once

``carebase.search.analysis.SEPARATED`` is set for each run: None reads word by word (the code before
session 47), R3 is what ships (``analysis._join_separated``). The trial's other rules — R (the verb's
clause gains the joined verb's stems, the prefix's own clause dropped where the index holds the joined
verb), R-drop (always dropped) and R2 (the verb and its prefix apart in one item another alternative,
the prefix's clause always dropped) — were run at commit 0b571f8, whose analysis.py holds them. The indexes are built once (the rule is query side
only). Lexical (German is answered by words). Per set: searches hit@1 and hit@5 (the first distinct
items) on its answerable questions, and the Ask box (the shipped answer rule, S2 included) right +1,
wrong −2, none 0, the set's mean on all its questions.

Development: D1 ``separable_de.yml`` demo (20), D2 its harness questions (19), D3
``ask_demo_questions.yml`` de (40), D4 ``ask_everyday.yml`` de (24). Confirmation: C1
``separable_de_confirm.yml`` (41), C2 the German harness's 60 (``relevance_languages``); R2's (declared after
R's confirmation: D1–D4, C1 and C2 are then seen) C3 ``separable_de_confirm2.yml`` (38). English:
every English demo question's top 10 and box answer, and every English harness query's clauses, with
the rule on and off.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

import yaml

# (no sys.path change: run as a script, its folder is first; imported, its importer put the folder on
# sys.path — last, so benchmarks/search/material.py never hides mkdocs-material's ``material``)

import harness  # noqa: E402
import relevance_languages  # noqa: E402

from carebase.assist.answer import Answerer  # noqa: E402
from carebase.content.languages import Languages  # noqa: E402
from carebase.content.translations import load_languages  # noqa: E402
from carebase.search import analysis  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "content"
RIGHT, WRONG = 1.0, -2.0
RULES = ("R", "R-drop", "R2", "R3")
DEV_RULES = ("R", "R-drop")  # the first trial's candidates


@contextlib.contextmanager
def rule(name: str | None):
    """The shipped code (R3, since session 47) for "R3", word by word for None."""
    if name not in (None, "R3"):
        raise SystemExit(f"{name}: this checkout holds only R3; R, R-drop and R2 were run at 0b571f8 (git checkout 0b571f8)")
    before = analysis.SEPARATED
    analysis.SEPARATED = name is not None
    try:
        yield
    finally:
        analysis.SEPARATED = before


def searcher(root: Path, folder: Path, language: str) -> tuple[Searcher, object]:
    ml = load_languages(root, Languages(("en", "de"))).published()
    english = ml.catalogues["en"]
    catalogue = ml.catalogues[language]
    build_index(catalogue, folder, source=english if language != "en" else None)
    return Searcher(open_index(folder), catalogue), catalogue


def _yml(name: str):
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def sets(kind: str) -> dict[str, tuple[str, list[tuple[str, list[str]]]]]:
    """name → (help centre, [(question, accepted items)]); ``kind``: dev (D1–D4), confirm (C1, C2),
    seen (both), confirm2 (C3)."""
    if kind == "seen":
        return {**sets("dev"), **sets("confirm")}
    if kind == "confirm3":
        return {"C4 separable_de_confirm3.yml": ("demo", [(q["q"], q["accept"]) for q in _yml("separable_de_confirm3.yml")["questions"]])}
    if kind == "seen3":
        return {**sets("seen"), **sets("confirm2")}
    if kind == "confirm2":
        return {"C3 separable_de_confirm2.yml": ("demo", [(q["q"], q["accept"]) for q in _yml("separable_de_confirm2.yml")["questions"]])}
    if kind == "confirm":
        return {"C1 separable_de_confirm.yml": ("demo", [(q["q"], q["accept"]) for q in _yml("separable_de_confirm.yml")["questions"]]),
                "C2 German harness (60)": ("harness", [(q.text, [q.target]) for q in relevance_languages.german_queries()])}
    sep = _yml("separable_de.yml")
    return {"D1 separable_de.yml demo": ("demo", [(q["q"], q["accept"]) for q in sep["demo"]]),
            "D2 separable_de.yml harness": ("harness", [(q["q"], q["accept"]) for q in sep["harness"]]),
            "D3 ask_demo_questions.yml de": ("demo", [(q["q"], list(q["accept"])) for q in _yml("ask_demo_questions.yml")["de"]]),
            "D4 ask_everyday.yml de": ("demo", [(q["q"], list(q["accept"])) for q in _yml("ask_everyday.yml")["de"]])}


def scored(s: Searcher, catalogue, questions, tag: str, verbose: bool) -> dict:
    answerer = Answerer(s, catalogue)
    h1 = h5 = right = wrong = none = 0
    rows = []
    for q, accept in questions:
        ids = list(dict.fromkeys(h.id for h in s.search(q, limit=10).hits))
        rank = next((i for i, item in enumerate(ids) if item in accept), None)
        if accept:
            h1 += rank == 0
            h5 += rank is not None and rank < 5
        a = answerer.answer(q)
        top = a.citations[0].id if a.answered and a.citations else None
        verdict = "none" if top is None else ("right" if top in accept else "wrong")
        right, wrong, none = right + (verdict == "right"), wrong + (verdict == "wrong"), none + (verdict == "none")
        rows.append((q, rank, ids[:1], verdict, top))
        if verbose:
            print(f"  {tag:6} search {'-' if rank is None else rank + 1:>2} box {verdict:5} {q!r} -> {ids[:1]} | {top}",
                  file=sys.stderr)
    n = len(questions)
    return {"hit1": h1, "hit5": h5, "answerable": sum(1 for _, a in questions if a), "right": right, "wrong": wrong,
            "none": none, "n": n, "box": round((RIGHT * right + WRONG * wrong) / n, 4), "rows": rows}


def english(searchers: dict, tmp: Path) -> tuple[list, list]:
    """What English search and the box give (top 10, answer) on the demo's English questions, and the
    clauses of every English harness query."""
    s, catalogue = searcher(DEMO, tmp / "demo-en", "en")
    qs = [q["query"] for q in _yml("demo_queries.yml")] + [q["q"] for q in _yml("ask_demo_questions.yml")["en"]] + \
        [q["q"] for q in _yml("ask_everyday.yml")["en"]]
    answerer = Answerer(s, catalogue)
    out = []
    for q in qs:
        a = answerer.answer(q)
        out.append(([h.id for h in s.search(q, limit=10).hits], a.answered, [c.id for c in a.citations]))
    h, _ = searchers["harness-en"]
    clauses = [[(c.word, sorted(c.alternatives.items())) for c in h.build_query(q.text)[1]]
               for q in harness.load_queries(harness.load_intents())]
    return out, clauses


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--confirm", action="store_true", help="R's confirmation sets (once, after the choice): --sets confirm")
    ap.add_argument("--sets", choices=("dev", "confirm", "seen", "confirm2", "seen3", "confirm3"), default="dev")
    ap.add_argument("--rule", choices=RULES, help="the one rule against the shipped code (default: R and R-drop)")
    args = ap.parse_args(argv)
    if args.confirm:
        args.sets = "confirm"
    if args.sets != "dev" and not args.rule:
        ap.error(f"--sets {args.sets} needs --rule (the rule chosen before)")
    args.confirm = args.sets != "dev" or args.rule is not None
    os.environ["CAREBASE_SEMANTIC"] = "0"
    rules = [None, args.rule] if args.rule else [None, *DEV_RULES]
    questions = sets(args.sets)
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        found = {"demo": searcher(DEMO, Path(tmp) / "demo", "de"), "harness": searcher(harness.HELPCENTRE, Path(tmp) / "harness", "de")}
        found["harness-en"] = searcher(harness.HELPCENTRE, Path(tmp) / "harness-en", "en")
        en = {}
        for name in rules:
            with rule(name):
                en[name] = english(found, Path(tmp) / f"en-{name}")
                for set_name, (where, qs) in questions.items():
                    s, catalogue = found[where]
                    result[(set_name, name)] = scored(s, catalogue, qs, name or "off", args.verbose)
    print("| set | rule | searches: hit@1 | hit@5 | box: right / wrong / none | box mean |")
    print("| --- | --- | ---: | ---: | --- | ---: |")
    for set_name in questions:
        for name in rules:
            r = result[(set_name, name)]
            print(f"| {set_name} | {name or 'shipped'} | {r['hit1']}/{r['answerable']} | {r['hit5']}/{r['answerable']} | "
                  f"{r['right']} / {r['wrong']} / {r['none']} | {r['box']:.3f} |")
    for name in rules[1:]:
        for set_name in questions:
            for off, on in zip(result[(set_name, None)]["rows"], result[(set_name, name)]["rows"]):
                if off[1:4] != on[1:4]:
                    fmt = lambda r: "-" if r is None else r + 1  # noqa: E731
                    print(f"  {name}: {set_name}: {off[0]!r}: rank {fmt(off[1])} → {fmt(on[1])}, box {off[3]} → {on[3]}"
                          f" ({off[4]} → {on[4]})")
        same = en[name] == en[None]
        print(f"{name}: English identical: {same} ({len(en[None][0])} demo questions, {len(en[None][1])} harness queries' clauses)")
    if not args.confirm:
        def total(name, key):
            return sum(result[(s, name)][key] for s in questions)
        chosen = max(DEV_RULES, key=lambda n: (total(n, "hit1"), total(n, "hit5"), total(n, "box"), n == "R"))
        for name in DEV_RULES:
            print(f"{name}: hit@1 {total(name, 'hit1')}, hit@5 {total(name, 'hit5')}, box {total(name, 'box'):.3f} "
                  f"(shipped: {total(None, 'hit1')}, {total(None, 'hit5')}, {total(None, 'box'):.3f})")
        print(f"chosen on the development sets: {chosen}")
        rules_judged = [chosen]
    else:
        rules_judged = [args.rule]
    for name in rules_judged:
        lower = [(s, k) for s in questions for k in ("hit1", "hit5", "box") if result[(s, name)][k] < result[(s, None)][k]]
        higher = [(s, k) for s in questions for k in ("hit1", "hit5", "box") if result[(s, name)][k] > result[(s, None)][k]]
        print(f"{name} on these sets: lower {lower or 'none'}; higher {higher or 'none'}; English identical "
              f"{en[name] == en[None]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
