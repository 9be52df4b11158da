"""The article form's rows (byline, quotes, "Read also", incidents) save through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.models import Incident
from newsdesk import services
from newsdesk.models import Article, ArticleAuthor, ArticleRevision, Quote, RelatedLink
from newsdesk.revisions.services import article_publish_changes
from tests import factories as f
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def _url(article):
    return reverse("admin:newsdesk_article_change", args=[article.pk])


def _prefix(page, model):
    return next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is model
    )


def _add_row(data, prefix, **fields):
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = str(value)


def _rows(article):
    return {
        "authors": list(
            ArticleAuthor.objects.filter(article=article)
            .order_by("position")
            .values_list("person__name", "position")
        ),
        "quotes": list(
            Quote.objects.filter(article=article)
            .order_by("position")
            .values_list("text", "position")
        ),
        "links": list(
            RelatedLink.objects.filter(article=article)
            .order_by("position")
            .values_list("title", "position")
        ),
        "incidents": sorted(article.incidents.values_list("title", flat=True)),
        "version": Article.objects.get(pk=article.pk).version,
    }


@pytest.fixture
def story():
    """A draft with two bylines, two quotes, a link and an incident covered."""
    article = f.ArticleFactory(headline="Shelling near the crossing")
    for position, name in enumerate(("Amal Haddad", "Rami Khoury")):
        f.ArticleAuthorFactory(
            article=article, person=f.PersonFactory(name=name), position=position
        )
    f.QuoteFactory(article=article, text="We heard it all night.", position=0)
    f.QuoteFactory(article=article, text="Nobody came.", position=1)
    f.RelatedLinkFactory(article=article, target=None, title="Earlier", position=0)
    f.IncidentFactory(title="Crossing shelled").articles.add(article)
    return article


def _publish(article):
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        status="published", publish_at=now, first_published_at=now
    )


def _edit(client, article):
    """Reorder the byline, add/change/delete quotes, a link and an incident."""
    page = client.get(_url(article))
    assert page.status_code == 200
    data = admin_form_data(page)
    authors = _prefix(page, ArticleAuthor)
    data[f"{authors}-0-position"] = "1"  # Amal after Rami
    data[f"{authors}-1-position"] = "0"
    _add_row(data, authors, person=f.PersonFactory(name="Nour Saleh").pk, position=5)
    quotes = _prefix(page, Quote)
    data[f"{quotes}-0-text"] = "We heard it until dawn."
    data[f"{quotes}-1-DELETE"] = "on"
    _add_row(data, quotes, text="The road is closed.", position=2)
    links = _prefix(page, RelatedLink)
    _add_row(data, links, title="Background", position=1)
    incidents = _prefix(page, Incident.articles.through)
    data[f"{incidents}-0-DELETE"] = "on"
    _add_row(data, incidents, incident=f.IncidentFactory(title="Bridge closed").pk)
    return data


EDITED = {
    "authors": [("Rami Khoury", 0), ("Amal Haddad", 1), ("Nour Saleh", 2)],
    "quotes": [("We heard it until dawn.", 0), ("The road is closed.", 2)],
    "links": [("Earlier", 0), ("Background", 1)],
    "incidents": ["Bridge closed"],
}


def test_editor_saves_rows_added_changed_reordered_and_deleted(editor_client, story):
    data = _edit(editor_client, story)
    response = editor_client.post(_url(story), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    rows = _rows(story)
    assert rows.pop("version") == story.version + 1
    assert rows == EDITED


def test_editor_stages_the_rows_of_a_published_article_then_publishes_them(
    editor_client, editor, story
):
    _publish(story)
    before = _rows(story)
    response = editor_client.post(_url(story), _edit(editor_client, story))
    assert response.status_code == 302, response.context and response.context["errors"]
    # The live rows stay as readers see them until the changes are published.
    assert _rows(story) == before
    article_publish_changes(article=story, user=editor)
    rows = _rows(story)
    rows.pop("version")
    # Published rows are renumbered in page order.
    assert rows == {
        **EDITED,
        "quotes": [("We heard it until dawn.", 0), ("The road is closed.", 1)],
    }


def test_reporter_saves_the_rows_of_a_draft(reporter_client, story):
    response = reporter_client.post(_url(story), _edit(reporter_client, story))
    assert response.status_code == 302
    rows = _rows(story)
    rows.pop("version")
    # Linking incidents is the incident desk's: a reporter sees the rows only.
    assert rows == {**EDITED, "incidents": ["Crossing shelled"]}


def test_reporter_proposes_rows_of_a_published_article_and_nothing_live_changes(
    reporter_client, story
):
    _publish(story)
    before = _rows(story)
    response = reporter_client.post(_url(story), _edit(reporter_client, story))
    assert response.status_code == 302, response.context and response.context["errors"]
    assert _rows(story) == before
    pending = ArticleRevision.objects.pending().get(article=story)
    assert [q["text"] for q in pending.snapshot["quotes"]] == [
        "We heard it until dawn.",
        "The road is closed.",
    ]
    # Incidents are the incident desk's: a reporter's form leaves them as they were.
    assert [i["label"] for i in pending.snapshot["incidents"]] == ["Crossing shelled"]


def test_the_services_refuse_a_reporter_on_a_published_article(reporter, story):
    _publish(story)
    quote = Quote.objects.filter(article=story).first()
    refusals = [
        lambda: services.quote_save(quote=quote, user=reporter),
        lambda: services.quote_delete(quote=quote, user=reporter),
        lambda: services.related_link_delete(
            link=RelatedLink.objects.get(article=story), user=reporter
        ),
        lambda: services.article_set_authors(article=story, authors=[], user=reporter),
    ]
    for refused in refusals:
        with pytest.raises(services.PermissionDenied):
            refused()
    from incidents.services import article_set_incidents

    with pytest.raises(services.PermissionDenied):
        article_set_incidents(article=story, incidents=[], user=reporter)
    assert Quote.objects.filter(article=story).count() == 2
    assert story.incidents.count() == 1
    assert ArticleAuthor.objects.filter(article=story).count() == 2


def test_a_service_refusal_shows_on_its_row_and_writes_nothing(
    editor_client, story, monkeypatch
):
    """The form validates the row; the service refuses it: the editor sees why."""
    data = _edit(editor_client, story)
    data["headline"] = "Shelling near the crossing, day two"
    before = _rows(story)

    def refuse(*, quote, user):
        if quote.text == "The road is closed.":
            raise services.ValidationError("Quotes need a named source on this desk.")
        quote.save()

    monkeypatch.setattr(services, "quote_save", refuse)
    response = editor_client.post(_url(story), data)
    assert response.status_code == 200
    assert "Quotes need a named source on this desk." in response.content.decode()
    quotes = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Quote
    )
    assert quotes.forms[2].non_field_errors() == [
        "Quotes need a named source on this desk."
    ]
    # The article, the byline and the other rows rolled back with the refused one.
    assert _rows(story) == before
    story.refresh_from_db()
    assert story.headline == "Shelling near the crossing"


def test_a_link_the_model_refuses_surfaces_on_the_form(editor_client, story):
    page = editor_client.get(_url(story))
    data = admin_form_data(page)
    links = _prefix(page, RelatedLink)
    data[f"{links}-0-title"] = ""  # no target and no title
    response = editor_client.post(_url(story), data)
    assert response.status_code == 200
    assert list(RelatedLink.objects.filter(article=story).values_list("title")) == [
        ("Earlier",)
    ]


def test_a_new_article_saves_its_rows_through_the_services(editor_client):
    url = reverse("admin:newsdesk_article_add")
    page = editor_client.get(url)
    data = admin_form_data(page, inlines=False)
    data.update(headline="Curfew extended", slug="curfew-extended", body="<p>Text</p>")
    _add_row(
        data, _prefix(page, ArticleAuthor), person=f.PersonFactory().pk, position=0
    )
    _add_row(data, _prefix(page, Quote), text="Stay home.", position=0)
    _add_row(data, _prefix(page, RelatedLink), title="The first curfew", position=0)
    response = editor_client.post(url, data)
    assert response.status_code == 302, [
        (f.name, f.errors) for f in response.context["adminform"].form if f.errors
    ]
    article = Article.objects.get(slug="curfew-extended")
    assert [q.text for q in article.quotes.all()] == ["Stay home."]
    assert [link.title for link in article.related_links.all()] == ["The first curfew"]
    assert article.article_authors.count() == 1
