"""The help centre for machines in every language of a site: each language's Markdown twins,
llms.txt, llms-full.txt and catalogue.json under its URL folder, in its language (titles,
categories, fixed words), a translation's links leading to the same language's twins; and
the video player in the page's language (captions, the hosted player's language)."""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path

import pytest

from carebase.assist.llms import machine_files
from carebase.assist.twins import Linker
from carebase.content.languages import Languages
from carebase.content.model import Caption, Video, VideoSource
from carebase.content.translations import load_languages
from carebase.pages.context import SiteContext
from carebase.pages.video import player_html
from carebase.strings import Strings, builtin

BILINGUAL = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "bilingual" / "content"


@pytest.fixture(scope="module")
def catalogues():
    ml = load_languages(BILINGUAL, Languages(("en", "de"))).published()
    return ml.catalogues["en"], ml.catalogues["de"]


def _german() -> Strings:
    return Strings("de", {k: v.value for k, v in builtin("de").items()}, default=False)


def _files(catalogue, **kw) -> dict[str, str]:
    return dict(machine_files(catalogue, site_name=kw.pop("site_name", "Hilfe"), **kw))


def test_each_language_has_its_twins_and_llms_files_in_its_language(catalogues):
    en, de = catalogues
    german = _files(de, prefix="de/", source=en, strings=_german(), others=(("English", ""),),
                    description="Antworten rund um Lumo.")
    english = _files(en, site_name="Help", others=(("Deutsch", "de/"),))
    assert {"de/llms.txt", "de/llms-full.txt", "de/catalogue.json", "de/billing/refunds/index.html.md",
            "de/faq/billing/pay-by-invoice.md"} <= set(german)
    assert not set(german) & set(english)  # one file per language, none overwritten
    assert "billing/cancel/index.html.md" not in {p.removeprefix("de/") for p in german}  # not translated

    llms = german["de/llms.txt"]
    assert llms.startswith("# Hilfe\n\n> Antworten rund um Lumo.\n\nJede unten genannte Seite ist Markdown")
    assert "## Abrechnung" in llms  # categories.de.yml's title
    assert "- [Erstattungen](billing/refunds/index.html.md): Wann Sie Ihr Geld zurückbekommen." in llms
    assert "Dieses Hilfe-Center in anderen Sprachen: [English](../llms.txt)." in llms
    assert "This help centre in other languages: [Deutsch](de/llms.txt)." in english["llms.txt"]
    for name, text in (("de/llms.txt", llms), ("llms.txt", english["llms.txt"])):
        for target in (t.split(")")[0] for t in text.split("](")[1:]):  # every link is a file of that language
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            assert resolved in german or resolved in english, f"{name}: {target}"

    twin = german["de/billing/refunds/index.html.md"]
    assert twin.startswith("# Erstattungen\n\n> Wann Sie Ihr Geld zurückbekommen.\n\nQuelle: <./>\n")
    assert "Siehe [Rechnungen](../invoices/index.html.md)." in twin  # the German invoices' twin
    assert "Erstattungen" in german["de/llms-full.txt"] and "Refunds" not in german["de/llms-full.txt"]
    assert '"url": "billing/refunds/"' in german["de/catalogue.json"]  # from de/, where the file is


def test_a_translation_s_link_to_an_untranslated_article_leads_to_the_source_s_twin(catalogues):
    en, de = catalogues
    linker = Linker(de, en)
    here, twin = "billing/refunds.de.md", "de/billing/refunds/index.html.md"
    assert linker.target("cancel.md", "billing", here, twin) == "../../../billing/cancel/index.html.md"
    assert linker.target("invoices.md", "billing", here, twin) == "../invoices/index.html.md"
    assert linker.target("article:billing/cancel", "billing", here, twin) == "../../../billing/cancel/index.html.md"


def _video(kind: str, source: str, captions=()) -> Video:
    return Video(id="video:tour", path="videos/tour.de.yml", line=1, title="Tour",
                 source=VideoSource(kind, source, "abc123XYZ_0" if kind == "youtube" else "76979871"),
                 duration=185, captions=captions, lang="de")


def test_the_video_player_speaks_the_page_s_language(catalogues):
    en, de = catalogues
    german = SiteContext(catalogue=de, site_name="Hilfe", prefix="de/", strings=_german())
    english = SiteContext(catalogue=en, site_name="Help")
    youtube = _video("youtube", "https://www.youtube.com/watch?v=abc123XYZ_0")
    assert ('data-embed="https://www.youtube-nocookie.com/embed/abc123XYZ_0?hl=de&amp;cc_lang_pref=de'
            '&amp;cc_load_policy=1"') in player_html(youtube, german)
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abc123XYZ_0"' in player_html(youtube, english)
    assert "Video abspielen" in player_html(youtube, german)
    vimeo = _video("vimeo", "https://vimeo.com/76979871")
    assert 'data-embed="https://player.vimeo.com/video/76979871?dnt=1&amp;texttrack=de"' in player_html(vimeo, german)
    tracks = (Caption("videos/tour.en.vtt", "en", "English"), Caption("videos/tour.de.vtt", "de-DE", "Deutsch"))
    local = _video("file", "videos/tour.webm", tracks)
    assert 'srclang="de-DE" label="Deutsch" default>' in player_html(local, german)
    assert 'srclang="en" label="English" default>' in player_html(local, english)
    assert "Ihr Browser kann dieses Video nicht abspielen" in player_html(local, german)
