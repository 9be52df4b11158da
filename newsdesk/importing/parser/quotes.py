"""Quotes: words in quotation marks and who said them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.importing.parser.bylines import NAME, NAME_TOKEN
from newsdesk.importing.parser.text import ParsedQuote
from newsdesk.importing.parser.wordlists import lines, words

_SPEECH_VERBS = "|".join(lines("speech_verbs"))
_QUOTE_SPAN_RE = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
_PRONOUNS = {"he", "she", "they", "we", "i", "it"}
_ORG_WORDS = words("org_words")
_DETERMINERS_RE = re.compile(r"^(?:another|a|an|the|one|also)\s+", re.IGNORECASE)
_TITLE_ROLE_RE = re.compile(
    r"^(?P<title>[\w\s’'-]+?)\s+(?:for|at|of|with|from|in)\s+(?P<org>(?:the\s+)?[A-Z].*)$"
)
_PERSON_NAME_RE = re.compile(rf"^{NAME}$")
_NAME_AT_END_RE = re.compile(
    rf"(?P<prefix>^|.*?\s)(?P<name>[A-Z][\w’'.-]*(?: {NAME_TOKEN}){{0,4}})$"
)
_NAME_OF_ORG_RE = re.compile(
    rf"^(?P<name>[A-Z][\w’'.-]*(?: {NAME_TOKEN}){{0,4}}?)\s+(?:of|from|at|with)\s+"
    r"(?P<org>(?:the\s+)?[A-Z].*)$"
)


@dataclass
class _Speaker:
    name: str = ""
    is_person: bool = True
    affiliation: str = ""
    title: str = ""
    attribution: str = ""


def _parse_speaker(phrase: str) -> _Speaker | None:
    """Understand "Emmanuel Karagiannis of King's College London, another security
    expert", "UNICEF spokesperson Juliette Touma", "Karagiannis", "the SDF"."""
    phrase = phrase.strip(" ,.;:—–-")
    if not phrase or len(phrase) > 200 or len(phrase.split()) > 25:
        return None
    first = phrase.split()[0]
    if (
        first[:1].islower()
        and first not in _LOWER_STARTS
        and not _trailing_person(phrase)
    ):
        return None  # "… is a phrase the minister said": not an attribution
    head, _, appositive = phrase.partition(", ")
    head = head.strip(" ,")
    appositive = appositive.strip(" ,.")
    speaker = _Speaker(attribution=appositive)
    if head.lower() in _PRONOUNS:
        return _Speaker(name=head.lower(), attribution=appositive)
    named = _person_named(appositive) if appositive else ""
    if named and not _trailing_person(head):
        # "the agency's regional spokesperson, Maria Lopez": the role comes first.
        return _Speaker(name=named, title=_DETERMINERS_RE.sub("", head))
    if appositive:
        appositive_bare = _DETERMINERS_RE.sub("", appositive)
        role = _TITLE_ROLE_RE.match(appositive_bare)
        if role and len(role.group("title").split()) <= 5:
            speaker.title = role.group("title").strip()
            speaker.affiliation = _DETERMINERS_RE.sub("", role.group("org").strip())
        elif len(appositive_bare.split()) <= 8:
            speaker.title = appositive_bare
    of_org = _NAME_OF_ORG_RE.match(head)
    if of_org and _person_named(of_org.group("name")):
        speaker.name = _person_named(of_org.group("name"))
        speaker.affiliation = _DETERMINERS_RE.sub("", of_org.group("org").strip())
        return speaker
    trailing = _trailing_person(head) if head[:1].islower() else ""
    if trailing:
        # "coastguard commander Rear Admiral Petra Lund"
        speaker.name = trailing
        speaker.title = (
            speaker.title or head[: head.rindex(trailing.split()[0])].strip()
        )
        return speaker
    if head[:1].islower() or head.split()[0] in ("The",):
        speaker.name = head
        speaker.is_person = False
        return speaker
    at_end = _NAME_AT_END_RE.match(head)
    if at_end:
        name = at_end.group("name")
        prefix = at_end.group("prefix").strip()
        # "UNICEF spokesperson Juliette Touma": the capitalised run can swallow the
        # organisation; names do not contain all-capitals words.
        # Acronyms and capitalised job titles ("Executive Director") are not names.
        tokens = name.split()
        while len(tokens) > 1 and (
            (tokens[0].isupper() and len(tokens[0]) > 1) or _is_title_word(tokens[0])
        ):
            prefix = f"{prefix} {tokens.pop(0)}".strip()
        name = " ".join(tokens)
        last = prefix.split()[-1] if prefix else ""
        if _is_person_name(name) and (
            not prefix or last[:1].islower() or _is_title_word(last)
        ):
            speaker.name = name
            if prefix:
                words = prefix.split()
                org_words: list[str] = []
                while words and words[0][:1].isupper() and not _is_title_word(words[0]):
                    org_words.append(words.pop(0))
                if (
                    org_words
                    and words
                    and (
                        any(w.isupper() and len(w) > 1 for w in org_words)
                        or len(org_words) > 1
                    )
                ):
                    speaker.affiliation = speaker.affiliation or " ".join(org_words)
                    speaker.title = speaker.title or " ".join(words)
                else:
                    speaker.title = speaker.title or prefix
            return speaker
    speaker.name = head
    speaker.is_person = False
    return speaker


_TITLE_WORDS = words("title_words")
_LOWER_STARTS = frozenset(
    ["the", "a", "an", "its", "his", "her", "their", "our", *_PRONOUNS]
)
_CAPITAL_RUN_RE = re.compile(rf"{NAME}$")


def _person_named(text: str) -> str:
    """The person's name in "Colonel Daria Venn" or "Maria Lopez", without titles;
    "" when `text` is not a full name."""
    tokens = text.split()
    while len(tokens) > 2 and _is_title_word(tokens[0]):
        tokens.pop(0)
    if len(tokens) == 2 and _is_title_word(tokens[0]):
        return ""
    name = " ".join(tokens)
    return name if len(tokens) >= 2 and _is_person_name(name) else ""


def _trailing_person(phrase: str) -> str:
    """The full name a phrase ends with ("coastguard commander Petra Lund"), or ""."""
    run = _CAPITAL_RUN_RE.search(phrase)
    if not run:
        return ""
    tokens = run.group(0).split()
    while tokens and (_is_title_word(tokens[0]) or tokens[0].isupper()):
        tokens.pop(0)
    return _person_named(" ".join(tokens))


def _is_title_word(word: str) -> bool:
    return word.lower().rstrip(".,") in _TITLE_WORDS


def _is_person_name(name: str) -> bool:
    tokens = name.split()
    if not tokens or len(tokens) > 5 or not _PERSON_NAME_RE.match(name):
        return False
    if any(t.lower().strip(".,") in _ORG_WORDS for t in tokens):
        return False
    return not any(t.isupper() and len(t) > 1 for t in tokens)


_AFTER_QUOTE_RE = re.compile(
    rf"^\s*[,—–-]?\s*(?:(?P<verb_first>{_SPEECH_VERBS})\s+(?P<speaker_after>[^!?;]+?(?=\.\s|[.!?;]?$))"
    rf"|(?P<speaker_before>[^“”\".!?;]+?)\s+(?:{_SPEECH_VERBS})(?:\s+[^.!?;“”\"]*)?"
    r"|according to (?P<according>[^.!?;]+?))\s*[.!?;,]",
)
_BEFORE_QUOTE_RE = re.compile(
    rf"(?:^|[.!?]\s+|”\s+)(?P<speaker>[^“”\".!?;]+?)\s+(?:{_SPEECH_VERBS})"
    r"(?:\s+(?:that|reporters|journalists|[A-Z][\w.]*(?: [A-Z][\w.]*){0,3}|on \w+"
    r"|in an? [\w ]{1,30}|to [\w ]{1,40}"
    r"|(?:our|the|a|an|his|her|their|my) [\w ]{1,30}(?=\s*:)))?"
    r"\s*[,:]?\s*$"
)
_SPEAKER_TAIL_RE = re.compile(
    r",?\s+(?:who|whose|adding|noting|in a|on \w+day|told)\b.*$"
)


def _clean_quote_text(text: str) -> str:
    return text.strip().rstrip(",").strip()


_INTRODUCED_RE = re.compile(
    rf"(?:^|[.!?]\s+|,\s+|\bsaid\s+)(?P<name>[A-Z][\w’'.-]*(?: {NAME_TOKEN}){{1,4}}),"
    r" (?P<appositive>(?:a|an|the) [^,.;“”\"]{3,100}),"
)


def _introduced_people(paragraphs: list[str]) -> dict[str, _Speaker]:
    """People introduced as "Siamand Ali, a spokesman for the SDF, told…", so a
    later quote by "Ali" finds them."""
    people: dict[str, _Speaker] = {}
    for paragraph in paragraphs:
        for match in _INTRODUCED_RE.finditer(paragraph):
            speaker = _parse_speaker(
                f"{match.group('name')}, {match.group('appositive')}"
            )
            if speaker and speaker.is_person and len(speaker.name.split()) > 1:
                people.setdefault(speaker.name, speaker)
    return people


_NOT_NAME_STARTS = words("unit_stop_words") | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "but", "and", "or", "one",
}  # fmt: skip
_MENTION_RE = re.compile(rf"(?<![\w’'-]){NAME}")
_PLACE_BEFORE_RE = re.compile(
    r"\b(?:the|in|at|from|near|of|to|into|across|outside|towards?|around)\s+$",
    re.IGNORECASE,
)
# ", a former diplomat": what follows a person's name, not a place's.
_APPOSITIVE_AFTER_RE = re.compile(r",\s+(?:a|an)\s+[a-z]")
# Text right before a quotation that introduces it without a speech verb:
# "Researcher Amir Haddad … puts it bluntly: “…”".
_COLON_INTRO_RE = re.compile(r"(?:^|[.!?]\s+)(?P<sentence>[^.!?“”\"]+):\s*$")
# A quoted phrase inside a sentence that ends without its own punctuation is a
# scare quote or a fragment ("what officials called a “technical pause”").
_QUOTE_ENDS_RE = re.compile(r"[.,!?…—–-]\s*$")


@dataclass
class _Mentions:
    """People named in the text, in reading order: a pronoun or a surname names
    the latest of them."""

    paragraphs: list[str]
    _full: list[tuple[tuple[int, int], str]] | None = None

    @property
    def full(self) -> list[tuple[tuple[int, int], str]]:
        """Scanned on first use: most quotes name their speaker in full."""
        if self._full is None:
            self._full = self._scan(self.paragraphs)
        return self._full

    @staticmethod
    def _scan(paragraphs: list[str]) -> list[tuple[tuple[int, int], str]]:
        full: list[tuple[tuple[int, int], str]] = []
        known: list[str] = []
        for index, paragraph in enumerate(paragraphs):
            outside = _QUOTE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), paragraph)
            for match in _MENTION_RE.finditer(outside):
                if _PLACE_BEFORE_RE.search(
                    outside, 0, match.start()
                ) and not _APPOSITIVE_AFTER_RE.match(outside, match.end()):
                    # "the Red Hills", "in Dalvek": a place, not a person; but
                    # "to Johan Petersen, a former diplomat" is a person.
                    continue
                tokens = match.group(0).rstrip(".").split()
                while tokens and (
                    tokens[0].lower() in _NOT_NAME_STARTS or _is_title_word(tokens[0])
                ):
                    tokens.pop(0)
                name = _person_named(" ".join(tokens))
                if not name and len(tokens) == 1:
                    name = next(
                        (k for k in reversed(known) if k.split()[-1] == tokens[0]), ""
                    )
                if name:
                    full.append(((index, match.start()), name))
                    known.append(name)
        return full

    def latest_before(self, where: tuple[int, int]) -> str:
        return next((name for at, name in reversed(self.full) if at < where), "")

    def full_name(self, surname: str, where: tuple[int, int]) -> str:
        """The latest full name before `where` (else anywhere) ending in `surname`."""
        names = [name for at, name in self.full if name.split()[-1] == surname]
        before = [
            name for at, name in self.full if at < where and name.split()[-1] == surname
        ]
        return (before or names or [""])[-1]


def extract_quotes(paragraphs: list[str]) -> list[ParsedQuote]:
    """Quoted words in the body with the speaker each is attributed to."""
    quotes: list[ParsedQuote] = []
    people = _introduced_people(paragraphs)
    if not any(mark in paragraph for paragraph in paragraphs for mark in '“"'):
        return quotes
    mentions = _Mentions(paragraphs)
    last: _Speaker | None = None
    last_paragraph = -2
    # A paragraph that opens a quotation and leaves it open: its speaker is named
    # in the next paragraph, where the quotation goes on.
    pending: tuple[int, str] | None = None
    for index, paragraph in enumerate(paragraphs):
        spans = [
            (m.start(), m.end(), m.group(1) if m.group(1) is not None else m.group(2))
            for m in _QUOTE_SPAN_RE.finditer(paragraph)
        ]
        unclosed = not spans and paragraph.startswith("“") and "”" not in paragraph
        if unclosed:
            spans = [(0, len(paragraph), paragraph[1:])]
        paragraph_speaker: _Speaker | None = None
        found: list[tuple[str, _Speaker | None, int]] = []
        for start, end, text in spans:
            speaker = None
            after = _AFTER_QUOTE_RE.match(paragraph[end:])
            if after:
                phrase = (
                    after.group("speaker_after")
                    or after.group("speaker_before")
                    or after.group("according")
                    or ""
                )
                phrase = _SPEAKER_TAIL_RE.sub("", phrase)
                speaker = _parse_speaker(phrase)
            if speaker is None:
                before = _BEFORE_QUOTE_RE.search(paragraph[:start])
                if before:
                    speaker = _parse_speaker(before.group("speaker"))
            if speaker is None and (intro := _COLON_INTRO_RE.search(paragraph[:start])):
                named = mentions.latest_before((index, start))
                if named and named.split()[-1] in intro.group("sentence"):
                    speaker = _Speaker(name=named)
            if speaker is None and _is_fragment(paragraph, start, text):
                continue
            if speaker is not None:
                paragraph_speaker = speaker
            found.append((text, speaker, start))
        if unclosed and paragraph_speaker is None:
            pending = (index, _clean_quote_text(paragraph[1:]))
            continue
        for text, speaker, start in found:
            speaker = speaker or paragraph_speaker
            if speaker is None:
                # A paragraph that is one quote, right after a quoted speaker's
                # paragraph, continues that speaker (news convention).
                whole = paragraph.startswith(("“", '"')) and len(found) == 1
                if whole and last is not None and last_paragraph == index - 1:
                    speaker = last
                else:
                    continue
            speaker = _resolve(speaker, people, last, mentions, (index, start))
            if speaker is None:
                continue
            if pending is not None and pending[0] == index - 1:
                quotes.append(_quote(pending[1], speaker, pending[0]))
            pending = None
            text = _clean_quote_text(text)
            if len(text.split()) < 3:
                continue
            quotes.append(_quote(text, speaker, index))
            last, last_paragraph = speaker, index
    return quotes


def _is_fragment(paragraph: str, start: int, text: str) -> bool:
    """A short quoted phrase inside a sentence, with no punctuation of its own."""
    before = paragraph[:start].rstrip()
    return bool(before) and before[-1].isalnum() and not _QUOTE_ENDS_RE.search(text)


def _quote(text: str, speaker: _Speaker, paragraph: int) -> ParsedQuote:
    return ParsedQuote(
        text=text,
        speaker=speaker.name,
        is_person=speaker.is_person,
        affiliation=speaker.affiliation,
        title=speaker.title,
        attribution=speaker.attribution,
        paragraph=paragraph,
    )


def _resolve(
    speaker: _Speaker,
    people: dict[str, _Speaker],
    last: _Speaker | None,
    mentions: _Mentions,
    where: tuple[int, int],
) -> _Speaker | None:
    """Pronouns name the last person mentioned (or the last speaker); a surname
    names the person met earlier."""
    if speaker.name in _PRONOUNS:
        if speaker.name in ("he", "she"):
            named = mentions.latest_before(where)
            if named:
                return people.get(named) or _Speaker(name=named)
        return last
    if not speaker.is_person:
        return speaker
    tokens = speaker.name.split()
    if len(tokens) == 1:
        for full_name, known in people.items():
            if full_name.split()[-1] == tokens[0]:
                return _Speaker(
                    name=full_name,
                    affiliation=known.affiliation,
                    title=known.title,
                    attribution=speaker.attribution,
                )
        full_name = mentions.full_name(tokens[0], where)
        if full_name:
            return _Speaker(
                name=full_name, title=speaker.title, attribution=speaker.attribution
            )
    known = people.get(speaker.name)
    if known is None:
        people[speaker.name] = speaker
    else:
        known.affiliation = known.affiliation or speaker.affiliation
        known.title = known.title or speaker.title
    return speaker
