"""The client index's size: gzip bytes of its term shards (t-*.json, what a query word fetches),
with and without the service's scores the strong rule reads (each shard's "c" and "f", session 37).

    python benchmarks/search/shard_size.py [--items N ...]

Without ``--items``: the demo help centre (content/); each N: search_api.py's generated corpus of N
items. "without" is the same build's shards with "c" and "f" taken out (what main wrote before).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def gz(data) -> int:
    return len(gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9))


def sizes(folder: Path) -> tuple[list[int], list[int]]:
    """gzip bytes per term shard, as written and without "c" and "f"."""
    now, before = [], []
    for path in sorted(folder.glob("t-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        now.append(gz(data))
        before.append(gz({k: v for k, v in data.items() if k not in ("c", "f")}))
    return now, before


def row(name: str, folder: Path) -> str:
    now, before = sizes(folder)
    return (f"| {name} | {len(now)} | {sum(before):,} → {sum(now):,} ({sum(now) / sum(before) - 1:+.1%}) | "
            f"{statistics.mean(before):,.0f} → {statistics.mean(now):,.0f} | "
            f"{statistics.median(before):,.0f} → {statistics.median(now):,.0f} | {max(before):,} → {max(now):,} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, nargs="*", default=[])
    args = ap.parse_args(argv)
    from carebase.content import load_catalogue
    from carebase.pages.search_shards import build_search_shards

    print("| help centre | shards | gzip bytes, every shard: without → with | per shard, mean | median | max |")
    print("| --- | ---: | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.items:
            build_search_shards(load_catalogue(REPO / "content"), Path(tmp) / "demo")
            print(row("demo", Path(tmp) / "demo"))
        sys.path.insert(0, str(REPO / "benchmarks"))
        from search_api import generate

        for n in args.items:
            build_search_shards(generate(n), Path(tmp) / str(n))
            print(row(f"{n:,} items", Path(tmp) / str(n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
