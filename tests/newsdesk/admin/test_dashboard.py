"""The dashboard: the queues first, the admin's sections in the sidebar only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _dashboard(client) -> tuple[str, str]:
    page = client.get(reverse("admin:index")).content.decode()
    main = page[page.index('id="content-main"') : page.index('id="content-related"')]
    return main, page[page.index('id="content-related"') :]


def test_the_queues_are_not_followed_by_the_model_index(client, editor, reporter):
    f.ArticleFactory(headline="Waiting here", in_review=True)
    client.force_login(editor)
    main, sidebar = _dashboard(client)
    assert "Waiting for your review" in main and "Waiting here" in main
    # No table of every model with its Add and Change links under the queues.
    assert "addlink" not in main and "changelink" not in main
    assert reverse("admin:newsdesk_topic_changelist") not in main
    assert "All sections" in sidebar
    assert f'href="{reverse("admin:newsdesk_article_changelist")}"' in sidebar
    assert f'href="{reverse("admin:incidents_incident_changelist")}"' in sidebar

    client.force_login(reporter)
    main, sidebar = _dashboard(client)
    assert "Your drafts" in main and "Waiting for your review" not in main
    assert reverse("admin:auth_user_changelist") not in sidebar  # editors' only
