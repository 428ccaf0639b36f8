"""A block blocks what the lead meant: its word, the word's forms, typos, look-alike letters and
the word split in two (tests/learned/test_learned_ties.py), but never a word of its own that
happens to lie within a typo of it: a word of the help centre ("refurb" on a site that sells
refurbs, beside a block of "refund"), or a word customers use widely for other items ("klara", a
bank's app, beside a block of "klarna"). A word written wholly in Cyrillic look-alikes ("рау")
is the Latin word it imitates; a Russian word ("карта") is not, and a Russian help centre still
learns its own words."""

from __future__ import annotations

import pytest

from carebase.learned.blocks import Block, Blocks, add_block, site_vocabulary
from carebase.learned.model import Settings, learn
from carebase.learned.phrases import key_of, lookalike_latin, normalise, phrases

REFUNDS = "article:billing/refunds"
REFURBS = "article:shop/refurbished-phones"
PAY = "article:billing/pay-later"
KLARA = "article:accounts/klara-app"
CARD = "article:karta/karta-ne-rabotaet"


def ties_of(store, vocabulary=frozenset()):
    snapshot = learn(store.engine, Settings(), now_ms=store.clock + 1, vocabulary=vocabulary)
    return {(t.key, t.item_id): (t.journeys, t.clients) for t in snapshot.ties}


def blocked_ties(store, phrase: str = "klarna", item_id: str | None = PAY):
    """The ties learned once a lead blocked ``phrase`` (for ``item_id``; None: every item)."""
    with store.engine.begin() as conn:
        add_block(conn, phrase, item_id=item_id)
    return ties_of(store)


def teach(store, wording: str, item: str, clients: int, tag: str) -> None:
    for n in range(clients):
        store.add(f"j-{tag}-{n}", f"client-{tag}-{n}", ("search", wording), ("click", item, wording))


@pytest.mark.slow  # a real build output (its search index)
def test_a_word_of_the_help_centre_is_not_a_typo_of_a_blocked_word(store, tmp_path):
    """The help centre's own index says "refurb" is a word of it (an article's title): a block of
    "refund" for every item takes out "refund", "refunds" and "refundd" but leaves "refurb"."""
    from carebase.content import load_catalogue
    from carebase.output import open_output

    content = tmp_path / "content"
    (content / "shop").mkdir(parents=True)
    (content / "shop" / "refurbished-phones.md").write_text(
        "---\ntitle: Refurb phones\nkeywords: [refurb]\n---\n\n# Refurb phones\n\nEvery refurb is tested.\n")
    (content / "billing").mkdir()
    (content / "billing" / "refunds.md").write_text("---\ntitle: Refunds\n---\n\n# Refunds\n\nMoney back.\n")
    searcher = open_output(tmp_path / "site-data", load_catalogue(content)).searcher()
    vocabulary = site_vocabulary(searcher)
    assert "refurb" in vocabulary and "refundd" not in vocabulary

    teach(store, "refurb battery life", REFURBS, 3, "refurb")
    teach(store, "refundd battery", REFURBS, 3, "typo")
    with store.engine.begin() as conn:
        add_block(conn, "refund")  # every item
    ties = ties_of(store, vocabulary)
    assert ("refurb", REFURBS) in ties and ("refurb batteri", REFURBS) in ties
    assert not [key for key, _ in ties if "refund" in key]  # its typo is still the blocked word
    # without the help centre's words (a store with no build output) "refurb" reads as a typo
    assert not [key for key, _ in ties_of(store) if "refurb" in key]


def test_a_word_customers_use_widely_for_other_items_is_not_a_typo_of_a_blocked_word(store):
    """Five clients reach the Klara app's article with "klara"; three reach the pay-later article
    with "klara" too. A lead's block of "klarna" for the pay-later article keeps "klara" there (it
    is the customers' word for something else), while a typo taught only for the blocked item
    ("klarnna", "klrana") stays blocked, and a block for every item has no other item to weigh."""
    teach(store, "klara login", KLARA, 5, "app")
    teach(store, "klara instalments", PAY, 3, "pay")
    teach(store, "klarnna instalments", PAY, 3, "typo")
    teach(store, "klrana instalments", PAY, 3, "swap")
    ties = blocked_ties(store)
    assert ties[("klara", PAY)] == (3, 3) and ("klara instal", PAY) in ties
    assert not [key for key, item in ties if item == PAY and ("klarnna" in key or "klrana" in key)]
    assert ties[("klara", KLARA)] == (5, 5)


def test_a_common_typo_is_not_a_word_of_its_own_however_many_use_it(store):
    """Six clients reach the Klara app's article with "klarnaa" — and "klarna" itself reaches it too:
    a typo customers share, not a word of its own. It stays blocked for the pay-later article."""
    teach(store, "klarna login", KLARA, 2, "real")
    teach(store, "klarnaa login", KLARA, 6, "common")
    teach(store, "klarnaa instalments", PAY, 3, "pay")
    ties = blocked_ties(store)
    assert not [key for key, item in ties if item == PAY and "klarn" in key]
    assert ties[("klarnaa", KLARA)] == (6, 6)


def test_few_clients_elsewhere_do_not_make_a_typo_a_word_of_its_own(store):
    """An attacker's typo of the blocked word, used for another item by fewer than five clients, or
    by no more clients there than for the blocked item, stays the blocked word."""
    teach(store, "klarnaa help", KLARA, 4, "few")
    teach(store, "klarnaa instalments", PAY, 3, "few-pay")
    teach(store, "klarnq help", KLARA, 5, "even")
    teach(store, "klarnq instalments", PAY, 5, "even-pay")
    ties = blocked_ties(store)
    assert not [key for key, item in ties if item == PAY and "klarn" in key]
    assert ("klarnaa", KLARA) in ties and ("klarnq", KLARA) in ties  # the block is for the other item only


def test_a_word_wholly_in_cyrillic_look_alikes_is_the_latin_word_but_a_russian_word_is_not():
    """"рау" and "тах" (every letter Cyrillic, drawn like p, a, y / t, a, x) hold blocks of "pay" and
    "tax", in capitals too; "карта" and "море" (Russian words made of look-alike letters only) are
    never read as "kapta" or "mope"; a word mixing other Cyrillic letters is never folded."""
    blocks = Blocks([Block(1, "pay", key_of("pay"), None, 0, None), Block(2, "tax", key_of("tax"), None, 0, None),
                     Block(3, "mope", key_of("mope"), None, 0, None), Block(4, "kapta", key_of("kapta"), None, 0, None)])
    held = ["рау", "РАУ", "how to рау", "тах refund", "ТАХ"]
    assert [w for w in held if blocks.allows(normalise(w), PAY)] == []
    kept = ["карта", "море", "моя карта", "такси", "payment"]
    assert [w for w in kept if not blocks.allows(normalise(w), PAY)] == []
    assert lookalike_latin("рау") == "pay" and lookalike_latin("карта") is None and lookalike_latin("такси") is None
    # a help centre's own word is its word, whatever its letters
    assert Blocks([Block(1, "pay", key_of("pay"), None, 0, None)], {"рау"}).allows(normalise("рау"), PAY)


def test_a_russian_help_centre_learns_its_own_words_beside_blocks_of_latin_words(store):
    """Russian wordings are learned as typed (no folding to Latin look-alikes), with blocks of
    "pay" and "kapta" in force: "карта" (card) is a Russian word, not "kapta" written in Cyrillic."""
    teach(store, "карта не работает", CARD, 3, "ru")
    teach(store, "рау карта", CARD, 3, "attack")
    with store.engine.begin() as conn:
        add_block(conn, "pay")
        add_block(conn, "kapta")
    ties = ties_of(store)
    assert ties[("карта", CARD)] == (3, 3) and ties[("работает", CARD)] == (3, 3)
    assert "карта" in phrases("карта не работает")
    assert not [key for key, _ in ties if "рау" in key or "pay" in key]  # the look-alike "pay" stayed blocked


def test_the_clients_that_teach_the_typo_for_the_blocked_item_do_not_make_it_a_word_of_its_own(store):
    """The reader's finding 2 (session 41): the same five clients use the typo "klarma" for an
    unrelated article and four of them for the pay-later one. Fails on 5d35a91 (5 clients
    elsewhere > 4 for the blocked item: "klarma" came back for the blocked item)."""
    teach(store, "klarma help", "article:accounts/anything", 5, "x")
    teach(store, "klarma instalments", PAY, 4, "x")
    ties = blocked_ties(store)
    assert not [key for key, item in ties if item == PAY and "klarm" in key]
    assert ("klarma", "article:accounts/anything") in ties  # the block is for the pay-later item only


def test_one_address_over_five_salt_epochs_is_one_client_for_a_word_of_its_own(store):
    """One address on five days (a new salted hash each day: five epochs) is one client, not the
    five a word of its own needs. Fails on 5d35a91, which counted the five (epoch, hash) pairs."""
    for day in range(5):
        store.add(f"j-other-{day}", f"hash-of-day-{day}", ("search", "klarma help"),
                  ("click", "article:accounts/anything", "klarma help"), epoch=f"epoch-{day}")
    for n, who in enumerate(("a", "b", "a")):
        store.add(f"j-pay-{n}", f"hash-{who}", ("search", "klarma instalments"),
                  ("click", PAY, "klarma instalments"), epoch="epoch-9")
    ties = blocked_ties(store)
    assert not [key for key, item in ties if item == PAY and "klarm" in key]


@pytest.mark.slow  # a whole report
def test_the_report_reads_the_help_centres_words_as_the_service_does(store, tmp_path):
    """The reader's finding 6 (session 41): the report applied the lead's blocks without the help
    centre's words, so "customers reach this with" dropped "refurb" as a typo of a blocked
    "refund" while the service learns it (fails on 5d35a91). A content edit that takes the word
    out of the help centre changes the answer on the same store (the memo is per vocabulary)."""
    from carebase.content import load_catalogue
    from carebase.report.build import build_report
    from carebase.report.links import SourceLinks
    from carebase.report.period import resolve

    content = tmp_path / "content"
    (content / "shop").mkdir(parents=True)
    refurbs = content / "shop" / "refurbished-phones.md"
    refurbs.write_text("---\ntitle: Refurb phones\nkeywords: [refurb]\n---\n\n# Refurb phones\n\nEvery refurb is tested.\n")
    (content / "billing").mkdir()
    (content / "billing" / "refunds.md").write_text("---\ntitle: Refunds\n---\n\n# Refunds\n\nMoney back.\n")
    teach(store, "refurb battery life", REFURBS, 3, "refurb")
    with store.engine.begin() as conn:
        add_block(conn, "refund")  # every item
    periods = resolve(None, None, None, None, latest_ms=store.clock + 1)

    def reach() -> set:
        report = build_report(load_catalogue(content), store.engine, periods, SourceLinks(content, tmp_path / "out"),
                              min_votes=1, cache_dir=tmp_path / "cache")
        return {p["phrase"] for row in report["missing"]["learned"] if row["id"] == REFURBS for p in row["reach_with"]}

    assert "refurb" in reach()
    assert "refurb" in reach()  # read back from the memo
    refurbs.write_text("---\ntitle: Second-hand phones\n---\n\n# Second-hand phones\n\nEvery phone is tested.\n")
    assert not {p for p in reach() if "refurb" in p}  # no longer a word of the help centre: a typo of the block
