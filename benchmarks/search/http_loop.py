"""The learning loop through the HTTP search API (issue 12, harness (a)).

    python benchmarks/search/http_loop.py [--limit N] [--keep DIR] [--tune] [--set second|third --data PATH]

1. A ``carebase service`` is started as the README says, as a subprocess on 127.0.0.1
   (``carebase service --site-data … --proxy-headers`` on the content's build output, default install:
   whatever search the install gives), on a fresh SQLite store.
2. **Half A** is played through it: for each query, one journey from its own client (its
   own ``X-Forwarded-For`` address from the benchmarking range 198.18.0.0/15, so the
   service's distinct-client thresholds are exercised): ``GET /api/v1/search`` as the site
   asks, then the events the site sends (play.py's journeys: the search, a result click at
   the rank the API showed when the right article is among the 10, a "Yes" vote 30 % of the
   time; otherwise a "Yes" after browsing half of the time). ``--customers realistic``
   (play_customers.py): customers who do not see the right article may click a wrong one (rank
   bias) and vote "No" there, or contact support; each page's events posted as their own batch.
   The service runs as a subprocess on the real clock: the events are received now, not spread
   over days (held_out_topics.py's in-process play spreads them).
3. The service learns (``--learn-every``; the harness waits for a refresh that started after
   the last event).
4. **Half B** is ranked through the same HTTP API and scored (hit@1, hit@5, MRR@10); half B
   is never played. The service's own ranking before learning is measured on half B too.

``--tune`` plays the first half of half A (seeded split, seed 12) and scores the second
half of half A: the run to choose settings on (half B is not touched).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
import play  # noqa: E402

ORIGIN = play.ORIGIN
TOKEN = "http-loop-token"
client_address = play.client_address  # one address per journey, from the benchmarking range


class Service:
    """``carebase service`` as a subprocess (the README's command), on a free port."""

    def __init__(self, work: Path, content: Path, learn_every: float, extra: list[str]):
        from carebase.content import load_catalogue
        from carebase.output import open_output

        open_output(work / "site-data", load_catalogue(content))  # what `carebase build` writes
        self.db = work / "feedback.db"
        cmd = [sys.executable, "-m", "carebase", "service", "--port", "0", "--db", f"sqlite:///{self.db}",
               "--site-data", str(work / "site-data"),
               "--allowed-origin", ORIGIN, "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1",
               "--rate-limit", "0", "--token", TOKEN, "--learn-every", str(learn_every), *extra]
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(work / "service.log", "w"),
                                        text=True, env={**os.environ, "CI": "1"})
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            sys.exit(f"the service did not start: {line}{(work / 'service.log').read_text()}")
        self.url = line.split("listening on ", 1)[1].split()[0]
        self.http = httpx.Client(base_url=self.url, timeout=60, limits=httpx.Limits(max_connections=8))

    def _retry(self, send):
        """A request, sent again once after a dropped keep-alive connection (the server
        closes idle connections after 5 s; a loaded machine can race that)."""
        try:
            return send()
        except httpx.TransportError:
            time.sleep(0.5)
            return send()

    def search(self, text: str, address: str) -> tuple[list[str], int]:
        r = self._retry(lambda: self.http.get("/api/v1/search", params={"q": text[:200], "limit": 10},
                          headers={"X-Forwarded-For": address, "Origin": ORIGIN}))
        r.raise_for_status()
        body = r.json()
        return [h["id"] for h in body["hits"]], body["total"]

    def post(self, batch: list[dict], address: str) -> dict:
        r = self._retry(lambda: self.http.post("/api/v1/events", content=json.dumps({"events": batch}),
                                               headers={"Content-Type": "text/plain;charset=UTF-8",
                                                        "Origin": ORIGIN, "X-Forwarded-For": address}))
        r.raise_for_status()
        return r.json()

    def learned(self) -> dict:
        r = self._retry(lambda: self.http.get("/api/v1/learned", headers={"Authorization": f"Bearer {TOKEN}"}))
        r.raise_for_status()
        return r.json()

    def stop(self) -> None:
        self.http.close()
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def rank_all(service: Service, queries, first_address: int, jobs: int) -> list[tuple[list[str], int]]:
    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(lambda iq: service.search(iq[1].text, client_address(first_address + iq[0])),
                             enumerate(queries)))


def wait_for_refresh(service: Service, after_ms: int, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = service.learned()
        if snap.get("ready") and snap["built_ms"] > after_ms and not snap.get("pending"):
            return snap  # built after the last event, every wording embedded
        time.sleep(0.5)
    sys.exit(f"the service did not relearn within {timeout:.0f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="only the first N queries of each half (0: all)")
    ap.add_argument("--tune", action="store_true", help="play half of half A, score the other half of A")
    ap.add_argument("--learn-every", type=float, default=5.0, help="the service's --learn-every (default 5 s)")
    ap.add_argument("--jobs", type=int, default=4, help="concurrent HTTP clients (default 4)")
    ap.add_argument("--seed", type=int, default=77)
    ap.add_argument("--customers", choices=play.customer_models.KINDS, default="plain",
                    help="how the played customers behave: plain (the default, issue 12's measurement) or "
                         "realistic (play_customers.py: wrong clicks with rank bias, 'No' votes with reasons "
                         "and comments, contacts), seeded by --seed")
    ap.add_argument("--relearn-timeout", type=float, default=900,
                    help="seconds to wait for the service to relearn after the last event (default 900; a loaded "
                         "machine needs more)")
    ap.add_argument("--keep", metavar="DIR", help="keep the store, index and logs here")
    ap.add_argument("--skip-before", action="store_true",
                    help="do not rank the scored half before learning (a third of the run; the "
                         "'before' figures do not depend on the learning code)")
    ap.add_argument("service_args", nargs="*", help="extra flags for carebase service (after --)")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)

    from carebase.content import load_catalogue

    chosen = harness.query_set(args)
    queries = chosen.queries()
    half_a = [q for q in queries if q.half == "A"]
    if args.tune:
        order = list(range(len(half_a)))
        random.Random(12).shuffle(order)
        played = [half_a[i] for i in order[: len(half_a) // 2]]
        scored = [half_a[i] for i in order[len(half_a) // 2:]]
        names = ("A1 (played)", "A2 (scored)")
    else:
        played, scored = half_a, [q for q in queries if q.half == "B"]
        names = ("A (played)", "B (scored)")
    if args.limit:
        played, scored = played[: args.limit], scored[: args.limit]
    assert args.tune or all(q.half == "A" for q in played), "only half A is ever played"
    work = Path(args.keep or tempfile.mkdtemp(prefix="carebase-httploop-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    catalogue = load_catalogue(chosen.helpcentre)
    print(f"http loop: play {len(played)} {names[0]}, score {len(scored)} {names[1]}; load {os.getloadavg()[0]:.1f}",
          file=sys.stderr)
    service = Service(work, chosen.helpcentre, args.learn_every, args.service_args)
    try:
        started = time.perf_counter()
        if args.skip_before:
            before_m = {"hit@1": math.nan, "hit@5": math.nan, "mrr@10": math.nan}
        else:
            before = rank_all(service, scored, 100_000, args.jobs)
            before_m = harness.metrics([ids for ids, _ in before], scored)
        print(f"before learning, {names[1]}: {before_m} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        shown = rank_all(service, played, 0, args.jobs)
        start_ms = int(time.time() * 1000) - 120_000 * (len(played) + 10)
        outcome = play.Outcome()
        sent = list(play.journeys([(q, ids, total) for q, (ids, total) in zip(played, shown)], catalogue,
                                  seed=args.seed, vote_rate=0.5, yes_after_click=0.3, start_ms=start_ms,
                                  customers=args.customers))
        pages = play.customer_models.by_page if args.customers == "realistic" else lambda batch: [batch]

        def post_journey(n_batch):  # a journey's pages one after another, from its own client
            n, (batch, _how) = n_batch
            return sum(service.post(events, client_address(n))["accepted"] for events in pages(batch))

        with ThreadPoolExecutor(args.jobs) as pool:
            answers = list(pool.map(post_journey, enumerate(sent)))
        for q, (batch, how), accepted in zip(played, sent, answers):
            outcome.accepted += accepted
            setattr(outcome, how, getattr(outcome, how) + 1)
            outcome.sent.add(batch, q.target)
        last_event_ms = int(time.time() * 1000)
        snap = wait_for_refresh(service, last_event_ms, timeout=max(args.relearn_timeout, 20 * args.learn_every))
        summary = {k: v for k, v in snap.items() if k != "ties"}
        print(f"played: {outcome}; learned: {summary}", file=sys.stderr)
        started = time.perf_counter()
        after = rank_all(service, scored, 100_000, args.jobs)
        after_m = harness.metrics([ids for ids, _ in after], scored)
        seconds = time.perf_counter() - started
    finally:
        service.stop()
    result = {"played": len(played), "scored": len(scored), "tune": args.tune, "customers": args.customers,
              "outcome": {**vars(outcome), "sent": outcome.sent.as_dict()},
              "learned": summary, "before": before_m, "after": after_m,
              "ms_per_search_after": round(1000 * seconds / max(1, len(scored)), 2),
              "service_args": args.service_args, "load": os.getloadavg()[0]}
    print(f"| {names[1]} | {len(scored)} | {before_m['hit@1']:.3f} | {after_m['hit@1']:.3f} | "
          f"{before_m['hit@5']:.3f} | {after_m['hit@5']:.3f} | {before_m['mrr@10']:.3f} | {after_m['mrr@10']:.3f} |")
    print(json.dumps(result))
    if args.keep:
        (work / "http_loop.json").write_text(json.dumps(result, indent=1))
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
