"""Reads compiled once per process follow the clock, and refuse a frozen "now"."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsdesk import prepared
from newsdesk.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _published_ids(moment):
    return Article.objects.published(moment).order_by("pk").values_list("pk")


def test_a_prepared_read_runs_again_at_the_current_time(clock):
    live = ArticleFactory(published=True)
    embargoed = ArticleFactory(
        published=True, publish_at=clock.now + datetime.timedelta(hours=1)
    )

    assert prepared.prepared_rows("test-published", _published_ids) == [(live.pk,)]
    compiled = prepared._compiled[("test-published", ())]

    clock.now += datetime.timedelta(hours=2)

    rows = prepared.prepared_rows("test-published", _published_ids)
    assert rows == [(live.pk,), (embargoed.pk,)]
    assert prepared._compiled[("test-published", ())] is compiled


def test_a_prepared_read_whose_gate_took_the_current_time_is_refused():
    def frozen(moment):
        return Article.objects.published().values_list("pk")

    with pytest.raises(ImproperlyConfigured):
        prepared.prepared_rows("test-frozen", frozen)
