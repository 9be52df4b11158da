"""factory-boy factories, one per model, with traits for editorial states."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from incidents import models as im
from newsdesk import models as nm


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@newsdesk.test")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        """Pass `role="editor"` (or reporter, moderator) to put the user in that group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = nm.Source
        django_get_or_create = ("domain",)

    name = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    domain = factory.Sequence(lambda n: f"source{n}.example")
    kind = nm.SourceKind.NEWSPAPER


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = nm.Person

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"person-{n}")
    affiliation = "King's College London"


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = nm.Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ImageFactory(DjangoModelFactory):
    """A library image with a real (generated) JPEG; saved directly, not via the service."""

    class Meta:
        model = nm.Image

    file = factory.django.ImageField(
        filename="photo.jpg", width=1600, height=900, color="navy", format="JPEG"
    )
    width = 1600
    height = 900
    alt_text = factory.Sequence(lambda n: f"Smoke above the prison walls {n}")
    caption = "The prison seen from the north."
    credit = "Hawar News"


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = nm.Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Prison attack report {n}")
    slug = factory.Sequence(lambda n: f"prison-attack-report-{n}")
    standfirst = "What happened at the prison, and what comes next."
    body = "The attack began at night.\n\nThe SDF regained control after six days."
    language = "en"
    status = nm.ArticleStatus.DRAFT

    class Params:
        in_review = factory.Trait(status=nm.ArticleStatus.IN_REVIEW)
        published = factory.Trait(
            status=nm.ArticleStatus.PUBLISHED,
            publish_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=1)
            ),
            first_published_at=factory.SelfAttribute("publish_at"),
        )
        scheduled = factory.Trait(
            status=nm.ArticleStatus.PUBLISHED,
            publish_at=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(days=1)
            ),
        )
        retracted = factory.Trait(
            status=nm.ArticleStatus.RETRACTED,
            publish_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(days=2)
            ),
            retraction_note="The central claim could not be verified.",
            retracted_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def authors(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            for position, person in enumerate(extracted):
                nm.ArticleAuthor.objects.create(
                    article=self, person=person, position=position
                )

    @factory.post_generation
    def topics(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.topics.set(extracted)


class ArticleAuthorFactory(DjangoModelFactory):
    class Meta:
        model = nm.ArticleAuthor

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(int)


class RelatedLinkFactory(DjangoModelFactory):
    class Meta:
        model = nm.RelatedLink

    article = factory.SubFactory(ArticleFactory)
    title = factory.Sequence(lambda n: f"Related reading {n}")


class QuoteFactory(DjangoModelFactory):
    class Meta:
        model = nm.Quote

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)
    text = "It is a ticking bomb ready to explode at any moment."
    position = factory.Sequence(int)


class CorrectionFactory(DjangoModelFactory):
    class Meta:
        model = nm.Correction

    article = factory.SubFactory(ArticleFactory, published=True)
    note = "An earlier version misstated the number of detainees."


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = nm.Comment

    article = factory.SubFactory(ArticleFactory, published=True)
    name = factory.Faker("first_name")
    email = factory.Faker("email")
    body = "Thank you for this reporting."

    class Params:
        approved = factory.Trait(status=nm.CommentStatus.APPROVED)
        spam = factory.Trait(status=nm.CommentStatus.SPAM)


class ActorFactory(DjangoModelFactory):
    class Meta:
        model = im.Actor

    name = factory.Sequence(lambda n: f"Armed group {n}")
    slug = factory.Sequence(lambda n: f"armed-group-{n}")
    kind = im.ActorKind.ARMED_GROUP


class ActorAliasFactory(DjangoModelFactory):
    class Meta:
        model = im.ActorAlias

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = im.Place

    name = factory.Sequence(lambda n: f"Detention centre {n}")
    slug = factory.Sequence(lambda n: f"detention-centre-{n}")
    kind = im.PlaceKind.DETENTION_FACILITY
    admin1 = "Al-Hasakah"
    country = "SY"
    latitude = "36.486900"
    longitude = "40.752700"


class IncidentFactory(DjangoModelFactory):
    class Meta:
        model = im.Incident

    title = factory.Sequence(lambda n: f"Attack on prison {n}")
    slug = factory.Sequence(lambda n: f"attack-on-prison-{n}")
    kind = im.IncidentKind.ATTACK
    summary = "Fighters attacked the prison to free detainees."
    start_date = datetime.date(2022, 1, 20)
    end_date = datetime.date(2022, 1, 26)
    place = factory.SubFactory(PlaceFactory)
    status = im.IncidentStatus.PUBLISHED

    class Params:
        draft = factory.Trait(status=im.IncidentStatus.DRAFT)


class IncidentActorFactory(DjangoModelFactory):
    class Meta:
        model = im.IncidentActor

    incident = factory.SubFactory(IncidentFactory)
    actor = factory.SubFactory(ActorFactory)
    role = im.ActorRole.PERPETRATOR


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = im.Figure

    incident = factory.SubFactory(IncidentFactory)
    metric = im.Metric.KILLED
    group = im.FigureGroup.TOTAL
    low = 67
    high = factory.SelfAttribute("low")
    claimant = "SDF"
    url = "https://example.org/report"


class FigureCandidateFactory(DjangoModelFactory):
    class Meta:
        model = im.FigureCandidate

    article = factory.SubFactory(ArticleFactory)
    text = "about 12,000 ISIS members"
    low = 12000
    high = 12000
    qualifier = im.Qualifier.ABOUT


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = im.Recommendation

    action = im.RecommendationAction.REPATRIATE
    statement = (
        "Countries of origin should repatriate their citizens held in these prisons."
    )
    addressed_to_group = "countries of origin"


class RecommendationUpdateFactory(DjangoModelFactory):
    class Meta:
        model = im.RecommendationUpdate

    recommendation = factory.SubFactory(RecommendationFactory)
    status = im.RecommendationStatus.ACKNOWLEDGED
    changed_on = factory.Sequence(
        lambda n: datetime.date(2022, 2, 1) + datetime.timedelta(days=n)
    )
    evidence_url = "https://example.org/statement"
