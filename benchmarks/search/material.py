"""Material's client search over the benchmark help centre, run in Node (material_lunr.js)."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

from carebase.search.records import markdown_text

HERE = Path(__file__).resolve().parent
_H = re.compile(r"^(#{2,6})\s+(.*?)\s*$", re.M)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def search_docs(catalogue) -> list[dict]:
    """Material's search index entries: one per page and one per section heading.

    Material indexes the rendered page: title, the text, the page's tags. The summary
    and the writer's keywords are given to the page entry too (carebase's site shows
    the summary; keywords are generous to the baseline, Material has no such field).
    """
    docs = []
    for a in catalogue.articles:
        page = a.url
        parts = _H.split(a.body)
        intro = parts[0]
        docs.append({
            "location": page, "title": a.title,
            "text": " ".join([a.summary, markdown_text(intro), " ".join(a.keywords)]),
            "tags": list(a.tags),
        })
        for i in range(1, len(parts) - 1, 3):
            heading, text = parts[i + 1], parts[i + 2]
            docs.append({"location": f"{page}#{_slug(heading)}", "title": heading,
                         "text": markdown_text(text), "parent": page})
    return docs


def plain_docs(catalogue) -> list[dict]:
    """One entry per article: its title, and its summary, whole text and keywords."""
    return [{"location": a.url, "title": a.title,
             "text": " ".join([a.summary, markdown_text(a.body), " ".join(a.keywords)])}
            for a in catalogue.articles]


def run(catalogue, queries: list[str], limit: int = 10, plain: bool = False) -> tuple[list[list[str]], dict]:
    """Ranked article ids per query, and timings (ms) of the Node run. ``plain``: lunr
    with its default pipeline and no query syntax instead of Material's configuration."""
    node_modules = HERE / "node_modules" / "lunr"
    if not node_modules.is_dir():
        raise SystemExit(f"lunr is not installed: run `npm ci --prefix {HERE}`")
    by_url = {a.url: a.id for a in catalogue.articles}
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in.json"), Path(tmp, "out.json")
        docs = plain_docs(catalogue) if plain else search_docs(catalogue)
        src.write_text(json.dumps({"docs": docs, "queries": queries, "limit": limit,
                                   "plain": plain}))
        subprocess.run(["node", str(HERE / "material_lunr.js"), str(src), str(out)], check=True)
        data = json.loads(out.read_text())
    ranked = [[by_url[u] for u in pages] for pages in data["results"]]
    return ranked, {"build_ms": data["build_ms"], "query_ms": data["query_ms"]}
