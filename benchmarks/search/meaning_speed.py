"""Speed and memory of each embedding backend: load, one query, many passages.

    python benchmarks/search/meaning_speed.py [--backends minilm-onnx,e5,wordllama] [--items 1000]
    python benchmarks/search/meaning_speed.py --backends minilm-onnx,minilm-onnx-fp32,minilm-int8-numpy

Each backend runs in its own fresh process (so memory is its own): load time, resident
memory growth (after loading and the single queries, as in a service that only answers
searches, and at the end; each with its peak), embedding one query at a time (1,000
distinct harness queries, no cache: wall p50 / p99, and process CPU time p50, less sensitive to a loaded machine), short texts in bulk (2,000 other harness queries in one call: texts/s),
and document embedding as the build does it (each item's "about" and whole-text passages,
``semantic.record_vectors``) over the first ``--items`` items of search_api.py's 10,000-item
catalogue: items/s and the projection for 10,000 items; throughputs also per second of
process CPU time. CAREBASE_EMBED_THREADS sets the threads (carebase's default: 1).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_mb(field: str = "VmRSS") -> float:
    """Resident memory (``VmHWM``: its peak) of this process, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def one(name: str, items: int) -> dict:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    import extra_backends
    import harness
    from search_api import generate

    import numpy as np

    from carebase.search import embedders, semantic
    from carebase.search.records import catalogue_records

    extra_backends.register()
    texts = [q.text for q in harness.load_queries(harness.load_intents())]
    records = list(catalogue_records(generate(10000)))[:items]
    before = rss_mb()
    t = time.perf_counter()
    e = embedders.BACKENDS[name]()
    load_s = time.perf_counter() - t
    e.embed(["warm up"], "query")
    lat, cpu = [], []
    for q in dict.fromkeys(texts[:1000]):
        t, c = time.perf_counter(), time.process_time()
        e.embed([q], "query")
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    lat.sort()
    cpu.sort()
    query_rss, query_peak = rss_mb() - before, rss_mb("VmHWM") - before  # a service answering searches
    t, c = time.perf_counter(), time.process_time()
    e.embed(texts[2000:4000], "query")
    bulk, bulk_cpu = 2000 / (time.perf_counter() - t), 2000 / (time.process_time() - c)
    os.environ["CAREBASE_CACHE_DIR"] = "off"

    class Direct:  # record_vectors through the backend itself, no cache
        def passages(self, ts):
            return e.embed(ts, "passage")

    t, c = time.perf_counter(), time.process_time()
    semantic.record_vectors(records, Direct())
    per_s, per_cpu_s = len(records) / (time.perf_counter() - t), len(records) / (time.process_time() - c)
    return {"backend": name, "model": e.model_id, "load_s": round(load_s, 2),
            "rss_mb": round(rss_mb() - before), "query_p50_ms": round(lat[len(lat) // 2], 2),
            "query_p99_ms": round(lat[int(len(lat) * 0.99)], 2),
            "query_cpu_p50_ms": round(cpu[len(cpu) // 2], 2), "short_texts_per_s": round(bulk),
            "short_texts_per_cpu_s": round(bulk_cpu), "items_per_s": round(per_s, 1),
            "items_per_cpu_s": round(per_cpu_s, 1), "items_10k_s": round(10000 / per_s),
            "peak_mb": round(rss_mb("VmHWM") - before),
            "query_rss_mb": round(query_rss), "query_peak_mb": round(query_peak), "load_avg": os.getloadavg()[0],
            "threads": embedders._threads(), "numpy": np.__version__}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", default="minilm-onnx,e5,wordllama")
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one, args.items)))
        return 0
    print("| backend | load s | memory MB after queries (peak) | at the end (peak) | one query p50 ms | p99 ms | CPU p50 ms | short texts/s "
          "(per CPU s) | items/s, 2 passages each (per CPU s) | 10,000 items s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in args.backends.split(","):
        out = subprocess.run([sys.executable, __file__, "--one", name, "--items", str(args.items)],
                             capture_output=True, text=True)
        if out.returncode:
            print(f"| {name} | failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode} |")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {r['backend']} | {r['load_s']} | {r['query_rss_mb']} ({r['query_peak_mb']}) | {r['rss_mb']} ({r['peak_mb']}) | {r['query_p50_ms']} | "
              f"{r['query_p99_ms']} | {r['query_cpu_p50_ms']} | {r['short_texts_per_s']} ({r['short_texts_per_cpu_s']}) | "
              f"{r['items_per_s']} ({r['items_per_cpu_s']}) | {r['items_10k_s']} |  (load avg {r['load_avg']:.1f}, "
              f"{r['threads']} threads)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
