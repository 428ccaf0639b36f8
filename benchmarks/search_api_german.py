"""Search API latency on a German site of 10,000 items, this checkout against another's code.

A German help centre of ``--items`` items (``benchmarks/search/german_site.py``: German sentences,
titles, headings and FAQ questions of the demo's and the German harness's pages, nouns varied;
deterministic) is written once as a German site's build output (``carebase.output``, as ``carebase
build`` does for a site whose language is German; kept in ``--site-data`` and reused when current).
Two real services (``python -m carebase service``, each its own process, rate limits off, the live
report only on demand) serve that one output: this checkout's interpreter, and ``--against``'s (a
virtual environment where the baseline's code is installed; the index format must be one both
read, which the script checks by asking each the same questions first). German questions
(``german_site.questions``: with a separated verb, which search reads joined, and without; distinct,
none repeated) are sent one at a time over HTTP on 127.0.0.1, each to both services, the order
alternating question by question, on one kept-alive connection each (the standard library's client:
little client cost in the measuring process). Printed per kind: each service's p50 / p99 in ms,
their ratios, the median of the question-by-question ratios, and whether every question's hits (ids,
in order) are the same from both — this checkout's search must answer as the baseline's.

    python benchmarks/search_api_german.py --against /path/to/baseline/.venv/bin/python [--site-data DIR]
    python benchmarks/search_api_german.py                # this checkout alone (no ratio)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent / "search"))

import german_site  # noqa: E402

from carebase.output import open_output  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """``python -m carebase service`` of one interpreter on a free port, and one connection to it."""

    def __init__(self, name: str, python: str, site_data: Path, tmp: Path):
        self.name, self.port = name, free_port()
        self.log = (tmp / f"{name}.log").open("w")
        self.proc = subprocess.Popen(
            [python, "-m", "carebase", "service", "--site-data", str(site_data), "--db", f"sqlite:///{tmp}/{name}.db",
             "--port", str(self.port), "--search-rate-limit", "0", "--rate-limit", "0", "--report-every", "0"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=tmp)
        self.conn = None
        deadline = time.monotonic() + 300
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"{name} ({python}): the service exited with {self.proc.returncode}; its log: "
                                 f"{tmp / (name + '.log')}")
            try:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                self.get("Konto")
                return
            except (OSError, http.client.HTTPException):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{name}: no answer on port {self.port} within 300 s")
                time.sleep(1)

    def get(self, q: str) -> list[str]:
        try:
            self.conn.request("GET", f"/api/v1/search?{urlencode({'q': q, 'limit': 10})}")
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # the server closed a connection left idle (while the other service started): once more
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request("GET", f"/api/v1/search?{urlencode({'q': q, 'limit': 10})}")
            r = self.conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"{self.name}: HTTP {r.status} for {q!r}: {body[:200]!r}")
        return [h["id"] for h in json.loads(body)["hits"]]

    def stop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--questions", type=int, default=1000, help="distinct questions of each kind (default 1000)")
    ap.add_argument("--against", metavar="PYTHON", help="the baseline's interpreter (a venv with its code installed)")
    ap.add_argument("--site-data", metavar="DIR", help="keep the German build output there (reused when current)")
    args = ap.parse_args(argv)
    if args.against and not Path(args.against).exists():
        ap.error(f"--against: {args.against}: no such interpreter")
    print(f"load average at start: {loadavg()} (2 cores)", flush=True)
    wording = german_site.Wording()
    with tempfile.TemporaryDirectory() as tmp:
        site_data = Path(args.site_data) if args.site_data else Path(tmp) / "site-data"
        t = time.perf_counter()
        open_output(site_data, german_site.catalogue(args.items, wording=wording), language="de").wait()
        print(f"German build output of {args.items:,} items: {time.perf_counter() - t:.0f} s", flush=True)
        qs = german_site.questions(args.questions, wording=wording)
        searcher = open_output(site_data).searcher(semantic=False)
        sizes = [int(x) for x in searcher.fast.segment_sizes]
        apart = sum(any(c.apart for c in searcher.build_query(q)[1]) for q in qs["separated"])
        print(f"index: {searcher.fast.n:,} records in segments of {', '.join(f'{x:,}' for x in sizes)}; "
              f"{apart} of the {len(qs['separated'])} questions with a separated verb hold it joined and apart in "
              f"one item (Whoosh's And)", flush=True)
        searcher.close()
        warm = german_site.questions(args.questions + 50, seed=50, wording=wording)
        services = [Service("this", sys.executable, site_data, Path(tmp))]
        if args.against:
            services.append(Service("baseline", args.against, site_data, Path(tmp)))
        try:
            for kind in qs:  # warm-up: 50 other questions of each kind
                for q in [q for q in warm[kind] if q not in set(qs[kind])][:50]:
                    for s in services:
                        s.get(q)
            times = {(s.name, kind): [] for s in services for kind in qs}
            differ = {kind: [] for kind in qs}
            order = [(kind, q) for pair in zip(qs["separated"], qs["other"]) for kind, q in zip(qs, pair)]
            for i, (kind, q) in enumerate(order):
                hits = {}
                for s in (services if i % 2 == 0 else services[::-1]):
                    t = time.perf_counter()
                    hits[s.name] = s.get(q)
                    times[(s.name, kind)].append((time.perf_counter() - t) * 1000)
                if len(set(map(tuple, hits.values()))) > 1:
                    differ[kind].append(q)
        finally:
            for s in services:
                s.stop()
    print("| German questions | n | this: p50 / p99 ms | baseline: p50 / p99 ms | p50 ratio | p99 ratio | "
          "median per-question ratio | same hits |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for kind in qs:
        a = times[("this", kind)]
        row = f"| {kind} | {len(a)} | {pct(a, 50):.2f} / {pct(a, 99):.2f} |"
        if args.against:
            b = times[("baseline", kind)]
            paired = pct([x / y for x, y in zip(a, b) if y > 0], 50)
            row += (f" {pct(b, 50):.2f} / {pct(b, 99):.2f} | {pct(a, 50) / pct(b, 50):.3f} | "
                    f"{pct(a, 99) / pct(b, 99):.3f} | {paired:.3f} | {len(a) - len(differ[kind])} of {len(a)} |")
        else:
            row += " | | | | |"
        print(row)
    for kind, qs_differ in differ.items():
        for q in qs_differ[:10]:
            print(f"  hits differ ({kind}): {q!r}")
    print(f"load average at the end: {loadavg()} (2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
