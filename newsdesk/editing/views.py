"""Staff-only endpoints behind the body editor: live preview with checks, image chooser."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from newsdesk.media import image_renditions
from newsdesk.models import Image
from newsdesk.publish_checks import ArticleDraft, article_checks, publish_label

MAX_BODY = 200_000  # characters; far above any article, far below a denial of service
CHOOSER_PAGE = 24


def _staff_with(request: HttpRequest, *perms: str) -> bool:
    user = request.user
    return bool(
        user.is_active and user.is_staff and any(user.has_perm(p) for p in perms)
    )


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@never_cache
@require_POST
def body_preview(request: HttpRequest) -> JsonResponse:
    """The body rendered as readers will get it, with the checks before publish."""
    if not _staff_with(request, "newsdesk.add_article", "newsdesk.change_article"):
        return _refuse(403, "You do not have permission to edit articles.")
    body = request.POST.get("body", "")
    if len(body) > MAX_BODY:
        return _refuse(400, f"The body is longer than {MAX_BODY:,} characters.")
    image_id = _int_or_none(request.POST.get("lead_image"))
    draft = ArticleDraft(
        headline=request.POST.get("headline", "")[:1000],
        standfirst=request.POST.get("standfirst", "")[:5000],
        body=body,
        lead_image=Image.objects.filter(pk=image_id).first() if image_id else None,
        article_id=_int_or_none(request.POST.get("article")),
        needs_headline=request.POST.get("needs_headline") == "on",
    )
    checks = article_checks(draft)
    return JsonResponse(
        {
            "html": draft.rendering.html,
            "checks": [
                {
                    "code": c.code,
                    "level": c.level,
                    "message": c.message,
                    "field": c.field,
                }
                for c in checks
            ],
            "blockers": sum(c.level == "blocker" for c in checks),
            "publish_label": publish_label(checks),
        }
    )


def _image_data(image: Image) -> dict:
    thumb = image_renditions(image, "thumb")
    return {
        "id": image.pk,
        "label": str(image),
        "alt_text": image.alt_text,
        "decorative": image.decorative,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "thumb": thumb.src if thumb else "",
        "change_url": reverse("admin:newsdesk_image_change", args=[image.pk]),
    }


@never_cache
@require_safe
def image_chooser(request: HttpRequest) -> JsonResponse:
    """A page of library images matching `q` (or the one with `id`), with thumbnails."""
    if not _staff_with(request, "newsdesk.view_image", "newsdesk.change_image"):
        return _refuse(403, "You do not have permission to see the media library.")
    images = Image.objects.all()
    image_id = _int_or_none(request.GET.get("id"))
    if image_id is not None:
        images = images.filter(pk=image_id)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        images = images.search(query)
    page = Paginator(images, CHOOSER_PAGE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "results": [_image_data(image) for image in page],
            "page": page.number,
            "has_next": page.has_next(),
            "add_url": reverse("admin:newsdesk_image_add"),
        }
    )
