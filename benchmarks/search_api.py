"""Search API latency at scale: GET /api/v1/search over HTTP against 10,000 generated items.

Generates a catalogue (articles, FAQ questions, videos with chapters; words drawn from
the benchmark help centre's vocabulary), writes its build output (``carebase.output``, as
``carebase build`` does), and sends queries one at a time over HTTP on 127.0.0.1 (typed
words, some misspelt) to the real service app (``create_app`` with ``site_data``: the
search index of the build output, followed while it runs) — the figure the targets are
about —, and, on the same server, to the search routes over a ``Searcher`` of each engine
(``--engines``, default ``fast,whoosh``: the numpy engine and Whoosh's own matchers, the
reference; the ``whoosh-topk`` path carebase used before the fast engine is gone from the
product, its numbers stay in RESULTS.md); also a plain Whoosh route (MultifieldParser, OR groups, BM25F, Whoosh's own
highlighter) over the same index. Also printed: the fast engine's load time, its arrays'
size and the process's memory growth.

    python benchmarks/search_api.py [--items 10000] [--queries 2000] [--engines fast,whoosh] [--learned 20000]
    python benchmarks/search_api.py --engines hybrid,fast   # meaning (the default install) vs lexical
    python benchmarks/search_api.py --site-data /tmp/sa-10000   # keep the build output there, reuse it next time
    python benchmarks/search_api.py --engines hybrid --learned 20000 --learned-cache /tmp/sa-learned.sqlite [--learned-only]

Requests are sent with httpx (as before) and, to the service's route, also with the standard
library's ``http.client`` on one kept-alive connection (other new queries): httpx's own Python
costs about 1 ms of CPU per request in this process, which is the client's, not the API's.

``hybrid`` is the fast engine fused with sentence embeddings (``carebase.search.semantic``):
every item is embedded first (through the shared vector cache, so a re-run embeds nothing),
and each measured query is new to the process (warm-up queries differ), so its time includes
embedding the query.

``--learned N`` also serves the first engine with learned phrasings loaded: N journeys (each
its own client) whose wordings (generated like the queries, other seed) reached a random
item, stored in a SQLite event store and learned as the service does (nearest logged
wordings by meaning when a model is installed, else TF-IDF), measured on the same server.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from whoosh.analysis import Token, Tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent / "search"))

import harness  # noqa: E402

from carebase.content.model import (  # noqa: E402
    Article, Catalogue, Chapter, Cue, FaqGroup, FaqQuestion, Video, VideoSource,
)
from carebase.output import open_output  # noqa: E402
from carebase.search.index import open_index  # noqa: E402
from carebase.search.impact import IMPACTS_FILE  # noqa: E402
from carebase.search.query import ENGINES, Searcher  # noqa: E402
from carebase.search.records import markdown_text  # noqa: E402
from carebase.service.app import create_app  # noqa: E402
from carebase.service.config import ServiceConfig  # noqa: E402
from carebase.service.routes_search import routes  # noqa: E402
from carebase.service.server import BackgroundServer  # noqa: E402
from carebase.text import analyser_for  # noqa: E402


def vocabulary() -> list[str]:
    cat = harness.load_helpcentre()
    words = []
    for a in cat.articles:
        words += [w.strip(".,:;()*!?").lower() for w in markdown_text(a.body).split()]
    return [w for w in words if w.isalpha() and len(w) > 2]


def generate(n: int, seed: int = 10) -> Catalogue:
    rnd = random.Random(seed)
    words = vocabulary()
    text = lambda k: " ".join(rnd.choices(words, k=k))  # noqa: E731
    n_art, n_faq = int(n * 0.6), int(n * 0.3)
    articles = tuple(
        Article(id=f"article:topic{i % 20}/page{i}", path=f"topic{i % 20}/page{i}.md",
                title=text(rnd.randint(3, 7)).capitalize(),
                body=f"{text(80)}\n\n## {text(4)}\n\n{text(120)}\n\n## {text(3)}\n\n{text(100)}",
                body_line=4, summary=text(12), category=f"topic{i % 20}")
        for i in range(n_art))
    faqs, per = [], 50
    for g in range(n_faq // per):
        qs = tuple(FaqQuestion(id=f"faq:group{g}#q{j}", group_id=f"faq:group{g}", anchor=f"q{j}",
                               question=text(rnd.randint(5, 9)).capitalize() + "?", answer=text(60),
                               path=f"faq/group{g}.yml", line=j * 4 + 3) for j in range(per))
        faqs.append(FaqGroup(id=f"faq:group{g}", path=f"faq/group{g}.yml", title=text(2), questions=qs))
    videos = []
    remaining = n - n_art - len(faqs) * per
    while remaining > 0:
        v = len(videos)
        chapters = tuple(Chapter(60.0 * c, text(3)) for c in range(4))
        cues = tuple(Cue(15.0 * c, 15.0 * c + 14, text(25)) for c in range(16))
        videos.append(Video(id=f"video:v{v}", path=f"videos/v{v}.yml", title=text(5),
                            source=VideoSource("youtube", "https://youtu.be/x", "x"),
                            summary=text(15), chapters=chapters, transcript=cues))
        remaining -= 1 + len(chapters)
    return Catalogue(root="generated", articles=articles, faqs=tuple(faqs), videos=tuple(videos))


def queries(n: int, seed: int = 11) -> list[str]:
    rnd = random.Random(seed)
    words = vocabulary()
    out = []
    for _ in range(n):
        ws = rnd.choices(words, k=rnd.randint(1, 5))
        if rnd.random() < 0.15:  # a typo: drop a letter
            w = ws[0]
            i = rnd.randrange(1, len(w))
            ws[0] = w[:i] + w[i + 1:]
        out.append(" ".join(ws))
    return out


class CharsTokenizer(Tokenizer):
    """carebase's words and stems with their character offsets, which Whoosh's highlighter
    needs and carebase's analyser does not give (it finds words in folded text); the same
    tokens as the index's on this benchmark's plain ASCII text."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, mode="", **kwargs):
        analyser = analyser_for("en")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for m in re.finditer(r"[^\W_]+(?:'[^\W_]+)*", value):
            word = analyser.fold(m.group())
            stopped = analyser.is_stop(word)
            if stopped and removestops:
                continue
            t.text, t.stopped, t.boost = analyser.stem(word), stopped, 1.0
            t.pos, t.startchar, t.endchar = pos, start_char + m.start(), start_char + m.end()
            pos += not stopped
            yield t


def plain_whoosh_route(index):
    """Whoosh as documented: its query parser (OR groups), BM25F and its own highlighter (run
    over ``CharsTokenizer``'s tokens: the index's analyser gives no character offsets)."""
    from whoosh import highlight, scoring
    from whoosh.qparser import MultifieldParser, OrGroup

    parser = MultifieldParser(["title", "keywords", "headings", "body"], index.schema, group=OrGroup.factory(0.9))
    local = threading.local()
    analyzer, fragmenter, formatter = CharsTokenizer(), highlight.ContextFragmenter(), highlight.HtmlFormatter()

    async def search(request):
        s = getattr(local, "s", None) or index.searcher(weighting=scoring.BM25F())
        local.s = s
        query = parser.parse(request.query_params["q"])
        words = {text for field, text in query.iter_all_terms() if field == "body"}
        r = s.search(query, limit=10)
        return JSONResponse({"total": len(r), "hits": [
            {"id": h["id"], "title": h["title"], "url": h["url"],
             "snippet": highlight.highlight(h["body"], words, analyzer, fragmenter, formatter)} for h in r]})

    return Route("/plain", search)


def measure(client, path, qs) -> list[float]:
    for q in queries(50, seed=99):  # warm-up (other queries: a hybrid query's vector is not cached)
        client.get(path, params={"q": q})
    out = []
    for q in qs:
        t = time.perf_counter()
        r = client.get(path, params={"q": q})
        out.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
    return sorted(out)


def measure_with_cpu(client, path, qs) -> tuple[list[float], list[float]]:
    """``measure``, and each request's CPU time in this process (client and server threads: the
    client's share is the same for any code), which a busy machine inflates far less than wall time."""
    for q in queries(50, seed=99):
        client.get(path, params={"q": q})
    wall, cpu = [], []
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        r = client.get(path, params={"q": q})
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
        r.raise_for_status()
    return sorted(wall), sorted(cpu)


def measure_lean(url: str, path: str, qs) -> list[float]:
    """``measure`` with the standard library's client: one kept-alive connection, no client
    machinery beyond writing the request and reading the whole response."""
    host, port = url.split("//", 1)[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)

    def get(q):
        conn.request("GET", f"{path}?{urlencode({'q': q})}")
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"{path}: HTTP {r.status} for {q!r}")

    for q in queries(50, seed=98):  # warm-up (queries of their own)
        get(q)
    out = []
    for q in qs:
        t = time.perf_counter()
        get(q)
        out.append((time.perf_counter() - t) * 1000)
    conn.close()
    return sorted(out)


def pct(xs, p):
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def rss_mb() -> float:
    """Resident memory of this process (Linux), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def open_searchers(output, catalogue, engines) -> tuple[dict, list[str]]:
    """One Searcher per engine over the build output's index, and notes on the fast engine's
    load time and memory."""
    notes = []
    searchers = {}
    folder = output.search_dir
    for name in engines:
        before, t = rss_mb(), time.perf_counter()
        if name == "hybrid":
            from carebase.search import meaning

            sem = output.vectors()  # written with the index, once per content revision
            if sem is None:
                raise SystemExit(f"--engines hybrid: the build output has no vectors ({meaning.status()})")
            notes.append(f"hybrid: {meaning.status()}; vectors from the build output")
            searchers[name] = Searcher(open_index(folder), catalogue, engine="fast", semantic=sem)
        else:
            searchers[name] = Searcher(open_index(folder), catalogue, engine=name)
        took, grew = time.perf_counter() - t, rss_mb() - before
        notes.append(f"Searcher(engine={name!r}) opened in {took * 1000:.0f} ms, process memory +{grew:.1f} MB")
        if name == "fast":
            impacts = searchers[name].fast.impacts
            notes.append(f"fast engine arrays: {impacts.nbytes / 1e6:.1f} MB in memory, "
                         f"{(folder / IMPACTS_FILE).stat().st_size / 1e6:.1f} MB on disk, "
                         f"{sum(len(f.docs) for f in impacts.fields.values()):,} postings")
    return searchers, notes


def in_process(searcher, qs) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    for q in qs:
        t, c = time.perf_counter(), time.process_time()  # the process's: hybrid embeds in a worker thread
        searcher.search(q, limit=10)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return sorted(wall), sorted(cpu)


def vector_agreement(sem, qs) -> str:
    """How often the semantic scores fusion reads (the best 2 × CANDIDATES records and their
    cosines: ``vector_scores``' int8 pass, then exact cosines) equal the float32 product's."""
    import numpy as np

    from carebase.search import meaning
    from carebase.search.semantic import CANDIDATES, _top

    same = 0
    for q in meaning.embed_queries(qs):
        found, exact = sem.scorer.all(q), np.einsum("tnd,d->tn", sem.vectors, q).max(axis=0)
        best = _top(exact, CANDIDATES * 2)
        same += _top(found, CANDIDATES * 2) == best and bool(np.array_equal(found[best], exact[best]))
    how = "int8 pass, then exact" if sem.scorer.estimates else "float32 product"
    return (f"semantic scores ({how}): the best {CANDIDATES * 2} records and their cosines equal the float32 "
            f"product's for {same} of {len(qs)} measured queries")


def row(name, xs, base) -> str:
    ratio = f"{pct(xs, .5) / pct(base, .5):.2f}×" if base else ""
    return (f"| {name} | {pct(xs, .5):.2f} ms | {pct(xs, .99):.2f} ms | {statistics.mean(xs):.2f} ms "
            f"| {ratio} |")


class _Snapshot:
    """What the service's Refresher offers the search routes: ``current``."""

    def __init__(self, current):
        self.current = current


def learned_snapshot(catalogue, n: int, folder: Path, cache: Path | None = None) -> tuple[object, str]:
    """A learned snapshot from n planted journeys (search + result click), and a note.
    ``cache``: a vector cache file of its own for the wordings (a re-run embeds none of them)."""
    from carebase.learned.model import Settings, VectorMemo, learn
    from carebase.learned.nearest import meaning_or_none as _meaning
    from carebase.search.vector_cache import VectorCache
    from carebase.store.engine import open_engine
    from carebase.store.writer import COLUMNS, write_rows

    rnd = random.Random(12)
    ids = [item.id for item in catalogue.items()]
    wordings = queries(max(1, n // 4), seed=13)  # each wording from about 4 journeys
    engine = open_engine(f"sqlite:///{folder / 'learned.db'}")
    now = int(time.time() * 1000)
    rows = []
    for j in range(n):
        text, item = wordings[j % len(wordings)], ids[hash(wordings[j % len(wordings)]) % len(ids)]
        for kind in ("search", "click"):
            row = dict.fromkeys(COLUMNS)
            row.update(event_id=f"e{j}{kind}", type=kind, received_ms=now - 1000, client_ms=now - 1000 + (kind == "click"),
                       journey=f"j{j}", client=f"c{j}", query=text, results=3 if kind == "search" else None,
                       item_id=item if kind == "click" else None, rank=1 if kind == "click" else None)
            rows.append(row)
    with engine.begin() as conn:
        write_rows(conn, rows)
    meaning = _meaning()
    t = time.perf_counter()
    vectors = VectorCache(cache) if meaning and cache else None
    memo = VectorMemo(meaning.embed_queries, meaning.model_id(), cache=vectors) if meaning else None
    snap = learn(engine, Settings(), memo=memo, embed_query=meaning.embed_query if meaning else None)
    engine.dispose()
    if vectors is not None:
        vectors.close()
    how = meaning.status() if meaning else "TF-IDF (no embedding model installed)"
    return snap, (f"learned: {n} journeys, {len(snap.nearest)} wordings, {len(snap.ties)} ties, "
                  f"learned in {time.perf_counter() - t:.1f} s; nearest wordings by {how}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--learned", type=int, default=0, metavar="N",
                    help="also measure the first engine with N learned journeys loaded (0: not)")
    ap.add_argument("--learned-cache", type=Path, metavar="FILE",
                    help="keep the learned wordings' vectors in this file (a cache of its own: it keeps only "
                         "this run's wordings), so a re-run embeds none of them (time several codes on one file)")
    ap.add_argument("--learned-only", action="store_true",
                    help="with --learned: time only that route (each query new to the process, so its time "
                         "includes embedding it), to time two codes of the learned ranking against each other")
    ap.add_argument("--engines", default="fast,whoosh",
                    help=f"comma-separated Searcher engines to measure ({', '.join(ENGINES)}, hybrid); the last is the baseline")
    ap.add_argument("--site-data", metavar="DIR",
                    help="write the build output here and keep it (reused when it is already current: "
                         "prepare it before a timed run); default: a temporary folder")
    args = ap.parse_args(argv)
    if args.learned_only and not args.learned:
        ap.error("--learned-only: give --learned N (the learned journeys to load)")
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES + ("hybrid",)]
    if unknown:
        ap.error(f"--engines: unknown {', '.join(unknown)} (expected {', '.join(ENGINES)})")
    print(f"load average at start: {loadavg()} (2 cores)")
    catalogue = generate(args.items)
    with tempfile.TemporaryDirectory() as tmp:
        site_data = Path(args.site_data) if args.site_data else Path(tmp) / "site-data"
        t = time.perf_counter()
        output = open_output(site_data, catalogue).wait()
        build_s = time.perf_counter() - t
        index = open_index(output.search_dir)
        searchers, notes = open_searchers(output, catalogue, engines)
        nrec = index.doc_count()
        service = create_app(ServiceConfig(database_url=f"sqlite:///{tmp}/feedback.db", site_data=str(site_data),
                                            search_rate_limit=0))
        mounts = [Mount(f"/{name}", routes=routes(lambda s=s: s)) for name, s in searchers.items()]
        if args.learned:
            snap, note = learned_snapshot(catalogue, args.learned, Path(tmp), args.learned_cache)
            notes.append(note)
            first = searchers[engines[0]]
            mounts.append(Mount("/learned", routes=routes(lambda: first, learned=_Snapshot(snap))))
        app = Starlette(routes=mounts + [plain_whoosh_route(index), Mount("/service", app=service)])
        server = BackgroundServer(app, port=0, lifespan="off").start(timeout=60)
        qs = queries(args.queries)
        http = {}
        if args.learned_only:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                wall, cpu = measure_with_cpu(client, "/learned/api/v1/search", qs)
            server.stop()
            print(f"{nrec} records ({args.items} items); {len(qs)} queries, one at a time over HTTP on 127.0.0.1\n")
            print("| route | p50 | p99 | mean | |\n| --- | ---: | ---: | ---: | ---: |")
            name = f"/api/v1/search, engine {engines[0]} with {args.learned} learned journeys"
            print(row(f"{name}, wall", wall, None))
            print(row(f"{name}, process CPU time", cpu, None))
            print("\n" + "\n".join(f"- {note}" for note in notes))
            print(f"\nload average at the end: {loadavg()} (2 cores)")
            return 0
        with httpx.Client(base_url=server.url, timeout=60) as client:
            plain = measure(client, "/plain", qs)
            served = measure(client, "/service/api/v1/search", qs)
            lean = measure_lean(server.url, "/service/api/v1/search", queries(args.queries, seed=14))
            for name in engines:
                http[name] = measure(client, f"/{name}/api/v1/search", qs)
            if args.learned:
                http["learned"] = measure(client, "/learned/api/v1/search", qs)
        server.stop()
        if "hybrid" in searchers:  # the HTTP run cached these queries' vectors: embed them again
            from carebase.search import meaning
            with meaning._lock:
                meaning._query_cache.clear()
        local = {name: in_process(s, qs) for name, s in searchers.items()}
        if "hybrid" in searchers:
            notes.append(vector_agreement(searchers["hybrid"].semantic, qs))
    baseline = engines[-1]
    print(f"{nrec} records ({args.items} items), build output (index, arrays, vectors: "
          f"{output.stamp.get('vectors') or 'none'}) written or reused in {build_s:.1f} s; "
          f"{len(qs)} queries, one at a time over HTTP on 127.0.0.1\n")
    print(f"| engine | p50 | p99 | mean | p50 vs {baseline} |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(row("plain Whoosh route (parser, BM25F, Whoosh highlights)", plain, http[baseline]))
    print(row("**the service's /api/v1/search** (its build output, followed live: hybrid when it holds vectors)",
              served, http[baseline]))
    print(row("the service's /api/v1/search, stdlib http.client (other new queries: each embedded too)", lean,
              http[baseline]))
    for name in engines:
        print(row(f"/api/v1/search, engine {name} (typos, synonyms, counts, snippets)", http[name], http[baseline]))
    if args.learned:
        print(row(f"/api/v1/search, engine {engines[0]} with {args.learned} learned journeys", http["learned"],
                  http[baseline]))
    for name in engines:
        wall, cpu = local[name]
        print(row(f"Searcher.search in-process, engine {name}, wall", wall, local[baseline][0]))
        print(row(f"Searcher.search in-process, engine {name}, CPU time", cpu, local[baseline][1]))
    print()
    for note in notes:
        print(f"- {note}")
    print(f"\nload average at the end: {loadavg()} (2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
