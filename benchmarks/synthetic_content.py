"""A synthetic help centre of any size, as model objects or as a content tree on disk.

Titles combine a verb, a noun and a context ("Reset your password on iPhone"), so
10,000 items stay distinct; FAQ groups and videos (some without a transcript) are mixed in.
The vocabulary deliberately avoids the simulator's missing topics.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

from carebase.content.model import (Article, Catalogue, Category, Chapter, Cue, FaqGroup, FaqQuestion, Video,
                                    VideoSource)

VERBS = ["update", "change", "reset", "download", "export", "cancel", "upgrade", "connect", "invite", "remove",
         "add", "transfer", "verify", "schedule", "print", "share", "restore", "merge", "archive", "sync"]
NOUNS = ["password", "invoice", "payment method", "subscription plan", "team member", "billing address",
         "email address", "profile photo", "notification settings", "calendar", "report", "project",
         "workspace", "integration", "backup", "order", "shipping label", "refund", "coupon", "mobile app",
         "api token", "webhook", "contact list", "template", "dashboard", "tax settings", "domain",
         "signature", "folder", "timesheet", "label printer", "storage quota", "audit log", "single sign-on",
         "time zone", "currency", "price list", "warehouse", "supplier", "purchase order"]
CONTEXTS = ["", "on iPhone", "on Android", "in bulk", "for a team", "from the web app", "as an admin",
            "after a migration", "with a CSV file", "on a shared workspace", "for a client", "offline",
            "from the desktop app", "for several accounts", "during a trial"]
CATEGORIES = [("billing", "Billing"), ("account", "Your account"), ("orders", "Orders and shipping"),
              ("integrations", "Integrations"), ("reports", "Reports")]


def _category(noun: str) -> str:
    return CATEGORIES[int(hashlib.sha1(noun.encode()).hexdigest(), 16) % len(CATEGORIES)][0]


def _rev(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def titles(n: int, seed: int = 1) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    combos = [(v, no, c) for c in CONTEXTS for no in NOUNS for v in VERBS]
    rng.shuffle(combos)
    combos.sort(key=lambda t: CONTEXTS.index(t[2]))  # plain titles first: the popular head
    return combos[:n]


def make_catalogue(articles: int = 40, faq_groups: int = 2, questions: int = 6, videos: int = 3, *,
                   seed: int = 1, root: str = "content") -> Catalogue:
    combos = titles(articles + faq_groups * questions + videos, seed)
    today = dt.date(2026, 11, 1)
    arts = []
    for n, (verb, noun, ctx) in enumerate(combos[:articles]):
        title = f"{verb.capitalize()} your {noun} {ctx}".strip()
        slug = "-".join(title.lower().replace("-", " ").split())
        cat = _category(noun)
        body = f"To {verb} your {noun} {ctx}, open Settings, choose {noun.title()} and follow the steps.\n"
        arts.append(Article(id=f"article:{cat}/{slug}", path=f"{cat}/{slug}.md", title=title, body=body,
                            body_line=6, summary=f"How to {verb} your {noun}.", category=cat,
                            keywords=(f"{noun} {verb}",), owner="support@example.com",
                            review_by=today - dt.timedelta(days=30) if n % 7 == 3 else today + dt.timedelta(days=90),
                            revision=_rev(title + body), line=2))
    groups = []
    rest = combos[articles:]
    for g in range(faq_groups):
        slug = f"general-{g + 1}"
        qs = []
        for q, (verb, noun, ctx) in enumerate(rest[g * questions:(g + 1) * questions]):
            text = f"Can I {verb} my {noun} {ctx}?".replace(" ?", "?")
            anchor = "-".join(text.lower().rstrip("?").split())
            qs.append(FaqQuestion(id=f"faq:{slug}#{anchor}", group_id=f"faq:{slug}", anchor=anchor, question=text,
                                  answer=f"Yes: open {noun.title()} and choose {verb.title()}.", path=f"faq/{slug}.yml",
                                  line=4 + 3 * q, revision=_rev(text)))
        groups.append(FaqGroup(id=f"faq:{slug}", path=f"faq/{slug}.yml", title=f"General questions {g + 1}",
                               questions=tuple(qs), category=CATEGORIES[g % len(CATEGORIES)][0]))
    vids = []
    for v, (verb, noun, ctx) in enumerate(rest[faq_groups * questions:]):
        slug = f"{verb}-{noun.replace(' ', '-')}"
        transcript = () if v % 2 else (Cue(0, 5, f"In this video we {verb} a {noun}."),)
        vids.append(Video(id=f"video:{slug}", path=f"videos/{slug}.yml", title=f"Video: {verb} your {noun}",
                          source=VideoSource("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "dQw4w9WgXcQ"),
                          category=_category(noun), duration=95, chapters=(Chapter(0, "Intro"),),
                          transcript=transcript, revision=_rev(slug), line=1))
    cats = tuple(Category(id=c, title=t, order=i) for i, (c, t) in enumerate(CATEGORIES))
    return Catalogue(root=root, articles=tuple(arts), faqs=tuple(groups), videos=tuple(vids), categories=cats,
                     synonyms=(("refund", "money back"), ("sign in", "log in", "login")))


def write_tree(catalogue: Catalogue, root: str | Path) -> Path:
    """Write the catalogue as a content tree (Markdown front matter, FAQ and video YAML)."""
    import yaml

    root = Path(root)
    for a in catalogue.articles:
        meta = {"title": a.title, "summary": a.summary, "keywords": list(a.keywords), "owner": a.owner,
                "review_by": a.review_by.isoformat() if a.review_by else None}
        path = root / a.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + yaml.safe_dump({k: v for k, v in meta.items() if v}, sort_keys=False)
                        + "---\n\n" + a.body, encoding="utf-8")
    for g in catalogue.faqs:
        data = {"title": g.title, "category": g.category,
                "questions": [{"question": q.question, "answer": q.answer} for q in g.questions]}
        path = root / g.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for v in catalogue.videos:
        data = {"title": v.title, "category": v.category, "source": v.source.url, "duration": int(v.duration),
                "chapters": [{"start": int(c.start), "title": c.title} for c in v.chapters]}
        if v.transcript:
            data["transcript"] = [{"start": c.start, "end": c.end, "text": c.text} for c in v.transcript]
        path = root / v.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (root / "categories.yml").write_text(yaml.safe_dump(
        [{"id": c.id, "title": c.title, "order": c.order} for c in catalogue.categories], sort_keys=False))
    (root / "synonyms.yml").write_text(yaml.safe_dump([list(g) for g in catalogue.synonyms]))
    return root
