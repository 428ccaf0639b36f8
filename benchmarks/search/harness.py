"""Shared pieces of the search benchmarks: data paths, the help centre, queries, metrics."""

from __future__ import annotations

import csv
import json
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


def load_intents(root: Path = HERE) -> dict[str, str]:
    return {str(k): v for k, v in yaml.safe_load((root / "intents.yml").read_text()).items()}


SECOND = HERE / "second_set"  # the reviewer's held-out check: CLINC150's banking and credit_cards intents
CLINC150_HOW = ("get it with: git clone https://github.com/clinc/oos-eval (CC BY 3.0), then pass "
                "--data oos-eval/data/data_full.json (benchmarks/search/second_set/README.md)")


def clinc150_path(data: str | None) -> Path:
    """``--data``, else CAREBASE_SHARED's (or /work/shared's) data/clinc150/data_full.json."""
    shared = shared_dir()
    path = Path(data) if data else shared / "data" / "clinc150" / "data_full.json" if shared else None
    if path is None or not path.is_file():
        sys.exit(f"second set skipped: CLINC150's data_full.json not found ({path or 'no --data'}); {CLINC150_HOW}")
    return path


def load_clinc150(intents: dict[str, str], path: Path, seed: int = 77) -> list[Query]:
    """The queries of ``intents`` in every split of CLINC150's data_full.json (train, val,
    test; out-of-scope left out), in the file's order, halved as load_queries does."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [(t, c) for split in ("train", "val", "test") for t, c in data[split] if c in intents]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    half = {i: ("A" if n % 2 == 0 else "B") for n, i in enumerate(order)}
    return [Query(" ".join(t.split()), c, intents[c], half[i]) for i, (t, c) in enumerate(rows)]


THIRD = HERE / "third_set"  # a harder held-out check: 50 of ACID's insurance customer intents
ACID_HOW = ("get it with: git clone https://github.com/AmFamMLTeam/ACID (no licence file: read locally, never "
            "committed), then pass --data ACID (benchmarks/search/third_set/README.md)")
ACID_FILES = ("customer_training.csv", "customer_testing.csv")


def acid_path(data: str | None) -> Path:
    """``--data`` (the folder holding ACID's two CSV files), else CAREBASE_SHARED's (or
    /work/shared's) data/acid."""
    shared = shared_dir()
    path = Path(data) if data else shared / "data" / "acid" if shared else None
    if path is None or not all((path / name).is_file() for name in ACID_FILES):
        sys.exit(f"third set skipped: ACID's {' and '.join(ACID_FILES)} not found in {path or 'no --data'}; {ACID_HOW}")
    return path


def load_acid(intents: dict[str, str], path: Path, seed: int = 77) -> list[Query]:
    """The queries of ``intents`` in ACID's training then testing file (INTENT_NAME,UTTERANCES),
    in the files' order, halved as load_queries does."""
    rows = []
    for name in ACID_FILES:
        with (path / name).open(newline="", encoding="utf-8") as fh:
            rows += [(r["UTTERANCES"], r["INTENT_NAME"]) for r in csv.DictReader(fh) if r["INTENT_NAME"] in intents]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    half = {i: ("A" if n % 2 == 0 else "B") for n, i in enumerate(order)}
    return [Query(" ".join(t.split()), c, intents[c], half[i]) for i, (t, c) in enumerate(rows)]


SETS = {"second": (SECOND, lambda intents, data, seed: load_clinc150(intents, clinc150_path(data), seed)),
        "third": (THIRD, lambda intents, data, seed: load_acid(intents, acid_path(data), seed))}


@dataclass(frozen=True)
class QuerySet:
    """A help centre and its labelled queries: ``first`` (the 77 BANKING77 articles, the
    default of every script), ``second`` (benchmarks/search/second_set with CLINC150) or
    ``third`` (benchmarks/search/third_set with ACID)."""

    name: str
    helpcentre: Path
    root: Path  # holds intents.yml
    data: str | None = None

    def intents(self) -> dict[str, str]:
        return load_intents(self.root)

    def queries(self, seed: int = 77) -> list[Query]:
        if self.name == "first":
            return load_queries(self.intents(), seed)
        return SETS[self.name][1](self.intents(), self.data, seed)

    def catalogue(self):
        return load_helpcentre(self.helpcentre)


def add_set_arguments(parser) -> None:
    parser.add_argument("--set", choices=("first", *SETS), default="first", dest="query_set",
                        help="first: the 77 BANKING77 articles (default); second: second_set/ with CLINC150's "
                             "banking and credit_cards queries; third: third_set/ with 50 of ACID's insurance "
                             "intents (second and third need --data)")
    parser.add_argument("--data", metavar="PATH", help="--set second: CLINC150's data/data_full.json; "
                                                       "--set third: the ACID folder (its two CSV files)")


def query_set(args) -> QuerySet:
    """The set an ``add_set_arguments`` parser chose."""
    if args.query_set in SETS:
        root = SETS[args.query_set][0]
        return QuerySet(args.query_set, root / "helpcentre", root, args.data)
    if args.data:
        sys.exit("--data: only for --set second or third (the first set reads BANKING77 from CAREBASE_SHARED)")
    return QuerySet("first", HELPCENTRE, HERE)


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
