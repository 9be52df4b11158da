"""`manage.py seed`: the curated newsroom, loaded once however often it runs."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Model

from incidents import models as im
from newsdesk import models as nm

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "seeds" / "newsroom.json"
ATTACK = "isis-attack-ghwayran-prison-hasaka-january-2022"
DETENTION = "detention-of-isis-suspects-in-sdf-run-prisons"
NBC_SLUG = "isis-has-not-been-totally-defeated-expert-warns-after-prison-attack"
COLELLA_SLUG = (
    "hasaka-prison-attack-marks-the-return-of-isis-countries-of-origin-must-act"
)

COUNTED: list[type[Model]] = [
    nm.Article,
    nm.Source,
    nm.Person,
    nm.Topic,
    nm.Quote,
    nm.RelatedLink,
    nm.ArticleAuthor,
    im.Actor,
    im.ActorAlias,
    im.Place,
    im.Incident,
    im.IncidentActor,
    im.Figure,
    im.FigureCandidate,
    im.Recommendation,
    im.RecommendationUpdate,
    get_user_model(),
    nm.Article.history.model,
    im.Incident.history.model,
    im.Figure.history.model,
]


def seed() -> str:
    out = io.StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded():
    seed()


def test_seeding_twice_leaves_one_copy_of_everything():
    seed()
    first = counts()
    versions = list(nm.Article.objects.order_by("pk").values_list("pk", "version"))

    out = seed()

    assert counts() == first
    assert versions == list(
        nm.Article.objects.order_by("pk").values_list("pk", "version")
    )
    assert "Changes this run: none." in out


def test_both_articles_are_curated_and_published_in_late_january_2022(seeded):
    assert set(nm.Article.objects.published().values_list("slug", flat=True)) == {
        NBC_SLUG,
        COLELLA_SLUG,
    }
    for article in nm.Article.objects.all():
        assert not article.needs_headline
        assert article.standfirst
        assert article.publish_at.date() >= datetime.date(2022, 1, 20)
        assert article.publish_at.date() <= datetime.date(2022, 1, 31)
        assert article.first_published_at == article.publish_at


def test_nbc_article_provenance_and_quotes(seeded):
    article = nm.Article.objects.get(slug=NBC_SLUG)
    assert article.source.name == "NBC News"
    assert article.source.domain == "nbcnews.com"
    assert article.source.kind == nm.SourceKind.BROADCASTER
    assert article.source.country == "US"
    assert article.original_url == ""
    assert article.original_language == ""
    karagiannis = nm.Person.objects.get(slug="emmanuel-karagiannis")
    assert karagiannis.affiliation == "King's College London"
    assert set(article.quotes.values_list("person", flat=True)) == {karagiannis.pk}
    assert nm.Source.objects.filter(domain="nbcnews.com").count() == 1


def test_colella_article_is_a_translation_from_italian_by_its_blogger(seeded):
    article = nm.Article.objects.get(slug=COLELLA_SLUG)
    assert article.language == "en"
    assert article.original_language == "it"
    assert article.source.kind == nm.SourceKind.BLOG
    assert [a.person.name for a in article.article_authors.all()] == ["Roberto Colella"]
    assert article.related_links.get(position=1).via.name == "Roberto Colella"


def test_incident_with_place_actors_and_articles(seeded):
    incident = im.Incident.objects.get(slug=ATTACK)
    assert incident.title == (
        "ISIS attack on the Ghwayran (al-Sina'a) prison, Hasaka, 20–26 January 2022"
    )
    assert incident.is_published() and incident.in_focus
    assert incident.kind == im.IncidentKind.PRISON_BREAK
    assert (incident.start_date, incident.end_date) == (
        datetime.date(2022, 1, 20),
        datetime.date(2022, 1, 26),
    )
    place = incident.place
    assert (place.admin1, place.country.code, place.kind) == (
        "Al-Hasakah",
        "SY",
        im.PlaceKind.DETENTION_FACILITY,
    )
    assert place.has_coordinates and place.geo_precision == im.GeoPrecision.NEAR
    roles = set(incident.incident_actors.values_list("actor__name", "role"))
    assert ("Islamic State", "perpetrator") in roles
    assert ("Syrian Democratic Forces", "responder") in roles
    assert ("Global Coalition to Defeat ISIS", "other") in roles
    assert set(incident.articles.values_list("slug", flat=True)) == {
        NBC_SLUG,
        COLELLA_SLUG,
    }
    isis = im.Actor.objects.get(slug="islamic-state")
    for alias in ("ISIS", "IS", "ISIL", "Daesh", "islamic state"):
        assert list(im.Actor.objects.matching(alias)) == [isis]


def test_every_figure_is_cited_to_its_article_with_a_verbatim_excerpt(seeded):
    figures = im.Figure.objects.filter(incident__slug=ATTACK)
    assert {
        (f.metric, f.group, f.low, f.high, f.qualifier, f.claimant) for f in figures
    } == {
        ("killed", "total", 67, 67, "exact", "Linked headline (unattributed)"),
        ("escaped", "inmates", 80, 80, "exact", "Linked headline (unattributed)"),
        ("detained", "inmates", 12000, 12000, "about", "Karagiannis"),
        ("detained", "inmates", 12000, 12000, "about", "various reports"),
        ("detained", "foreign_nationals", 2000, 2000, "at_least", "various reports"),
    }
    for figure in im.Figure.objects.all():
        assert figure.article is not None
        assert figure.excerpt in figure.article.body or figure.excerpt.startswith(
            "Read Also"
        )
        assert figure.article.is_published()
    assert im.Figure.objects.filter(incident__slug=DETENTION).count() == 3
    assert im.Figure.objects.public().count() == im.Figure.objects.count()


def test_figures_come_from_the_importers_suggestions(seeded):
    candidate = im.FigureCandidate.objects.get(text="67 dead")
    assert candidate.status == im.CandidateStatus.CONFIRMED
    assert candidate.figure.low == 67
    assert not im.FigureCandidate.objects.filter(
        status=im.CandidateStatus.PENDING
    ).exists()


def test_recommendations_of_the_second_article(seeded):
    article = nm.Article.objects.get(slug=COLELLA_SLUG)
    recommendations = im.Recommendation.objects.filter(made_in=article)
    assert set(recommendations.values_list("action", flat=True)) == {
        "repatriate",
        "rehabilitate",
        "reintegrate",
        "prosecute",
        "secure_detention",
    }
    for recommendation in recommendations:
        assert recommendation.recommended_by_person.name == "Roberto Colella"
        assert recommendation.incident.slug == ATTACK
        assert recommendation.status == im.RecommendationStatus.PROPOSED
        assert recommendation.updates.count() == 1
    assert set(
        recommendations.exclude(action="secure_detention").values_list(
            "addressed_to_group", flat=True
        )
    ) == {"countries of origin"}
    assert im.Recommendation.objects.public().count() == 5


def test_seed_acts_as_a_non_login_editor(seeded):
    user = get_user_model().objects.get(username="newsroom-seed")
    assert not user.has_usable_password()
    assert not user.is_staff
    assert user.groups.filter(name="editor").exists()
    assert nm.Article.objects.filter(created_by=user).count() == 2
    assert get_user_model().objects.count() == 1


def test_fixture_cites_every_figure_and_every_recommendation():
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for row in fixture["figures"] + fixture["recommendations"]:
        assert row["cited"]
    seed_texts = " ".join(
        (FIXTURE.parent / row["file"]).read_text(encoding="utf-8")
        for row in fixture["articles"]
    )
    for row in fixture["figures"]:
        assert row["excerpt"] in seed_texts


def test_reseeding_never_overwrites_what_editors_changed(seeded, editor):
    from newsdesk.services import article_update

    article = nm.Article.objects.get(slug=NBC_SLUG)
    article_update(
        article=article,
        user=editor,
        data={"headline": "An editor's better headline"},
        expected_version=article.version,
    )
    im.Incident.objects.filter(slug=ATTACK).update(in_focus=False)
    nm.Source.objects.filter(domain="nbcnews.com").update(notes="Checked by the desk.")

    seed()

    assert (
        nm.Article.objects.get(slug=NBC_SLUG).headline == "An editor's better headline"
    )
    assert not im.Incident.objects.get(slug=ATTACK).in_focus
    assert nm.Source.objects.get(domain="nbcnews.com").notes == "Checked by the desk."


def test_seed_after_a_plain_import_curates_the_imported_drafts(tmp_path):
    import shutil

    folder = tmp_path / "seeds"
    folder.mkdir()
    for name in ("000_203f4d3e37727db9.txt", "004_9bb2997c8907dc2d.txt"):
        shutil.copy(FIXTURE.parent / name, folder / name)
    call_command("import_articles", str(folder), "--no-progress", stdout=io.StringIO())
    assert nm.Source.objects.get(domain="nbcnews.com").name == "Nbcnews.com"

    seed()

    assert nm.Source.objects.get(domain="nbcnews.com").name == "NBC News"
    assert nm.Article.objects.count() == 2
    assert nm.Article.objects.published().count() == 2


def test_a_retracted_seed_article_is_not_republished(seeded, editor):
    from newsdesk.services import article_retract

    article = nm.Article.objects.get(slug=COLELLA_SLUG)
    article_retract(article=article, user=editor, note="Withdrawn for checks.")
    seed()
    assert (
        nm.Article.objects.get(slug=COLELLA_SLUG).status == nm.ArticleStatus.RETRACTED
    )
