"""Build time against the size of one article: is it in proportion?

Writes a small help centre (two categories, a few short articles, one FAQ, one video) plus one
generated article of each size, then times, in a subprocess each:

  load     the content loader and the search-record text (``load_catalogue`` + ``catalogue_records``:
           what ``carebase check`` and every index do with an article's text)
  build    ``carebase build`` (MkDocs + Material + the carebase plugin) of the whole site

Shapes: ``prose`` (paragraphs of ~60 words, a heading every 10 paragraphs, links and emphasis:
what a long real article looks like) and ``hostile`` (the same size in lines made to be slow
for backtracking patterns: a heading of 20,000 ``#``-separated words, long runs of ``[``, ``{:``,
``<a``, blank lines after fences).

    .venv/bin/python benchmarks/content_size.py --sizes 0.5 1 2 4 --shapes prose --steps load build
    .venv/bin/python benchmarks/content_size.py --sizes 0.25 0.5 --shapes hostile --steps load
    # the same against another checkout's code (e.g. the commit before the fix):
    git archive <commit> generator | tar -x -C /tmp/old && mv /tmp/old/generator /tmp/old/carebase
    PYTHONPATH=/tmp/old .venv/bin/python benchmarks/content_size.py --steps load --timeout 300 …

Prints one row per (shape, size, step): seconds, seconds per MB and peak memory of the child.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WORDS = ("thermostat heating schedule wifi battery boiler app account refund invoice temperature "
         "sensor radiator hub update pairing reset").split()

LOAD = ("import sys; from carebase.content import load_catalogue; from carebase.search.records import "
        "catalogue_records; c = load_catalogue(sys.argv[1]); n = sum(len(r.body) for r in catalogue_records(c)); "
        "print(len(c.problems), n)")


def prose(size: int, rng: random.Random) -> str:
    out, total, i = [], 0, 0
    while total < size:
        if i % 10 == 0:
            part = f"## Step {i // 10}: {' '.join(rng.choices(WORDS, k=4))}\n"
        else:
            words = rng.choices(WORDS, k=60)
            words[5] = f"[{words[5]}](../billing/refunds.md)"
            words[20] = f"**{words[20]}**"
            part = " ".join(words) + ".\n"
        out.append(part)
        total += len(part) + 1
        i += 1
    return "\n".join(out)


def hostile(size: int, rng: random.Random) -> str:
    units = ["# a" + " #" * 20_000 + "x\n\n", "[" * 40_000 + "\n\n", "{:" * 20_000 + "\n\n", "<a" * 20_000 + "\n\n",
             "```\n" * 5_000 + "~~~\n\n", "# a" + " " * 40_000 + "x\n\n"]
    out, total, i = [], 0, 0
    while total < size:
        part = units[i % len(units)]
        out.append(part)
        total += len(part)
        i += 1
    return "".join(out)


def write_site(root: Path, shape: str, size_mb: float) -> Path:
    content = root / "content"
    for rel, text in {
        "categories.yml": "- {id: billing, title: Billing}\n- {id: account, title: Account}\n",
        "billing/refunds.md": "---\ntitle: Refunds\n---\nWe refund within 14 days.\n",
        "account/password.md": "---\ntitle: Reset your password\n---\nUse the reset link.\n",
        "faq/billing.yml": "title: Billing questions\ncategory: billing\nquestions:\n"
                           "  - {question: Can I get a refund?, answer: Yes.}\n",
        "videos/tour.yml": "title: Tour\ncategory: account\nsource: https://youtu.be/dQw4w9WgXcQ\nduration: '1:00'\n",
    }.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, "utf-8")
    body = (prose if shape == "prose" else hostile)(int(size_mb * 1024 * 1024), random.Random(7))
    (content / "billing" / "big.md").write_text("---\ntitle: A big article\n---\n" + body, "utf-8")
    # limits raised so the error limit does not stop the largest sizes measured
    (root / "mkdocs.yml").write_text(
        "site_name: Size\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme: {name: carebase, font: false}\n"
        "plugins:\n  - material/search\n  - carebase:\n      limits: {article: {warning: 1 GB, error: 1 GB}}\n", "utf-8")
    return root


def run(cmd: list[str], cwd: Path, timeout: float) -> tuple[float | None, float]:
    """(seconds or None when over ``timeout``, the child's peak memory in MB)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "true"}
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    timer.cancel()
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return (None if seconds >= timeout else seconds), usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.5, 1, 2, 4], help="article sizes in MB")
    parser.add_argument("--shapes", nargs="+", default=["prose"], choices=["prose", "hostile"])
    parser.add_argument("--steps", nargs="+", default=["load", "build"], choices=["load", "build"])
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run counts as too slow")
    args = parser.parse_args()
    print(f"{'shape':8} {'MB':>5} {'step':6} {'seconds':>8} {'s/MB':>6} {'peak MB':>8}", flush=True)
    for shape in args.shapes:
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as tmp:
                root = write_site(Path(tmp), shape, size)
                for step in args.steps:
                    cmd = ([sys.executable, "-c", LOAD, "content"] if step == "load" else
                           [sys.executable, "-m", "carebase", "build", "-q", "-d", str(root / "site")])
                    seconds, peak = run(cmd, root, args.timeout)
                    shown = f"{seconds:8.1f} {seconds / size:6.1f}" if seconds is not None else f"{'>' + str(int(args.timeout)):>8} {'':6}"
                    print(f"{shape:8} {size:5} {step:6} {shown} {peak:8.0f}", flush=True)


if __name__ == "__main__":
    main()
