"""The article screens as editors found them broken: each case here failed before its fix."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from newsdesk.admin.lists import DateNavigationQuerySet
from newsdesk.models import Article
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsdesk_article_changelist"


def _png(name="lead.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- workflow pages --------------------------------------------------------------


def test_publish_page_loads_the_javascript_catalog_and_names_the_time_zone(
    editor_client, settings
):
    article = f.ArticleFactory(in_review=True)
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "publish"])
    html = editor_client.get(url).content.decode()
    # The date/time pickers call gettext(): the catalog must load before them.
    catalog = html.index(reverse("admin:jsi18n"))
    assert catalog < html.index("admin/js/calendar.js")
    assert f"Times are in the {settings.TIME_ZONE} time zone." in html


def test_confirmation_button_names_the_action_not_a_cut_headline(editor_client):
    article = f.ArticleFactory(
        in_review=True, headline="Families of Hasaka detainees wait for news"
    )
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "publish"])
    html = editor_client.get(url).content.decode()
    assert 'value="Publish or schedule"' in html
    assert "Families of Hasaka…" not in html
    assert (
        "<h1>Publish or schedule: Families of Hasaka detainees wait for news</h1>"
        in html
    )


def test_status_line_ends_with_one_full_stop(editor_client):
    article = f.ArticleFactory(scheduled=True)
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "unschedule"])
    html = editor_client.get(url).content.decode()
    line = re.search(r'<p class="nd-workflow-status">(.*?)</p>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", "", line)
    assert text.endswith("(UTC).")
    assert ".." not in text and "a.m." not in text


# --- lead image ------------------------------------------------------------------


def _change_data(client, article, **overrides):
    page = client.get(reverse("admin:newsdesk_article_change", args=[article.pk]))
    return {**admin_form_data(page), **overrides}


def test_missing_alt_text_keeps_the_uploaded_file(editor_client, settings, tmp_path):
    from newsdesk.models import Image as LibraryImage

    settings.MEDIA_ROOT = tmp_path
    url = reverse("admin:newsdesk_image_add")
    refused = editor_client.post(
        url, {**admin_form_data(editor_client.get(url)), "file": _png()}
    )
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "or tick “decorative”" in html
    assert "Your file “lead.png” is kept" in html
    assert refused.context["adminform"].form.data["file_pending"]

    retry = {**admin_form_data(refused), "alt_text": "Smoke over the prison walls"}
    saved = editor_client.post(url, retry)
    assert saved.status_code == 302
    image = LibraryImage.objects.get()
    assert image.file.name.endswith(".png")
    assert image.alt_text == "Smoke over the prison walls"


def test_a_forged_pending_upload_token_is_ignored(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("admin:newsdesk_image_add")
    data = {
        **admin_form_data(editor_client.get(url)),
        "alt_text": "x",
        "file_pending": "uploads/pending/x/lead.png",
    }
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert "file" in refused.context["adminform"].form.errors


def test_no_collapsed_fieldset_can_hide_an_error():
    # Django opens a collapsed fieldset on an error only for fields not grouped in a row.
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        for name, options in model_admin.get_fieldsets(_request(), None):
            if "collapse" not in options.get("classes", ()):
                continue
            readonly = set(model_admin.get_readonly_fields(_request(), None))
            for entry in options["fields"]:
                if isinstance(entry, (list, tuple)):
                    assert set(entry) <= readonly, (model, name, entry)


def _request():
    from django.test import RequestFactory

    from tests.factories import UserFactory

    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="fieldset-reader", is_superuser=True)
    return request


# --- article list ----------------------------------------------------------------


def test_changelist_styles_status_badges(editor_client):
    f.ArticleFactory(scheduled=True)
    html = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert "newsdesk/admin/admin.css" in html
    assert 'class="nd-status nd-status--scheduled"' in html


def test_topic_filter_names_articles_without_a_topic(editor_client):
    f.ArticleFactory(topics=[f.TopicFactory(name="Detention")])
    f.ArticleFactory()
    response = editor_client.get(reverse(CHANGELIST))
    topic_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.title == "topics"
    )
    labels = [
        choice["display"] for choice in topic_filter.choices(response.context["cl"])
    ]
    assert "No topic" in labels and "-" not in labels
    without = editor_client.get(reverse(CHANGELIST), {"topics__isnull": "True"})
    assert len(without.context["cl"].result_list) == 1


def test_changelist_queryset_is_built_in_its_own_class(editor_client):
    response = editor_client.get(reverse(CHANGELIST))
    assert isinstance(response.context["cl"].queryset, DateNavigationQuerySet)


# --- actions by role -------------------------------------------------------------


def test_reporters_are_not_offered_actions_they_cannot_use(reporter_client):
    f.ArticleFactory()
    response = reporter_client.get(reverse(CHANGELIST))
    actions = [
        name for name, _ in response.context["action_form"].fields["action"].choices
    ]
    assert "submit_selected" in actions
    assert "publish_selected" not in actions
    assert "retract_selected" not in actions


def test_editors_are_offered_publish_and_retract(editor_client):
    f.ArticleFactory()
    response = editor_client.get(reverse(CHANGELIST))
    actions = [
        name for name, _ in response.context["action_form"].fields["action"].choices
    ]
    assert {"publish_selected", "retract_selected"} <= set(actions)


# --- search ----------------------------------------------------------------------


def _found(client, query):
    response = client.get(reverse(CHANGELIST), {"q": query})
    assert response.status_code == 200
    return {a.headline for a in response.context["cl"].result_list}


def test_search_finds_a_name_in_the_body_of_a_draft(editor_client):
    f.ArticleFactory(headline="Camp report", body="Amira Haddad said the gates closed.")
    f.ArticleFactory(headline="Unrelated")
    assert _found(editor_client, "Haddad") == {"Camp report"}


def test_search_covers_standfirst_authors_and_quoted_people(editor_client):
    f.ArticleFactory(
        headline="By standfirst", standfirst="Drone strikes near Qamishli."
    )
    author = f.PersonFactory(name="Rania Saleh")
    f.ArticleFactory(headline="By author", authors=[author])
    quoted = f.ArticleFactory(headline="By quote", body="No names here.")
    f.QuoteFactory(article=quoted, person=f.PersonFactory(name="Karim Odeh"))
    assert _found(editor_client, "Qamishli") == {"By standfirst"}
    assert _found(editor_client, "Saleh") == {"By author"}
    assert _found(editor_client, "Karim Odeh") == {"By quote"}


def test_search_uses_the_full_text_index_not_a_scan(editor_client):
    f.ArticleFactory(body="Amira Haddad said the gates closed.")
    with CaptureQueriesContext(connection) as queries:
        _found(editor_client, "Haddad")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    index = (
        "search_vector" if connection.vendor == "postgresql" else "newsdesk_article_fts"
    )
    assert index in sql
    assert '"newsdesk_article"."body" LIKE' not in sql
    assert 'UPPER("newsdesk_article"."body"' not in sql


def test_an_over_long_search_is_an_error_message_not_a_500(editor_client):
    response = editor_client.get(reverse(CHANGELIST), {"q": "x" * 500})
    assert response.status_code == 200
    assert "at most" in response.content.decode()
    assert list(response.context["cl"].result_list) == []


# --- moderators ------------------------------------------------------------------


def test_moderators_see_comments_but_no_articles(client, moderator):
    draft = f.ArticleFactory(headline="Unreleased draft")
    comment = f.CommentFactory(body="Please correct the date.")
    client.force_login(moderator)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    change = reverse("admin:newsdesk_article_change", args=[draft.pk])
    assert client.get(change).status_code in (302, 403)
    comments = client.get(reverse("admin:newsdesk_comment_changelist"))
    assert comments.status_code == 200
    assert "Please correct the date." in comments.content.decode()
    page = client.get(
        reverse("admin:newsdesk_comment_change", args=[comment.pk])
    ).content.decode()
    assert comment.article.headline in page  # what the comment is about
    index = client.get(reverse("admin:index")).content.decode()
    assert "Unreleased draft" not in index


def test_moderators_get_no_staff_preview_of_a_draft(client, moderator):
    draft = f.ArticleFactory(headline="Unreleased draft")
    client.force_login(moderator)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Unreleased draft" not in response.content.decode()


# --- the site around the admin ---------------------------------------------------


def test_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert "max-age=86400" in response["Cache-Control"]


# --- the editor's day: dashboard, my work, the list's columns -------------------


def _queues(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {q.title: q for q in response.context["queues"]}


def test_dashboard_shows_each_role_its_own_queues(client, editor, reporter, moderator):
    f.ArticleFactory(in_review=True, headline="Reporter's story", created_by=reporter)
    f.ArticleFactory(headline="Reporter's draft", created_by=reporter)
    f.CommentFactory(body="Typo in the second paragraph.")
    f.FigureCandidateFactory()

    client.force_login(editor)
    queues = _queues(client)
    assert [i.label for i in queues["Waiting for your review"].items] == [
        "Reporter's story"
    ]
    assert "from rita-reporter" in queues["Waiting for your review"].items[0].note
    assert queues["Comments to moderate"].count == 1
    assert queues["Figures to confirm"].count == 1

    client.force_login(reporter)
    queues = _queues(client)
    assert "Waiting for your review" not in queues
    assert [i.label for i in queues["Your drafts"].items] == ["Reporter's draft"]

    client.force_login(moderator)
    assert set(_queues(client)) == {"Comments to moderate"}


def test_dashboard_queries_do_not_grow_with_the_queues(editor_client, editor):
    def count_queries():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            editor_client.get(reverse("admin:index"))
        return len(queries.captured_queries)

    f.ArticleFactory(in_review=True)
    small = count_queries()
    f.ArticleFactory.create_batch(8, in_review=True)
    f.ArticleFactory.create_batch(8, created_by=editor)
    f.CommentFactory.create_batch(8)
    assert count_queries() == small


def test_my_work_filters(client, editor, reporter):
    f.ArticleFactory(headline="Mine", created_by=editor)
    f.ArticleFactory(headline="Someone else's draft", created_by=reporter)
    f.ArticleFactory(in_review=True, headline="To review", created_by=reporter)
    f.ArticleFactory(in_review=True, headline="My own submission", created_by=editor)
    client.force_login(editor)
    assert _listed(client, mine="drafts") == {"Mine"}
    assert _listed(client, mine="review") == {"To review"}
    client.force_login(reporter)
    page = client.get(reverse(CHANGELIST))
    my_work = next(s for s in page.context["cl"].filter_specs if s.title == "my work")
    assert [c[0] for c in my_work.lookup_choices] == ["drafts", "requested"]


def _listed(client, **params):
    response = client.get(reverse(CHANGELIST), params)
    return {a.headline for a in response.context["cl"].result_list}


def test_article_list_shows_byline_and_word_count_in_fixed_queries(editor_client):
    def list_page():
        cache.clear()  # the list's navigation is cached; count it every time
        with CaptureQueriesContext(connection) as queries:
            html = editor_client.get(reverse(CHANGELIST)).content.decode()
        return html, len(queries.captured_queries)

    people = [f.PersonFactory(name="Rania Saleh"), f.PersonFactory(name="Karim Odeh")]
    f.ArticleFactory(authors=people, body="One two three four five.")
    html, first = list_page()
    assert "Rania Saleh, Karim Odeh" in html
    assert '<td class="field-word_count">5</td>' in html
    f.ArticleFactory.create_batch(5, authors=[f.PersonFactory()])
    assert list_page()[1] == first


def test_a_new_article_carries_the_writers_own_byline(client, reporter):
    person = f.PersonFactory(name="Rita Haddad", user=reporter)
    client.force_login(reporter)
    url = reverse("admin:newsdesk_article_add")
    page = client.get(url)
    authors = next(
        i.formset
        for i in page.context["inline_admin_formsets"]
        if i.formset.prefix == "article_authors"
    )
    assert [form.initial.get("person") for form in authors.forms] == [person.pk]
    data = {
        **admin_form_data(page),
        "headline": "Night at the camp gates",
        "slug": "night-at-the-camp-gates",
    }
    response = client.post(url, data)
    assert response.status_code == 302, _form_errors(response)
    article = Article.objects.get(slug="night-at-the-camp-gates")
    assert [p.name for p in article.byline] == ["Rita Haddad"]


def test_without_a_person_a_new_article_starts_with_no_byline_row(editor_client):
    page = editor_client.get(reverse("admin:newsdesk_article_add"))
    authors = next(
        i.formset
        for i in page.context["inline_admin_formsets"]
        if i.formset.prefix == "article_authors"
    )
    assert authors.forms == []


def _form_errors(response):
    context = response.context
    return [context["adminform"].form.errors] + [
        i.formset.errors for i in context["inline_admin_formsets"]
    ]
