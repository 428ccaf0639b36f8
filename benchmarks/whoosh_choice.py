"""Choosing the Whoosh distribution: whoosh 2.7.4 vs whoosh-reloaded vs whoosh-ng.

Each distribution is installed into its own virtual environment outside the repository
(default /tmp/carebase-whoosh-choice; reused when present) and measured by the same
worker on the same generated documents:

* modules of the package that fail to compile with warnings as errors (``-W error``);
* time to index N documents (~300 words, stemming analyser, one writer) and index size;
* query time (p50/p99 over OR queries, BM25F, top 10) and whether the rankings agree.

    python benchmarks/whoosh_choice.py [--docs 3000] [--queries 500] [--venvs DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

DISTS = {"whoosh 2.7.4": "whoosh==2.7.4", "whoosh-reloaded": "whoosh-reloaded", "whoosh-ng": "whoosh-ng"}

WORKER = textwrap.dedent(r'''
    import json, os, random, shutil, sys, tempfile, time, warnings
    from importlib.metadata import version, PackageNotFoundError
    import whoosh
    ndocs, nq = int(sys.argv[1]), int(sys.argv[2])
    pkg = os.path.dirname(whoosh.__file__)
    failing = []
    for root, _, files in os.walk(pkg):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(root, f)
                src = open(path, encoding="utf-8").read()
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    try:
                        compile(src, path, "exec")
                    except (SyntaxError, SyntaxWarning, DeprecationWarning) as exc:
                        failing.append(os.path.relpath(path, pkg) + ": " + type(exc).__name__)
    from whoosh import index, scoring
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import OrGroup, MultifieldParser
    rnd = random.Random(7)
    vocab = ["w%d%s" % (i, "ing" if i % 3 == 0 else "s" if i % 3 == 1 else "ed") for i in range(20000)]
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    docs = [(str(n), " ".join(rnd.choices(vocab, weights, k=8)), " ".join(rnd.choices(vocab, weights, k=300)))
            for n in range(ndocs)]
    queries = [" ".join(rnd.choices(vocab[:3000], k=rnd.randint(1, 4))) for _ in range(nq)]
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=StemmingAnalyzer(), field_boost=3.0),
                    body=TEXT(analyzer=StemmingAnalyzer()))
    folder = tempfile.mkdtemp()
    t = time.perf_counter()
    ix = index.create_in(folder, schema)
    w = ix.writer(limitmb=128)
    for i, title, body in docs:
        w.add_document(id=i, title=title, body=body)
    w.commit()
    index_s = time.perf_counter() - t
    size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup.factory(0.9))
    times, tops = [], []
    with ix.searcher(weighting=scoring.BM25F()) as s:
        for q in queries:
            qq = parser.parse(q)
            t = time.perf_counter()
            r = s.search(qq, limit=10)
            tops.append([h["id"] for h in r])
            times.append(time.perf_counter() - t)
    shutil.rmtree(folder)
    times.sort()
    print(json.dumps({"failing": failing, "index_s": index_s, "size": size,
                      "p50_ms": times[len(times) // 2] * 1000, "p99_ms": times[int(len(times) * 0.99)] * 1000,
                      "tops": tops, "python": sys.version.split()[0]}))
''')


def ensure_venv(root: Path, name: str, requirement: str) -> Path:
    folder = root / name.replace(" ", "-")
    py = folder / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", requirement], check=True)
    return py


def installed_version(py: Path, requirement: str) -> str:
    dist = requirement.split("==")[0]
    out = subprocess.run([str(py), "-c", f"from importlib.metadata import version; print(version({dist!r}))"],
                         capture_output=True, text=True)
    return out.stdout.strip()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=3000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--venvs", default="/tmp/carebase-whoosh-choice")
    args = ap.parse_args(argv)
    root = Path(args.venvs)
    root.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, req in DISTS.items():
        py = ensure_venv(root, name, req)
        out = subprocess.run([str(py), "-c", WORKER, str(args.docs), str(args.queries)],
                             capture_output=True, text=True, check=True)
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
        results[name]["version"] = installed_version(py, req)
    base = results["whoosh 2.7.4"]
    print(f"{args.docs} documents of ~300 words, {args.queries} queries, Python {base['python']}\n")
    print("| distribution | version | modules failing `-W error` compile | index time | vs 2.7.4 | index size | vs 2.7.4 | query p50 | query p99 | same top-10 as 2.7.4 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        same = sum(a == b for a, b in zip(r["tops"], base["tops"])) / len(base["tops"])
        print(f"| {name} | {r['version']} | {len(r['failing'])} | {r['index_s']:.1f} s | {r['index_s'] / base['index_s']:.2f}× "
              f"| {r['size'] / 1e6:.1f} MB | {r['size'] / base['size']:.2f}× | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms | {same:.0%} |")
    for name, r in results.items():
        if r["failing"]:
            print(f"\n{name}: " + "; ".join(r["failing"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
