"""A small help centre built from the content model, shared by the search tests."""

from carebase.content.model import (
    Article, Catalogue, Chapter, Cue, FaqGroup, FaqQuestion, Video, VideoSource,
)


def _article(path, title, body, **kw):
    return Article(id="article:" + path[:-3], path=path, title=title, body=body, body_line=4,
                   category=path.split("/")[0], **kw)


def help_centre() -> Catalogue:
    articles = (
        _article("billing/refunds.md", "Getting your money back",
                 "## When we pay you back\nWe refund a card payment when the shop agrees. "
                 "Ask for a refund in the app under Payments.\n\n## How long it takes\n"
                 "Refunds reach your account in 5 to 10 working days.",
                 summary="How refunds work and how long they take"),
        _article("cards/lost-card.md", "Lost or stolen card",
                 "Freeze your card in the app straight away, then order a replacement card. "
                 "We send the new card within 3 working days.", tags=("security",)),
        _article("cards/activate.md", "Activating your new card",
                 "When your card arrives, open the app and tap Activate. Enter the last "
                 "four digits printed on the card."),
        _article("account/close.md", "Closing your account",
                 "You can close your account at any time from Settings. Move your balance "
                 "out first.", keywords=("delete account",)),
        _article("account/personal-details.md", "Changing your personal details",
                 "Update your address, name or phone number in Settings > Profile."),
        _article("transfers/international.md", "Sending money abroad",
                 "International transfers use the exchange rate shown before you confirm. "
                 "A small fee applies to transfers in other currencies: 1% & a minimum "
                 "of 1 euro when you send < 100 euros."),
    )
    faq = FaqGroup(
        id="faq:cards", path="faq/cards.yml", title="Cards", category="cards",
        questions=(
            FaqQuestion(id="faq:cards#is-there-a-card-fee", group_id="faq:cards",
                        anchor="is-there-a-card-fee", question="Is there a fee for the card?",
                        answer="The first card is free. A replacement card costs 5 euros.",
                        path="faq/cards.yml", line=4),
            FaqQuestion(id="faq:cards#can-i-use-apple-pay", group_id="faq:cards",
                        anchor="can-i-use-apple-pay", question="Can I use Apple Pay or Google Pay?",
                        answer="Yes: add your card to your phone's wallet from the app.",
                        path="faq/cards.yml", line=9),
        ),
    )
    video = Video(
        id="video:getting-started", path="videos/getting-started.yml",
        title="Getting started with the app",
        source=VideoSource("youtube", "https://www.youtube.com/watch?v=abc", "abc"),
        summary="A tour of the app for new customers.", category="account",
        chapters=(Chapter(0, "Installing the app"), Chapter(95, "Topping up your account")),
        transcript=(
            Cue(2, 9, "Download the app from your phone's app store and sign in."),
            Cue(96, 110, "To top up, tap Add money and choose a bank transfer or a debit card."),
        ),
    )
    synonyms = (("refund", "money back", "reimburse"), ("close", "terminate", "cancel"),
                ("top up", "add money", "load"))
    return Catalogue(root="content", articles=articles, faqs=(faq,), videos=(video,),
                     synonyms=synonyms)
