"""The site's URLs plus one public-looking answer that sets a cookie."""

from django.http import HttpResponse
from django.urls import path

from newsdesk.urls import handler500  # noqa: F401  (the product's)
from newsdesk.urls import urlpatterns as site_patterns


def sets_a_cookie(request):
    response = HttpResponse("A cookie for you.", content_type="text/plain")
    response["Cache-Control"] = "public, max-age=600, s-maxage=600"
    response.set_cookie("chosen", "yes")
    return response


urlpatterns = [path("edge-probe/cookie/", sets_a_cookie), *site_patterns]
