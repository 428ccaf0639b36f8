"""The loader on small, realistic trees: ids, urls, aliases, revisions, lines, manifest."""

from __future__ import annotations

import textwrap
from pathlib import Path

from carebase.content import load_catalogue
from carebase.content.manifest import build_manifest


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")


def small_tree(root: Path) -> None:
    write(root, "billing/refunds.md", """
        ---
        title: Get a refund
        summary: How refunds work.
        tags: [refund, money]
        aliases: [billing/money-back.md]
        related: ["faq:billing#can-i-get-a-refund", "video:setup-basics"]
        review_by: 2999-01-01
        ---
        Read [the plans](plans.md) or [the FAQ](faq:billing#can-i-get-a-refund).
        """)
    write(root, "billing/plans.md", """
        ---
        title: Plans
        id: pricing
        draft: true
        ---
        # Plans
        """)
    write(root, "faq/billing.yml", """
        title: Billing questions
        category: billing
        questions:
          - question: Can I get a refund?
            answer: |
              Yes. See [refunds](../billing/refunds.md).
          - question: How do I pay?
            id: paying
            answer: By card.
            aliases: [how-to-pay]
        """)
    write(root, "videos/setup-basics.yml", """
        title: Setup basics
        category: billing
        source: https://youtu.be/dQw4w9WgXcQ
        duration: "4:30"
        chapters:
          - {start: 0, title: Unbox}
          - {start: "1:15", title: Mount}
        transcript:
          - {start: 0, end: 5, text: Hello and welcome.}
        """)


def test_items_have_stable_ids_urls_and_revisions(tmp_path):
    small_tree(tmp_path)
    cat = load_catalogue(tmp_path)
    assert [str(p) for p in cat.errors] == []
    ids = sorted(i.id for i in cat.items())
    assert ids == ["article:billing/refunds", "article:pricing", "faq:billing#can-i-get-a-refund",
                   "faq:billing#paying", "video:setup-basics"]
    refunds = cat.get("article:billing/refunds")
    assert refunds.url == "billing/refunds/" and refunds.category == "billing" and refunds.line == 2
    assert refunds.body_line == 9 and refunds.body.startswith("Read [the plans]")
    assert cat.get("article:billing/money-back") is refunds  # alias from an old path
    assert cat.get("faq:billing#how-to-pay").anchor == "paying"
    question = cat.get("faq:billing#can-i-get-a-refund")
    assert question.url == "faq/billing/#can-i-get-a-refund" and question.line == 4 and question.category == "billing"
    video = cat.get("video:setup-basics")
    assert video.duration == 270 and [c.start for c in video.chapters] == [0, 75]
    assert video.source.kind == "youtube" and video.source.video_id == "dQw4w9WgXcQ"
    assert video.transcript[0].text == "Hello and welcome."
    assert len(refunds.revision) == 10 and refunds.revision != question.revision


def test_revision_changes_only_with_the_items_own_source(tmp_path):
    small_tree(tmp_path)
    before = {i.id: i.revision for i in load_catalogue(tmp_path).items()}
    text = (tmp_path / "faq/billing.yml").read_text().replace("By card.", "By card or bank transfer.")
    (tmp_path / "faq/billing.yml").write_text(text)
    after = {i.id: i.revision for i in load_catalogue(tmp_path).items()}
    assert after["faq:billing#paying"] != before["faq:billing#paying"]
    assert after["faq:billing#can-i-get-a-refund"] == before["faq:billing#can-i-get-a-refund"]


def test_manifest_lists_published_items_and_aliases(tmp_path):
    small_tree(tmp_path)
    manifest = build_manifest(load_catalogue(tmp_path))
    assert manifest["version"] == 1
    assert "article:pricing" not in manifest["items"]  # a draft
    assert manifest["items"]["faq:billing#paying"] == {
        "kind": "faq", "title": "How do I pay?", "url": "faq/billing/#paying", "path": "faq/billing.yml",
        "revision": manifest["items"]["faq:billing#paying"]["revision"], "category": "billing"}
    assert manifest["aliases"] == {"article:billing/money-back": "article:billing/refunds",
                                   "faq:billing#how-to-pay": "faq:billing#paying"}


def test_link_to_draft_is_a_warning_and_front_matter_lines_are_real(tmp_path):
    small_tree(tmp_path)
    write(tmp_path, "billing/refunds.md", """
        ---
        title: Get a refund
        related: [article:pricing, article:billing/nope]
        ---
        Text
        """)
    cat = load_catalogue(tmp_path)
    got = [(p.path, p.line, p.field, p.severity.value) for p in cat.problems]
    assert ("billing/refunds.md", 3, "related[0]", "warning") in got
    assert ("billing/refunds.md", 3, "related[1]", "error") in got


def test_missing_root_is_a_problem_not_an_exception(tmp_path):
    cat = load_catalogue(tmp_path / "nope")
    assert len(cat.errors) == 1 and "expected a content folder" in cat.errors[0].message


def test_two_faq_files_with_one_slug_clash(tmp_path):
    write(tmp_path, "faq/billing.yml", "title: A\nquestions: []\n")
    write(tmp_path, "faq/billing.yaml", "title: B\nquestions: []\n")
    cat = load_catalogue(tmp_path)
    assert [(p.path, p.line) for p in cat.errors] == [("faq/billing.yml", 1)]
    assert "already the id of faq/billing.yaml:1" in cat.errors[0].message
    assert [g.path for g in cat.faqs] == ["faq/billing.yaml"]


def test_a_bug_in_one_file_is_reported_there_and_the_rest_still_loads(tmp_path, monkeypatch):
    import carebase.content.loader as loader

    small_tree(tmp_path)

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(loader, "load_video", broken)
    cat = load_catalogue(tmp_path)
    assert [(p.path, p.line) for p in cat.errors if "internal error" in p.message] == [("videos/setup-basics.yml", 0)]
    assert cat.get("article:billing/refunds") is not None and cat.get("faq:billing#paying") is not None


def test_empty_front_matter_falls_back_to_heading_or_reports_line_1(tmp_path):
    write(tmp_path, "a.md", "---\n---\n# From the heading\n")
    write(tmp_path, "b.md", "---\n---\nNo heading.\n")
    cat = load_catalogue(tmp_path)
    assert cat.get("article:a").title == "From the heading"
    assert [(p.path, p.line, p.field) for p in cat.errors] == [("b.md", 1, "title")]


def test_video_sources(tmp_path):
    from carebase.content.tree import Tree
    from carebase.content.videos import parse_source

    files = Tree(files={"media/intro.mp4"})
    good = {
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3": ("youtube", "dQw4w9WgXcQ"),
        "https://youtu.be/dQw4w9WgXcQ": ("youtube", "dQw4w9WgXcQ"),
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ": ("youtube", "dQw4w9WgXcQ"),
        "https://vimeo.com/76979871": ("vimeo", "76979871"),
        "https://player.vimeo.com/video/76979871": ("vimeo", "76979871"),
        "media/intro.mp4": ("file", ""),
    }
    for url, (kind, vid) in good.items():
        source, complaint = parse_source(url, tmp_path, files)
        assert complaint == "" and (source.kind, source.video_id) == (kind, vid), url
    for url in ["http://youtu.be/dQw4w9WgXcQ", "https://youtu.be/abc", "https://vimeo.com/abc",
                "https://example.com/v.mp4", "media/other.mp4", "media/intro.avi", "ftp://vimeo.com/1234567"]:
        source, complaint = parse_source(url, tmp_path, files)
        assert source is None and complaint.startswith("expected"), url


def test_comma_in_a_flow_mapping_gets_a_hint(tmp_path):
    write(tmp_path, "categories.yml", "- {id: account, title: Account, description: Profile, security and closing}\n")
    cat = load_catalogue(tmp_path)
    (problem,) = cat.warnings
    assert (problem.path, problem.line, problem.field) == ("categories.yml", 1, "[0].security and closing")
    assert "put text with commas in quotes" in problem.message
    assert cat.categories[0].description == "Profile"


def test_links_to_generated_pages_and_files_resolve(tmp_path):
    small_tree(tmp_path)
    write(tmp_path, "billing/img/chart.png", "png")
    write(tmp_path, "billing/links.md", """
        ---
        title: Links
        ---
        [faq](../faq/billing/) [video](/videos/setup-basics/#t=75) [category](../billing/)
        [image](img/chart.png) [root](/billing/refunds.md) [home](../index.md)
        [gone](../videos/nothing/) ![missing](img/nope.png)
        """)
    cat = load_catalogue(tmp_path)
    got = [(p.path, p.line, p.field, p.message) for p in cat.errors]
    assert got == [
        ("billing/links.md", 5, "body", "expected a link to an existing file, found '../index.md' "
                                        "(no such file: index.md in the content folder)"),
        ("billing/links.md", 6, "body", "expected a link to an existing file, found '../videos/nothing/' "
                                        "(no such file: videos/nothing in the content folder)"),
        ("billing/links.md", 6, "body", "expected a link to an existing file, found 'img/nope.png' "
                                        "(no such file: billing/img/nope.png in the content folder)"),
    ]


def test_get_resolves_ids_aliases_and_old_paths(tmp_path):
    small_tree(tmp_path)
    cat = load_catalogue(tmp_path)
    refunds = cat.get("article:billing/refunds")
    assert cat.get("billing/refunds.md") is refunds and cat.get("/billing/money-back/") is refunds
    assert cat.get("article:billing/nothing") is None and cat.get("nothing.md") is None


def test_caption_language_must_be_a_tag(tmp_path):
    small_tree(tmp_path)
    write(tmp_path, "videos/tour.vtt", "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHi\n")
    write(tmp_path, "videos/tour.yml", """
        title: Tour
        source: https://vimeo.com/76979871
        captions:
          - {src: videos/tour.vtt, lang: en-GB, label: English}
          - {src: tour.vtt, lang: English}
        """)
    cat = load_catalogue(tmp_path)
    assert [(p.line, p.field) for p in cat.errors] == [(5, "captions[1].lang")]
    assert [c.lang for c in cat.get("video:tour").captions] == ["en-GB"]


def test_anchors_of_linked_pages_are_checked(tmp_path):
    small_tree(tmp_path)
    write(tmp_path, "billing/steps.md", """
        ---
        title: Steps
        ---
        ## Open the **app**
        ## Open the app
        ### Custom {#mine}
        See [first](#open-the-app), [second](#open-the-app_1), [custom](#mine), [typo](#open-the-ap),
        [refunds](refunds.md#read), [a question](../faq/billing/#paying), [top](refunds.md#__top).
        """)
    cat = load_catalogue(tmp_path)
    got = [(p.line, p.field, p.severity.value, p.message) for p in cat.problems if p.path == "billing/steps.md"]
    assert got == [
        (7, "body", "warning", "expected an anchor that exists on this page (did you mean 'open-the-app'?), found '#open-the-ap'"),
        (8, "body", "warning", "expected an anchor that exists on billing/refunds.md, found '#read'"),
    ]


def test_transcript_cues_in_order_and_within_the_video(tmp_path):
    write(tmp_path, "videos/late.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA\n\n00:05:00.000 --> 00:05:02.000\nLate\n")
    write(tmp_path, "videos/order.srt", "1\n00:00:05,000 --> 00:00:06,000\nB\n\n2\n00:00:01,000 --> 00:00:02,000\nA\n")
    write(tmp_path, "videos/a.yml", "title: A\nsource: https://vimeo.com/76979871\nduration: 60\ntranscript: videos/late.vtt\n")
    write(tmp_path, "videos/b.yml", "title: B\nsource: https://vimeo.com/76979871\ntranscript: videos/order.srt\n")
    write(tmp_path, "videos/c.yml", """
        title: C
        source: https://vimeo.com/76979871
        duration: "1:00"
        transcript:
          - {start: 5, end: 6, text: B}
          - {start: 1, end: 2, text: A}
          - {start: "1:10", end: "1:12", text: Late}
        """)
    cat = load_catalogue(tmp_path)
    got = [(p.path, p.line, p.field) for p in cat.errors]
    assert got == [("videos/a.yml", 4, "transcript"), ("videos/b.yml", 3, "transcript"),
                   ("videos/c.yml", 6, "transcript[1].start"), ("videos/c.yml", 7, "transcript[2].start"),
                   ("videos/order.srt", 6, "")]
    assert "found one at 5:00 in videos/late.vtt" in cat.errors[0].message
    assert [c.text for c in cat.get("video:c").transcript] == ["B"]


def test_links_to_yaml_sources_point_at_their_pages(tmp_path):
    small_tree(tmp_path)
    write(tmp_path, "billing/yaml.md", "---\ntitle: Y\n---\n[faq](../faq/billing.yml#paying) [c](/categories.yml)\n")
    cat = load_catalogue(tmp_path)
    assert [p.message for p in cat.errors] == [
        "expected a link to a published page, found '/categories.yml' (YAML sources are not published)",
        "expected a link to the page '../faq/billing/#paying' (YAML sources are not published), found "
        "'../faq/billing.yml#paying'",
    ]
