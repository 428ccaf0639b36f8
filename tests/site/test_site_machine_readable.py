"""The help centre for machines (issue 17) in a real build: llms.txt, llms-full.txt,
catalogue.json and a Markdown twin of every item, every link of them resolving to a file of
the built site, each page naming its twin; drafts nowhere."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

SITE_URL = "https://help.example.com/"
LINK = re.compile(r"\]\(([^()\s]+)\)|<(https?://[^>\s]+|\.{0,2}/[^>\s]*)>")
ALTERNATE = re.compile(r'<link rel="alternate" type="text/markdown" href="([^"]+)"')


def site_file(site: Path, frm: str, target: str) -> Path | None:
    """The built file a link from ``frm`` (a path in the site) leads to; None for other hosts."""
    if target.startswith(("http://", "https://")):
        if not target.startswith(SITE_URL):
            return None
        path = urlsplit(target).path.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(frm), target.split("#")[0])) if target.split("#")[0] \
            else posixpath.dirname(frm) + "/"
        if target.split("#")[0].endswith("/") or target.startswith("./#") or target == "./":
            path += "/"
    path = path.split("#")[0]
    if path in (".", "./", "/"):
        path = ""
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def links_of(text: str) -> list[str]:
    return [a or b for a, b in LINK.findall(text)]


def test_llms_txt_twins_and_catalogue_resolve_and_leave_drafts_out(built_site):
    site = built_site
    llms = (site / "llms.txt").read_text()
    assert llms.startswith("# Acme help\n")
    assert "## Billing" in llms and "## Your account" in llms
    catalogue = json.loads((site / "catalogue.json").read_text())
    ids = {item["id"] for item in catalogue["items"]}
    assert {"article:billing/refunds", "faq:billing#can-i-get-a-refund", "video:setup-basics"} <= ids
    assert not any("upcoming" in i for i in ids) and "upcoming" not in llms  # the draft
    refunds = next(i for i in catalogue["items"] if i["id"] == "article:billing/refunds")
    assert refunds["url"] == SITE_URL + "billing/refunds/"
    assert refunds["markdown"] == SITE_URL + "billing/refunds/index.html.md"
    assert refunds["related"][:2] == ["faq:billing#can-i-get-a-refund", "video:local-tour"]
    assert refunds["summary"] == "How and when we refund a payment." and refunds["revision"]

    checked = 0
    twins = {urlsplit(i["markdown"]).path.lstrip("/") for i in catalogue["items"]}
    for rel in ["llms.txt", *sorted(twins)]:
        text = (site / rel).read_text()
        for target in links_of(text):
            found = site_file(site, rel, target)
            if found is not None:
                assert found.is_file(), f"{rel}: {target} → {found} is missing"
                checked += 1
    assert checked >= 2 * len(twins)  # every twin cites its page; llms.txt lists every twin

    twin = (site / "billing/refunds/index.html.md").read_text()
    assert twin.startswith("# Refunds\n\n> How and when we refund a payment.\n")
    assert "Source: <https://help.example.com/billing/refunds/>" in twin
    assert "## How to ask for a refund" in twin and "\n# Refunds" not in twin[2:]
    question = (site / "faq/billing/can-i-get-a-refund.md").read_text()
    assert "[Refunds](../../billing/refunds/index.html.md)" in question  # the link rewritten to the twin
    video = (site / "videos/setup-basics/index.html.md").read_text()
    assert "### Create a workspace (0:42)" in video and "Click the new workspace button." in video
    assert "Source: <https://help.example.com/videos/setup-basics/#t=42>" in video

    full = (site / "llms-full.txt").read_text()
    assert "We refund payments within 14 days" in full and "Click the new workspace button." in full

    pages = {"billing/refunds/index.html": "index.html.md", "faq/billing/index.html": "index.html.md",
             "videos/setup-basics/index.html": "index.html.md"}
    for page, href in pages.items():
        assert ALTERNATE.findall((site / page).read_text()) == [href], page
        assert (site / posixpath.dirname(page) / href).is_file()
    assert not ALTERNATE.findall((site / "index.html").read_text())  # the home page has no twin
