"""One published story with everything around it, and a URL for every public page type."""

from __future__ import annotations

from django.urls import reverse

from newsdesk import services
from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    FigureFactory,
    IncidentActorFactory,
    IncidentFactory,
    PersonFactory,
    PlaceFactory,
    QuoteFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    RelatedLinkFactory,
    SourceFactory,
    TopicFactory,
    UserFactory,
)


def build_story_pages() -> dict[str, str]:
    """Create a small published newsroom; return {page type: URL}."""
    from newsdesk.roles import EDITOR, roles_sync

    roles_sync()  # transactional tests start from an emptied database
    topic = TopicFactory(name="Prisons", slug="prisons")
    source = SourceFactory(name="North Press", domain="npasyria.example")
    person = PersonFactory(name="Rita Reporter", slug="rita-reporter")
    expert = PersonFactory(name="Emmanuel Expert", slug="emmanuel-expert")
    article = ArticleFactory(
        published=True,
        headline="Fighters storm Ghwayran prison",
        body="The attack began at night.\n\n- one\n- two\n\nThe SDF regained control.",
        authors=[person],
        topics=[topic],
        source=source,
        original_url="https://npasyria.example/story",
    )
    other = ArticleFactory(
        published=True, headline="Families wait for news", topics=[topic]
    )
    RelatedLinkFactory(article=article, target=other)
    QuoteFactory(article=article, person=expert, text="They are not defeated")
    CorrectionFactory(article=article, note="An earlier version misspelt a name.")
    place = PlaceFactory(latitude=36.49, longitude=40.75)
    incident = IncidentFactory(
        title="Attack on Ghwayran prison", slug="ghwayran", in_focus=True, place=place
    )
    incident.articles.add(article)
    IncidentActorFactory(incident=incident)
    FigureFactory(incident=incident, low=12000, high=12000, article=article)
    FigureFactory(incident=incident, low=70, high=70, claimant="Amaq")
    RecommendationUpdateFactory(
        recommendation=RecommendationFactory(made_in=article, incident=incident)
    )
    withdrawn = ArticleFactory(published=True, headline="A claim that did not hold")
    FigureFactory(incident=incident, low=900, article=withdrawn, url="")
    QuoteFactory(article=withdrawn, person=expert, text="Words on record")
    services.article_retract(
        article=withdrawn,
        user=UserFactory(role=EDITOR),
        note="The figure could not be verified.",
    )
    withdrawn.refresh_from_db()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "retracted": withdrawn.get_absolute_url(),
        "incident": incident.get_absolute_url(),
        "incidents": reverse("incidents:incident_list"),
        "tracker": reverse("incidents:recommendation_tracker"),
        "person": expert.get_absolute_url(),
        "source": source.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "search": reverse("newsdesk:search") + "?q=prison",
        "search-empty": reverse("newsdesk:search"),
        "not-found": "/articles/2020/01/no-such-story/",
    }
