"""One search over everything readers look for, ranked together.

Articles come from the full-text index (`newsdesk.search`); people (with their
quotes), sources and, through `search_kinds`, other apps' records (incidents,
recommendations) are matched on their few text fields. Every kind reads through
its public gate. Hits of every kind are scored the same way (`score_text`), so
one list can hold them all; facet counts stop at a cap instead of counting the
archive. When nothing matches, a query with misspelt words is corrected from
the vocabulary of published text ("did you mean") and run again.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, RowNumber, Substr
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries

from newsdesk.extensions import Registry
from newsdesk.http import tags as cache_tags
from newsdesk.http.storage import cached_value
from newsdesk.models import (
    Article,
    ArticleAuthor,
    Person,
    Quote,
    Source,
    published_article,
    published_through,
    validate_language_tag,
)
from newsdesk.prepared import as_datetime, prepared_read, prepared_word_rows
from newsdesk.search import (
    MAX_QUERY_LENGTH,
    highlight,
    markdown_snippet,
    newest_matches,
    parse_query,
    recent_matches,
)

PAGE_SIZE = 20
MAX_PAGES = 10
# How many hits of each kind are ranked; the merged list is cut to MAX_PAGES
# (five kinds of 40 fill the ten pages). Each hit is a model row built in
# Python, so this is most of a fresh search's time.
KIND_CANDIDATES = 40
# Facet counts stop here ("40+"), so a common word never counts the archive.
FACET_CAP = KIND_CANDIDATES
QUOTES_PER_PERSON = 2
# Snippets and scores read the start of an article's body, not all of it.
OPENING_LENGTH = 3000
# People are also found by what they said: in this many of the newest
# matching public quotes.
QUOTE_CANDIDATES = 200
# On SQLite, which has no index of quotes' text, what people said is looked
# for among this many of the newest quotes (by key), as article search looks
# among the newest matches of its index (SQLITE_WINDOW): a word no quote holds
# would otherwise read every quote in the archive.
SQLITE_QUOTE_WINDOW = 5000
VOCABULARY_ARTICLES = 3000
VOCABULARY_SECONDS = 3600
# The collections search reads: its pages carry them, and the vocabulary is
# counted again when one of them changes.
SEARCH_TAGS = (
    cache_tags.LIST_ARTICLES,
    "list:incidents",
    "list:recommendations",
    "list:people",
    "list:sources",
    "list:topics",
)
_WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


class QuickSelect(forms.Select):
    """A select rendered in Python: through a template per option, the list
    of countries alone costs more than the search."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            _with_selected(self.options_html(), _selected(value)),
        )

    def options_html(self) -> SafeString:
        return format_html_join(
            "", '<option value="{}">{}</option>', ((k, v) for k, v in self.choices)
        )


class QuickInputMixin:
    """An input rendered in Python, as Django's `input.html` renders it: the
    search form's eight fields through the template engine cost as much as
    the rest of the page."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        value = self.format_value(value)
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            self.input_type,
            name,
            format_html(' value="{}"', value) if value is not None else "",
            flatatt(self.build_attrs(self.attrs, attrs)),
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickDateInput(QuickInputMixin, forms.DateInput):
    pass


class CountrySelect(QuickSelect):
    """The countries' options, built once per language: sorting and escaping
    some 250 translated names cost more than the rest of the form."""

    def options_html(self) -> SafeString:
        return _country_options(translation.get_language() or "")


def _selected(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return "" if value is None else str(value)


def _with_selected(options: SafeString, selected: str) -> SafeString:
    """`options` with the first option of value `selected` marked selected."""
    marker = format_html('<option value="{}">', selected)
    return mark_safe(options.replace(marker, f"{marker[:-1]} selected>", 1))


@functools.lru_cache(maxsize=16)
def _country_options(language: str) -> SafeString:
    return format_html_join("", '<option value="{}">{}</option>', _country_choices())


def _country_choices() -> list[tuple[str, str]]:
    return [("", "Any country"), *countries]


class SearchForm(forms.Form):
    """The query and its filters, as the page and the API take them."""

    q = forms.CharField(
        label="Words to find",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=QuickTextInput,
    )
    type = forms.ChoiceField(
        label="Show", required=False, choices=(), widget=QuickSelect
    )
    start = forms.DateField(
        label="From", required=False, widget=QuickDateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Until", required=False, widget=QuickDateInput(attrs={"type": "date"})
    )
    topic = forms.SlugField(label="Topic", required=False, widget=QuickTextInput)
    source = forms.SlugField(label="Source", required=False, widget=QuickTextInput)
    incident = forms.SlugField(label="Incident", required=False, widget=QuickTextInput)
    country = forms.ChoiceField(
        label="Country", required=False, choices=_country_choices, widget=CountrySelect
    )
    language = forms.CharField(
        label="Language",
        required=False,
        max_length=35,
        widget=QuickTextInput,
        validators=[validate_language_tag],
        help_text="A language tag, e.g. en or ar.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Everything")] + [
            (kind.name, kind.plural) for kind in search_kinds
        ]


@dataclass
class SearchQuery:
    """A parsed query with its filters; `filters` holds only the ones set."""

    text: str
    wanted: list[str]
    excluded: list[str]
    filters: dict

    @property
    def words(self) -> list[str]:
        return [w.lower() for phrase in self.wanted for w in phrase.split()]

    @functools.cached_property
    def today(self) -> datetime.date:
        """The reader's date, once per search: `score_text` dates every hit."""
        return timezone.localdate()

    def with_text(self, text: str) -> SearchQuery:
        wanted, excluded = parse_query(text)
        return SearchQuery(text, wanted, excluded, self.filters)

    def with_phrases(self, wanted: list[str], excluded: list[str]) -> SearchQuery:
        return SearchQuery(self.text, wanted, excluded, self.filters)


def phrases_text(query: SearchQuery) -> str:
    """A query text that parses to `query`'s phrases (its words may be stand-ins)."""
    return " ".join(
        [f'"{phrase}"' for phrase in query.wanted]
        + [f'-"{phrase}"' for phrase in query.excluded]
    )


def prepared_matches(
    name: str,
    query: SearchQuery,
    build: Callable[..., QuerySet],
    *args,
) -> list[tuple]:
    """The rows of `build(query, moment, *args)` (a `values_list()` queryset),
    compiled once per shape of the query (`newsdesk.prepared`), not per query.

    A kind's read with nested gates costs milliseconds to build and compile,
    more than the database spends on it. `build` must read only the query's
    phrases (no filter: a query with filters is built every time), and pass
    `moment` to every publish-time gate. Rows are as the driver gives them.
    """
    if query.filters:
        return list(build(query, None, *args))
    wanted = len(query.wanted)

    def make(moment, phrases, _wanted, *rest):
        return build(
            query.with_phrases(phrases[:wanted], phrases[wanted:]), moment, *rest
        )

    return prepared_word_rows(
        name, make, [*query.wanted, *query.excluded], wanted, *args
    )


def declare_rows(kind: str, keys: Iterable) -> None:
    """Name the rows read without model instances, as loaded instances do."""
    cache_tags.declare(*(cache_tags.entity(kind, key) for key in keys))


@dataclass
class SearchHit:
    """One result of any kind, in the shape the page and the API show."""

    kind: str
    kind_label: str
    title: str
    url: str | Deferred
    snippet: Snippet | SafeString
    date: datetime.date | None
    score: float
    detail: str = ""
    quotes: list[dict] = field(default_factory=list)
    #: The row's key: `SearchKind.describe` fills in what only a shown hit needs.
    key: object = None


class SearchKind:
    """A kind of record readers can find; subclasses match and describe their rows."""

    name = ""
    label = ""
    plural = ""
    #: The filters this kind understands; with any other filter set it is skipped.
    filters: frozenset[str] = frozenset()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def applies(self, query: SearchQuery) -> bool:
        return set(query.filters) <= self.filters

    def matching(self, query: SearchQuery) -> QuerySet:
        """Public rows matching every wanted phrase and no excluded one."""
        raise NotImplementedError

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        """Up to `limit` hits; the search counts them for the facet too."""
        raise NotImplementedError

    def count(self, query: SearchQuery, cap: int) -> int:
        """Matching rows, counted no further than `cap` + 1."""
        return len(self.matching(query).values_list("pk", flat=True)[: cap + 1])

    def describe(self, hits: list[SearchHit], query: SearchQuery) -> None:
        """Fill in the snippets and details of `hits`, the ones a page shows.

        `hits()` reads only what ranks a hit; the text around it is read here,
        for a page of twenty instead of every hit ranked.
        """


def text_filter(
    fields: Iterable[str],
    query: SearchQuery,
    related: dict[str, tuple[QuerySet, Iterable[str]]] | None = None,
    *,
    keys_first: bool = False,
    related_keys: Sequence[Sequence[int]] | None = None,
) -> Q:
    """Every wanted phrase in one of `fields`, no excluded phrase in any.

    `related` maps a foreign key to (a small table's rows, their fields): a
    phrase in one of those fields also matches. Those rows are matched in a
    subquery run once, so the match is tested on the table's own columns:
    through a join, every row is read and checked in full before its text is.
    `related_keys` gives, for a single `related` key, the keys of its rows
    naming each phrase (wanted, then excluded), already read (`keys_first`).
    """

    def phrase_in(index: int, phrase: str) -> Q:
        either = any_field(list(fields), phrase)
        for key, (rows, names) in (related or {}).items():
            if related_keys is not None:
                keys = related_keys[index]
            else:
                named = rows.filter(any_field(list(names), phrase)).order_by()
                if not keys_first or connections[named.db].vendor != "postgresql":
                    either |= Q(**{f"{key}__in": named.values("pk")})
                    continue
                # `keys_first`: PostgreSQL is given the keys themselves (one
                # more query): it then knows how few rows they name, and an OR
                # of indexed conditions is one bitmap scan; given a subquery,
                # it guesses and walks the whole table.
                keys = list(named.values_list("pk", flat=True))
            if keys:
                either |= Q(**{f"{key}__in": keys})
        return either

    phrases = [*query.wanted, *query.excluded]
    condition = Q()
    for index, phrase in enumerate(phrases):
        if index < len(query.wanted):
            condition &= phrase_in(index, phrase)
        else:
            condition &= ~phrase_in(index, phrase)
    return condition


def in_date_range(queryset: QuerySet, field: str, filters: dict) -> QuerySet:
    """`queryset` narrowed to the `start`/`end` dates in `filters`, on `field`."""
    if "start" in filters:
        queryset = queryset.filter(**{f"{field}__gte": filters["start"]})
    if "end" in filters:
        queryset = queryset.filter(**{f"{field}__lte": filters["end"]})
    return queryset


def any_field(fields: list[str], phrase: str) -> Q:
    either = Q()
    for name in fields:
        either |= Q(**{f"{name}__icontains": phrase})
    return either


def score_text(
    query: SearchQuery, title: str, text: str = "", when=None, *, matched=False
) -> float:
    """The same score for every kind: title words count 3, other text 1, a whole
    phrase in the title 2 more, and recent records a little more.

    `matched`: the record is known to hold every word (its index or its text
    filter matched), so a word not in the title counts 1 without reading `text`.
    """
    title_l, text_l = title.lower(), text.lower()
    words = query.words or [""]
    score = sum(
        3 if w in title_l else 1 if matched or w in text_l else 0 for w in words
    )
    score /= len(words)
    score += sum(2 for phrase in query.wanted if phrase.lower() in title_l)
    if when is not None:
        if isinstance(when, datetime.datetime):
            when = when.date()
        years = max((query.today - when).days, 0) / 365
        score += 1 / (1 + years)
    return score


class Deferred:
    """A string made when first shown, such as a hit's URL."""

    __slots__ = ("_make", "_value")

    def __init__(self, make: Callable[[], str]) -> None:
        self._make, self._value = make, None

    def __str__(self) -> str:
        if self._value is None:
            self._value = self._make()
        return self._value


class Snippet:
    """Plain text around the first match, escaped, matches in <mark>.

    Made when first shown: a page shows twenty of the few hundred hits ranked.
    """

    __slots__ = ("_html", "_markdown", "_query", "_text")

    def __init__(self, text: str, query: SearchQuery, *, markdown: bool = False):
        self._text, self._query, self._html = text, query.text, None
        self._markdown = markdown

    def __html__(self) -> SafeString:
        if self._html is None:
            if self._markdown:
                html = markdown_snippet(self._text, self._query)
            else:
                html = highlight(" ".join(self._text.split()), self._query)
            self._html = mark_safe(html)
        return self._html

    __str__ = __html__

    def __bool__(self) -> bool:
        return bool(self._text and not self._text.isspace())


def snippet(text: str, query: SearchQuery) -> Snippet:
    """The snippet of `text` for `query`, highlighted when shown."""
    return Snippet(text, query)


# --- The editorial kinds -----------------------------------------------------


class ArticleKind(SearchKind):
    name, label, plural = "article", "Article", "Articles"
    filters = frozenset({"start", "end", "topic", "source", "incident", "language"})

    def _base(self, query: SearchQuery, moment=None) -> QuerySet[Article]:
        f = query.filters
        articles = in_date_range(
            Article.objects.published(moment), "publish_at__date", f
        )
        if "topic" in f:
            articles = articles.filter(topics__slug=f["topic"])
        if "source" in f:
            articles = articles.filter(source__slug=f["source"])
        if "incident" in f:
            articles = articles.filter(incidents__slug=f["incident"])
        if "language" in f:
            articles = articles.filter(language__iexact=f["language"])
        return articles

    def matching(self, query: SearchQuery) -> QuerySet[Article]:
        ids = recent_matches(query.text, self._base(query), limit=FACET_CAP + 1)
        return Article.objects.published().filter(pk__in=ids)

    def count(self, query: SearchQuery, cap: int) -> int:
        # In no order: walking the publish-time index for a word no article
        # holds (a misspelling) would read every row.
        return len(
            prepared_matches(
                "search-articles-count",
                query,
                lambda q, moment, n: (
                    newest_matches(phrases_text(q), self._base(q, moment))
                    .order_by()
                    .values_list("pk")[:n]
                ),
                cap + 1,
            )
        )

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        # The newest matches; the score ranks them with the other kinds.
        rows = prepared_matches(
            "search-articles",
            query,
            lambda q, moment, n: newest_matches(
                phrases_text(q), self._base(q, moment)
            ).values_list(*self.row_fields)[:n],
            limit,
        )
        return self._hits(rows, query)

    def similar(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        """On PostgreSQL, articles whose headline is close to the words (pg_trgm)."""
        base = self._base(query)
        if connections[base.db].vendor != "postgresql" or not query.words:
            return []
        from django.contrib.postgres.search import TrigramWordSimilarity

        words = " ".join(query.words)
        close = (
            base.alias(lower_headline=Lower("headline"))
            .filter(lower_headline__trigram_word_similar=words)
            .annotate(similarity=TrigramWordSimilarity(words, Lower("headline")))
            .order_by("-similarity", "-publish_at", "-id")
        )
        return self._hits(list(close.values_list(*self.row_fields)[:limit]), query)

    row_fields = ("id", "headline", "slug", "publish_at", "created_at")

    def _hits(self, rows: list[tuple], query: SearchQuery) -> list[SearchHit]:
        # The index matched every word: the headline and the date rank them.
        declare_rows(self.name, (row[0] for row in rows))
        alias = Article.objects.db
        zone = timezone.get_current_timezone()
        hits = []
        for key, headline, slug, publish_at, created_at in rows:
            publish_at = as_datetime(publish_at, alias)
            created_at = as_datetime(created_at, alias)
            hits.append(
                SearchHit(
                    kind=self.name,
                    kind_label=self.label,
                    title=headline,
                    url=Deferred(
                        functools.partial(_article_url, slug, publish_at, created_at)
                    ),
                    snippet=SafeString(""),
                    date=timezone.localdate(publish_at, zone),
                    score=score_text(query, headline, when=publish_at, matched=True),
                    key=key,
                )
            )
        return hits

    def describe(self, hits: list[SearchHit], query: SearchQuery) -> None:
        rows = shown_rows(
            self.name,
            "search-describe-articles",
            lambda moment, _words, keys: (
                Article.objects.published(moment)
                .filter(pk__in=keys)
                .annotate(opening=Substr("body", 1, OPENING_LENGTH))
                .values_list("id", "standfirst", "opening", "source_id", "source__name")
            ),
            hits,
        )
        declare_rows("source", (row[3] for row in rows.values() if row[3]))
        for hit in hits:
            row = rows.get(hit.key)
            if row is None:
                continue
            _, standfirst, opening, source_id, source_name = row
            hit.snippet = Snippet(f"{standfirst}\n\n{opening}", query, markdown=True)
            if source_id:
                hit.detail = f"Originally published by {source_name}"


def hit_keys(hits: Iterable[SearchHit]) -> list:
    """The distinct keys of `hits`, in order."""
    return list(dict.fromkeys(hit.key for hit in hits))


def shown_rows(
    kind: str, name: str, read: Callable[..., QuerySet], hits: list[SearchHit]
) -> dict:
    """The rows `read(moment, words, keys)` gives for the keys of `hits` (the
    twenty a page shows), by their first column, declared as shown."""
    rows = {
        row[0]: row
        for row in prepared_read(name, read, keys=hit_keys(hits), key_slots=PAGE_SIZE)
    }
    declare_rows(kind, rows)
    return rows


def _public_quotes(moment=None) -> QuerySet[Quote]:
    return Quote.objects.filter(published_article(OuterRef("article"), moment))


def _newest_quotes_from() -> RawSQL:
    """The key after which the newest SQLITE_QUOTE_WINDOW quotes lie (SQL)."""
    table = Quote._meta.db_table
    return RawSQL(
        f"SELECT COALESCE(MAX(id), 0) - %s FROM {table}", (SQLITE_QUOTE_WINDOW,)
    )


def _person_url(slug: str) -> str:
    return reverse("newsdesk:person_detail", kwargs={"slug": slug})


class PersonKind(SearchKind):
    """People by name, role or affiliation, or by what they are quoted saying."""

    name, label, plural = "person", "Person", "People"
    fields = ("name", "affiliation", "title")

    def matching(self, query: SearchQuery, moment=None) -> QuerySet[Person]:
        # The newest public quotes saying it; the names matched first, then
        # whether they are on a published page.
        saying = text_filter(["text"], query)
        if connections[Quote.objects.db].vendor == "postgresql":
            # Read in the published articles' publish-time order: the newest
            # quotes by key are in drafts, and walking past them costs more
            # than the page. The trigram index serves a rare word.
            quoted = (
                Quote.objects.filter(published_through("article__", moment))
                .filter(saying)
                .order_by("-article__publish_at", "-pk")
            )
        else:
            # SQLite, without statistics, would walk every published article
            # for a word no quote holds; each quote's article is looked up,
            # for the newest SQLITE_QUOTE_WINDOW quotes only.
            quoted = (
                _public_quotes(moment)
                .filter(pk__gt=_newest_quotes_from())
                .filter(saying)
                .order_by("-pk")
            )
        quoted = quoted.values("person_id")[:QUOTE_CANDIDATES]
        on_record = Exists(
            _public_quotes(moment).filter(person=OuterRef("pk"))
        ) | Exists(
            ArticleAuthor.objects.filter(
                published_article(OuterRef("article"), moment), person=OuterRef("pk")
            )
        )
        return Person.objects.filter(
            (text_filter(self.fields, query) & on_record) | Q(pk__in=quoted)
        ).order_by("name", "pk")

    def count(self, query: SearchQuery, cap: int) -> int:
        return len(self._rows(query, cap + 1))

    def _rows(self, query: SearchQuery, limit: int) -> list[tuple]:
        """(id, name, slug, title, affiliation) of the first `limit` people."""
        rows = prepared_matches(
            "search-people",
            query,
            lambda q, moment, n: self.matching(q, moment).values_list(
                "id", "name", "slug", "title", "affiliation"
            )[:n],
            limit,
        )
        declare_rows("person", (row[0] for row in rows))
        return rows

    def vocabulary_texts(self) -> Iterable[str]:
        on_record = Person.objects.filter(
            Exists(_public_quotes().filter(person=OuterRef("pk")))
            | Exists(Article.objects.published().filter(authors=OuterRef("pk")))
        )
        for name, affiliation in on_record.values_list("name", "affiliation"):
            yield f"{name} {affiliation}"

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        hits = []
        for key, name, slug, title, affiliation in self._rows(query, limit):
            hits.append(
                SearchHit(
                    kind=self.name,
                    kind_label=self.label,
                    title=name,
                    url=Deferred(functools.partial(_person_url, slug)),
                    # Role and affiliation show as the detail line; quotes below.
                    snippet=SafeString(""),
                    date=None,
                    # Found by name, role or a quote: every word is in one.
                    score=score_text(query, name, matched=True) + 0.5,
                    detail=", ".join(filter(None, [title, affiliation])),
                    key=key,
                )
            )
        return hits

    def describe(self, hits: list[SearchHit], query: SearchQuery) -> None:
        def build(moment, words, keys, wanted):
            phrases = query.with_phrases(words[:wanted], words[wanted:])
            return (
                _public_quotes(moment)
                .filter(person__in=keys)
                .filter(text_filter(["text"], phrases))
                .annotate(
                    rank=Window(
                        RowNumber(),
                        partition_by=[F("person_id")],
                        order_by=[F("article__publish_at").desc(), F("position")],
                    )
                )
                .filter(rank__lte=QUOTES_PER_PERSON)
                .order_by("person_id", "rank")
                .values_list(
                    "person_id",
                    "text",
                    "article_id",
                    "article__headline",
                    "article__slug",
                    "article__publish_at",
                    "article__created_at",
                )
            )

        quotes: dict[int, list[dict]] = defaultdict(list)
        rows = prepared_read(
            "search-describe-people",
            build,
            words=[*query.wanted, *query.excluded],
            keys=hit_keys(hits),
            key_slots=PAGE_SIZE,
            args=(len(query.wanted),),
        )
        declare_rows("article", {row[2] for row in rows})
        for person_id, text, _, headline, slug, publish_at, created_at in rows:
            url = functools.partial(
                _article_url,
                slug,
                as_datetime(publish_at, Quote.objects.db),
                as_datetime(created_at, Quote.objects.db),
            )
            quotes[person_id].append(
                {
                    "text": snippet(text, query),
                    "article": headline,
                    "url": Deferred(url),
                }
            )
        for hit in hits:
            hit.quotes = quotes.get(hit.key, [])


def _article_url(slug: str, publish_at, created_at) -> str:
    """`Article.get_absolute_url()` of a row read without its instance."""
    return Article(
        slug=slug, publish_at=publish_at, created_at=created_at
    ).get_absolute_url()


class SourceKind(SearchKind):
    """Publishers whose articles we carry."""

    name, label, plural = "source", "Source", "Sources"
    filters = frozenset({"country", "language"})

    def matching(self, query: SearchQuery, moment=None) -> QuerySet[Source]:
        # The names first (a few hundred rows), then one published article
        # each, found through the source's key.
        sources = Source.objects.filter(text_filter(("name", "domain"), query)).filter(
            Exists(
                Article.objects.filter(
                    published_article(OuterRef("pk"), moment), source=OuterRef("pk")
                )
            )
        )
        if "country" in query.filters:
            sources = sources.filter(country=query.filters["country"])
        if "language" in query.filters:
            sources = sources.filter(language__iexact=query.filters["language"])
        return sources.order_by("name", "pk")

    def vocabulary_texts(self) -> Iterable[str]:
        return Source.objects.with_published_articles().values_list("name", flat=True)

    def count(self, query: SearchQuery, cap: int) -> int:
        return len(
            prepared_matches(
                "search-sources-count",
                query,
                lambda q, moment, n: self.matching(q, moment).values_list("pk")[:n],
                cap + 1,
            )
        )

    def hits(self, query: SearchQuery, limit: int) -> list[SearchHit]:
        kinds = dict(Source._meta.get_field("kind").flatchoices)
        rows = prepared_matches(
            "search-sources",
            query,
            lambda q, moment, n: self.matching(q, moment).values_list(
                "id", "name", "slug", "domain", "kind"
            )[:n],
            limit,
        )
        declare_rows(self.name, (row[0] for row in rows))
        return [
            SearchHit(
                kind=self.name,
                kind_label=self.label,
                title=name,
                url=Deferred(functools.partial(_source_url, slug)),
                snippet=snippet(domain, query),
                date=None,
                score=score_text(query, name, domain),
                detail=str(kinds.get(kind, kind)),
            )
            for _, name, slug, domain, kind in rows
        ]


def _source_url(slug: str) -> str:
    return reverse("newsdesk:source_detail", kwargs={"slug": slug})


search_kinds: Registry[SearchKind] = Registry("search_kinds")
search_kinds.extend([ArticleKind(), PersonKind(), SourceKind()])


# --- Vocabulary and "did you mean" ---------------------------------------------


def vocabulary() -> dict[str, Counter]:
    """Words of published text by first letter, with how often each occurs.

    Built from published rows only (so a suggestion never reveals a draft) and
    cached until one of its collections changes.
    """

    def count_words() -> dict[str, Counter]:
        words: dict[str, Counter] = defaultdict(Counter)
        for text in _vocabulary_texts():
            for word in _WORD_RE.findall(text.lower()):
                words[word[0]][word] += 1
        return dict(words)

    return cached_value(
        "search-vocabulary",
        count_words,
        tags=SEARCH_TAGS,
        timeout=VOCABULARY_SECONDS,
    )


def _vocabulary_texts() -> Iterable[str]:
    recent = Article.objects.published().order_by("-publish_at", "-id")
    for headline, standfirst in recent.values_list("headline", "standfirst")[
        :VOCABULARY_ARTICLES
    ]:
        yield headline
        yield standfirst
    for kind in search_kinds:
        yield from kind_vocabulary(kind)


def kind_vocabulary(kind: SearchKind) -> Iterable[str]:
    """Short texts of a kind's public rows for the vocabulary (names, titles)."""
    texts = getattr(kind, "vocabulary_texts", None)
    return texts() if texts else ()


def _distance(a: str, b: str, limit: int) -> int:
    """Edit distance with transpositions (optimal string alignment), capped."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def suggest(text: str) -> str | None:
    """The query with each unknown word replaced by the closest published word."""
    words = vocabulary()
    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        lower = word.lower()
        bucket = words.get(lower[0], Counter())
        if lower in bucket:
            return word
        limit = 1 if len(lower) <= 4 else 2
        best = min(
            (
                (_distance(lower, candidate, limit), -count, candidate)
                for candidate, count in bucket.items()
                if abs(len(candidate) - len(lower)) <= limit
            ),
            default=None,
        )
        if best is None or best[0] > limit:
            return word
        changed = True
        return best[2]

    corrected = re.sub(r"(?<![-\w])[^\W\d_]{3,}", replace, text)
    return corrected if changed else None


# --- Running a search ------------------------------------------------------------


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[SearchHit]
    facets: list[dict]
    corrected: str | None = None
    #: True when the hits are only headlines close to the words (trigrams).
    approximate: bool = False

    def page(self, number) -> Page:
        """Page `number` of the hits (the last for one out of range), described."""
        page = Paginator(self.hits, PAGE_SIZE).get_page(number)
        searched = (
            self.query.with_text(self.corrected) if self.corrected else self.query
        )
        describe(page.object_list, searched, among=self.hits)
        return page


def describe(
    hits: Iterable[SearchHit],
    query: SearchQuery,
    *,
    among: Iterable[SearchHit] = (),
) -> None:
    """Fill in the snippets, details and quotes of the hits a page shows.

    A kind found in `among` (every hit ranked) but not shown has its best hit
    described too: a page then reads one description per kind found, whatever
    the ranking put on it, so its query count does not shift with the archive.
    """
    by_kind: dict[str, list[SearchHit]] = defaultdict(list)
    for hit in hits:
        by_kind[hit.kind].append(hit)
    for hit in among:
        by_kind.setdefault(hit.kind, [hit])
    for kind in search_kinds:
        if by_kind.get(kind.name):
            kind.describe(by_kind[kind.name], query)


def build_query(data: dict) -> SearchQuery:
    """A SearchQuery from a valid SearchForm's cleaned data."""
    text = data.get("q") or ""
    wanted, excluded = parse_query(text)
    filters = {
        name: value
        for name, value in data.items()
        if name not in ("q", "type") and value not in (None, "")
    }
    return SearchQuery(text, wanted, excluded, filters)


def search_everything(query: SearchQuery, kind: str = "") -> SearchResults:
    """Hits of every kind (or of `kind`), best first, with bounded facet counts.

    A query with a word unknown to the published vocabulary is corrected first;
    unless the query as typed matches something (one look per kind, stopping
    at the first match), the corrected one is searched instead, and only once.
    `corrected` then says what was searched. When nothing matches at all, the
    hits are headlines close to the words.
    """
    better = suggest(query.text) if query.wanted else None
    if better and not _matches_anything(query, kind):
        retry = _run(query.with_text(better), kind)
        if retry.hits:
            retry.query, retry.corrected = query, better
            return retry
    results = _run(query, kind)
    if not results.hits and query.wanted and kind in ("", ArticleKind.name):
        results.hits = ArticleKind().similar(query, KIND_CANDIDATES)
        results.approximate = bool(results.hits)
    return results


def _matches_anything(query: SearchQuery, kind: str) -> bool:
    """Whether a kind the search would show has a hit for `query`."""
    # Counted as for a facet, not to 1: told to stop at the first match,
    # PostgreSQL reads every article for a word it has no statistics on.
    return any(
        each.count(query, FACET_CAP)
        for each in search_kinds
        if each.applies(query) and kind in ("", each.name)
    )


def _run(query: SearchQuery, kind: str) -> SearchResults:
    if not query.wanted:
        return SearchResults(query, [], [])
    kinds = [k for k in search_kinds if k.applies(query)]
    facets = []
    hits: list[SearchHit] = []
    for each in kinds:
        if not kind or kind == each.name:
            # One read gives the hits and, by their number, the facet count.
            found = each.hits(query, max(FACET_CAP + 1, KIND_CANDIDATES))
            count = len(found)
            hits.extend(found[:KIND_CANDIDATES])
        else:
            count = each.count(query, FACET_CAP)
        facets.append(
            {
                "name": each.name,
                "label": each.plural,
                "count": min(count, FACET_CAP),
                "more": count > FACET_CAP,
            }
        )
    hits.sort(key=lambda h: (-h.score, h.title))
    return SearchResults(query, hits[: PAGE_SIZE * MAX_PAGES], facets)
