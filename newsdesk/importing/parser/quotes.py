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
    if first[:1].islower() and first not in ("the", "a", "an", *_PRONOUNS):
        return None  # "… is a phrase the minister said": not an attribution
    head, _, appositive = phrase.partition(", ")
    head = head.strip(" ,")
    appositive = appositive.strip(" ,.")
    speaker = _Speaker(attribution=appositive)
    if head.lower() in _PRONOUNS:
        return _Speaker(name=head.lower(), attribution=appositive)
    if appositive:
        appositive_bare = _DETERMINERS_RE.sub("", appositive)
        role = _TITLE_ROLE_RE.match(appositive_bare)
        if role and len(role.group("title").split()) <= 5:
            speaker.title = role.group("title").strip()
            speaker.affiliation = _DETERMINERS_RE.sub("", role.group("org").strip())
        elif len(appositive_bare.split()) <= 8:
            speaker.title = appositive_bare
    of_org = _NAME_OF_ORG_RE.match(head)
    if of_org and _is_person_name(of_org.group("name")):
        speaker.name = of_org.group("name")
        speaker.affiliation = _DETERMINERS_RE.sub("", of_org.group("org").strip())
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
    r"|in an? [\w ]{1,30}|to [\w ]{1,40}))?\s*[,:]?\s*$"
)
_SPEAKER_TAIL_RE = re.compile(r",?\s+(?:who|adding|noting|in a|on \w+day|told)\b.*$")


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


def extract_quotes(paragraphs: list[str]) -> list[ParsedQuote]:
    """Quoted words in the body with the speaker each is attributed to."""
    quotes: list[ParsedQuote] = []
    people = _introduced_people(paragraphs)
    last: _Speaker | None = None
    last_paragraph = -2
    for index, paragraph in enumerate(paragraphs):
        spans = [
            (m.start(), m.end(), m.group(1) if m.group(1) is not None else m.group(2))
            for m in _QUOTE_SPAN_RE.finditer(paragraph)
        ]
        # An opening mark that is never closed runs to the end of the paragraph.
        if not spans and paragraph.startswith("“") and "”" not in paragraph:
            spans = [(0, len(paragraph), paragraph[1:])]
        paragraph_speaker: _Speaker | None = None
        found: list[tuple[str, _Speaker | None]] = []
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
            if speaker is not None:
                paragraph_speaker = speaker
            found.append((text, speaker))
        for text, speaker in found:
            speaker = speaker or paragraph_speaker
            if speaker is None:
                # A paragraph that is one quote, right after a quoted speaker's
                # paragraph, continues that speaker (news convention).
                whole = paragraph.startswith(("“", '"')) and len(found) == 1
                if whole and last is not None and last_paragraph == index - 1:
                    speaker = last
                else:
                    continue
            speaker = _resolve(speaker, people, last)
            if speaker is None:
                continue
            text = _clean_quote_text(text)
            if len(text.split()) < 3:
                continue
            quotes.append(
                ParsedQuote(
                    text=text,
                    speaker=speaker.name,
                    is_person=speaker.is_person,
                    affiliation=speaker.affiliation,
                    title=speaker.title,
                    attribution=speaker.attribution,
                    paragraph=index,
                )
            )
            last, last_paragraph = speaker, index
    return quotes


def _resolve(
    speaker: _Speaker, people: dict[str, _Speaker], last: _Speaker | None
) -> _Speaker | None:
    """Pronouns name the last speaker; a surname names the person met earlier."""
    if speaker.name in _PRONOUNS:
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
    known = people.get(speaker.name)
    if known is None:
        people[speaker.name] = speaker
    else:
        known.affiliation = known.affiliation or speaker.affiliation
        known.title = known.title or speaker.title
    return speaker
