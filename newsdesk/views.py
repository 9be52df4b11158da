"""Public pages of the editorial app. Every read starts from `published()`."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from newsdesk import previews, selectors, services, site_search
from newsdesk.article_page import ArticlePage, article_preview_page, article_with_page
from newsdesk.forms import CommentForm
from newsdesk.frontpage import home_html
from newsdesk.http import tags as cache_tags
from newsdesk.http.conditional import public_page
from newsdesk.http.fragments import fragments
from newsdesk.http.keys import link_query
from newsdesk.http.readmodel import stored_rendering
from newsdesk.models import (
    Article,
    ArticleRedirect,
    ArticleRevision,
    Comment,
    Person,
    Source,
    Topic,
)
from newsdesk.paging import CountlessPage, countless_page, page_number
from newsdesk.ratelimit import rate_limit_hit
from newsdesk.revisions.selectors import (
    article_dressed,
    pending_revision,
    pending_snapshot,
)
from newsdesk.security import client_ip

PAGE_SIZE = 20
COMMENT_RATE_LIMIT = 5
COMMENT_RATE_WINDOW = 600
COMMENT_RECEIPT_MAX_AGE = 3600


def _page(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    """A page of a listing, found without counting the whole listing."""
    return countless_page(queryset, request.GET.get("page"), per_page=per_page)


# What a listing page reads of each row; the teaser comes from its fragment.
TEASER_ROW_FIELDS = ("id", "publish_at", "updated_at")


def _teaser_page(request: HttpRequest, queryset):
    """A page of `queryset` (published articles), each shown by its teaser.

    The page's rows are read through `published()` on every request; each
    teaser is kept per article under its version and cache tags
    (`newsdesk.http.fragments`), so one edit re-renders one teaser.
    """
    page = _page(request, queryset.only(*TEASER_ROW_FIELDS))
    page.object_list = fragments(
        page.object_list, kind="teaser", variant="3", build=_teasers
    )
    return page


def _teasers(rows: list[Article]) -> dict:
    loaded = (
        Article.objects.published_rows()
        .filter(pk__in=[row.pk for row in rows])
        .with_public_associations()
    )
    return {
        article.pk: (
            article,
            mark_safe(
                render_to_string(
                    "includes/article_teaser.html", {"article": article, "level": 3}
                )
            ),
            set(),
        )
        for article in loaded
    }


@public_page(tags=(cache_tags.LIST_ARTICLES, "list:incidents"))
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse(home_html(request))


# --- Article page ------------------------------------------------------------


def _article_response(
    request: HttpRequest,
    article: Article,
    page: ArticlePage,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
    is_preview: bool = False,
    pending: ArticleRevision | None = None,
) -> HttpResponse:
    own_comment = _pending_comment(article, request)
    if page.before and comment_form is None and own_comment is None:
        # The common case: the stored page with its approved comments.
        return HttpResponse(page.html(), status=status)
    context = {
        "article": article,
        "page": page,
        "is_preview": is_preview,
        "comments": selectors.article_comments(article=article),
        "comment_form": comment_form or CommentForm(),
        "pending_comment": own_comment,
        "pending_changes": pending,
    }
    return render(request, "newsdesk/article_detail.html", context, status=status)


def _pending_comment(article: Article, request: HttpRequest) -> Comment | None:
    """The commenter's own pending comment, named by a signed receipt in the URL."""
    receipt = request.GET.get("comment")
    if not receipt:
        return None
    try:
        comment_id = signing.TimestampSigner(salt="newsdesk.comment.receipt").unsign(
            receipt, max_age=COMMENT_RECEIPT_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return (
        Comment.objects.filter(pk=comment_id, article=article)
        .only("id", "name", "body", "created_at", "status")
        .first()
    )


def _can_preview(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.has_perm("newsdesk.view_article")
    )


@never_cache
def _article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_for_preview(pk=pk)
    page = article_preview_page(article=article, request=request)
    response = _article_response(request, article, page, is_preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _asks_for_pending(request: HttpRequest, article: Article) -> bool:
    """Staff asking with `?pending`, or a valid share link: the pending changes.

    Readers' requests carry neither (the public page drops unknown parameters),
    so the public URL always answers with the live version.
    """
    token = request.GET.get(previews.PREVIEW_PARAM)
    if token is not None:
        return previews.preview_token_valid(article, token)
    return previews.PENDING_PARAM in request.GET and _can_preview(request)


def _pending_preview(request: HttpRequest, pk: int) -> HttpResponse | None:
    article = selectors.article_for_preview(pk=pk)
    pending = pending_revision(article)
    if pending is None:
        return None
    article_dressed(article, pending_snapshot(pending, article))
    page = article_preview_page(article=article, request=request)
    response = _article_response(
        request, article, page, is_preview=True, pending=pending
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public_page(private_params=("comment",))
def article_detail(
    request: HttpRequest, year: int, month: str, slug: str
) -> HttpResponse:
    article, page = article_with_page(slug=slug, request=request)
    if article is not None:
        if request.path != article.get_absolute_url():
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        if _asks_for_pending(request, article):
            preview = _pending_preview(request, article.pk)
            if preview is not None:
                return preview
        return _article_response(request, article, page)

    redirect = (
        ArticleRedirect.objects.filter(
            old_path=request.path, article__in=Article.objects.published()
        )
        .select_related("article")
        .first()
    )
    if redirect is not None:
        return HttpResponsePermanentRedirect(redirect.article.get_absolute_url())

    other = Article.objects.filter(slug=slug).only("id", "status").first()
    if other is None:
        raise Http404("No article at this address.")
    retracted = (
        Article.objects.retracted_after_publishing()
        .filter(pk=other.pk)
        .prefetch_related("corrections")
        .first()
    )
    if retracted is not None:
        if request.path != retracted.get_absolute_url():
            return HttpResponsePermanentRedirect(retracted.get_absolute_url())
        return render(
            request,
            "newsdesk/article_retracted.html",
            {"article": retracted},
            status=410,
        )
    token = request.GET.get(previews.PREVIEW_PARAM)
    if _can_preview(request) or previews.preview_token_valid(other, token):
        return _article_preview(request, other.pk)
    raise Http404("No article at this address.")


# Anonymous readers have no session here, so there is no session for a CSRF
# attack to ride on; exempting this view keeps article pages free of CSRF
# cookies and therefore cacheable. Abuse is held off by the honeypot field and
# the per-client rate limit instead.
@csrf_exempt
@require_POST
def comment_post(
    request: HttpRequest, year: int, month: str, slug: str
) -> HttpResponse:
    # The comment's own write purges the article's page: storing a page here
    # would only race the other posts to be deleted again.
    article, page = article_with_page(slug=slug, request=request, store=False)
    if article is None:
        raise Http404("Comments are only open on published articles.")
    limit = rate_limit_hit(
        key=f"comment:{client_ip(request) or 'unknown'}",
        limit=COMMENT_RATE_LIMIT,
        window=COMMENT_RATE_WINDOW,
    )
    if not limit.allowed:
        response = render(
            request,
            "newsdesk/comment_rejected.html",
            {"article": article, "reason": "rate"},
            status=429,
        )
        response["Retry-After"] = str(limit.retry_after)
        return response
    form = CommentForm(request.POST)
    if form.is_valid():
        if form.is_spam():
            # Answer as if accepted, so automated posters learn nothing.
            return HttpResponseRedirect(f"{article.get_absolute_url()}#comments")
        try:
            comment = services.comment_create(
                article=article,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            receipt = signing.TimestampSigner(salt="newsdesk.comment.receipt").sign(
                str(comment.pk)
            )
            return HttpResponseRedirect(
                f"{article.get_absolute_url()}?comment={receipt}#comment-pending"
            )
    response = _article_response(request, article, page, comment_form=form, status=400)
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Source, person, topic ---------------------------------------------------


def _stored_teaser_listing(
    request: HttpRequest,
    kind: str,
    owner,
    articles: Callable[[], QuerySet],
    template: str,
    *,
    also: tuple[Hashable, Callable[[], tuple[dict, bool]]] | None = None,
    first_rows: Callable[[int], list[tuple]] | None = None,
) -> HttpResponse:
    """A page of `articles()` (published articles) shown by their teasers, for
    `owner` (a topic, a source, a person): the page's keys and versions are
    read through `published()` on every request and its rendering is stored
    under them (`newsdesk.http.readmodel`).

    `also` is what else the page shows: its rows (keys and versions, read
    through their gates on every request) and a function loading them again
    for the rendering, which returns their context and whether it found
    exactly those rows. `first_rows(n)`, when given, reads the first page's
    first n rows of `articles()`'s (key, version) without building the
    queryset (compiling it cost as much as the rest of the page).
    """
    number = page_number(request.GET.get("page"))
    if first_rows is not None and number == 1:
        found = first_rows(PAGE_SIZE + 1)
        page = CountlessPage(
            object_list=found[:PAGE_SIZE],
            per_page=PAGE_SIZE,
            has_next=len(found) > PAGE_SIZE,
        )
    else:
        page = _page(request, articles().values_list("pk", "updated_at"))
    rows = tuple(page.object_list)
    also_rows, also_load = also if also is not None else ((), None)

    def build() -> tuple[str, bool]:
        page.object_list = fragments(
            [Article(pk=pk, updated_at=updated_at) for pk, updated_at in rows],
            kind="teaser",
            variant="3",
            build=_teasers,
        )
        context, also_complete = also_load() if also_load else ({}, True)
        context = {**context, kind: owner, "page_obj": page}
        html = render_to_string(template, context, request)
        return html, len(page.object_list) == len(rows) and also_complete

    return HttpResponse(
        stored_rendering(
            kind,
            (
                request.scheme,
                request.get_host(),
                owner.pk,
                owner.updated_at,
                page.number,
                page.has_next,
                rows,
                also_rows,
            ),
            build,
        )
    )


@public_page(cache_params=("page",), tags=lambda slug: [f"list:source:{slug}"])
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    return _stored_teaser_listing(
        request,
        "source",
        source,
        lambda: Article.objects.published().filter(source=source),
        "newsdesk/source_detail.html",
    )


@public_page(cache_params=("page",), tags=lambda slug: [f"list:person:{slug}"])
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A person's published articles and their quotes, stored under the rows
    shown: their keys and versions are read through the gates on every
    request (quotes from an article retracted after publishing stay, marked
    as such), the rendering only when one of them changed."""
    person = get_object_or_404(Person, slug=slug)
    quote_rows = tuple(selectors.person_quote_rows(person_id=person.pk))

    def quotes() -> tuple[dict, bool]:
        wanted = [row[0] for row in quote_rows]
        found = {
            quote.pk: quote
            for quote in selectors.person_quotes(person_id=person.pk, pks=wanted)
        }
        shown = [found[pk] for pk in wanted if pk in found]
        return {"quotes": shown}, len(shown) == len(wanted)

    return _stored_teaser_listing(
        request,
        "person",
        person,
        lambda: selectors.person_articles(person.pk),
        "newsdesk/person_detail.html",
        also=(quote_rows, quotes),
        first_rows=lambda count: selectors.person_first_articles(
            person_id=person.pk, count=count
        ),
    )


@public_page(cache_params=("page",), tags=lambda slug: [f"list:topic:{slug}"])
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return _stored_teaser_listing(
        request,
        "topic",
        topic,
        lambda: Article.objects.published().filter(topics=topic),
        "newsdesk/topic_detail.html",
    )


# --- Search, robots ----------------------------------------------------------


@public_page(
    cache_params=(*site_search.SearchForm.base_fields, "page"),
    tags=site_search.SEARCH_TAGS,
)
def search(request: HttpRequest) -> HttpResponse:
    form = site_search.SearchForm(request.GET or None)
    context: dict = {"form": form, "results": None, "page_obj": None}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        results = site_search.search_everything(
            site_search.build_query(form.cleaned_data), form.cleaned_data["type"]
        )
        if results.query.wanted:
            context["results"] = results
            context["page_obj"] = results.page(request.GET.get("page"))
            context["query_string"] = link_query(request, "page").urlencode()
            context["facet_query"] = link_query(request, "page", "type").urlencode()
    return render(request, "newsdesk/search.html", context, status=status)


@public_page(max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('newsdesk:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('newsdesk:news_sitemap'))}",
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon at the address browsers ask for without being told."""
    icon = Path(finders.find("favicon.ico")).read_bytes()
    response = HttpResponse(icon, content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=86400)
    return response
