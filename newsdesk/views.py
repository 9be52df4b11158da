"""Public pages of the editorial app. Every read starts from `published()`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from newsdesk.models import Article, Person, Source, Topic


def home(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.published().with_public_associations()[:20]
    return render(request, "newsdesk/home.html", {"articles": articles})


def article_detail(request: HttpRequest, year: int, month: str, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().with_public_associations(), slug=slug)
    return render(request, "newsdesk/article_detail.html", {"article": article})


def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_object_or_404(Source, slug=slug)
    return render(request, "newsdesk/source_detail.html", {"source": source})


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    return render(request, "newsdesk/person_detail.html", {"person": person})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    return render(request, "newsdesk/topic_detail.html", {"topic": topic})
