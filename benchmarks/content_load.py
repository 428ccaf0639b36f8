"""Benchmark: load + validate 10,000 generated content items with ``load_catalogue``.

Baselines, measured in the same run on the same files:
  * ``safe_load``      read every file, split front matter, ``yaml.safe_load`` (pure-Python loader)
  * ``CSafeLoader``    the same with libyaml's ``CSafeLoader`` — no validation, no line tracking

    .venv/bin/python benchmarks/content_load.py [--items 10000] [--repeat 5]

Quiet unless stderr is a terminal (and CI is unset); then it shows progress.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

from carebase.content import load_catalogue

CATEGORIES = ["billing", "account", "getting-started", "troubleshooting", "installation", "privacy"]
WORDS = ("thermostat schedule refund invoice wifi battery heating cooling account password "
         "install wiring app update firmware eco sensor").split()


def progress(message: str) -> None:
    if sys.stderr.isatty() and not os.environ.get("CI"):
        print(f"\r\033[K{message}", end="", file=sys.stderr, flush=True)


def sentence(n: int, length: int = 12) -> str:
    return " ".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize() + "."


def generate(root: Path, items: int) -> dict[str, int]:
    """About half articles, 30 % FAQ questions (12 per file), 20 % videos."""
    n_videos, n_questions = items // 5, items * 3 // 10
    n_faq_files = max(1, n_questions // 12)
    n_articles = items - n_videos - n_faq_files * 12
    (root / "categories.yml").write_text("".join(f"- id: {c}\n  title: {c.title()}\n  order: {i}\n"
                                                 for i, c in enumerate(CATEGORIES)), "utf-8")
    (root / "synonyms.yml").write_text("- [refund, money back]\n- [wifi, wireless, internet]\n", "utf-8")
    for i in range(n_articles):
        cat = CATEGORIES[i % len(CATEGORIES)]
        (root / cat).mkdir(exist_ok=True)
        related = f"article:{CATEGORIES[(i + 1) % len(CATEGORIES)]}/article-{i + 1}" if i + 1 < n_articles else ""
        body = "\n\n".join(sentence(i + k, 40) for k in range(6))
        link = f"[previous](../{CATEGORIES[(i - 1) % len(CATEGORIES)]}/article-{i - 1}.md)" if i else ""
        (root / cat / f"article-{i}.md").write_text(
            f"---\ntitle: Article {i} about {WORDS[i % len(WORDS)]}\nsummary: {sentence(i)}\n"
            f"tags: [{WORDS[i % 5]}, {WORDS[(i + 3) % 7]}]\nkeywords: [{WORDS[(i + 1) % 9]}]\n"
            f"owner: team-{i % 4}\nreview_by: 2999-01-01\nrelated: [{related}]\n---\n"
            f"# Article {i}\n\n{body}\n\nSee {link} and [the site](https://example.com).\n", "utf-8")
        if i % 500 == 0:
            progress(f"generating articles {i}/{n_articles}")
    (root / "faq").mkdir()
    for f in range(n_faq_files):
        questions = "".join(
            f"  - question: Question {f}-{q} about {WORDS[q % len(WORDS)]}?\n"
            f"    answer: |\n      {sentence(f + q, 30)}\n      See [an article](../{CATEGORIES[0]}/article-0.md).\n"
            f"    tags: [{WORDS[q % 6]}]\n" for q in range(12))
        (root / "faq" / f"group-{f}.yml").write_text(
            f"title: FAQ group {f}\ncategory: {CATEGORIES[f % len(CATEGORIES)]}\nquestions:\n{questions}", "utf-8")
    progress("generating videos")
    (root / "videos").mkdir()
    for v in range(n_videos):
        chapters = "".join(f"  - start: \"{m}:00\"\n    title: Part {m}\n" for m in range(5))
        cues = "".join(f"  - {{start: {s * 5}, end: {s * 5 + 4}, text: \"{sentence(v + s, 8)}\"}}\n" for s in range(8))
        (root / "videos" / f"video-{v}.yml").write_text(
            f"title: Video {v}\nsummary: {sentence(v)}\ncategory: {CATEGORIES[v % len(CATEGORIES)]}\n"
            f"source: https://www.youtube.com/watch?v=dQw4w9WgX{v % 100:02d}\nduration: \"6:30\"\n"
            f"chapters:\n{chapters}transcript:\n{cues}", "utf-8")
    return {"articles": n_articles, "faq questions": n_faq_files * 12, "videos": n_videos}


def baseline(root: Path, loader) -> int:
    """Read and parse every content file with no validation; returns the number of documents."""
    count = 0
    for path in sorted(root.rglob("*")):
        if path.suffix == ".md":
            text = path.read_text("utf-8")
            if text.startswith("---\n"):
                end = text.find("\n---\n", 4)
                yaml.load(text[4:end], Loader=loader)
                count += 1
        elif path.suffix == ".yml":
            yaml.load(path.read_text("utf-8"), Loader=loader)
            count += 1
    return count


def best_of(repeat: int, runs: list[tuple[str, object]]) -> list[tuple[str, float]]:
    """Best time of each run; the runs take turns in every round, so a busy machine
    slows all of them alike instead of whichever happened to run during a spike."""
    best = {label: float("inf") for label, _ in runs}
    for r in range(repeat):
        for label, func in runs:
            progress(f"round {r + 1}/{repeat}: {label}")
            start = time.perf_counter()
            func()
            best[label] = min(best[label], time.perf_counter() - start)
    return [(label, best[label]) for label, _ in runs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        made = generate(root, args.items)
        catalogue = load_catalogue(root)
        loaded = len(list(catalogue.items()))
        if catalogue.errors or loaded != sum(made.values()):
            print(f"generated content did not load cleanly: {loaded} items, {catalogue.errors[:3]}", file=sys.stderr)
            return 1
        rows = best_of(args.repeat, [
            ("yaml.safe_load (pure Python), no validation", lambda: baseline(root, yaml.SafeLoader)),
            ("yaml CSafeLoader, no validation", lambda: baseline(root, yaml.CSafeLoader)),
            ("carebase load_catalogue (load + validate)", lambda: load_catalogue(root)),
        ])
    progress("")
    if sys.stderr.isatty() and not os.environ.get("CI"):
        print(file=sys.stderr)
    base = rows[1][1]
    print(f"{loaded} items ({', '.join(f'{v} {k}' for k, v in made.items())}), best of {args.repeat}, "
          f"Python {sys.version.split()[0]}, libyaml {yaml.__with_libyaml__}")
    print(f"| {'what':<46} | {'seconds':>8} | {'vs CSafeLoader':>14} | {'items/s':>8} |")
    print(f"| {'-' * 46} | {'-' * 8}:| {'-' * 14}:| {'-' * 8}:|")
    for label, seconds in rows:
        print(f"| {label:<46} | {seconds:8.2f} | {seconds / base:13.2f}x | {loaded / seconds:8.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
