"""What people do in a real browser: read, comment, publish; accessibility checks."""

import feedparser
import pytest
from axe_playwright_python.sync_playwright import Axe

from newsdesk.models import Comment, CommentStatus
from tests.factories import (
    ArticleFactory,
    FigureFactory,
    IncidentActorFactory,
    IncidentFactory,
    PersonFactory,
    RecommendationFactory,
    RecommendationUpdateFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _story():
    article = ArticleFactory(
        published=True,
        headline="Fighters storm Ghwayran prison",
        body="The attack began at night.\n\nThe SDF regained control after six days.",
        authors=[PersonFactory(name="Rita Reporter")],
        topics=[TopicFactory(name="Prisons")],
    )
    incident = IncidentFactory(title="Attack on Ghwayran prison", in_focus=True)
    incident.articles.add(article)
    IncidentActorFactory(incident=incident)
    FigureFactory(incident=incident, low=67, high=67, article=article)
    FigureFactory(incident=incident, low=70, high=70, claimant="Amaq")
    RecommendationUpdateFactory(
        recommendation=RecommendationFactory(made_in=article, incident=incident)
    )
    return article, incident


def test_reader_reads_and_comments(page):
    article, incident = _story()

    page.goto("/")
    page.get_by_role("link", name=article.headline).first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == article.headline

    page.get_by_role("link", name=incident.title).first.click()
    page.wait_for_url(f"**{incident.get_absolute_url()}")
    assert "between 67 and 70 killed" in page.content()

    page.go_back()
    page.get_by_role("textbox", name="Name", exact=True).fill("Layla")
    page.get_by_role("textbox", name="Email", exact=True).fill("layla@example.org")
    page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Thank you for the careful reporting."
    )
    page.get_by_role("button", name="Post comment").click()

    page.wait_for_selector("#comment-pending")
    assert "awaiting moderation" in page.inner_text("#comment-pending")
    assert "layla@example.org" not in page.content()
    assert Comment.objects.get().status == CommentStatus.PENDING


def test_editor_publishes_a_draft_from_the_admin(page, live_server):
    from newsdesk.roles import roles_sync

    roles_sync()  # transactional tests start from an emptied database
    editor = UserFactory(username="eddie", role="editor", is_staff=True)
    editor.set_password("a-long-test-password")
    editor.save()
    draft = ArticleFactory(headline="Draft about to go live")

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("eddie")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/newsdesk/article/")
    page.locator(f'input[name="_selected_action"][value="{draft.pk}"]').check()
    page.select_option('select[name="action"]', "publish_selected")
    page.get_by_role("button", name="Go").click()
    page.wait_for_load_state()

    draft.refresh_from_db()
    assert draft.is_published()
    page.goto("/")
    assert page.get_by_role("link", name="Draft about to go live").count() >= 1
    feed = feedparser.parse(page.request.get("/feeds/latest/rss/").body())
    assert "Draft about to go live" in [entry.title for entry in feed.entries]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "ARTICLE",
        "INCIDENT",
        "/incidents/",
        "/recommendations/",
        "/search/?q=prison",
    ],
)
def test_pages_have_no_serious_accessibility_violations(page, path):
    article, incident = _story()
    path = {
        "ARTICLE": article.get_absolute_url(),
        "INCIDENT": incident.get_absolute_url(),
    }.get(path, path)
    page.goto(path)
    results = Axe().run(page)
    serious = [
        v
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, results.generate_report()
