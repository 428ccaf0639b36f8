"""A hostile help centre, written into a folder: the content fuzz corpus.

One project (mkdocs.yml + content/) and, beside it, an ``outside/`` folder whose files hold
``OUTSIDE-SECRET`` markers. The content links to them in every way a file can be named
(symlinked article, transcript, captions, thumbnail, video file, image, plain file; ``..``
paths; a link to nothing; a named pipe), puts ``</script>``, Jinja-looking text, bidi
overrides and control characters in every text field of valid items, and holds items with
errors whose text carries ``LEFT-OUT`` markers: none of them may reach the site.

A uniquely named module (tests/hostile/ is shared with the service hardening tests).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# what every text field of the valid items says: markup, a script end, template syntax, a bidi override
HOSTILE = ('</script><script>alert("xss")</script><img src=x onerror=alert(1)> '
           '{{ config.site_name }} {% include "base.html" %} \u202eevil\u202c "quoted" & \'single\'')
OUTSIDE = "OUTSIDE-SECRET"
LEFT_OUT = "LEFT-OUT"
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
WEBVTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n{text}\n"


@dataclass
class Corpus:
    project: Path
    content: Path
    outside: Path
    config: Path
    # what a valid item's text field holds → where it must show (title of a page, …)
    titles: dict[str, str] = field(default_factory=dict)  # item id → its hostile title
    left_out_ids: set[str] = field(default_factory=set)
    kept_ids: set[str] = field(default_factory=set)


def _w(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\u202e", "\\u202E").replace(
        "\u202c", "\\u202C") + '"'


def write_corpus(base: Path) -> Corpus:
    project, outside = base / "project", base / "outside"
    content = project / "content"
    corpus = Corpus(project, content, outside, project / "mkdocs.yml")
    _outside_files(outside)
    _w(corpus.config, "site_name: Hostile help\nsite_url: https://help.example.com/\ndocs_dir: content\n"
                      "theme:\n  name: carebase\n  font: false\nplugins:\n  - material/search\n  - carebase:\n"
                      "      contact: {email: help@example.com}\n"
                      f"      feedback: {{reasons: [{_q('Reason ' + HOSTILE)}, Too long]}}\n"
                      "      limits: {article: {warning: 8 KB, error: 64 KB}, transcript: {error: 64 KB}}\n")
    _w(content / "categories.yml",
       f"- id: billing\n  title: {_q('Billing ' + HOSTILE)}\n  description: {_q('Desc ' + HOSTILE)}\n"
       "- id: account\n  title: Account\n")
    _w(content / "synonyms.yml", f"- [refund, {_q('money back ' + HOSTILE)}]\n")
    _valid_items(corpus)
    _left_out_items(corpus)
    _links(corpus)
    _broken_files(content)
    _huge_files(corpus)
    return corpus


def _outside_files(outside: Path) -> None:
    _w(outside / "article.md", f"---\ntitle: {OUTSIDE} article\n---\n{OUTSIDE} article body\n")
    _w(outside / "secret.vtt", WEBVTT.format(text=f"{OUTSIDE} transcript"))
    _w(outside / "captions.vtt", WEBVTT.format(text=f"{OUTSIDE} captions"))
    _w(outside / "thumb.png", f"{OUTSIDE} thumbnail".encode())
    _w(outside / "film.webm", f"{OUTSIDE} video".encode())
    _w(outside / "notes.txt", f"{OUTSIDE} notes")
    _w(outside / "folder" / "inner.md", f"---\ntitle: {OUTSIDE} folder\n---\n{OUTSIDE} folder body\n")


def _valid_items(c: Corpus) -> None:
    """Items without errors: every text field hostile; they must render, as text."""
    title = "Tour " + HOSTILE
    _w(c.content / "billing" / "hostile.md",
       f"---\ntitle: {_q(title)}\nsummary: {_q('Summary ' + HOSTILE)}\n"
       f"tags: [{_q('tag ' + HOSTILE)}]\nkeywords: [{_q('keyword ' + HOSTILE)}]\nowner: {_q(HOSTILE)}\n---\n"
       "Refunds are paid back within 14 days. Inline `</script><script>alert(2)</script>` code "
       "and {{ config.site_name }} {% raw %} text.\n\n```html\n<script>alert(3)</script>\n```\n")
    c.titles["article:billing/hostile"] = title
    _w(c.content / "billing" / "plain.md", "---\ntitle: Plain refunds\n---\nA plain article about refunds.\n")
    _w(c.content / "billing" / "bom.md", "\ufeff---\r\ntitle: Saved with a BOM\r\n---\r\nWindows line ends.\r\n")
    c.kept_ids |= {"article:billing/hostile", "article:billing/plain", "article:billing/bom"}
    faq_title, question = "FAQ " + HOSTILE, "Question " + HOSTILE + "?"
    _w(c.content / "faq" / "hostile.yml",
       f"title: {_q(faq_title)}\nsummary: {_q('FAQ summary ' + HOSTILE)}\ncategory: billing\nquestions:\n"
       f"  - question: {_q(question)}\n    id: hostile\n    answer: {_q('Answer with &lt;b&gt; text ' + '{{ x }}')}\n"
       f"    tags: [{_q(HOSTILE)}]\n    keywords: [{_q(HOSTILE)}]\n"
       "  - question: A plain question?\n    answer: A plain answer.\n")
    c.titles["faq:hostile"] = faq_title
    c.titles["faq:hostile#hostile"] = question
    c.kept_ids |= {"faq:hostile#hostile", "faq:hostile#a-plain-question"}
    video = "Video " + HOSTILE
    _w(c.content / "videos" / "hostile.yml",
       f"title: {_q(video)}\nsummary: {_q('Video summary ' + HOSTILE)}\ncategory: billing\nsource: {YOUTUBE}\n"
       f"duration: '2:00'\ntags: [{_q(HOSTILE)}]\nchapters:\n  - {{start: 0, title: {_q('Chapter ' + HOSTILE)}}}\n"
       f"transcript:\n  - {{start: 1, end: 3, text: {_q('Cue ' + HOSTILE)}}}\n")
    c.titles["video:hostile"] = video
    c.kept_ids.add("video:hostile")


def _left_out_items(c: Corpus) -> None:
    """Items with an error: loaded and reported, never published."""
    _w(c.content / "billing" / "broken-related.md",
       f"---\ntitle: {LEFT_OUT} article\nrelated: [article:billing/nope]\n---\n{LEFT_OUT} article body\n")
    _w(c.content / "billing" / "no-title.md", f"No front matter title, no heading: {LEFT_OUT} untitled\n")
    _w(c.content / "faq" / "half.yml",
       "title: Half broken FAQ\ncategory: billing\nquestions:\n  - question: Kept question?\n    answer: Kept.\n"
       f"  - question: {LEFT_OUT} question?\n    answer: {LEFT_OUT} answer\n    related: [faq:nope#nope]\n")
    _w(c.content / "faq" / "group-error.yml",
       f"title: {LEFT_OUT} group\ncategory: no-such-category\nquestions:\n"
       f"  - question: {LEFT_OUT} grouped?\n    answer: {LEFT_OUT} grouped answer\n")
    _w(c.content / "videos" / "bad-thumb.yml",
       f"title: {LEFT_OUT} video\nsource: {YOUTUBE}\nthumbnail: media/missing.png\n"
       f"transcript:\n  - {{start: 0, end: 2, text: {LEFT_OUT} cue}}\n")
    _w(c.content / "faq" / "notes.md", f"---\ntitle: {LEFT_OUT} markdown in faq\n---\n{LEFT_OUT}\n")
    _w(c.content / "billing" / "other.markdown", f"# {LEFT_OUT} markdown suffix\n\n{LEFT_OUT}\n")
    c.left_out_ids |= {"article:billing/broken-related", "faq:half#left-out-question", "faq:group-error",
                       "faq:group-error#left-out-grouped", "video:bad-thumb"}
    c.kept_ids.add("faq:half#kept-question")


def _links(c: Corpus) -> None:
    """Every way to reach a file outside the content folder; one link inside (allowed)."""
    o, media = c.outside, c.content / "videos" / "media"
    media.mkdir(parents=True, exist_ok=True)
    os.symlink(o / "article.md", c.content / "billing" / "linked.md")
    os.symlink(o / "secret.vtt", media / "secret.vtt")
    os.symlink(o / "captions.vtt", media / "captions.vtt")
    os.symlink(o / "thumb.png", media / "thumb.png")
    os.symlink(o / "film.webm", media / "film.webm")
    os.symlink(o / "thumb.png", c.content / "billing" / "diagram.png")
    os.symlink(o / "notes.txt", c.content / "notes.txt")
    os.symlink(o / "gone.txt", c.content / "dangling.txt")
    os.mkfifo(c.content / "billing" / "pipe.md")
    os.symlink("plain.md", c.content / "billing" / "plain-alias.md")  # inside: allowed
    c.kept_ids.add("article:billing/plain-alias")
    _w(c.content / "videos" / "linked-transcript.yml",
       f"title: {LEFT_OUT} transcript video\nsource: {YOUTUBE}\ntranscript: videos/media/secret.vtt\n")
    _w(c.content / "videos" / "linked-media.yml",
       f"title: {LEFT_OUT} media video\nsource: videos/media/film.webm\nthumbnail: videos/media/thumb.png\n"
       "captions:\n  - {src: media/captions.vtt, lang: en}\n")
    _w(c.content / "videos" / "dotdot.yml",
       f"title: {LEFT_OUT} dotdot video\nsource: {YOUTUBE}\ntranscript: ../../outside/secret.vtt\n")
    _w(c.content / "billing" / "links-out.md",
       f"---\ntitle: {LEFT_OUT} links out\n---\n![diagram](diagram.png) [notes](../../outside/notes.txt)\n")
    c.left_out_ids |= {"video:linked-transcript", "video:linked-media", "video:dotdot", "article:billing/links-out"}


def _broken_files(content: Path) -> None:
    """Files no parser likes: each is one problem, never a traceback."""
    _w(content / "billing" / "nul.md", b"---\ntitle: NUL\n---\nbefore\x00after\n")
    _w(content / "billing" / "latin1.md", b"---\ntitle: caf\xe9\n---\nbody\n")
    _w(content / "billing" / "controls.md", "---\ntitle: \"Bell \\a and escape \\e\"\n---\nText \x1b[31mred\n")
    _w(content / "billing" / "javascript:alert(1).md", f"---\ntitle: {LEFT_OUT} script name\n---\n{LEFT_OUT}\n")
    _w(content / "billing" / "esc\x1b[31mred.md", f"---\ntitle: {LEFT_OUT} escape name\n---\n{LEFT_OUT}\n")
    _w(content / "faq" / "deep.yml", "title: Deep\nquestions: " + "[" * 5000 + "]" * 5000 + "\n")
    _w(content / "videos" / "deep.yml", "title: Deep\nsource: " + "{a: " * 3000 + "b" + "}" * 3000 + "\n")


def _huge_files(c: Corpus) -> None:
    """Over the corpus's limits (mkdocs.yml: article warning 8 KB, error 64 KB; transcript 64 KB)."""
    words = "thermostat schedule heating " * 40 + "\n\n"
    _w(c.content / "billing" / "long.md", "---\ntitle: A long article\n---\n" + words * 20)  # ~22 KB: a warning
    _w(c.content / "billing" / "huge.md", f"---\ntitle: {LEFT_OUT} huge\n---\n" + (LEFT_OUT + " " + words) * 70)
    cue = "00:00:01.000 --> 00:00:02.000\n" + LEFT_OUT + " cue " + words
    _w(c.content / "videos" / "media" / "huge.vtt", "WEBVTT\n\n" + cue * 70)
    _w(c.content / "videos" / "huge-transcript.yml",
       f"title: {LEFT_OUT} huge transcript\nsource: {YOUTUBE}\ntranscript: media/huge.vtt\n")
    c.kept_ids.add("article:billing/long")
    c.left_out_ids.add("video:huge-transcript")
