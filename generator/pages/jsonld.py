"""schema.org JSON-LD for generated pages: FAQPage, VideoObject (with Clip key moments),
BreadcrumbList. Returned as ``<script type="application/ld+json">`` blocks."""

from __future__ import annotations

import json

from carebase.content.model import FaqGroup, Video
from carebase.pages.context import SiteContext
from carebase.pages.markup import iso_duration


_INERT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script(data: dict) -> str:
    """A JSON-LD block. ``<``, ``>`` and ``&`` are written as JSON escapes: the same data, but
    no text can end the script element (``</script>``) or change how HTML reads it (``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_INERT)
    return f'<script type="application/ld+json">{text}</script>'


def faq_page(group: FaqGroup, ctx: SiteContext) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "inLanguage": ctx.lang,
        "name": group.title,
        "url": ctx.absolute(group.url),
        "mainEntity": [
            {
                "@type": "Question",
                "name": q.question,
                "url": ctx.absolute(f"{group.url}#{q.anchor}"),
                "acceptedAnswer": {"@type": "Answer", "text": ctx.markdown.html(
                    q.answer, q.path, absolute=ctx.absolute, ids=ctx.id_url, here=ctx.here)},
            }
            for q in group.questions
        ],
    }


def video_object(video: Video, ctx: SiteContext, *, thumbnail_url: str = "") -> dict:
    page = ctx.absolute(video.url)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "inLanguage": ctx.lang,
        "name": video.title,
        "description": video.summary or video.title,
        "url": page,
    }
    if thumbnail_url:
        data["thumbnailUrl"] = [thumbnail_url]
    if video.published:
        data["uploadDate"] = video.published.isoformat()
    if video.duration:
        data["duration"] = iso_duration(video.duration)
    if video.source.kind == "file":
        data["contentUrl"] = ctx.absolute(video.source.url.lstrip("/"))
    else:
        data["embedUrl"] = embed_url(video)
    if video.transcript:
        data["transcript"] = " ".join(cue.text for cue in video.transcript)
    clips = []
    for i, chapter in enumerate(video.chapters):
        end = video.chapters[i + 1].start if i + 1 < len(video.chapters) else video.duration
        clip = {
            "@type": "Clip",
            "name": chapter.title,
            "startOffset": int(chapter.start),
            "url": f"{page}#{chapter.anchor}",
        }
        if end and end > chapter.start:
            clip["endOffset"] = int(end)
        clips.append(clip)
    if clips:
        data["hasPart"] = clips
    return data


def breadcrumb_list(trail: list[tuple[str, str]], ctx: SiteContext) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": ctx.absolute(url)}
            for i, (name, url) in enumerate(trail, start=1)
        ],
    }


def embed_url(video: Video, start: int = 0) -> str:
    """The player URL for a hosted video (privacy-enhanced host for YouTube)."""
    vid = video.source.video_id
    if video.source.kind == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{vid}" + (f"?start={start}" if start else "")
    if video.source.kind == "vimeo":
        return f"https://player.vimeo.com/video/{vid}?dnt=1" + (f"#t={start}s" if start else "")
    return ""
