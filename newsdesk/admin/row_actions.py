"""The article list's row menu: what an editor does next with one article.

Edit, quick edit (`newsdesk.admin.quick_edit`), view it live or preview it, compare pending changes with the live text,
and the workflow steps this user may take (submit, publish, unschedule,
retract). The steps open their confirmation pages, which act through the
services as the change form's buttons do, and come back to the list.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from newsdesk import services
from newsdesk.admin.display import ListTimes
from newsdesk.models import Article, ArticlePaths, ArticleStatus
from newsdesk.previews import PENDING_PARAM

# Workflow steps offered from the list (the others need the article open:
# approving or asking for changes reads it first).
LIST_STEPS = {
    "submit": "Submit",
    "publish": "Publish…",
    "unschedule": "Unschedule…",
    "retract": "Unpublish…",
}
_PK = "__pk__"


@dataclass(frozen=True)
class RowAction:
    label: str
    url: str
    step: bool = False  # a workflow step, not a page to look at
    quick: bool = False  # the quick edit: a form opened in the list (quick-edit.js)


class RowActionLinks:
    """Builds each row's menu and what the list's cells share, once per list.

    The URL patterns are reversed, and the user's permissions (may they
    change an article, publish one) read, once for the page; each row then
    takes only what depends on the article itself.
    """

    def __init__(self, model_admin: Any, request: HttpRequest) -> None:
        self.model_admin = model_admin
        self.request = request
        self.change = reverse("admin:newsdesk_article_change", args=[_PK])
        self.quick = reverse("admin:newsdesk_article_quick_edit", args=[_PK])
        self.compare = reverse("admin:newsdesk_article_revisions_compare", args=[_PK])
        self.step = reverse("admin:newsdesk_article_workflow", args=[_PK, "__step__"])
        self.back = urlencode({"next": request.get_full_path()})
        self.may_change = model_admin.change_permission_for(request)
        self.can_publish = services.user_can_publish(request.user)
        self.article_path = ArticlePaths()
        self.times = ListTimes()
        # The select box's label, translated once (the admin's own words).
        self.select_label = _("Select this object for an action - {}")

    def for_article(self, article: Article, *, has_pending: bool) -> list[RowAction]:
        pk = str(article.pk)
        may_change = self.may_change(article)
        actions = [
            RowAction("Edit" if may_change else "View", self.change.replace(_PK, pk))
        ]
        if may_change:
            quick = f"{self.quick.replace(_PK, pk)}?{self.back}"
            actions.append(RowAction("Quick edit", quick, quick=True))
        page = self.article_path(article)
        if article.is_published():
            actions.append(RowAction("View live", page))
            if has_pending:
                actions.append(
                    RowAction("Preview changes", f"{page}?{PENDING_PARAM}=1")
                )
                actions.append(
                    RowAction(
                        "Compare with live",
                        f"{self.compare.replace(_PK, pk)}?from=live&to=pending",
                    )
                )
        elif article.status == ArticleStatus.RETRACTED:
            actions.append(RowAction("View notice", page))
        else:
            actions.append(RowAction("Preview", page))
        offered = dict(
            self.model_admin.workflow_steps(
                self.request, article, can_publish=self.can_publish
            )
        )
        for step, label in LIST_STEPS.items():
            if step in offered:
                url = self.step.replace(_PK, pk).replace("__step__", step)
                actions.append(RowAction(label, f"{url}?{self.back}", step=True))
        return actions


def _link_class(action: RowAction) -> str:
    if action.step:
        return ' class="nd-row-step"'
    if action.quick:
        return ' class="nd-row-quick"'
    return ""


def render_row_actions(actions: list[RowAction], headline: str) -> str:
    """The menu under a headline: links, shown on hover or focus (always on touch)."""
    if not actions:
        return ""
    # html.escape is what escape() does, without the lazy-text wrapper per link.
    items = "".join(
        f'<li><a href="{html.escape(a.url)}"'
        f"{_link_class(a)}>{html.escape(a.label)}</a></li>"
        for a in actions
    )
    return mark_safe(  # every value is escaped above
        f'<ul class="nd-row-actions" aria-label="Actions for {html.escape(headline)}">'
        f"{items}</ul>"
    )


def list_to_return_to(request: HttpRequest) -> str | None:
    """The article list a row menu's link was followed from (its `next`), if it
    names one on this site."""
    target = request.GET.get("next", "")
    changelist = reverse("admin:newsdesk_article_changelist")
    if target.startswith(changelist) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ):
        return target
    return None
