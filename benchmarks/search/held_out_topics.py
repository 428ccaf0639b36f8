"""Held-out topics (issue 12, item 5b): remove ~20 % of the harness articles, play half A
through a real carebase service, run the real ``carebase report``, and score its
missing-content rows against the removed articles' topics.

    python benchmarks/search/held_out_topics.py [--keep DIR] [--engine auto|lexical|hybrid] [--seed N] [--order-seed N]
                                                [--customers plain|realistic] [--set second|third --data PATH]
    python benchmarks/search/held_out_topics.py --keep DIR --score-only [--report PATH] [--json PATH] [--set … --data …]

Declared before any result was looked at (and committed so): ``SEED`` (or ``--seed``) and
``REMOVED`` below pick the removed articles with ``random.Random(seed).sample(sorted article
ids, REMOVED)``; every half-A query (harness.load_queries, seed 77) is played, one journey each.
A query whose article was removed finds nothing to click and its journey ends after the
search (play.py). ``--customers realistic`` (play_customers.py, declared in RESULTS "Session 48
(`harness`)"; not the default, so issue 12's figures stay comparable): such a customer may click a
wrong result, vote "No" there with a reason and a comment, or contact support, and the journeys
span 27 days.

Scoring, on the report's missing-content backlog (``missing.clusters``, ranked), top
``TOP`` rows, each row's failed searches mapped back to the BANKING77 intent of their
wording (every wording of the row, ``all_queries``):

* a row's **majority topic** is the intent with most of its failed searches; its
  **purity** is that share;
* a removed article's topic is **found** when a top-``TOP`` row has it as majority topic,
  purity ≥ ``PURITY`` and status ``gap``;
* a **covered gap** is a top-``TOP`` row labelled ``gap`` whose majority topic is an
  article still in the help centre.

Targets: ≥ 90 % of the removed topics found; at most 2 covered gaps.

Checks (session 49, held_out_checks.py; they change neither figure nor the line's verdict), under
``checks`` in held_out_topics.json and printed after the per-topic lines: ``rows_per_need`` (needs,
removed or covered, that are the majority need of ≥ 2 top-20 rows), ``flags`` with
``repeat_flags`` / ``twin_flags`` right and wrong (a "may be the same need as #k" flag is wrong when
the row's majority need is not #k's; a "close to #k alone" twin flag is wrong when it is) and
``demoted_removed`` (wrong repeat flags on a removed need's pure gap row ranked below 20) and
``demoted_missed`` (of those, the needs not found), ``neighbour_repeat_flags`` (the repeat flags made by the
wordings' neighbours, right and wrong),
``impure_rows`` (top-20 rows below purity 0.8, three largest needs each), ``found_purity`` (each
found topic's row purity). ``--score-only`` prints them for a kept report (``--keep DIR``, or
``--report PATH``) without running the report again, with the seed DIR/played.json records, and
refuses a --seed or --set whose removed articles are not the ones missing from DIR/content.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gap_loop  # noqa: E402
import harness  # noqa: E402
import held_out_checks  # noqa: E402
import play  # noqa: E402

SEED = 20261203  # declared before the first run; never changed after looking at results (the development seed)
# Fresh seeds, each declared in benchmarks/RESULTS.md ("Held-out topics") and committed before
# its one run, with ``--seed``: 20261212 (the run after the "passed over on the first page" rule),
# 20261204 (the run after merging close topic centres; played with ``--play-only`` while the
# mechanism was built, its report made once with ``--report-only`` after the mechanism landed),
# 20261205 (the same protocol, for grouping by meaning and words), 20261207 (session 23),
# 20261213 … 20261217 (session 24, declared together before any was played), 20261218 … 20261222
# (session 25, the same), 20261223 … 20261227 (session 26, the same), 20261228 … 20261232
# (session 27, the same), 20261233 … 20261237 (session 28), 20261238 … 20261242 and
# 20261243 … 20261247 (session 29), 20261248 … 20261252 (session 30), 20263301 … 20263303 (session 33,
# with 20263311 … 20263313 on the second set and 20263321 … 20263323 on the third).
REMOVED = 15  # round(0.2 × 77)
# The second set (``--set second``, 30 articles): round(0.2 × 30) = 6 removed, the seeds declared in
# benchmarks/RESULTS.md ("Missing content by meaning", second set) before its first run. The third set
# (``--set third``, 50 articles): round(0.2 × 50) = 10 removed, its seeds declared in RESULTS ("third set").
TOP = 20
PURITY = 0.8


def removed_articles(catalogue, seed: int = SEED, n: int = REMOVED) -> list[str]:
    ids = sorted(a.id for a in catalogue.articles)
    return sorted(random.Random(seed).sample(ids, n))


def remove(content: Path, catalogue, ids: list[str]) -> None:
    for article in catalogue.articles:
        if article.id in ids:
            (content / article.path).unlink()


def intent_map(queries) -> dict[str, str]:
    """{a wording, lower-cased and spaced once: its article}: each query as typed, and as the store
    keeps it (play.py sends 200 characters, cleaned, PII-masked)."""
    from carebase.service.validation import customer_text

    intent_of: dict[str, str] = {}
    for q in queries:
        for text in (q.text, customer_text(q.text[:200]) or ""):
            intent_of.setdefault(" ".join(text.lower().split()), q.target)
    return intent_of


def scored(report: dict, queries, removed: list[str]) -> dict:
    """``score`` (found, covered gaps: the line's figures, unchanged) and, under ``checks``, what it
    cannot see (held_out_checks.py: rows per need, right and wrong repeat and twin flags, impure
    top-20 rows, found rows' purity)."""
    result = score(report, queries, removed)
    result["checks"] = held_out_checks.checks(report, intent_map(queries), removed, result["per_topic"])
    return result


def score(report: dict, queries, removed: list[str], by_failed: bool = False) -> dict:
    """``by_failed``: the rows in their order by failed searches alone (``failed_rank``: as
    before likely repeats were ranked lower, ``topic_order``), the same report scored as main's."""
    intent_of = intent_map(queries)
    rows = []
    clusters = report["missing"]["clusters"]
    if by_failed:
        clusters = [dict(c, rank=c["failed_rank"]) for c in sorted(clusters, key=lambda c: c["failed_rank"])]
    for row in clusters[:TOP]:
        counts: Counter = Counter()
        for entry in row.get("all_queries", row["queries"]):
            counts[intent_of.get(" ".join(entry["query"].lower().split()), "?")] += entry["count"]
        majority, n = counts.most_common(1)[0] if counts else ("?", 0)
        rows.append({"rank": row["rank"], "status": row["status"], "label": row["label"], "failed": row["failed"],
                     "majority": majority, "purity": round(n / max(1, sum(counts.values())), 3),
                     "closest": (row.get("closest") or {}).get("id"), "topic_id": row.get("topic_id")})
    found, per_topic = 0, {}
    for article in removed:
        own = [r for r in rows if r["majority"] == article]
        best = max(own, key=lambda r: (r["status"] == "gap" and r["purity"] >= PURITY, r["failed"]), default=None)
        ok = best is not None and best["status"] == "gap" and best["purity"] >= PURITY
        found += ok
        per_topic[article] = {"found": ok, "row": best}
    covered_gaps = [r for r in rows if r["status"] == "gap" and r["majority"] not in removed]
    return {"removed": len(removed), "found": found, "found_share": round(found / len(removed), 3),
            "covered_gaps": len(covered_gaps), "rows": rows, "per_topic": per_topic}


def delete_account_rows(report: dict) -> list[dict]:
    """Where the half-A wordings with "delete my account" landed (issue 12's failure case:
    "can you delete my account please?" → "add keywords to *compromised card*")."""
    out = []
    for section in ("clusters", "filled", "poor_answers"):
        for row in report["missing"][section]:
            if any("delete my account" in q["query"].lower() for q in row.get("all_queries", [])):
                out.append({"section": section, "rank": row.get("rank"), "status": row["status"], "label": row["label"],
                            "closest": (row.get("closest") or {}).get("id"), "action": row["action"]})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Checks" + __doc__.split("\nChecks", 1)[1])
    ap.add_argument("--engine", choices=("auto", "lexical", "hybrid"), default="auto",
                    help="the engine the simulated site searches with (auto: hybrid when installed)")
    ap.add_argument("--seed", type=int, default=None,
                    help=f"picks the removed articles and seeds the journeys (default: with --report-only or "
                         f"--score-only the seed --keep DIR/played.json records, else {SEED}, the development seed)")
    ap.add_argument("--order-seed", type=int, default=None,
                    help="play half A interleaved, shuffled by this seed (play.interleaved; declared: 20263831); "
                         "default: the data file's order (BANKING77's is intent by intent)")
    ap.add_argument("--vote-rate", type=float, default=0.5)
    ap.add_argument("--customers", choices=play.customer_models.KINDS, default="plain",
                    help="how the played customers behave: plain (the default, issue 12's measurements: the right "
                         "article clicked when shown, else the journey ends or the customer browses to it and votes "
                         "Yes; one day) or realistic (play_customers.py: when the right article is not shown, a wrong "
                         "result clicked with rank bias, a 'No' with a reason and sometimes a comment, contacts; a "
                         "small share of 'No' on the right article; 27 days), seeded by --seed")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", metavar="DIR", help="keep the content copy, event store and report here")
    ap.add_argument("--report-only", action="store_true",
                    help="reuse the content copy and event store kept in --keep DIR: run the report and score again")
    ap.add_argument("--score-only", action="store_true",
                    help="score the report already in --keep DIR (DIR/round/report/report.json, or --report) without "
                         "running it again; writes nothing into DIR (--json PATH to keep the result)")
    ap.add_argument("--report", metavar="PATH", help="--score-only: this report.json (or a folder holding one) "
                                                     "instead of DIR/round/report/report.json")
    ap.add_argument("--json", metavar="PATH", help="--score-only: write the scored result here")
    ap.add_argument("--play-only", action="store_true",
                    help="stop after playing the journeys (with --keep DIR): no report, no score; "
                         "make them later with --report-only")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    if args.play_only and not args.keep:
        sys.exit("--play-only: needs --keep DIR, where --report-only finds the store later")
    if args.report_only and not args.keep:
        sys.exit("--report-only: needs --keep DIR of an earlier run")
    if args.score_only and (not args.keep or args.report_only or args.play_only):
        sys.exit("--score-only: needs --keep DIR of an earlier run, and neither --report-only nor --play-only")
    if (args.report or args.json) and not args.score_only:
        sys.exit("--report, --json: only with --score-only")

    from carebase.content import load_catalogue
    from carebase.search import semantic

    hybrid = semantic.available() and args.engine != "lexical"
    work = Path(args.keep or tempfile.mkdtemp(prefix="carebase-heldout-"))
    content = work / "content"
    chosen = harness.query_set(args)
    catalogue = chosen.catalogue()
    args.seed = _seed(args, work)
    removed = removed_articles(catalogue, args.seed, round(0.2 * len(catalogue.articles)))  # first set: REMOVED
    if args.score_only:
        _check_removed(work, catalogue, removed, args)
    queries = [q for q in chosen.queries() if q.half == "A"]
    if args.score_only:
        path = Path(args.report) if args.report else work / "round" / "report"
        path = path / "report.json" if path.is_dir() else path
        try:
            report = json.loads(path.read_text())
            report["missing"]["clusters"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            sys.exit(f"--score-only: {path}: no carebase report ({type(exc).__name__}: {exc})")
        print(f"scoring {path} (seed {args.seed}, set {chosen.name}); the report is not run again", file=sys.stderr)
        return _print(work, scored(report, queries, removed), report, hybrid, None, keep=True, seed=args.seed,
                      out=Path(args.json) if args.json else None)
    if args.report_only:
        round_dir = work / "round"
        report = gap_loop.run_report(content, round_dir / "feedback.db", round_dir / "report")
        if report["missing"]["clusters"] and "failed_rank" in report["missing"]["clusters"][0]:
            base = score(report, queries, removed, by_failed=True)
            (work / "held_out_topics-by-failed.json").write_text(json.dumps(base, indent=1))
            print(f"rows by failed searches alone (no repeats ranked lower): {base['found']} of {base['removed']} "
                  f"found, {base['covered_gaps']} covered gaps; misses: "
                  f"{[a for a, t in base['per_topic'].items() if not t['found']]}")
        return _print(work, scored(report, queries, removed), report, hybrid, None, keep=True, seed=args.seed)
    shutil.rmtree(content, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    shutil.copytree(chosen.helpcentre, content)
    remove(content, load_catalogue(content), removed)
    print(f"held-out topics: seed {args.seed}, removed {len(removed)} articles; playing {len(queries)} half-A "
          f"queries, site engine {'hybrid' if hybrid else 'lexical'}", file=sys.stderr)
    ranked = gap_loop.rank(content, [q.text for q in queries], work / "scratch", hybrid=hybrid, jobs=args.jobs)
    site = ranked["hybrid" if hybrid else "lexical"]
    played = [(q, ids, total) for q, (ids, total) in zip(queries, site)]
    round_dir = work / "round"
    shutil.rmtree(round_dir, ignore_errors=True)
    round_dir.mkdir(parents=True)
    db, outcome = play.play(played, load_catalogue(content), seed=args.seed, vote_rate=args.vote_rate, work=round_dir,
                            order_seed=args.order_seed, customers=args.customers)
    (work / "played.json").write_text(json.dumps({"seed": args.seed, "order_seed": args.order_seed, "set": chosen.name,
                                                  **({"customers": args.customers} if args.customers != "plain" else {})}))
    if args.play_only:
        (work / "journeys.json").write_text(json.dumps(_journeys(outcome)))
        print(f"played; no report made. Next: --keep {work} --report-only --seed {args.seed}", file=sys.stderr)
        return 0
    report = gap_loop.run_report(content, db, round_dir / "report")
    return _print(work, scored(report, queries, removed), report, hybrid, outcome, keep=bool(args.keep), seed=args.seed)


def _seed(args, work: Path) -> int:
    """--seed, else (reusing --keep DIR) the seed DIR/played.json records, else ``SEED``; a --seed
    other than the recorded one is an error (it would score against other removed articles)."""
    played = work / "played.json"
    recorded = None
    if (args.report_only or args.score_only) and played.exists():
        try:
            recorded = json.loads(played.read_text())["seed"]
        except (ValueError, KeyError, TypeError) as exc:
            sys.exit(f"{played}: field 'seed' unreadable ({type(exc).__name__}: {exc})")
    if args.seed is not None and recorded is not None and args.seed != recorded:
        sys.exit(f"--seed {args.seed}: {played} says the store was played with seed {recorded}")
    return args.seed if args.seed is not None else recorded if recorded is not None else SEED


def _check_removed(work: Path, catalogue, removed: list[str], args) -> None:
    """The articles missing from DIR/content must be the seed's removed ones (else the wrong --set
    or --seed would be scored silently); without DIR/content, DIR/played.json's set must match."""
    content = work / "content"
    if content.is_dir():
        from carebase.content import load_catalogue

        absent = sorted({a.id for a in catalogue.articles} - {a.id for a in load_catalogue(content).articles})
        if absent != removed:
            sys.exit(f"--score-only: {content} lacks {absent}, but --set {args.query_set} with seed {args.seed} "
                     f"removes {removed}: pass the run's --set (and --data) and --seed")
        return
    played = work / "played.json"
    recorded = json.loads(played.read_text()).get("set", "first") if played.exists() else None
    if recorded is not None and recorded != args.query_set:
        sys.exit(f"--score-only: {played} says set {recorded}, not --set {args.query_set}")
    print(f"note: no {content}; removed articles taken from the seed alone", file=sys.stderr)


def _journeys(outcome) -> dict:
    """How the played journeys ended; with realistic customers also what they sent, by kind."""
    out = {k: getattr(outcome, k) for k in ("clicked", "clicked_low", "browsed_voted", "browsed_silent")}
    if outcome.sent.counts.get("no votes") or outcome.sent.counts.get("contacts") or outcome.days > 1:
        out.update(sent=outcome.sent.as_dict(), days=outcome.days)
    return out


def _played_journeys(work: Path):
    path = work / "journeys.json"
    return json.loads(path.read_text()) if path.exists() else None


def _print(work: Path, result: dict, report: dict, hybrid: bool, outcome, *, keep: bool, seed: int,
           out: Path | None | bool = True) -> int:
    """Print the figures; write them to ``out`` (True: DIR/held_out_topics.json; None: nowhere)."""
    result.update(seed=seed, site_engine="hybrid" if hybrid else "lexical", removed_ids=sorted(result["per_topic"]),
                  grouped_with=report["missing"].get("grouped_with"), noise=report["missing"].get("noise"),
                  delete_my_account=delete_account_rows(report),
                  journeys=_journeys(outcome) if outcome else _played_journeys(work))
    written_in_dir = out is True
    if out is True:
        out = work / "held_out_topics.json"
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1))
    print(f"removed topics found (own top-{TOP} row, gap, purity ≥ {PURITY}): {result['found']} of {result['removed']} "
          f"({result['found_share']:.0%}; target ≥ 90 %)")
    print(f"covered topics labelled gap in the top {TOP}: {result['covered_gaps']} (target ≤ 2)")
    for article, t in result["per_topic"].items():
        row = t["row"]
        where = (f"row {row['rank']} {row['status']} purity {row['purity']:.2f} ({row['failed']} failed)"
                 if row else "no row in the top 20")
        print(f"  {'ok ' if t['found'] else 'MISS'} {article}: {where}")
    print(f"rows holding 'delete my account' wordings: {json.dumps(result['delete_my_account'])}")
    if "checks" in result:
        print("\n".join(held_out_checks.summary(result["checks"])))
    if written_in_dir:
        print(f"kept in {work}" if keep else "", file=sys.stderr)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
