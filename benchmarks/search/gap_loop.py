"""The measured gap loop (issue 6): play half A through the site, run the gap report, apply
its suggestions automatically, rebuild, and measure half B before and after.

    npm ci --prefix benchmarks/search     # Material's engine (lunr), optional: --no-material
    python benchmarks/search/gap_loop.py [--engine auto|lexical|hybrid] [--vote-rate 0.5] [--keep DIR]
                                         [--set second|third --data PATH]

1. The benchmark help centre is copied (``before/``) and indexed; every query of both halves
   is ranked by carebase search (lexical BM25F, and the hybrid when carebase[semantic] is
   installed) and by Material's engine.
2. Half A only is played through a real carebase service on 127.0.0.1 (play.py): one journey
   per query with the search, the result click at its rank or, when the article was not
   shown, a "Yes" vote after browsing to it (``--vote-rate``), stored in a SQLite event store.
3. The real ``carebase report`` runs on that store (JSON, Markdown, CSV, HTML).
4. ``carebase suggestions apply --all`` (the product command) writes its keyword and synonym
   suggestions into a copy (``after/``).
5. Everything in step 1 is measured again on ``after/``. With ``--rounds N`` steps 2-5 repeat
   on the updated copy (next week's traffic on this week's fixes). Half B is never played,
   reported on or looked at by the loop; it is only measured.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
import play  # noqa: E402
from query_vectors import prime, search_text  # noqa: E402

from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402

CANDIDATES = 50
_WORKER = {}


def _init_worker(index_dir: str, content: str) -> None:
    from carebase.content import load_catalogue

    _WORKER["searcher"] = Searcher(open_index(index_dir), load_catalogue(content))


def _lexical(text: str):
    """(the lexical search's top 10 ids and result count, as Searcher.search shows them; then
    Searcher.lexical's top CANDIDATES, counts and stems, which the hybrid fuses; the text
    the semantic side embeds). Whoosh's top 10 with limit=10 is not always the first 10 of
    limit=50, so the lexical row is measured with search() itself."""
    searcher = _WORKER["searcher"]
    shown = searcher.search(text, limit=10)
    query, _ = searcher.build_query(text)
    if query is None:
        return ([], 0), [], {}, set(), text
    ranked, counts, stems = searcher.lexical(query, limit=CANDIDATES)
    return ([h.id for h in shown.hits], shown.total), ranked, counts, stems, search_text(searcher, text)


class _Precomputed:
    """A Searcher whose lexical() answers come from the worker processes (the semantic side
    fuses them exactly as Searcher.search would)."""

    def __init__(self, searcher, answers: dict):
        self._searcher, self._answers = searcher, answers

    def lexical(self, text, *, kind=None, limit=CANDIDATES, evaluation=None):
        # ``evaluation`` (SemanticIndex.search passes the searcher's own, when it has one):
        # the answer was evaluated in the worker already
        _, ranked, counts, stems, _ = self._answers[text]
        return ranked[:limit], counts, stems

    def __getattr__(self, name):
        return getattr(self._searcher, name)


def rank(content: Path, texts: list[str], work: Path, *, hybrid: bool, jobs: int) -> dict:
    """{engine: [(ranked ids, result count)] per text} for carebase lexical (and hybrid)."""
    from carebase.content import load_catalogue

    catalogue = load_catalogue(content)
    index_dir = work / "index"
    shutil.rmtree(index_dir, ignore_errors=True)
    build_index(catalogue, index_dir)
    unique = list(dict.fromkeys(texts))
    started = time.perf_counter()
    if jobs > 1:
        with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (str(index_dir), str(content))) as pool:
            answers = dict(zip(unique, pool.map(_lexical, unique, chunksize=64)))
    else:
        _init_worker(str(index_dir), str(content))
        answers = {t: _lexical(t) for t in unique}
    print(f"  lexical ranking: {len(unique)} queries in {time.perf_counter() - started:.0f} s "
          f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    out = {"lexical": [answers[t][0] for t in texts]}
    if hybrid:
        from carebase.search.semantic import SemanticIndex

        searcher = Searcher(open_index(index_dir), catalogue)
        sem = SemanticIndex.build(catalogue, index_dir)
        prime([answers[t][4] for t in unique])
        proxy = _Precomputed(searcher, answers)
        fused = {}
        for t in unique:
            suggestion = answers[t][4] if answers[t][4] != t else None
            if not answers[t][1] and not answers[t][2]:
                fused[t] = ([], 0)
                continue
            res = sem.search(proxy, t, t, kind=None, limit=10, suggestion=suggestion)
            fused[t] = ([h.id for h in res.hits], res.total)
        out["hybrid"] = [fused[t] for t in texts]
    return out


def material_rank(content: Path, texts: list[str]) -> list[list[str]]:
    import material

    return material.run(harness.load_helpcentre(content), texts)[0]


def measure(content: Path, queries, work: Path, *, hybrid: bool, material_too: bool, jobs: int) -> dict:
    texts = [q.text for q in queries]
    ranked = rank(content, texts, work, hybrid=hybrid, jobs=jobs)
    if material_too:
        ranked["material"] = [(ids, len(ids)) for ids in material_rank(content, texts)]
    return ranked


def split_metrics(ranked: list, queries, half: str) -> dict:
    idx = [i for i, q in enumerate(queries) if q.half == half]
    return harness.metrics([ranked[i][0] for i in idx], [queries[i] for i in idx])


NAMES = {"material": "Material (lunr 2.3.9)", "lexical": "carebase lexical (BM25F)",
         "hybrid": "carebase hybrid (BM25F + MiniLM)"}


def table(before: dict, after: dict, queries) -> tuple[str, dict]:
    lines = ["| engine | half | queries | hit@1 before | hit@1 after | hit@5 before | hit@5 after "
             "| MRR@10 before | MRR@10 after |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    data = {}
    for engine in ("material", "lexical", "hybrid"):
        if engine not in before:
            continue
        for half in ("A", "B"):
            if not any(q.half == half for q in queries):
                continue
            b, a = split_metrics(before[engine], queries, half), split_metrics(after[engine], queries, half)
            n = sum(q.half == half for q in queries)
            data[f"{engine}/{half}"] = {"before": b, "after": a, "queries": n}
            lines.append(f"| {NAMES[engine]} | {half} | {n} | {b['hit@1']:.3f} | {a['hit@1']:.3f} | {b['hit@5']:.3f} "
                         f"| {a['hit@5']:.3f} | {b['mrr@10']:.3f} | {a['mrr@10']:.3f} |")
    return "\n".join(lines), data


def run_report(content: Path, db: Path, out: Path) -> dict:
    """``carebase report`` on the build output of ``content`` (written as ``carebase build`` does)."""
    from carebase.content import load_catalogue
    from carebase.output import open_output

    site_data = out.parent / f"{out.name}-site-data"
    open_output(site_data, load_catalogue(content))
    env = {**os.environ, "CI": "1"}
    done = subprocess.run([sys.executable, "-m", "carebase", "report", "--site-data", str(site_data), "--db",
                           f"sqlite:///{db}", "--out", str(out), "--cache", str(out / ".cache" / "carebase")],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"carebase report failed ({done.returncode}):\n{done.stderr}")
    return json.loads((out / "report.json").read_text())


def apply_all(report: dict, content: Path, *, clusters: bool = True) -> dict:
    """Every suggestion of the report written into ``content``, through the module behind
    ``carebase suggestions apply --all`` (``clusters=False``: only "Words to add to keywords")."""
    from carebase.report.suggestions import plan, suggestions

    if not clusters:
        report = {**report, "missing": {**report["missing"], "clusters": []}}
    chosen = suggestions(report)
    edits = plan(chosen, content)
    for path, (_, after) in edits.items():
        (content / path).write_bytes(after.encode("utf-8"))
    articles = {}
    for sug in chosen:
        if sug.kind == "keywords" and sug.path in edits:
            articles.setdefault(sug.path, []).extend(sug.words)
    return {"articles": articles, "words": sum(len(v) for v in articles.values()),
            "synonym_groups": sum(1 for s in chosen if s.kind == "synonyms")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=("auto", "lexical", "hybrid"), default="auto",
                    help="the engine the simulated site searches with (auto: hybrid when installed)")
    ap.add_argument("--vote-rate", type=float, default=0.5,
                    help="share of customers who browse to an article not shown and vote on it (default 0.5)")
    ap.add_argument("--seed", type=int, default=77)
    ap.add_argument("--limit", type=int, default=0, help="only the first N queries of each half (0: all)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for the lexical ranking (default 2)")
    ap.add_argument("--no-material", action="store_true", help="skip Material's engine")
    ap.add_argument("--no-clusters", action="store_true", help="apply only the per-item word suggestions")
    ap.add_argument("--rounds", type=int, default=1,
                    help="loops to run: each plays half A on the content the previous one updated (default 1)")
    ap.add_argument("--tune", action="store_true",
                    help="tuning run: half A only (half B is not even ranked)")
    ap.add_argument("--keep", metavar="DIR", help="keep the content copies, event store and report here")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)

    from carebase.search import semantic

    hybrid = semantic.available() and args.engine != "lexical"
    if args.engine == "hybrid" and not hybrid:
        sys.exit("--engine hybrid: install carebase[semantic] first")
    chosen = harness.query_set(args)
    queries = chosen.queries()  # the fixed A/B split of relevance.py
    work = Path(args.keep or tempfile.mkdtemp(prefix="carebase-gaploop-"))
    shutil.rmtree(work / "before", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    before_dir = work / "before"
    shutil.copytree(chosen.helpcentre, before_dir)

    if args.limit:
        queries = [q for q in queries if q.half == "A"][: args.limit] + [q for q in queries if q.half == "B"][: args.limit]
    if args.tune:
        queries = [q for q in queries if q.half == "A"]
    print(f"gap loop: {len(queries)} queries, site engine {'hybrid' if hybrid else 'lexical'}, "
          f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)

    print("before: ranking every query", file=sys.stderr)
    before = measure(before_dir, queries, work / "scratch", hybrid=hybrid, material_too=not args.no_material,
                     jobs=args.jobs)
    from carebase.content import load_catalogue

    content, ranked, rounds = before_dir, before, []
    for n in range(1, args.rounds + 1):
        site = ranked["hybrid" if hybrid else "lexical"]
        # the loop sees half A only: its queries, and what the site showed for them
        played = [(q, ids, total) for q, (ids, total) in zip(queries, site) if q.half == "A"]
        assert all(q.half == "A" for q, _, _ in played)
        print(f"round {n}: playing {len(played)} half-A journeys through the service", file=sys.stderr)
        round_dir = work / f"round{n}"
        shutil.rmtree(round_dir, ignore_errors=True)
        round_dir.mkdir(parents=True)
        db, outcome = play.play(played, load_catalogue(content), seed=args.seed + n - 1, vote_rate=args.vote_rate,
                                work=round_dir)
        print(f"round {n}: running carebase report", file=sys.stderr)
        report = run_report(content, db, round_dir / "report")
        updated = work / ("after" if n == args.rounds else f"after{n}")
        shutil.rmtree(updated, ignore_errors=True)
        shutil.copytree(content, updated)
        applied = apply_all(report, updated, clusters=not args.no_clusters)
        print(f"round {n}: applied {applied['words']} words to {len(applied['articles'])} articles, "
              f"{applied['synonym_groups']} synonym groups; ranking every query again", file=sys.stderr)
        after = measure(updated, queries, work / "scratch", hybrid=hybrid, material_too=not args.no_material,
                        jobs=args.jobs)
        text, data = table(before, after, queries)
        rounds.append({
            "round": n, "played": len(played), "events_stored": outcome.accepted,
            "journeys": {k: getattr(outcome, k) for k in ("clicked", "clicked_low", "browsed_voted", "browsed_silent")},
            "report": {"findability_clusters": report["summary"]["findability"], "gaps": report["summary"]["gaps"],
                       "items_with_words": len(report["missing"]["keywords"])},
            "applied": applied, "metrics": data, "load": os.getloadavg()[0],
        })
        print(f"## after round {n} (before = the original help centre; load {os.getloadavg()[0]:.1f})")
        print(text)
        print(json.dumps({k: v for k, v in rounds[-1].items() if k not in ("metrics", "applied")}))
        print(f"words added in round {n}: {json.dumps(applied['articles'])}", flush=True)
        content, ranked = updated, after
    summary = {"site_engine": "hybrid" if hybrid else "lexical", "vote_rate": args.vote_rate, "seed": args.seed,
               "rounds": rounds}
    (work / "gap_loop.json").write_text(json.dumps(summary, indent=1))
    print(f"kept in {work}" if args.keep else "", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
