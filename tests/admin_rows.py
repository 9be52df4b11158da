"""One valid row for every model registered in the admin, built by the factories."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token, TokenProxy

from tests import factories as f


def _redirect():
    return f.ArticleFactory(published=True).redirects.create(
        old_path="/articles/2020/01/old-address/"
    )


def _access_attempt():
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", failures_since_start=1
    )


def _access_log():
    from axes.models import AccessLog

    return AccessLog.objects.create(username="someone", ip_address="192.0.2.1")


def _access_failure():
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.create(username="someone", ip_address="192.0.2.1")


# One valid row per registered model, built by the factories.
MAKE = {
    "newsdesk.source": f.SourceFactory,
    "newsdesk.person": f.PersonFactory,
    "newsdesk.topic": f.TopicFactory,
    "newsdesk.image": f.ImageFactory,
    "newsdesk.article": f.ArticleFactory,
    "newsdesk.articleredirect": _redirect,
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
    "auth.user": f.UserFactory,
    "auth.group": lambda: Group.objects.create(name="Night desk"),
    "authtoken.tokenproxy": lambda: TokenProxy.objects.get(
        key=Token.objects.create(user=f.UserFactory()).key
    ),
    "axes.accessattempt": _access_attempt,
    "axes.accesslog": _access_log,
    "axes.accessfailurelog": _access_failure,
}
# Rows with richer relations than a factory's default, so their inlines are saved too.
ENRICH = {
    "newsdesk.article": lambda a: (
        f.ArticleAuthorFactory(article=a),
        f.QuoteFactory(article=a),
        f.RelatedLinkFactory(article=a),
        f.IncidentFactory().articles.add(a),
    ),
    "incidents.incident": lambda i: (
        f.FigureFactory(incident=i),
        f.IncidentActorFactory(incident=i),
    ),
    "incidents.actor": lambda a: f.ActorAliasFactory(actor=a),
    "incidents.recommendation": lambda r: f.RecommendationUpdateFactory(
        recommendation=r
    ),
}


def admin_row(label: str) -> Any:
    """A saved row of the model `label` ("app.model"), with related rows for its inlines."""
    obj = MAKE[label]()
    if label in ENRICH:
        ENRICH[label](obj)
    return obj
