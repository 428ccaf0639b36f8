"""German: stop words, letter folds and Snowball's German stemmer.

Stemmer: Snowball's German algorithm (snowballstem.org, version 3: "ae", "oe" and "ue"
count as umlauts, so *Rueckerstattung* and *Rückerstattung* stem alike) through PyStemmer,
the Snowball project's C binding: 30 times faster than the pure-Python ``snowballstemmer``
with the same stems (benchmarks/RESULTS.md, "Languages"). analyser.js has its own copy of
the algorithm ("snowball-german"); tests/sitesearch checks the two agree on every word of
pyspellchecker's German dictionary.

Stop words: Snowball's German list less the negations (*nicht*, *kein…*, *ohne*: "Heizung
geht nicht an" needs them), plus query filler (*bitte*) and the preposition *per* ("Rechnung per
Post", "per Lastschrift": Snowball's list holds *mit*, *durch*, *über*, not the Latin *per*; the gap
report listed it as a need's shared word). The analyser folds them like text
(*für* → *fur*), so they match folded words.
"""

from __future__ import annotations

import functools

LANGUAGE = "de"
STEMMER = "snowball-german"

STOP_WORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das
dass daß derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein
deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser
dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen einiger
einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe
haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in
indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann können könnte
man manche manchem manchen mancher manches mein meine meinem meinen meiner meines mit muss musste
nach noch nun nur ob oder sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind
so solche solchem solchen solcher solches soll sollte sondern sonst über um und uns unsere
unserem unseren unser unseres unter viel vom von vor während war waren warst was weil weiter
welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo wollen
wollte würde würden zu zum zur zwar zwischen bitte per
""".split())

#: Letters Unicode decomposition leaves alone (ä, ö, ü lose their dots by decomposition).
LETTER_FOLDS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                "ı": "i", "’": "'", "‘": "'", "ʼ": "'"}

#: Typos tolerated: none under 3 letters, one edit up to 4 letters, two from 5 letters on.
TYPO_EDITS = ((3, 1), (5, 2))


@functools.lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("german")


def stem(word: str) -> str:
    return _stemmer().stemWord(word)


#: pyspellchecker's German word list (340,000 words): tells words from gibberish.
DICTIONARY = "de"
