"""The change form's relation boxes show their chosen rows from rows the page has
read already and read nothing when empty; each formset builds its empty "add
another" row once; empty error lists and hidden inputs render without templates."""

import re

import pytest
from django.contrib.admin import widgets as admin_widgets
from django.db import connection
from django.forms import HiddenInput, formsets
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils.safestring import mark_safe

from newsdesk.admin import related_widgets
from newsdesk.admin.forms import QuietErrorList
from newsdesk.admin.widgets import PlainHiddenInput
from newsdesk.revisions import services as revisions
from tests.factories import (
    ArticleFactory,
    ImageFactory,
    PersonFactory,
    QuoteFactory,
    RelatedLinkFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def _change_form(client, article):
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    client.get(url)  # sessions, content types and caches read once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _read_alone(queries, table):
    """Queries whose main table is `table` (not joined to another row's read)."""
    return [
        sql
        for sql in queries
        if re.search(rf'\bFROM "{table}"(?! INNER JOIN)', sql)
        and "JOIN" not in sql.split(" WHERE ")[0]
    ]


def _selected(html, name):
    """The labels of the options chosen in the select named `name` (a person's
    without their affiliation)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    labels = re.findall(r"<option [^>]*selected>([^<]*)</option>", select.group(1))
    return [label.split(" (")[0] for label in labels]


def _story(**kwargs):
    people = [PersonFactory(name=f"Writer {n}") for n in range(2)]
    speaker = PersonFactory(name="Quoted Speaker")
    article = ArticleFactory(
        authors=people,
        topics=[TopicFactory(name="Prisons"), TopicFactory(name="Courts")],
        source=SourceFactory(name="Wire Service"),
        lead_image=ImageFactory(),
        **kwargs,
    )
    QuoteFactory(article=article, person=speaker, text="We held.", position=0)
    RelatedLinkFactory(
        article=article, target=ArticleFactory(published=True), via=speaker
    )
    return article


@pytest.mark.parametrize("published", [False, True], ids=["draft", "live"])
def test_boxes_show_their_chosen_rows_without_reading_them_again(
    editor_client, published
):
    article = _story(published=published)
    html, queries = _change_form(editor_client, article)
    assert _selected(html, "article_authors-0-person") == ["Writer 0"]
    assert _selected(html, "article_authors-1-person") == ["Writer 1"]
    assert _selected(html, "quotes-0-person") == ["Quoted Speaker"]
    assert _selected(html, "related_links-0-via") == ["Quoted Speaker"]
    assert _selected(html, "source") == ["Wire Service"]
    # The byline, quotes and links read their people with them: the boxes
    # read no person, and the source and lead image come with the article.
    assert _read_alone(queries, "newsdesk_person") == []
    assert _read_alone(queries, "newsdesk_source") == []
    assert _read_alone(queries, "newsdesk_image") == []
    assert sorted(_selected(html, "topics")) == ["Courts", "Prisons"]
    if published:
        # Read once for the snapshot the form opens from, not again.
        assert _read_alone(queries, "newsdesk_topic") == []


def test_pending_changes_naming_other_rows_show_them(editor_client, editor):
    article = _story(published=True)
    newcomer = PersonFactory(name="New Byline")
    other_source = SourceFactory(name="Local Paper")
    revisions.article_save_pending(
        article=article,
        snapshot={
            "authors": [{"id": newcomer.pk, "label": newcomer.name}],
            "source": {"id": other_source.pk, "label": other_source.name},
        },
        user=editor,
    )
    html, queries = _change_form(editor_client, article)
    assert _selected(html, "article_authors-0-person") == ["New Byline"]
    assert "article_authors-1-person" not in html
    assert _selected(html, "source") == ["Local Paper"]
    # Only the person the live rows do not name is read, once.
    assert len(_read_alone(queries, "newsdesk_person")) == 1


def test_each_formsets_empty_row_is_built_once(editor_client, monkeypatch):
    built = []
    plain = formsets.BaseFormSet.empty_form

    def counted(formset):
        built.append(formset.prefix)
        return plain.fget(formset)

    monkeypatch.setattr(formsets.BaseFormSet, "empty_form", property(counted))
    _change_form(editor_client, _story(published=True))
    assert built
    assert len(built) == 2 * len(set(built))  # once for each of the two GETs


def test_link_urls_are_reversed_once_a_process(editor_client, monkeypatch):
    article = _story()
    editor_client.get(reverse("admin:newsdesk_article_change", args=[article.pk]))
    calls = []
    for module in (admin_widgets, related_widgets):
        plain = module.reverse
        monkeypatch.setattr(
            module,
            "reverse",
            lambda *a, plain=plain, **kw: calls.append(a) or plain(*a, **kw),
        )
    html, _ = _change_form(editor_client, article)
    assert calls == []
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert 'href="/admin/newsdesk/person/add/?_to_field=id&amp;_popup=1"' in html
    assert 'data-href-template="/admin/newsdesk/person/__fk__/change/?' in html


def test_link_urls_follow_the_script_prefix():
    assert related_widgets.admin_url("admin:newsdesk_person_add") == (
        "/admin/newsdesk/person/add/"
    )
    set_script_prefix("/desk/")
    try:
        assert related_widgets.admin_url("admin:newsdesk_person_add") == (
            "/desk/admin/newsdesk/person/add/"
        )
    finally:
        set_script_prefix("/")


def test_an_empty_error_list_renders_nothing_without_a_template():
    class Renderer:
        rendered = []

        def render(self, template_name, context, request=None):
            self.rendered.append(template_name)
            return "<ul>…</ul>"

    renderer = Renderer()
    assert str(QuietErrorList(renderer=renderer)) == ""
    assert QuietErrorList(renderer=renderer).as_ul() == ""
    assert renderer.rendered == []
    assert str(QuietErrorList(["Bad"], renderer=renderer)) == "<ul>…</ul>"


def test_a_refused_save_still_shows_the_fields_errors(editor_client):
    article = ArticleFactory()
    url = reverse("admin:newsdesk_article_change", args=[article.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    response = editor_client.post(url, {**data, "headline": "", "slug": ""})
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_headline_error">' in response.content.decode()


@pytest.mark.parametrize(
    "value", [None, "", 0, 17, 'say "a" & <b>', mark_safe("&amp; kept"), "naïve"]
)
@pytest.mark.parametrize(
    "attrs",
    [None, {"id": "id_x"}, {"class": 'a"b', "disabled": True, "hidden": False}],
)
def test_a_plain_hidden_input_is_the_tag_the_templates_render(value, attrs):
    plain = PlainHiddenInput(attrs=attrs).render("rows-0-id", value)
    assert plain == HiddenInput(attrs=attrs).render("rows-0-id", value)


def test_the_change_forms_hidden_inputs_are_written_out(editor_client, monkeypatch):
    article = _story(published=True)
    rendered = []
    plain = DjangoTemplates.render

    def render(renderer, template_name, context, request=None):
        rendered.append(template_name)
        return plain(renderer, template_name, context, request)

    monkeypatch.setattr(DjangoTemplates, "render", render)
    html, _ = _change_form(editor_client, article)
    assert 'name="article_authors-TOTAL_FORMS" value="2"' in html
    assert 'name="version_seen" value="' in html
    assert "django/forms/widgets/hidden.html" not in rendered
    assert "django/forms/errors/list/ul.html" not in rendered
