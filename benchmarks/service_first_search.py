"""A service's start and its first German search, with an empty cache folder, this checkout against
another's code.

Each round starts a real ``python -m carebase service`` on a build output of English and German
(``--site-data``: what ``carebase build`` wrote with this checkout's code; ``--against-site-data``:
the baseline's own build of the same site) with a new, empty ``CAREBASE_CACHE_DIR`` (a new
deployment, a container), then measures:

- the start: wall from the process's start until ``/healthz`` answers, and the process's CPU then
  (``/proc``: user + system, its children included);
- after ``--idle`` seconds (0: a customer arriving at once), the first German search with a
  separated verb ("wie setze ich das thermostat zurück", which reads simplemma's German word
  forms), then a second German search and an English one: each request's wall and the service's
  CPU during it;
- which word-forms tables the service wrote into its cache folder (one it made).

Rounds alternate the two sides (A B A B …); printed: each round's figures, then each side's
medians and the ratio of medians, and whether both sides' first searches gave the same hits.

    python benchmarks/service_first_search.py --site-data DIR \\
        --against /path/to/baseline/.venv/bin/python --against-site-data BASE_DIR [--rounds 5] [--idle 0]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

QUESTIONS = (("de", "wie setze ich das thermostat zurück"), ("de", "wann bekomme ich mein geld zurück"),
             ("en", "factory reset"))


def _cpu(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children (``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    try:
        found = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [c for child in found for c in (child, *_children(child))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=600) as response:
        return json.loads(response.read())


def one_run(python: str, site_data: str, idle: float) -> dict:
    """One cold start and its first searches (see the module's docstring)."""
    with tempfile.TemporaryDirectory(prefix="first-search-") as work:
        cache = Path(work) / "cache"
        cache.mkdir()
        port = _free_port()
        started = time.perf_counter()
        process = subprocess.Popen(
            [python, "-m", "carebase", "service", "--site-data", site_data, "--db", f"sqlite:///{work}/feedback.db",
             "--port", str(port), "--report-dir", f"{work}/report", "--learn-every", "0", "--search-rate-limit", "0"],
            env={**os.environ, "CAREBASE_CACHE_DIR": str(cache)}, cwd=work,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            while True:
                try:
                    _get(base + "/healthz")
                    break
                except OSError:
                    if process.poll() is not None:
                        raise SystemExit(f"the service stopped: {process.stderr.read().decode()}") from None
                    time.sleep(0.02)
            out = {"start_wall": time.perf_counter() - started, "start_cpu": _cpu(process.pid)}
            time.sleep(idle)
            for n, (lang, q) in enumerate(QUESTIONS):
                cpu, wall = _cpu(process.pid), time.perf_counter()
                body = _get(base + "/api/v1/search?" + urllib.parse.urlencode({"q": q, "lang": lang}))
                out[f"search{n + 1}_wall"] = time.perf_counter() - wall
                out[f"search{n + 1}_cpu"] = _cpu(process.pid) - cpu
                out[f"search{n + 1}_hits"] = [hit["id"] for hit in body["hits"]]
        finally:
            process.terminate()
            process.wait(30)
        out["made"] = sorted(p.name.split("-")[1] for p in cache.rglob("forms-*.txt"))
        return out


FIGURES = ("start_wall", "start_cpu", "search1_wall", "search1_cpu", "search2_wall", "search2_cpu",
           "search3_wall", "search3_cpu")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-data", required=True, help="the build output this checkout's code wrote")
    parser.add_argument("--against", help="the baseline's interpreter (its code installed)")
    parser.add_argument("--against-site-data", help="the build output the baseline's code wrote")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--idle", type=float, default=0.0, help="seconds between the start and the first search")
    args = parser.parse_args(argv)
    sides = {"this": (sys.executable, args.site_data)}
    if args.against:
        sides["base"] = (args.against, args.against_site_data or args.site_data)
    runs: dict[str, list[dict]] = {name: [] for name in sides}
    print(f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; idle {args.idle} s; {args.rounds} rounds", flush=True)
    for r in range(args.rounds):
        order = list(sides) if r % 2 == 0 else list(reversed(sides))
        for name in order:
            found = one_run(*sides[name], args.idle)
            runs[name].append(found)
            print(f"round {r + 1} {name}: " + ", ".join(f"{k} {found[k]:.3f}" for k in FIGURES)
                  + f"; tables made: {', '.join(found['made']) or 'none'}", flush=True)
    for key in FIGURES:
        medians = {name: statistics.median(run[key] for run in runs[name]) for name in sides}
        line = ", ".join(f"{name} {value:.3f}" for name, value in medians.items())
        if "base" in medians and medians["base"]:
            line += f", ratio {medians['this'] / medians['base']:.3f}"
        print(f"median {key}: {line}")
    if "base" in runs:
        same = all(a[f"search{n}_hits"] == b[f"search{n}_hits"]
                   for a, b in zip(runs["this"], runs["base"]) for n in (1, 2, 3))
        print(f"same hits on both sides, every round and search: {same}")
    print(f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
