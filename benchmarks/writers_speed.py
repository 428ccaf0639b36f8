"""Writers' speed: how soon after an article is saved ``carebase serve`` serves the updated page.

Generates a synthetic help centre of N items (``site_scale.generate``: 70% articles, 20% FAQ
questions, 10% videos, 20 categories), starts ``carebase serve --no-service`` on it, waits for
the first (full) build, then saves one article at a time with a new title holding a unique
word, and polls over HTTP on 127.0.0.1 until

- the article's page shows the new title ("page"),
- its category's first listing page shows it (a title starting with "Aaa" sorts first: "listing"),
- the site search's shards (``search/carebase/``) hold the new word ("search").

Each time is from the moment the file was written. Saves go to articles of different
categories, one at a time (the next save after the previous one is fully visible).
``--dirty`` runs ``carebase serve --dirty`` (MkDocs' dirty rebuild) for comparison; the first
build's time is what every save cost before ``carebase serve`` rendered only what a save changes.

    .venv/bin/python benchmarks/writers_speed.py --items 10000 --saves 5
    .venv/bin/python benchmarks/writers_speed.py --items 1000 --saves 3 --dirty
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import site_scale  # noqa: E402

from carebase.pages.search_shards import shard_key, stem  # noqa: E402


STALE_AFTER = 15.0  # seconds after the page: a listing or search not updated by then is "stale"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return None


def _shard_holds(base: str, word: str) -> bool:
    meta = _get(f"{base}search/carebase/meta.json")
    if meta is None:
        return False
    import json

    term = stem(word)
    shard = _get(f"{base}search/carebase/t-{shard_key(term, set(json.loads(meta)['split']))}.json")
    return shard is not None and f'"{term}"' in shard


def _save(path: Path, title: str) -> float:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    text = re.sub(r"^# .*$", f"# {title}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return time.monotonic()


def measure(root: Path, saves: int, dirty: bool, timeout: float) -> dict:
    project = root / "carebase"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    cmd = [sys.executable, "-m", "carebase", "serve", "-f", str(project / "mkdocs.yml"), "--no-service",
           "-a", f"127.0.0.1:{port}", *(["--dirty"] if dirty else [])]
    log = open(root / "serve.log", "w")
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "CI": "1"})
    rows = []
    try:
        while _get(f"{base}topic-00/") is None:
            if proc.poll() is not None or time.monotonic() - started > timeout:
                raise SystemExit(f"carebase serve did not serve the site (see {root / 'serve.log'})")
            time.sleep(0.5)
        first = time.monotonic() - started
        print(f"first build served after {first:.1f} s", file=sys.stderr)
        rng = random.Random()  # new words every run: a kept folder may hold an earlier run's
        for n in range(saves):
            cat = f"topic-{(n * 7 + 3) % 20:02d}"
            article = sorted((project / "content" / cat).glob("article-*.md"))[n * 5 + 1]
            word = "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
            title = f"Aaa {word} edited {n}"
            url = f"{base}{cat}/{article.stem}/"
            if word in (_get(url) or "") or word in (_get(f"{base}{cat}/") or ""):
                raise SystemExit(f"save {n}: {word!r} is already on the pages before the save")
            written = _save(article, title)
            seen: dict[str, float] = {}
            while len(seen) < 3:
                now = time.monotonic()
                if "page" in seen and now - written - seen["page"] > STALE_AFTER:
                    break  # the rest stays stale (MkDocs' --dirty renders only the saved page)
                if now - written > timeout:
                    raise SystemExit(f"save {n}: not visible after {timeout} s (seen: {seen}; see {root / 'serve.log'})")
                if "page" not in seen and word in (_get(url) or ""):
                    seen["page"] = time.monotonic() - written
                if "listing" not in seen and word in (_get(f"{base}{cat}/") or ""):
                    seen["listing"] = time.monotonic() - written
                if "search" not in seen and _shard_holds(base, word):
                    seen["search"] = time.monotonic() - written
                time.sleep(0.02)
            rows.append(seen)
            print(f"save {n} ({article.relative_to(project)}): " + ", ".join(
                f"{k} {seen[k]:.2f} s" if k in seen else f"{k} stale" for k in ("page", "listing", "search")),
                file=sys.stderr)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    return {"first": first, "rows": rows}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--saves", type=int, default=5)
    ap.add_argument("--dirty", action="store_true", help="carebase serve --dirty (MkDocs' dirty rebuilds)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds to wait for a build or a save (default 1800)")
    ap.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    args = ap.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="writers-speed-"))
    try:
        if not (root / "carebase" / "mkdocs.yml").exists():
            site_scale.generate(root, args.items)
            shutil.rmtree(root / "bare", ignore_errors=True)
        result = measure(root, args.saves, args.dirty, args.timeout)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    mode = "carebase serve --dirty" if args.dirty else "carebase serve"
    print(f"\n{mode}, {args.items:,} items, load {os.getloadavg()[0]:.1f}: first build served after "
          f"{result['first']:.1f} s\n")
    print("| from the save to | median | max | each |")
    print("| --- | ---: | ---: | --- |")
    for key in ("page", "listing", "search"):
        values = [r.get(key) for r in result["rows"]]
        done = [v for v in values if v is not None]
        if len(done) < len(values):
            print(f"| {key} | stale in {len(values) - len(done)} of {len(values)} saves "
                  f"(not updated {STALE_AFTER:.0f} s after the page) | | |")
            continue
        print(f"| {key} | {statistics.median(done):.2f} s | {max(done):.2f} s | "
              f"{', '.join(f'{v:.2f}' for v in done)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
