"""The change history in words: no entry for a save that changed nothing, labels, compare."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents import services as incident_services
from incidents.models import Figure
from newsdesk import services
from tests import factories as f
from tests.newsdesk.admin.test_admin import _change_form_data

pytestmark = pytest.mark.django_db


def _history(client, article):
    response = client.get(reverse("admin:newsdesk_article_history", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_saving_the_form_unchanged_keeps_the_time_to_the_microsecond(editor_client):
    article = f.ArticleFactory()
    stored = timezone.now().replace(microsecond=123456)
    article.substantive_update_at = stored
    article.save()
    entries = article.history.count()
    local = timezone.localtime(stored)
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    response = editor_client.post(
        url,
        _change_form_data(
            article,
            substantive_update_at_0=local.strftime("%Y-%m-%d"),
            substantive_update_at_1=local.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.substantive_update_at == stored
    assert article.history.count() == entries
    html = _history(editor_client, article)
    assert html.count('name="to"') == 2  # created, and the time set above


def test_a_changed_time_is_recorded_and_shown_as_local_time(editor_client):
    article = f.ArticleFactory()
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    response = editor_client.post(
        url,
        _change_form_data(
            article,
            substantive_update_at_0="2026-03-02",
            substantive_update_at_1="10:15:00",
        ),
    )
    assert response.status_code == 302
    html = _history(editor_client, article)
    assert "Substantive update at “2 March 2026, 10:15” added" in html


def test_service_save_that_changes_nothing_records_no_entry(editor):
    article = f.ArticleFactory()
    before = article.history.count()
    services.article_save(
        article=article, user=editor, expected_version=article.version, is_new=False
    )
    assert article.history.count() == before
    article.standfirst = "A new standfirst."
    services.article_save(
        article=article, user=editor, expected_version=article.version, is_new=False
    )
    assert article.history.count() == before + 1


def test_status_shows_its_label_and_no_none_noise(editor_client, editor):
    article = f.ArticleFactory(headline="Prison attack")
    services.article_submit(article=article, user=editor)
    html = _history(editor_client, article)
    assert "Status changed from “Draft” to “In review”" in html
    assert "in_review" not in html
    assert "None" not in html


def test_entries_that_differ_only_below_what_is_shown_are_left_out(editor_client):
    article = f.ArticleFactory()
    article.substantive_update_at = timezone.now().replace(second=5, microsecond=1)
    article.save()
    # An entry written before stored precision was kept: microseconds dropped.
    article.substantive_update_at = article.substantive_update_at.replace(microsecond=0)
    article.skip_history_when_saving = True
    article.save()
    del article.skip_history_when_saving
    article.history.create(
        **{
            field.attname: getattr(article, field.attname)
            for field in article.history.model._meta.fields
            if not field.attname.startswith("history_")
            and hasattr(article, field.attname)
        },
        history_date=timezone.now(),
        history_type="~",
    )
    html = _history(editor_client, article)
    assert html.count('name="to"') == 2  # created, and the real time change
    assert "Substantive update at" in html


def test_compare_two_versions_highlights_words(editor_client):
    article = f.ArticleFactory(headline="Shelling resumes near the prison")
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    editor_client.post(
        url, _change_form_data(article, headline="Shelling stops near the prison")
    )
    first, second = article.history.order_by("history_date")
    compare_url = reverse("admin:newsdesk_article_history_compare", args=[article.pk])
    response = editor_client.get(compare_url, {"from": first.pk, "to": second.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<del>resumes</del>" in html and "<ins>stops</ins>" in html
    assert "Headline changed (1 word added, 1 word removed)" in html
    # Chosen the wrong way round, still old on the left.
    swapped = editor_client.get(compare_url, {"from": second.pk, "to": first.pk})
    assert "<del>resumes</del>" in swapped.content.decode()
    # The history links to it.
    assert compare_url in _history(editor_client, article)


def test_compare_refuses_unknown_versions_and_other_rows(editor_client):
    article, other = f.ArticleFactory(), f.ArticleFactory()
    compare_url = reverse("admin:newsdesk_article_history_compare", args=[article.pk])
    assert editor_client.get(compare_url, {"to": "nope"}).status_code == 404
    foreign = other.history.first().pk
    assert editor_client.get(compare_url, {"to": foreign}).status_code == 404


def test_compare_needs_permission(client, db):
    article = f.ArticleFactory()
    client.force_login(f.UserFactory(username="nobody"))
    url = reverse("admin:newsdesk_article_history_compare", args=[article.pk])
    assert client.get(url).status_code in (302, 403)


def test_figure_history_and_compare_use_labels(client, superuser):
    client.force_login(superuser)
    figure = f.FigureFactory(low=60, high=67)
    incident_services.figure_update(
        figure=figure,
        user=superuser,
        data={"low": 67, "note": "Revised after the morgue count."},
        expected_version=figure.version,
    )
    same = Figure.objects.get(pk=figure.pk)
    incident_services.figure_update(
        figure=same, user=superuser, data={"low": 67}, expected_version=same.version
    )
    assert figure.history.count() == 2  # the second update changed nothing
    history = client.get(reverse("admin:incidents_figure_history", args=[figure.pk]))
    html = history.content.decode()
    assert "Low changed from “60” to “67”" in html
    compare = client.get(
        reverse("admin:incidents_figure_history_compare", args=[figure.pk])
    )
    body = compare.content.decode()
    assert compare.status_code == 200
    assert "<ins>Revised after the morgue count.</ins>" in body


def test_incident_and_recommendation_compare(client, superuser):
    client.force_login(superuser)
    incident = f.IncidentFactory(title="Attack on the prison")
    incident.title = "Attack on Ghweiran prison"
    incident.status = "draft"
    incident.save()
    response = client.get(
        reverse("admin:incidents_incident_history_compare", args=[incident.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<ins>Ghweiran</ins>" in html
    assert "Status changed from “Published” to “Draft”" in html

    recommendation = f.RecommendationFactory()
    recommendation.statement += " Soon."
    recommendation.save()
    response = client.get(
        reverse(
            "admin:incidents_recommendation_history_compare", args=[recommendation.pk]
        )
    )
    assert response.status_code == 200
    assert "<ins>Soon.</ins>" in response.content.decode()


def test_compare_view_of_a_single_version_says_nothing_before(editor_client):
    article = f.ArticleFactory(headline="Only version")
    response = editor_client.get(
        reverse("admin:newsdesk_article_history_compare", args=[article.pk])
    )
    assert response.status_code == 200
    assert "Nothing before" in response.content.decode()


def test_date_fields_shown_as_dates():
    from newsdesk.admin.history import display_value
    from newsdesk.models import Article

    field = Article._meta.get_field("publish_at")
    moment = datetime.datetime(2026, 3, 2, 10, 15, tzinfo=datetime.UTC)
    assert display_value(field, moment) == "2 March 2026, 10:15"
    assert display_value(field, None) is None


def _incident_history_queries(client, incident, django_assert_max_num_queries, edits):
    for n in range(edits):
        incident.title = f"Attack on the prison, update {n}"
        incident.save()
        incident.articles.add(f.ArticleFactory())
    url = reverse("admin:incidents_incident_history", args=[incident.pk])
    with django_assert_max_num_queries(1000) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_history_queries_do_not_grow_with_entries(
    client, superuser, django_assert_max_num_queries
):
    client.force_login(superuser)
    few = _incident_history_queries(
        client, f.IncidentFactory(), django_assert_max_num_queries, 2
    )
    many = _incident_history_queries(
        client, f.IncidentFactory(), django_assert_max_num_queries, 8
    )
    assert many == few
