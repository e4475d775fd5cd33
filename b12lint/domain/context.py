"""Free text read in context: whole-word phrase matching with ConText/NegEx modifiers.

A chart's indication is short clinical prose: "denies fatigue", "s/p gastric bypass for weight
loss", "pemetrexed completed 2023", "family history of pernicious anemia". A phrase found in it
counts only when it is *affirmed*: matched as whole words (``"dietary"`` is not ``"diet"``) and
not in the scope of a negation, history or other-experiencer trigger. The algorithm is NegEx
(Chapman et al., J Biomed Inform 2001;34:301-10) as generalised by ConText (Harkema et al., J
Biomed Inform 2009;42:839-51): triggers look forward or backward over a bounded number of words
within one sentence; a termination term ends their scope; a pseudo-trigger ("no change",
"prior to") is a trigger look-alike that modifies nothing. The trigger lists are rule-pack data
(``context`` table), so a pack can extend them; this module is only the algorithm.

Time is linear in the text: one scan tokenises it (one regular expression whose alternatives
cannot backtrack), phrases are looked up by their first word, and each target looks at a
bounded window of triggers. Texts are cut to :data:`MAX_CHARS`. Imported only when a rule first
calls it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: Characters of a text that are read (an indication is a line; a chart dump is cut here).
MAX_CHARS = 4096

#: The modifier categories of ConText that make a mention not count.
CATEGORIES = ("negated", "historical", "other_experiencer")

# One token per match: a two-letter/two-letter slash abbreviation (s/p, h/o, w/o), a run of
# letters and digits with inner apostrophes (crohn's), or a sentence end (; ! ? a line break, a
# "." before a space). Each alternative is a run of one character class whose ends are fixed
# by characters outside it: no backtracking, linear in the text.
_TOKEN = re.compile(
    r"(?<![^\W_])[^\W\d_]{1,2}/[^\W\d_]{1,2}(?![^\W_])"
    r"|[^\W_]+(?:['\u2019][^\W_]+)*"
    r"|[;!?\n\r]|\.(?=\s|\Z)"
)
_ENDS = frozenset(";!?\n\r.")


class Token:
    """One word: its lower-case text, character span and sentence number."""

    __slots__ = ("end", "sentence", "start", "text")

    def __init__(self, text: str, start: int, end: int, sentence: int) -> None:
        self.text, self.start, self.end, self.sentence = text, start, end, sentence


class _Scan:
    """A text's words as parallel tuples (what matching reads)."""

    __slots__ = ("ends", "sentences", "starts", "words")

    def __init__(
        self,
        words: tuple[str, ...],
        starts: tuple[int, ...],
        ends: tuple[int, ...],
        sentences: tuple[int, ...],
    ) -> None:
        self.words, self.starts, self.ends, self.sentences = words, starts, ends, sentences


_EMPTY = _Scan((), (), (), ())
_last: tuple[str, _Scan] = ("", _EMPTY)


def _scan(text: str) -> _Scan:
    """Tokenise ``text`` (remembering the last text: the rules ask about one indication
    several times in a row)."""
    global _last
    seen, scanned = _last
    if seen == text:
        return scanned
    found_words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    sentences: list[int] = []
    sentence = 0
    for match in _TOKEN.finditer(text, 0, MAX_CHARS):
        word = match.group()
        if word in _ENDS:
            sentence += 1
            continue
        found_words.append(word.lower().replace("\u2019", "'"))
        starts.append(match.start())
        ends.append(match.end())
        sentences.append(sentence)
    scanned = _Scan(tuple(found_words), tuple(starts), tuple(ends), tuple(sentences))
    _last = (text, scanned)
    return scanned


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` (its first :data:`MAX_CHARS` characters) with their sentences.

    A word is a run of letters and digits, with inner apostrophes (``crohn's``); ``/`` joins
    two runs of at most two letters (``s/p``, ``h/o``, ``w/o``) but splits longer ones
    (``energy/weight``); other punctuation splits. Sentences end at ``; ! ?``, a line break,
    or a ``.`` followed by a space or the end (not at a ``:``: ``PMH: gastric bypass`` keeps
    its heading's scope).
    """
    scanned = _scan(text)
    return [
        Token(*parts)
        for parts in zip(scanned.words, scanned.starts, scanned.ends, scanned.sentences,
                         strict=True)
    ]  # fmt: skip


def words(phrase: str) -> tuple[str, ...]:
    """A data phrase as the word tuple the tokenizer makes of it."""
    return _scan(phrase).words


class _Entry:
    """One listed phrase's role (phrases listed twice merge into one :class:`_Phrase`)."""

    __slots__ = ("backward", "category", "forward", "role")

    def __init__(
        self, role: str, category: str = "", forward: bool = False, backward: bool = False
    ) -> None:
        self.role = role  # target | trigger | pseudo | termination
        self.category, self.forward, self.backward = category, forward, backward


class Mention:
    """A target phrase found in a text, with the modifiers that apply to it."""

    __slots__ = ("end", "modifiers", "phrase", "start")

    def __init__(self, phrase: str, start: int, end: int, modifiers: frozenset[str]) -> None:
        self.phrase = phrase
        """The matched words of the text, as written (the finding quotes it)."""
        self.start = start
        """Character offset of the first matched word."""
        self.end = end
        """Character offset past the last matched word."""
        self.modifiers = modifiers

    @property
    def affirmed(self) -> bool:
        """Whether no negation, history or other-experiencer trigger applies."""
        return not self.modifiers


class _Phrase:
    """All entries that share one word sequence, merged: a target, a termination term, the
    categories it triggers forward and backward (a pseudo-trigger is none of these)."""

    __slots__ = ("backward", "forward", "target", "terminates", "words")

    def __init__(
        self,
        words: tuple[str, ...],
        target: bool,
        terminates: bool,
        forward: frozenset[str],
        backward: frozenset[str],
    ) -> None:
        self.words, self.target, self.terminates = words, target, terminates
        self.forward, self.backward = forward, backward


class _Hit:
    """A phrase found in a text at words ``first`` up to ``past``."""

    __slots__ = ("first", "past", "phrase")

    def __init__(self, first: int, past: int, phrase: _Phrase) -> None:
        self.first, self.past, self.phrase = first, past, phrase


#: Answers a matcher remembers, for texts of at most MEMO_TEXT characters.
MEMO_SIZE, MEMO_TEXT = 512, 200


class Matcher:
    """Target phrases and a trigger lexicon compiled for repeated matching."""

    def __init__(self, targets: Iterable[str], lexicon: Mapping[str, object]) -> None:
        self.max_scope = _scope(lexicon.get("max_scope"))
        self._affirmed: dict[tuple[str, frozenset[str]], str | None] = {}
        """Answers of :meth:`first_affirmed` for short texts (a batch repeats its
        indications): at most :data:`MEMO_SIZE` texts of at most :data:`MEMO_TEXT` characters."""
        grouped: dict[tuple[str, ...], list[_Entry]] = {}

        def add(phrase: object, entry: _Entry) -> None:
            if not isinstance(phrase, str):
                raise ValueError(f"a phrase must be text, not {phrase!r}")
            key = words(phrase)
            if not key:
                raise ValueError(f"phrase {phrase!r} has no words")
            grouped.setdefault(key, []).append(entry)

        for phrase in targets:
            add(phrase, _Entry("target"))
        triggers = lexicon.get("triggers") or {}
        if not isinstance(triggers, Mapping):
            raise ValueError("context triggers must be a mapping of category to directions")
        for category, directions in triggers.items():
            if category not in CATEGORIES:
                raise ValueError(f"unknown context category {category!r} (known: {CATEGORIES})")
            if not isinstance(directions, Mapping):
                raise ValueError(f"{category}: expected forward/backward lists")
            for direction, phrases in directions.items():
                if direction not in ("forward", "backward", "both"):
                    raise ValueError(f"{category}: unknown direction {direction!r}")
                fwd = direction in ("forward", "both")
                bwd = direction in ("backward", "both")
                for phrase in _strings(phrases, f"{category}.{direction}"):
                    add(phrase, _Entry("trigger", category, fwd, bwd))
        for phrase in _strings(lexicon.get("pseudo") or (), "pseudo"):
            add(phrase, _Entry("pseudo"))
        for phrase in _strings(lexicon.get("termination") or (), "termination"):
            add(phrase, _Entry("termination"))
        index: dict[str, list[_Phrase]] = {}
        for key, entries in grouped.items():
            index.setdefault(key[0], []).append(
                _Phrase(
                    key,
                    any(e.role == "target" for e in entries),
                    any(e.role == "termination" for e in entries),
                    frozenset(e.category for e in entries if e.role == "trigger" and e.forward),
                    frozenset(e.category for e in entries if e.role == "trigger" and e.backward),
                )
            )
        for phrases in index.values():
            phrases.sort(key=lambda p: -len(p.words))  # longest first
        self._index = index

    def mentions(self, text: str) -> list[Mention]:
        """Every target phrase in ``text``, leftmost-longest, with its modifiers."""
        scanned = _scan(text)
        hits = self._hits(scanned)
        out = []
        for k, hit in enumerate(hits):
            if hit.phrase.target:
                start, end = scanned.starts[hit.first], scanned.ends[hit.past - 1]
                modifiers = self._modifiers(scanned.sentences, hits, k)
                out.append(Mention(text[start:end], start, end, modifiers))
        return out

    def first_affirmed(
        self, text: str, disqualify: frozenset[str] = frozenset(CATEGORIES)
    ) -> str | None:
        """The first target phrase of ``text`` (as written) that no ``disqualify`` modifier
        applies to, or None. By default every modifier disqualifies; a chronic condition
        stays the patient's when it is history ("h/o pernicious anemia", "s/p gastrectomy"),
        so a caller reading covered conditions disqualifies only negation and other people.
        """
        key = (text, disqualify)
        try:
            return self._affirmed[key]
        except KeyError:
            pass
        found = None
        for mention in self.mentions(text):
            if not mention.modifiers & disqualify:
                found = mention.phrase
                break
        if len(text) <= MEMO_TEXT:
            if len(self._affirmed) >= MEMO_SIZE:
                self._affirmed.clear()
            self._affirmed[key] = found
        return found

    def _hits(self, scanned: _Scan) -> list[_Hit]:
        """Phrases of the text, leftmost-longest, none overlapping, none across sentences."""
        text_words, sentences = scanned.words, scanned.sentences
        count = len(text_words)
        index = self._index
        hits: list[_Hit] = []
        i = 0
        while i < count:
            candidates = index.get(text_words[i])
            found = None
            if candidates:
                for phrase in candidates:
                    n = len(phrase.words)
                    past = i + n
                    if (
                        past <= count
                        and sentences[past - 1] == sentences[i]
                        and text_words[i:past] == phrase.words
                    ):
                        found = phrase
                        break
            if found is None:
                i += 1
                continue
            past = i + len(found.words)
            hits.append(_Hit(i, past, found))
            i = past
        return hits

    def _modifiers(self, sentences: tuple[int, ...], hits: list[_Hit], k: int) -> frozenset[str]:
        """ConText: forward triggers before the target and backward triggers after it, nearest
        first, within ``max_scope`` words of one sentence, until a termination term."""
        target = hits[k]
        sentence = sentences[target.first]
        modifiers: set[str] = set()
        for forward, indices in ((True, range(k - 1, -1, -1)), (False, range(k + 1, len(hits)))):
            for j in indices:
                hit = hits[j]
                gap = target.first - hit.past if forward else hit.first - target.past
                if sentences[hit.first] != sentence or gap >= self.max_scope:
                    break
                if hit.phrase.terminates:
                    break
                modifiers |= hit.phrase.forward if forward else hit.phrase.backward
        return frozenset(modifiers)


def _scope(value: object) -> int:
    if value is None:
        return 8
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50:
        raise ValueError(f"context max_scope must be a whole number of words 1-50, not {value!r}")
    return value


def _strings(value: object, where: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError(f"context {where}: expected a list of phrases")
    items = list(value)
    if not all(isinstance(item, str) for item in items):
        raise ValueError(f"context {where}: every phrase must be text")
    return items


_CACHE: dict[tuple[int, int], tuple[object, object, Matcher]] = {}


def matcher_for(targets: object, lexicon: object) -> Matcher:
    """The compiled matcher of a (targets, lexicon) pair, remembered while both live.

    Rule data are long-lived constants, so the identity of the two objects is the key (the
    cache holds them, so an id cannot be reused while its entry exists).
    """
    key = (id(targets), id(lexicon))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is targets and hit[1] is lexicon:
        return hit[2]
    if isinstance(targets, str) or not isinstance(targets, Iterable):
        raise ValueError("the target phrases must be a list of text")
    if not isinstance(lexicon, Mapping):
        raise ValueError("the context lexicon must be a mapping")
    matcher = Matcher(_strings(targets, "targets"), lexicon)
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[key] = (targets, lexicon, matcher)
    return matcher


def affirmed_phrase(
    text: object, targets: object, lexicon: object, disqualify: object = CATEGORIES
) -> str | None:
    """The first of ``targets`` that ``text`` affirms (whole words; not negated, not history,
    about the patient: the ``disqualify`` categories, all by default), as written in the text;
    None when there is none or the text is not text.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    return matcher_for(targets, lexicon).first_affirmed(text, _categories(disqualify))


def _categories(value: object) -> frozenset[str]:
    if isinstance(value, frozenset):
        return value
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError("the modifiers that disqualify a mention must be a list of categories")
    found = frozenset(value)
    unknown = found - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown context categories {sorted(unknown)} (known: {CATEGORIES})")
    return found
