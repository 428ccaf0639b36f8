"""Does a change keep search results? Every field of every hit, this checkout against a git ref's code.

A speed change to search must not change what customers get. This writes (or reuses) the
build output of ``search_api.py``'s generated help centre, then answers the same new queries
(``search_api.queries``, each new to its process: the hybrid path embeds every one) with this
checkout's ``generator/`` and with the ``generator/`` of ``--against`` (``git archive``'d into a
temporary folder and imported as ``carebase`` in a process of its own), through
``Searcher.search`` over the output's searcher (hybrid when it holds vectors, as the service
answers), and compares every query's results: ids, kinds, titles, URLs, snippets, scores,
strong flags, totals, counts and the suggestion.

    python benchmarks/search_same_results.py --against main [--items 10000] [--queries 500] [--site-data DIR]

Exit status 1 when any query's results differ (the first differences are printed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# run in each process (this checkout's code, or the ref's): every query's results as JSON
DUMP = r"""
import json, sys
from carebase.output import open_output
site_data, queries, warm, out = sys.argv[1:5]
searcher = open_output(site_data).searcher()
for q in json.loads(open(warm).read()):
    searcher.search(q)
rows = []
for q in json.loads(open(queries).read()):
    r = searcher.search(q)
    rows.append([r.total, r.suggestion, r.counts, r.strong, r.strong_counts,
                 [[h.id, h.kind, h.title, h.url, h.snippet, h.score, h.key, h.strong] for h in r.hits]])
open(out, "w").write(json.dumps({"hybrid": searcher.semantic is not None, "results": rows}))
"""


def ref_code(ref: str, into: Path) -> Path:
    """``generator/`` at ``ref``, as an importable ``carebase`` package under ``into``."""
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "generator"], capture_output=True, check=False)
    if tar.returncode:
        raise SystemExit(f"--against {ref}: git archive failed: {tar.stderr.decode().strip()}")
    with tarfile.open(fileobj=BytesIO(tar.stdout)) as archive:
        archive.extractall(into, filter="data")
    (into / "generator").rename(into / "carebase")
    return into


def dump(site_data: Path, qs: Path, warm: Path, out: Path, pythonpath: Path | None) -> dict:
    env = dict(os.environ)
    if pythonpath is not None:  # before the editable install's finder: the ref's package wins
        env["PYTHONPATH"] = os.pathsep.join([str(pythonpath), *filter(None, [env.get("PYTHONPATH")])])
    subprocess.run([sys.executable, "-c", DUMP, str(site_data), str(qs), str(warm), str(out)], env=env, check=True)
    return json.loads(out.read_text())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", required=True, metavar="REF", help="the git ref whose generator/ to compare with")
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--site-data", metavar="DIR", help="the build output to write or reuse (default: temporary)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import search_api

    from carebase.output import open_output

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site_data = Path(args.site_data) if args.site_data else tmp / "site-data"
        open_output(site_data, search_api.generate(args.items)).wait()
        qs, warm = tmp / "queries.json", tmp / "warm.json"
        queries = search_api.queries(args.queries)
        qs.write_text(json.dumps(queries))
        warm.write_text(json.dumps(search_api.queries(30, seed=99)))
        ours = dump(site_data, qs, warm, tmp / "ours.json", None)
        theirs = dump(site_data, qs, warm, tmp / "theirs.json", ref_code(args.against, tmp / "ref"))
    same = [a == b for a, b in zip(ours["results"], theirs["results"])]
    ranked = sum([h[0] for h in a[5]] == [h[0] for h in b[5]] for a, b in zip(ours["results"], theirs["results"]))
    print(f"{args.items} items, {len(same)} new queries, {'hybrid' if ours['hybrid'] else 'lexical'} search "
          f"(the ref's: {'hybrid' if theirs['hybrid'] else 'lexical'}): the same ranked ids for {ranked} of "
          f"{len(same)}; every field of every hit the same for {sum(same)} of {len(same)} (against {args.against})")
    for i, ok in enumerate(same):
        if not ok:
            print(f"  differs: {queries[i]!r}\n    this checkout: {ours['results'][i]}\n    {args.against}: "
                  f"{theirs['results'][i]}")
            if sum(not s for s in same[: i + 1]) >= 3:
                break
    return 0 if all(same) and ours["hybrid"] == theirs["hybrid"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
