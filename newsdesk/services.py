"""Editorial writes: every multi-step change to articles and comments goes through here.

Views, admin actions, API views and the importer call these functions; each
validates, runs atomically and raises `ValidationError` with a message an
editor can act on.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from newsdesk.http import purge
from newsdesk.http import tags as cache_tags
from newsdesk.models import (
    Article,
    ArticleAuthor,
    ArticleRedirect,
    ArticleStatus,
    Comment,
    CommentStatus,
    Correction,
    CorrectionKind,
    Person,
    Quote,
    RelatedLink,
)
from newsdesk.publish_checks import publish_blockers
from newsdesk.revisions.recording import (
    pending_dropped,
    revision_saved,
    revision_went_live,
)
from newsdesk.signals import published_windows

User = AbstractBaseUser | AnonymousUser

PUBLISH_PERMISSION = "newsdesk.publish_article"
MODERATE_PERMISSION = "newsdesk.moderate_comment"

# Fields the workflow owns: an ordinary edit never changes them.
WORKFLOW_FIELDS = frozenset(
    {
        "status",
        "publish_at",
        "first_published_at",
        "retracted_at",
        "retraction_note",
        "version",
    }
)


class ArticleConflict(ValidationError):
    """Raised when a save is based on a version someone else has already replaced."""


def user_can_publish(user: User | None) -> bool:
    """The one place that decides who may publish, schedule and retract."""
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def _require_publish_permission(user: User | None, verb: str) -> None:
    if not user_can_publish(user):
        raise PermissionDenied(f"You do not have permission to {verb} articles.")


def _require_change_permission(user: User | None) -> None:
    if not (user and user.is_active and user.has_perm("newsdesk.change_article")):
        raise PermissionDenied("You do not have permission to edit articles.")


def _lock(article: Article) -> Article:
    """Return the current database row for `article`, locked for this transaction."""
    return Article.objects.select_for_update().get(pk=article.pk)


def conflict_message(current: Article) -> str:
    """Say who saved the article since, and when; nothing was overwritten."""
    who = current.updated_by.get_username() if current.updated_by else "someone else"
    when = date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
    return (
        f"This article was changed by {who} on {when} (version {current.version}) "
        "after you opened it. Nothing was saved: reload the article to see their "
        "changes, then make yours again."
    )


def _check_version(current: Article, expected_version: int | None) -> None:
    if expected_version is not None and current.version != expected_version:
        raise ArticleConflict(conflict_message(current), code="version_conflict")


def _record_redirect(*, old_path: str, article: Article) -> None:
    new_path = article.get_absolute_url()
    if old_path == new_path:
        return
    ArticleRedirect.objects.filter(old_path=new_path).delete()
    ArticleRedirect.objects.update_or_create(
        old_path=old_path, defaults={"article": article}
    )


def _validate(article: Article, *, checked: Collection[str] = ()) -> None:
    # Article.clean() mirrors its check constraints in Python (and the database
    # enforces them); Django's generic constraint validation builds a query per
    # constraint from every field and costs more than the save itself.
    # `checked` names fields the caller has just looked up in the database (a slug
    # found free, a hash found new, a source just read): their lookup queries
    # are not repeated, and the database's own constraints still hold them.
    article.full_clean(exclude=checked or None, validate_constraints=False)


def _save(
    article: Article, *, user: User | None, update_fields: Iterable[str] | None = None
) -> None:
    article.version = (article.version or 0) + 1
    if user is not None and getattr(user, "pk", None):
        article.updated_by = user
    _validate(article)
    if update_fields is not None:
        article.save(
            update_fields={*update_fields, "version", "updated_by", "updated_at"}
        )
    else:
        article.save()


def _refuse_workflow_fields(names: Iterable[str]) -> None:
    forbidden = WORKFLOW_FIELDS & set(names)
    if forbidden:
        raise ValidationError(
            dict.fromkeys(
                forbidden, "Set through the workflow (submit, publish, retract)."
            )
        )


def _insert_draft(
    article: Article, *, user: User | None, checked: Collection[str] = ()
) -> Article:
    if user is not None and not user.has_perm("newsdesk.add_article"):
        raise PermissionDenied("You do not have permission to write articles.")
    article.status = ArticleStatus.DRAFT
    article.publish_at = None
    if user is not None and getattr(user, "pk", None):
        article.created_by = user
        article.updated_by = user
    checked = set(checked)
    if not article.slug:
        article.slug = _unique_slug(slugify(article.headline)[:190] or "article")
        checked.add("slug")
    _validate(article, checked=checked)
    article.save()
    return article


def article_create(
    *,
    user: User | None,
    headline: str,
    authors: Iterable[Person] = (),
    topics: Iterable[Any] = (),
    **fields: Any,
) -> Article:
    """Create a draft article with its byline and topics.

    `user` is None only for trusted system callers (the importer, seeding).
    """
    _refuse_workflow_fields(fields)
    with transaction.atomic():
        article = _insert_draft(Article(headline=headline, **fields), user=user)
        _add_authors(article, authors)
        if topics:
            article.topics.set(topics)
        revision_saved(article=article, user=user)
    return article


def _unique_slug(base: str) -> str:
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _add_authors(article: Article, authors: Iterable[Person]) -> None:
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, person=person, position=index)
        for index, person in enumerate(authors)
    )


def _refuse_if_out(current: Article, user: User | None) -> None:
    if current.status in (ArticleStatus.PUBLISHED, ArticleStatus.RETRACTED) and (
        not user_can_publish(user)
    ):
        raise PermissionDenied(
            "Only editors can change an article once it is published."
        )


def article_require_editable(*, article: Article, user: User | None) -> None:
    """Refuse `user` a change to the article or its rows, as `article_save` does.

    None is a trusted system caller; call inside a transaction (the row is locked).
    """
    if user is None:
        return
    _require_change_permission(user)
    _refuse_if_out(_lock(article), user)


def article_set_authors(
    *, article: Article, authors: Iterable[Person], user: User | None = None
) -> None:
    """Set the byline to `authors`, in the given order.

    The rows of people who stay keep their identity (only their position
    changes), so a change form opened before this save still names them.
    """
    authors = list(authors)
    with transaction.atomic():
        article_require_editable(article=article, user=user)
        rows = {
            row.person_id: row for row in ArticleAuthor.objects.filter(article=article)
        }
        staying = {person.pk for person in authors}
        gone = [row.pk for person_id, row in rows.items() if person_id not in staying]
        if gone:
            ArticleAuthor.objects.filter(pk__in=gone).delete()
        moved = []
        for index, person in enumerate(authors):
            row = rows.get(person.pk)
            if row is not None and row.position != index:
                row.position = index
                moved.append(row)
        added = [
            ArticleAuthor(article=article, person=person, position=index)
            for index, person in enumerate(authors)
            if person.pk not in rows
        ]
        if moved:
            ArticleAuthor.objects.bulk_update(moved, ["position"])
        if added:
            ArticleAuthor.objects.bulk_create(added)
        # Bulk writes send no post_save: the pages of the bylines added or
        # moved are ours to purge (a deleted row purges its own).
        affected = {cache_tags.entity("article", article.pk)} | {
            cache_tags.listing("person", person.slug) for person in authors
        }
        if moved or added:
            affected |= published_windows(article.pk)
        purge.invalidate(affected)
        revision_saved(article=article, user=user)


def article_update(
    *,
    article: Article,
    user: User | None,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> Article:
    """Apply `data` to the article if nobody saved it since `expected_version`.

    A stale version raises `ArticleConflict` naming who changed it and when;
    nothing is written. Changing a published article's slug or date keeps the
    old URL as a redirect.
    """
    _refuse_workflow_fields(data)
    for name, value in data.items():
        setattr(article, name, value)
    return article_save(
        article=article, user=user, expected_version=expected_version, is_new=False
    )


def article_save(
    *,
    article: Article,
    user: User | None,
    expected_version: int | None,
    is_new: bool,
    checked: Collection[str] = (),
) -> Article:
    """Save an article edited in a form or the API, guarding against lost updates.

    Workflow fields always keep their stored values: they change only through
    submit, publish and retract. A new draft's `checked` fields are ones the
    caller has just checked against the database (the importer: its content
    hash and source), so validation does not query for them again.
    """
    if is_new:
        with transaction.atomic():
            _insert_draft(article, user=user, checked=checked)
            revision_saved(article=article, user=user)
        return article
    _require_change_permission(user)
    with transaction.atomic():
        current = _lock(article)
        _check_version(current, expected_version)
        _refuse_if_out(current, user)
        old_path = current.get_absolute_url()
        for name in WORKFLOW_FIELDS - {"version"}:
            setattr(article, name, getattr(current, name))
        article.version = current.version
        _save(article, user=user)
        if current.status == ArticleStatus.PUBLISHED:
            _record_redirect(old_path=old_path, article=article)
        revision_saved(article=article, user=user)
    return article


def _row_save(row: Quote | RelatedLink, *, user: User | None) -> None:
    with transaction.atomic():
        article_require_editable(article=Article(pk=row.article_id), user=user)
        row.full_clean()
        row.save()
        revision_saved(article=Article(pk=row.article_id), user=user)


def _row_delete(row: Quote | RelatedLink, *, user: User | None) -> None:
    with transaction.atomic():
        article_require_editable(article=Article(pk=row.article_id), user=user)
        row.delete()
        revision_saved(article=Article(pk=row.article_id), user=user)


def quote_save(*, quote: Quote, user: User | None) -> Quote:
    """Add or change a quote of an article its writer may still edit."""
    _row_save(quote, user=user)
    return quote


def quote_delete(*, quote: Quote, user: User | None) -> None:
    """Remove a quote from an article its writer may still edit."""
    _row_delete(quote, user=user)


def related_link_save(*, link: RelatedLink, user: User | None) -> RelatedLink:
    """Add or change a "Read also" link of an article its writer may still edit."""
    _row_save(link, user=user)
    return link


def related_link_delete(*, link: RelatedLink, user: User | None) -> None:
    """Remove a "Read also" link from an article its writer may still edit."""
    _row_delete(link, user=user)


def article_submit(
    *, article: Article, user: User | None, expected_version: int | None = None
) -> Article:
    """Send a draft to the editors for review."""
    _require_change_permission(user)
    with transaction.atomic():
        current = _lock(article)
        _check_version(current, expected_version)
        if current.status != ArticleStatus.DRAFT:
            raise ValidationError(
                f"Only drafts can be submitted for review; this article is "
                f"{current.display_status.lower()}.",
                code="invalid_transition",
            )
        if current.needs_headline:
            raise ValidationError(
                "Write a headline before submitting: the imported one is provisional.",
                code="needs_headline",
            )
        current.status = ArticleStatus.IN_REVIEW
        _save(current, user=user, update_fields={"status"})
    _refresh(article, current)
    return article


def article_return_to_draft(*, article: Article, user: User | None) -> Article:
    """Send an article in review back to its writer."""
    _require_change_permission(user)
    with transaction.atomic():
        current = _lock(article)
        if current.status != ArticleStatus.IN_REVIEW:
            raise ValidationError(
                "Only articles in review can be sent back to draft.",
                code="invalid_transition",
            )
        current.status = ArticleStatus.DRAFT
        _save(current, user=user, update_fields={"status"})
    _refresh(article, current)
    return article


def article_publish(
    *,
    article: Article,
    user: User | None,
    publish_at: datetime.datetime | None = None,
    expected_version: int | None = None,
) -> Article:
    """Publish now, or schedule for `publish_at` when it lies in the future.

    Drafts and articles in review can be published; a scheduled article can be
    rescheduled or published at once.
    """
    _require_publish_permission(user, "publish")
    now = timezone.now()
    with transaction.atomic():
        current = _lock(article)
        _check_version(current, expected_version)
        if current.status == ArticleStatus.RETRACTED:
            raise ValidationError(
                "A retracted article cannot be published again.",
                code="invalid_transition",
            )
        if current.is_published(now):
            raise ValidationError(
                "This article is already published.", code="invalid_transition"
            )
        if current.needs_headline:
            raise ValidationError(
                "Write a headline before publishing: the imported one is provisional.",
                code="needs_headline",
            )
        if not current.body.strip():
            raise ValidationError(
                "An article needs a body before it can be published.", code="empty_body"
            )
        blockers = publish_blockers(current)
        if blockers:
            raise ValidationError(blockers, code="publish_checks")
        if publish_at is not None and timezone.is_naive(publish_at):
            raise ValidationError(
                "The publish time needs a time zone.", code="naive_datetime"
            )
        # A rescheduled embargo never went live at its first time.
        rescheduled = current.is_scheduled()
        current.status = ArticleStatus.PUBLISHED
        current.publish_at = publish_at or now
        if current.first_published_at is None or rescheduled:
            current.first_published_at = current.publish_at
        _save(
            current,
            user=user,
            update_fields={"status", "publish_at", "first_published_at"},
        )
        revision_went_live(article=current, user=user)
    _refresh(article, current)
    return article


def article_unschedule(*, article: Article, user: User | None) -> Article:
    """Take a scheduled article back to review before it goes live."""
    _require_publish_permission(user, "unschedule")
    with transaction.atomic():
        current = _lock(article)
        if not current.is_scheduled():
            raise ValidationError(
                "Only scheduled articles can be unscheduled.", code="invalid_transition"
            )
        _withdraw_from_schedule(current, user=user)
    _refresh(article, current)
    return article


def _withdraw_from_schedule(current: Article, *, user: User | None) -> None:
    pending_dropped(article=current, note="Set aside: the article left the schedule")
    current.status = ArticleStatus.IN_REVIEW
    current.publish_at = None
    current.first_published_at = None
    _save(
        current,
        user=user,
        update_fields={"status", "publish_at", "first_published_at"},
    )


def article_retract(
    *,
    article: Article,
    user: User | None,
    note: str,
    expected_version: int | None = None,
) -> Article:
    """Withdraw a published article; its URL then answers 410 with `note`.

    An article still under embargo never went live, so readers are told nothing:
    it leaves the schedule and goes back to review, the note kept in its history.
    """
    _require_publish_permission(user, "retract")
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": "Explain to readers why the article is retracted."}
        )
    with transaction.atomic():
        current = _lock(article)
        _check_version(current, expected_version)
        if current.status != ArticleStatus.PUBLISHED:
            raise ValidationError(
                "Only published articles can be retracted.", code="invalid_transition"
            )
        if current.is_scheduled():
            current._change_reason = f"Withdrawn before going live: {note}"[:100]
            _withdraw_from_schedule(current, user=user)
            _refresh(article, current)
            return article
        pending_dropped(article=current, note="Set aside: the article was retracted")
        current.status = ArticleStatus.RETRACTED
        current.retraction_note = note
        current.retracted_at = timezone.now()
        _save(
            current,
            user=user,
            update_fields={"status", "retraction_note", "retracted_at"},
        )
    _refresh(article, current)
    return article


def _refresh(article: Article, current: Article) -> None:
    for field in Article._meta.concrete_fields:
        setattr(article, field.attname, getattr(current, field.attname))


def correction_add(
    *,
    article: Article,
    user: User | None,
    note: str,
    kind: str = CorrectionKind.CORRECTION,
    substantive: bool = True,
) -> Correction:
    """Append a dated correction shown to readers; marks the article as updated."""
    _require_publish_permission(user, "correct")
    with transaction.atomic():
        current = _lock(article)
        if current.status != ArticleStatus.PUBLISHED:
            raise ValidationError(
                "Corrections are for published articles; edit a draft directly.",
                code="invalid_transition",
            )
        correction = Correction(
            article=current,
            kind=kind,
            note=(note or "").strip(),
            created_by=user if getattr(user, "pk", None) else None,
        )
        correction.full_clean()
        correction.save()
        if substantive:
            current.substantive_update_at = correction.published_at
            _save(current, user=user, update_fields={"substantive_update_at"})
    _refresh(article, current)
    return correction


def comment_create(*, article: Article, name: str, email: str, body: str) -> Comment:
    """Record a reader's comment, pending moderation, on a published article."""
    if not Article.objects.published().filter(pk=article.pk).exists():
        raise ValidationError(
            "Comments are only open on published articles.", code="not_published"
        )
    comment = Comment(
        article=article,
        name=(name or "").strip(),
        email=(email or "").strip(),
        body=(body or "").strip(),
        status=CommentStatus.PENDING,
    )
    comment.full_clean()
    comment.save()
    return comment


def _comment_moderate(
    comments: Iterable[Comment], *, user: User | None, status: str
) -> int:
    if not (user and user.is_active and user.has_perm(MODERATE_PERMISSION)):
        raise PermissionDenied("You do not have permission to moderate comments.")
    comments = list(comments)
    ids = [c.pk for c in comments]
    with transaction.atomic():
        changed = (
            Comment.objects.filter(pk__in=ids)
            .exclude(status=status)
            .update(status=status, moderated_at=timezone.now(), moderated_by=user)
        )
        # A bulk update sends no post_save: invalidate the articles' pages ourselves.
        purge.invalidate({cache_tags.entity("article", c.article_id) for c in comments})
    return changed


def comment_approve(*, comments: Iterable[Comment], user: User | None) -> int:
    """Make comments public; returns how many changed."""
    return _comment_moderate(comments, user=user, status=CommentStatus.APPROVED)


def comment_mark_spam(*, comments: Iterable[Comment], user: User | None) -> int:
    """Hide comments as spam; returns how many changed."""
    return _comment_moderate(comments, user=user, status=CommentStatus.SPAM)


def comment_remove(*, comments: Iterable[Comment], user: User | None) -> int:
    """Hide comments removed by a moderator; returns how many changed."""
    return _comment_moderate(comments, user=user, status=CommentStatus.REMOVED)
