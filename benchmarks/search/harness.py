"""Shared pieces of the search benchmarks: data paths, the help centre, queries, metrics."""

from __future__ import annotations

import csv
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HELPCENTRE = HERE / "helpcentre"


def shared_dir() -> Path | None:
    """CAREBASE_SHARED, else /work/shared, else ../shared beside the repository."""
    env = os.environ.get("CAREBASE_SHARED")
    for cand in ([Path(env)] if env else []) + [Path("/work/shared"), REPO.parent / "shared"]:
        if cand.is_dir():
            return cand
    return None


def banking77_path() -> Path:
    shared = shared_dir()
    path = shared / "data" / "banking77" / "train.csv" if shared else None
    if path is None or not path.is_file():
        sys.exit("BANKING77 not found: set CAREBASE_SHARED to the folder holding data/banking77/train.csv")
    return path


@dataclass(frozen=True)
class Query:
    text: str
    intent: str
    target: str  # article id
    half: str  # "A" (tuning) or "B" (reported, never tuned on)


def load_queries(intents: dict[str, str], seed: int = 77) -> list[Query]:
    with banking77_path().open(newline="", encoding="utf-8") as fh:
        rows = [(r["text"], r["category"]) for r in csv.DictReader(fh)]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    half = {i: ("A" if n % 2 == 0 else "B") for n, i in enumerate(order)}
    return [Query(" ".join(t.split()), c, intents[c], half[i]) for i, (t, c) in enumerate(rows)]


def load_intents() -> dict[str, str]:
    return {str(k): v for k, v in yaml.safe_load((HERE / "intents.yml").read_text()).items()}


def load_helpcentre(root: Path = HELPCENTRE):
    """The benchmark help centre as a Catalogue, through carebase's content loader."""
    from carebase.content import load_catalogue

    cat = load_catalogue(root)
    if cat.errors:
        sys.exit("help centre has errors:\n" + "\n".join(map(str, cat.errors)))
    return cat


def metrics(ranked: list[list[str]], queries: list[Query]) -> dict[str, float]:
    """hit@1, hit@5 and MRR@10 of ranked id lists against the queries' targets."""
    h1 = h5 = rr = 0.0
    for ids, q in zip(ranked, queries):
        ids = list(dict.fromkeys(ids))[:10]
        if q.target in ids:
            rank = ids.index(q.target) + 1
            h1 += rank == 1
            h5 += rank <= 5
            rr += 1.0 / rank
    n = max(1, len(queries))
    return {"hit@1": h1 / n, "hit@5": h5 / n, "mrr@10": rr / n}
