"""Core page builders: the HTML customers get for FAQ, video, category and home pages."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from carebase.pages.faq import faq_group_page
from carebase.pages.home import home_page
from carebase.pages.listings import category_pages
from carebase.pages.markup import clock, iso_duration, rel, relpath
from carebase.pages.site import build_pages, nav_entries
from carebase.pages.video import sections, video_page


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def jsonld(html: str, type_: str) -> dict:
    for tag in soup(html).find_all("script", type="application/ld+json"):
        data = json.loads(tag.string)
        if data["@type"] == type_:
            return data
    raise AssertionError(f"no {type_} JSON-LD")


def test_relative_links_between_directory_urls():
    assert rel("faq/billing/", "billing/refunds/") == "../../billing/refunds/"
    assert rel("", "videos/") == "videos/"
    assert rel("videos/a/", "") == "../../"
    assert rel("faq/billing/", "faq/billing/#x") == "./#x"
    assert rel("videos/a/", "media/tour.mp4") == "../../media/tour.mp4"


def test_relpath_is_posixpaths_for_absolute_paths():
    import itertools
    import posixpath

    paths = ["/", "//", "/a", "/a/", "/a/b/", "/a/b/c", "/a//b/", "/a/./b/", "/a/../b/", "/../a/", "/b/a/",
             "/ab/", "/a/bc/d/", "/.", "/..", "/a/b/..", "/x/y/z/w/", "/é/ü/"]
    for path, start in itertools.product(paths, repeat=2):
        assert relpath(path, start) == posixpath.relpath(path, start), (path, start)


def test_time_formats():
    assert clock(75) == "1:15" and clock(3725) == "1:02:05"
    assert iso_duration(185) == "PT3M5S" and iso_duration(0) == "PT0S"


def test_faq_page_has_one_disclosure_per_question_with_stable_anchors(ctx):
    page = faq_group_page(ctx.catalogue.faqs[0], ctx)
    doc = soup(page.body)
    details = doc.select("details.cb-faq")
    assert [d["id"] for d in details] == ["can-i-get-a-refund", "which-cards"]
    assert details[0].summary.get_text(strip=True) == "Can I get a refund?"
    assert details[0].find("strong").get_text() == "14 days"  # the answer's Markdown is rendered
    assert page.src_uri == "faq/billing.md" and page.url == "faq/billing/"


def test_faq_page_json_ld_is_a_faqpage(ctx):
    data = jsonld(faq_group_page(ctx.catalogue.faqs[0], ctx).body, "FAQPage")
    assert data["@context"] == "https://schema.org"
    names = [q["name"] for q in data["mainEntity"]]
    assert names == ["Can I get a refund?", "Which cards do you accept?"]
    assert all(q["@type"] == "Question" and q["acceptedAnswer"]["@type"] == "Answer" for q in data["mainEntity"])
    assert data["mainEntity"][0]["url"] == "https://help.example.com/faq/billing/#can-i-get-a-refund"


def test_hosted_video_is_a_facade_with_no_host_url_but_the_embed_data(ctx):
    page = video_page(ctx.catalogue.videos[0], ctx)
    doc = soup(page.body)
    player = doc.select_one("[data-cb-player]")
    assert player["data-embed"] == "https://www.youtube-nocookie.com/embed/abc123XYZ"
    assert doc.find("iframe") is None
    # nothing on the page may load from the host: no src/href/poster pointing at it
    for tag in doc.find_all(True):
        for attr in ("src", "href", "poster", "srcset"):
            value = tag.get(attr) or ""
            assert "youtube" not in value and "ytimg" not in value, (tag.name, value)
    # named by its content, so the visible title and duration are part of the name (WCAG 2.5.3)
    assert " ".join(player.find("button").stripped_strings) == "Play video: Setting up your account 3:05"


def test_a_video_without_a_thumbnail_has_its_categorys_icon_on_its_page_and_its_card(ctx):
    # one lookup for both (listings.poster_icon; video._poster repeated it until session 35)
    from dataclasses import replace

    from carebase.pages import listings, video as video_module
    from carebase.pages.listings import generated_poster, poster_icon

    ctx.icon = lambda name: f'<svg data-icon="{name}"></svg>'
    category = replace(ctx.catalogue.categories[0], icon="material/credit-card")
    ctx.catalogue = replace(ctx.catalogue, categories=(category,) + tuple(ctx.catalogue.categories[1:]))
    clip = replace(ctx.catalogue.videos[0], thumbnail="", category=category.id)
    assert poster_icon(clip, ctx) == '<svg data-icon="material/credit-card"></svg>'
    page = soup(video_module._poster(clip, ctx)).select_one(".cb-poster__art svg")
    card = soup(generated_poster(clip, ctx)).select_one(".cb-poster__art svg")
    assert page["data-icon"] == card["data-icon"] == "material/credit-card"
    assert video_module.poster_icon is listings.poster_icon
    assert poster_icon(replace(clip, category=""), ctx) == ""


def test_video_chapters_seek_and_transcript_sections_carry_time_anchors(ctx):
    doc = soup(video_page(ctx.catalogue.videos[0], ctx).body)
    links = doc.select(".cb-chapters a")
    assert [(a["href"], a["data-cb-seek"]) for a in links] == [("#t=0", "0"), ("#t=42", "42"), ("#t=120", "120")]
    ids = [s["id"] for s in doc.select(".cb-transcript__section")]
    assert ids == ["t=0", "t=42", "t=120"]
    assert "Click the new workspace button." in doc.find(id="t=42").get_text()


def test_video_json_ld_has_clips(ctx):
    data = jsonld(video_page(ctx.catalogue.videos[0], ctx).body, "VideoObject")
    assert data["name"] == "Setting up your account"
    assert data["duration"] == "PT3M5S" and data["uploadDate"] == "2026-05-01"
    assert data["embedUrl"].startswith("https://www.youtube-nocookie.com/embed/")
    clips = data["hasPart"]
    assert [c["@type"] for c in clips] == ["Clip"] * 3
    assert [(c["startOffset"], c.get("endOffset")) for c in clips] == [(0, 42), (42, 120), (120, 185)]
    assert clips[1]["url"] == "https://help.example.com/videos/setup-basics/#t=42"


def test_self_hosted_video_uses_video_element_with_caption_track(ctx):
    doc = soup(video_page(ctx.catalogue.videos[1], ctx).body)
    video = doc.find("video")
    assert video.find("source")["src"] == "../../media/tour.mp4"
    track = video.find("track")
    assert (track["kind"], track["src"], track["srclang"]) == ("captions", "../../media/tour.en.vtt", "en")
    # without a transcript the chapter list items carry the time anchors
    assert [li["id"] for li in doc.select(".cb-chapters li")] == ["t=0", "t=10"]


def test_sections_without_chapters_group_a_minute_of_transcript(ctx):
    from dataclasses import replace

    from carebase.content.model import Cue
    video = replace(ctx.catalogue.videos[0], chapters=(),
                    transcript=tuple(Cue(s, s + 5, f"cue {s}") for s in (0, 20, 59, 61, 130)))
    assert [(s.anchor, len(s.cues)) for s in sections(video)] == [("t=0", 3), ("t=61", 1), ("t=130", 1)]


def test_category_page_lists_articles_faq_and_videos_but_not_drafts(ctx):
    (page,) = category_pages("account", ctx)
    doc = soup(page.body)
    titles = [a.get_text() for a in doc.select(".cb-list a")]
    assert "Reset your password" in titles and "Draft page" not in titles
    assert [h.get_text() for h in doc.select(".cb-video-card .cb-card__title")] == ["Setting up your account"]
    crumbs = soup(page.breadcrumbs)
    assert [li.get_text() for li in crumbs.select("li")] == ["Home", "Account"]
    assert jsonld(page.breadcrumbs, "BreadcrumbList")["itemListElement"][1]["name"] == "Account"


def test_category_pages_paginate_long_lists(ctx):
    ctx.page_size = 1
    pages = category_pages("billing", ctx)
    assert [p.url for p in pages] == ["billing/", "billing/page/2/"]
    assert soup(pages[1].body).select_one("a[rel=prev]")["href"] == "../../"


def test_home_page_puts_search_first_then_categories_with_counts(ctx):
    page = home_page(ctx)
    doc = soup(page.body)
    first = doc.find(["form", "ul", "section"])
    form = doc.find("form")
    assert form["action"] == "search/" and form.find("input")["name"] == "q"
    assert first.find("form") is form  # the hero with the search box comes first
    cards = {c.find("h3").get_text(): c.select_one(".cb-card__meta").get_text() for c in doc.select(".cb-category-card")}
    assert cards == {"Billing": "2 articles · 2 questions · 1 video", "Account": "1 article · 1 video"}
    assert "Can I get a refund?" in doc.get_text()
    assert page.meta["template"] == "home.html"


def test_nav_is_bounded_by_categories(ctx):
    pages = build_pages(ctx)
    nav = nav_entries(ctx, pages)
    assert nav == [{"Home": "index.md"}, {"Billing": "billing/index.md"}, {"Account": "account/index.md"},
                   {"FAQ": "faq/index.md"}, {"Videos": "videos/index.md"}]


def test_writer_pages_win_over_generated_ones(ctx):
    pages = build_pages(ctx, existing={"billing/index.md"})
    assert "billing/index.md" not in {p.src_uri for p in pages}
    assert {"index.md", "faq/billing.md", "videos/setup-basics.md", "videos/index.md"} <= {p.src_uri for p in pages}


def test_every_contact_link_names_the_page_it_was_followed_from(ctx):
    """Issue 15: the contact form's link says which page it came from (``?from=``, the page's path
    from the site's host), to the site's own form with or without JavaScript and whether or not a
    service is set (a static page that opens with the service down; without JavaScript the
    service reads ``from`` from its address). Fails on the old code: every page linked the same
    ``contact/`` (session 35), then the service's copy of the form (session 36: the browser's
    error page without JavaScript when the service is down)."""
    from dataclasses import replace

    from carebase.pages.blocks import contact_block, contact_form_link
    from carebase.pages.context import Contact
    from carebase.pages.helpcentre import not_found_body
    from carebase.pages.site import generated_parts

    ctx = replace(ctx, contact=Contact(form=True, email="help@example.com"),
                  service_url="https://service.example/", site_url="https://example.com/help/")
    assert contact_form_link(ctx, page_url="billing/refunds/") == "../../contact/?from=/help/billing/refunds/"
    link = soup(contact_block(ctx, page_url="faq/billing/")).select_one("a[data-cb-contact=form]")
    assert link["href"] == "../../contact/?from=/help/faq/billing/" and not link.has_attr("data-cb-href")
    video = video_page(ctx.catalogue.videos[0], ctx)
    parts = generated_parts(video, ctx, None)
    assert soup(parts.contact).select_one("a[data-cb-contact=form]")["href"].endswith("?from=/help/" + video.url)
    search = next(p for p in build_pages(ctx) if p.kind == "search")
    assert soup(generated_parts(search, ctx, None).contact).select_one(
        "a[data-cb-contact=form]")["href"] == "../contact/?from=/help/search/"
    missing = soup(not_found_body(ctx, root="/help/")).select_one("a[data-cb-contact=form]")
    assert missing["href"] == "/help/contact/?from=/help/404.html"
    # without a service, the site's own form, still naming the page
    alone = replace(ctx, service_url="")
    link = soup(contact_block(alone, page_url="billing/refunds/")).select_one("a[data-cb-contact=form]")
    assert link["href"] == "../../contact/?from=/help/billing/refunds/" and not link.has_attr("data-cb-href")


def test_the_chat_link_sends_no_referrer(ctx):
    """The chat (a third party's address) is linked rel="noreferrer": its provider is not told the
    page the customer was on (the service's answer pages name a ticket's page in their address).
    Fails on the old code: a plain link."""
    from dataclasses import replace

    from carebase.pages.blocks import other_channels
    from carebase.pages.context import Contact

    ctx = replace(ctx, contact=Contact(form=True, email="help@example.com", chat_url="https://chat.example.com/"))
    links = soup("".join(other_channels(ctx))).select("a[data-cb-contact]")
    rels = {a["data-cb-contact"]: a.get("rel") for a in links}
    assert rels == {"email": None, "chat": ["noreferrer"]}, rels
