"""Where the strong sets part: the service (lexical and hybrid) against the browser's client index,
query by query, and which cause each difference comes from.

"N results" is a query's strong matches (what the search page lists before "Show weaker matches").
For each query of two or more words that count, the strong items (a multiset of ids: the count and
the members) of

- the service's hybrid search (the default: BM25F fused with meaning, ``fused_cut.py``),
- the service's lexical search (BM25F and the strong rule, ``cutoff.py``),
- the browser's client index (search-index.js in Node) for a settled query (a trailing space: no
  completion of the last word), and as the search page searched its query until session 37 (the
  text as typed: the last word completed as a prefix),

and each difference between the hybrid service and the browser put down to its causes:

- **meaning**: the hybrid strong set is not the lexical one (the fusion ended a kind's strong
  results at a result that matches too little, or added meaning's picks);
- **words**: the lexical strong set is not the browser's settled one (the two lexical scores and
  rules differ: Whoosh's per-field idf, the client's rounded weights, synonyms);
- **completion**: the browser's answer as the page searched (the last word completed) is not its
  settled one.

    python benchmarks/search/strong_parity.py [--demo] [--set first --half A] [--limit N] [--differences N]
                                              [--assets DIR] [--no-hybrid]

``--demo``: the demo help centre (content/), demo_queries.yml's queries and ``EXTRA``; otherwise a
relevance harness set (harness.py), ``--half`` A or B or both.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ASSETS = REPO / "theme" / "assets" / "carebase"
sys.path.insert(0, str(HERE))

from client_parity import NODE_OPEN  # noqa: E402

LIMIT = 1000
#: The demo queries the audits checked besides demo_queries.yml's (one word and short ones)
EXTRA = ["thermostat", "schedule", "wifi", "app", "battery", "c-wire", "zigbee", "refund", "refnd", "trv",
         "o/b", "remove old thermostat"]

NODE = "const LIMIT = %d;\n" % LIMIT + NODE_OPEN + """  for (const q of input.queries) {
    const row = [];
    for (const text of [q + ' ', q]) {
      const res = await index.search(text, Object.assign({limit: LIMIT}, input.options || {}));
      row.push([res.strong, res.hits.filter((h) => h.strong).map((h) => h.id), res.hits.map((h) => h.id)]);
    }
    out.push(row);
  }
  console.log(JSON.stringify(out));
})();
"""


def browser(site: Path, texts: list[str], assets: Path = ASSETS, options=None):
    """Per query: [(strong count, strong ids, ids) settled, (…) as typed]."""
    node = shutil.which("node")
    if not node:
        sys.exit("node is not installed")
    payload = {"assets": str(assets), "root": site.resolve().as_uri() + "/", "queries": texts, "options": options or {}}
    done = subprocess.run([node, "-e", NODE], input=json.dumps(payload), capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout)


def service(searcher, texts: list[str]):
    """Per query: (strong count, strong ids, ids, words that count)."""
    out = []
    for q in texts:
        res = searcher.search(q, limit=LIMIT, snippets=False)
        strong = res.strong if res.strong is not None else res.total
        out.append((strong, [h.id for h in res.hits if h.strong], [h.id for h in res.hits], len(res.clauses)))
    return out


def bag(ids) -> Counter:
    return Counter(ids)


def compare(texts, lexical, hybrid, client) -> tuple[dict, list[dict]]:
    rows = []
    for q, lex, hyb, (settled, typed) in zip(texts, lexical, hybrid or [None] * len(texts), client):
        row = {"q": q, "words": lex[3], "lexical": lex[0], "browser": settled[0], "typed": typed[0],
               "words_differ": bag(lex[1]) != bag(settled[1]) or lex[0] != settled[0],
               "completion": bag(typed[1]) != bag(settled[1]) or typed[0] != settled[0]}
        if hyb is not None:
            row["hybrid"] = hyb[0]
            row["meaning"] = bag(hyb[1]) != bag(lex[1]) or hyb[0] != lex[0]
            row["differ"] = bag(hyb[1]) != bag(settled[1]) or hyb[0] != settled[0]
            row["page_differ"] = bag(hyb[1]) != bag(typed[1]) or hyb[0] != typed[0]
            removed = bag(lex[1]) - bag(hyb[1])
            added = bag(hyb[1]) - bag(lex[1])
            row["meaning_removed"], row["meaning_added"] = sum(removed.values()), sum(added.values())
        rows.append(row)
    multi = [r for r in rows if r["words"] >= 2]
    n = len(multi) or 1
    out = {"queries": len(rows), "multi-word": len(multi),
           "lexical = browser": sum(not r["words_differ"] for r in multi) / n,
           "browser settled = as typed": sum(not r["completion"] for r in multi) / n}
    if hybrid is not None:
        differ = [r for r in multi if r["differ"]]
        out.update({
            "hybrid = browser": sum(not r["differ"] for r in multi) / n,
            "hybrid = browser as typed": sum(not r["page_differ"] for r in multi) / n,
            "hybrid = lexical": sum(not r["meaning"] for r in multi) / n,
            "differ": len(differ),
            "meaning only": sum(r["meaning"] and not r["words_differ"] for r in differ),
            "words only": sum(r["words_differ"] and not r["meaning"] for r in differ),
            "both": sum(r["meaning"] and r["words_differ"] for r in differ),
            "meaning removed (queries)": sum(r["meaning_removed"] > 0 for r in multi),
            "meaning added (queries)": sum(r["meaning_added"] > 0 for r in multi),
            "pages differing, every query": sum(r["page_differ"] for r in rows),
        })
    return out, rows


def demo():
    import yaml

    from carebase.content import load_catalogue

    rows = yaml.safe_load((HERE / "demo_queries.yml").read_text(encoding="utf-8"))
    texts = [str(r["query"]) for r in rows] + [q for q in EXTRA if q not in {str(r["query"]) for r in rows}]
    return load_catalogue(REPO / "content"), texts


def main(argv=None) -> int:
    import harness

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", action="store_true")
    ap.add_argument("--half", choices=("A", "B", "both"), default="A")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--differences", type=int, default=0, metavar="N")
    ap.add_argument("--assets", type=Path, default=ASSETS)
    ap.add_argument("--no-hybrid", action="store_true")
    ap.add_argument("--json", type=Path, help="write every query's row here")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)

    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    if args.demo:
        catalogue, texts = demo()
    else:
        chosen = harness.query_set(args)
        catalogue = chosen.catalogue()
        texts = [q.text for q in chosen.queries() if args.half == "both" or q.half == args.half]
    if args.limit:
        texts = texts[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix", site_search=Path(tmp) / "site")
        lexical = service(Searcher(open_index(Path(tmp) / "ix"), catalogue), texts)
        hybrid = None
        if not args.no_hybrid:
            from query_vectors import prime, search_text

            from carebase.search.semantic import SemanticIndex

            sem = SemanticIndex.build(catalogue, Path(tmp) / "ix")
            searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue, semantic=sem)
            prime([search_text(searcher, q) for q in texts])
            hybrid = service(searcher, texts)
        client = browser(Path(tmp) / "site", texts, args.assets)
    summary, rows = compare(texts, lexical, hybrid, client)
    print("| " + " | ".join(summary) + " |")
    print("| " + " | ".join("---:" for _ in summary) + " |")
    print("| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in summary.values()) + " |")
    if args.differences:
        print()
        shown = [r for r in rows if r.get("differ") or r.get("page_differ") or r["words_differ"]]
        for r in shown[: args.differences]:
            causes = [c for c, k in (("meaning", "meaning"), ("words", "words_differ"), ("completion", "completion"))
                      if r.get(k)]
            print(f"- {r['q']!r} ({r['words']} words): hybrid {r.get('hybrid', '-')}, lexical {r['lexical']}, "
                  f"browser {r['browser']} (as typed {r['typed']}): {', '.join(causes) or '-'}"
                  + (f"; meaning removed {r['meaning_removed']}, added {r['meaning_added']}" if 'meaning' in r else ""))
    if args.json:
        args.json.write_text(json.dumps(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
