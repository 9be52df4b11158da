"""Quick edit from the article list: headline, standfirst, slug, topics, byline, language.

The row menu's "Quick edit" opens a small form in the list (quick-edit.js), or
without JavaScript the same form on a page of its own. Saving goes through
`article_edit`, by the change form's rules: a live article's edit is staged
as pending changes, a reporter cannot touch a retracted one, and a version or
pending changes replaced since the form opened are refused (409), nothing
written. Asked by the script (the `X-Quick-Edit` header) the view answers
with the form alone and, when posted, with JSON.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from newsdesk import services
from newsdesk.admin.article_inlines import is_staged, staged_view
from newsdesk.admin.row_actions import list_to_return_to
from newsdesk.models import Article, ArticleAuthor, Person, Topic
from newsdesk.revisions import services as revisions

QUICK_FIELDS = ("headline", "standfirst", "slug", "language")
FRAGMENT_HEADER = "X-Quick-Edit"


class QuickEditForm(forms.ModelForm):
    """The quick-edit fields, validated as the model validates them; never saved
    by `save()`: `article_edit` writes (or stages) the cleaned values."""

    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    byline = forms.CharField(
        required=False,
        max_length=2000,
        help_text="People's names as in People, in byline order, separated by commas.",
    )
    version_seen = forms.IntegerField(widget=forms.HiddenInput)
    pending_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = QUICK_FIELDS
        widgets = {
            "standfirst": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, article: Article, **kwargs: Any) -> None:
        staged = is_staged(article)
        if staged:
            view = staged_view(article)  # the pending changes, when there are some
            topic_ids = [topic["id"] for topic in view["topics"]]
            names = [person["label"] for person in view["authors"]]
            pending = article._pending_revision
        else:
            topic_ids = list(article.topics.values_list("pk", flat=True))
            names = list(
                ArticleAuthor.objects.filter(article=article)
                .order_by("position", "id")
                .values_list("person__name", flat=True)
            )
            pending = None
        initial = {
            "topics": topic_ids,
            "byline": ", ".join(names),
            "version_seen": article.version,
            "pending_seen": (pending.pk if pending else 0) if staged else None,
        }
        super().__init__(*args, instance=article, initial=initial, **kwargs)
        self.staged = staged
        self.fields["language"].widget.attrs["size"] = 8
        for name in ("headline", "slug"):
            self.fields[name].widget.attrs["class"] = "vTextField"

    def clean_byline(self) -> list[Person]:
        names = [name.strip() for name in self.cleaned_data["byline"].split(",")]
        names = [name for name in names if name]
        found: dict[str, list[Person]] = {}
        for person in Person.objects.annotate(key=Lower("name")).filter(
            key__in=[name.lower() for name in names]
        ):
            found.setdefault(person.key, []).append(person)
        people, unknown, ambiguous = [], [], []
        for name in names:
            matches = found.get(name.lower(), [])
            if not matches:
                unknown.append(name)
            elif len(matches) > 1:
                ambiguous.append(name)
            elif matches[0] not in people:
                people.append(matches[0])
        errors = []
        if unknown:
            errors.append(
                f"Nobody in People is called {', '.join(unknown)}: add them there "
                "first, or use the article's form."
            )
        if ambiguous:
            errors.append(
                f"Several people are called {', '.join(ambiguous)}: choose them "
                "in the article's form."
            )
        if errors:
            raise ValidationError(errors)
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # As in the change form: a new headline settles a provisional one.
        if self.instance.needs_headline and "headline" in self.changed_data:
            data["needs_headline"] = False
        return data


def _back_to_list(request: HttpRequest) -> str:
    """The article list the quick edit was opened from, else the whole list."""
    return list_to_return_to(request) or reverse("admin:newsdesk_article_changelist")


def _saved_message(pending: Any, staged: bool, user: Any) -> str:
    if not staged:
        return "Saved."
    if pending is None:
        return "No pending changes: the edit matches the live version."
    if services.user_can_publish(user):
        return (
            "Saved as pending changes. Readers see the live version until you "
            "publish them."
        )
    return (
        "Saved as pending changes. Readers see the live version until an editor "
        "publishes them; submit them for review when ready."
    )


class QuickEditMixin:
    """Mixed into the article admin: the quick-edit page and its endpoint."""

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/quick-edit/",
                self.admin_site.admin_view(self.quick_edit_view),
                name="newsdesk_article_quick_edit",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context is not None and "media" in context:
            context["media"] += forms.Media(
                js=["newsdesk/admin/quick-edit.js"],
                css={"all": ["newsdesk/admin/quick-edit.css"]},
            )
        return response

    def quick_edit_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = get_object_or_404(
            Article.objects.select_related("updated_by"), pk=object_id
        )
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        fragment = FRAGMENT_HEADER in request.headers
        form = QuickEditForm(
            request.POST if request.method == "POST" else None, article=article
        )
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                status, message = self._quick_save(request, article, form)
                if status == 200:
                    if fragment:
                        return JsonResponse({"saved": True, "message": message})
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(_back_to_list(request))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": f"Quick edit: {article.headline}",
            "form": form,
            "action_url": request.get_full_path(),
            "back_url": _back_to_list(request),
            "change_url": reverse("admin:newsdesk_article_change", args=[article.pk]),
        }
        if fragment:
            html = render_to_string(
                "admin/newsdesk/article/quick_edit_form.html", context, request
            )
            if request.method == "GET":
                return HttpResponse(html)
            return JsonResponse({"saved": False, "form": html}, status=status)
        return TemplateResponse(
            request, "admin/newsdesk/article/quick_edit.html", context, status=status
        )

    @staticmethod
    def _quick_save(
        request: HttpRequest, article: Article, form: QuickEditForm
    ) -> tuple[int, str]:
        """Write (or stage) the edit: (200, message), or the refusal on the form."""
        data = form.cleaned_data
        fields = {name: data[name] for name in QUICK_FIELDS}
        if "needs_headline" in data:
            fields["needs_headline"] = data["needs_headline"]
        try:
            pending = revisions.article_edit(
                article=article,
                user=request.user,
                fields=fields,
                authors=data["byline"],
                topics=data["topics"],
                expected_version=data["version_seen"],
                expected_pending=data.get("pending_seen") if form.staged else None,
            )
        except services.ArticleConflict as exc:
            form.add_error(None, exc.messages)
            return 409, ""
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return 403, ""
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return 400, ""
        return 200, _saved_message(pending, form.staged, request.user)
