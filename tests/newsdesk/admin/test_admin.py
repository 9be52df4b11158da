"""The editors' admin: every screen opens, workflow through the admin, conflicts, history."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from newsdesk.models import Article, ArticleStatus, Comment, CommentStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

FACTORY_FOR = {
    "newsdesk.source": f.SourceFactory,
    "newsdesk.person": f.PersonFactory,
    "newsdesk.topic": f.TopicFactory,
    "newsdesk.image": f.ImageFactory,
    "newsdesk.article": f.ArticleFactory,
    "newsdesk.articleredirect": None,
    "newsdesk.quote": f.QuoteFactory,
    "newsdesk.relatedlink": f.RelatedLinkFactory,
    "newsdesk.correction": f.CorrectionFactory,
    "newsdesk.comment": f.CommentFactory,
    "incidents.actor": f.ActorFactory,
    "incidents.place": f.PlaceFactory,
    "incidents.incident": f.IncidentFactory,
    "incidents.figure": f.FigureFactory,
    "incidents.figurecandidate": f.FigureCandidateFactory,
    "incidents.recommendation": f.RecommendationFactory,
}
REGISTERED = sorted(
    model._meta.label_lower
    for model in admin.site._registry
    if model._meta.app_label in ("newsdesk", "incidents")
)


def test_every_domain_model_is_registered():
    domain = {
        m._meta.label_lower
        for m in apps.get_models()
        if m._meta.app_label in ("newsdesk", "incidents")
        and not m.__name__.startswith("Historical")
    }
    # Join rows are edited as inlines of their parents.
    inline_only = {
        "newsdesk.articleauthor",
        "incidents.actoralias",
        "incidents.incidentactor",
        "incidents.recommendationupdate",
        "incidents.incident_articles",
    }
    # Written only by the review workflow; shown in the article's history.
    inline_only.add("newsdesk.reviewnote")
    # Revisions are read and acted on from their article's own screens.
    on_article_screens = {"newsdesk.articlerevision"}
    # Kept by the change forms themselves (autosave), never edited on a screen.
    form_state = {"newsdesk.formdraft"}
    # Read models: built from the article and what it shows, never edited.
    derived = {
        "newsdesk.storedarticlepage",
        "newsdesk.storedarticlepageref",
        "newsdesk.storedarticlepagetag",
    }
    unregistered = domain - inline_only - on_article_screens - form_state - derived
    assert unregistered <= set(REGISTERED)


@pytest.mark.parametrize("label", REGISTERED)
def test_changelist_add_and_change_pages_open_for_an_editor(editor_client, label):
    app_label, model_name = label.split(".")
    response = editor_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200
    add = editor_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
    assert add.status_code in (
        200,
        403,
    )  # corrections and comments are not added by hand
    factory = FACTORY_FOR.get(label)
    if factory is None:
        obj = f.ArticleFactory(published=True).redirects.create(
            old_path="/articles/2020/01/x/"
        )
    else:
        obj = factory()
    change = editor_client.get(
        reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    )
    assert change.status_code == 200
    history = editor_client.get(
        reverse(f"admin:{app_label}_{model_name}_history", args=[obj.pk])
    )
    assert history.status_code == 200


def test_admin_index_shows_what_waits(editor_client):
    f.ArticleFactory(in_review=True, headline="Waiting for review")
    f.ArticleFactory(scheduled=True, headline="Goes out tomorrow")
    f.CommentFactory()
    response = editor_client.get(reverse("admin:index"))
    html = response.content.decode()
    assert "Waiting for review" in html
    assert "Goes out tomorrow" in html
    counts = {q.title: q.count for q in response.context["queues"]}
    assert counts["Comments to moderate"] == 1


def _changelist_queries(client, django_assert_max_num_queries, count):
    f.ArticleFactory.create_batch(count, source=f.SourceFactory())
    url = reverse("admin:newsdesk_article_changelist")
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # date and language navigation is cached; count it every time
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_changelist_query_count_does_not_grow(
    editor_client, django_assert_max_num_queries
):
    small = _changelist_queries(editor_client, django_assert_max_num_queries, 10)
    Article.objects.all().delete()
    large = _changelist_queries(editor_client, django_assert_max_num_queries, 500)
    assert small == large


def test_date_navigation_is_cached_between_requests(editor_client):
    f.ArticleFactory.create_batch(3, published=True)
    url = reverse("admin:newsdesk_article_changelist")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert editor_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert len(second) < len(first)
    assert response.context["cl"].date_hierarchy == "publish_at"
    assert not any("DISTINCT" in q["sql"] for q in second.captured_queries)
    # The first and last dates (one look each into the index) too.
    assert any('AS "first"' in q["sql"] for q in first.captured_queries)
    assert not any('AS "first"' in q["sql"] for q in second.captured_queries)


def test_cached_date_range_follows_the_filters(editor_client):
    f.ArticleFactory(published=True, publish_at=timezone.now() - timedelta(days=800))
    f.ArticleFactory(scheduled=True)
    url = reverse("admin:newsdesk_article_changelist")
    everything = (
        editor_client.get(url)
        .context["cl"]
        .queryset.aggregate(first=Min("publish_at"), last=Max("publish_at"))
    )
    scheduled = editor_client.get(url, {"state": "scheduled"}).context["cl"]
    only_scheduled = scheduled.queryset.aggregate(
        first=Min("publish_at"), last=Max("publish_at")
    )
    assert everything["first"] < only_scheduled["first"]
    assert only_scheduled["first"] == only_scheduled["last"]


def test_status_filter_separates_scheduled_from_live(editor_client):
    live = f.ArticleFactory(published=True, headline="Live one")
    scheduled = f.ArticleFactory(scheduled=True, headline="Later one")
    url = reverse("admin:newsdesk_article_changelist")
    response = editor_client.get(url, {"state": "scheduled"})
    assert list(response.context["cl"].result_list) == [scheduled]
    response = editor_client.get(url, {"state": "live"})
    assert list(response.context["cl"].result_list) == [live]
    assert "Scheduled for" in editor_client.get(url).content.decode()


# --- workflow through the admin -------------------------------------------------


def _action(client, action, articles, **extra):
    return client.post(
        reverse("admin:newsdesk_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles], **extra},
        follow=True,
    )


def test_editor_publishes_from_changelist_action(editor_client):
    article = f.ArticleFactory(in_review=True)
    response = _action(editor_client, "publish_selected", [article])
    article.refresh_from_db()
    assert article.is_published()
    assert "Published 1 article(s)." in response.content.decode()


def test_reporter_cannot_publish_from_the_admin(reporter_client):
    article = f.ArticleFactory(in_review=True)
    response = _action(reporter_client, "publish_selected", [article])
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert "No action selected" in response.content.decode()  # not offered at all
    workflow = reverse("admin:newsdesk_article_workflow", args=[article.pk, "publish"])
    response = reporter_client.post(workflow, {"version": article.version}, follow=True)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_reporter_submits_and_sees_no_publish_button(reporter_client):
    article = f.ArticleFactory()
    change = reporter_client.get(
        reverse("admin:newsdesk_article_change", args=[article.pk])
    )
    buttons = [action for action, _ in change.context["workflow_buttons"]]
    assert buttons == ["submit"]
    _action(reporter_client, "submit_selected", [article])
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_reporter_cannot_edit_a_retracted_article(reporter_client):
    article = f.ArticleFactory(retracted=True)
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    response = reporter_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_retract_action_asks_for_a_note_then_retracts(editor_client):
    article = f.ArticleFactory(published=True)
    page = _action(editor_client, "retract_selected", [article])
    assert "note" in page.context["form"].fields
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    _action(
        editor_client,
        "retract_selected",
        [article],
        apply="1",
        note="Sources withdrew.",
    )
    article.refresh_from_db()
    assert article.status == ArticleStatus.RETRACTED
    assert article.retraction_note == "Sources withdrew."


def test_schedule_through_workflow_page(editor_client):
    article = f.ArticleFactory(in_review=True)
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "publish"])
    assert editor_client.get(url).status_code == 200
    editor_client.post(
        url,
        {
            "version": article.version,
            "publish_at_0": "2099-01-01",
            "publish_at_1": "09:00:00",
        },
    )
    article.refresh_from_db()
    assert article.is_scheduled()


def test_correction_through_workflow_page(editor_client):
    article = f.ArticleFactory(published=True)
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "correct"])
    editor_client.post(
        url,
        {
            "version": article.version,
            "kind": "correction",
            "note": "Fixed the toll.",
            "substantive": "on",
        },
    )
    assert article.corrections.get().note == "Fixed the toll."


def _change_form_data(article, **overrides):
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "language": article.language,
        "original_language": "",
        "original_url": "",
        "lead_image_caption": "",
        "version_seen": article.version,
    }
    for prefix in (
        "article_authors",
        "quotes",
        "related_links",
        "Incident_articles",
        "corrections",
    ):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(overrides)
    return data


def test_two_editors_saving_the_same_version(client, editor, superuser):
    article = f.ArticleFactory(headline="Before")
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    stale = _change_form_data(article)

    client.force_login(editor)
    first = client.post(url, _change_form_data(article, headline="Editor one"))
    assert first.status_code == 302

    client.force_login(superuser)
    second = client.post(url, {**stale, "headline": "Editor two"})
    assert second.status_code == 200
    html = second.content.decode()
    assert "changed by eddie-editor" in html and "Nothing was saved" in html
    article.refresh_from_db()
    assert article.headline == "Editor one"


def test_history_records_changes_and_restores(editor_client):
    article = f.ArticleFactory(headline="First headline")
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    response = editor_client.post(
        url, _change_form_data(article, headline="Second headline")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.history.count() == 2

    history = editor_client.get(
        reverse("admin:newsdesk_article_history", args=[article.pk])
    )
    assert "Second headline" in history.content.decode() or history.status_code == 200
    oldest = article.history.earliest()
    revert_url = reverse(
        "admin:newsdesk_article_simple_history", args=[article.pk, oldest.history_id]
    )
    page = editor_client.get(revert_url)
    assert page.status_code == 200
    data = _change_form_data(article, headline="First headline")
    data["version_seen"] = page.context["adminform"].form["version_seen"].value()
    editor_client.post(revert_url, data)
    article.refresh_from_db()
    assert article.headline == "First headline"
    assert article.history.count() == 3


def test_moderator_approves_comments_in_bulk(client, moderator):
    comments = f.CommentFactory.create_batch(3)
    client.force_login(moderator)
    client.post(
        reverse("admin:newsdesk_comment_changelist"),
        {
            "action": "approve_selected",
            "_selected_action": [c.pk for c in comments[:2]],
        },
    )
    assert Comment.objects.filter(status=CommentStatus.APPROVED).count() == 2


def test_comment_email_never_in_moderation_list(client, moderator):
    comment = f.CommentFactory(email="secret-address@example.org")
    client.force_login(moderator)
    html = client.get(reverse("admin:newsdesk_comment_changelist")).content.decode()
    assert comment.name in html
    assert "secret-address@example.org" not in html


def test_draft_change_page_offers_a_working_share_link(editor_client, client):
    import re

    article = f.ArticleFactory(headline="Embargoed draft")
    page = editor_client.get(
        reverse("admin:newsdesk_article_change", args=[article.pk])
    )
    html = page.content.decode()
    assert "Preview as staff" in html
    share = re.search(r'value="(http[^"]+)" aria-label="Share link"', html).group(1)
    path = share.split("127.0.0.1:8000", 1)[-1].replace("&amp;", "&")
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    response = client.get(path)
    assert response.status_code == 200
    assert "Embargoed draft" in response.content.decode()


def test_losing_a_race_after_the_form_check_shows_the_conflict_not_an_error(
    editor_client, monkeypatch
):
    from newsdesk import services

    article = f.ArticleFactory(headline="Before")
    real_save = services.article_save

    def someone_saves_first(**kwargs):
        # Another editor commits between the form's check and the locked save.
        Article.objects.filter(pk=article.pk).update(headline="Theirs", version=99)
        return real_save(**kwargs)

    monkeypatch.setattr(services, "article_save", someone_saves_first)
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    response = editor_client.post(
        url, _change_form_data(article, headline="Mine"), follow=True
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    article.refresh_from_db()
    # The simulated rival write shares the request's transaction, so it is rolled
    # back with it; what matters is that "Mine" was never written.
    assert article.headline != "Mine"
