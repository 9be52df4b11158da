"""Requests carrying NUL characters are turned away before any view or query."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/search/?q=a%00b", "/articles/2022/%00/x/", "/api/v1/articles/?q=%00", "/?x=%00"],
)
def test_nul_in_path_or_query_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "null character" in response.content.decode()


@pytest.mark.django_db
def test_ordinary_requests_pass(client):
    assert client.get("/search/?q=prison").status_code == 200
