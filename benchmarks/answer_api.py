"""Answer API latency at scale (issue 17): GET /api/v1/answer against GET /api/v1/search, on
the real service over a generated help centre of 10,000 items.

The help centre (``synthetic_content``: articles, FAQ questions, videos) is written as a
content tree; ``carebase.service.app.create_app`` serves it with uvicorn on 127.0.0.1 with a
SQLite store (the service's defaults: meaning on when the model is installed, every question
an ``ask`` event stored by the writer). Questions are put one at a time, interleaved: a
question to the search API, then one to the answer API, so both meet the same machine
load (each its own questions, drawn alike, so neither reuses the other's question vector); the
ratio answer/search is the figure to compare across machines. A fifth of the
questions are about things the help centre does not cover ("no answer"), 15 % have a typo.
Warm-up questions differ from the measured ones (a question's vector is never cached).

    python benchmarks/answer_api.py [--items 10000] [--questions 1000] [--site-data DIR]

``--site-data DIR`` keeps the content tree and its build output in DIR and reuses them when
current (prepare them before a timed run). The same interleaved run is then repeated with the
standard library's ``http.client`` (one kept-alive connection; other new questions): httpx's
own Python costs about 1 ms of CPU per request in this process, which is the client's.

Targets (issue 17): answer p50 ≤ 15 ms, p99 ≤ 50 ms at 10,000 items.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_content import make_catalogue, titles, write_tree  # noqa: E402

UNCOVERED = ["pay with bitcoin", "gift card for a friend", "warranty for a broken screen", "book a demo call",
             "student discount", "job openings", "carbon footprint of your servers", "partner programme",
             "donate to charity", "press contact", "loyalty points", "dark mode on a smart watch"]


def questions(n: int, items: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    combos = titles(items)
    forms = ["how do I {v} my {n} {c}", "can I {v} the {n} {c}", "{v} {n} {c}", "where do I {v} my {n}"]
    out = []
    for _ in range(n):
        if rnd.random() < 0.2:
            out.append("how do I " + rnd.choice(UNCOVERED))
            continue
        verb, noun, ctx = rnd.choice(combos)
        text = " ".join(rnd.choice(forms).format(v=verb, n=noun, c=ctx).split())
        if rnd.random() < 0.15:  # a typo: one letter of the noun dropped
            i = rnd.randrange(1, len(noun))
            text = text.replace(noun, noun[:i] + noun[i + 1:], 1)
        out.append(text)
    return out


def catalogue_of(items: int):
    faq_groups, per = max(1, items // 5 // 50), 50
    videos = items // 10
    return make_catalogue(articles=items - faq_groups * per - videos, faq_groups=faq_groups, questions=per,
                          videos=videos)


def serve(app):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, "http://%s:%d" % sock.getsockname()


def lean_run(base: str, pairs) -> tuple[list[float], list[float]]:
    """Search and answer latencies (ms), interleaved, with the standard library's client."""
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=120)

    def get(path, q):
        t = time.perf_counter()
        conn.request("GET", f"{path}?{urlencode({'q': q})}")
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{path}: HTTP {r.status} for {q!r}")
        return (time.perf_counter() - t) * 1000

    search, answer = [], []
    for q, a in pairs:
        search.append(get("/api/v1/search", q))
        answer.append(get("/api/v1/answer", a))
    conn.close()
    return sorted(search), sorted(answer)


def pct(xs, p):
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def row(name, xs, base=None) -> str:
    ratio = f"{pct(xs, .5) / pct(base, .5):.2f}×" if base else ""
    return f"| {name} | {pct(xs, .5):.2f} ms | {pct(xs, .99):.2f} ms | {statistics.mean(xs):.2f} ms | {ratio} |"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--site-data", metavar="DIR",
                    help="keep the content tree and build output here, reused when current; default: a temporary folder")
    args = ap.parse_args(argv)
    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")
    catalogue = catalogue_of(args.items)
    with tempfile.TemporaryDirectory() as tmp:
        keep = Path(args.site_data) if args.site_data else Path(tmp)
        content, written = keep / f"content-{args.items}", keep / f"content-{args.items}.written"
        if not written.exists():  # a tree written completely before is reused
            write_tree(catalogue, content)
            written.touch()
        from carebase.content import load_catalogue
        from carebase.output import open_output

        site_data = keep / f"site-data-{args.items}"
        open_output(site_data, load_catalogue(content)).wait()  # what `carebase build` writes (reused when current)
        t = time.perf_counter()
        app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp}/feedback.db", site_data=str(site_data),
                                       search_rate_limit=0, learn_every=0, report_every=0))
        started = time.perf_counter() - t
        server, thread, base = serve(app)
        search, answer, answered = [], [], 0
        with httpx.Client(base_url=base, timeout=120) as client:
            for q in questions(50, args.items, seed=99):  # warm-up
                client.get("/api/v1/search", params={"q": q})
                client.get("/api/v1/answer", params={"q": q})
            # each endpoint its own questions (a question's vector computed for one is not reused by the other)
            for q, a in zip(questions(args.questions, args.items, seed=7), questions(args.questions, args.items, seed=8)):
                t = time.perf_counter()
                client.get("/api/v1/search", params={"q": q}).raise_for_status()
                search.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                r = client.get("/api/v1/answer", params={"q": a})
                answer.append((time.perf_counter() - t) * 1000)
                r.raise_for_status()
                answered += r.json()["answered"]
        lean = lean_run(base, zip(questions(args.questions, args.items, seed=17),
                                  questions(args.questions, args.items, seed=18)))
        server.should_exit = True
        thread.join(10)
        with sqlite3.connect(f"{tmp}/feedback.db") as conn:
            stored = conn.execute("SELECT count(*) FROM events WHERE type = 'ask'").fetchone()[0]
    search.sort()
    answer.sort()
    print(f"{args.items} items ({len(list(catalogue.items()))} in the catalogue); service ready in {started:.1f} s "
          f"(index and vectors built); {len(answer)} questions, one at a time over HTTP on 127.0.0.1, interleaved; "
          f"{answered} answered, {stored} ask events stored (warm-up included)\n")
    print("| endpoint | p50 | p99 | mean | p50 vs search |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(row("GET /api/v1/search", search, search))
    print(row("GET /api/v1/answer", answer, search))
    print(row("GET /api/v1/search, stdlib http.client (other new questions)", lean[0], search))
    print(row("GET /api/v1/answer, stdlib http.client (other new questions)", lean[1], search))
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
