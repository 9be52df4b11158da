"""Build the edge test's newsroom in the app server's database; prints it as JSON.

Run with `manage.py shell < setup_desk.py`-style execution by the test.
"""

import datetime
import json

from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from newsdesk import previews
from newsdesk.roles import EDITOR
from tests.factories import ArticleFactory, TopicFactory, UserFactory

editor = UserFactory(username="edge-editor", role=EDITOR, is_staff=True)
token, _ = Token.objects.get_or_create(user=editor)
topic = TopicFactory(slug="prisons", name="Prisons")
lead = ArticleFactory(published=True, topics=[topic], headline="Lead story")
other = ArticleFactory(published=True, headline="Unrelated story")
# Older than both: the API's second page of one is not its last.
ArticleFactory(
    published=True,
    publish_at=timezone.now() - datetime.timedelta(days=3),
    headline="Archive story",
)
draft = ArticleFactory(topics=[topic], headline="Breaking at the prison")
secret = ArticleFactory(headline="Still a secret draft")
staff = Client()
staff.force_login(editor)
print(
    json.dumps(
        {
            "token": token.key,
            "session": staff.cookies["sessionid"].value,
            "lead": lead.get_absolute_url(),
            "other": other.get_absolute_url(),
            "draft_id": draft.pk,
            "secret": secret.get_absolute_url(),
            "share": previews.preview_url(secret),
        }
    )
)
