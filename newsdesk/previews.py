"""Signed, expiring share links that let a reviewer without an account read a draft."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from newsdesk.models import Article

PREVIEW_PARAM = "preview"
# Staff add it to a live article's address to see its pending changes.
PENDING_PARAM = "pending"


def _signer(article: Article) -> signing.TimestampSigner:
    # Salted per article, so a token for one article never opens another.
    return signing.TimestampSigner(salt=f"newsdesk.preview.article.{article.pk}")


def preview_token(article: Article) -> str:
    return _signer(article).sign(str(article.pk))


def preview_url(article: Article) -> str:
    """The article's public path with a signed token valid for NEWSDESK_PREVIEW_MAX_AGE."""
    return f"{article.get_absolute_url()}?{PREVIEW_PARAM}={preview_token(article)}"


def preview_token_valid(article: Article, token: str | None) -> bool:
    """True when `token` was issued for this article and has not expired."""
    if not token:
        return False
    try:
        value = _signer(article).unsign(
            token, max_age=settings.NEWSDESK_PREVIEW_MAX_AGE
        )
    except signing.BadSignature:
        return False
    return value == str(article.pk)
