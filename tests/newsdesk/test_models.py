"""Editorial model rules: domain normalisation, constraints, URLs."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import NoReverseMatch

from newsdesk.models import Source, normalise_domain
from tests.factories import ArticleFactory, SourceFactory


@pytest.mark.parametrize(
    "raw",
    [
        "Nbcnews.com",
        "www.nbcnews.com",
        "https://www.nbcnews.com/x",
        "HTTP://NBCNEWS.COM:443/a?b",
        " nbcnews.com. ",
    ],
)
def test_domain_normalisation(raw):
    assert normalise_domain(raw) == "nbcnews.com"


@pytest.mark.django_db
def test_one_publisher_is_one_source():
    Source.objects.create(name="NBC News", domain="Nbcnews.com")
    with pytest.raises(IntegrityError):
        Source.objects.create(
            name="NBC", slug="nbc", domain="https://www.nbcnews.com/world"
        )


@pytest.mark.django_db
def test_source_without_domain_is_invalid():
    with pytest.raises(ValidationError) as err:
        Source(name="Nowhere", slug="nowhere", domain="https://").full_clean()
    assert "domain" in err.value.message_dict


@pytest.mark.django_db
def test_unique_article_slugs():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError):
        ArticleFactory(slug="same")


@pytest.mark.django_db
def test_invalid_language_tag_is_refused():
    article = ArticleFactory.build(language="english!!")
    with pytest.raises(ValidationError) as err:
        article.full_clean(exclude=["slug"])
    assert "language" in err.value.message_dict


@pytest.mark.django_db
def test_article_url_uses_publish_date_and_canonical_prefers_original():
    article = ArticleFactory(
        published=True, slug="hasaka", original_url="https://www.nbcnews.com/a"
    )
    moment = article.publish_at
    assert article.get_absolute_url() == f"/articles/{moment:%Y}/{moment:%m}/hasaka/"
    assert article.canonical_url == "https://www.nbcnews.com/a"
    assert SourceFactory().get_absolute_url().startswith("/sources/")


def test_clean_mirrors_every_check_constraint():
    """Services skip Django's query-per-constraint validation; clean() must cover them."""
    from newsdesk.models import Article, ArticleStatus

    assert {c.name for c in Article._meta.constraints} == {
        "article_published_has_publish_at",
    }
    published_without_time = ArticleFactory.build(
        status=ArticleStatus.PUBLISHED, publish_at=None
    )
    with pytest.raises(ValidationError) as err:
        published_without_time.clean()
    assert "publish_at" in err.value.message_dict


@pytest.mark.django_db
def test_article_urls_come_from_the_pattern_as_reverse_gives_them():
    from django.urls import reverse, set_script_prefix

    article = ArticleFactory(published=True, slug="a-slug_2")
    kwargs = article.url_kwargs()
    assert article.get_absolute_url() == reverse(
        "newsdesk:article_detail", kwargs=kwargs
    )
    set_script_prefix("/news/")
    try:
        assert article.get_absolute_url().startswith("/news/articles/")
        assert article.get_absolute_url() == reverse(
            "newsdesk:article_detail", kwargs=kwargs
        )
    finally:
        set_script_prefix("/")
    # A slug the URL's converter refuses is refused as before.
    article.slug = "not a slug"
    with pytest.raises(NoReverseMatch):
        article.get_absolute_url()
