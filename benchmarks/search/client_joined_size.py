"""What the client index (the site's fallback when the service is down) carries to read German
separated verbs joined: meta.json's placement words (``separable``) and each shard's verb forms
(``"j"``: simplemma's forms whose joined base form stems to a term of the index,
``carebase.text.separable.client_forms``), in bytes as written and gzip-compressed (as a server
sends JSON), on the German demo, the German harness and a generated German site
(``german_site.py``), and the bound: an index holding every joined verb simplemma's table can
make.

    python benchmarks/search/client_joined_size.py [--items 10000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import german_site  # noqa: E402
import harness  # noqa: E402

from carebase.content.languages import Languages  # noqa: E402
from carebase.content.translations import load_languages  # noqa: E402
from carebase.pages.search_shards import build_search_shards  # noqa: E402
from carebase.text import analyser_for  # noqa: E402
from carebase.text.separable import SEPARABLE, _lemmas, client_forms, client_rules  # noqa: E402


def size(data) -> tuple[int, int]:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return len(raw), len(gzip.compress(raw))


def row(name: str, catalogue, source=None) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        meta = build_search_shards(catalogue, tmp, source=source)
        shards = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in Path(tmp).glob("t-*.json")}
    joins = {name: s["j"] for name, s in shards.items() if s.get("j")}
    alone = sum(1 for s in shards.values() if s.get("j") and not s["t"])
    sizes = sorted(size(j) for j in joins.values())
    entries = sum(len(j) for j in joins.values())
    whole = [size(s) for s in shards.values()]
    if not sizes:
        return f"| {name} | {len(shards)} | 0 | 0 | | | |"
    return (f"| {name} | {len(shards)} ({alone} for verb forms alone) | {len(joins)} | {entries} | "
            f"{statistics.median(s[0] for s in sizes):.0f} / {sizes[-1][0]:,} ({max(s[1] for s in sizes):,} gz) | "
            f"{sum(s[0] for s in sizes):,} ({sum(s[1] for s in sizes):,} gz) | "
            f"{statistics.median(s[0] for s in whole):.0f} / {max(s[0] for s in whole):,} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    args = ap.parse_args(argv)
    raw, gz = size(client_rules())
    print(f"meta.json's placement words (\"separable\"): {raw:,} bytes ({gz:,} gz)\n")
    print("| German index | shards | with verb forms | entries | a shard's verb forms: median / largest bytes | "
          "all verb forms | a shard, all of it: median / largest bytes |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for root, name in ((german_site.DEMO, "demo (content/)"), (harness.HELPCENTRE, "German harness")):
        ml = load_languages(root, Languages(("en", "de"))).published()
        print(row(name, ml.catalogues["de"], ml.catalogues["en"]))
    print(row(f"generated, {args.items:,} items", german_site.catalogue(args.items)))
    analyser = analyser_for("de")
    joined = {analyser.stem(prefix + base) for base in set(_lemmas(analyser).values()) for prefix in SEPARABLE}
    bound = client_forms(analyser, joined)
    raw, gz = size({looked_up: base for looked_up, _verb, base in bound})
    print(f"\nBound (every joined verb of simplemma's German table a term): {len(bound):,} entries, {raw:,} bytes "
          f"({gz:,} gz) over all shards")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
