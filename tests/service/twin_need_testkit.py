"""A help centre where a twin need votes a page down, beside a page that fails its own customers: posted
to a real ``carebase service`` (SQLite, ``--proxy-headers``, one address per customer) as the site's
events.js posts searches, clicks and votes. ``report.landed_votes`` must tell the two apart.

*Wrong exchange rate* answers card payments abroad; customers who withdrew cash abroad ask about the
exchange rate of a withdrawal (BANKING77's twin intents: no page covers it), search in words close to the
page's (0.65 similar by the small model: a "poor answer" before session 47), open it first and vote "No".
The page's own customers vote "Yes". *Card top up* fails its own customers: they search for it in its own
words, open it and vote it down.
"""

from __future__ import annotations

from pathlib import Path

import near_need_testkit
from near_need_testkit import journey, post_visits
from service_testkit import Service

CONTENT = {
    "categories.yml": "- id: payments\n  title: Payments\n- id: account\n  title: Account\n",
    "payments/card-payment-exchange-rate.md": (
        "---\ntitle: Wrong exchange rate\ncategory: payments\n"
        "summary: Why the exchange rate of a card payment abroad differs from the rate you saw.\n"
        "keywords: [exchange rate, card payment exchange rate, wrong rate]\n---\n\n"
        "When you pay by card in a foreign currency we convert the amount at the network's rate of the day.\n"),
    "payments/top-up-by-card.md": (
        "---\ntitle: Card top up\ncategory: payments\n"
        "summary: Add money to your account with a debit or credit card.\n"
        "keywords: [add money, top up with card]\n---\n\n"
        "Tap **Top up**, choose **Card** and enter the amount.\n"),
    "payments/refunds.md": (
        "---\ntitle: Refunds\ncategory: payments\nsummary: Ask for a refund within 30 days.\n"
        "keywords: [money back]\n---\n\nAsk for a refund within 30 days of your order.\n"),
    "payments/update-card.md": (
        "---\ntitle: Update your payment card\ncategory: payments\n"
        "summary: Change the card we charge for your plan.\nkeywords: [new card, expired card]\n---\n\n"
        "Open **Settings > Billing** and tap **Payment card**.\n"),
    "payments/invoices.md": (
        "---\ntitle: Download invoices\ncategory: payments\nsummary: Get a PDF of every invoice.\n"
        "keywords: [receipt, pdf]\n---\n\nOpen **Settings > Billing > Invoices**.\n"),
    "account/two-step-sign-in.md": (
        "---\ntitle: Turn on two-step sign-in\ncategory: account\n"
        "summary: Add a code from your phone to every sign-in.\nkeywords: [2fa, verification code]\n---\n\n"
        "Open **Settings > Security** and turn on **Two-step sign-in**.\n"),
}
RATE = "article:payments/card-payment-exchange-rate"
TOP_UP = "article:payments/top-up-by-card"
TOKEN = "lead-token-twin-need"

#: The twin need: the exchange rate of a cash withdrawal. Search shows the card payment page first.
TWIN = [("wrong exchange rate cash", 8), ("cash exchange rate wrong", 6), ("wrong exchange rate atm", 5),
        ("atm exchange rate wrong", 5)]
TWIN_SAID = ("This is about card payments, I took cash out", "Nothing about ATM withdrawals")
#: The page's own customers: they paid by card abroad, and it helps them.
RATE_OWN = [("wrong exchange rate", 14), ("card payment exchange rate wrong", 9), ("exchange rate", 5)]
RATE_OWN_NO = 2  # of them, "No"
#: A page that fails its own customers: they search for it in its own words, open it and vote it down.
TOP_UP_OWN = [("card top up", 12), ("top up with card", 8)]
TOP_UP_OWN_NO = 15  # of 20, "No"
#: Happy pages (a typical page's rate is low).
HAPPY = [("refund", "article:payments/refunds", 20, 1), ("update card", "article:payments/update-card", 20, 1),
         ("invoice pdf", "article:payments/invoices", 16, 1), ("two step sign in", "article:account/two-step-sign-in", 16, 1)]


def start(root: Path) -> Service:
    """The service over CONTENT (near_need_testkit's set-up, this kit's content and token)."""
    return near_need_testkit.start(root, CONTENT, TOKEN)


def post_customers(service: Service) -> dict:
    """Every customer's visit, each from its own address; returns what was posted, counted."""
    visits = []
    for wording, n in TWIN:
        visits += [journey(wording, RATE, False, reason="Didn't answer my question",
                            comment=TWIN_SAID[i % 2] if i < 2 else None) for i in range(n)]
    own = [journey(w, RATE, True) for w, n in RATE_OWN for _ in range(n)]
    for visit in own[:RATE_OWN_NO]:
        visit[2]["value"] = 0
    visits += own
    top_up = [journey(w, TOP_UP, True) for w, n in TOP_UP_OWN for _ in range(n)]
    for visit in top_up[:TOP_UP_OWN_NO]:
        visit[2].update(value=0, reason="Steps didn't work")
    visits += top_up
    for query, item, n, no in HAPPY:
        visits += [journey(query, item, i >= no) for i in range(n)]
    post_visits(service, visits)
    return {"twin": sum(n for _, n in TWIN), "rate_own": sum(n for _, n in RATE_OWN),
            "top_up": sum(n for _, n in TOP_UP_OWN)}
