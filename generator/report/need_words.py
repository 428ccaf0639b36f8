"""Which of a customer's words carry the need, for the words the report suggests to a writer
(a new article's keyword phrases, a findability row's customer words, a new file's name, the
keyword rows' words): English word classes, closed or derived by rule, never a list of seen
searches.

* **Negation** carries the need: "my top up didn't work" asks the opposite of "my top up
  works", so a phrase keeps "didn't" / "not" / "never" / "can't" … and the auxiliary before a
  "not" ("did not work"). The analyser's stop words hold "don't", "didn't", "doesn't" (search
  is better without them: RESULTS.md, "One text analyser"), so the phrases cannot use them.
* **Failure** carries it too ("failed", "declined", "stuck", "unable"): a row's titles tell a
  row of failed top-ups from one asking how to top up by the share of its searches saying that
  something did not work, in whichever of these words.
* **Conversation** carries none: what a customer says *to* the help centre rather than *about*
  the need — greetings and thanks, politeness, asking ("tell me", "explain", "I'd like to
  know"), wanting and needing ("I need", "I want"), trying ("I tried to"). English's speech-act,
  desire and cognition verbs and discourse markers: a closed class.
* **Adverbs made from adjectives** ("frequently", "separately", "immediately", "quickly") say
  how or how often, not what about: a word ending in "ly" the stemmer reads as an adjective's
  adverb (Porter's step 2 strips "-ently", "-ately", "-ously", "-ally" …), or whose base of 4+
  letters is an everyday word with no everyday plural (an adjective, not a noun: "quick" →
  "quickly" is an adverb, "month" → "monthly" and "friend" → "friendly" are not).
"""

from __future__ import annotations

#: the words of negation, as folded (an apostrophe kept: "didn't"; typed without one: "didnt")
NEGATIONS = frozenset("""
not no never nor cannot nothing none nobody nowhere neither without
didnt doesnt dont cant wont isnt arent wasnt werent havent hasnt hadnt couldnt wouldnt shouldnt
mustnt aint
""".split())

#: auxiliaries a "not" negates ("did not work", "is not showing"): kept before a "not"
AUXILIARIES = frozenset("""
do does did is are was were am be been has have had can could will would should must may might
""".split())

#: what a customer says to the help centre, not about the need (a closed class: greetings,
#: thanks, politeness, asking, telling, knowing, wanting, needing, trying, hedges)
CONVERSATION = frozenset("""
hi hello hey dear thanks thank thankyou thx cheers sorry ok okay yes yeah please pls plz kindly
help helps helping helped assist assistance
need needs needed needing want wanted wanting wish wished like liked love require required
tell telling told explain explaining explained know knowing knew
understand understanding wonder wondering wondered curious idea clue sure guess think thought
mean means meant ask asking asked question questions query queries
try trying tried attempt attempted attempting
possible possibly able way anyone someone somebody anybody guys
actually really just still also even already basically literally maybe perhaps
""".split())


#: words that say something went wrong ("failed", "declined", "stuck", "unable"): with the
#: negations, what a row of failures shares however each customer words it
FAILURE = frozenset("""
fail fails failed failing failure unsuccessful unsuccessfully decline declines declined declining
reject rejects rejected refuse refuses refused deny denies denied unable stuck error errors problem
problems trouble troubles wrong broken
""".split())


def is_failure(word: str) -> bool:
    """Whether a folded word says a thing did not happen or went wrong: a negation or a word of
    ``FAILURE``."""
    return is_negation(word) or word in FAILURE


_FAILING = NEGATIONS | FAILURE


def says_failure(typed: set, searches) -> bool:
    """Whether a wording group says something did not work: a word of it (``typed``: its words
    as the report read them, stop words left out) negates or says failure, or one of its
    ``searches`` holds a contraction in "n't" (a stop word: "didn't", "doesn't")."""
    return not _FAILING.isdisjoint(typed) or any("n't" in q or "n’t" in q or "N'T" in q for q in searches)


def is_negation(word: str) -> bool:
    """Whether a folded word negates: a word of ``NEGATIONS`` or a contraction in "n't"."""
    return word in NEGATIONS or word.endswith("n't")


def is_conversation(word: str) -> bool:
    return word in CONVERSATION


def is_adverb(word: str, analyser) -> bool:
    """Whether a folded word is an adverb made from an adjective (see the module's docstring)."""
    if len(word) < 6 or not word.endswith("ly"):
        return False
    if not analyser.stem(word).endswith("li"):
        return True  # the stemmer took "-ly" off: "frequently" → "frequent", "separately" → "separ"
    base = word[:-3] + "y" if word.endswith("ily") else word[:-2]
    return len(base) >= 4 and analyser.is_ordinary(base) and not analyser.is_ordinary(base + "s")


def need_words(typed: list[str], keep) -> list[str]:
    """The words of ``typed`` (folded, in order) that carry the need: those ``keep(word)``
    accepts that are no conversation, and every negation with the auxiliary before a "not"
    ("my top up did not work" → "top up did not work" when ``keep`` drops "my") unless no word
    kept follows it."""
    out = []
    for i, w in enumerate(typed):
        if is_negation(w):
            if w == "not" and i and typed[i - 1] in AUXILIARIES and (not out or out[-1] != typed[i - 1]):
                out.append(typed[i - 1])
            out.append(w)
        elif not is_conversation(w) and keep(w):
            out.append(w)
    while out and is_negation(out[-1]):
        out.pop()  # it negates nothing kept: "close my account, I don't like it" → "close account"
        if out and out[-1] in AUXILIARIES:
            out.pop()  # … nor its auxiliary
    return out
