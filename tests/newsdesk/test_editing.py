"""The body editor: live preview endpoint, checks before publish, the article form."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from newsdesk import services
from newsdesk.models import ArticleStatus
from newsdesk.publish_checks import ArticleDraft, article_checks, publish_blockers
from tests.factories import ArticleFactory, FigureFactory, ImageFactory

pytestmark = pytest.mark.django_db

PREVIEW = "editing:body_preview"


def _codes(draft: ArticleDraft, level: str | None = None) -> list[str]:
    return [c.code for c in article_checks(draft) if level in (None, c.level)]


# --- Checks ----------------------------------------------------------------------


def test_a_complete_article_has_only_its_length():
    draft = ArticleDraft(
        headline="Families of Hasaka prison attack victims wait",
        standfirst="Three years on.",
        body="The attack began at night. " * 100,
    )
    checks = article_checks(draft)
    assert [c.code for c in checks] == ["length"]
    assert checks[0].message == "500 words · 3 minutes to read."


def test_headline_limit_is_110_characters():
    assert "headline_long" not in _codes(ArticleDraft(headline="x" * 110, body="b"))
    draft = ArticleDraft(headline="x" * 111, body="b", standfirst="s")
    assert _codes(draft, "warning") == ["headline_long"]


def test_missing_standfirst_warns():
    assert _codes(ArticleDraft(headline="h", body="b"), "warning") == ["no_standfirst"]


def test_external_image_without_alt_blocks():
    draft = ArticleDraft(
        headline="h", standfirst="s", body="![](https://x.example/a.png)"
    )
    assert _codes(draft, "blocker") == ["body_image_alt"]
    draft = ArticleDraft(
        headline="h", standfirst="s", body="![A map](https://x.example/a.png)"
    )
    assert _codes(draft, "blocker") == []


def test_missing_library_image_blocks():
    draft = ArticleDraft(headline="h", standfirst="s", body="![x](image:424242)")
    assert _codes(draft, "blocker") == ["missing_library_image"]


def test_lead_image_without_alt_blocks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = ImageFactory.build(alt_text="", decorative=False)
    draft = ArticleDraft(headline="h", standfirst="s", body="b", lead_image=image)
    assert _codes(draft, "blocker") == ["lead_image_alt"]


def test_links_to_unpublished_and_missing_articles_warn():
    draft_article = ArticleFactory(slug="still-a-draft")
    live = ArticleFactory(published=True, slug="live-one")
    body = (
        f"[a]({draft_article.get_absolute_url()}) "
        f"[b](http://localhost:8000{live.get_absolute_url()}) "
        "[c](/articles/2024/01/never-written/) [d](https://elsewhere.example/x)"
    )
    checks = article_checks(ArticleDraft(headline="h", standfirst="s", body=body))
    messages = [c.message for c in checks if c.level == "warning"]
    assert messages == [
        "The body links to an article readers cannot see yet: still-a-draft.",
        "The body links to an article that does not exist: never-written.",
    ]


def test_quoted_figures_need_a_cited_figure():
    article = ArticleFactory(body="At least 67 inmates were killed on Monday.")
    draft = ArticleDraft.of(article)
    warnings = [
        c.message for c in article_checks(draft) if c.code == "figure_not_cited"
    ]
    assert warnings == [
        "“At least 67 inmates” is quoted but no figure cites this article: add it "
        "to the incident's figures, with who claimed it."
    ]
    FigureFactory(article=article, low=60, high=70)
    assert "figure_not_cited" not in _codes(ArticleDraft.of(article))


def test_a_body_is_read_for_figures_once_while_it_stays_the_same(monkeypatch):
    from newsdesk import publish_checks

    read = []
    plain = publish_checks.extract_figures
    monkeypatch.setattr(
        publish_checks,
        "extract_figures",
        lambda sentences: read.append(sentences) or plain(sentences),
    )
    article = ArticleFactory(body="At least 67 inmates were killed on Tuesday.")
    first = _codes(ArticleDraft.of(article))
    assert _codes(ArticleDraft.of(article)) == first
    assert len(read) == 1
    article.body = "At least 68 inmates were killed on Tuesday."
    assert "figure_not_cited" in _codes(ArticleDraft.of(article))
    assert len(read) == 2


def test_publish_refuses_what_blocks_and_allows_warnings(editor):
    article = ArticleFactory(
        in_review=True, standfirst="", body="![](https://x.example/a.png)"
    )
    with pytest.raises(ValidationError) as err:
        services.article_publish(article=article, user=editor)
    assert err.value.messages == [
        "1 image in the body has no alt text: write it between the brackets, "
        "![like this](…)."
    ]
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW

    article.body = "![A map of the camp](https://x.example/a.png)"
    services.article_save(
        article=article, user=editor, expected_version=article.version, is_new=False
    )
    assert publish_blockers(article) == []
    services.article_publish(article=article, user=editor)  # warnings do not block
    assert article.is_published()


# --- Preview endpoint --------------------------------------------------------------


def test_preview_renders_like_the_public_page_with_checks(reporter_client):
    article = ArticleFactory()
    response = reporter_client.post(
        reverse(PREVIEW),
        {
            "body": "## Hello\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n![](https://x.example/a.png)",
            "headline": "x" * 120,
            "standfirst": "",
            "article": article.pk,
        },
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    data = response.json()
    assert data["html"].startswith("<h2>Hello</h2>")
    assert "Load YouTube video" in data["html"]
    assert [c["code"] for c in data["checks"]] == [
        "body_image_alt",
        "headline_long",
        "no_standfirst",
        "length",
    ]
    assert data["blockers"] == 1
    assert data["publish_label"] == "Cannot publish yet: fix 1 problem"


def test_preview_is_for_staff_who_write(client, moderator):
    url = reverse(PREVIEW)
    assert client.post(url, {"body": "x"}).status_code == 403
    client.force_login(moderator)
    assert client.post(url, {"body": "x"}).status_code == 403


def test_preview_needs_post_and_a_csrf_token(reporter):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reporter)
    assert strict.get(reverse(PREVIEW)).status_code == 405
    assert strict.post(reverse(PREVIEW), {"body": "x"}).status_code == 403


def test_preview_refuses_huge_bodies(reporter_client):
    response = reporter_client.post(reverse(PREVIEW), {"body": "x" * 200_001})
    assert response.status_code == 400
    assert "longer than 200,000 characters" in response.json()["error"]


# --- The article form ---------------------------------------------------------------


def test_change_form_has_the_editor_and_the_checks_panel(editor_client):
    article = ArticleFactory(
        in_review=True, standfirst="", body="![](https://x.example/a.png)"
    )
    response = editor_client.get(
        reverse("admin:newsdesk_article_change", args=[article.pk])
    )
    html = response.content.decode()
    assert (
        'class="nd-editor"' in html
        and 'data-preview-url="/admin/editor/preview/"' in html
    )
    assert "js/editor.js" in html and "css/editor.css" in html
    assert '<textarea name="body"' in html  # works without JavaScript
    assert 'id="nd-checks"' in html
    assert "1 problem must be fixed before publishing." in html
    assert "No standfirst" in html
    assert ("publish", "Cannot publish yet: fix 1 problem") in response.context[
        "workflow_buttons"
    ]


def test_clean_article_keeps_the_plain_publish_label(editor_client):
    article = ArticleFactory(in_review=True)
    response = editor_client.get(
        reverse("admin:newsdesk_article_change", args=[article.pk])
    )
    assert ("publish", "Publish or schedule") in response.context["workflow_buttons"]
    assert "Nothing blocks publishing." in response.content.decode()


def test_publish_page_says_what_blocks(editor_client):
    article = ArticleFactory(in_review=True, body="![](https://x.example/a.png)")
    url = reverse("admin:newsdesk_article_workflow", args=[article.pk, "publish"])
    response = editor_client.post(url, {"version": article.version}, follow=True)
    assert "1 image in the body has no alt text" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_lead_image_is_chosen_from_the_library(editor_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = ArticleFactory()
    image = ImageFactory(alt_text="Gate")
    from tests.newsdesk.admin.test_admin import _change_form_data

    response = editor_client.post(
        reverse("admin:newsdesk_article_change", args=[article.pk]),
        _change_form_data(article, lead_image=image.pk, lead_image_caption="Mine"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.lead_image, article.lead_image_display_caption) == (image, "Mine")
    autocomplete = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "newsdesk",
            "model_name": "article",
            "field_name": "lead_image",
            "term": "Gate",
        },
    )
    assert [r["id"] for r in autocomplete.json()["results"]] == [str(image.pk)]
