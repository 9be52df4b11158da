"""The media library screen: images with alt text, credit and focal point."""

from __future__ import annotations

import posixpath
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html, format_html_join

from newsdesk.admin.uploads import upload_stash, upload_stashed
from newsdesk.media import (
    EDITABLE_FIELDS,
    SOCIAL_SIZE,
    focal_crop,
    image_create,
    image_file_check,
    image_renditions,
    image_update,
)
from newsdesk.models import Image

# The crops shown beside the focal point picker: what lists, link previews and
# thumbnails make of the picture (label, ratio, preview width).
CROP_PREVIEWS = (
    ("Card, 16:9 (lists, teasers)", (16, 9), 160),
    ("Link preview, 1200 × 630", SOCIAL_SIZE, 160),
    ("Thumbnail, square", (1, 1), 90),
)


class ImageAdminForm(forms.ModelForm):
    """Sniffs the upload's type and size here, so the error sits on the file field.

    A file sent with a form refused for another reason (no alt text) comes back
    as a signed token, so the editor does not choose it again.
    """

    file_pending = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Image
        fields = ("file", *EDITABLE_FIELDS)
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name = self.add_prefix("file")
        if self.is_bound and name not in self.files:
            kept = upload_stashed(self.data.get(self.add_prefix("file_pending")))
            if kept is not None:
                self.files = self.files.copy()
                self.files[name] = kept

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            image_file_check(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("alt_text") or "").strip() and not data.get("decorative"):
            self.add_error(
                "alt_text",
                ValidationError(
                    "Describe the image for readers who cannot see it, "
                    "or tick “decorative”.",
                    code="alt_text_missing",
                ),
            )
        return data


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = (
        "thumbnail",
        "label",
        "alt_text",
        "credit",
        "used_in",
        "uploaded_at",
    )
    list_display_links = ("thumbnail", "label")
    list_filter = ("decorative", "uploaded_at")
    list_select_related = ("uploaded_by",)
    search_fields = ("title", "alt_text", "caption", "credit")
    search_help_text = "Search titles, alt text, captions and credits."
    list_per_page = 48
    ordering = ("-uploaded_at", "-id")
    readonly_fields = (
        "preview",
        "dimensions",
        "uploaded_by",
        "uploaded_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("preview", "file", "file_pending", "title")}),
        (
            "For readers",
            {
                "fields": (
                    ("alt_text", "decorative"),
                    "caption",
                    ("credit", "copyright"),
                )
            },
        ),
        (
            "Crop and provenance",
            {
                "fields": (("focal_x", "focal_y"), "source_url"),
                "description": "Cards and link previews are cropped around the focal "
                "point, given in percent from the top left corner.",
            },
        ),
        (
            "Record",
            {"fields": ("dimensions", ("uploaded_by", "uploaded_at"), "updated_at")},
        ),
    )

    class Media:
        js = ("newsdesk/admin/focal-point.js",)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(lead_uses=Count("lead_of"))

    @admin.display(description="Image")
    def thumbnail(self, obj: Image) -> str:
        thumb = image_renditions(obj, "thumb")
        if thumb is None:
            return "—"
        # The thumbnail is a link to the image's page, so its alt text names it.
        return format_html(
            '<img src="{}" width="80" height="80" alt="Edit {}" class="nd-thumb"'
            ' loading="lazy">',
            thumb.src,
            obj,
        )

    @admin.display(description="Title", ordering="title")
    def label(self, obj: Image) -> str:
        return str(obj)

    @admin.display(description="Lead image of", ordering="lead_uses")
    def used_in(self, obj: Image) -> str:
        count = getattr(obj, "lead_uses", 0)
        return f"{count} article{'s' if count != 1 else ''}"

    @admin.display(description="Focal point")
    def preview(self, obj: Image) -> str:
        if not obj.pk:
            return "—"
        lead = image_renditions(obj, "lead")
        if lead is None:
            return "The file is missing from storage."
        crops = format_html_join(
            "",
            '<figure class="nd-focal__crop"><img src="{}" alt="" width="{}"'
            ' height="{}" data-ratio="{}" style="object-position: {}">'
            "<figcaption>{}</figcaption></figure>",
            (
                (
                    lead.src,
                    box_width,
                    round(box_width * high / wide),
                    f"{wide}:{high}",
                    focal_crop(obj, (wide, high)),
                    label,
                )
                for label, (wide, high), box_width in CROP_PREVIEWS
            ),
        )
        return format_html(
            '<div class="nd-focal" data-nd-focal data-width="{}" data-height="{}">'
            '<div class="nd-focal__frame"><img src="{}" alt="{}" width="{}" height="{}"'
            ' class="nd-focal__image"><span class="nd-focal__marker" hidden></span>'
            "</div>"
            '<p class="nd-focal__help" id="nd-focal-help">Click on the picture where what '
            "matters is (a face, the smoke, the sign): every crop keeps it in the "
            "middle as far as the picture allows. From the keyboard, focus the "
            "picture and use the arrow keys (with Shift, ten steps at a time), or "
            "type the numbers under “Crop and provenance”.</p>"
            '<div class="nd-focal__crops" aria-label="Crops">{}</div>'
            '<p class="nd-focal__help">As readers get them once saved.</p></div>',
            obj.width,
            obj.height,
            lead.src,
            obj.reader_alt,
            lead.width,
            lead.height,
            crops,
        )

    @admin.display(description="Size")
    def dimensions(self, obj: Image) -> str:
        if not obj.width:
            return "—"
        return f"{obj.width} × {obj.height} px"

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Image | None = None,
    ) -> HttpResponse:
        form = context["adminform"].form
        upload = form.files.get(form.add_prefix("file"))
        if (
            form.is_bound
            and upload is not None
            and form.errors
            and "file" not in form.errors
        ):
            form.data = form.data.copy()
            form.data[form.add_prefix("file_pending")] = upload_stash(upload=upload)
            form["file"].help_text = (
                f"Your file “{posixpath.basename(upload.name)}” is kept and saved "
                "with the image; choose another file to replace it."
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(
        self, request: HttpRequest, obj: Image, form: Any, change: bool
    ) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        upload = form.cleaned_data.get("file") if "file" in form.changed_data else None
        if change:
            image_update(image=obj, user=request.user, file=upload, **fields)
        else:
            image_create(image=obj, user=request.user, file=upload, **fields)
