"""Revision storage: the snapshot, applying it, and a revision for each real change."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from newsdesk import services
from newsdesk.models import ArticleRevision, Quote, RelatedLink, RevisionKind
from newsdesk.revisions.recording import saves_recorded_once
from newsdesk.revisions.snapshot import (
    article_snapshot,
    snapshot_apply,
    snapshots_equal,
)
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    IncidentFactory,
    PersonFactory,
    QuoteFactory,
    RelatedLinkFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    amira, bilal = PersonFactory(name="Amira Haddad"), PersonFactory(name="Bilal Omar")
    syria, iraq = TopicFactory(name="Syria"), TopicFactory(name="Iraq")
    article = ArticleFactory(
        published=True,
        headline="Prison attack",
        source=SourceFactory(name="Agenzia Nova"),
        original_url="https://example.org/original",
        lead_image=ImageFactory(title="The prison gate"),
        authors=[bilal, amira],
        topics=[syria, iraq],
    )
    QuoteFactory(article=article, person=amira, text="A ticking bomb.", position=0)
    QuoteFactory(article=article, person=None, text="We saw fire.", position=1)
    RelatedLinkFactory(article=article, title="", target=ArticleFactory(), position=0)
    RelatedLinkFactory(article=article, title="Elsewhere", url="https://x.org/a")
    IncidentFactory(title="Siege of the prison").articles.add(article)
    return article


def test_snapshot_holds_the_whole_article_as_readers_see_it(story):
    snap = article_snapshot(story)
    assert snap["headline"] == "Prison attack"
    assert snap["source"] == {"id": story.source_id, "label": "Agenzia Nova"}
    assert snap["original_url"] == "https://example.org/original"
    assert snap["lead_image"] == {"id": story.lead_image_id, "label": "The prison gate"}
    assert [a["label"] for a in snap["authors"]] == ["Bilal Omar", "Amira Haddad"]
    assert [t["label"] for t in snap["topics"]] == ["Iraq", "Syria"]
    assert [q["text"] for q in snap["quotes"]] == ["A ticking bomb.", "We saw fire."]
    assert snap["quotes"][0]["speaker"]["label"] == "Amira Haddad"
    assert snap["quotes"][1]["speaker"] is None
    assert snap["related_links"][0]["id"] is not None
    assert snap["related_links"][1]["title"] == "Elsewhere"
    # Filled by the incidents app through extensions.revision_parts.
    assert [i["label"] for i in snap["incidents"]] == ["Siege of the prison"]
    assert "corrections" not in snap


def test_labels_do_not_make_snapshots_differ_but_ids_do(story):
    snap = article_snapshot(story)
    renamed = {**snap, "authors": [{**a, "label": "x"} for a in snap["authors"]]}
    assert snapshots_equal(snap, renamed)
    reordered = {**snap, "authors": list(reversed(snap["authors"]))}
    assert not snapshots_equal(snap, reordered)
    assert snapshots_equal(snap, {**snap, "body": snap["body"].replace("\n", "\r\n")})


def test_apply_writes_every_part_through_the_services(story, editor):
    snap = article_snapshot(story)
    other = PersonFactory(name="Chiara Rossi")
    incident = IncidentFactory(title="Prison break")
    quote_ids = list(Quote.objects.filter(article=story).values_list("pk", flat=True))
    wanted = {
        **snap,
        "headline": "Prison attack: the sixth day",
        "authors": [{"id": other.pk, "label": "Chiara Rossi"}],
        "topics": snap["topics"][:1],
        "quotes": [{**snap["quotes"][0], "text": "A bomb, ticking."}],
        "related_links": [
            *snap["related_links"],
            {"id": None, "label": "New", "title": "New", "url": "", "via": None},
        ],
        "incidents": [{"id": incident.pk, "label": "Prison break"}],
        "lead_image": None,
    }
    snapshot_apply(article=story, snapshot=wanted, user=editor)
    assert snapshots_equal(article_snapshot(story), wanted)
    # Rows kept are changed in place: the first quote keeps its id.
    assert list(Quote.objects.filter(article=story).values_list("pk", flat=True)) == [
        quote_ids[0]
    ]
    assert RelatedLink.objects.filter(article=story).count() == 3


def test_apply_refuses_a_reporter_on_a_live_article_and_writes_nothing(story, reporter):
    before = article_snapshot(story)
    with pytest.raises(services.PermissionDenied):
        snapshot_apply(
            article=story, snapshot={**before, "headline": "Nope"}, user=reporter
        )
    assert snapshots_equal(article_snapshot(story), before)


def test_apply_names_a_reference_that_is_gone(story, editor):
    snap = article_snapshot(story)
    with pytest.raises(ValidationError, match="no longer exist"):
        snapshot_apply(
            article=story,
            snapshot={**snap, "authors": [{"id": 999999, "label": "Ghost"}]},
            user=editor,
        )
    assert snapshots_equal(article_snapshot(story), snap)


def test_each_save_that_changes_something_records_one_revision(reporter):
    article = services.article_create(user=reporter, headline="Draft one")
    assert article.revisions.get().kind == RevisionKind.SAVED
    text = "Line one.\n\nLine two."
    services.article_update(
        article=article, user=reporter, data={"body": text}, expected_version=None
    )
    assert article.revisions.count() == 2
    saved_at_version = article.version
    # Saving the same content again records nothing, nor do a browser's CRLFs.
    services.article_update(
        article=article, user=reporter, data={"body": text}, expected_version=None
    )
    services.article_update(
        article=article,
        user=reporter,
        data={"body": text.replace("\n", "\r\n")},
        expected_version=None,
    )
    assert article.revisions.count() == 2
    latest = article.revisions.first()
    assert latest.snapshot["body"] == text
    assert latest.created_by == reporter
    assert latest.based_on_version == saved_at_version


def test_several_services_in_one_form_save_make_one_revision(reporter):
    article = services.article_create(user=reporter, headline="Draft two")
    person = PersonFactory()
    with transaction.atomic(), saves_recorded_once():
        services.article_update(
            article=article,
            user=reporter,
            data={"standfirst": "New."},
            expected_version=None,
        )
        services.article_set_authors(article=article, authors=[person], user=reporter)
        services.quote_save(
            quote=Quote(article=article, text="Words.", position=0), user=reporter
        )
    assert article.revisions.count() == 2
    assert article.revisions.first().snapshot["quotes"][0]["text"] == "Words."


def test_publishing_marks_the_revision_that_went_live(editor):
    article = services.article_create(user=editor, headline="Going live", body="B")
    services.article_publish(article=article, user=editor)
    revision = article.revisions.get()
    assert revision.kind == RevisionKind.PUBLISHED
    assert revision.published_by == editor


def test_at_most_one_pending_revision_per_article(story):
    snap = article_snapshot(story)
    ArticleRevision.objects.create(
        article=story, kind=RevisionKind.PENDING, snapshot=snap, based_on_version=1
    )
    ArticleRevision.objects.create(
        article=story, kind=RevisionKind.PROPOSED, snapshot=snap, based_on_version=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleRevision.objects.create(
            article=story, kind=RevisionKind.PENDING, snapshot=snap, based_on_version=1
        )
