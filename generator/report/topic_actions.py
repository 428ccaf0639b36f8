"""One action per topic of failed searches: gap, findability, poor answer or filled.

``Classifier.decide`` gives every topic exactly one status (so a topic is never both
"retag X" and "write an article"), from the evidence in ``topic_evidence``:

* ``filled``       most searches of these wordings succeed, or the item journeys reached is
                   now the first result for most of the topic's typical wordings (listed
                   apart, not in the backlog);
* ``poor answer``  … and customers who reached it said "No" or contacted support;
* ``findability``  an item answers it (journeys reached it, or its title/summary/keywords
                   are similar enough) but these searches do not find it: add the
                   customers' words to its keywords;
* ``gap``          no item answers it: write an article. An item merely similar to the
                   topic that search already shows on the first page of results (``SHOWN``)
                   for most of its typical wordings, which these customers did not take, is
                   no answer either: a findability problem is an answer search does not show.
                   Nor is a page its customers opened and voted down while the page's own
                   customers are helped by it (a twin need, ``landed_votes``): a poor answer
                   or findability verdict on it becomes a gap naming that page (``near_page``) —
                   unless the row's customers are like the page's helped customers (its own
                   unhappy few: ``landed_votes`` condition 4). A page the row's failed searches
                   opened and voted "No" (``EVIDENCE_MIN`` journeys, ``EVIDENCE_SHARE`` of them)
                   is the answer they took, as journeys that reached an item are.
"""

from __future__ import annotations

import re
from collections import Counter

from carebase.report.failing import item_location, item_url
from carebase.report.findability import MIN_JOURNEYS, counted_words
from carebase.report.need_words import AUXILIARIES, is_failure, is_negation, need_words, says_failure
from carebase.report.normalise import STOP_WORDS, words
from carebase.report.replay import headline_text
from carebase.report.scoring import similarity_text
from carebase.report.substitution import partner as pair_word
from carebase.report.substitution import substitution
from carebase.report.topic_evidence import EVIDENCE_MIN, EVIDENCE_SHARE, evidence_item, most_similar, reached_items
from carebase.report.topics import SHARED_SHARE
from carebase.service.masking import MARKERS


def file_slug(label: str, limit: int = 60) -> str:
    """A new article's file name from its row's label: the label's words but stop words and
    conversation, negations kept (``need_words``: "my top up didn't work" → top-up-didnt-work), joined by
    hyphens, apostrophes dropped ("wasn't" → "wasnt": a file name and page address a writer can
    type), cut after a whole word within ``limit`` characters."""
    slug = ""
    for word in (w.replace("'", "") for w in need_words(words(label), lambda w: w not in STOP_WORDS)):
        longer = f"{slug}-{word}" if slug else word[:limit]
        if len(longer) > limit:
            break
        slug = longer
    return slug or "new-article"


MOSTLY_FOUND = 0.5  # a topic whose searches mostly succeed is not missing content
REPLAYED = 3  # typical wordings replayed per topic
#: Results a customer is shown at once (the search page's first page). An item merely similar
#: to a topic that these results hold for most of its typical wordings was passed over: no
#: answer. Chosen on half A (benchmarks/search/topic_evidence_calibration.py: removed topics
#: called gap 0.81 when only the first result counted, 1.00 with the first 10; RESULTS.md).
SHOWN = 10


class Classifier:
    def __init__(self, catalogue, normaliser, replayer, links, item_vectors, threshold: float, blocks=None,
                 landed=None):
        self.blocks = blocks  # carebase.learned.blocks.Blocks: pairings a lead marked wrong
        self.landed = landed  # carebase.report.landed_votes.LandedVotes: a twin need is a gap (None: not asked)
        self.catalogue = catalogue
        self.normaliser = normaliser
        self.replayer = replayer
        self.links = links
        self.item_vectors = item_vectors  # items → rows (the topics' kind of vector)
        self.threshold = threshold
        self._heads: dict[str, set] = {}
        self._titles: dict[int, tuple] = {}  # id(topic) → (topic, its short title)
        self._dismissed: dict[int, tuple[set, bool]] = {}

    def title(self, topic) -> str:
        """The row's short title (``short_title``), made once."""
        known = self._titles.get(id(topic))
        if known is None or known[0] is not topic:
            known = self._titles[id(topic)] = (topic, short_title(topic, self.normaliser))
        return known[1]

    def head(self, item) -> set:
        if item.id not in self._heads:
            self._heads[item.id] = self.normaliser.stems_of(headline_text(item))
        return self._heads[item.id]

    def item_ref(self, item, **extra) -> dict:
        path, line, category = item_location(self.catalogue, item)
        return {"id": item.id, "kind": item.kind, "title": item.title, "url": item_url(item),
                "category": category, "source": self.links.source(path, line), **extra}

    def dismissed(self, topic, item) -> bool:
        """A lead marked this pairing wrong: a block (carebase.learned.blocks, the one list that
        also keeps search from learning it) covers the item (or every item) for the wordings
        of at least half of the topic's failed searches, weighed as heard (``Cluster.heard_of``:
        by clients when counted by client, so one client repeating an unblocked wording cannot
        undo a lead's block)."""
        if item is None or not self.blocks:
            return False
        cached = self._dismissed.get(id(topic))
        if cached is None:
            from carebase.learned.phrases import key_of

            covered: Counter = Counter()
            heard = 0
            for m in topic.members:
                for q in m.queries:
                    key, n = key_of(q), m.heard_of(q)
                    heard += n
                    for target in {b.item_id for b in self.blocks.blocks if b.applies(key, b.item_id or "")}:
                        covered[target] += n
            half = max(1, heard) / 2
            cached = self._dismissed[id(topic)] = ({i for i, n in covered.items() if n >= half},
                                                    covered.get(None, 0) >= half)
        items, every = cached
        return every or item.id in items

    def _replay(self, topic) -> list[tuple[object, list]]:
        """(wording, [(item, score)…]) for the topic's most typical wordings."""
        out = []
        for member in topic.typical(REPLAYED):
            hits = []
            for item_id, score in self.replayer.search(member.label(), limit=SHOWN):
                item = self.catalogue.get(item_id)
                if item is not None and all(h[0].id != item.id for h in hits):
                    hits.append((item, score))
            out.append((member, hits))
        return out

    def decide(self, topic, reached, counted: int | None = None, found: int | None = None,
               clients: tuple[int, int] | None = None) -> dict:
        """``counted``: the topic's failed searches counted by client (``missing.counted``), what
        the journeys that reached an item (counted by client too) are a share of. ``found``: its
        successful searches counted by client the same way (``missing.topic_found``): then
        "mostly found" compares the two counts, so one client's repeated successful searches
        weigh one customer and cannot outvote the customers who failed; None (fewer than two
        client hashes): the raw searches, as before. ``clients``: (clients that failed, clients
        that found), ``missing.topic_found_clients``: with counts by client, "mostly found" also
        needs more clients that found than clients that failed, so a gap's customers are never
        outvoted by fewer clients repeating successful searches (three addresses, 40 searches,
        against six customers)."""
        replays = self._replay(topic)
        hits = replays[0][1] if replays else []
        result: dict = {"replay": [self.item_ref(item, score=round(score, 3)) for item, score in hits[:3]]}
        searches = topic.total("searches")
        outvoted = False  # by fewer clients than failed
        if found is None or counted is None:
            failed_side, found_side, by = topic.failed, searches - topic.failed, ""
        else:
            failed_side, found_side = counted, found
            by = f"; counted by client {found} of {found + counted}"
            if clients is not None:
                outvoted = not clients[0] < MOSTLY_FOUND * sum(clients)
                by += f"; found by {clients[1]} clients, failed by {clients[0]}"
        if failed_side < MOSTLY_FOUND * (failed_side + found_side) and not outvoted and hits:
            result.update(status="filled", closest=self.item_ref(hits[0][0]),
                          action=f"Most of these searches succeed ({searches - topic.failed} of {searches}{by})")
            return result
        items, journeys_to, partners = reached_items(topic, reached)
        dismissed = []
        if self.blocks:
            dismissed = [i for i in items if self.dismissed(topic, self.catalogue.get(i))]
            items = Counter({i: n for i, n in items.items() if i not in dismissed})
        answer, journeys = evidence_item(topic, items, self.catalogue, counted)
        # the medoid's top five, every typical wording's first result, the journeys' answer
        found = [item for item, _ in hits[:5]] + [h[0][0] for _, h in replays[1:] if h]
        candidates = list(dict.fromkeys(found + ([answer] if answer else [])))
        candidates = [c for c in self.item_vectors.candidates(candidates) if not self.dismissed(topic, c)]
        similar, similarity = most_similar(topic, candidates, self.item_vectors.matrix(candidates))
        result["evidence"] = {
            "reached": [{"id": i, "journeys": journeys_to[i], "counted": n} for i, n in items.most_common(3)],
            "most_similar": {"id": similar.id, "title": similar.title, "similarity": round(similarity, 3)} if similar else None,
            "threshold": self.threshold,
            "dismissed": [{"id": i, "title": self.catalogue.get(i).title} for i in dismissed],
        }
        first_hits = [h[0][0].id if h else None for _, h in replays]
        pages = [{item.id for item, _ in h} for _, h in replays]

        def shown_first(item) -> bool:
            return bool(first_hits) and sum(i == item.id for i in first_hits) * 2 > len(first_hits)

        def shown(item) -> bool:  # on the first page of results for most typical wordings
            return bool(pages) and sum(item.id in page for page in pages) * 2 > len(pages)

        took_it = topic.total("bad") + topic.total("contact") >= 0.5 * topic.failed  # clicked, then "No"/contact
        if answer is not None and journeys_to[answer.id] != journeys:  # counted by client
            why = (f"{journeys} clients ({journeys_to[answer.id]} journeys) of "
                   f"{topic.failed if counted is None else counted} counted failed searches "
                   "went on to reach it")
        elif answer is not None:
            why = f"{journeys} of {topic.failed} failed searches went on to reach it"
        elif similar is not None and similarity >= self.threshold and (took_it or not shown(similar)):
            answer = similar
            why = (f"its title, summary and keywords are {similarity:.2f} similar to these searches "
                   f"(threshold {self.threshold:.2f})")
        elif took_it and self.landed is not None and similar is not None:
            # the page these searches opened and voted down is the answer they took (harness H4): the
            # journeys' evidence rule, "reached" counting only journeys that ended helped
            # a page failing its own customers too is page_needs.fold's (its Fix row holds the need)
            down = self.landed.voted_down(topic, similar) if self.landed.helps_own(topic, similar) else 0
            if down >= EVIDENCE_MIN and down >= EVIDENCE_SHARE * (topic.failed if counted is None else counted):
                answer = similar
                why = f"{down} of {topic.failed} failed searches opened it, then voted it down"
        if answer is None:
            # similar, but search already shows it and customers did not take it: no answer
            passed_over = similar is not None and similarity >= self.threshold
            result.update(self._gap(topic, similar, similarity, passed_over))
            return result
        if took_it and self.landed is not None:  # a twin need: its customers voted the page down (landed_votes)
            near = self.landed.twin(topic, answer, "poor answer" if shown_first(answer) else "findability")
            if near is not None:
                result.update(self._gap(topic, answer, 0.0, landed=near))
                return result
        if shown_first(answer):
            if took_it:
                result.update(status="poor answer", closest=self.item_ref(answer, why=why),
                              action=f"Customers find “{answer.title}” but it does not solve it: see failing content")
            else:
                result.update(status="filled", closest=self.item_ref(answer, why=why),
                              action=f"Answered by “{answer.title}” in the current content")
            return result
        result.update(self._findability(topic, answer, why, partners.get(answer.id, Counter())))
        return result

    def _customer_words(self, topic, item) -> list[str]:
        head = self.head(item)
        missing = []
        for member in topic.typical(len(topic.members)):
            for query in member.ranked_queries()[:2]:  # most heard: one client's repeats count once
                if all(s in head for s in self.normaliser.analyse(query).key):
                    continue
                phrase = " ".join(need_words(words(query), self._plain))
                if phrase and phrase not in missing:
                    missing.append(phrase)
            if len(missing) >= 3:
                break
        return missing[:3]

    def _plain(self, word: str) -> bool:
        """A word a customer's phrase keeps (``need_words`` adds negations, drops conversation):
        no stop word, no typo."""
        return word not in STOP_WORDS and self.normaliser.corrections.get(word, word) == word

    def _stems(self, query: str) -> dict[str, str]:
        """stem → word of a search's words as counted: the keyword rows' split (``findability.counted_words``)."""
        return counted_words(self.normaliser, query)

    def _findability(self, topic, item, why: str, partners: Counter) -> dict:
        phrases = self._customer_words(topic, item)
        keywords = list(item.keywords) + [p for p in phrases if p not in item.keywords]
        synonyms = []
        if phrases and partners:
            # the item's word the follow-up searches swapped for a word of the customer's phrase,
            # else the one their rephrases added most alike in meaning (substitution.py)
            head = self.head(item)
            own = phrases[0].split()
            pool: Counter = Counter()
            swaps: dict[str, Counter] = {}
            for (query, next_query), n in partners.items():
                before, after = self._stems(query), self._stems(next_query)
                for s, w in after.items():  # the item's words the follow-up added (findability.Suggester's partners)
                    if s in head and s not in before and w not in own:
                        pool[w] += n
                swap = substitution(before, after)
                if swap is not None and swap[1] in head and before[swap[0]] in own:
                    swaps.setdefault(before[swap[0]], Counter())[after[swap[1]]] += n
            # the keyword rows' rule (findability.Suggester): one client's swaps make no group
            enough = {"least": MIN_JOURNEYS, "follow_ups": sum(partners.values())}
            if swaps:
                said, counts = max(swaps.items(), key=lambda kv: (sum(kv[1].values()), kv[0]))
                best = pair_word(said, counts, Counter(), **enough)
                synonyms = [said, best] if best else []
            elif pool:
                best = pair_word(phrases[0], Counter(), pool, **enough)
                synonyms = [phrases[0], best] if best else []
        where = "the question's" if item.kind == "faq" else "the front matter's"
        said = phrases[0] if phrases else topic.medoid().label()
        return {"status": "findability", "closest": self.item_ref(item, why=why),
                "action": f"Customers say “{said}”, “{item.title}” does not: add it to {where} keywords",
                "suggestion": {"keywords": "keywords: [" + ", ".join(keywords) + "]", "synonyms": synonyms,
                               "customer_words": phrases}}

    def _gap(self, topic, nearest, similarity: float, passed_over: bool = False, landed: dict | None = None) -> dict:
        title = self.title(topic)
        closest, category = None, ""
        if landed is not None:  # the page its customers opened and voted down: not their answer
            closest = self.item_ref(nearest, why="the page these searches opened, then voted down: another need's")
            category = closest["category"]
        elif nearest is not None and similarity > 0:
            why = (f"{similarity:.2f} similar, but search shows it for these searches and customers did not "
                   "take it" if passed_over else f"nearest, {similarity_text(similarity, self.threshold)} similar (below {self.threshold:.2f})")
            closest = self.item_ref(nearest, why=why)
            category = closest["category"]
        slug = file_slug(title)  # the row's short title: "Changing my PIN" → changing-pin.md
        new_path = f"{category}/{slug}.md" if category else f"{slug}.md"
        variants = keyword_phrases(topic, self.normaliser)
        out = {"status": "gap", "closest": closest, "action": f"Write an article about “{title}”",
               "suggestion": {"path": new_path, "title": title, "keywords": variants,
                              "href": self.links.new_file_href(new_path)}}
        if landed is not None:
            out["near_page"] = landed
        return out


def topic_label(topic) -> str:
    """The medoid's wording, unless only typos spell it: then the topic's most heard wording
    typed without a typo (``Cluster.heard_of``: by clients when counted by client)."""
    medoid = topic.medoid()
    if any(q not in medoid.typos for q in medoid.queries):
        return medoid.label()
    clean: dict[str, list[int]] = {}  # lower-cased wording → [heard, failed searches]
    for m in topic.members:
        for q, n in m.queries.items():
            if q not in m.typos:
                form = clean.setdefault(" ".join(q.lower().split()), [0, 0])
                form[0] += m.heard_of(q)
                form[1] += n
    return min(clean.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[0] if clean else medoid.label()


TITLE_CHARS = 60  # a row's title is cut on a word within this many characters ("…")
TITLE_WORDINGS = 40  # the most typical wordings a row's title is chosen from
PHRASE_WORDS = 4  # a suggested keyword phrase: at most this many words
PHRASES = 4  # keyword phrases suggested for a new article


def _shared_stems(topic) -> set[str]:
    """The stems at least ``topics.SHARED_SHARE`` of the row's searches hold (as heard): its
    "shared words"; the two most held when none is (``Topic.shared_stems``)."""
    return {s for s, _ in topic.shared_stems()}


#: Words that open a clause continuing another ("…, but don't have a PIN", "…, however my card
#: has been declined"): English's coordinating and concessive conjunctions, a closed class. A
#: clause opening with one is no title on its own; its whole sentence still is.
CONTINUING = frozenset({"and", "but", "or", "so", "yet", "nor", "however", "although", "though", "because"})


_CLAUSE_BREAK = re.compile(r",\s+|\s+[-–—]+\s+")  # a leading clause ends at a comma or a dash between spaces


def _clauses(query: str) -> list[str]:
    """A wording's sentences (cut at . ? ! ; a "." before a space but not after a single letter,
    after a space or before a capital and a small letter ("with me .Is it", "me.Is it"), so "a
    U.S. card", "amazon.com" and "e.g. for" stay whole; ? ! ; also when typed without a space:
    "ATM ?I am") and,
    of each, what follows a leading clause ("Hi, I tried to top up …", "Hello - I'm on the app …"
    → also "I tried to top up …", "I'm on the app …") unless it opens with a conjunction (``CONTINUING``)."""
    out = []
    for sentence in re.split(r"(?<=[?!;])\s*(?=[^\W\d_])|(?<=\.)(?<!\b[^\W\d_]\.)\s+(?=[^\W\d_])|(?<=\s\.)(?=[^\W\d_])|(?<=\.)(?=[^\W\d_a-z][^\W\dA-Z_])",
                            " ".join(query.split())):
        sentence = sentence.strip(" .;,")
        first = True
        while sentence:
            if first or sentence.split(" ", 1)[0].lower() not in CONTINUING:
                out.append(sentence)
            first = False
            sep = _CLAUSE_BREAK.search(sentence)
            sentence = sentence[sep.end():] if sep else ""
    return out


def sentence_case(text: str) -> str:
    """First letter upper case, the pronoun "i" (and "i'm", "i've" …) as "I"; the rest as typed."""
    text = re.sub(r"(?<![\w'])i(?=$|[\s,.?!;:]|['’](?:m|ve|d|ll)\b)", "I", text)
    return text[:1].upper() + text[1:]


def cut_on_word(text: str, limit: int = TITLE_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


_MASKED = re.compile("|".join(map(re.escape, MARKERS)))  # what the service's masker puts for what it hides

#: the title's mark of a wording saying something did not work ("didn't", "not", "failed",
#: "declined" …: ``need_words.is_failure``), as if one more stem: never a stem (a space inside)
FAILED = " failed"


def _need_key(text: str, normaliser) -> set[str]:
    """A wording's stems as the analyser keys it, and ``FAILED`` when a word of it says something
    did not work (the key has no "didn't": a stop word)."""
    key = set(normaliser.analyse(text).key)
    if any(is_failure(w) for w in words(text)):
        key.add(FAILED)
    return key


def _title_shared(topic, normaliser) -> set[str]:
    """The row's shared stems (``Topic.shared_stems``: in at least ``topics.SHARED_SHARE`` of its
    searches, as heard; the two most held when none is), ``FAILED`` counted as one of them: a
    row of failed top-ups worded "didn't work", "declined", "failed" … shares that it failed."""
    counts: Counter = Counter()
    total = 0
    for m in topic.members:  # by the words already read (no analysis: a row may hold thousands of wordings)
        failed = (FAILED,) if says_failure(m.words, m.queries) else ()
        counts.update(dict.fromkeys((*m.key, *failed), m.voice))
        total += m.voice
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shared = {s for s, n in ranked if n / max(1, total) >= SHARED_SHARE}
    return shared or {s for s, _ in ranked[:2]}


#: Words that join two clauses ("My card was declined at a restaurant today | and I am not sure
#: why"): a long clause is shortened before the last one within ``TITLE_CHARS`` that a clause's
#: subject follows (``SUBJECTS``), or at a comma, semicolon, colon or dash. Not "that", "if",
#: "when", "which": "charged for | that transaction", "tell me | if my card …" would cut a phrase.
PHRASE_OPENERS = frozenset("and but or so because cause cos although though while whereas".split())
SUBJECTS = frozenset("i i'm i've i'd it it's they we you he she my the this there now".split())
_BOUNDARY = re.compile(r"\s*[,;:]\s+|\s+[-–—]+\s+|\s+(?=(?:" + "|".join(sorted(PHRASE_OPENERS)) + r")\s+(?:"
                       + "|".join(re.escape(w) for w in sorted(SUBJECTS)) + r")\b)", re.IGNORECASE)
SHORTEST = 12  # characters a title shortened at a phrase's end keeps at least


def fit(text: str, limit: int = TITLE_CHARS) -> tuple[str, bool]:
    """(the text within ``limit`` characters, whether it was cut mid-phrase): whole when it fits
    (a conjunction it ends with dropped);
    else up to the last phrase boundary within the limit (a comma, a dash, a conjunction before
    a clause's subject: ``PHRASE_OPENERS``) that leaves at least ``SHORTEST`` characters, a whole
    phrase with no "…"; else cut on a word with "…" (``cut_on_word``)."""
    text = _unjoined(text)
    if len(text) <= limit:
        return text, False
    ends = [m.start() for m in _BOUNDARY.finditer(text[: limit + 1]) if m.start() >= SHORTEST]
    if ends:
        return _unjoined(text[: ends[-1]]), False
    return cut_on_word(text, limit), True


def _unjoined(text: str) -> str:
    """The text without a conjunction it ends with ("… a few days ago and": the customer stopped
    there, or a dash followed it)."""
    text = text.rstrip(" ,;:-–—")
    while " " in text and text.rsplit(" ", 1)[-1].lower() in PHRASE_OPENERS:
        text = text.rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return text


def short_title(topic, normaliser) -> str:
    """A row's title in a few words, from its evidence: among the sentences and clauses of its
    most typical wordings typed without a typo or a masked value (``TITLE_WORDINGS``), each as
    it would be shown (``fit``: a long one shortened at a phrase's end within ``TITLE_CHARS``
    characters), one not cut mid-phrase, then the one holding most of the row's shared words
    (``_title_shared``: "it failed" is one of them when most of its searches say so), then the
    fewest other words, then the most typical; sentence case. "my card payment was reverted" →
    "My card payment was reverted"; "hi, i tried to top up my card today and it did not work.
    i have tried it …" → its clause that says the need in the fewest other words; a row most of
    whose searches say "I can't prove my identity" is not titled "Why should I prove my
    identity?"."""
    shared = _title_shared(topic, normaliser)
    spelling = Spelling(topic, normaliser)
    best, best_score = None, None
    order = 0
    for m in topic.typical(min(len(topic.members), TITLE_WORDINGS)):
        clean = [q for q in m.ranked_queries() if q not in m.typos and not _MASKED.search(q)] or m.ranked_queries()
        for query in clean[:3]:
            for clause in _clauses(query):
                shown, cut = fit(sentence_case(normaliser.cased(spelling.corrected(clause).rstrip(" .,;"))))
                key = _need_key(shown, normaliser)
                words_ = len(shown.split())
                score = (cut, spelling.misspelt(shown), -len(key & shared), len(key - shared), words_ > 12, words_, order)
                order += 1
                if best_score is None or score < best_score:
                    best, best_score = shown, score
    return best if best is not None else fit(sentence_case(normaliser.cased(topic_label(topic).rstrip(" .,;"))))[0]


_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # a word as typed, inner apostrophes kept


class Spelling:
    """A row's title reads as the need, not as one customer's slip (session 41's audit; "I
    don't understanfd how to top up", "Where is my money that I transfered?!"). A word of a
    wording is **misspelt** when it is neither a word of the help centre nor of the language's
    dictionary (``Analyser.is_word``) and the analyser corrects it (its typo rule,
    ``Normaliser.corrections``: the form search and the row's key already use) or the row's
    customers typed such a word within the analyser's edit distance of it ("transfered" beside
    "transferred"). Every clause a title may be made of is written with those corrections (the
    analyser's, else the row's nearest spelling, the most typed of those; never a longer or
    shorter form of the word itself, "cheques" for "cheque"). A word typed in capitals ("USD")
    is a code or a name, never a slip. A real word typed for another ("ass" for "as", "wheres" for "where's") is
    not caught: the dictionary holds it."""

    def __init__(self, topic, normaliser):
        self.normaliser = normaliser
        self.analyser = normaliser.analyser
        self.typed: Counter = Counter()
        for m in topic.members:
            for q in m.queries:
                self.typed.update(self.analyser.words(q, keep_stop_words=True))
        self._known: dict[str, str | None] = {}

    def _sound(self, word: str) -> bool:
        a = self.analyser
        return a.is_stop(word) or word in self.normaliser.vocabulary or a.is_word(word)

    def _better(self, word: str) -> str | None:
        """The spelling a misspelt folded word stands for ("" when misspelt with no better one
        known), None when it is no slip."""
        if word not in self._known:
            fixed = None
            if not self._sound(word):
                fixed = self.normaliser.corrections.get(word)
            if fixed is None and not self._sound(word) and len(word) > 3:
                limit = self.analyser.max_edits(word)
                near = [(self.analyser.distance(word, v, limit), -n, v) for v, n in self.typed.items()
                        if v[:1] == word[:1] and not (v.startswith(word) or word.startswith(v)) and self._sound(v)]
                near = [d for d in near if d[0] <= limit]
                if near:  # the nearest of the row's spellings, the most typed of those
                    fixed = min(near)[2]
            self._known[word] = fixed
        return self._known[word]

    def _folded(self, typed: str) -> str:
        """A typed word folded, "" for one in capitals ("USD", "GBP": a code or a name, never a slip)."""
        if len(typed) > 1 and typed.isupper():
            return ""
        return " ".join(self.analyser.words(typed, keep_stop_words=True))

    def misspelt(self, text: str) -> bool:
        """Whether a (corrected) text still holds a misspelt word."""
        return any(self._better(self._folded(m.group(0))) is not None for m in _TOKEN.finditer(text))

    def corrected(self, text: str) -> str:
        def fix(match: re.Match) -> str:
            typed = match.group(0)
            better = self._better(self._folded(typed))
            if not better:
                return typed
            return better.capitalize() if typed[:1].isupper() else better
        return _TOKEN.sub(fix, text)


def keyword_phrases(topic, normaliser) -> list[str]:
    """A new article's suggested keywords: short phrases from the row's most typical wordings,
    their words that carry the need (``need_words``: no stop words, typos or conversation —
    "tell", "need", "want", "please" —; negations kept, "didn't work" is the need) in the order
    typed, at most ``PHRASE_WORDS`` words (a longer wording gives its negations and the words
    of it the row shares, ``_short``), lower case, each once: "my card payment was reverted" →
    "card payment reverted", "my top up didn't work" → "top up didn't work". Never a whole
    sentence."""
    shared = _shared_stems(topic)
    out: list[str] = []
    seen: set = set()  # the phrases' stems: "card top up failed" once, however its words are ordered

    def plain(w: str) -> bool:
        return w not in STOP_WORDS and normaliser.corrections.get(w, w) == w and "'" not in w

    for m in topic.typical(min(len(topic.members), TITLE_WORDINGS)):
        kept = list(dict.fromkeys(need_words(words(m.label()), plain)))  # "not working, not working" → once
        if len(kept) > PHRASE_WORDS:
            kept = _short(kept, shared, normaliser)
        phrase = " ".join(kept)
        stems = frozenset(normaliser.analyser.stem(w) for w in kept)
        if phrase and stems not in seen:
            seen.add(stems)
            out.append(phrase)
        if len(out) >= PHRASES:
            break
    return out


def _short(kept: list[str], shared: set[str], normaliser) -> list[str]:
    """At most ``PHRASE_WORDS`` of a phrase's words, in order, each stem once: its first negation
    with the word it negates (the next), or its first failure word ("failing", "declined"), first; then the words of the row's shared stems; then a
    "not"'s auxiliary if there is room ("can you tell me why my top up did not work" → "top up
    not work")."""
    stem = normaliser.analyser.stem
    order, stems = [], set()
    for w in kept:
        if is_negation(w) or stem(w) not in stems:
            order.append(w)
            stems.add(stem(w))
    kept = order
    chosen: list[int] = []

    def take(i: int) -> None:
        if i not in chosen and len(chosen) < PHRASE_WORDS:
            chosen.append(i)

    first = next((i for i, w in enumerate(kept) if is_failure(w)), None)
    if first is not None:  # "didn't work", "not arrived", "failing": what went wrong
        take(first)
        if is_negation(kept[first]) and first + 1 < len(kept):
            take(first + 1)
    for i, w in enumerate(kept):
        if stem(w) in shared and w not in AUXILIARIES:
            take(i)
    for i, w in enumerate(kept):
        if w in AUXILIARIES and i + 1 < len(kept) and kept[i + 1] == "not" and i + 1 in chosen:
            take(i)
    return [kept[i] for i in sorted(chosen)]
