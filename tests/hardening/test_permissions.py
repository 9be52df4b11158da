"""Who may do what: every admin URL, workflow step, bulk action and API write.

Expectations come from `ROLE_PERMISSIONS` (the roles' specification), not
from the admin code under test.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from incidents import models as im
from newsdesk import models as nm
from newsdesk.roles import EDITOR, MODERATOR, REPORTER, ROLE_PERMISSIONS
from tests import factories as f
from tests.admin_forms import admin_form_data

ROLES = ("anonymous", REPORTER, EDITOR, MODERATOR)
# Rows the admin never creates by hand, whatever the permission: comments come
# from readers, corrections from the workflow's "Add correction".
NEVER_ADDED_IN_ADMIN = {"newsdesk.comment", "newsdesk.correction"}


def perms(role: str) -> set[str]:
    return set(ROLE_PERMISSIONS.get(role, ()))


def can(role: str, action: str, label: str) -> bool:
    app, model = label.split(".")
    return f"{app}.{action}_{model}" in perms(role)


def login(client, role: str):
    if role == "anonymous":
        return None
    user = f.UserFactory(username=f"{role}-user", role=role)
    client.force_login(user)
    return user


def make_objects() -> dict[str, object]:
    """One row of every model registered in the admin."""
    article = f.ArticleFactory(in_review=True)
    published = f.ArticleFactory(published=True)
    incident = f.IncidentFactory()
    owner = f.UserFactory(username="token-owner")
    objects = {
        "newsdesk.source": f.SourceFactory(),
        "newsdesk.person": f.PersonFactory(),
        "newsdesk.topic": f.TopicFactory(),
        "newsdesk.article": article,
        "newsdesk.articleredirect": nm.ArticleRedirect.objects.create(
            article=published, old_path="/articles/2020/01/old/"
        ),
        "newsdesk.quote": f.QuoteFactory(article=article),
        "newsdesk.relatedlink": f.RelatedLinkFactory(article=article),
        "newsdesk.correction": f.CorrectionFactory(article=published),
        "newsdesk.comment": f.CommentFactory(article=published),
        "incidents.actor": f.ActorFactory(),
        "incidents.place": f.PlaceFactory(),
        "incidents.incident": incident,
        "incidents.figure": f.FigureFactory(incident=incident),
        "incidents.figurecandidate": f.FigureCandidateFactory(article=article),
        "incidents.recommendation": f.RecommendationFactory(),
        "auth.user": owner,
        "auth.group": owner.groups.model.objects.get(name=REPORTER),
    }
    Token.objects.create(user=owner)
    return objects


def registered() -> list[tuple[str, type]]:
    return [(m._meta.label_lower, m) for m in admin.site._registry]


def admin_urls(objects) -> list[tuple[str, str, str]]:
    """(model label, view, url) for every admin view of every registered model."""
    urls = []
    for label, model in registered():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append((label, "view", reverse("admin:{}_{}_changelist".format(*info))))
        urls.append((label, "add", reverse("admin:{}_{}_add".format(*info))))
        obj = objects.get(label) or model._default_manager.first()
        if obj is None:
            continue
        pk = obj.pk
        urls.append(
            (label, "view", reverse("admin:{}_{}_change".format(*info), args=[pk]))
        )
        urls.append(
            (label, "view", reverse("admin:{}_{}_history".format(*info), args=[pk]))
        )
        urls.append(
            (label, "delete", reverse("admin:{}_{}_delete".format(*info), args=[pk]))
        )
    return urls


def expected_status(role: str, label: str, view: str) -> int:
    if role == "anonymous":
        return 302
    if view == "view":
        allowed = can(role, "view", label) or can(role, "change", label)
    elif view == "add":
        allowed = can(role, "add", label) and label not in NEVER_ADDED_IN_ADMIN
    else:
        allowed = can(role, view, label)
    return 200 if allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_admin_url_matrix(client, db, role):
    objects = make_objects()
    login(client, role)
    wrong = []
    for label, view, url in admin_urls(objects):
        response = client.get(url)
        expected = expected_status(role, label, view)
        if response.status_code != expected:
            wrong.append((url, view, expected, response.status_code))
        if role == "anonymous":
            assert response["Location"].startswith(reverse("admin:login")), url
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES)
def test_admin_index_and_dashboard(client, db, role):
    login(client, role)
    response = client.get(reverse("admin:index"))
    assert response.status_code == (302 if role == "anonymous" else 200)


# --- Article workflow ----------------------------------------------------------

WORKFLOW = {
    # action: (factory traits, who may, data, did it happen?)
    "submit": (
        {},
        {REPORTER, EDITOR},
        {},
        lambda a: a.status == nm.ArticleStatus.IN_REVIEW,
    ),
    "return": (
        {"in_review": True},
        {REPORTER, EDITOR},
        {},
        lambda a: a.status == nm.ArticleStatus.DRAFT,
    ),
    "publish": (
        {"in_review": True},
        {EDITOR},
        {},
        lambda a: a.is_published(),
    ),
    "unschedule": (
        {"scheduled": True},
        {EDITOR},
        {},
        lambda a: a.status == nm.ArticleStatus.IN_REVIEW,
    ),
    "retract": (
        {"published": True},
        {EDITOR},
        {"note": "Could not be verified."},
        lambda a: a.status == nm.ArticleStatus.RETRACTED,
    ),
    "correct": (
        {"published": True},
        {EDITOR},
        {"kind": "correction", "note": "Fixed a number.", "substantive": "on"},
        lambda a: a.corrections.exists(),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(WORKFLOW))
def test_article_workflow_matrix(client, db, role, action):
    traits, allowed, data, happened = WORKFLOW[action]
    article = f.ArticleFactory(**traits)
    login(client, role)
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, action])
    response = client.post(url, {"version": article.version, **data})
    article.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code in (200, 302, 403)
    assert happened(article) == (role in allowed), (role, action, response.status_code)


def test_unknown_workflow_action_is_refused(client, db, editor):
    article = f.ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "delete-all"])
    assert client.post(url, {"version": article.version}).status_code in (403, 404)


# --- Bulk actions ----------------------------------------------------------------

BULK = {
    # (model label, action): (make object, extra POST data, who may, happened?)
    ("newsdesk.article", "submit_selected"): (
        lambda: f.ArticleFactory(),
        {},
        {REPORTER, EDITOR},
        lambda o: o.status == nm.ArticleStatus.IN_REVIEW,
    ),
    ("newsdesk.article", "return_selected"): (
        lambda: f.ArticleFactory(in_review=True),
        {},
        {REPORTER, EDITOR},
        lambda o: o.status == nm.ArticleStatus.DRAFT,
    ),
    ("newsdesk.article", "publish_selected"): (
        lambda: f.ArticleFactory(in_review=True),
        {},
        {EDITOR},
        lambda o: o.is_published(),
    ),
    ("newsdesk.article", "retract_selected"): (
        lambda: f.ArticleFactory(published=True),
        {"apply": "1", "note": "Could not be verified."},
        {EDITOR},
        lambda o: o.status == nm.ArticleStatus.RETRACTED,
    ),
    ("newsdesk.article", "delete_selected"): (
        lambda: f.ArticleFactory(),
        {"post": "yes"},
        {EDITOR},
        lambda o: not nm.Article.objects.filter(pk=o.pk).exists(),
    ),
    ("newsdesk.comment", "approve_selected"): (
        lambda: f.CommentFactory(),
        {},
        {EDITOR, MODERATOR},
        lambda o: o.status == nm.CommentStatus.APPROVED,
    ),
    ("newsdesk.comment", "spam_selected"): (
        lambda: f.CommentFactory(),
        {},
        {EDITOR, MODERATOR},
        lambda o: o.status == nm.CommentStatus.SPAM,
    ),
    ("newsdesk.comment", "remove_selected"): (
        lambda: f.CommentFactory(),
        {},
        {EDITOR, MODERATOR},
        lambda o: o.status == nm.CommentStatus.REMOVED,
    ),
    ("newsdesk.comment", "delete_selected"): (
        lambda: f.CommentFactory(),
        {"post": "yes"},
        {EDITOR},
        lambda o: not nm.Comment.objects.filter(pk=o.pk).exists(),
    ),
    ("incidents.figurecandidate", "dismiss_selected"): (
        lambda: f.FigureCandidateFactory(),
        {},
        {EDITOR},
        lambda o: o.status == im.CandidateStatus.DISMISSED,
    ),
    ("incidents.incident", "delete_selected"): (
        lambda: f.IncidentFactory(),
        {"post": "yes"},
        {EDITOR},
        lambda o: not im.Incident.objects.filter(pk=o.pk).exists(),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(BULK), ids=lambda k: f"{k[0]}:{k[1]}")
def test_admin_bulk_action_matrix(client, db, role, key):
    label, action = key
    make, extra, allowed, happened = BULK[key]
    obj = make()
    login(client, role)
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_changelist")
    response = client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [obj.pk], "index": 0, **extra}
    )
    assert response.status_code in (200, 302, 403), response.status_code
    model_class = type(obj)
    current = model_class._default_manager.filter(pk=obj.pk).first() or obj
    if current is not obj:
        obj = current
    assert happened(obj) == (role in allowed), (role, key, response.status_code)


def test_every_bulk_action_is_in_the_matrix():
    """A new admin action must join BULK, with who may run it."""
    declared = {
        (label, name)
        for label, model in registered()
        if label.split(".")[0] in ("newsdesk", "incidents")
        for name in (admin.site._registry[model].actions or ())
        if isinstance(name, str)
    }
    untested = (
        declared - set(BULK) - {("incidents.figurecandidate", "confirm_selected")}
    )
    assert not untested, untested


def test_reporter_cannot_change_a_published_article_in_the_admin(client, db, reporter):
    article = f.ArticleFactory(published=True, headline="Original headline")
    client.force_login(reporter)
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    data = admin_form_data(client.get(url))
    data["headline"] = "Changed by reporter"
    response = client.post(url, data)
    article.refresh_from_db()
    # A reporter's save only proposes pending changes; the live article stays.
    assert response.status_code == 302
    assert article.headline == "Original headline"
    assert nm.ArticleRevision.objects.pending().get().snapshot["headline"] == (
        "Changed by reporter"
    )


def test_figure_candidates_confirm_needs_editor(client, db, reporter, editor):
    candidate = f.FigureCandidateFactory()
    incident = f.IncidentFactory()
    data = {
        "action": "confirm_selected",
        ACTION_CHECKBOX_NAME: [candidate.pk],
        "index": 0,
        "apply": "1",
        "incident": incident.pk,
        "metric": im.Metric.KILLED,
        "claimant": "SDF",
    }
    url = reverse("admin:incidents_figurecandidate_changelist")
    client.force_login(reporter)
    client.post(url, data)
    candidate.refresh_from_db()
    assert candidate.status == im.CandidateStatus.PENDING
    client.force_login(editor)
    client.post(url, data)
    candidate.refresh_from_db()
    assert candidate.status == im.CandidateStatus.CONFIRMED


# --- API writes ----------------------------------------------------------------------


def _api_client(api_client, role: str):
    if role == "anonymous":
        return api_client
    user = f.UserFactory(username=f"{role}-api", role=role)
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


@pytest.mark.parametrize("role", ROLES)
def test_api_article_create_matrix(api_client, db, role):
    client = _api_client(api_client, role)
    response = client.post(
        "/api/v1/articles/",
        {"headline": "From the API", "body": "Text."},
        format="json",
    )
    expected = {"anonymous": 401, REPORTER: 201, EDITOR: 201, MODERATOR: 403}[role]
    assert response.status_code == expected, response.content
    assert nm.Article.objects.filter(headline="From the API").exists() == (
        expected == 201
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_article_update_matrix(api_client, db, role):
    article = f.ArticleFactory(headline="Before")
    client = _api_client(api_client, role)
    response = client.patch(
        f"/api/v1/articles/{article.pk}/",
        {"headline": "After"},
        format="json",
        HTTP_IF_MATCH=str(article.version),
    )
    expected = {"anonymous": 401, REPORTER: 200, EDITOR: 200, MODERATOR: 403}[role]
    # Anonymous and moderators cannot see drafts at all: 404 is as good as 403.
    allowed_codes = {expected} | ({404} if expected in (401, 403) else set())
    assert response.status_code in allowed_codes, response.content
    article.refresh_from_db()
    assert (article.headline == "After") == (expected == 200)


@pytest.mark.parametrize("role", ROLES)
def test_api_article_publish_matrix(api_client, db, role):
    article = f.ArticleFactory(in_review=True)
    client = _api_client(api_client, role)
    response = client.post(
        f"/api/v1/articles/{article.pk}/publish/",
        {},
        format="json",
        HTTP_IF_MATCH=str(article.version),
    )
    article.refresh_from_db()
    assert article.is_published() == (role == EDITOR), response.content
    if role == "anonymous":
        assert response.status_code == 401
    elif role != EDITOR:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_api_publish_later_is_scheduled_not_live(api_client, db, role):
    article = f.ArticleFactory(in_review=True)
    client = _api_client(api_client, role)
    later = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    client.post(
        f"/api/v1/articles/{article.pk}/publish/",
        {"publish_at": later},
        format="json",
        HTTP_IF_MATCH=str(article.version),
    )
    article.refresh_from_db()
    assert not article.is_published()
    assert article.is_scheduled() == (role == EDITOR)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "method,url",
    [
        ("put", "/api/v1/articles/{article}/"),
        ("delete", "/api/v1/articles/{article}/"),
        ("post", "/api/v1/sources/"),
        ("post", "/api/v1/topics/"),
        ("post", "/api/v1/incidents/"),
        ("patch", "/api/v1/incidents/{incident}/"),
        ("delete", "/api/v1/incidents/{incident}/"),
        ("post", "/api/v1/places/"),
        ("post", "/api/v1/actors/"),
        ("post", "/api/v1/people/"),
        ("delete", "/api/v1/figures/{figure}/"),
    ],
)
def test_api_writes_not_offered_are_refused(api_client, db, role, method, url):
    article = f.ArticleFactory(published=True)
    figure = f.FigureFactory()
    url = url.format(article=article.pk, incident=figure.incident.pk, figure=figure.pk)
    client = _api_client(api_client, role)
    before = (nm.Article.objects.count(), im.Incident.objects.count())
    response = getattr(client, method)(url, {"name": "x"}, format="json")
    assert response.status_code in (401, 403, 404, 405), (url, response.status_code)
    assert (nm.Article.objects.count(), im.Incident.objects.count()) == before


@pytest.mark.parametrize("role", ROLES)
def test_api_figure_create_matrix(api_client, db, role):
    incident = f.IncidentFactory()
    client = _api_client(api_client, role)
    response = client.post(
        "/api/v1/figures/",
        {
            "incident": incident.pk,
            "metric": "killed",
            "group": "total",
            "low": 5,
            "high": 5,
            "claimant": "SDF",
            "url": "https://example.org/claim",
        },
        format="json",
    )
    allowed = can(role, "add", "incidents.figure")
    assert (response.status_code == 201) == allowed, response.content
    assert im.Figure.objects.filter(incident=incident).exists() == allowed
    if role == "anonymous":
        assert response.status_code == 401


@pytest.mark.parametrize("role", ROLES)
def test_api_recommendation_status_matrix(api_client, db, role):
    article = f.ArticleFactory(published=True)
    recommendation = f.RecommendationFactory(made_in=article)
    client = _api_client(api_client, role)
    response = client.post(
        f"/api/v1/recommendations/{recommendation.pk}/status/",
        {
            "status": "acknowledged",
            "changed_on": "2022-03-01",
            "evidence_url": "https://example.org/statement",
        },
        format="json",
    )
    recommendation.refresh_from_db()
    allowed = can(role, "change", "incidents.recommendation")
    assert (recommendation.status == "acknowledged") == allowed, response.content
    if role == "anonymous":
        assert response.status_code == 401
