"""A German help centre of any size, and German questions to ask it, generated from the German
wording carebase has: the demo's German pages (content/*.de.*) and the German harness's
(helpcentre/*/*.de.md). Deterministic (one seed); nothing here is judged for relevance: it is the
text a German site's search runs on, at a scale the repository's own German pages (30 and 20
items) do not reach.

- **Items** (``catalogue``): 60 % articles, 30 % FAQ questions (groups of 50), 10 % videos with
  chapters, as ``search_api.generate``'s English catalogue. Each text is German sentences of those
  pages (sentences as written, so a verb stands joined where a page joins it — *zurücksetzen* —
  and apart where a page writes it apart — "buchen wir nie … ab"), a third of their nouns swapped
  for another noun of the pages, so that 10,000 items are not 36 pages repeated; titles and
  headings are the pages' titles and headings, FAQ questions their FAQ questions, nouns swapped the
  same way.
- **Questions** (``questions``): the German questions of the benchmark sets (the separable-verb
  sets, the Ask box's, the German harness queries), split by whether search reads a separated verb
  in them (``carebase.text.separable.separated``), each kind varied (its nouns swapped for other
  nouns of the pages, as a customer types them: lower case) to as many distinct questions as asked
  for.

    python benchmarks/search/german_site.py [--items 10000]   # prints the catalogue's and questions' counts
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import yaml

# (no sys.path change: run as a script, its folder is first; imported by a test, the test puts it last,
# so benchmarks/search/material.py never hides mkdocs-material)
import harness  # noqa: E402

from carebase.content.languages import Languages  # noqa: E402
from carebase.content.model import (  # noqa: E402
    Article, Catalogue, Chapter, Cue, FaqGroup, FaqQuestion, Video, VideoSource,
)
from carebase.content.translations import load_languages  # noqa: E402
from carebase.search.records import markdown_text  # noqa: E402
from carebase.text import analyser_for  # noqa: E402
from carebase.text.separable import QUESTION_WORDS, separated  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "content"
SOURCES = (DEMO, harness.HELPCENTRE)
SWAP = 1 / 3  # the share of nouns swapped for another noun of the pages
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_NOUN = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{2,}$")


class Wording:
    """The German pages' sentences, titles, headings, FAQ questions and nouns."""

    def __init__(self, roots=SOURCES):
        self.sentences: list[str] = []
        self.titles: list[str] = []
        self.headings: list[str] = []
        self.questions: list[str] = []
        self.keywords: list[str] = []
        for root in roots:
            german = load_languages(Path(root), Languages(("en", "de"))).published().catalogues["de"]
            for a in german.articles:
                self.titles.append(a.title)
                self.keywords += list(a.keywords)
                self.headings += [line.lstrip("#").strip() for line in a.body.splitlines() if line.startswith("## ")]
                self._read(markdown_text(a.body))
                if a.summary:
                    self._read(a.summary)
            for g in german.faqs:
                for q in g.questions:
                    self.questions.append(q.question)
                    self._read(markdown_text(q.answer))
        nouns = {w for s in self.sentences + self.titles + self.questions for w in s.split()[1:] if _NOUN.match(w)}
        self.nouns = sorted(nouns)
        if not self.sentences or not self.nouns:
            raise SystemExit(f"{', '.join(map(str, roots))}: no German pages found (*.de.md, faq/*.de.yml)")

    def _read(self, text: str) -> None:
        for s in _SENTENCE_END.split(text):
            s = " ".join(s.split())
            if len(s.split()) >= 3:
                self.sentences.append(s)

    def vary(self, text: str, rnd: random.Random) -> str:
        """``text`` with about a third of its nouns (capitalised words after the first) swapped."""
        words = text.split()
        for i in range(1, len(words)):
            if _NOUN.match(words[i]) and rnd.random() < SWAP:
                words[i] = rnd.choice(self.nouns)
        return " ".join(words)


def catalogue(n: int, seed: int = 48, wording: Wording | None = None) -> Catalogue:
    """``n`` German items (articles, FAQ questions, video chapters count one each)."""
    w = wording or Wording()
    rnd = random.Random(seed)

    def text(k: int) -> str:
        return " ".join(w.vary(rnd.choice(w.sentences), rnd) for _ in range(k))

    def title(pool: list[str]) -> str:
        return w.vary(rnd.choice(pool), rnd)

    n_art, per = int(n * 0.6), 50
    articles = tuple(
        Article(id=f"article:thema{i % 20}/seite{i}", path=f"thema{i % 20}/seite{i}.md", title=title(w.titles),
                body=f"{text(6)}\n\n## {title(w.headings)}\n\n{text(8)}\n\n## {title(w.headings)}\n\n{text(6)}",
                body_line=4, summary=text(1), category=f"thema{i % 20}",
                keywords=tuple(rnd.sample(w.keywords, k=rnd.randint(0, 3))))
        for i in range(n_art))
    faqs = []
    for g in range(int(n * 0.3) // per):
        qs = tuple(FaqQuestion(id=f"faq:gruppe{g}#f{j}", group_id=f"faq:gruppe{g}", anchor=f"f{j}",
                               question=title(w.questions), answer=text(3), path=f"faq/gruppe{g}.yml", line=j * 4 + 3)
                   for j in range(per))
        faqs.append(FaqGroup(id=f"faq:gruppe{g}", path=f"faq/gruppe{g}.yml", title=title(w.titles), questions=qs))
    videos = []
    remaining = n - n_art - len(faqs) * per
    while remaining > 0:
        v = len(videos)
        chapters = tuple(Chapter(60.0 * c, title(w.headings)) for c in range(4))
        cues = tuple(Cue(15.0 * c, 15.0 * c + 14, text(1)) for c in range(16))
        videos.append(Video(id=f"video:v{v}", path=f"videos/v{v}.yml", title=title(w.titles),
                            source=VideoSource("youtube", "https://youtu.be/x", "x"), summary=text(1),
                            chapters=chapters, transcript=cues))
        remaining -= 1 + len(chapters)
    return Catalogue(root="generated-de", articles=articles, faqs=tuple(faqs), videos=tuple(videos), language="de")


def _yml(name: str):
    return yaml.safe_load((HERE / name).read_text(encoding="utf-8"))


def seed_questions() -> list[str]:
    """The German questions of the benchmark sets, each once."""
    qs = [q["q"] for part in ("demo", "harness") for q in _yml("separable_de.yml")[part]]
    for name in ("separable_de_confirm.yml", "separable_de_confirm2.yml", "separable_de_confirm3.yml"):
        qs += [q["q"] for q in _yml(name)["questions"]]
    qs += [q["q"] for q in _yml("ask_demo_questions.yml")["de"]] + [q["q"] for q in _yml("ask_everyday.yml")["de"]]
    # the German harness's queries (relevance_languages.german_queries; read here: that module puts
    # its folder first on sys.path)
    qs += [q for qs_of in _yml("queries.de.yml").values() for q in qs_of]
    return list(dict.fromkeys(" ".join(q.split()) for q in qs))


def questions(n: int, seed: int = 49, wording: Wording | None = None) -> dict[str, list[str]]:
    """``n`` distinct German questions of each kind: "separated" (search reads a separated verb in
    it) and "other"; the benchmark sets' questions first, then variations of them (nouns swapped,
    lower case, as typed)."""
    w = wording or Wording()
    analyser = analyser_for("de")
    rnd = random.Random(seed)
    base = seed_questions()
    out: dict[str, list[str]] = {"separated": [], "other": []}
    for q in base:
        out["separated" if separated(q, analyser) else "other"].append(q)
    for kind, qs in out.items():
        seeds, seen = list(qs), set(qs)
        tries = 0
        while len(qs) < n and tries < 50 * n:
            tries += 1
            q = rnd.choice(seeds)
            keep = {word for pair in separated(q, analyser) for word in pair}  # the verb and its prefix
            words = q.split()
            for i, word in enumerate(words):
                folded = analyser.fold(word)
                if (len(folded) > 3 and folded not in keep and folded not in analyser.stop_words
                        and folded not in QUESTION_WORDS and rnd.random() < 0.4):
                    words[i] = rnd.choice(w.nouns).lower()
            q = " ".join(words)
            if q not in seen and (kind == "separated") == bool(separated(q, analyser)):
                seen.add(q)
                qs.append(q)
        del qs[n:]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--questions", type=int, default=1000)
    args = ap.parse_args(argv)
    w = Wording()
    cat = catalogue(args.items, wording=w)
    qs = questions(args.questions, wording=w)
    print(f"German wording: {len(w.sentences)} sentences, {len(w.titles)} titles, {len(w.headings)} headings, "
          f"{len(w.questions)} FAQ questions, {len(w.nouns)} nouns")
    print(f"catalogue: {len(cat.articles)} articles, {sum(len(g.questions) for g in cat.faqs)} FAQ questions, "
          f"{len(cat.videos)} videos ({sum(len(v.chapters) for v in cat.videos)} chapters)")
    for kind, q in qs.items():
        print(f"questions, {kind}: {len(q)} (e.g. {q[0]!r}, {q[-1]!r})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
