"""The person page's read model: rows read through the gates, rendering stored."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from newsdesk import services
from newsdesk.models import Article, ArticleStatus
from tests.factories import ArticleFactory, PersonFactory, QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bypass(settings):
    settings.NEWSDESK_CACHE_BYPASS_PARAM = "fresh"


def _person_with(size: int):
    person = PersonFactory()
    for n in range(size):
        article = ArticleFactory(published=True, authors=[person])
        QuoteFactory(article=article, person=person, text=f"Said number {n}")
        QuoteFactory(article=ArticleFactory(published=True), person=person)
    return person


@pytest.mark.parametrize("size", [1, 25])
def test_person_page_query_count_does_not_grow(client, django_assert_num_queries, size):
    person = _person_with(size)
    url = person.get_absolute_url()
    assert client.get(url).status_code == 200
    # Rendered again past the stored answer: the person, the rows of the
    # quotes and of the first page of articles; the rendering is stored.
    with django_assert_num_queries(3):
        response = client.get(url + "?fresh=1")
    assert "Said number 0" in response.content.decode()
    # The cache emptied: the same three, and the rendering built again.
    cache.clear()
    assert client.get(url + "?fresh=1").status_code == 200
    with django_assert_num_queries(3):
        assert client.get(url + "?fresh=1").status_code == 200


def test_person_page_second_page_reads_through_the_gate(client):
    person = PersonFactory()
    articles = [ArticleFactory(published=True, authors=[person]) for _ in range(22)]
    html = client.get(person.get_absolute_url() + "?page=2").content.decode()
    oldest = sorted(articles, key=lambda a: (a.publish_at, a.pk))[0]
    assert oldest.headline in html


def test_person_edit_shows_on_next_request(client):
    person = _person_with(1)
    url = person.get_absolute_url()
    assert person.name in client.get(url).content.decode()
    # Saved as the admin saves it: the write purges `person:N`.
    person.name = "Renamed Person"
    person.save()
    assert "Renamed Person" in client.get(url).content.decode()
    assert "Renamed Person" in client.get(url + "?fresh=1").content.decode()


def test_new_published_article_quoting_them_shows_on_next_request(client, editor):
    person = _person_with(1)
    url = person.get_absolute_url()
    draft = ArticleFactory(status=ArticleStatus.IN_REVIEW)
    QuoteFactory(article=draft, person=person, text="Words held back")
    assert "Words held back" not in client.get(url).content.decode()
    assert "Words held back" not in client.get(url + "?fresh=1").content.decode()

    services.article_publish(article=draft, user=editor)

    # The stored answer was purged by the quoted person's list tag.
    assert "Words held back" in client.get(url).content.decode()
    assert "Words held back" in client.get(url + "?fresh=1").content.decode()


def test_unpublished_never_shows_from_the_stored_rendering(client):
    person = _person_with(1)
    url = person.get_absolute_url()
    shown = ArticleFactory(published=True, authors=[person], headline="Leaving soon")
    QuoteFactory(article=shown, person=person, text="Leaving words")
    ArticleFactory(scheduled=True, authors=[person], headline="Embargoed story")
    QuoteFactory(
        article=ArticleFactory(scheduled=True), person=person, text="Embargoed words"
    )
    html = client.get(url + "?fresh=1").content.decode()
    assert "Leaving soon" in html and "Leaving words" in html
    assert "Embargoed story" not in html and "Embargoed words" not in html

    # Unpublished by a bulk update that sends no signal: nothing is purged,
    # yet the rows read through the gate leave the stored rendering behind.
    Article.objects.filter(pk=shown.pk).update(
        status=ArticleStatus.DRAFT, updated_at=timezone.now()
    )
    html = client.get(url + "?fresh=1").content.decode()
    assert "Leaving soon" not in html and "Leaving words" not in html


def test_quotes_from_retracted_articles_stay_marked(client, editor):
    person = _person_with(1)
    article = ArticleFactory(published=True, headline="Withdrawn piece")
    QuoteFactory(article=article, person=person, text="Withdrawn words")
    url = person.get_absolute_url()
    assert "Withdrawn words" in client.get(url + "?fresh=1").content.decode()
    services.article_retract(article=article, user=editor, note="Wrong.")
    html = client.get(url + "?fresh=1").content.decode()
    assert "Withdrawn words" in html
    # Named without a link to it, as retracted.
    assert "In Withdrawn piece" in html and "retraction notice" in html
