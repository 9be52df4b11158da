"""No text an editor, importer or commenter writes ever becomes script.

Every payload of the corpus goes into every text field, in rotation; each
public page, feed, JSON-LD block, admin page and API response is then parsed
and searched for injected elements, event handlers and script URLs.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents import models as im
from newsdesk import models as nm
from newsdesk.rendering import render_markdown, sanitize_html
from tests.hardening.xss import (
    MARK,
    PAYLOADS,
    URL_PAYLOADS,
    feed_problems,
    html_problems,
    json_ld_problems,
)

ROUNDS = 5


def _storable(value: str) -> bool:
    try:
        URLValidator()(value)
    except ValidationError:
        return False
    return True


# URL payloads every write path (admin, API, importer) accepts; the others
# are refused at the door, as `test_url_fields_refuse_script_urls` shows.
STORABLE_URLS = tuple(u for u in URL_PAYLOADS if _storable(u))
URL_FIELDS = (
    (nm.Source, "homepage"),
    (nm.Person, "link"),
    (nm.Article, "original_url"),
    (nm.RelatedLink, "url"),
    (im.Figure, "url"),
    (im.RecommendationUpdate, "evidence_url"),
)


class Picker:
    """Hands out payloads so each field sees a different one in every round."""

    def __init__(self, round_no: int) -> None:
        self.round_no = round_no
        self.count = 0

    def text(self, limit: int = 10_000) -> str:
        self.count += 1
        payload = PAYLOADS[(self.count * 7 + self.round_no * 5) % len(PAYLOADS)]
        return f"{payload} {self.count}"[:limit]

    def url(self) -> str:
        self.count += 1
        return STORABLE_URLS[(self.count + self.round_no) % len(STORABLE_URLS)]

    def markdown(self) -> str:
        lines = [PAYLOADS[(n + self.round_no) % len(PAYLOADS)] for n in range(12)]
        return "\n\n".join(lines) + f"\n\n> {self.text()}\n\n* {self.text()}\n"


def build_payload_newsroom(round_no: int) -> dict:
    """One published article (and draft) with a payload in every text field."""
    p = Picker(round_no)
    now = timezone.now()
    source = nm.Source.objects.create(
        name=p.text(200),
        slug=f"source-{round_no}",
        domain=f"evil{round_no}.example",
        homepage=p.url(),
        notes=p.text(),
    )
    person = nm.Person.objects.create(
        name=p.text(200),
        slug=f"person-{round_no}",
        affiliation=p.text(200),
        title=p.text(200),
        bio=p.text(),
        link=p.url(),
    )
    topic = nm.Topic.objects.create(
        name=p.text(100), slug=f"topic-{round_no}", description=p.text()
    )
    articles = []
    for status, publish_at in (
        (nm.ArticleStatus.PUBLISHED, now - datetime.timedelta(hours=2)),
        (nm.ArticleStatus.PUBLISHED, now - datetime.timedelta(hours=1)),
        (nm.ArticleStatus.DRAFT, None),
    ):
        article = nm.Article.objects.create(
            headline=p.text(300),
            slug=f"article-{round_no}-{len(articles)}",
            standfirst=p.text(1000),
            body=p.markdown(),
            status=status,
            publish_at=publish_at,
            first_published_at=publish_at,
            source=source,
            original_url=p.url(),
            lead_image_caption=p.text(500),
            original_language="it",
        )
        article.topics.add(topic)
        nm.ArticleAuthor.objects.create(article=article, person=person, position=0)
        nm.Quote.objects.create(
            article=article, person=person, text=p.text(), attribution=p.text(300)
        )
        nm.Correction.objects.create(article=article, note=p.text())
        nm.Comment.objects.create(
            article=article,
            name=p.text(100),
            email="reader@mail.example",
            body=p.text(5000),
            status=nm.CommentStatus.APPROVED,
        )
        nm.Comment.objects.create(
            article=article,
            name=p.text(100),
            email="pending@mail.example",
            body=p.text(5000),
        )
        articles.append(article)
    nm.RelatedLink.objects.create(
        article=articles[1], target=articles[0], title=p.text(300)
    )
    nm.RelatedLink.objects.create(
        article=articles[1], title=p.text(300), url=p.url(), via=person
    )
    place = im.Place.objects.create(
        name=p.text(200),
        slug=f"place-{round_no}",
        admin1=p.text(100),
        country="SY",
        latitude="36.5",
        longitude="40.7",
    )
    actor = im.Actor.objects.create(
        name=p.text(200), slug=f"actor-{round_no}", description=p.text()
    )
    im.ActorAlias.objects.create(actor=actor, name=p.text(200))
    incident = im.Incident.objects.create(
        title=p.text(300),
        slug=f"incident-{round_no}",
        sub_kind=p.text(100),
        summary=p.text(),
        start_date=datetime.date(2022, 1, 20),
        place=place,
        status=im.IncidentStatus.PUBLISHED,
        in_focus=True,
    )
    im.IncidentActor.objects.create(
        incident=incident, actor=actor, role=im.ActorRole.PERPETRATOR, note=p.text(300)
    )
    incident.articles.add(*articles)
    for low in (67, 80):
        im.Figure.objects.create(
            incident=incident,
            metric=im.Metric.KILLED,
            low=low,
            high=low,
            claimant=p.text(200),
            article=articles[0],
            source=source,
            url=p.url(),
            excerpt=p.text(),
            note=p.text(),
        )
    im.FigureCandidate.objects.create(
        article=articles[2],
        text=p.text(300),
        sentence=p.text(),
        low=1,
        high=1,
        unit=p.text(100),
    )
    recommendation = im.Recommendation.objects.create(
        action=im.RecommendationAction.REPATRIATE,
        statement=p.text(),
        addressed_to_group=p.text(200),
        recommended_by_person=person,
        recommended_by_source=source,
        made_in=articles[0],
        incident=incident,
    )
    im.RecommendationUpdate.objects.create(
        recommendation=recommendation,
        status=im.RecommendationStatus.ACKNOWLEDGED,
        note=p.text(),
        evidence_url=p.url(),
        evidence_article=articles[1],
    )
    return {
        "articles": articles,
        "source": source,
        "person": person,
        "topic": topic,
        "incident": incident,
        "search": PAYLOADS[round_no % len(PAYLOADS)],
    }


def public_pages(room: dict) -> list[str]:
    article = room["articles"][1]
    return [
        "/",
        article.get_absolute_url(),
        room["articles"][0].get_absolute_url(),
        room["source"].get_absolute_url(),
        room["person"].get_absolute_url(),
        room["topic"].get_absolute_url(),
        room["incident"].get_absolute_url(),
        reverse("incidents:incident_list"),
        reverse("incidents:recommendation_tracker"),
        "/search/?q=prison",
        "/search/?" + _q(room["search"]),
        "/search/?" + _q(MARK),
        article.get_absolute_url() + "?" + _q(room["search"]),
    ]


def _q(value: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": value})


def feeds(room: dict) -> list[str]:
    topic, incident = room["topic"].slug, room["incident"].slug
    return [
        reverse("newsdesk:feed_latest"),
        reverse("newsdesk:feed_latest_atom"),
        reverse("newsdesk:feed_topic", kwargs={"slug": topic}),
        reverse("newsdesk:feed_topic_atom", kwargs={"slug": topic}),
        reverse("newsdesk:feed_incident", kwargs={"slug": incident}),
        reverse("newsdesk:feed_incident_atom", kwargs={"slug": incident}),
        reverse("newsdesk:feed_corrections"),
        reverse("newsdesk:feed_corrections_atom"),
        reverse("newsdesk:news_sitemap"),
    ]


def _nonce(response) -> str | None:
    header = response.get("Content-Security-Policy", "")
    found = re.search(r"'nonce-([^']+)'", header)
    return found.group(1) if found else None


def html_findings(url: str, response) -> list:
    html = response.content.decode()
    problems = html_problems(html, nonce=_nonce(response)) + json_ld_problems(html)
    return [(url, problem) for problem in problems]


def assert_clean_html(url: str, response) -> None:
    assert response.status_code < 500, (url, response.status_code)
    html = response.content.decode()
    problems = html_problems(html, nonce=_nonce(response)) + json_ld_problems(html)
    assert not problems, (url, problems)


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_payloads_never_become_markup_on_public_pages_and_feeds(client, db, round_no):
    room = build_payload_newsroom(round_no)
    found = []
    for url in public_pages(room):
        # Parameters a page does not read are redirected to its clean address.
        response = client.get(url, follow=True)
        assert response.status_code in (200, 400), (url, response.status_code)
        found += html_findings(url, response)
    assert not found, found
    article_page = client.get(room["articles"][1].get_absolute_url()).content.decode()
    assert MARK in article_page, "the payloads must actually be on the page"
    for url in feeds(room):
        response = client.get(url)
        assert response.status_code == 200, url
        problems = feed_problems(response.content.decode())
        assert not problems, (url, problems)


@pytest.mark.parametrize("round_no", range(0, ROUNDS, 2))
def test_json_ld_parses_and_keeps_payloads_as_text(client, db, round_no):
    room = build_payload_newsroom(round_no)
    html = client.get(room["articles"][1].get_absolute_url()).content.decode()
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL
    )
    assert blocks
    data = [json.loads(block) for block in blocks]
    headline = room["articles"][1].headline[:110]
    assert any(block.get("headline") == headline for block in data)


def _walk(value, path=""):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)
    else:
        yield path, value


API_LISTS = (
    "articles",
    "sources",
    "people",
    "topics",
    "incidents",
    "actors",
    "places",
    "figures",
    "recommendations",
)


@pytest.mark.parametrize("round_no", range(0, ROUNDS, 3))
def test_api_serves_payloads_as_data_never_as_markup(client, db, round_no):
    room = build_payload_newsroom(round_no)
    urls = [f"/api/v1/{name}/" for name in API_LISTS]
    urls.append(f"/api/v1/articles/{room['articles'][1].pk}/")
    urls.append(f"/api/v1/incidents/{room['incident'].pk}/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response["X-Content-Type-Options"] == "nosniff"
        for path, value in _walk(response.json()):
            if isinstance(value, str) and path.endswith("_html"):
                assert not html_problems(value), (url, path)
    for name in ("incidents", "figures", "recommendations"):
        response = client.get(f"/api/v1/{name}/?format=csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        for row in rows[1:]:
            for cell in row:
                # Spreadsheet formulas would run when an analyst opens the file.
                assert not cell.startswith(("=", "+", "@")), (name, cell[:60])


ADMIN_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in ("newsdesk", "incidents")
]


@pytest.mark.parametrize("round_no", [0])
def test_admin_pages_keep_payloads_inert(client, db, superuser, round_no):
    build_payload_newsroom(round_no)
    client.force_login(superuser)
    urls = [reverse("admin:index")]
    for model in ADMIN_MODELS:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        obj = model.objects.order_by("-pk").first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]))
    urls.append(reverse("admin:newsdesk_article_changelist") + "?q=" + MARK)
    for article in nm.Article.objects.all():
        for action in ("submit", "publish", "retract", "correct"):
            urls.append(
                reverse("admin:newsdesk_article_workflow", args=[article.pk, action])
            )
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found += html_findings(url, response)
    # Bulk actions' confirmation pages list the selected rows by name.
    for model, action in (
        (nm.Article, "retract_selected"),
        (nm.Article, "delete_selected"),
        (nm.Comment, "delete_selected"),
        (im.FigureCandidate, "confirm_selected"),
        (im.Incident, "delete_selected"),
    ):
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_changelist".format(*info))
        response = client.post(
            url,
            {
                "action": action,
                "_selected_action": list(model.objects.values_list("pk", flat=True)),
                "index": 0,
            },
        )
        assert response.status_code == 200, (url, action, response.status_code)
        found += html_findings(f"{url} {action}", response)
    assert not found, found


def test_comment_form_echoes_payloads_inert(client, db):
    room = build_payload_newsroom(0)
    article = room["articles"][1]
    url = reverse(
        "newsdesk:comment_post",
        kwargs={
            "year": article.publish_at.year,
            "month": f"{article.publish_at.month:02d}",
            "slug": article.slug,
        },
    )
    for payload in PAYLOADS[:6]:
        response = client.post(url, {"name": payload, "email": "bad", "body": payload})
        assert response.status_code in (302, 400, 429)
        if response.status_code == 400:
            assert_clean_html(url, response)


# --- The sanitiser -----------------------------------------------------------

EVENT_ATTRIBUTE_RE = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)
fragments = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>",
        '<a href="jav&#x09;ascript:alert(1)">',
        "<svg onload=alert(1)>",
        "<math>",
        "<style>",
        "<iframe>",
        "<!--",
        "-->",
        "<![CDATA[",
        '"',
        "'",
        "<",
        ">",
        "&",
        "&lt;",
        "[x](javascript:alert(1))",
        "![y](javascript:alert(1))",
        "<p onclick=alert(1)>",
        "<a href=https://ok.example/>",
        "</a>",
        "<b>",
        "`",
        "\n\n",
        "*",
        "> ",
        "    ",
        "| a | b |\n|---|---|\n| c | d |",
    ]
)
markup = st.lists(st.one_of(fragments, st.text(max_size=8)), max_size=20).map("".join)


def _assert_safe(html: str) -> None:
    assert "<script" not in html.lower()
    assert not EVENT_ATTRIBUTE_RE.search(html)
    assert not html_problems(html)


@settings(
    max_examples=300, deadline=None, suppress_health_check=(HealthCheck.too_slow,)
)
@given(markup)
def test_sanitize_html_is_idempotent_and_safe(source):
    once = sanitize_html(source)
    assert sanitize_html(once) == once
    _assert_safe(once)


@settings(
    max_examples=300, deadline=None, suppress_health_check=(HealthCheck.too_slow,)
)
@given(markup)
def test_render_markdown_output_is_safe_and_stable(source):
    html = render_markdown(source)
    assert sanitize_html(html) == html
    _assert_safe(html)


@pytest.mark.parametrize("payload", PAYLOADS + URL_PAYLOADS)
def test_every_corpus_payload_renders_inert(payload):
    _assert_safe(render_markdown(payload))
    _assert_safe(render_markdown(f"[link]({payload})"))


@pytest.mark.parametrize(("model", "name"), URL_FIELDS)
@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_url_fields_refuse_script_urls(model, name, value):
    field = model._meta.get_field(name)
    with pytest.raises(ValidationError):
        field.clean(value, model())


def test_imported_payloads_stay_inert_once_published(client, db, editor, tmp_path):
    """What the importer extracts (headline, quotes, sources, links) is text too."""
    from django.core.management import call_command

    from newsdesk import services

    lines = [
        f"<script>window.__xss=1</script> Prison attack {MARK}",
        "",
        f"Fighters attacked the prison {PAYLOADS[1]} at night, officials said.",
        "",
        f"“It is a ticking bomb {PAYLOADS[3]},” {PAYLOADS[6]} of "
        f"King's College London {PAYLOADS[2]}, another security expert, said.",
        "",
        f"About 12,000 ISIS members {PAYLOADS[5]} are held in these prisons.",
        "",
        f"Read Also {PAYLOADS[0]} Syria prison attack {MARK}",
        "",
        f"Read Also from {PAYLOADS[4]}’s blog {PAYLOADS[15]}",
        "",
        f"Source: | This article originally belongs to {PAYLOADS[11]} Evil.example",
        "",
    ]
    path = tmp_path / "payloads.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = io.StringIO()
    call_command("import_articles", str(path), stdout=out)
    assert "1 created" in out.getvalue(), out.getvalue()
    article = nm.Article.objects.get()
    assert MARK in article.headline and nm.RelatedLink.objects.exists()
    if article.needs_headline:
        article.headline = f"Imported {MARK}"
        article.needs_headline = False
        article.save()
    services.article_publish(article=article, user=editor)
    found = []
    for url in (
        article.get_absolute_url(),
        "/",
        reverse("newsdesk:feed_latest"),
        *(s.get_absolute_url() for s in nm.Source.objects.all()),
        *(p.get_absolute_url() for p in nm.Person.objects.all()),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        if "xml" in response["Content-Type"]:
            found += [(url, p) for p in feed_problems(response.content.decode())]
        else:
            found += html_findings(url, response)
    assert not found, found


@pytest.mark.parametrize("round_no", [3, 6])
def test_an_article_form_saved_as_rendered_keeps_payloads_and_topics(
    client, db, superuser, round_no
):
    """A payload that closes a tag or an attribute never breaks the change
    form's markup: posted back untouched, it changes nothing, topics included."""
    from tests.hardening.test_concurrency import form_data

    room = build_payload_newsroom(round_no)
    article = room["articles"][2]  # the draft: a save writes the article itself
    topics = set(article.topics.values_list("pk", flat=True))
    assert topics
    # Form fields strip surrounding whitespace, as on any save.
    before = {
        name: getattr(article, name).strip()
        for name in ("headline", "standfirst", "body")
    }
    client.force_login(superuser)
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    data = form_data(client.get(url).content.decode(), "article_form")
    assert set(map(int, data["topics"])) == topics
    data["_continue"] = ["Save and continue editing"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert set(article.topics.values_list("pk", flat=True)) == topics
    assert {name: getattr(article, name) for name in before} == before
