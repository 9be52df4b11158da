from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """Expose the site's name and base URL to every template."""
    return {
        "site_name": settings.NEWSDESK_SITE_NAME,
        "site_url": settings.NEWSDESK_SITE_URL,
    }
