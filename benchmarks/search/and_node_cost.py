"""What the fast engine's ``and`` node saves: German questions whose separated verb search reads
"joined, or apart in one item" (a Whoosh ``And``), answered by the fast engine (this checkout)
against the path they took before session 48 — Whoosh's own matchers, because the fast engine
refused an ``And`` (``compile_query`` raising ``Unsupported``, patched back in this process for
the "before" half: the very code path of 4a859847).

    python benchmarks/search/and_node_cost.py [--rounds 7]

``Searcher.search`` (limit 10, snippets) in process on the German demo's and the German harness's
indexes, the CPU time of this process per call, each question asked once per path per round, the
order alternating question by question; per question the median over the rounds. Questions: every
German question of the benchmark sets that holds such a verb (``german_site.seed_questions``), A6's
"wie setze ich das thermostat zurück", and a hostile one of 184 characters with 16 separated verbs
(``HOSTILE``). Both paths must rank the same (checked on every call).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import german_site  # noqa: E402
import separable_search  # noqa: E402

from carebase.search import query as search_query  # noqa: E402
from carebase.search.engine import Unsupported, compile_query  # noqa: E402
from whoosh import query as wq  # noqa: E402

A6 = "wie setze ich das thermostat zurück"
HOSTILE = ("setze es zurück, lade herunter, melde an, schalte ein, schalte aus, gib zurück, rufe an, lade ein, "
           "buche ab, stelle um, baue ab, schließe an, bestelle ab, fordere an, hebe ab, lade auf")


def refusing(q):
    """4a859847's ``compile_query``: an ``And`` anywhere sends the query to Whoosh."""
    def has_and(node) -> bool:
        return type(node) is wq.And or any(has_and(c) for c in node.children())
    if has_and(q):
        raise Unsupported("And")
    return compile_query(q)


def cpu_ms(searcher, q: str, before: bool) -> tuple[float, list]:
    search_query.compile_query = refusing if before else compile_query
    try:
        t = time.process_time()
        hits = searcher.search(q, limit=10).hits
        return (time.process_time() - t) * 1000, [(h.key, round(h.score, 6)) for h in hits]
    finally:
        search_query.compile_query = compile_query


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        found = {"demo": separable_search.searcher(separable_search.DEMO, Path(tmp) / "demo", "de")[0],
                 "harness": separable_search.searcher(separable_search.harness.HELPCENTRE, Path(tmp) / "harness", "de")[0]}
        for s in found.values():
            s.warm()
        asked = []
        for q in german_site.seed_questions() + [A6, HOSTILE]:
            for where, s in found.items():
                if any(c.apart for c in s.build_query(q)[1]) and (q, where) not in asked:
                    asked.append((q, where))
        before = {k: [] for k in asked}
        after = {k: [] for k in asked}
        for r in range(args.rounds):
            for i, (q, where) in enumerate(asked):
                runs = {}
                for old in ((True, False) if (i + r) % 2 else (False, True)):
                    ms, hits = cpu_ms(found[where], q, old)
                    (before if old else after)[(q, where)].append(ms)
                    runs[old] = hits
                if runs[True] != runs[False]:
                    raise SystemExit(f"{where}: {q!r}: the two paths rank differently:\n{runs[True]}\n{runs[False]}")
    med = {k: (statistics.median(before[k]), statistics.median(after[k])) for k in asked}
    print(f"{len(asked)} German questions with a verb read apart in one item, {args.rounds} rounds, CPU ms per "
          "Searcher.search (median per question), the same ranks on every call")
    print("| question | index | before (Whoosh's matchers) | after (fast engine) | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for (q, where), (b, a) in med.items():
        if q in (A6, HOSTILE):
            name = "A6's" if q == A6 else f"hostile, {len(q)} characters, 16 separated verbs"
            print(f"| {name} | {where} | {b:.2f} | {a:.2f} | {a / b:.3f} |")
    bs, as_ = [b for b, _ in med.values()], [a for _, a in med.values()]
    print(f"| all {len(asked)}: median of the medians | both | {statistics.median(bs):.2f} | {statistics.median(as_):.2f} "
          f"| {statistics.median([a / b for b, a in med.values()]):.3f} (median ratio) |")
    print(f"| all {len(asked)}: the slowest question | both | {max(bs):.2f} | {max(as_):.2f} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
