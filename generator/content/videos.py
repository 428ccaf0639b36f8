"""Videos: ``videos/<slug>.yml``, one video per file (source, chapters, transcript, captions)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from yaml.nodes import Node, SequenceNode

from carebase.content import fields as F
from carebase.content.faqs import group_slug
from carebase.content.ids import normalise, revision
from carebase.content.languages import native_name
from carebase.content.links import CategoryUse, Claim, Ref, aliases_of
from carebase.content.model import Caption, Chapter, Cue, Video, VideoSource
from carebase.content.problems import Problem, error
from carebase.content.transcripts import clock, parse_time, read_cue_file
from carebase.content.tree import Tree
from carebase.content.yamlnodes import Source, as_text, describe

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{6,12}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
VIDEO_FILES = (".mp4", ".webm")
SOURCE_HELP = ("a https YouTube or Vimeo URL (https://www.youtube.com/watch?v=<11-character id>, "
               "https://vimeo.com/<number>) or a local .mp4/.webm file")


def parse_source(url: str, root: Path, tree: Tree) -> tuple[VideoSource | None, str]:
    """(source, complaint): what kind of video this is, or why the URL is not usable."""
    url = url.strip()
    parts = urlsplit(url) if "://" in url else None
    if parts is None:
        if not url.lower().endswith(VIDEO_FILES):
            return None, f"expected {SOURCE_HELP}, found {url!r}"
        found, complaint = find_file(url, "", tree, "an existing video file relative to the content folder")
        if found is None:
            return None, complaint
        return VideoSource("file", found), ""
    if parts.scheme != "https":
        return None, f"expected a https URL, found {url!r}"
    host = (parts.hostname or "").lower()
    video_id = ""
    kind = ""
    if host in _YOUTUBE_HOSTS:
        kind = "youtube"
        segments = [s for s in parts.path.split("/") if s]
        if segments[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) == 2 and segments[0] in ("embed", "shorts", "live", "v"):
            video_id = segments[1]
    elif host == "youtu.be":
        kind, video_id = "youtube", parts.path.strip("/")
    elif host in ("vimeo.com", "www.vimeo.com"):
        kind, video_id = "vimeo", parts.path.strip("/").split("/")[0]
    elif host == "player.vimeo.com":
        segments = [s for s in parts.path.split("/") if s]
        kind, video_id = "vimeo", segments[1] if segments[:1] == ["video"] and len(segments) > 1 else ""
    if not kind:
        return None, f"expected {SOURCE_HELP}, found {url!r}"
    shape = _YOUTUBE_ID if kind == "youtube" else _VIMEO_ID
    if not shape.match(video_id):
        what = "an 11-character YouTube video id" if kind == "youtube" else "a numeric Vimeo video id"
        return None, f"expected {what} in the URL, found {video_id or 'none'!r} in {url!r}"
    return VideoSource(kind, url, video_id), ""


def load_video(rel: str, text: str, raw: bytes, root: Path, tree: Tree,
               problems: list[Problem], refs: list[Ref]) -> Video | None:
    src, values = F.read_document(rel, text, F.VIDEO, problems, "a video (title: …, source: …)")
    if values is None:
        return None
    source = _source(values, src, root, tree, problems)
    if source is None:
        return None
    duration = _duration(values, src, problems)
    item_id = _own_id(values, rel, src, problems)
    explicit = item_id != f"video:{group_slug(rel)}"
    id_node = values.nodes.get("id") if explicit else None
    refs.append(Claim(rel, src.line(id_node) if id_node is not None else values.line, "id", item_id, values.line,
                      derived=not explicit))
    if values.get("category"):
        refs.append(CategoryUse(rel, src.line(values.nodes["category"]), "category", values.get("category")))
    F.check_review_by(values, src, "", problems)
    for line, i, target in F.entries(values, "related", src):
        refs.append(Ref(rel, line, f"related[{i}]", target, "id"))
    transcript, transcript_path = _transcript(values.get("transcript"), duration, src, root, tree, problems)
    return Video(
        id=item_id, path=rel, title=values.get("title"), source=source, summary=values.get("summary", ""),
        category=values.get("category", ""), duration=duration or 0.0,
        thumbnail=_thumbnail(values, src, tree, problems),
        chapters=_chapters(values.get("chapters"), duration, src, problems),
        transcript=transcript, transcript_path=transcript_path,
        captions=_captions(values.get("captions"), src, root, tree, problems),
        tags=values.get("tags", ()), keywords=values.get("keywords", ()), related=values.get("related", ()),
        aliases=aliases_of(values, src, problems, refs, "video"), owner=values.get("owner", ""),
        review_by=values.get("review_by"), published=values.get("published"),
        revision=revision(raw), line=values.line, **F.source_revision(values, src),
    )


def _own_id(values, rel, src, problems) -> str:
    default = f"video:{group_slug(rel)}"
    if not values.get("id"):
        return default
    item_id, complaint = normalise(values.get("id"), "video")
    if complaint:
        problems.append(error(rel, src.line(values.nodes["id"]), "id", complaint))
        return default
    return item_id


def _source(values, src, root, tree, problems) -> VideoSource | None:
    node = values.get("source")
    if node is None:
        return None
    url = as_text(node)
    if url is None:
        problems.append(error(src.path, src.line(node), "source", f"expected {SOURCE_HELP}, found {describe(node)}"))
        return None
    source, complaint = parse_source(url, root, tree)
    if complaint:
        problems.append(error(src.path, src.line(node), "source", complaint))
    return source


def _duration(values, src, problems) -> float | None:
    node = values.get("duration")
    if node is None:
        return None
    seconds = parse_time(node)
    if seconds is None or seconds <= 0:
        problems.append(error(src.path, src.line(node), "duration",
                              f"expected a duration like 4:30, 1:02:03 or a number of seconds, found {describe(node)}"))
        return None
    return seconds


def _thumbnail(values, src, tree, problems) -> str:
    thumb = values.get("thumbnail", "")
    if not thumb or thumb.startswith("https://"):
        return thumb
    found, complaint = find_file(thumb, "", tree, "a https URL or an image file in the content folder")
    if found is None:
        problems.append(error(src.path, src.line(values.nodes["thumbnail"]), "thumbnail", complaint))
        return ""
    return found


def _list(node: Node | None, name: str, what: str, src: Source, problems: list[Problem]) -> list[Node]:
    if node is None:
        return []
    if not isinstance(node, SequenceNode):
        problems.append(error(src.path, src.line(node), name, f"expected a list of {what}, found {describe(node)}"))
        return []
    return node.value


def _chapters(node, duration, src, problems) -> tuple[Chapter, ...]:
    chapters: list[Chapter] = []
    for i, child in enumerate(_list(node, "chapters", "chapters (start: …, title: …)", src, problems)):
        name = f"chapters[{i}]"
        values = F.read_mapping(child, F.CHAPTER, src, name, problems, "a chapter (start: …, title: …)")
        if values is None or values.get("start") is None or not values.get("title"):
            continue
        start_node = values.get("start")
        line = src.line(start_node)
        start = parse_time(start_node)
        if start is None:
            problems.append(error(src.path, line, f"{name}.start", f"expected a time like 1:30 or seconds, found {describe(start_node)}"))
            continue
        if duration is not None and start >= duration:
            problems.append(error(src.path, line, f"{name}.start",
                                  f"expected a start before the end of the video ({clock(duration)}), found {clock(start)}"))
            continue
        if chapters and start <= chapters[-1].start:
            problems.append(error(src.path, line, f"{name}.start",
                                  f"expected a start after the previous chapter ({clock(chapters[-1].start)}), found {clock(start)}"))
            continue
        chapters.append(Chapter(start, values.get("title"), line))
    return tuple(chapters)


def _transcript(node, duration, src, root, tree, problems) -> tuple[tuple[Cue, ...], str]:
    if node is None:
        return (), ""
    path = as_text(node)
    if path is not None:
        cues, found = _transcript_file(path, src, node, root, tree, problems)
        late = next((c for c in cues if duration is not None and c.start >= duration), None)
        if late is not None:
            problems.append(error(src.path, src.line(node), "transcript",
                                  f"expected cues before the end of the video ({clock(duration)}), "
                                  f"found one at {clock(late.start)} in {found}"))
            return (), found
        return cues, found
    cues: list[Cue] = []
    for i, child in enumerate(_list(node, "transcript", "cues (start, end, text) or a .vtt/.srt file", src, problems)):
        name = f"transcript[{i}]"
        values = F.read_mapping(child, F.CUE, src, name, problems, "a cue (start: …, end: …, text: …)")
        if values is None or values.get("start") is None or values.get("end") is None or not values.get("text"):
            continue
        start, end = parse_time(values.get("start")), parse_time(values.get("end"))
        for key, value in (("start", start), ("end", end)):
            if value is None:
                problems.append(error(src.path, src.line(values.get(key)), f"{name}.{key}",
                                      f"expected a time like 1:30 or seconds, found {describe(values.get(key))}"))
        if start is None or end is None:
            continue
        if end <= start:
            problems.append(error(src.path, src.line(values.get("end")), f"{name}.end",
                                  f"expected an end after the start ({clock(start)}), found {clock(end)}"))
            continue
        line = src.line(values.get("start"))
        if cues and start < cues[-1].start:
            problems.append(error(src.path, line, f"{name}.start", f"expected cues in time order (the previous "
                                                                   f"one starts at {clock(cues[-1].start)}), found {clock(start)}"))
            continue
        if duration is not None and start >= duration:
            problems.append(error(src.path, line, f"{name}.start",
                                  f"expected a start before the end of the video ({clock(duration)}), found {clock(start)}"))
            continue
        cues.append(Cue(start, end, values.get("text")))
    return tuple(cues), ""


def find_file(path: str, base: str, tree: Tree, expected: str) -> tuple[str | None, str]:
    """(path from the content root, "") for a file named in a video file — relative to the
    content root, or to ``base`` (the video's folder) — or (None, complaint)."""
    candidates = [posixpath.normpath(path.lstrip("/"))]
    if base:
        candidates.append(posixpath.normpath(posixpath.join(base, path)))
    for candidate in candidates:
        if candidate in tree.files:
            return candidate, ""
    for candidate in candidates:
        why = tree.why_refused(candidate)
        if why:
            return None, f"expected {expected}, found {path!r}, {why} (not published)"
    if all(c == ".." or c.startswith("../") for c in candidates):
        return None, f"expected {expected}, found {path!r}, a path that leads out of the content folder"
    return None, f"expected {expected}, found {path!r} (no such file)"


def _transcript_file(path, src, node, root, tree, problems):
    if not path.lower().endswith((".vtt", ".srt")):
        problems.append(error(src.path, src.line(node), "transcript", f"expected a .vtt or .srt file or a list of cues, found {path!r}"))
        return (), ""
    found, complaint = find_file(path, posixpath.dirname(src.path), tree, "an existing .vtt/.srt file")
    if found is None:
        problems.append(error(src.path, src.line(node), "transcript", complaint))
        return (), ""
    cues, file_problems = read_cue_file(root / found, found)
    problems.extend(file_problems)
    if file_problems:
        problems.append(error(src.path, src.line(node), "transcript", f"expected a transcript that parses, found problems in {found}"))
    return cues, found


def _captions(node, src, root, tree, problems) -> tuple[Caption, ...]:
    captions = []
    for i, child in enumerate(_list(node, "captions", "captions (src: …, lang: …, label: …)", src, problems)):
        name = f"captions[{i}]"
        values = F.read_mapping(child, F.CAPTION, src, name, problems, "a caption track (src: …, lang: …)")
        if values is None or not values.get("src"):
            continue
        line = src.line(values.nodes["src"])
        if not values.get("src").lower().endswith(".vtt"):
            problems.append(error(src.path, line, f"{name}.src", f"expected an existing .vtt file, found {values.get('src')!r}"))
            continue
        found, complaint = find_file(values.get("src"), posixpath.dirname(src.path), tree, "an existing .vtt file")
        if found is None:
            problems.append(error(src.path, line, f"{name}.src", complaint))
            continue
        _, file_problems = read_cue_file(root / found, found)
        if file_problems:
            problems.extend(file_problems)
            problems.append(error(src.path, line, f"{name}.src", f"expected captions that parse, found problems in {found}"))
            continue
        lang = values.get("lang", "en")
        if not _LANG.match(lang):
            problems.append(error(src.path, src.line(values.nodes["lang"]), f"{name}.lang",
                                  f"expected a language tag like 'en' or 'pt-BR', found {lang!r}"))
            continue
        captions.append(Caption(found, lang, values.get("label") or native_name(lang)))
    return tuple(captions)
