"""The scenarios: their names, labels, URLs and bare baselines."""

from __future__ import annotations

from bench.scenarios import site_search

SEARCH_TERM = "prison"

# What each real endpoint is compared with.
BASELINE_OF = {
    "api_articles_20": "baseline_articles_20",
    "api_articles_100": "baseline_articles_100",
    "api_incidents": "baseline_incidents",
    "article": "baseline_article",
    "api_articles_20_fresh": "baseline_articles_20",
    "api_incidents_fresh": "baseline_incidents",
    "article_fresh": "baseline_article",
    "article_rebuild": "baseline_article",
    "api_article_fresh": "baseline_article",
    # The list pages show a page of articles (or incidents) like the list baselines.
    "home_fresh": "baseline_articles_20",
    "topic_fresh": "baseline_articles_20",
    "person_fresh": "baseline_articles_20",
    "incidents_page_fresh": "baseline_incidents",
}
# A query parameter no view reads: the response cache steps aside for it, so
# these scenarios measure a cache miss on every request (the article page is
# read from the page stored in the database, as it is when the cache is empty).
FRESH_PARAM = "fresh=1"
# The same parameter asking for stored renderings (the article pages kept in
# the database) to be built again too: what a page costs when its stored copy
# is stale.
REBUILD_PARAM = "fresh=rebuild"

SCENARIO_LABELS = {
    "home": "Home page",
    "article": "Article page",
    "article_304": "Article page, conditional GET (304)",
    "incident": "Incident page",
    "api_articles_20": "Article list API, 20 per page",
    "api_articles_100": "Article list API, 100 per page",
    "api_incidents": "Incident list API, 20 per page",
    "geojson": "Incidents GeoJSON",
    "recommendations_csv": "Recommendations CSV",
    "search_page": "Search page",
    "search_api": "Search API",
    "rss": "RSS feed (latest)",
    "sitemap": "sitemap.xml",
    "admin_changelist": "Admin article changelist (logged in)",
    "admin_search": "Admin article changelist searched (logged in)",
    "admin_change_form": "Admin change form of a live article (logged in)",
    "admin_change_form_revised": "Admin change form, 40 revisions and pending changes",
    "article_fresh": "Article page, rendered every time",
    "article_rebuild": "Article page, rebuilt every time (stored page stale)",
    "api_articles_20_fresh": "Article list API, 20, rendered every time",
    "api_incidents_fresh": "Incident list API, 20, rendered every time",
    "search_page_fresh": "Search page, searched every time",
    "search_api_fresh": "Search API, searched every time",
    "api_article": "Article detail API",
    "api_article_fresh": "Article detail API, rendered every time",
    "home_fresh": "Home page, rendered every time",
    "topic_fresh": "Topic page, rendered every time",
    "person_fresh": "Person page, rendered every time",
    "incidents_page_fresh": "Incident list page, rendered every time",
    "baseline_articles_20": "Baseline: article list, 20",
    "baseline_articles_100": "Baseline: article list, 100",
    "baseline_incidents": "Baseline: incident list, 20",
    "baseline_article": "Baseline: article page",
    **site_search.LABELS,
}


def scenario_candidates(sample: dict[str, str]) -> dict[str, list[str]]:
    """Every scenario with the URLs it may live at, first match wins."""
    from django.urls import NoReverseMatch, reverse

    def named(*names: str) -> list[str]:
        urls = []
        for name in names:
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                continue
        return urls

    q = f"q={SEARCH_TERM}"
    return {
        "home": ["/"],
        "article": [sample["article_url"]],
        "incident": [sample["incident_url"]],
        "api_articles_20": ["/api/v1/articles/?page_size=20"],
        "api_articles_100": ["/api/v1/articles/?page_size=100"],
        "api_incidents": ["/api/v1/incidents/?page_size=20"],
        "geojson": ["/api/v1/incidents.geojson", "/api/v1/incidents/?format=geojson"],
        "recommendations_csv": [
            "/api/v1/recommendations.csv",
            "/api/v1/recommendations/?format=csv",
        ],
        "search_page": [f"{u}?{q}" for u in named("newsdesk:search", "search")]
        + [f"/search/?{q}"],
        "search_api": [
            f"/api/v1/articles/?{q}",
            f"/api/v1/search/?{q}",
        ],
        "rss": named(
            "newsdesk:feed_latest",
            "newsdesk:latest_feed",
            "newsdesk:feed",
            "newsdesk:rss",
            "newsdesk:latest_rss",
            "feeds:latest",
            "feeds:latest_rss",
        )
        + ["/feeds/latest/", "/feeds/latest/rss/", "/feed/", "/rss/", "/feeds/rss/"],
        "sitemap": ["/sitemap.xml"],
        "admin_changelist": ["/admin/newsdesk/article/"],
        "admin_search": [f"/admin/newsdesk/article/?{q}"],
        "admin_change_form": [
            f"/admin/newsdesk/article/{sample['article_id']}/change/"
        ],
        "admin_change_form_revised": [
            f"/admin/newsdesk/article/{sample['revised_id']}/change/"
        ],
        "article_fresh": [f"{sample['article_url']}?{FRESH_PARAM}"],
        "article_rebuild": [f"{sample['article_url']}?{REBUILD_PARAM}"],
        "api_articles_20_fresh": [f"/api/v1/articles/?page_size=20&{FRESH_PARAM}"],
        "api_incidents_fresh": [f"/api/v1/incidents/?page_size=20&{FRESH_PARAM}"],
        "search_page_fresh": [f"/search/?{q}&{FRESH_PARAM}"],
        "search_api_fresh": [f"/api/v1/articles/?{q}&{FRESH_PARAM}"],
        "api_article": [f"/api/v1/articles/{sample['article_id']}/"],
        "api_article_fresh": [
            f"/api/v1/articles/{sample['article_id']}/?{FRESH_PARAM}"
        ],
        "home_fresh": [f"/?{FRESH_PARAM}"],
        "topic_fresh": [f"{sample['topic_url']}?{FRESH_PARAM}"],
        "person_fresh": [f"{sample['person_url']}?{FRESH_PARAM}"],
        "incidents_page_fresh": [
            f"{u}?{FRESH_PARAM}" for u in named("incidents:incident_list")
        ]
        + [f"/incidents/?{FRESH_PARAM}"],
        "baseline_articles_20": ["/bench/baseline/articles/?page_size=20"],
        "baseline_articles_100": ["/bench/baseline/articles/?page_size=100"],
        "baseline_incidents": ["/bench/baseline/incidents/?page_size=20"],
        "baseline_article": [f"/bench/baseline/articles/{sample['article_slug']}/"],
        **site_search.candidates(SEARCH_TERM, FRESH_PARAM),
    }


def pick_sample() -> dict[str, str]:
    """A typical published article (a quarter into the archive, covering an
    incident) and a published incident with figures; a few indexed queries."""
    from django.db.models import Exists, OuterRef

    from incidents.models import Figure, Incident
    from newsdesk.models import Article, Person, Quote, RelatedLink, Topic

    through = Incident.articles.through
    linked = sorted(
        through.objects.filter(incident__status="published").values_list(
            "article_id", flat=True
        ),
        reverse=True,
    )
    article = None
    for pk in linked[len(linked) // 4 :][:50]:
        article = Article.objects.published().filter(pk=pk).first()
        if article:
            break
    article = article or Article.objects.published().first()
    incident = (
        Incident.objects.published()
        .filter(Exists(Figure.objects.filter(incident=OuterRef("pk"))))
        .order_by("-start_date", "-id")
        .first()
    )
    topic = (
        Topic.objects.filter(articles__in=Article.objects.published())
        .order_by("pk")
        .first()
    )
    # The revised sample fills every box of the change form that reads its
    # chosen rows (source, topics, quoted people, "Read also" targets), so
    # its query count is that of the same story at every archive size: the
    # newest article alone has quotes at one size and none at another.
    revised = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(
            Exists(Article.topics.through.objects.filter(article=OuterRef("pk"))),
            Exists(Quote.objects.filter(article=OuterRef("pk"), person__isnull=False)),
            Exists(
                RelatedLink.objects.filter(article=OuterRef("pk"), target__isnull=False)
            ),
            source__isnull=False,
        )
        .order_by("-publish_at", "-id")
        .values_list("pk", flat=True)[:1]
    )
    # The person page of the sample's first byline: their articles and quotes.
    person = (
        Person.objects.filter(bylines__article=article)
        .order_by("bylines__position")
        .first()
    )
    return {
        "person_url": person.get_absolute_url() if person else "/people/missing/",
        "revised_id": str(next(iter(revised), article.pk)),
        "article_url": article.get_absolute_url(),
        "article_slug": article.slug,
        "article_id": str(article.pk),
        "topic_url": topic.get_absolute_url() if topic else "/topics/missing/",
        "incident_url": incident.get_absolute_url()
        if incident
        else "/incidents/missing/",
    }
