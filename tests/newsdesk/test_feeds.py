"""RSS and Atom feeds parse cleanly and carry only published articles."""

import feedparser
import pytest

from tests.factories import (
    ArticleFactory,
    CorrectionFactory,
    IncidentFactory,
    PersonFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize(
    ("url", "version"),
    [("/feeds/latest/rss/", "rss20"), ("/feeds/latest/atom/", "atom10")],
)
def test_latest_feed_lists_published_articles_only(client, url, version):
    shown = ArticleFactory(
        published=True,
        headline="Shown <&> story",
        authors=[PersonFactory(name="Ann Author")],
    )
    ArticleFactory(headline="Draft story")
    ArticleFactory(scheduled=True, headline="Scheduled story")
    ArticleFactory(retracted=True, headline="Retracted story")

    feed = _parse(client, url)

    assert feed.version == version
    assert [e.title for e in feed.entries] == ["Shown <&> story"]
    assert feed.entries[0].link.endswith(shown.get_absolute_url())
    assert feed.entries[0].author == "Ann Author"


def test_topic_feed(client):
    topic = TopicFactory(slug="prisons")
    ArticleFactory(published=True, topics=[topic], headline="In topic")
    ArticleFactory(published=True, headline="Elsewhere")
    for url in ("/feeds/topics/prisons/rss/", "/feeds/topics/prisons/atom/"):
        assert [e.title for e in _parse(client, url).entries] == ["In topic"]


def test_incident_feed_and_draft_incident_404(client):
    incident = IncidentFactory(slug="hasaka")
    article = ArticleFactory(published=True, headline="Covering")
    incident.articles.add(article, ArticleFactory(headline="Draft covering"))
    IncidentFactory(slug="secret", draft=True)

    assert [
        e.title for e in _parse(client, "/feeds/incidents/hasaka/rss/").entries
    ] == ["Covering"]
    assert client.get("/feeds/incidents/secret/rss/").status_code == 404


def test_corrections_feed(client):
    CorrectionFactory(
        article=ArticleFactory(published=True, headline="Fixed"), note="Date."
    )
    CorrectionFactory(article=ArticleFactory(headline="Draft"), note="Hidden.")
    for url in ("/feeds/corrections/rss/", "/feeds/corrections/atom/"):
        entries = _parse(client, url).entries
        assert [e.title for e in entries] == ["Correction: Fixed"]
        assert "#correction-" in entries[0].link


@pytest.mark.parametrize("size", [1, 20])
def test_feed_query_count_is_fixed(client, django_assert_num_queries, size):
    for _ in range(size):
        ArticleFactory(
            published=True, authors=[PersonFactory()], topics=[TopicFactory()]
        )
    with django_assert_num_queries(3):
        assert client.get("/feeds/latest/rss/").status_code == 200


def test_plain_text_is_escaped_for_feed_readers(client):
    ArticleFactory(published=True, standfirst="<script>alert(1)</script> & more")
    feed = _parse(client, "/feeds/latest/rss/")
    # The parsed description is HTML: it must show the text, not run it.
    assert "<script>" not in feed.entries[0].description
    assert "&lt;script&gt;" in feed.entries[0].description


MARKUP = '<img src=x onerror="alert(1)"><b>Bold</b> & co'


@pytest.mark.parametrize("kind", ["topic", "incident"])
def test_rss_channel_descriptions_are_escaped_like_item_descriptions(client, kind):
    from xml.etree import ElementTree

    if kind == "topic":
        topic = TopicFactory(description=MARKUP)
        ArticleFactory(published=True, topics=[topic])
        base = f"/feeds/topics/{topic.slug}"
    else:
        incident = IncidentFactory(status="published", summary=MARKUP)
        base = f"/feeds/incidents/{incident.slug}"
    rss = ElementTree.fromstring(client.get(f"{base}/rss/").content)
    description = rss.find("channel/description").text
    # After XML parsing the description is HTML that shows the text.
    assert "<img" not in description and "<b>" not in description
    assert description == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;b&gt;Bold&lt;/b&gt; &amp; co"
    )
    atom = ElementTree.fromstring(client.get(f"{base}/atom/").content)
    subtitle = atom.find("{http://www.w3.org/2005/Atom}subtitle")
    # An Atom subtitle is plain text, so it keeps the words as written.
    assert subtitle.text == MARKUP
