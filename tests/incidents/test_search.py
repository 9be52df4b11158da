"""Incident search matches whole, stemmed words in titles and summaries, on both engines."""

import pytest

from incidents.models import Incident
from incidents.search import incidents_matching
from tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/incidents/"


def _matching(query: str) -> set[str]:
    return {i.title for i in incidents_matching(query, Incident.objects.all())}


@pytest.fixture
def incidents():
    IncidentFactory(title="Hasaka prison attack", summary="Fighters stormed the jail.")
    IncidentFactory(title="Raid on Mosul", summary="Prisoners were freed at night.")
    IncidentFactory(title="Surprise visit", summary="A delegation arrived in Syria.")


def test_words_match_not_parts_of_words(incidents):
    assert _matching("jail") == {"Hasaka prison attack"}
    assert _matching("pris") == set()  # a substring search found all three
    assert _matching("rise") == set()


def test_stems_phrases_summaries_and_exclusions(incidents):
    assert _matching("attacks") == {"Hasaka prison attack"}
    assert _matching("prisoner") == {"Hasaka prison attack", "Raid on Mosul"}
    assert _matching('"stormed the jail"') == {"Hasaka prison attack"}
    assert _matching('"the stormed jail"') == set()
    assert _matching("night -mosul") == set()
    assert _matching("syria") == {"Surprise visit"}


def test_the_index_follows_edits_and_deletions(incidents):
    incident = Incident.objects.get(title="Raid on Mosul")
    incident.title = "Raid on Tal Afar"
    incident.save()
    assert _matching("mosul") == set()
    assert _matching("afar") == {"Raid on Tal Afar"}
    incident.delete()
    assert _matching("afar") == set()


def test_api_q_is_full_text(api_client, incidents):
    titles = [r["title"] for r in api_client.get(LIST, {"q": "pris"}).json()["results"]]
    assert titles == []
    response = api_client.get(LIST, {"q": "jail"})
    assert [r["title"] for r in response.json()["results"]] == ["Hasaka prison attack"]
