"""``carebase new article|faq|video TITLE``: scaffold a valid content file from a title."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

NAME = "new"
HELP = "Create a new article, FAQ file or video file from a title (never overwrites)."
REVIEW_AFTER_DAYS = 182


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("article", "faq", "video"), help="what to create")
    parser.add_argument("title", metavar="TITLE", help="the title; the file name is its slug")
    parser.add_argument("--category", metavar="C",
                        help="category id (an article goes into the folder C/); required for an article: "
                             "asked on a terminal, a usage error elsewhere")
    parser.add_argument("--root", default="content", metavar="DIR", help="the content folder (default: content)")
    parser.add_argument("--source", metavar="URL",
                        help="video only (required): https YouTube/Vimeo URL or a .mp4/.webm file in the content folder")


def _fail(message: str) -> int:
    print(f"carebase new: {message}", file=sys.stderr)
    return 2


def _yaml_value(value: str) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True, width=10_000).removesuffix("\n...\n").strip()


def run(args: argparse.Namespace) -> int:
    from carebase.content.ids import slugify

    root = Path(args.root)
    if not root.is_dir():
        return _fail(f"expected a content folder at {args.root!r}, found nothing (pass --root)")
    title = " ".join(args.title.split())
    if not title:
        return _fail("expected a title, found nothing")
    if args.kind == "article" and args.category is None:
        args.category = _ask_category(root, title)
        if args.category is None:
            choices = _categories(root)
            return _fail("an article needs --category C (the folder it goes into): "
                         + (f"one of {', '.join(choices)}" if choices else
                            "there is no category yet, so name a new one, e.g. --category getting-started"))
    problem = _check_category(root, args.category)
    if problem:
        return _fail(problem)
    slug = slugify(title)
    if args.kind == "article":
        path = root / (args.category or "") / f"{slug}.md"
        text = _article(title, args.category)
    elif args.kind == "faq":
        if title.endswith("?"):  # audit 47 A5: a question, not a group's title
            return _fail(_a_question(root, title, args.category))
        path, text = root / "faq" / f"{slug}.yml", _faq(title, args.category)
    else:
        if not args.source:
            return _fail("a video needs --source URL (https YouTube/Vimeo URL, or a .mp4/.webm file in the content folder)")
        from carebase.content.tree import scan
        from carebase.content.videos import parse_source

        _, complaint = parse_source(args.source, root, scan(root))
        if complaint:
            return _fail(f"--source: {complaint}")
        path, text = root / "videos" / f"{slug}.yml", _video(title, args.category, args.source)
    from carebase.content.formats import shown_path

    shown = shown_path(path)  # as every command names files: from the folder it was run in
    if path.exists():
        return _fail(f"{shown} already exists; choose another title or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    print(shown)
    if args.kind == "article":  # the path alone on stdout (for $EDITOR $(carebase new …)); the note on stderr
        print(f"carebase new: {shown} is a draft: the site and 'carebase serve' leave it out until you "
              "remove 'draft: true' from its front matter (to preview drafts, set the carebase plugin option "
              "'drafts: true' in mkdocs.yml)", file=sys.stderr)
    return 0


def _listed_categories(root: Path) -> list[tuple[str, str]] | None:
    """(id, title) of every category in categories.yml, or None when there is no such file."""
    listing = root / "categories.yml"
    if not listing.exists():
        return None
    from carebase.content.problems import Problem
    from carebase.content.sourcefile import read_text
    from carebase.content.taxonomy import load_categories

    text, _, _ = read_text(listing, "categories.yml")
    problems: list[Problem] = []
    return [(c.id, c.title) for c in load_categories("categories.yml", text or "", problems)]


def _categories(root: Path) -> list[str]:
    """The category ids to choose from: categories.yml's, else the category folders there are."""
    listed = _listed_categories(root)
    if listed is not None:
        return [cid for cid, _ in listed]
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and p.name not in ("faq", "videos") and not p.name.startswith((".", "_")))


def _ask_category(root: Path, title: str) -> str | None:
    """On a terminal, ask which category the article goes into; None when not on a terminal
    (or the writer gives up with an empty line or end of input)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    listed = _listed_categories(root)
    choices = listed if listed is not None else [(c, "") for c in _categories(root)]
    print(f"Which category does \"{title}\" belong to?")
    for number, (cid, name) in enumerate(choices, 1):
        print(f"  {number}. {cid}" + (f"  ({name})" if name and name != cid else ""))
    new = "" if listed is not None else " or a new category id"
    while True:
        try:
            answer = input(f"Number{', id' if choices else ''}{new} (empty to stop): ").strip()
        except EOFError:
            print()
            return None
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1][0]
        problem = _check_category(root, answer)
        if not problem:
            return answer
        print(problem.removeprefix("--category: "))


def _check_category(root: Path, category: str | None) -> str:
    if category is None:
        return ""
    from carebase.content.fields import did_you_mean
    from carebase.content.ids import slugify

    if slugify(category) != category:
        return f"--category: expected a category id like {slugify(category)!r}, found {category!r}"
    listed = _listed_categories(root)
    if listed is None:
        return ""
    ids = [cid for cid, _ in listed]
    if category not in ids:
        return (f"--category: expected one of {', '.join(ids) or '(none)'}{did_you_mean(category, ids)}, "
                f"found {category!r} (add it to categories.yml first)")
    return ""


def _review_by() -> str:
    return (dt.date.today() + dt.timedelta(days=REVIEW_AFTER_DAYS)).isoformat()


def _article(title: str, category: str | None) -> str:
    lines = ["---", f"title: {_yaml_value(title)}"]
    if category:
        lines.append(f"category: {category}")
    lines += [
        f"review_by: {_review_by()}",
        "draft: true  # remove when the article is ready to publish",
        "# summary: one sentence shown in search results and on the category page",
        "# tags: [word, another word]",
        "# keywords: [words customers use that the text does not]",
        "# related: [article:billing/refunds, faq:billing#can-i-get-a-refund, video:setup-basics]",
        "---",
        "",
        "Start with the answer in one or two sentences, then the steps.",
        "",
    ]
    return "\n".join(lines)


def _a_question(root: Path, title: str, category: str | None) -> str:
    """Why ``new faq "Can I change my username?"`` makes nothing: TITLE is the FAQ page's (a
    group of questions), and the question belongs in a group, named here."""
    from carebase.content.formats import shown_path

    groups = []
    for file in sorted((root / "faq").glob("*.yml")):
        try:
            import yaml

            data = yaml.safe_load(file.read_text("utf-8"))
        except (OSError, ValueError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and (category is None or data.get("category") == category):
            groups.append(shown_path(file))
    where = (f"add it under 'questions:' in {' or '.join(groups)}" if groups else
             "give the group's title instead (e.g. \"Account questions\") and add the question under its 'questions:'")
    return (f"expected the title of an FAQ page (a group of questions, e.g. \"Billing questions\"), found the "
            f"question {title!r}: {where}")


def _faq(title: str, category: str | None) -> str:
    lines = [f"title: {_yaml_value(title)}"]
    if category:
        lines.append(f"category: {category}")
    lines += [
        f"review_by: {_review_by()}",
        "# summary: one sentence shown on the FAQ page",
        "questions: []",
        "# Replace the empty list above with your questions, for example:",
        "# questions:",
        "#   - question: Can I get a refund?",
        "#     answer: |",
        "#       Yes, within 30 days. See [refunds](../billing/refunds.md).",
        "#     tags: [refund]",
        "",
    ]
    return "\n".join(lines)


def _video(title: str, category: str | None, source: str) -> str:
    from carebase.content.ids import slugify

    lines = [f"title: {_yaml_value(title)}"]
    if category:
        lines.append(f"category: {category}")
    lines += [
        f"source: {_yaml_value(source)}",
        f"review_by: {_review_by()}",
        "# summary: one sentence shown in the video gallery",
        '# duration: "4:30"',
        "# chapters:",
        '#   - {start: "0:00", title: Introduction}',
        "# transcript: videos/" + slugify(title) + ".vtt  # or a list of {start, end, text}",
        "",
    ]
    return "\n".join(lines)
