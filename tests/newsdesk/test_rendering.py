"""Markdown rendering: embeds, external and library images, and what cannot get through."""

from html.parser import HTMLParser

import pytest

from newsdesk.rendering import EMBED_FRAME_ORIGINS, embed_for, render, render_markdown


@pytest.mark.parametrize(
    ("url", "provider", "frame_src"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://vimeo.com/76979871",
            "Vimeo",
            "https://player.vimeo.com/video/76979871",
        ),
        (
            "https://x.com/UNHCRLebanon/status/1726272823311065297",
            "X (Twitter)",
            "https://platform.twitter.com/embed/Tweet.html?id=1726272823311065297&dnt=true",
        ),
        (
            "https://twitter.com/a/status/17",
            "X (Twitter)",
            "https://platform.twitter.com/embed/Tweet.html?id=17&dnt=true",
        ),
        (
            "https://datawrapper.dwcdn.net/Ab3dE/4/",
            "Datawrapper",
            "https://datawrapper.dwcdn.net/Ab3dE/4/",
        ),
        (
            "https://public.flourish.studio/visualisation/1234567/",
            "Flourish",
            "https://flo.uri.sh/visualisation/1234567/embed",
        ),
        (
            "https://soundcloud.com/bbc-world-service/episode-1",
            "SoundCloud",
            "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2F"
            "bbc-world-service%2Fepisode-1&visual=true",
        ),
    ],
)
def test_allowed_providers(url, provider, frame_src):
    embed = embed_for(url)
    assert (embed.provider, embed.frame_src) == (provider, frame_src)
    assert any(frame_src.startswith(origin + "/") for origin in EMBED_FRAME_ORIGINS)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/video",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)//youtube.com",
        "https://vimeo.com/not-a-number",
        "https://x.com/someone",
    ],
)
def test_everything_else_is_no_embed(url):
    assert embed_for(url) is None


def test_a_lone_url_becomes_a_click_to_load_placeholder():
    html = render_markdown("Intro.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nOutro.")
    assert "<iframe" not in html  # nothing loads from YouTube until the reader asks
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert '<button type="button" class="embed-load" data-embed-load="">' in html
    assert "Load YouTube video</button>" in html
    assert html.startswith("<p>Intro.</p>") and html.rstrip().endswith("<p>Outro.</p>")


def test_a_url_inside_a_sentence_stays_text():
    html = render_markdown("Watch https://youtu.be/dQw4w9WgXcQ today.")
    assert "data-embed-src" not in html


def test_fenced_embed_block():
    html = render_markdown("```embed\nhttps://vimeo.com/76979871\n```")
    assert 'data-embed-src="https://player.vimeo.com/video/76979871"' in html
    assert "<pre>" not in html


def test_pasted_iframe_from_an_allowed_host_becomes_an_embed():
    html = render_markdown(
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/'
        'dQw4w9WgXcQ?si=x" allowfullscreen></iframe>'
    )
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "&lt;iframe" not in html and "<iframe" not in html


def test_pasted_iframe_from_elsewhere_is_a_visible_note():
    rendering = render('<iframe src="https://tracker.example/widget"></iframe>')
    assert "Embed not allowed: content from tracker.example" in rendering.html
    assert rendering.blocked_embeds == ["https://tracker.example/widget"]
    assert "<iframe" not in rendering.html and "&lt;iframe" not in rendering.html


def test_external_image_is_a_link_not_a_request():
    html = render_markdown("![Map of the camp](https://maps.example/camp.png)")
    assert "<img" not in html
    assert '<a href="https://maps.example/camp.png"' in html
    assert (
        "Map of the camp" in html and "image on maps.example, not loaded here" in html
    )


def test_external_image_inside_text_is_a_link():
    html = render_markdown("See ![the map](https://maps.example/m.png) here.")
    assert "<img" not in html
    assert "the map (image on maps.example)</a>" in html


@pytest.mark.django_db
def test_library_image_becomes_a_figure_with_renditions(settings, tmp_path):
    from tests.factories import ImageFactory

    settings.MEDIA_ROOT = tmp_path
    image = ImageFactory(alt_text="Library alt", caption="Library caption", credit="AP")
    html = render_markdown(
        f'![]( image:{image.pk} )\n\n![Own alt](image:{image.pk} "Own")'
    )
    first, second = html.split("</figure>")[:2]
    assert '<figure class="body-figure"><picture>' in first
    assert 'type="image/webp"' in first and 'alt="Library alt"' in first
    assert "Library caption <span" in first and "Credit: AP" in first
    assert 'alt="Own alt"' in second and "<figcaption>Own" in second


@pytest.mark.django_db
def test_missing_library_image_renders_nothing_and_is_reported():
    rendering = render("![x](image:999999)")
    assert rendering.html.strip() == ""
    assert rendering.missing_images == [999999]


# --- What must not get through -------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        '<iframe src="javascript:alert(1)"></iframe>',
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" onload="alert(1)">',
        '<iframe srcdoc="<script>alert(1)</script>" src="https://evil.example"></iframe>',
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ"onmouseover="alert(1)',
        'https://x.com/a/status/1"><script>alert(1)</script>',
        "```embed\njavascript:alert(document.cookie)\n```",
        "```embed\n<script>alert(1)</script>\n```",
        '![" onerror="alert(1)](https://evil.example/x.png)',
        "![x](javascript:alert(1))",
        '![<img src=x onerror=alert(1)>](image:1 "<script>alert(1)</script>")',
        "[click](javascript:alert(1))",
    ],
)
@pytest.mark.django_db
def test_no_script_gets_through(source):
    tags, attributes = _elements(render_markdown(source))
    assert not tags & {"script", "iframe", "object", "embed", "style"}
    for name, value in attributes:
        assert not name.startswith("on") and name != "srcdoc", name
        assert not (value or "").strip().lower().startswith("javascript:"), value


def test_editors_cannot_write_our_markup_themselves():
    html = render_markdown(
        '<figure class="embed" data-embed-src="https://evil.example">'
        "<button data-embed-load>Load</button></figure>"
    )
    tags, attributes = _elements(html)
    assert tags == {"p"} and attributes == []
    assert "&lt;figure" in html


def _elements(html: str) -> tuple[set[str], list[tuple[str, str | None]]]:
    """The tags and the attributes (name, value) of `html`, as a browser parses them."""
    found: tuple[set, list] = (set(), [])

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found[0].add(tag)
            found[1].extend(attrs)

    Collector().feed(html)
    return found
