"""Write parsed scraped articles to the database as drafts, each file all or nothing.

The command line (`import_articles`), the seed command and, later, an upload
form share this class. Lookups of sources, people and headlines are cached for
the life of one importer, so a batch of thousands of files stays fast. A batch
is written a few dozen files per transaction, with their revision rows, quotes
and the rows other apps add (incidents: candidate figures) inserted together; if anything in such a transaction
fails, it is rolled back and its files are written again one transaction per
file, so a bad file is reported on its own and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from simple_history.utils import get_history_manager_for_model

from newsdesk import extensions
from newsdesk.extensions import revision_parts
from newsdesk.importing.outcomes import (
    CREATED,
    FAILED,
    UNCHANGED,
    UPDATED,
    WOULD_CREATE,
    WOULD_UPDATE,
    ImportOutcome,
    failure_reason,
    headline_key,
    import_limits,
    unknown_source,
)
from newsdesk.importing.parser import (
    Attribution,
    FileAnalysis,
    ParsedArticle,
    ParseError,
    analyse_file,
    detect_language,
    parse_bytes,
)
from newsdesk.importing.parser.limits import ImportLimits

__all__ = [
    "CREATED",
    "FAILED",
    "UNCHANGED",
    "UPDATED",
    "WOULD_CREATE",
    "WOULD_UPDATE",
    "ArticleImporter",
    "ImportOutcome",
    "headline_key",
    "import_limits",
]

from newsdesk.models import (
    Article,
    ArticleRevision,
    ArticleStatus,
    Person,
    Quote,
    RelatedLink,
    RevisionKind,
    Source,
    normalise_domain,
)
from newsdesk.revisions.recording import revision_record, saves_not_recorded
from newsdesk.revisions.snapshot import (
    SNAPSHOT_FORMAT,
    author_refs,
    fields_snapshot,
    link_part,
    quote_part,
)
from newsdesk.services import (
    ArticleConflict,
    article_save,
    article_set_authors,
    conflict_message,
)

_HEADLINE_MAX = Article._meta.get_field("headline").max_length
_TITLE_MAX = RelatedLink._meta.get_field("title").max_length
_ATTRIBUTION_MAX = Quote._meta.get_field("attribution").max_length

# Files written in one transaction by `import_analyses`: enough to share the cost
# of a commit and of the row inserts, few enough to hold the write lock briefly.
WRITE_BATCH = 64


def _position(row: Quote | RelatedLink) -> tuple[int, int]:
    return (row.position, row.pk or 0)


def _target(link: RelatedLink) -> Article | None:
    """The linked article as far as a revision needs it: its id, its headline
    only when the link has no title of its own."""
    if link.target_id is None:
        return None
    return link.target if not link.title else Article(pk=link.target_id)


def provisional_slug(parsed: ParsedArticle) -> str:
    """The slug of a draft whose headline is provisional: unique by its text's hash."""
    base = slugify(parsed.headline)[:180].strip("-") or "article"
    return f"{base}-{parsed.content_hash[:8]}"


if TYPE_CHECKING:
    from django.db.models import Model

    from newsdesk.extensions import ImportPart


@dataclass
class PendingRows:
    """Rows of the files written in the current transaction, inserted together."""

    articles: list[Article] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    links: list[RelatedLink] = field(default_factory=list)
    # The byline of each new article, for its revision.
    authors: dict[int, list[Person]] = field(default_factory=dict)
    # Drafts a new text replaced: recorded from the database once written.
    updated: dict[int, Article] = field(default_factory=dict)
    # Rows other apps write for each article, by `extensions.import_parts` entry.
    contributed: dict[ImportPart, list[Model]] = field(default_factory=dict)

    def drop_children_of(self, article: Article) -> None:
        """Forget the rows of an article that a later file of the batch replaces."""
        self.quotes = [row for row in self.quotes if row.article_id != article.pk]
        self.links = [row for row in self.links if row.article_id != article.pk]
        for part, rows in self.contributed.items():
            self.contributed[part] = [r for r in rows if r.article_id != article.pk]


class ArticleImporter:
    """Import scraped files as draft articles with their provenance, quotes and figures."""

    def __init__(
        self,
        *,
        user: Any = None,
        dry_run: bool = False,
        limits: ImportLimits | None = None,
    ) -> None:
        self.user = user
        self.dry_run = dry_run
        self.limits = limits or import_limits()
        self._sources: dict[str, Source | None] = {}
        self._people: dict[str, Person] = {}
        # Names looked up for the coming files and not found: no query each.
        self._absent_people: set[str] = set()
        # Provisional slugs of the coming files found free, each good for one use.
        self._free_slugs: set[str] = set()
        self._headlines: dict[str, int] | None = None
        self._unresolved: dict[str, set[str]] | None = None
        self._hashes_checked: set[str] = set()
        self._hash_owner: dict[str, int] = {}
        self._pending = PendingRows()
        self._batch_hashes: list[str] | None = None

    # --- public API ---------------------------------------------------------

    def expect(self, hashes: list[str]) -> None:
        """Look up in one query which of the coming files are already imported."""
        hashes = [h for h in hashes if h not in self._hashes_checked]
        if not hashes:
            return
        self._hash_owner.update(
            Article.objects.filter(content_hash__in=hashes).values_list(
                "content_hash", "pk"
            )
        )
        self._hashes_checked.update(hashes)

    def expect_people(self, articles: Sequence[ParsedArticle]) -> None:
        """Look up in one query the people the coming files name."""
        names = set()
        for parsed in articles:
            names.update(parsed.bylines)
            names.update(q.speaker for q in parsed.quotes if q.is_person and q.speaker)
            names.update(link.via for link in parsed.related_links if link.via)
        names = {name.strip()[:200] for name in names} - self._people.keys()
        names -= self._absent_people
        if not names:
            return
        for person in Person.objects.filter(name__in=names).order_by("name", "pk"):
            self._people.setdefault(person.name, person)
        self._absent_people.update(names - self._people.keys())

    def _expect_slugs(self, articles: Sequence[ParsedArticle]) -> None:
        """Look up in one query whether the coming drafts' provisional slugs are free."""
        slugs = {provisional_slug(p) for p in articles if p.headline_is_provisional}
        if not slugs:
            return
        taken = set(
            Article.objects.filter(slug__in=slugs).values_list("slug", flat=True)
        )
        self._free_slugs = slugs - taken

    def import_analyses(
        self, analyses: Sequence[FileAnalysis], *, batch_size: int = WRITE_BATCH
    ) -> list[ImportOutcome]:
        """Write files already parsed, `batch_size` files per transaction.

        Outcomes come in the order of `analyses`. A batch whose transaction fails
        is rolled back and written again one transaction per file, so every file
        is kept whole or not at all.
        """
        batch_size = max(1, batch_size)
        self.expect([a.article.content_hash for a in analyses if a.article])
        self.expect_people([a.article for a in analyses if a.article])
        self._expect_slugs([a.article for a in analyses if a.article])
        outcomes: list[ImportOutcome] = []
        for start in range(0, len(analyses), batch_size):
            outcomes += self._import_batch(analyses[start : start + batch_size])
        return outcomes

    def import_path(self, path: Path | str) -> ImportOutcome:
        return self.import_analysis(analyse_file(str(path), self.limits))

    def import_analysis(self, analysis: FileAnalysis) -> ImportOutcome:
        """Write a file already parsed (perhaps in a worker process)."""
        if analysis.article is None:
            return ImportOutcome(analysis.path, FAILED, reason=analysis.error)
        return self.import_parsed(
            analysis.article,
            name=analysis.path,
            language=analysis.language,
            body_html=analysis.body_html,
        )

    def import_bytes(self, data: bytes, *, name: str) -> ImportOutcome:
        try:
            parsed = parse_bytes(data, limits=self.limits)
        except ParseError as exc:
            return ImportOutcome(name, FAILED, reason=exc.reason)
        return self.import_parsed(parsed, name=name)

    def import_parsed(
        self,
        parsed: ParsedArticle,
        *,
        name: str,
        language: str = "",
        body_html: str = "",
    ) -> ImportOutcome:
        outcome, previous = self._check(parsed, name=name, language=language)
        if outcome.status != CREATED:
            return outcome
        for attempt in range(3):
            try:
                # Revisions are recorded by `_flush`, once the rows are in.
                with transaction.atomic(), saves_not_recorded():
                    article = self._write(parsed, outcome, previous, body_html)
                    self._flush()
            except Exception as exc:
                self._forget()
                outcome.warnings[:] = parsed.warnings
                # Another import of the same text won the race: nothing to do.
                twin = Article.objects.filter(content_hash=parsed.content_hash).first()
                if twin is not None:
                    outcome.status, outcome.article_id = UNCHANGED, twin.pk
                    return outcome
                if isinstance(exc, IntegrityError) and attempt < 2:
                    continue  # e.g. a slug taken meanwhile: try again
                return self._failed(outcome, failure_reason(exc))
            self._written(parsed, outcome, article, previous)
            return outcome
        return outcome  # pragma: no cover

    # --- batches ------------------------------------------------------------

    def _import_batch(self, analyses: Sequence[FileAnalysis]) -> list[ImportOutcome]:
        if self.dry_run or len(analyses) < 2:
            return [self.import_analysis(analysis) for analysis in analyses]
        self._batch_hashes = []
        try:
            with transaction.atomic(), saves_not_recorded():
                outcomes = [self._write_in_batch(analysis) for analysis in analyses]
                self._flush()
        except Exception:
            # Which file failed, and why, is found by writing them one by one.
            self._forget_batch()
            return [self.import_analysis(analysis) for analysis in analyses]
        finally:
            self._batch_hashes = None
        return outcomes

    def _write_in_batch(self, analysis: FileAnalysis) -> ImportOutcome:
        if analysis.article is None:
            return ImportOutcome(analysis.path, FAILED, reason=analysis.error)
        parsed = analysis.article
        outcome, previous = self._check(
            parsed, name=analysis.path, language=analysis.language
        )
        if outcome.status == CREATED:
            article = self._write(parsed, outcome, previous, analysis.body_html)
            self._written(parsed, outcome, article, previous)
        return outcome

    def _forget_batch(self) -> None:
        """Undo what the cache learnt from a batch that was rolled back."""
        for content_hash in self._batch_hashes or ():
            self._hash_owner.pop(content_hash, None)
        self._headlines = None
        self._forget()

    # --- one file -----------------------------------------------------------

    def _check(
        self, parsed: ParsedArticle, *, name: str, language: str
    ) -> tuple[ImportOutcome, Article | None]:
        """The outcome so far and the draft a new text replaces; CREATED means write."""
        outcome = ImportOutcome(
            name,
            CREATED,
            headline=parsed.headline[:_HEADLINE_MAX],
            needs_headline=parsed.headline_is_provisional,
            language=language or detect_language(parsed.body),
            source=parsed.attribution.name if parsed.attribution else "",
            quotes=len(parsed.quotes),
            related_links=len(parsed.related_links),
            figure_candidates=len(parsed.figures),
            published=parsed.published,
            warnings=list(parsed.warnings),
            removed=[asdict(block) for block in parsed.removed],
        )
        if parsed.content_hash in self._hashes_checked:
            existing = self._hash_owner.get(parsed.content_hash)
        else:
            existing = (
                Article.objects.filter(content_hash=parsed.content_hash)
                .values_list("pk", flat=True)
                .first()
            )
        if existing is not None:
            outcome.status, outcome.article_id = UNCHANGED, existing
            return outcome, None
        previous = self._previous_version(parsed)
        if previous is not None and previous.status != ArticleStatus.DRAFT:
            outcome.status, outcome.article_id = UNCHANGED, previous.pk
            outcome.warnings.append(
                "A newer text of an article that is no longer a draft; it was not "
                "overwritten. Edit the article in the admin."
            )
            return outcome, None
        if self.dry_run:
            outcome.status = WOULD_UPDATE if previous is not None else WOULD_CREATE
        return outcome, previous

    def _written(
        self,
        parsed: ParsedArticle,
        outcome: ImportOutcome,
        article: Article,
        previous: Article | None,
    ) -> None:
        outcome.article_id = article.pk
        outcome.status = UPDATED if previous is not None else CREATED
        self._hash_owner[parsed.content_hash] = article.pk
        self._hashes_checked.add(parsed.content_hash)
        if self._batch_hashes is not None:
            self._batch_hashes.append(parsed.content_hash)
        self._remember_headline(article)

    # --- writing ------------------------------------------------------------

    def _write(
        self,
        parsed: ParsedArticle,
        outcome: ImportOutcome,
        previous: Article | None,
        body_html: str = "",
    ) -> Article:
        paragraphs = list(parsed.paragraphs)
        source = self._source(parsed.attribution, outcome)
        if (
            parsed.attribution
            and source is None
            and not parsed.attribution.kept_in_body
        ):
            # Provenance we cannot file under a Source stays visible to editors.
            paragraphs.append(parsed.attribution.line)
        fields: dict[str, Any] = {
            "body": "\n\n".join(paragraphs),
            "language": outcome.language,
            "source": source,
            "original_url": parsed.attribution.url if parsed.attribution else "",
            "content_hash": parsed.content_hash,
        }
        authors = [self._person(name) for name in parsed.bylines]
        if previous is None:
            slug = None
            checked = ["content_hash", "source"]
            if parsed.headline_is_provisional:
                slug = provisional_slug(parsed)
                if slug in self._free_slugs:
                    self._free_slugs.discard(slug)
                    checked.append("slug")
            article = Article(
                headline=outcome.headline,
                needs_headline=parsed.headline_is_provisional,
                **({"slug": slug} if slug else {}),
                **fields,
            )
            if body_html:
                article.rendered_ahead = (parsed.body, body_html)
            # The revision row is inserted with the batch's others in `_flush`.
            article.skip_history_when_saving = True
            try:
                # The hash, the source and perhaps the slug were just looked up
                # (`_check`, `_source`, `_expect_slugs`).
                article_save(
                    article=article,
                    user=self.user,
                    expected_version=None,
                    is_new=True,
                    checked=checked,
                )
            finally:
                del article.skip_history_when_saving
            article._history_date = article.updated_at
            self._pending.articles.append(article)
        else:
            article = self._update(previous, parsed, outcome, fields)
        if authors:
            article_set_authors(article=article, authors=authors)
        if previous is None:
            self._pending.authors[article.pk] = authors
        else:
            self._pending.updated[article.pk] = article
        self._write_quotes(article, parsed, outcome)
        self._write_related(article, parsed)
        for part in extensions.import_parts:
            self._pending.contributed.setdefault(part, []).extend(
                part.rows(article=article, parsed=parsed)
            )
        if not parsed.headline_is_provisional:
            # Earlier imports that pointed at this headline now find it.
            titles = self._unresolved_titles().pop(headline_key(article.headline), None)
            if titles:
                RelatedLink.objects.filter(
                    target__isnull=True, title__in=titles
                ).exclude(article=article).update(target=article)
                for row in self._pending.links:
                    if (
                        row.target_id is None
                        and row.title in titles
                        and row.article_id != article.pk
                    ):
                        row.target = article
        return article

    def _update(
        self,
        previous: Article,
        parsed: ParsedArticle,
        outcome: ImportOutcome,
        fields: dict[str, Any],
    ) -> Article:
        article = Article.objects.select_for_update().get(pk=previous.pk)
        if article.version != previous.version or article.status != ArticleStatus.DRAFT:
            # Saved by an editor since this run read it: their edit is kept,
            # as the services keep any edit made after the version it read.
            raise ArticleConflict(conflict_message(article), code="version_conflict")
        for name, value in fields.items():
            setattr(article, name, value)
        if article.needs_headline:
            article.headline = outcome.headline
            article.needs_headline = parsed.headline_is_provisional
        article.version += 1
        if self.user is not None and getattr(self.user, "pk", None):
            article.updated_by = self.user
        article.full_clean()
        article.save()
        article.quotes.all().delete()
        article.related_links.all().delete()
        for part in extensions.import_parts:
            part.replace(article=article)
        self._pending.drop_children_of(article)
        return article

    def _flush(self) -> None:
        """Insert the revision rows, quotes and candidate figures of the transaction."""
        pending, self._pending = self._pending, PendingRows()
        if pending.articles:
            # What the save signal would record: the imported draft, created.
            get_history_manager_for_model(Article).bulk_history_create(
                pending.articles, default_change_reason=None
            )
        Quote.objects.bulk_create(pending.quotes)
        RelatedLink.objects.bulk_create(pending.links)
        for part in extensions.import_parts:
            part.insert(pending.contributed.get(part, []))
        self._record_revisions(pending)

    def _record_revisions(self, pending: PendingRows) -> None:
        """Each new draft's first revision, as `article_snapshot` would read it back,
        built from the rows just written and inserted together; a replaced draft
        is recorded from the database."""
        created = [a for a in pending.articles if a.pk not in pending.updated]
        quotes: dict[int, list[Quote]] = {}
        for quote in pending.quotes:
            quotes.setdefault(quote.article_id, []).append(quote)
        links: dict[int, list[RelatedLink]] = {}
        for link in pending.links:
            links.setdefault(link.article_id, []).append(link)
        parts = {part.key: part.snapshots(created) for part in revision_parts}
        user = self.user if getattr(self.user, "pk", None) else None
        ArticleRevision.objects.bulk_create(
            ArticleRevision(
                article_id=article.pk,
                kind=RevisionKind.SAVED,
                snapshot={
                    "format": SNAPSHOT_FORMAT,
                    **fields_snapshot(article),
                    "authors": author_refs(pending.authors.get(article.pk, ())),
                    "topics": [],
                    "quotes": [
                        quote_part(q.person, q.text, q.attribution)
                        for q in sorted(quotes.get(article.pk, ()), key=_position)
                    ],
                    "related_links": [
                        link_part(_target(link), link.title, link.url, link.via)
                        for link in sorted(links.get(article.pk, ()), key=_position)
                    ],
                    **{key: values[article.pk] for key, values in parts.items()},
                },
                based_on_version=article.version,
                created_by=user,
            )
            for article in created
        )
        for article in pending.updated.values():
            revision_record(article=article, user=self.user)

    def _write_quotes(
        self, article: Article, parsed: ParsedArticle, outcome: ImportOutcome
    ) -> None:
        rows = []
        for position, quote in enumerate(parsed.quotes):
            person = None
            attribution = quote.attribution
            if quote.is_person and quote.speaker:
                person = self._person(
                    quote.speaker, affiliation=quote.affiliation, title=quote.title
                )
            else:
                attribution = ", ".join(
                    p for p in (quote.speaker, quote.attribution) if p
                )
            rows.append(
                Quote(
                    article=article,
                    person=person,
                    text=quote.text,
                    attribution=attribution[:_ATTRIBUTION_MAX],
                    position=position,
                )
            )
        self._pending.quotes.extend(rows)

    def _write_related(self, article: Article, parsed: ParsedArticle) -> None:
        headlines = self._headline_index()
        rows = []
        for position, link in enumerate(parsed.related_links):
            target_id = headlines.get(headline_key(link.title))
            if target_id == article.pk:
                target_id = None
            rows.append(
                RelatedLink(
                    article=article,
                    target_id=target_id,
                    title=link.title[:_TITLE_MAX],
                    url=link.url if len(link.url) <= 1000 else "",
                    via=self._person(link.via) if link.via else None,
                    position=position,
                )
            )
        self._pending.links.extend(rows)
        if self._unresolved is not None:
            for row in rows:
                if row.target_id is None:
                    self._unresolved.setdefault(headline_key(row.title), set()).add(
                        row.title
                    )

    # --- lookups (cached for the run) ---------------------------------------

    def _previous_version(self, parsed: ParsedArticle) -> Article | None:
        """An earlier import of the same original URL: a new text replaces it."""
        url = parsed.attribution.url if parsed.attribution else ""
        if not url:
            return None
        return (
            Article.objects.filter(original_url=url, content_hash__isnull=False)
            .order_by("-created_at")
            .first()
        )

    def _source(
        self, attribution: Attribution | None, outcome: ImportOutcome
    ) -> Source | None:
        if attribution is None:
            return None
        domain = normalise_domain(attribution.domain) if attribution.domain else ""
        key = domain or f"name:{attribution.name.casefold()}"
        if key in self._sources:
            source = self._sources[key]
            if source is None:
                outcome.warnings.append(unknown_source(attribution.name))
            else:
                outcome.source = source.name
            return source
        if domain:
            source = Source.objects.filter(domain=domain).first()
            if source is None:
                source = self._create_source(attribution.name, domain)
        else:
            source = Source.objects.filter(name__iexact=attribution.name).first()
            if source is None:
                outcome.warnings.append(unknown_source(attribution.name))
        if source is not None:
            outcome.source = source.name
        self._sources[key] = source
        return source

    def _create_source(self, name: str, domain: str) -> Source:
        base = slugify(name)[:190] or slugify(domain)[:190] or "source"
        slug, n = base, 2
        while Source.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        source = Source(name=name[:200], slug=slug, domain=domain)
        source.full_clean()
        with transaction.atomic():
            source.save()
        return source

    def _person(self, name: str, *, affiliation: str = "", title: str = "") -> Person:
        name = name.strip()[:200]
        person = self._people.get(name)
        if person is None:
            if name not in self._absent_people:
                person = Person.objects.filter(name=name).first()
            if person is None and " " not in name:
                matches = list(Person.objects.filter(name__endswith=f" {name}")[:2])
                person = matches[0] if len(matches) == 1 else None
            if person is None:
                person = Person(name=name, slug=self._person_slug(name))
                person.affiliation = affiliation[:200]
                person.title = title[:200]
                # `_person_slug` has just found the slug free.
                person.full_clean(validate_unique=False)
                person.save()
                self._absent_people.discard(name)
        changed = []
        if affiliation and not person.affiliation:
            person.affiliation = affiliation[:200]
            changed.append("affiliation")
        if title and not person.title:
            person.title = title[:200]
            changed.append("title")
        if changed:
            person.save(update_fields=[*changed, "updated_at"])
        self._people[name] = person
        return person

    @staticmethod
    def _person_slug(name: str) -> str:
        base = slugify(name)[:190] or "person"
        slug, n = base, 2
        while Person.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _headline_index(self) -> dict[str, int]:
        if self._headlines is None:
            self._headlines = {}
            for pk, headline in (
                Article.objects.filter(needs_headline=False)
                .values_list("pk", "headline")
                .order_by("pk")
            ):
                self._headlines.setdefault(headline_key(headline), pk)
        return self._headlines

    def _unresolved_titles(self) -> dict[str, set[str]]:
        """Titles of links still waiting for their article, loaded once per run."""
        if self._unresolved is None:
            self._unresolved = {}
            titles = (
                RelatedLink.objects.filter(target__isnull=True)
                .values_list("title", flat=True)
                .distinct()
            )
            pending = [
                row.title for row in self._pending.links if row.target_id is None
            ]
            for title in [*titles, *pending]:
                self._unresolved.setdefault(headline_key(title), set()).add(title)
        return self._unresolved

    def _remember_headline(self, article: Article) -> None:
        if self._headlines is not None and not article.needs_headline:
            self._headlines.setdefault(headline_key(article.headline), article.pk)

    def _failed(self, outcome: ImportOutcome, reason: str) -> ImportOutcome:
        outcome.status, outcome.reason, outcome.article_id = FAILED, reason, None
        self._forget()
        return outcome

    def _forget(self) -> None:
        """Drop cached and pending rows: a rolled-back transaction took them away."""
        self._pending = PendingRows()
        self._sources.clear()
        self._people.clear()
        self._absent_people.clear()
        self._free_slugs.clear()
        self._unresolved = None
