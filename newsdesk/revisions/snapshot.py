"""An article as readers see it, as one JSON dict, and how to write one back.

The shape (documented in docs/revisions.md): the article's own text and
provenance fields, `lead_image`, `source` as ``{"id", "label"}`` or null,
`authors` (byline order) and `topics` as lists of ``{"id", "label"}``,
`quotes` and `related_links` in page order, and one key per part other apps
register in `newsdesk.extensions.revision_parts` (incidents: "incidents").
Corrections are not part of it: they are dated editorial acts of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from newsdesk.extensions import revision_parts
from newsdesk.models import (
    Article,
    ArticleAuthor,
    Image,
    Person,
    Quote,
    RelatedLink,
    Source,
    Topic,
)

Snapshot = dict[str, Any]
Ref = dict[str, Any] | None

SNAPSHOT_FORMAT = 1
# The article's own fields a revision keeps, as stored.
TEXT_FIELDS = (
    "headline",
    "needs_headline",
    "slug",
    "standfirst",
    "body",
    "language",
    "original_language",
    "original_url",
    "lead_image_caption",
)
# Foreign keys kept as {"id", "label"}: snapshot key -> attribute of the article.
REF_FIELDS = {"source": "source_id", "lead_image": "lead_image_id"}
ROW_PARTS = ("authors", "topics", "quotes", "related_links")


def ref(obj: models.Model | None) -> Ref:
    """A related row as a revision names it: its id, and a label to read it by."""
    if obj is None:
        return None
    # People, sources and topics by their name, as the page names them.
    return {"id": obj.pk, "label": getattr(obj, "name", None) or str(obj)}


def ref_id(value: Ref) -> int | None:
    return value["id"] if value else None


def _text(value: Any) -> Any:
    # Browsers send text areas with CRLF line ends: the same text, stored once.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def fields_snapshot(article: Article) -> Snapshot:
    """The article's own fields and references as they stand on this instance."""
    part: Snapshot = {name: _text(getattr(article, name)) for name in TEXT_FIELDS}
    part["source"] = ref(article.source) if article.source_id else None
    part["lead_image"] = ref(article.lead_image) if article.lead_image_id else None
    return part


def author_refs(people: Iterable[Person]) -> list[Ref]:
    return [ref(person) for person in people]


def topic_refs(topics: Iterable[Topic]) -> list[Ref]:
    return [ref(topic) for topic in sorted(topics, key=lambda t: (t.name, t.pk))]


def quote_part(person: Person | None, text: str, attribution: str) -> Snapshot:
    return {
        "speaker": ref(person),
        "text": _text(text),
        "attribution": attribution or "",
    }


def link_part(
    target: Article | None, title: str, url: str, via: Person | None
) -> Snapshot:
    return {
        "id": target.pk if target else None,
        "label": title or (target.headline if target else ""),
        "title": title or "",
        "url": url or "",
        "via": ref(via),
    }


def article_snapshot(
    article: Article,
    *,
    row: Article | None = None,
    named: list[models.Model] | None = None,
) -> Snapshot:
    """The stored article (its row and rows), as a revision keeps it.

    `row`: the article's row as just read from the database (with its source
    and lead image), instead of reading it again. `named`: filled with the
    people and articles the rows name, as read, for a caller that shows them.
    """
    if row is None:
        row = Article.objects.select_related("source", "lead_image").get(pk=article.pk)
    bylines = ArticleAuthor.objects.filter(article_id=row.pk).select_related("person")
    quotes = list(
        Quote.objects.filter(article_id=row.pk)
        .select_related("person")
        .order_by("position", "id")
    )
    links = list(
        RelatedLink.objects.filter(article_id=row.pk)
        .select_related("target", "via")
        .order_by("position", "id")
    )
    authors = [entry.person for entry in bylines.order_by("position", "id")]
    snapshot: Snapshot = {
        "format": SNAPSHOT_FORMAT,
        **fields_snapshot(row),
        "authors": author_refs(authors),
        "topics": topic_refs(row.topics.all()),
        "quotes": [quote_part(q.person, q.text, q.attribution) for q in quotes],
        "related_links": [
            link_part(link.target, link.title, link.url, link.via) for link in links
        ],
    }
    if named is not None:
        named.extend(authors)
        for related in [q.person for q in quotes] + [
            obj for link in links for obj in (link.target, link.via)
        ]:
            if related is not None:
                named.append(related)
    for part in revision_parts:
        snapshot[part.key] = part.snapshot(row)
    return snapshot


def _ids_only(value: Any) -> Any:
    """`value` with every reference reduced to its id: a renamed person or topic
    does not make a revision differ."""
    if isinstance(value, dict):
        if set(value) == {"id", "label"}:
            return value["id"]
        return {k: _ids_only(v) for k, v in value.items() if k != "label"}
    if isinstance(value, list):
        return [_ids_only(item) for item in value]
    return _text(value)


def snapshots_equal(a: Snapshot | None, b: Snapshot | None) -> bool:
    """True when the two snapshots store the same article (labels aside)."""
    if a is None or b is None:
        return a is b
    keys = (set(a) | set(b)) - {"format"}
    return all(_ids_only(a.get(k)) == _ids_only(b.get(k)) for k in keys)


def _rows_of(model: type[models.Model], ids: list[int], what: str) -> list:
    found = model._default_manager.in_bulk(ids)
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            f"This revision names {what} that no longer exist (id {missing[0]}).",
            code="missing_reference",
        )
    return [found[pk] for pk in ids]


def snapshot_apply(*, article: Article, snapshot: Snapshot, user: Any) -> Article:
    """Make the stored article match `snapshot`, through the services.

    Only what differs is written, each part by the service that owns it (and
    checks `user`), in one transaction: a refused part leaves nothing changed.
    """
    from newsdesk import services
    from newsdesk.revisions.services import article_set_topics

    with transaction.atomic():
        current = Article.objects.select_related("source", "lead_image").get(
            pk=article.pk
        )
        before = article_snapshot(current)
        data = {
            name: snapshot[name]
            for name in TEXT_FIELDS
            if name in snapshot and _text(getattr(current, name)) != snapshot[name]
        }
        for key, attname in REF_FIELDS.items():
            if key in snapshot and getattr(current, attname) != ref_id(snapshot[key]):
                wanted = ref_id(snapshot[key])
                model = Source if key == "source" else Image
                if wanted is not None:
                    _rows_of(model, [wanted], key.replace("_", " "))
                data[attname] = wanted
        if data:
            current = services.article_update(
                article=current, user=user, data=data, expected_version=None
            )
        if not snapshots_equal(
            {"a": before["authors"]}, {"a": snapshot.get("authors", before["authors"])}
        ):
            people = _rows_of(
                Person, [ref_id(a) for a in snapshot["authors"]], "an author"
            )
            services.article_set_authors(article=current, authors=people, user=user)
        if "topics" in snapshot and not snapshots_equal(
            {"t": before["topics"]}, {"t": snapshot["topics"]}
        ):
            topics = _rows_of(Topic, [ref_id(t) for t in snapshot["topics"]], "a topic")
            article_set_topics(article=current, topics=topics, user=user)
        if "quotes" in snapshot:
            _apply_rows(
                current,
                Quote,
                snapshot["quotes"],
                lambda row, item: _set_quote(row, item),
                save=lambda row: services.quote_save(quote=row, user=user),
                delete=lambda row: services.quote_delete(quote=row, user=user),
            )
        if "related_links" in snapshot:
            _apply_rows(
                current,
                RelatedLink,
                snapshot["related_links"],
                lambda row, item: _set_link(row, item),
                save=lambda row: services.related_link_save(link=row, user=user),
                delete=lambda row: services.related_link_delete(link=row, user=user),
            )
        for part in revision_parts:
            if part.key in snapshot and not snapshots_equal(
                {"p": before.get(part.key)}, {"p": snapshot[part.key]}
            ):
                part.apply(article=current, value=snapshot[part.key], user=user)
    return current


def _set_quote(row: Quote, item: Snapshot) -> None:
    speaker = ref_id(item.get("speaker"))
    if speaker is not None:
        _rows_of(Person, [speaker], "a quoted person")
    row.person_id = speaker
    row.text = item.get("text", "")
    row.attribution = item.get("attribution", "")


def _set_link(row: RelatedLink, item: Snapshot) -> None:
    target, via = item.get("id"), ref_id(item.get("via"))
    if target is not None:
        _rows_of(Article, [target], "a linked article")
    if via is not None:
        _rows_of(Person, [via], "a person")
    row.target_id = target
    row.title = item.get("title", "")
    row.url = item.get("url", "")
    row.via_id = via


def _apply_rows(
    article: Article, model, items: list[Snapshot], fill, *, save, delete
) -> None:
    """Rows of `model` in page order made to match `items`: kept rows changed in
    place (ids stay), missing ones added, extra ones removed."""
    rows = list(model.objects.filter(article_id=article.pk).order_by("position", "id"))
    for position, item in enumerate(items):
        row = rows[position] if position < len(rows) else model(article=article)
        before = {f.attname: getattr(row, f.attname) for f in model._meta.fields}
        fill(row, item)
        row.position = position
        after = {f.attname: getattr(row, f.attname) for f in model._meta.fields}
        if row.pk is None or before != after:
            save(row)
    for row in rows[len(items) :]:
        delete(row)
