"""One search whether the service answers or not: the client index (the sharded index the site
falls back to, search-index.js and analyser.js run in Node) against the lexical search API
(carebase.search.query.Searcher, BM25F), on the same help centre and the same queries.

For each query set, per engine: hit@1 and hit@5 (the first 5 distinct items, strong then weaker
matches as each lists them), and between the two: top-1 agreement (the same first item), top-5
agreement (the share of the API's first 5 items the client index also lists in its first 5),
the did-you-mean (both or neither suggest, and the same text), and the strong matches (what each
shows before "Show weaker matches"): the share of queries whose strong items are the same set,
their overlap (items strong on both sides over items strong on either, per query, averaged), and
each side's strong items per query (mean), on the queries of two or more words (one word: every
match is strong on both sides).

    python benchmarks/search/client_parity.py [--demo | --words N] [--set first|second|third --data PATH]
                                             [--limit N] [--differences N] [--assets DIR]

``--german``: the German pages of the demo and of the German harness and every German question of the
benchmark sets asked of each (``german_site.seed_questions``; seen data: a guard), split by whether
search reads a separated verb in the question (its clauses hold the joined verb), the rows per help
centre and kind; ``--assets`` of another version gives its rows on the same shards.
``--demo``: the demo help centre (content/) and its judged multi-word queries
(demo_queries.yml); ``--words N``: a help centre of N items past the client index's postings cap
(search_api.py's corpus, words drawn from the bank help centre; its 1,000 drawn queries, no
judgements: the agreement figures only); otherwise a relevance harness set (harness.py: the
first set's BANKING77 queries by default). ``--assets``: the folder of the analyser.js and
search-index.js to run (another version's, for a before/after on the same shards). Needs Node (the browser's own scripts are run, not a copy of them).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ASSETS = REPO / "theme" / "assets" / "carebase"
sys.path.insert(0, str(HERE))

#: Results asked of each side: enough to hold every strong match of a help centre this size
LIMIT = 200
#: search-index.js over the shards in ``input.root``: each query's result ids (``LIMIT``), did-you-mean
#: and strong ids, as the search page searches a settled query (a trailing space: no completion)
#: Node's opening: the browser's scripts (``input.assets``) run over a file-system fetch, and the
#: client index opened at ``input.root`` (``index``, with ``out`` to fill and print); strong_parity.py's too
NODE_OPEN = """
const vm = require('vm'); const fs = require('fs'); const {fileURLToPath} = require('url');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const fetch = (url) => { const path = fileURLToPath(url); const ok = fs.existsSync(path);
  return Promise.resolve({ok, status: ok ? 200 : 404, json: () => Promise.resolve(JSON.parse(fs.readFileSync(path, 'utf8')))}); };
const ctx = {window: {}, URL, fetch}; vm.createContext(ctx);
for (const name of ['analyser.js', 'search-index.js']) vm.runInContext(fs.readFileSync(input.assets + '/' + name, 'utf8'), ctx);
(async () => {
  const index = await ctx.window.carebaseSearchIndex.open(input.root); const out = [];
"""
NODE = "const LIMIT = %d;\n" % LIMIT + NODE_OPEN + """  for (const q of input.queries) {
    const res = await index.search(q + ' ', {limit: LIMIT});
    out.push([res.hits.map((h) => h.id), res.suggestion || null, res.hits.filter((h) => h.strong).map((h) => h.id)]);
  }
  console.log(JSON.stringify(out));
})();
"""


@dataclass
class Query:
    text: str
    relevant: frozenset
    half: str = ""  # the relevance harness's half (A: tuning, B: held out)


def client_answers(site_search: Path, texts: list[str], assets: Path = ASSETS) -> list[tuple[list[str], str | None, list[str]]]:
    node = shutil.which("node")
    if not node:
        sys.exit("node is not installed: the client index's scripts run in Node")
    payload = {"assets": str(assets), "root": site_search.resolve().as_uri() + "/", "queries": texts}
    done = subprocess.run([node, "-e", NODE], input=json.dumps(payload), capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stderr)
    return [(ids, suggestion, strong) for ids, suggestion, strong in json.loads(done.stdout)]


def api_answers(searcher, texts: list[str]) -> list[tuple[list[str], str | None, list[str], int]]:
    """(ids, did-you-mean, strong ids, words that count) per query."""
    out = []
    for q in texts:
        res = searcher.search(q, limit=LIMIT, snippets=False)
        out.append(([h.id for h in res.hits], res.suggestion, [h.id for h in res.hits if h.strong], len(res.clauses)))
    return out


def first(ids: list[str], n: int) -> list[str]:
    return list(dict.fromkeys(ids))[:n]


def compare(queries: list[Query], api, client) -> dict:
    n = len(queries)
    out = {"queries": n, "api hit@1": 0.0, "api hit@5": 0.0, "client hit@1": 0.0, "client hit@5": 0.0,
           "top-1 agreement": 0.0, "top-5 agreement": 0.0, "did-you-mean agreement": 0.0,
           "api did-you-means": 0, "client did-you-means": 0,
           "multi-word": 0, "strong sets equal": 0.0, "strong overlap": 0.0, "api strong": 0.0, "client strong": 0.0}
    for q, (a_ids, a_dym, a_strong, words), (c_ids, c_dym, c_strong) in zip(queries, api, client):
        if words >= 2:
            a_set, c_set = set(a_strong), set(c_strong)
            out["multi-word"] += 1
            out["strong sets equal"] += a_set == c_set
            out["strong overlap"] += len(a_set & c_set) / len(a_set | c_set) if a_set | c_set else 1.0
            out["api strong"] += len(a_set)
            out["client strong"] += len(c_set)
        a5, c5 = first(a_ids, 5), first(c_ids, 5)
        out["api hit@1"] += bool(a5) and a5[0] in q.relevant
        out["api hit@5"] += any(i in q.relevant for i in a5)
        out["client hit@1"] += bool(c5) and c5[0] in q.relevant
        out["client hit@5"] += any(i in q.relevant for i in c5)
        out["top-1 agreement"] += a5[:1] == c5[:1]
        out["top-5 agreement"] += len(set(a5) & set(c5)) / len(a5) if a5 else float(not c5)
        out["did-you-mean agreement"] += (a_dym or "").lower() == (c_dym or "").lower()
        out["api did-you-means"] += a_dym is not None
        out["client did-you-means"] += c_dym is not None
    for k in ("api hit@1", "api hit@5", "client hit@1", "client hit@5", "top-1 agreement", "top-5 agreement",
              "did-you-mean agreement"):
        out[k] /= n
    for k in ("strong sets equal", "strong overlap", "api strong", "client strong"):
        out[k] /= out["multi-word"] or 1
    return out


def differences(queries: list[Query], api, client, limit: int) -> list[str]:
    rows = []
    for q, (a_ids, a_dym, a_strong, _words), (c_ids, c_dym, c_strong) in zip(queries, api, client):
        a5, c5 = first(a_ids, 5), first(c_ids, 5)
        if a5[:1] != c5[:1] or (a_dym or "") != (c_dym or "") or set(a_strong) != set(c_strong):
            rows.append(f"- {q.text!r}: API {a5[:3]} ({a_dym or '-'}, {len(set(a_strong))} strong) | "
                        f"client {c5[:3]} ({c_dym or '-'}, {len(set(c_strong))} strong)")
    return rows[:limit]


def demo_queries() -> tuple[object, list[Query]]:
    import yaml

    from carebase.content import load_catalogue

    rows = yaml.safe_load((HERE / "demo_queries.yml").read_text(encoding="utf-8"))
    return load_catalogue(REPO / "content"), [Query(str(r["query"]), frozenset(r["relevant"])) for r in rows]


def harness_queries(args) -> tuple[object, list[Query]]:
    import harness

    chosen = harness.query_set(args)
    return chosen.catalogue(), [Query(q.text, frozenset([q.target]), q.half) for q in chosen.queries()]


def words_queries(n: int) -> tuple[object, list[Query]]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from search_api import generate, queries

    return generate(n), [Query(q, frozenset()) for q in queries(1_000)]


def main(argv=None) -> int:
    import harness

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo", action="store_true", help="the demo help centre and demo_queries.yml")
    ap.add_argument("--german", action="store_true", help="the German demo and harness pages, the German sets")
    ap.add_argument("--words", type=int, default=0, metavar="N", help="a help centre of N items (search_api.py's corpus)")
    ap.add_argument("--assets", type=Path, default=ASSETS, help="the folder of analyser.js and search-index.js")
    ap.add_argument("--limit", type=int, default=0, help="only the first N queries (0: all)")
    ap.add_argument("--differences", type=int, default=0, metavar="N",
                    help="also list N queries whose first result or did-you-mean differ")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)

    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    if args.german:
        return german(args)
    catalogue, queries = (demo_queries() if args.demo else words_queries(args.words) if args.words
                          else harness_queries(args))
    if args.limit:
        queries = queries[: args.limit]
    texts = [q.text for q in queries]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix", site_search=Path(tmp) / "site")
        searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue)
        api = api_answers(searcher, texts)
        searcher.close()
        client = client_answers(Path(tmp) / "site", texts, args.assets)
    m = compare(queries, api, client)
    print("| queries | API hit@1 | API hit@5 | client hit@1 | client hit@5 | top-1 agreement | top-5 agreement "
          "| did-you-mean agreement (API / client suggest) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    print(f"| {m['queries']} | {m['api hit@1']:.3f} | {m['api hit@5']:.3f} | {m['client hit@1']:.3f} | "
          f"{m['client hit@5']:.3f} | {m['top-1 agreement']:.3f} | {m['top-5 agreement']:.3f} | "
          f"{m['did-you-mean agreement']:.3f} ({m['api did-you-means']} / {m['client did-you-means']}) |")
    print()
    print("| multi-word queries | strong sets equal | strong overlap | API strong, mean | client strong, mean |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(f"| {m['multi-word']} | {m['strong sets equal']:.3f} | {m['strong overlap']:.3f} | {m['api strong']:.2f} | "
          f"{m['client strong']:.2f} |")
    if args.differences:
        print()
        print("\n".join(differences(queries, api, client, args.differences)))
    return 0


def german(args) -> int:
    """``--german``: the rows per German help centre, questions with a separated verb and without."""
    import separable_search

    from carebase.content.languages import Languages
    from carebase.content.translations import load_languages
    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    asked: dict[str, list[Query]] = {"demo": [], "harness": []}
    for kind in ("seen3", "confirm3"):
        for where, questions in separable_search.sets(kind).values():
            asked[where] += [Query(" ".join(q.split()), frozenset(accept)) for q, accept in questions if accept]
    print("| help centre | questions | n | API hit@1 | API hit@5 | client hit@1 | client hit@5 | top-1 agreement "
          "| top-5 agreement |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = []
    for where, root in (("demo", separable_search.DEMO), ("harness", separable_search.harness.HELPCENTRE)):
        ml = load_languages(root, Languages(("en", "de"))).published()
        queries = list({q.text: q for q in asked[where]}.values())
        with tempfile.TemporaryDirectory() as tmp:
            build_index(ml.catalogues["de"], Path(tmp) / "ix", site_search=Path(tmp) / "site", source=ml.catalogues["en"])
            searcher = Searcher(open_index(Path(tmp) / "ix"), ml.catalogues["de"])
            texts = [q.text for q in queries]
            joined = [any(c.verb for c in searcher.build_query(t)[1]) for t in texts]
            api = api_answers(searcher, texts)
            searcher.close()
            client = client_answers(Path(tmp) / "site", texts, args.assets)
        for label, want in (("with a separated verb", True), ("without", False)):
            at = [i for i, j in enumerate(joined) if j == want]
            m = compare([queries[i] for i in at], [api[i] for i in at], [client[i] for i in at])
            print(f"| {where} | {label} | {m['queries']} | {m['api hit@1']:.3f} | {m['api hit@5']:.3f} | "
                  f"{m['client hit@1']:.3f} | {m['client hit@5']:.3f} | {m['top-1 agreement']:.3f} | "
                  f"{m['top-5 agreement']:.3f} |")
            if args.differences:
                rows += differences([queries[i] for i in at], [api[i] for i in at], [client[i] for i in at],
                                    args.differences)
    if rows:
        print()
        print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
