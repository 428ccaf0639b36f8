"""Writers' speed: how soon after a save ``carebase serve`` serves the updated page.

Generates a synthetic help centre of N items (``site_scale.generate``: 70% articles, 20% FAQ
questions, 10% videos, 20 categories), starts ``carebase serve --no-service`` on it, waits for
the first (full) build, then makes one edit at a time, each holding a word new to the site:
``--saves`` articles saved again with a new title, then one FAQ file saved again with a new
first answer, one video saved again with a new title, one new article (at 10,000 items its
category's 351st: it opens a new listing page), that article renamed, then deleted; and
polls over HTTP on 127.0.0.1 until

- the article's (FAQ file's, video's, new or renamed article's) page shows the word
  ("page"); after a rename or a delete, the old address answers 404 ("gone");
- its category's first listing page shows it (a title starting with "Aaa" sorts first:
  "listing"; articles only), and no longer shows it after the delete;
- the site search's index (``search/carebase/``) finds the new word in the item's row, at
  its page's address ("search"; after a rename at the new address), and no longer after the
  delete.

Each time is from the moment the file was written; the table gives the median and the worst
of each kind. Saves go to articles of different categories, one at a time (the next edit
after the previous one is fully visible).
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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import site_scale  # noqa: E402
from processes import stop  # noqa: E402

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


def _gone(url: str) -> bool:
    """The address answers 404 (a deleted or renamed article's old page)."""
    try:
        urllib.request.urlopen(url, timeout=30).close()
    except urllib.error.HTTPError as exc:
        return exc.code == 404
    except OSError:
        return False
    return False


def _search_finds(base: str, word: str, page: str) -> bool:
    """The site search's index (``search/carebase/``) finds ``word`` in an item at ``page``
    (the term's postings name a row whose address is that page or one of its anchors)."""
    import json

    meta = _get(f"{base}search/carebase/meta.json")
    if meta is None:
        return False
    meta = json.loads(meta)
    term = stem(word)
    shard = _get(f"{base}search/carebase/t-{shard_key(term, set(meta['split']))}.json")
    flat = json.loads(shard)["t"].get(term, []) if shard is not None else []
    for chunk in sorted({doc // meta["chunk"] for doc in flat[::2]}):
        rows = json.loads(_get(f"{base}search/carebase/d-{chunk}.json") or "[]")
        if any(doc // meta["chunk"] == chunk and doc % meta["chunk"] < len(rows) and rows[doc % meta["chunk"]]
               and rows[doc % meta["chunk"]][3].split("#")[0] == page for doc in flat[::2]):
            return True
    return False


def _save(path: Path, title: str) -> float:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    text = re.sub(r"^# .*$", f"# {title}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    return time.monotonic()


def _edits(project: Path, saves: int):
    """(kind, edit) in order: ``saves`` articles saved again with a new title, one FAQ file
    saved again with a new answer, one new article. ``edit(word, n)`` returns the URLs to
    watch and ``save()``, which writes the file and returns when it did."""
    content = project / "content"

    def article(word, n):
        cat = f"topic-{(n * 7 + 3) % 20:02d}"
        path = sorted((content / cat).glob("article-*.md"))[n * 5 + 1]
        return {"file": path.relative_to(project), "page": f"{cat}/{path.stem}/", "listing": f"{cat}/",
                "save": lambda: _save(path, f"Aaa {word} edited {n}")}

    def faq(word, n):
        path = sorted((content / "faq").glob("group-*.yml"))[n]
        def save():
            text = path.read_text(encoding="utf-8").replace('answer: "', f'answer: "{word} ', 1)
            path.write_text(text, encoding="utf-8")
            return time.monotonic()
        return {"file": path.relative_to(project), "page": f"faq/{path.stem}/", "save": save}

    def video(word, n):
        path = sorted((content / "videos").glob("video-*.yml"))[n]
        return {"file": path.relative_to(project), "page": f"videos/{path.stem}/",
                "save": lambda: _save(path, f"Video {word} edited")}

    made = {}

    def new(word, n):
        cat = f"topic-{(n * 7 + 3) % 20:02d}"
        path = content / cat / f"new-{word}.md"
        made.update(path=path, cat=cat, word=word)
        def save():
            path.write_text(f"---\ntitle: Aaa {word} new\nsummary: A new article.\n---\n\n# Aaa {word} new\n\n"
                            "Set the heating schedule in the app.\n", encoding="utf-8")
            return time.monotonic()
        return {"file": path.relative_to(project), "page": f"{cat}/{path.stem}/", "listing": f"{cat}/", "save": save}

    def renamed(word, n):  # the new article under another name: the same word, a new address
        old, cat = made["path"], made["cat"]
        path = made["path"] = old.with_name(f"moved-{made['word']}.md")
        def save():
            old.rename(path)
            return time.monotonic()
        return {"file": path.relative_to(project), "page": f"{cat}/{path.stem}/", "listing": f"{cat}/",
                "gone": f"{cat}/{old.stem}/", "word": made["word"], "listed": f'href="{path.stem}/"',
                "renamed": True, "save": save}

    def deleted(word, n):
        path, cat = made["path"], made["cat"]
        def save():
            path.unlink()
            return time.monotonic()
        return {"file": path.relative_to(project), "gone": f"{cat}/{path.stem}/", "listing": f"{cat}/",
                "word": made["word"], "absent": True, "save": save}

    yield from (("article", article) for _ in range(saves))
    yield "faq", faq
    yield "video", video
    yield "new article", new
    yield "renamed article", renamed
    yield "deleted article", deleted


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
        for n, (kind, edit) in enumerate(_edits(project, saves)):
            word = "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
            where = edit(word, n)  # what to check before the save, then saves
            word = where.get("word", word)
            absent = where.get("absent", False)  # a delete: the word must go
            pages = {"page": f"{base}{where['page']}"} if "page" in where else {}
            if "listing" in where:
                pages["listing"] = f"{base}{where['listing']}"
            if not absent and any(word in (_get(url) or "") for url in pages.values()) and "gone" not in where:
                raise SystemExit(f"{kind} {n}: {word!r} is already on the pages before the save")
            written = where["save"]()
            wanted = [*pages, *(["gone"] if "gone" in where else []), "search"]
            found_at = where.get("page") or where["gone"]  # the item's address in the search's rows
            seen: dict[str, float] = {}
            lead = "page" if "page" in pages else "gone"
            while len(seen) < len(wanted):
                now = time.monotonic()
                if lead in seen and now - written - seen[lead] > STALE_AFTER:
                    break  # the rest stays stale (MkDocs' --dirty renders only the saved page)
                if now - written > timeout:
                    raise SystemExit(f"{kind} {n}: not visible after {timeout} s (seen: {seen}; see {root / 'serve.log'})")
                for key, url in pages.items():
                    text = where.get("listed", word) if key == "listing" else word
                    if key not in seen and (text in (_get(url) or "")) != absent:
                        seen[key] = time.monotonic() - written
                if "gone" in wanted and "gone" not in seen and _gone(f"{base}{where['gone']}"):
                    seen["gone"] = time.monotonic() - written
                if "search" not in seen and _search_finds(base, word, found_at) != absent:
                    seen["search"] = time.monotonic() - written
                time.sleep(0.02)
            rows.append({"kind": kind, **seen})
            print(f"{kind} {n} ({where['file']}): " + ", ".join(
                f"{k} {seen[k]:.2f} s" if k in seen else f"{k} stale" for k in wanted), file=sys.stderr)
    finally:
        stop(proc)
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
    print("| edit | from the save to | median | worst | each |")
    print("| --- | --- | ---: | ---: | --- |")
    for kind in dict.fromkeys(r["kind"] for r in result["rows"]):
        rows = [r for r in result["rows"] if r["kind"] == kind]
        for key in ("page", "gone", "listing", "search"):
            if (key == "listing" and kind in ("faq", "video")) or (key == "page" and kind == "deleted article") \
                    or (key == "gone" and kind not in ("renamed article", "deleted article")):
                continue
            values = [r.get(key) for r in rows]
            done = [v for v in values if v is not None]
            if len(done) < len(values):
                print(f"| {kind} | {key} | stale in {len(values) - len(done)} of {len(values)} "
                      f"(not updated {STALE_AFTER:.0f} s after the page) | | |")
                continue
            print(f"| {kind} | {key} | {statistics.median(done):.2f} s | {max(done):.2f} s | "
                  f"{', '.join(f'{v:.2f}' for v in done)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
