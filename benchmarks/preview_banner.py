"""The preview's problem banner: how soon after a save ``carebase serve`` shows a content error
in the page the writer has open, and how soon after the fix it is gone.

Copies a help centre (default: the demo, this repository's mkdocs.yml and content/), starts
``carebase serve --no-service`` on it on 127.0.0.1, opens an FAQ page in headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright) and, ``--rounds`` times: breaks the FAQ
file's YAML (a "[" left open) and waits until the banner shows in the open page ("shown"), then
restores the file and waits until the banner is gone and the page shows the FAQ again ("gone").
Each time is from the moment the file was written. A broken save is not applied (the content is
read before MkDocs empties the site folder), so "shown" is one read of the content; the fix is a
full build, so "gone" is one full build of the site.

    .venv/bin/python benchmarks/preview_banner.py --rounds 5
    .venv/bin/python benchmarks/preview_banner.py --config tests/site/fixtures/mkdocs.yml --faq faq/billing.yml --rounds 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(ROOT / "mkdocs.yml"), help="the help centre's mkdocs.yml")
    parser.add_argument("--faq", default="faq/billing.yml", help="the FAQ file to break, from the content folder")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    import yaml

    source = Path(args.config).resolve()
    docs = yaml.safe_load(source.read_text(encoding="utf-8")).get("docs_dir", "docs")
    work = Path(tempfile.mkdtemp(prefix="preview-banner-"))
    try:
        shutil.copy(source, work / "mkdocs.yml")
        shutil.copytree(source.parent / docs, work / docs)
        faq = work / docs / args.faq
        good = faq.read_text(encoding="utf-8")
        broken = good.replace("questions:\n", "questions: [\n", 1)
        assert broken != good, f"{args.faq} has no 'questions:' line"
        port = _port()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(work)}
        log = open(work / "serve.log", "w")
        proc = subprocess.Popen([sys.executable, "-m", "carebase", "serve", "--no-service", "-a", f"127.0.0.1:{port}"],
                                cwd=work, stdout=log, stderr=subprocess.STDOUT, env=env)
        site = f"http://127.0.0.1:{port}"
        page_url = f"{site}/{Path(args.faq).with_suffix('').as_posix()}/"
        started = time.monotonic()
        _wait(page_url, 900)
        print(f"first build: {time.monotonic() - started:.1f} s", file=sys.stderr)
        shown, gone = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--headless", "--no-sandbox", "--disable-background-networking"])
            page = browser.new_page()
            page.goto(page_url, wait_until="load")
            page.wait_for_function("window.__carebaseProblems === true")
            for round_ in range(args.rounds):
                written = time.monotonic()
                faq.write_text(broken, encoding="utf-8")
                page.wait_for_selector("#carebase-preview-problems", timeout=600_000)
                shown.append(time.monotonic() - written)
                written = time.monotonic()
                faq.write_text(good, encoding="utf-8")
                page.wait_for_selector("#carebase-preview-problems", state="detached", timeout=600_000)
                page.wait_for_selector("article details, article h1", timeout=600_000)
                gone.append(time.monotonic() - written)
                print(f"round {round_ + 1}: shown {shown[-1]:.2f} s, gone {gone[-1]:.2f} s", file=sys.stderr)
            browser.close()
        proc.terminate()
        proc.wait(30)
        log.close()
        print(f"| shown (save with an error → banner) | {statistics.median(shown):.2f} s | {max(shown):.2f} s |")
        print(f"| gone (fix → banner gone, page shown) | {statistics.median(gone):.2f} s | {max(gone):.2f} s |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
