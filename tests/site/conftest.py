"""Shared fixtures for the site tests: a small catalogue built from the content model."""

from __future__ import annotations

import datetime as dt

import pytest

from carebase.content.model import (
    Article, Caption, Catalogue, Category, Chapter, Cue, FaqGroup, FaqQuestion, Video, VideoSource,
)
from carebase.pages.context import Contact, SiteContext


def _q(group: str, anchor: str, question: str, answer: str, **kw) -> FaqQuestion:
    return FaqQuestion(id=f"faq:{group}#{anchor}", group_id=f"faq:{group}", anchor=anchor,
                       question=question, answer=answer, path=f"faq/{group}.yml", line=3, **kw)


def sample_catalogue() -> Catalogue:
    articles = (
        Article(id="article:billing/refunds", path="billing/refunds.md", title="Refunds",
                body="# Refunds\n\nWe refund within 14 days.\n", body_line=5,
                summary="How and when we refund a payment.", category="billing",
                keywords=("chargeback",), related=("faq:billing#can-i-get-a-refund",), revision="r1"),
        Article(id="article:billing/invoices", path="billing/invoices.md", title="Download invoices",
                body="Invoices are in Settings.", body_line=4, summary="Find and download invoices.",
                category="billing", tags=("invoice",), revision="r2"),
        Article(id="article:account/password", path="account/password.md", title="Reset your password",
                body="Use the reset link.", body_line=4, summary="Get back into your account.",
                category="account", revision="r3"),
        Article(id="article:account/secret", path="account/secret.md", title="Draft page",
                body="draft", body_line=4, category="account", draft=True),
    )
    billing = FaqGroup(
        id="faq:billing", path="faq/billing.yml", title="Billing questions", category="billing",
        summary="Payments, refunds and invoices.",
        questions=(
            _q("billing", "can-i-get-a-refund", "Can I get a refund?",
               "Yes, within **14 days**. See [refunds](../billing/refunds.md).",
               keywords=("reimbursement",), revision="q1"),
            _q("billing", "which-cards", "Which cards do you accept?", "Visa and Mastercard.", revision="q2"),
        ),
    )
    videos = (
        Video(id="video:setup-basics", path="videos/setup-basics.yml", title="Setting up your account",
              source=VideoSource("youtube", "https://www.youtube.com/watch?v=abc123XYZ", "abc123XYZ"),
              summary="A tour of the first steps.", category="account", duration=185,
              chapters=(Chapter(0, "Welcome"), Chapter(42, "Create a workspace"), Chapter(120, "Invite your team")),
              transcript=(Cue(0, 5, "Hello and welcome."), Cue(45, 50, "Click the new workspace button."),
                          Cue(125, 130, "Send invitations to colleagues.")),
              published=dt.date(2026, 5, 1), revision="v1"),
        Video(id="video:local-tour", path="videos/local-tour.yml", title="Local tour",
              source=VideoSource("file", "media/tour.mp4"), category="billing", duration=20,
              chapters=(Chapter(0, "Start"), Chapter(10, "Billing page")),
              captions=(Caption("media/tour.en.vtt", "en", "English"),),
              published=dt.date(2026, 6, 1), revision="v2"),
    )
    return Catalogue(
        root="/nonexistent", articles=articles, faqs=(billing,), videos=videos,
        categories=(Category("billing", "Billing", "Payments and invoices", order=1),
                    Category("account", "Account", "Sign-in and settings", order=2)),
        synonyms=(("refund", "money back", "reimburse"), ("invite", "add people")),
    )


@pytest.fixture
def ctx() -> SiteContext:
    return SiteContext(catalogue=sample_catalogue(), site_name="Acme help",
                       site_url="https://help.example.com/",
                       contact=Contact(email="help@example.com", phone="+1 555 0100", chat_url="https://chat.example.com"))




# -- a real `mkdocs build --strict` of the fixture help centre, shared by the session ----------
import shutil
from pathlib import Path

from site_testkit import FIXTURES, mkdocs_build
from once_testkit import once
from tiers_testkit import real_build
from web_testkit import StaticServer


@pytest.fixture(scope="session")
@real_build
def built_site(tmp_path_factory) -> Path:
    """The fixture help centre built with --strict into a temporary folder (built once for the
    run by whichever worker process asks first, tests/once_testkit.py; each reads its own copy)."""

    def build(work: Path) -> None:
        shutil.copytree(FIXTURES, work / "project")
        result = mkdocs_build(work / "project" / "mkdocs.yml", work / "site")
        assert result.returncode == 0, result.stderr

    site = tmp_path_factory.mktemp("built") / "site"
    shutil.copytree(once(tmp_path_factory, "site-fixture-build", build) / "site", site)
    return site


@pytest.fixture(scope="session")
def site_server(built_site):
    """The built site served by a real http.server on 127.0.0.1 (a free port)."""
    server = StaticServer(built_site)
    yield server.url.rstrip("/")
    server.close()
