"""Live report scale benchmark: ``GET /report`` of the service at 1,000,000 votes and
1,000,000 searches over 10,000 items (the store and content of ``report_scale.py``).

Steps, timed in one run:

1. a ``carebase service`` process (``--site-data``, the build output made for the content, ``--report-dir``, ``--report-every 0``),
   asked once, builds the 28-day model in its background child (``carebase report --format json``); the
   build's wall time is printed (it is what "Refresh now" costs at this size);
2. that service is stopped and a fresh one started on the same ``--report-dir``, so the first
   view comes from the kept model on disk (parsed once, then rendered): **the first view**
   (target ≤ 2 s) is the first ``GET /report`` after start-up;
3. **filter changes** (target ≤ 1 s): ``GET /report`` with, in turn, an owner, a category, a
   kind, a status, an action and the next page, each ``--repeat`` times (median and maximum);
4. as a baseline measured in the same run, ``GET /healthz`` (the service's cheapest page)
   and ``GET /api/v1/backlog`` (the same rows as JSON, no HTML).

    python benchmarks/live_report_scale.py --keep /tmp/live-bench   # generates the data on
                                                                    # the first run (7–13 min)

A folder prepared by ``report_scale.py --keep DIR`` is reused as it is.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from processes import stop  # noqa: E402
from report_scale import generate, migrate  # noqa: E402
from synthetic_content import make_catalogue, write_tree  # noqa: E402

TOKEN = "bench-token"


def site_data(content: Path, folder: Path) -> Path:
    """The build output the service reads (carebase.output), made current for the content."""
    from carebase.content import load_catalogue
    from carebase.output.build import open_output

    open_output(folder, load_catalogue(content), worker=False)
    return folder


def start_service(content: Path, db: Path, report_dir: Path, port: int) -> subprocess.Popen:
    data = site_data(content, content.parent / "site-data")
    command = [sys.executable, "-m", "carebase", "service", "--db", f"sqlite:///{db}", "--site-data", str(data),
               "--report-dir", str(report_dir), "--report-every", "0", "--token", TOKEN, "--port", str(port),
               "--rate-limit", "0", "--learn-every", "0"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "CI": "1"})
    deadline = time.monotonic() + 900  # it indexes the 10,000 items for search first
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 503):
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the service did not start:\n{proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.2)


def timed(client: httpx.Client, path: str, **params) -> float:
    started = time.perf_counter()
    answer = client.get(path, params=params)
    elapsed = time.perf_counter() - started
    if answer.status_code != 200:
        raise SystemExit(f"GET {path} {params}: {answer.status_code} {answer.text[:300]}")
    return elapsed


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Live report scale benchmark")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="requests per filter (default 5)")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="carebase-live-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        faq_groups, questions, videos = max(1, args.items // 200), 16, max(1, args.items // 50)
        articles = args.items - faq_groups * questions - videos
        catalogue = make_catalogue(articles, faq_groups, questions, videos, root=str(work / "content"))
        content, db, live = work / "content", work / "feedback.db", work / "live"
        if not db.exists():
            shutil.rmtree(content, ignore_errors=True)
            write_tree(catalogue, content)
            started = time.perf_counter()
            counts = generate(db, catalogue, args.votes, args.searches)
            print(f"generated {counts} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        migrate(db)
        port = free_port()
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", auth=("lead", TOKEN), timeout=600)
        model = live / "28d" / "report.json"
        if not model.exists():
            proc = start_service(content, db, live, port)
            started = time.perf_counter()
            try:
                client.get("/api/v1/backlog")  # the first ask starts the build
                while not model.exists():
                    if proc.poll() is not None:
                        raise SystemExit("the service stopped while building")
                    time.sleep(1)
                while client.get("/api/v1/backlog", params={"page": 1}).json().get("building"):
                    time.sleep(1)
            finally:
                stop(proc)
            print(f"model build (carebase report --format json, in the service's child): "
                  f"{time.perf_counter() - started:.1f} s wall, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
        proc = start_service(content, db, live, port)
        try:
            first = timed(client, "/report")
            rows = client.get("/api/v1/backlog", params={"status": "all"}).json()["rows"]
            owner = max({r["owner"] for r in rows}, key=lambda o: sum(r["owner"] == o for r in rows))
            category = next(r["category"] for r in rows if r.get("category"))
            filters = [("owner", {"owner": owner}), ("category", {"category": category}), ("kind", {"kind": "article"}),
                       ("status", {"status": "all"}), ("action", {"action": "fix"}), ("page 2", {"status": "all", "page": 2}),
                       ("owner + kind", {"owner": owner, "kind": "article"})]
            results = []
            for label, params in filters:
                times = [timed(client, "/report", **params) for _ in range(args.repeat)]
                results.append((label, times))
            health = [timed(client, "/healthz") for _ in range(args.repeat)]
            api = [timed(client, "/api/v1/backlog", owner=owner) for _ in range(args.repeat)]
            size = len(client.get("/report", params={"status": "all"}).content)
        finally:
            stop(proc)
        load = os.getloadavg()[0]
        print(f"{len(rows):,} backlog rows; /report?status=all is {size / 1e3:.0f} kB; model {model.stat().st_size / 1e6:.1f} MB; "
              f"load average {load:.1f} on {os.cpu_count()} cores")
        print("| request | median | max | target |")
        print("| --- | ---: | ---: | --- |")
        print(f"| first view after start-up (model read from --report-dir) | {first:.3f} s | {first:.3f} s | ≤ 2 s |")
        for label, times in results:
            print(f"| filter change: {label} | {statistics.median(times):.3f} s | {max(times):.3f} s | ≤ 1 s |")
        print(f"| baseline: GET /healthz | {statistics.median(health):.3f} s | {max(health):.3f} s | |")
        print(f"| GET /api/v1/backlog?owner=… (JSON) | {statistics.median(api):.3f} s | {max(api):.3f} s | |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
