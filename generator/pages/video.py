"""Video pages: a privacy-friendly player, chapters that seek, the transcript, JSON-LD.

Hosted videos (YouTube, Vimeo) show a local facade — the writer's thumbnail or a drawn
poster — and a play button; the player iframe (youtube-nocookie.com / player.vimeo.com)
is only injected by the page script once the customer asks for it, so nothing is
requested from the host before. Self-hosted files use ``<video>`` with caption tracks.
"""

from __future__ import annotations

import mimetypes
from bisect import bisect_left
from dataclasses import dataclass

from carebase.content.model import Cue, Video
from carebase.pages import jsonld
from carebase.pages.blocks import breadcrumbs, trail_for
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage
from carebase.pages.listings import poster_hue, poster_icon
from carebase.pages.markup import clock, esc, links as linked, rel

SECTION_SECONDS = 60  # transcript sections when a video has no chapters
PROVIDER = {"youtube": "YouTube", "vimeo": "Vimeo"}
PLAY_ICON = (
    '<svg viewBox="0 0 68 48" width="68" height="48" aria-hidden="true" focusable="false">'
    '<rect width="68" height="48" rx="12" fill="currentColor"/>'
    '<path d="M27 14v20l18-10z" fill="#fff"/></svg>'
)


@dataclass(frozen=True)
class Section:
    """A stretch of the video: a chapter, or a minute of transcript without chapters."""

    start: float
    title: str
    cues: tuple[Cue, ...]

    @property
    def anchor(self) -> str:
        return f"t={int(self.start)}"

    @property
    def text(self) -> str:
        return " ".join(cue.text for cue in self.cues)


def sections(video: Video, ctx: SiteContext | None = None) -> list[Section]:
    """Chapters with the transcript cues they hold, else minute-long transcript sections
    (one pass over the cues: linear in the transcript however many chapters it has)."""
    cues = sorted(video.transcript, key=lambda c: c.start)
    if video.chapters:
        chapters = sorted(video.chapters, key=lambda c: c.start)
        starts = [c.start for c in cues]
        out = []
        for i, chapter in enumerate(chapters):
            lo = bisect_left(starts, chapter.start) if i else 0  # cues before chapter 1 belong to it
            hi = bisect_left(starts, chapters[i + 1].start) if i + 1 < len(chapters) else len(cues)
            out.append(Section(chapter.start, chapter.title, tuple(cues[lo:hi])))
        return out
    groups: list[list[Cue]] = []
    for cue in cues:
        if not groups or cue.start - groups[-1][0].start >= SECTION_SECONDS:
            groups.append([cue])
        else:
            groups[-1].append(cue)
    name = (lambda t: ctx.t("video.transcript_from", time=t)) if ctx is not None else (lambda t: f"Transcript from {t}")
    return [Section(g[0].start, name(clock(g[0].start)), tuple(g)) for g in groups]


def player_html(video: Video, ctx: SiteContext) -> str:
    page = video.url
    thumb = rel(page, video.thumbnail.lstrip("/")).rstrip("/") if video.thumbnail else ""
    if video.source.kind == "file":
        src = rel(page, video.source.url.lstrip("/")).rstrip("/")
        mime = mimetypes.guess_type(video.source.url)[0] or "video/mp4"
        shown = _default_track(video, ctx)
        tracks = "".join(
            f'<track kind="captions" src="{esc(rel(page, c.src.lstrip("/")).rstrip("/"))}" '
            f'srclang="{esc(c.lang)}" label="{esc(c.label)}"{" default" if i == shown else ""}>'
            for i, c in enumerate(video.captions)
        )
        poster = f' poster="{esc(thumb)}"' if thumb else ""
        # with a poster nothing of the video is fetched before play (preload=metadata fetched a
        # small file whole: the demo's page grew from 445 to 555 KB when it did); without one,
        # its first frame and length are what the customer sees
        preload = "none" if thumb else "metadata"
        return (
            f'<div class="cb-player" data-cb-player data-provider="file">'
            f'<video controls preload="{preload}" playsinline{poster} aria-label="{esc(video.title)}">'
            f'<source src="{esc(src)}" type="{esc(mime)}">{tracks}'
            f'<p>{linked(ctx.t("video.cannot_play"), download=(src, ctx.t("video.download")))}</p>'
            "</video></div>"
        )
    host = PROVIDER[video.source.kind]
    # the button is named by its content ("Play video: <title> <duration>"), so its visible
    # text is part of its accessible name (WCAG 2.5.3 label in name)
    image = (
        f'<img class="cb-player__thumb" src="{esc(thumb)}" alt="" loading="lazy" decoding="async">'
        f'<span class="cb-sr">{esc(video.title)}</span>'
        if thumb else _poster(video, ctx)
    )
    duration = f'<span class="cb-player__duration">{clock(video.duration)}</span>' if video.duration else ""
    return (
        f'<div class="cb-player" data-cb-player data-provider="{esc(video.source.kind)}" '
        f'data-embed="{esc(_in_language(jsonld.embed_url(video), video, ctx))}" data-title="{esc(video.title)}">'
        f'<button type="button" class="cb-player__facade"><span class="cb-sr">{esc(ctx.t("video.play"))}</span>'
        f'{image}<span class="cb-player__play">{PLAY_ICON}</span>{duration}</button>'
        f'<p class="cb-player__note">{esc(ctx.t("video.note", host=host))}</p></div>'
    )


def _poster(video: Video, ctx: SiteContext) -> str:
    """The facade of a hosted video without its own thumbnail: its title on its category's
    colour with the category's icon, as its card in the gallery has it (listings.generated_poster)."""
    svg = poster_icon(video, ctx)
    art = f'<span class="cb-poster__art" aria-hidden="true">{svg}</span>' if svg else ""
    return (f'<span class="cb-player__poster cb-poster" style="--cb-poster-h: {poster_hue(video, ctx)}">'
            f'{art}<span class="cb-player__poster-title">{esc(video.title)}</span></span>')


def _default_track(video: Video, ctx: SiteContext) -> int:
    """The caption track shown by default: the page's language's (``de`` or ``de-AT`` on a
    German page), else the first."""
    lang = ctx.lang.lower()
    for i, caption in enumerate(video.captions):
        if caption.lang.lower() == lang or caption.lang.lower().split("-")[0] == lang.split("-")[0]:
            return i
    return 0


def _in_language(url: str, video: Video, ctx: SiteContext) -> str:
    """A hosted player in the language of a page of another language than the site's default:
    YouTube's controls and captions (``hl``, ``cc_lang_pref``, captions on), Vimeo's captions
    (``texttrack``) in it. The default language's player follows the customer's browser."""
    if not ctx.prefix or not url:
        return url
    lang = ctx.lang
    base, hash_, fragment = url.partition("#")
    joiner = "&" if "?" in base else "?"
    if video.source.kind == "youtube":
        base += f"{joiner}hl={lang}&cc_lang_pref={lang}&cc_load_policy=1"
    elif video.source.kind == "vimeo":
        base += f"{joiner}texttrack={lang}"
    return base + hash_ + fragment


def chapters_html(video: Video, with_ids: bool, ctx: SiteContext) -> str:
    if not video.chapters:
        return ""
    entries = []
    for chapter in sorted(video.chapters, key=lambda c: c.start):
        ident = f' id="{esc(chapter.anchor)}"' if with_ids else ""
        entries.append(
            f'<li{ident}><a href="#{esc(chapter.anchor)}" data-cb-seek="{int(chapter.start)}">'
            f'<span class="cb-ts">{clock(chapter.start)}</span> {esc(chapter.title)}</a></li>'
        )
    return (
        '<section class="cb-chapters" aria-labelledby="cb-chapters-title">'
        f'<h2 id="cb-chapters-title">{esc(ctx.t("video.chapters"))}</h2><ol>{"".join(entries)}</ol></section>'
    )


def transcript_html(video: Video, ctx: SiteContext) -> str:
    if not video.transcript:
        return ""
    parts = []
    for section in sections(video, ctx):
        lines = "".join(
            f'<p><a class="cb-ts" href="#t={int(c.start)}" data-cb-seek="{int(c.start)}">{clock(c.start)}</a> '
            f"{esc(c.text)}</p>"
            for c in section.cues
        )
        parts.append(
            f'<section class="cb-transcript__section" id="{esc(section.anchor)}">'
            f"<h3>{esc(section.title)}</h3>{lines}</section>"
        )
    if not parts:
        return ""
    return (
        '<section class="cb-transcript" aria-labelledby="cb-transcript-title">'
        f'<h2 id="cb-transcript-title">{esc(ctx.t("video.transcript"))}</h2>{"".join(parts)}</section>'
    )


def video_page(video: Video, ctx: SiteContext) -> GeneratedPage:
    has_transcript = bool(video.transcript)
    lead = f'<p class="cb-lead">{esc(video.summary)}</p>' if video.summary else ""
    facts = []
    if video.duration:
        facts.append(ctx.t("video.length", time=clock(video.duration)))
    if video.chapters:
        facts.append(ctx.n("video.chapter_count", len(video.chapters)))
    if has_transcript:
        facts.append(ctx.t("video.transcript_below"))
    meta = f'<p class="cb-video__facts">{esc(" · ".join(facts))}</p>' if facts else ""
    thumb = ctx.absolute(video.thumbnail.lstrip("/")) if video.thumbnail else ""
    body = (
        f"{lead}{player_html(video, ctx)}{meta}"
        f"{chapters_html(video, with_ids=not has_transcript, ctx=ctx)}{transcript_html(video, ctx)}"
        f"{jsonld.script(jsonld.video_object(video, ctx, thumbnail_url=thumb))}"
    )
    return GeneratedPage(
        src_uri=ctx.at(f"videos/{video.slug}.md"),
        url=video.url,
        title=video.title,
        body=body,
        kind="video",
        item_id=video.id,
        breadcrumbs=breadcrumbs(trail_for(video, ctx), video.title, video.url, ctx),
        description=video.summary or ctx.t("video.description", title=video.title),
        meta={"search": {"exclude": True}},
    )
