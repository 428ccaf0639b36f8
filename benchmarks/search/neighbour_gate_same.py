"""Does carebase's shared-neighbour gate (``topics.group(neighbours=(K, rho))``, ``topic_neighbours``)
group as the benchmark hook it was measured with (``neighbour_grouping.install((0, K, rho))``)?
(Session 46, `topics`.)

``dump`` groups each kept input (``held_out_apart_words.py report … --keep-inputs``: what the report
gave ``topics.group``) with the code this process imports and writes every row as it would be
listed (its wordings' keys, its parts' keys, in order) and the wordings left in "other", one JSON
file per input. Run it twice, once per code, and compare the folders (``cmp`` or ``compare``):

    # the hook, on a snapshot of main before the option existed (its passes are the hook's copies)
    SNAPSHOT/.venv/bin/python benchmarks/search/neighbour_gate_same.py dump IN/*.pkl --out A --hook 0,30,0.6
    # the option, on this code
    .venv/bin/python benchmarks/search/neighbour_gate_same.py dump IN/*.pkl --out B --option 30,0.6
    python benchmarks/search/neighbour_gate_same.py compare A B

Without ``--hook`` / ``--option``: the grouping as the code ships it (off against off).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def rows(found, other) -> dict:
    def keys(members):
        return [" ".join(w.key) for w in members]

    return {"rows": [{"members": keys(t.members), "parts": [keys(p.members) for p in t.parts]} for t in found],
            "other": keys(other)}


def dump(args) -> None:
    from carebase.report import topics

    if args.hook:
        import neighbour_grouping

        neighbour_grouping.install(tuple(float(x) for x in args.hook.split(",")))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for path in map(Path, args.inputs):
        kept = pickle.loads(path.read_bytes())
        kwargs = {k: v for k, v in kept["kwargs"].items() if k != "neighbours"}
        if args.option:
            k, rho = args.option.split(",")
            kwargs["neighbours"] = (int(k), float(rho))
        found, other = topics.group(kept["wordings"], kept["matrix"], *kept["args"], **kwargs)
        (out / f"{path.stem}.json").write_text(json.dumps(rows(found, other), indent=0))
        print(f"{path.stem}: {len(kept['wordings'])} wordings, {len(found)} rows", flush=True)


def compare(args) -> int:
    a, b = Path(args.a), Path(args.b)
    names = sorted(p.name for p in a.glob("*.json"))
    differ = [n for n in names if not (b / n).exists() or (a / n).read_bytes() != (b / n).read_bytes()]
    print(f"{len(names)} inputs, {len(differ)} differ" + (f": {', '.join(differ)}" if differ else ""))
    return 1 if differ or not names else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    d = sub.add_parser("dump")
    d.add_argument("inputs", nargs="+", help="kept grouping inputs (SEED.pkl)")
    d.add_argument("--out", required=True)
    how = d.add_mutually_exclusive_group()
    how.add_argument("--hook", help="S,K,RHO: neighbour_grouping.install (the measured hook)")
    how.add_argument("--option", help="K,RHO: topics.group(neighbours=(K, RHO)) (carebase's option)")
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    args = ap.parse_args(argv)
    if args.mode == "dump":
        dump(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
