"""Production settings send the browser-hardening headers; the CSP holds everywhere."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]

PROBE = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.test.utils import override_settings
    setup_test_environment()
    # Static files are not collected here; hashed names are beside the point.
    override_settings(STORAGES={
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }).enable()
    client = Client(HTTP_HOST="news.example.org")
    out = {"settings": {
        name: getattr(settings, name)
        for name in (
            "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT",
        )
    }}
    plain = client.get("/robots.txt")
    out["redirect"] = [plain.status_code, plain.get("Location", "")]
    for path in ("/robots.txt", "/admin/login/"):
        response = client.get(path, secure=True)
        out[path] = {
            "status": response.status_code,
            "headers": dict(response.headers),
            "cookies": {
                name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])}
                for name, m in response.cookies.items()
            },
        }
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Responses of the production settings (DEBUG off, HTTPS), from a subprocess."""
    database = tmp_path_factory.mktemp("prod") / "empty.sqlite3"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="news.example.org",
        DATABASE_URL=f"sqlite:///{database}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production):
    status, location = production["redirect"]
    assert status == 301
    assert location.startswith("https://news.example.org/")


def test_production_sends_hsts_frame_denial_and_referrer_policy(production):
    for path in ("/robots.txt", "/admin/login/"):
        headers = production[path]["headers"]
        assert production[path]["status"] == 200, path
        hsts = headers["Strict-Transport-Security"]
        assert (
            re.search(r"max-age=(\d+)", hsts)
            and int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
        )
        assert "includeSubDomains" in hsts and "preload" in hsts
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_production_cookies_are_secure(production):
    assert production["settings"]["DEBUG"] is False
    assert production["settings"]["SESSION_COOKIE_SECURE"] is True
    assert production["settings"]["CSRF_COOKIE_SECURE"] is True
    assert production["settings"]["SESSION_COOKIE_HTTPONLY"] is True
    cookies = production["/admin/login/"]["cookies"]
    assert cookies["csrftoken"]["secure"]


# --- Content-Security-Policy --------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_csp_directives(client, db):
    directives = policy(client.get("/robots.txt"))
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    script = directives["script-src"]
    assert "'self'" in script
    assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:"} & set(
        script
    )
    assert "https://*.tile.openstreetmap.org" in directives["img-src"]


def _nonce(response) -> str | None:
    for source in policy(response)["script-src"]:
        if source.startswith("'nonce-"):
            return source[7:-1]
    return None


def test_csp_nonce_changes_with_every_response(client, db):
    nonces = {_nonce(client.get("/api/docs/")) for _ in range(3)}
    assert None not in nonces
    assert len(nonces) == 3


INLINE_SCRIPT_RE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)([^>]*)>", re.I
)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/incidents/",
        "/recommendations/",
        "/search/?q=prison",
        "/api/docs/",
        "/api/redoc/",
    ],
)
def test_every_inline_script_carries_the_nonce(client, db, path):
    incident = f.IncidentFactory(in_focus=True)
    incident.articles.add(f.ArticleFactory(published=True))
    response = client.get(path)
    assert response.status_code == 200
    nonce = _nonce(response)
    for attributes in INLINE_SCRIPT_RE.findall(response.content.decode()):
        assert f'nonce="{nonce}"' in attributes, (path, attributes)


def test_admin_pages_have_no_unnonced_inline_script(client, db, superuser):
    article = f.ArticleFactory()
    client.force_login(superuser)
    for path in (
        "/admin/",
        "/admin/newsdesk/article/",
        f"/admin/newsdesk/article/{article.pk}/change/",
        "/admin/incidents/incident/add/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        nonce = _nonce(response)
        for attributes in INLINE_SCRIPT_RE.findall(response.content.decode()):
            assert f'nonce="{nonce}"' in attributes, (path, attributes)
        assert not re.search(r"\son[a-z]+=", response.content.decode()), path
