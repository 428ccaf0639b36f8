"""The client index's size: gzip bytes of its term shards (t-*.json, what a query word fetches),
as written (format 4) and with each term's items per field back in them (format 3, sessions
37-38: the shards' "f", which no browser reads; carebase serve's update in place reads them from
f-*.json now), and the f-*.json files themselves (written beside the shards, never fetched).

    python benchmarks/search/shard_size.py [--items N ...]

Without ``--items``: the demo help centre (content/); each N: search_api.py's generated corpus of N
items. "format 3" is the same build's t-*.json with its f-*.json's "f" put back after "c", byte for
byte what the build of format 3 wrote (checked against a6d1e44's writer on the demo and at 10,000
items, session 38).
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


def sizes(folder: Path) -> tuple[list[int], list[int], int]:
    """gzip bytes per term shard as written and in format 3, and of every f-*.json together."""
    now, before, fields = [], [], 0
    for path in sorted(folder.glob("t-*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        per_field = json.loads(path.with_name("f-" + path.name[2:]).read_text(encoding="utf-8"))
        now.append(gz(data))
        before.append(gz({**data, "f": per_field["f"]}))
        fields += gz(per_field)
    return now, before, fields


def row(name: str, folder: Path) -> str:
    now, before, fields = sizes(folder)
    return (f"| {name} | {len(now)} | {sum(before):,} → {sum(now):,} ({sum(now) / sum(before) - 1:+.1%}) | "
            f"{statistics.mean(before):,.0f} → {statistics.mean(now):,.0f} | "
            f"{statistics.median(before):,.0f} → {statistics.median(now):,.0f} | {max(before):,} → {max(now):,} | "
            f"{fields:,} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, nargs="*", default=[])
    args = ap.parse_args(argv)
    from carebase.content import load_catalogue
    from carebase.pages.search_shards import build_search_shards

    print("| help centre | shards | gzip bytes, every t-*.json: format 3 → 4 | per shard, mean | median | max "
          "| f-*.json (not fetched) |")
    print("| --- | ---: | --- | --- | --- | --- | ---: |")
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
