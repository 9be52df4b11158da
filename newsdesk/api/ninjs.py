"""An article as an IPTC ninjs 2.0 news item: `/api/v1/articles/{id}/?format=ninjs`.

Built from the same serialized article the JSON answer carries, plus the lead
image (as an association with its rendition); error answers keep the API's
JSON error shape.
"""

from __future__ import annotations

import contextlib
import mimetypes
from typing import Any

import orjson
from django.db.models.fields.files import FieldFile
from rest_framework.renderers import BaseRenderer

NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"


class NinjsRenderer(BaseRenderer):
    media_type = "application/ninjs+json"
    format = "ninjs"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        if (response is not None and response.status_code >= 400) or not (
            isinstance(data, dict) and "headline" in data
        ):
            return orjson.dumps(data)
        view = context.get("view")
        article = view.get_object() if view is not None else None
        return orjson.dumps(article_ninjs(data, article, context.get("request")))


def article_ninjs(data: dict[str, Any], article: Any, request: Any) -> dict[str, Any]:
    """The ninjs 2.0 item for a serialized article (`ArticleDetailSerializer`)."""
    item: dict[str, Any] = {
        "uri": data["page_url"],
        "standard": {"name": "ninjs", "version": "2.0", "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "version": str(data.get("version", 1)),
        "versioncreated": data["modified_at"],
        "pubstatus": "usable",
        "headlines": [{"role": "main", "value": data["headline"]}],
        "bodies": [
            {"role": "main", "contenttype": "text/html", "value": data["body_html"]}
        ],
    }
    if data.get("first_published_at"):
        item["firstcreated"] = data["first_published_at"]
    if data.get("language"):
        item["language"] = data["language"]
    if data.get("standfirst"):
        item["descriptions"] = [{"role": "summary", "value": data["standfirst"]}]
    authors = [author["name"] for author in data.get("authors", [])]
    if authors:
        item["by"] = ", ".join(authors)
    topics = [{"name": topic["name"]} for topic in data.get("topics", [])]
    if topics:
        item["subjects"] = topics
    if data.get("source"):
        source = {"name": data["source"]["name"]}
        item["infosources"] = [source]
    if data.get("original_url"):
        item["altids"] = [{"role": "original", "value": data["original_url"]}]
    image = _lead_image(article, data, request)
    if image is not None:
        item["associations"] = [image]
    return item


def _lead_image(article: Any, data: dict[str, Any], request: Any) -> dict | None:
    """The lead image as a ninjs picture association with its rendition."""
    field = getattr(article, "lead_image", None)
    # The lead image is a file on the article, or an image record holding one;
    # an empty file field is false.
    if isinstance(field, FieldFile):
        file = field
    else:
        file = getattr(field, "file", None) or getattr(field, "image", None)
    if not file:
        return None
    url = file.url
    if request is not None:
        url = request.build_absolute_uri(url)
    rendition: dict[str, Any] = {"name": "original", "href": url}
    contenttype = mimetypes.guess_type(file.name)[0]
    if contenttype:
        rendition["contenttype"] = contenttype
    with contextlib.suppress(AttributeError, OSError, ValueError):
        rendition["width"], rendition["height"] = file.width, file.height
    association: dict[str, Any] = {
        "name": "featureimage",
        "uri": url,
        "type": "picture",
        "renditions": [rendition],
    }
    caption = data.get("lead_image_caption") or getattr(field, "caption", "")
    if caption:
        association["headlines"] = [{"role": "caption", "value": caption}]
    alt = getattr(field, "reader_alt", "")
    if alt:
        association["descriptions"] = [{"role": "alt", "value": alt}]
    credit = data.get("lead_image_credit") or getattr(field, "credit", "")
    if credit:
        association["by"] = credit
    return association
