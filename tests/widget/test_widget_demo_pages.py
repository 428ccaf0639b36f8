"""The built demo help centre carries one widget per item (article, FAQ question, video),
with the item's revision, posting to the configured service."""

import json
from urllib.parse import urlsplit


def test_demo_every_item_has_its_widget_with_its_revision(demo_site):
    from bs4 import BeautifulSoup

    manifest = json.loads((demo_site.root / "manifest.json").read_text(encoding="utf-8"))
    pages: dict = {}
    missing = []
    for item, entry in manifest["items"].items():
        path = entry["url"].split("#")[0]
        if path not in pages:
            html = (demo_site.root / path / "index.html").read_text(encoding="utf-8")
            pages[path] = BeautifulSoup(html, "html.parser")
        found = pages[path].select(f'.cb-feedback[data-cb-item="{item}"]')
        if len(found) != 1 or found[0]["data-cb-revision"] != entry["revision"]:
            missing.append(item)
        elif found[0].find("form")["action"] != "http://" + urlsplit(demo_site_service(pages[path])).netloc + "/feedback":
            missing.append(item + " (form action)")
    kinds = {entry["kind"] for entry in manifest["items"].values()}
    assert kinds == {"article", "faq", "video"}
    assert missing == []


def demo_site_service(soup) -> str:
    return json.loads(soup.find("script", id="carebase-config").string)["service"]
