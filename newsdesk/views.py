"""Public pages of the editorial app. Every read starts from `published()`."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlencode

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Value
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from incidents.models import Figure, Incident, IncidentActor, Recommendation
from newsdesk import previews, services
from newsdesk.forms import CommentForm
from newsdesk.http.conditional import public_page
from newsdesk.http.validators import content_version
from newsdesk.models import (
    Article,
    ArticleRedirect,
    Comment,
    Person,
    Quote,
    RelatedLink,
    Source,
    Topic,
    published_article,
)
from newsdesk.paging import countless_page
from newsdesk.search import SEARCH_CANDIDATES, search_articles, search_snippets
from newsdesk.security import client_ip

PAGE_SIZE = 20
RELATED_COUNT = 4
RELATED_CANDIDATES = 50
HOME_TOPIC_COUNT = 12
HOME_TOPIC_WINDOW = 1000
HOME_TOPICS_CACHE_SECONDS = 300
COMMENT_RATE_LIMIT = 5
COMMENT_RATE_WINDOW = 600
COMMENT_RECEIPT_MAX_AGE = 3600


def _page(request: HttpRequest, queryset, per_page: int = PAGE_SIZE):
    """A page of a listing, found without counting the whole listing."""
    return countless_page(queryset, request.GET.get("page"), per_page=per_page)


def _home_topics() -> list[Topic]:
    """The topics most used by the latest published articles, cached a while.

    Counting over a window of recent articles keeps the cost fixed however
    large the archive grows, and favours what is in the news now.
    """
    key = f"newsdesk:home-topics:{content_version()}"
    topics = cache.get(key)
    if topics is None:
        recent = (
            Article.objects.published()
            .order_by("-publish_at", "-id")
            .values("pk")[:HOME_TOPIC_WINDOW]
        )
        topics = list(
            Topic.objects.filter(articles__in=recent)
            .annotate(article_count=Count("articles"))
            .order_by("-article_count", "name")[:HOME_TOPIC_COUNT]
        )
        cache.set(key, topics, HOME_TOPICS_CACHE_SECONDS)
    return topics


@require_GET
@public_page(cache_params=())
def home(request: HttpRequest) -> HttpResponse:
    published = Article.objects.published()
    articles = published.with_public_associations()[:PAGE_SIZE]
    in_focus = (
        Incident.objects.published().filter(in_focus=True).select_related("place")[:6]
    )
    return render(
        request,
        "newsdesk/home.html",
        {"articles": articles, "in_focus": in_focus, "topics": _home_topics()},
    )


# --- Article page ------------------------------------------------------------


def _article_page_queryset(base):
    """The article with everything its page shows; prevents N+1 queries."""
    return base.with_public_associations().prefetch_related(
        Prefetch("quotes", queryset=Quote.objects.select_related("person")),
        "corrections",
        Prefetch(
            "related_links",
            queryset=RelatedLink.objects.filter(
                Q(target__isnull=True) | published_article(OuterRef("target"))
            ).select_related("target", "via"),
        ),
        Prefetch(
            "incidents",
            queryset=Incident.objects.published()
            .select_related("place")
            .prefetch_related(
                Prefetch(
                    "incident_actors",
                    queryset=IncidentActor.objects.select_related("actor").order_by(
                        "role", "actor__name"
                    ),
                )
            ),
            to_attr="public_incidents",
        ),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.public().select_related(
                "recommended_by_person", "recommended_by_source"
            ),
            to_attr="public_recommendations",
        ),
        Prefetch(
            "comments",
            queryset=Comment.objects.approved().only(
                "id", "article_id", "name", "body", "created_at"
            ),
            to_attr="approved_comments",
        ),
    )


def figure_ranges(incident_ids) -> dict[int, list[dict]]:
    """Reconciled figure ranges by incident id, from one query."""
    ranges: dict[int, list[dict]] = defaultdict(list)
    if not incident_ids:
        return ranges
    figures = Figure.objects.on_record().filter(incident_id__in=incident_ids)
    for row in figures.ranges():
        row["contradicted"] = bool(row["claims"]) and row["max_low"] > row["min_high"]
        ranges[row["incident_id"]].append(row)
    return ranges


def _related_articles(article: Article) -> list[Article]:
    """Published articles sharing incidents, topics or source, never the article itself.

    Candidates are the most recent few articles of the shared incidents, of the
    shared topics and of the source, so the cost does not grow with the
    archive. A shared incident scores 3, a shared topic 1; ties go to the newest.
    An incident or a source has few articles: those are found from their links
    and checked one by one. A topic has many: the newest published articles are
    walked until enough share one.
    """
    incident_ids = [i.pk for i in article.public_incidents]
    topic_ids = [t.pk for t in article.topics.all()]
    if not (incident_ids or topic_ids or article.source_id):
        return []
    others = Article.objects.published().exclude(pk=article.pk)
    few_others = Article.objects.published_rows().exclude(pk=article.pk)

    def recent(queryset):
        return queryset.order_by("-publish_at", "-id").values("pk")[:RELATED_CANDIDATES]

    def shared(through, column: str, ids: list[int], candidates, weight: int):
        """Link rows from the shared incidents or topics to recent candidates."""
        links = through.objects.filter(
            **{f"{column}__in": ids}, article_id__in=recent(candidates)
        )
        return links.annotate(weight=Value(weight)).values_list(
            "article_id", "article__publish_at", "weight"
        )

    parts = []
    if incident_ids:
        parts.append(
            shared(
                Incident.articles.through,
                "incident_id",
                incident_ids,
                few_others.filter(incidents__in=incident_ids),
                3,
            )
        )
    if topic_ids:
        parts.append(
            shared(
                Article.topics.through,
                "topic_id",
                topic_ids,
                others.filter(topics__in=topic_ids),
                1,
            )
        )
    if article.source_id:
        same_source = Article.objects.filter(
            pk__in=recent(few_others.filter(source_id=article.source_id))
        )
        parts.append(
            same_source.annotate(weight=Value(0))
            .order_by()
            .values_list("pk", "publish_at", "weight")
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    scores: dict[int, list] = {}
    for pk, publish_at, weight in rows:
        entry = scores.setdefault(pk, [0, publish_at, pk])
        entry[0] += weight
    ranked = sorted(scores.values(), reverse=True)[:RELATED_COUNT]
    ids = [pk for _, _, pk in ranked]
    if not ids:
        return []
    by_id = {
        a.pk: a
        for a in Article.objects.published_rows()
        .with_public_associations()
        .filter(pk__in=ids)
    }
    return [by_id[pk] for pk in ids if pk in by_id]


def _article_context(article: Article, request: HttpRequest, **extra) -> dict:
    incident_ids = [i.pk for i in article.public_incidents]
    ranges = figure_ranges(incident_ids)
    for incident in article.public_incidents:
        incident.figure_ranges = ranges.get(incident.pk, [])
    context = {
        "article": article,
        "related_articles": _related_articles(article),
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "pending_comment": _pending_comment(article, request),
    }
    context.update(extra)
    return context


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
def _article_preview(request: HttpRequest, article: Article) -> HttpResponse:
    context = _article_context(article, request, is_preview=True)
    response = render(request, "newsdesk/article_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
@public_page(cache_params=())
def article_detail(
    request: HttpRequest, year: int, month: str, slug: str
) -> HttpResponse:
    article = (
        _article_page_queryset(Article.objects.published()).filter(slug=slug).first()
    )
    if article is not None:
        if request.path != article.get_absolute_url():
            return HttpResponsePermanentRedirect(article.get_absolute_url())
        return render(
            request, "newsdesk/article_detail.html", _article_context(article, request)
        )

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
        article = _article_page_queryset(Article.objects.all()).get(pk=other.pk)
        return _article_preview(request, article)
    raise Http404("No article at this address.")


def _client_key(request: HttpRequest) -> str:
    return f"newsdesk:comment-rate:{client_ip(request) or 'unknown'}"


def _rate_limited(request: HttpRequest) -> bool:
    """Count this attempt; true once the client exceeds the window's budget."""
    key = _client_key(request)
    if cache.add(key, 1, timeout=COMMENT_RATE_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=COMMENT_RATE_WINDOW)
        return False
    return count > COMMENT_RATE_LIMIT


# Anonymous readers have no session here, so there is no session for a CSRF
# attack to ride on; exempting this view keeps article pages free of CSRF
# cookies and therefore cacheable. Abuse is held off by the honeypot field and
# the per-client rate limit instead.
@csrf_exempt
@require_POST
def comment_post(
    request: HttpRequest, year: int, month: str, slug: str
) -> HttpResponse:
    article = (
        _article_page_queryset(Article.objects.published()).filter(slug=slug).first()
    )
    if article is None:
        raise Http404("Comments are only open on published articles.")
    if _rate_limited(request):
        response = render(
            request,
            "newsdesk/comment_rejected.html",
            {"article": article, "reason": "rate"},
            status=429,
        )
        response["Retry-After"] = str(COMMENT_RATE_WINDOW)
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
    response = render(
        request,
        "newsdesk/article_detail.html",
        _article_context(article, request, comment_form=form),
        status=400,
    )
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Source, person, topic ---------------------------------------------------


@require_GET
@public_page(cache_params=("page",))
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    articles = _page(
        request,
        Article.objects.published().filter(source=source).with_public_associations(),
    )
    return render(
        request, "newsdesk/source_detail.html", {"source": source, "page_obj": articles}
    )


@require_GET
@public_page(cache_params=("page",))
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    published = Article.objects.published()
    articles = _page(
        request, published.filter(authors=person).with_public_associations()
    )
    # Quotes from an article retracted after publishing stay, marked as such.
    quotes = (
        Quote.objects.filter(
            Q(article__in=published)
            | Q(article__in=Article.objects.retracted_after_publishing()),
            person=person,
        )
        .select_related("article")
        .order_by("-article__publish_at", "position")[:50]
    )
    return render(
        request,
        "newsdesk/person_detail.html",
        {"person": person, "page_obj": articles, "quotes": quotes},
    )


@require_GET
@public_page(cache_params=("page",))
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    articles = _page(
        request,
        Article.objects.published().filter(topics=topic).with_public_associations(),
    )
    return render(
        request, "newsdesk/topic_detail.html", {"topic": topic, "page_obj": articles}
    )


# --- Search, robots ----------------------------------------------------------


@require_GET
@public_page(cache_params=("q", "page"))
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context: dict = {"query": query, "page_obj": None, "error": ""}
    status = 200
    if query:
        try:
            results = search_articles(query).with_public_associations()
            page = countless_page(
                results,
                request.GET.get("page"),
                per_page=PAGE_SIZE,
                max_page=SEARCH_CANDIDATES // PAGE_SIZE,
            )
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            status = 400
        else:
            snippets = search_snippets(page.object_list, query)
            for article in page.object_list:
                article.search_snippet = snippets.get(article.pk, "")
            context["page_obj"] = page
            context["query_string"] = urlencode({"q": query})
    return render(request, "newsdesk/search.html", context, status=status)


@require_GET
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
