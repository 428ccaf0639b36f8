"""Site scale: build time and page size of carebase vs bare Material at 1,000 and 5,000 items.

Generates a synthetic help centre of N items (70% articles, 20% FAQ questions in groups of
10, 10% videos with chapters and transcripts, over 20 categories) twice: as carebase
content (Markdown + FAQ/video YAML), and as the equivalent plain Markdown site for bare
Material (every FAQ group and video a Markdown page; no `nav`, so MkDocs puts every page
in the navigation, its default). Both are built in the same run with `mkdocs build`.

    .venv/bin/python benchmarks/site_scale.py               # 1,000 and 5,000 items
    .venv/bin/python benchmarks/site_scale.py --sizes 200 --bare-timeout 120
    .venv/bin/python benchmarks/site_scale.py --no-bare --repeat 3   # linearity only
    .venv/bin/python benchmarks/site_scale.py --sizes 5000 --keep /tmp/scale --translated --no-build
        # also writes n5000/carebase-de: the same site in English and German (languages: [en, de],
        # every item translated beside its source), to time against n5000/carebase (interleaved A/B pairs under /usr/bin/time)

Prints a Markdown table (paste it into benchmarks/RESULTS.md under "## Site scale").
Bare Material builds that exceed --bare-timeout are stopped and reported as "> N s".

Issue 16's target (a full carebase build at <= 0.7 x bare Material with ``navigation.prune``,
in CPU) is measured with ``--pairs``: carebase and the bare site with ``theme.features:
[navigation.prune]`` (``n<N>/bare-prune``) built in turn, A B A B ..., each a whole
``mkdocs build`` timed as a process with every process it waited for (carebase's search-index
worker): user and system CPU from the kernel's account of finished children, wall time.

    CAREBASE_SEMANTIC=0 .venv/bin/python benchmarks/site_scale.py --sizes 5000 --pairs 4 --warmup 1
    # or generate first (--keep DIR --no-build), then time with --keep DIR --reuse --pairs 4

Every build writes into a folder of its own that no earlier build used, and no output is
removed until the last pair is done (outside both timers). Why: removing the previous output
inside the timer charges each tool for deleting files, not for building; and on a file system
without a journal (this machine's ext4) every new file's inode is allocated past the inodes
deleted in the last minute (ext4's ``recently_deleted``), so a build that starts right after a
removal of ~14,000 files pays seconds of system time for the removal's sake (perf: most of the
kernel's samples in ``recently_deleted`` under ``ext4_create``/``ext4_mkdir``). The removal's own
cost is printed once at the end, per tool, for the record.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "thermostat heating schedule boiler wifi router app account password invoice refund plan "
    "battery display sensor temperature comfort away home family notification privacy data "
    "wiring power adapter install pair update firmware error code reset offline network "
    "subscription payment card receipt warranty return delivery setup guide check confirm"
).split()
CATEGORIES = [f"topic-{i:02d}" for i in range(20)]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def article_md(rng, title: str, front: bool) -> str:
    body = f"# {title}\n\n{words(rng, 60).capitalize()}.\n\n"
    for h in range(2):
        body += f"## {words(rng, 3).capitalize()} {h}\n\n{words(rng, 80).capitalize()}.\n\n"
    if front:
        return f"---\ntitle: {title}\nsummary: {words(rng, 12).capitalize()}.\nkeywords: [{rng.choice(WORDS)}]\n---\n\n{body}"
    return body


def generate(root: Path, n: int, seed: int = 7) -> dict:
    """Write `root/carebase/content` and `root/bare/docs`; return the item counts."""
    rng = random.Random(seed)
    n_articles, n_questions = int(n * 0.7), int(n * 0.2)
    n_videos = n - n_articles - n_questions
    cb, bare = root / "carebase" / "content", root / "bare" / "docs"
    for base in (cb, bare):
        base.mkdir(parents=True)
    (cb / "categories.yml").write_text("".join(
        f"- id: {c}\n  title: Topic {c[-2:]}\n  description: {words(rng, 8)}\n  order: {i}\n"
        for i, c in enumerate(CATEGORIES)))
    (cb / "synonyms.yml").write_text("- [refund, money back]\n- [wifi, wireless, internet]\n")
    (bare / "index.md").write_text("# Help centre\n\nWelcome.\n")
    for i in range(n_articles):
        cat = CATEGORIES[i % len(CATEGORIES)]
        title = f"{words(rng, 4).capitalize()} {i}"
        for base, front in ((cb, True), (bare, False)):
            (base / cat).mkdir(exist_ok=True)
            (base / cat / f"article-{i}.md").write_text(article_md(rng, title, front))
    (cb / "faq").mkdir()
    (bare / "faq").mkdir()
    for g in range(0, n_questions, 10):
        cat = CATEGORIES[(g // 10) % len(CATEGORIES)]
        qs = [(f"{words(rng, 6).capitalize()} {g + k}?", words(rng, 50).capitalize() + ".")
              for k in range(min(10, n_questions - g))]
        yml = f"title: Questions {g // 10}\ncategory: {cat}\nquestions:\n"
        yml += "".join(f"  - question: \"{q}\"\n    answer: \"{a}\"\n" for q, a in qs)
        (cb / "faq" / f"group-{g // 10}.yml").write_text(yml)
        md = f"# Questions {g // 10}\n\n" + "".join(f"## {q}\n\n{a}\n\n" for q, a in qs)
        (bare / "faq" / f"group-{g // 10}.md").write_text(md)
    (cb / "videos").mkdir()
    (bare / "videos").mkdir()
    for v in range(n_videos):
        cat = CATEGORIES[v % len(CATEGORIES)]
        title = f"Video {words(rng, 3)} {v}"
        chapters = [(s, words(rng, 3).capitalize()) for s in (0, 40, 90, 150)]
        cues = [(s, words(rng, 14).capitalize() + ".") for s in range(0, 180, 10)]
        yml = (f"title: {title}\ncategory: {cat}\nsource: https://www.youtube.com/watch?v=abcdefghi{v % 10}k\n"
               f"duration: 200\npublished: 2026-0{1 + v % 9}-1{v % 10}\nchapters:\n"
               + "".join(f"  - start: {s}\n    title: {t}\n" for s, t in chapters)
               + "transcript:\n" + "".join(f"  - start: {s}\n    end: {s + 9}\n    text: {t}\n" for s, t in cues))
        (cb / "videos" / f"video-{v}.yml").write_text(yml)
        md = f"# {title}\n\n" + "".join(f"## {t}\n\n" + " ".join(c for s2, c in cues if s <= s2 < s + 50) + "\n\n"
                                          for s, t in chapters)
        (bare / "videos" / f"video-{v}.md").write_text(md)
    (root / "carebase" / "mkdocs.yml").write_text(
        "site_name: Scale\ndocs_dir: content\ntheme:\n  name: carebase\n  font: false\n"
        "plugins:\n  - material/search\n  - carebase:\n      contact:\n        email: help@example.com\n")
    (root / "bare" / "mkdocs.yml").write_text(
        "site_name: Scale\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n")
    (root / "bare-prune").mkdir()
    (root / "bare-prune" / "mkdocs.yml").write_text(
        "site_name: Scale\ndocs_dir: ../bare/docs\ntheme:\n  name: material\n  font: false\n"
        "  features: [navigation.prune]\nplugins:\n  - search\n")
    return {"articles": n_articles, "questions": n_questions, "videos": n_videos}


def translate(root: Path, lang: str = "de", seed: int = 11) -> Path:
    """``root/carebase-<lang>``: a copy of ``root/carebase`` in two languages, every article,
    FAQ file and video translated beside its source (other words, the same shape), its
    questions keeping their anchors."""
    from carebase.content.ids import slugify

    rng = random.Random(seed)
    source, target = root / "carebase", root / f"carebase-{lang}"
    shutil.copytree(source, target)
    content = target / "content"
    for path in sorted(content.glob("*/article-*.md")):
        title = f"{words(rng, 4).capitalize()} {path.stem.split('-')[1]}"
        path.with_name(f"{path.stem}.{lang}.md").write_text(article_md(rng, title, True))
    for path in sorted(content.glob("faq/group-*.yml")):
        import yaml

        data = yaml.safe_load(path.read_text())
        data["title"] = f"Fragen {path.stem.split('-')[1]}"
        data.pop("category", None)
        data["questions"] = [{"question": f"{words(rng, 6).capitalize()} {i}?",
                              "id": q.get("id") or slugify(q["question"], "question"),
                              "answer": words(rng, 50).capitalize() + "."} for i, q in enumerate(data["questions"])]
        path.with_name(f"{path.stem}.{lang}.yml").write_text(yaml.safe_dump(data, allow_unicode=True))
    for path in sorted(content.glob("videos/video-*.yml")):
        text = path.read_text().replace("title: Video ", f"title: Video ({lang}) ", 1)
        path.with_name(f"{path.stem}.{lang}.yml").write_text(text.replace("category: ", "# category: ", 1))
    config = target / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - carebase:\n", f"  - carebase:\n      languages: [en, {lang}]\n"))
    return target


def build(project: Path, timeout: float) -> dict:
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    start = time.perf_counter()
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "timeout": timeout}
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {project} failed:\n{result.stderr[-3000:]}")
    pages = list(site.rglob("*.html"))
    sizes = [p.stat().st_size for p in pages]
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    largest = max(pages, key=lambda p: p.stat().st_size)
    out = {"seconds": seconds, "pages": len(pages), "largest": max(sizes),
           "largest_page": largest.relative_to(site).as_posix(), "total": total}
    shutil.rmtree(site)
    return out


def timed_build(config: Path, site: Path) -> dict:
    """One whole ``mkdocs build`` of ``config`` into ``site`` (a folder no build used before):
    CPU of the build and every process it waited for, from RUSAGE_CHILDREN, and wall time."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stderr[-3000:]}")
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    return {"user": user, "sys": system, "cpu": user + system, "wall": wall,
            "faults": after.ru_minflt - before.ru_minflt}


def pairs(root: Path, count: int, warmup: int) -> list[str]:
    """carebase (A) and bare Material with navigation.prune (B) in turn; the table's lines."""
    runs = root / "pairs"
    if runs.exists():
        shutil.rmtree(runs)
    runs.mkdir()
    a_runs, b_runs, ratios = [], [], []
    for n in range(warmup + count):
        load = os.getloadavg()[0]
        a = timed_build(root / "carebase" / "mkdocs.yml", runs / f"carebase-{n}")
        b = timed_build(root / "bare-prune" / "mkdocs.yml", runs / f"prune-{n}")
        counted = n >= warmup
        print(f"pair {n + 1}{'' if counted else ' (warm-up, not counted)'}, load {load:.1f}: "
              f"carebase {a['user']:.2f} user + {a['sys']:.2f} sys = {a['cpu']:.2f} s CPU, {a['wall']:.2f} s wall, "
              f"{a['faults']} faults; Material {b['user']:.2f} + {b['sys']:.2f} = {b['cpu']:.2f} s CPU, "
              f"{b['wall']:.2f} s wall, {b['faults']} faults; CPU ratio {a['cpu'] / b['cpu']:.3f}", flush=True)
        if counted:
            a_runs.append(a)
            b_runs.append(b)
            ratios.append({k: a[k] / b[k] for k in ("user", "cpu", "wall")})
    removal = {}
    for name in ("carebase", "prune"):  # the removal's own cost, outside every timer above
        folders = [p for p in runs.iterdir() if p.name.startswith(f"{name}-")]
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(["rm", "-rf", *map(str, folders)], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        removal[name] = ((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / len(folders),
                         (time.perf_counter() - start) / len(folders))

    def med(runs_, key):
        values = [r[key] for r in runs_]
        return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"

    lines = ["| builds (median, min-max of %d) | user s | sys s | CPU s | wall s | minor faults |" % count,
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label, runs_ in (("carebase", a_runs), ("bare Material, `navigation.prune`", b_runs)):
        lines.append(f"| {label} | {med(runs_, 'user')} | {med(runs_, 'sys')} | {med(runs_, 'cpu')} | "
                     f"{med(runs_, 'wall')} | {statistics.median(r['faults'] for r in runs_):.0f} |")
    lines.append(f"| ratio carebase / Material, pair by pair | {med(ratios, 'user')} | | **{med(ratios, 'cpu')}** | "
                 f"{med(ratios, 'wall')} | |")
    lines.append("")
    lines.append(f"Removing one output afterwards (rm -rf, outside the timers): carebase {removal['carebase'][0]:.2f} s "
                 f"CPU ({removal['carebase'][1]:.1f} s wall, site and build output), Material "
                 f"{removal['prune'][0]:.2f} s CPU ({removal['prune'][1]:.1f} s wall).")
    return lines


def fmt_time(r: dict) -> str:
    if r["seconds"] is None:
        return f"> {r['timeout']:.0f} s (stopped)" if r["timeout"] else "not run"
    return f"{r['seconds']:.1f} s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    ap.add_argument("--bare-timeout", type=float, default=900.0)
    ap.add_argument("--keep", help="generate into this folder and keep it")
    ap.add_argument("--repeat", type=int, default=1, help="build carebase this many times, keep the fastest")
    ap.add_argument("--no-bare", action="store_true", help="carebase only (for the linearity check)")
    ap.add_argument("--translated", action="store_true",
                    help="also write carebase-de: the same site in English and German (to time against carebase)")
    ap.add_argument("--no-build", action="store_true", help="generate only (with --keep)")
    ap.add_argument("--pairs", type=int, default=0,
                    help="time carebase against bare Material with navigation.prune in this many A/B pairs (CPU)")
    ap.add_argument("--warmup", type=int, default=1, help="with --pairs: pairs run first and not counted")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: build the content generated there before (no files removed and written "
                         "again just before the builds)")
    args = ap.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="carebase-scale-"))
    rows, results = [], {}
    for n in args.sizes:
        root = work / f"n{n}"
        if args.reuse and (root / "bare-prune" / "mkdocs.yml").is_file():
            n_articles, n_questions = int(n * 0.7), int(n * 0.2)
            counts = {"articles": n_articles, "questions": n_questions, "videos": n - n_articles - n_questions}
        else:
            if root.exists():
                shutil.rmtree(root)
            counts = generate(root, n)
        if args.translated and not (args.reuse and (root / "carebase-de").is_dir()):
            translate(root)
        if args.no_build:
            print(f"generated {root}", flush=True)
            continue
        if args.pairs:
            print(f"\n{n:,} items ({counts['articles']} articles, {counts['questions']} FAQ questions, "
                  f"{counts['videos']} videos):\n" + "\n".join(pairs(root, args.pairs, args.warmup)), flush=True)
            continue
        cb = min((build(root / "carebase", timeout=3600) for _ in range(max(1, args.repeat))),
                 key=lambda r: r["seconds"])
        bare = {"seconds": None, "timeout": 0} if args.no_bare else build(root / "bare", timeout=args.bare_timeout)
        results[n] = (cb, bare)
        ratio = (f"{cb['seconds'] / bare['seconds']:.3f}" if bare["seconds"] else
                 f"< {cb['seconds'] / bare['timeout']:.3f}" if bare["timeout"] else "not run")
        rows.append(
            f"| {n:,} ({counts['articles']} articles, {counts['questions']} FAQ questions, {counts['videos']} videos) "
            f"| {fmt_time(cb)} | {fmt_time(bare)} | {ratio} "
            f"| {cb['largest'] / 1024:.0f} KB (`{cb['largest_page']}`) "
            f"| {(str(round(bare['largest'] / 1024)) + ' KB') if bare['seconds'] else 'n/a'} "
            f"| {cb['total'] / 2**20:.0f} MB / {(str(round(bare['total'] / 2**20)) + ' MB') if bare['seconds'] else 'n/a'} |"
        )
        print(rows[-1], flush=True)
    if rows:
        print("\n| items | carebase build | bare Material build | time ratio carebase / bare "
              "| largest carebase page | largest bare page | site size carebase / bare |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        print("\n".join(rows))
        sizes = sorted(results)
        if len(sizes) >= 2:
            small, big = sizes[0], sizes[-1]
            t_small, t_big = results[small][0]["seconds"], results[big][0]["seconds"]
            print(f"\ncarebase time({big})/time({small}) = {t_big / t_small:.2f} "
                  f"(linear: {big / small:.2f}); per item {1000 * t_small / small:.1f} ms → {1000 * t_big / big:.1f} ms")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
