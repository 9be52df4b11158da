"""Over-long and malformed input gets a 4xx with a clear message, never a 500."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_filters import filters as df
from rest_framework.viewsets import ViewSetMixin

from newsdesk import models as nm
from tests import factories as f
from tests.hardening.surfaces import named_routes

HUGE_QUERY = "prison " * 15_000  # about 100 KB
NUL = "\x00"


@pytest.fixture
def content(db):
    article = f.ArticleFactory(published=True)
    f.IncidentFactory().articles.add(article)
    return article


def api_list_urls() -> list[str]:
    return [
        reverse(route.name)
        for route in named_routes()
        if route.name.startswith("api:")
        and route.name.endswith("-list")
        and not route.params
    ]


def _view_filterset(url: str):
    from django.urls import resolve

    match = resolve(url)
    view = match.func
    cls = getattr(view, "cls", None)
    if cls is None or not issubclass(cls, ViewSetMixin):
        return None
    return getattr(cls, "filterset_class", None)


def _assert_clear_4xx(response, *codes):
    assert response.status_code in codes, (response.status_code, response.content[:300])
    assert response.content, "a refusal says why"


def test_100kb_search_query_is_refused_on_the_page_and_the_api(client, content):
    response = client.get("/search/", {"q": HUGE_QUERY})
    _assert_clear_4xx(response, 400, 414)
    assert b"at most" in response.content
    response = client.get("/api/v1/articles/", {"q": HUGE_QUERY})
    _assert_clear_4xx(response, 400, 414)
    assert "q" in response.json()["errors"]


def test_5mb_comment_is_refused(client, content):
    url = reverse(
        "newsdesk:comment_post",
        kwargs={
            "year": content.publish_at.year,
            "month": f"{content.publish_at.month:02d}",
            "slug": content.slug,
        },
    )
    body = "x" * (5 * 1024 * 1024)
    response = client.post(url, {"name": "A", "email": "a@mail.example", "body": body})
    _assert_clear_4xx(response, 400, 413)
    assert not nm.Comment.objects.exists()


def test_long_but_legal_comment_gets_a_form_error(client, content):
    url = content.get_absolute_url() + "comments/"
    response = client.post(
        url, {"name": "A", "email": "a@mail.example", "body": "x" * 6000}
    )
    _assert_clear_4xx(response, 400)
    assert b"at most 5000 characters" in response.content
    assert not nm.Comment.objects.exists()


def test_nul_bytes_in_comment_fields_are_refused(client, content):
    url = content.get_absolute_url() + "comments/"
    response = client.post(
        url, {"name": f"A{NUL}B", "email": "a@mail.example", "body": f"Hi{NUL}there"}
    )
    _assert_clear_4xx(response, 400)
    assert b"Null characters are not allowed" in response.content
    assert not nm.Comment.objects.exists()


# Pages that read their query string (the home page ignores it).
PAGES = ("/search/?q=prison", "/incidents/", "/recommendations/")


@pytest.mark.parametrize("page", PAGES)
def test_thousands_of_repeated_parameters_are_refused(client, content, page):
    joiner = "&" if "?" in page else "?"
    url = page + joiner + "&".join(["a=1"] * 5000)
    response = client.get(url)
    assert response.status_code == 400


def test_thousands_of_repeated_parameters_on_the_api(client, content):
    for url in api_list_urls():
        response = client.get(url + "?" + "&".join(["page_size=1"] * 5000))
        assert response.status_code == 400, url


def test_hundreds_of_repeated_filter_values_do_not_break_the_api(client, content):
    for url in api_list_urls():
        response = client.get(url + "?" + "&".join(["kind=attack"] * 900))
        assert response.status_code in (200, 400), url


BAD_VALUES = {
    "date": ["2022-13-45", "yesterday", "0000-00-00", "99999-01-01", NUL],
    "number": ["abc", "1e309", "99999999999999999999999999", "-1", NUL, "1;DROP"],
    "choice": ["<script>", "x" * 500, NUL],
    "char": [NUL, "%", "\\", "x" * 5000],
}


def _kind(filter_) -> str | None:
    if isinstance(filter_, df.DateFilter | df.IsoDateTimeFilter | df.DateTimeFilter):
        return "date"
    if isinstance(filter_, df.NumberFilter):
        return "number"
    if isinstance(filter_, df.ChoiceFilter | df.MultipleChoiceFilter):
        return "choice"
    if isinstance(filter_, df.CharFilter):
        return "char"
    return None


def test_every_api_filter_answers_garbage_with_400_or_an_empty_page(client, content):
    checked = 0
    for url in api_list_urls():
        filterset = _view_filterset(url)
        if filterset is None:
            continue
        for name, filter_ in filterset.base_filters.items():
            kind = _kind(filter_)
            if kind is None:
                continue
            for value in BAD_VALUES[kind]:
                cache.clear()  # stay under the anonymous throttle
                response = client.get(url, {name: value})
                checked += 1
                assert response.status_code in (200, 400), (
                    url,
                    name,
                    value[:40],
                    response.status_code,
                )
                if kind in ("date", "number", "choice") and value != "-1":
                    assert response.status_code == 400, (url, name, value[:40])
                    if response["Content-Type"].startswith("application/json"):
                        assert response.json()["errors"], (url, name)
                    else:  # refused before the API, e.g. a NUL byte
                        assert response.content, (url, name)
    assert checked > 50


@pytest.mark.parametrize(
    "url",
    [
        "/incidents/?start=2022-13-45",
        "/incidents/?end=yesterday",
        "/incidents/?country=XX",
        "/incidents/?actor=%00",
        "/incidents/?kind=<script>",
        "/incidents/?page=99999999999999999999",
        "/incidents/?page=-1",
        "/recommendations/?status=nope&action=%00",
        "/search/?q=%00",
        "/search/?q=a%00b",
        "/search/?q=%FF%FE",
        "/api/v1/articles/?q=%FF%FE",
        "/api/v1/incidents.geojson?format=csv",
        "/search/?q=prison&page=abc",
        "/search/?q=prison&page=99999999999",
        "/?page=%00",
    ],
)
def test_malformed_page_parameters(client, content, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/articles/%FF/",
        "/articles/2022/01/%FF%FE/",
        "/articles/2022/01/%C0%AF/",
        "/articles/99999/99/x/",
        "/articles/2022/%00/x/",
        "/articles/2022/01/" + "a" * 5000 + "/",
        "/sources/" + "a" * 5000 + "/",
        "/people/%FF/",
        "/topics/%00/",
        "/incidents/" + "b" * 5000 + "/",
        "/feeds/topics/%FF/rss/",
        "/feeds/incidents/" + "c" * 3000 + "/atom/",
        "/sitemap-nope.xml",
        "/sitemap-%FF.xml",
        "/api/v1/articles/99999999999999999999999/",
        "/api/v1/articles/-1/",
        "/api/v1/articles/%00/",
        "/api/v1/incidents/1e9/",
        "/api/v1/figures/99999999999999999999/",
        "/api/v1/recommendations/abc/",
        "/api/v1/articles/?cursor=garbage",
        "/api/v1/articles/?cursor=%00",
        "/api/v1/articles/?page_size=0",
        "/api/v1/articles/?page_size=100000",
        "/api/v1/articles/?page_size=abc",
        "/api/v1/articles/?ordering=-password",
        "/api/v1/articles/?ordering=%00",
        "/api/v1/articles/?format=exe",
        "/api/v1/articles/?q=%00",
    ],
)
def test_malformed_urls_answer_4xx(client, content, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


def test_invalid_if_match_and_bodies_on_api_writes(api_client, db, editor):
    article = f.ArticleFactory()
    api_client.force_authenticate(editor)
    url = f"/api/v1/articles/{article.pk}/"
    for header in ("abc", "", NUL, "9" * 40, '"', 'W/"x"'):
        response = api_client.patch(
            url, {"headline": "x"}, format="json", HTTP_IF_MATCH=header
        )
        assert response.status_code in (400, 412, 428), (header, response.status_code)
    response = api_client.patch(
        url,
        b'{"headline": "x"',
        content_type="application/json",
        HTTP_IF_MATCH=str(article.version),
    )
    assert response.status_code == 400
    response = api_client.patch(
        url,
        b"\xff\xfe{}",
        content_type="application/json",
        HTTP_IF_MATCH=str(article.version),
    )
    assert response.status_code == 400
    response = api_client.patch(
        url,
        {"headline": f"x{NUL}y", "publish_at": "not a date"},
        format="json",
        HTTP_IF_MATCH=str(article.version),
    )
    assert response.status_code == 400
    response = api_client.post(
        "/api/v1/articles/", {"headline": "h" * 100_000}, format="json"
    )
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.headline != "x"


def test_import_reports_a_non_utf8_file_and_writes_nothing(tmp_path, db, capsys):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(
        "Un articolo sull'attacco al carcere\n\nTesto è qui.".encode("latin-1")
        + b"\xff\xfe"
    )
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"Headline\x00\n\n\x00\x00 body")
    with pytest.raises(CommandError):
        call_command("import_articles", str(bad), str(empty), str(nul))
    output = capsys.readouterr()
    text = output.out + output.err
    assert "latin1.txt" in text and "empty.txt" in text
    assert not nm.Article.objects.exists()


# --- Fuzzing -------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PARAMETER_NAMES = (
    "q",
    "page",
    "start",
    "end",
    "country",
    "actor",
    "kind",
    "verification",
    "status",
    "action",
    "format",
    "ordering",
    "cursor",
    "page_size",
    "preview",
    "comment",
    "topic",
    "source",
    "published_after",
    "incident",
)
FUZZ_PAGES = (
    "/",
    "/search/",
    "/incidents/",
    "/recommendations/",
    "/feeds/latest/rss/",
    "/sitemap.xml",
    "/api/v1/articles/",
    "/api/v1/incidents/",
    "/api/v1/figures/",
    "/api/v1/recommendations/",
)
values = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.sampled_from(
        ["", "-1", "0", "1e999", "NaN", "[]", "{}", "2022-02-30", "é" * 30]
    ),
)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow),
)
@given(
    page=st.sampled_from(FUZZ_PAGES),
    params=st.lists(st.tuples(st.sampled_from(PARAMETER_NAMES), values), max_size=6),
)
def test_fuzzed_query_strings_never_answer_500(client, content, page, params):
    cache.clear()
    response = client.get(page, params)
    assert response.status_code < 500, (page, params, response.status_code)


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
@pytest.mark.parametrize(
    "url", ["/", "/search/", "/incidents/", "/recommendations/", "/robots.txt"]
)
def test_write_methods_on_pages_answer_405(client, content, method, url):
    response = getattr(client, method)(url)
    assert response.status_code in (403, 405), (method, url, response.status_code)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=(HealthCheck.function_scoped_fixture, HealthCheck.too_slow),
)
@given(
    fields=st.dictionaries(
        st.sampled_from(["name", "email", "body", "website", "extra"]),
        st.text(max_size=300),
        max_size=5,
    )
)
def test_fuzzed_comment_posts_never_answer_500(client, content, fields):
    cache.clear()
    url = content.get_absolute_url() + "comments/"
    response = client.post(url, fields)
    assert response.status_code in (302, 400, 429), response.status_code
