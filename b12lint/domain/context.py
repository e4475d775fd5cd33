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

Time is linear in the text: one scan tokenises it (no regular expression), phrases are looked
up by their first word, and each target looks at a bounded window of triggers. Texts are cut to
:data:`MAX_CHARS`. Imported only when a rule first calls it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Characters of a text that are read (an indication is a line; a chart dump is cut here).
MAX_CHARS = 4096

#: The modifier categories of ConText that make a mention not count.
CATEGORIES = ("negated", "historical", "other_experiencer")

_SENTENCE_END = frozenset(";!?\n\r")
_APOSTROPHES = {"\u2019": "'", "\u2018": "'"}


@dataclass(frozen=True, slots=True)
class Token:
    """One word: its lower-case text, character span and sentence number."""

    text: str
    start: int
    end: int
    sentence: int


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` in one linear scan.

    A word is a run of letters, digits and apostrophes; ``/`` joins two short letter runs
    (``s/p``, ``h/o``, ``w/o``) but splits longer ones (``energy/weight``). Sentences end at
    ``; ! ?``, a line break, or a ``.`` followed by a space or the end (not at a ``:``:
    ``PMH: gastric bypass`` keeps its heading's scope).
    """
    text = text[:MAX_CHARS]
    tokens: list[Token] = []
    sentence = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch.isalnum() or ch in "'\u2019":
            start = i
            while i < n and (text[i].isalnum() or text[i] in "'\u2019"):
                i += 1
            # s/p, h/o: a slash between two runs of at most two letters joins them
            while (
                i + 1 < n
                and text[i] == "/"
                and text[i + 1].isalpha()
                and i - start <= 2
                and text[start:i].isalpha()
            ):
                j = i + 1
                while j < n and text[j].isalpha():
                    j += 1
                if j - (i + 1) > 2 or (j < n and (text[j].isalnum() or text[j] in "'\u2019")):
                    break
                i = j
            word = text[start:i].lower()
            for curly, plain in _APOSTROPHES.items():
                word = word.replace(curly, plain)
            word = word.strip("'")
            if word:
                tokens.append(Token(word, start, i, sentence))
            continue
        if ch in _SENTENCE_END or (ch == "." and (i + 1 == n or text[i + 1].isspace())):
            sentence += 1
        i += 1
    return tokens


def words(phrase: str) -> tuple[str, ...]:
    """A data phrase as the word tuple the tokenizer makes of it."""
    return tuple(t.text for t in tokenize(phrase))


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    role: str  # target | trigger | pseudo | termination
    category: str = ""
    forward: bool = False
    backward: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """A target phrase found in a text, with the modifiers that apply to it."""

    phrase: str
    """The matched words of the text, as written (the finding quotes it)."""
    start: int
    """Character offset of the first matched word."""
    end: int
    """Character offset past the last matched word."""
    modifiers: frozenset[str]

    @property
    def affirmed(self) -> bool:
        """Whether no negation, history or other-experiencer trigger applies."""
        return not self.modifiers


class Matcher:
    """Target phrases and a trigger lexicon compiled for repeated matching."""

    def __init__(self, targets: Iterable[str], lexicon: Mapping[str, object]) -> None:
        self.max_scope = _scope(lexicon.get("max_scope"))
        index: dict[str, list[_Entry]] = {}

        def add(phrase: object, entry: _Entry) -> None:
            if not isinstance(phrase, str):
                raise ValueError(f"a phrase must be text, not {phrase!r}")
            key = words(phrase)
            if not key:
                raise ValueError(f"phrase {phrase!r} has no words")
            index.setdefault(key[0], []).append(
                _Entry(key, entry.role, entry.category, entry.forward, entry.backward)
            )

        for phrase in targets:
            add(phrase, _Entry((), "target"))
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
                    add(phrase, _Entry((), "trigger", category, fwd, bwd))
        for phrase in _strings(lexicon.get("pseudo") or (), "pseudo"):
            add(phrase, _Entry((), "pseudo"))
        for phrase in _strings(lexicon.get("termination") or (), "termination"):
            add(phrase, _Entry((), "termination"))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e.words))
        self._index = index

    def mentions(self, text: str) -> list[Mention]:
        """Every target phrase in ``text``, leftmost-longest, with its modifiers."""
        tokens = tokenize(text)
        found: list[tuple[int, int, list[_Entry]]] = []  # (first token, past-last token, entries)
        i = 0
        while i < len(tokens):
            hit = self._longest(tokens, i)
            if hit is None:
                i += 1
                continue
            length, entries = hit
            found.append((i, i + length, entries))
            i += length
        out = []
        for k, (first, past, entries) in enumerate(found):
            if not any(e.role == "target" for e in entries):
                continue
            modifiers = self._modifiers(tokens, found, k)
            start, end = tokens[first].start, tokens[past - 1].end
            out.append(Mention(text[start:end], start, end, frozenset(modifiers)))
        return out

    def first_affirmed(self, text: str) -> str | None:
        """The first affirmed target phrase of ``text`` as written, or None."""
        for mention in self.mentions(text):
            if mention.affirmed:
                return mention.phrase
        return None

    def _longest(self, tokens: list[Token], i: int) -> tuple[int, list[_Entry]] | None:
        candidates = self._index.get(tokens[i].text)
        if not candidates:
            return None
        sentence = tokens[i].sentence
        for entry in candidates:  # longest first
            n = len(entry.words)
            if i + n > len(tokens) or tokens[i + n - 1].sentence != sentence:
                continue
            if all(tokens[i + j].text == entry.words[j] for j in range(1, n)):
                same = [
                    e
                    for e in candidates
                    if len(e.words) == n
                    and all(tokens[i + j].text == e.words[j] for j in range(1, n))
                ]
                return n, same
        return None

    def _modifiers(
        self, tokens: list[Token], found: list[tuple[int, int, list[_Entry]]], k: int
    ) -> set[str]:
        first, past, _ = found[k]
        sentence = tokens[first].sentence
        modifiers: set[str] = set()
        # forward triggers before the target, nearest first, until a termination term
        for j in range(k - 1, -1, -1):
            t_first, t_past, entries = found[j]
            if tokens[t_first].sentence != sentence or first - t_past >= self.max_scope:
                break
            if any(e.role == "termination" for e in entries):
                break
            modifiers.update(e.category for e in entries if e.role == "trigger" and e.forward)
        # backward triggers after the target, nearest first, until a termination term
        for j in range(k + 1, len(found)):
            t_first, t_past, entries = found[j]
            if tokens[t_first].sentence != sentence or t_first - past >= self.max_scope:
                break
            if any(e.role == "termination" for e in entries):
                break
            modifiers.update(e.category for e in entries if e.role == "trigger" and e.backward)
        return modifiers


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


def affirmed_phrase(text: object, targets: object, lexicon: object) -> str | None:
    """The first of ``targets`` that ``text`` affirms (whole words, not negated, not history,
    about the patient), as written in the text; None when there is none or the text is not text.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    return matcher_for(targets, lexicon).first_affirmed(text)
