"""Markdown to safe HTML: the only path by which editor text becomes markup.

Beyond CommonMark and tables, three constructs are ours:

- a paragraph holding only a URL from an allowed provider (or a fenced
  ``embed`` block, or a pasted ``<iframe>`` from such a provider) becomes a
  click-to-load embed that requests nothing from the provider until the reader
  asks; anything else that looks like an embed becomes a visible note;
- ``![alt](image:42 "caption")`` is a figure from the media library;
- ``![alt](https://…)`` from elsewhere becomes a link card: readers' browsers
  never fetch a third party's image (their address would reach that server).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qs, quote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "button",
    "div",
    "img",
    "picture",
    "source",
    "span",
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "del",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "class"},
    "button": {"type", "class", "data-embed-load"},
    "div": {"class"},
    "figure": {
        "class",
        "data-embed-src",
        "data-embed-kind",
        "data-embed-title",
        "data-embed-provider",
    },
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "p": {"class", "role"},
    "source": {"type", "srcset", "sizes"},
    "span": {"class"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML in the source is escaped, not passed through: editors write Markdown.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.add_render_rule("image", _render_inline_image)
    return md


def sanitize_html(html_text: str) -> str:
    """Return `html_text` with everything outside the allow-list removed."""
    return nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


# --- Embeds --------------------------------------------------------------------


@dataclass(frozen=True)
class Embed:
    provider: str
    noun: str  # what the reader is about to load: "video", "post", "chart", "audio"
    frame_src: str
    url: str  # the page to open instead, on the provider's site

    @property
    def kind(self) -> str:
        return "video" if self.noun == "video" else "rich"


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_DIGITS = re.compile(r"^\d+$")
_SLUG = re.compile(r"^[A-Za-z0-9_-]+$")


def _youtube(host: str, parts: list[str], query: dict) -> str | None:
    if host == "youtu.be" and parts:
        video = parts[0]
    elif parts[:1] == ["watch"]:
        video = query.get("v", [""])[0]
    elif len(parts) >= 2 and parts[0] in ("embed", "shorts", "live"):
        video = parts[1]
    else:
        return None
    if _YOUTUBE_ID.match(video):
        return f"https://www.youtube-nocookie.com/embed/{video}"
    return None


def _vimeo(host: str, parts: list[str], query: dict) -> str | None:
    video = parts[1] if host == "player.vimeo.com" and len(parts) > 1 else parts[0]
    if parts and _DIGITS.match(video):
        return f"https://player.vimeo.com/video/{video}"
    return None


def _twitter(host: str, parts: list[str], query: dict) -> str | None:
    if host == "platform.twitter.com":
        post = query.get("id", [""])[0]
    elif len(parts) >= 3 and parts[1] == "status":
        post = parts[2]
    else:
        return None
    if _DIGITS.match(post):
        return f"https://platform.twitter.com/embed/Tweet.html?id={post}&dnt=true"
    return None


def _datawrapper(host: str, parts: list[str], query: dict) -> str | None:
    if host == "app.datawrapper.de" and len(parts) >= 2 and parts[0] == "chart":
        parts = parts[1:2]
    if parts and _SLUG.match(parts[0]):
        version = parts[1] if len(parts) > 1 and _DIGITS.match(parts[1]) else ""
        return f"https://datawrapper.dwcdn.net/{parts[0]}/{version + '/' if version else ''}"
    return None


def _flourish(host: str, parts: list[str], query: dict) -> str | None:
    if (
        len(parts) >= 2
        and parts[0] in ("visualisation", "story")
        and _DIGITS.match(parts[1])
    ):
        return f"https://flo.uri.sh/{parts[0]}/{parts[1]}/embed"
    return None


def _soundcloud(host: str, parts: list[str], query: dict) -> str | None:
    if host == "w.soundcloud.com":
        target = query.get("url", [""])[0]
        split = urlsplit(target)
        if split.hostname not in ("soundcloud.com", "api.soundcloud.com"):
            return None
        parts = [p for p in split.path.split("/") if p]
        host = split.hostname
    if len(parts) >= 2 and all(_SLUG.match(p) for p in parts[:3]):
        track = quote(f"https://{host}/{'/'.join(parts[:3])}", safe="")
        return f"https://w.soundcloud.com/player/?url={track}&visual=true"
    return None


# host → (provider, noun, converter)
_PROVIDERS = {
    **dict.fromkeys(
        (
            "youtube.com",
            "www.youtube.com",
            "m.youtube.com",
            "youtu.be",
            "www.youtube-nocookie.com",
            "youtube-nocookie.com",
        ),
        ("YouTube", "video", _youtube),
    ),
    **dict.fromkeys(
        ("vimeo.com", "www.vimeo.com", "player.vimeo.com"), ("Vimeo", "video", _vimeo)
    ),
    **dict.fromkeys(
        (
            "twitter.com",
            "www.twitter.com",
            "mobile.twitter.com",
            "x.com",
            "www.x.com",
            "platform.twitter.com",
        ),
        ("X (Twitter)", "post", _twitter),
    ),
    **dict.fromkeys(
        ("datawrapper.dwcdn.net", "app.datawrapper.de"),
        ("Datawrapper", "chart", _datawrapper),
    ),
    **dict.fromkeys(
        ("public.flourish.studio", "flo.uri.sh"), ("Flourish", "chart", _flourish)
    ),
    **dict.fromkeys(
        (
            "soundcloud.com",
            "www.soundcloud.com",
            "m.soundcloud.com",
            "w.soundcloud.com",
        ),
        ("SoundCloud", "audio", _soundcloud),
    ),
}

# The only origins an embed's frame may come from: the CSP's frame-src.
EMBED_FRAME_ORIGINS = (
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
    "https://platform.twitter.com",
    "https://datawrapper.dwcdn.net",
    "https://flo.uri.sh",
    "https://w.soundcloud.com",
)
EMBED_PROVIDER_NAMES = tuple(dict.fromkeys(name for name, _, _ in _PROVIDERS.values()))


def embed_for(url: str) -> Embed | None:
    """The click-to-load embed for `url`, or None if no allowed provider serves it."""
    url = url.strip()
    try:
        split = urlsplit(url)
    except ValueError:
        return None
    host = (split.hostname or "").lower()
    if split.scheme not in ("http", "https") or host not in _PROVIDERS:
        return None
    provider, noun, convert = _PROVIDERS[host]
    parts = [p for p in split.path.split("/") if p]
    frame_src = convert(host, parts, parse_qs(split.query))
    if frame_src is None:
        return None
    return Embed(provider=provider, noun=noun, frame_src=frame_src, url=url)


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or "another site"


def _embed_html(embed: Embed) -> str:
    e = html.escape
    label = f"Load {embed.provider} {embed.noun}"
    return (
        f'<figure class="embed" data-embed-src="{e(embed.frame_src)}" '
        f'data-embed-kind="{embed.kind}" data-embed-provider="{e(embed.provider)}" '
        f'data-embed-title="{e(embed.provider)} {embed.noun}">'
        '<div class="embed-placeholder">'
        f'<p><span class="embed-provider">{e(embed.provider)}</span> {embed.noun}</p>'
        f'<p class="embed-consent">Loading it connects to {e(embed.provider)}, '
        "which may set cookies and see your address.</p>"
        f'<button type="button" class="embed-load" data-embed-load="">{e(label)}</button>'
        f'<a href="{e(embed.url)}">Open on {e(embed.provider)}</a>'
        "</div></figure>\n"
    )


def _blocked_html(url: str) -> str:
    e = html.escape
    host = _host(url)
    link = ""
    if url.startswith(("http://", "https://")):
        link = f' <a href="{e(url)}">Open it on {e(host)}</a>.'
    return (
        f'<p class="embed-blocked" role="note">Embed not allowed: content from '
        f"{e(host)} cannot be embedded here.{link}</p>\n"
    )


# --- Images ----------------------------------------------------------------------

LIBRARY_PREFIX = "image:"
_IFRAME = re.compile(
    r"""^<iframe\b[^>]*?\bsrc\s*=\s*(["'])(?P<src>[^"']*)\1[^>]*>\s*(</iframe>)?$""",
    re.IGNORECASE | re.DOTALL,
)
_BARE_URL = re.compile(r"^https?://\S+$")


def _render_inline_image(self, tokens, idx, options, env) -> str:
    """An image inside running text: its alt text, linked when it lives elsewhere."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = html.escape(self.renderInlineAsText(token.children or [], options, env))
    if src.startswith(("http://", "https://")):
        return (
            f'<a class="external-image-link" href="{html.escape(src)}">'
            f"{alt or 'Image'} (image on {html.escape(_host(src))})</a>"
        )
    return alt


@dataclass
class Rendering:
    """The HTML and what the checks panel needs to know about the source."""

    html: str = ""
    library_images: list[tuple[int, str]] = field(default_factory=list)  # (id, alt)
    missing_images: list[int] = field(default_factory=list)
    external_images: list[tuple[str, str]] = field(default_factory=list)  # (src, alt)
    embeds: list[Embed] = field(default_factory=list)
    blocked_embeds: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _block(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    token.block = True
    return token


def _library_id(src: str) -> int | None:
    value = src.removeprefix(LIBRARY_PREFIX)
    return int(value) if src.startswith(LIBRARY_PREFIX) and value.isdigit() else None


def _external_image_html(src: str, alt: str, title: str) -> str:
    e = html.escape
    caption = f"<figcaption>{e(title)}</figcaption>" if title else ""
    return (
        '<figure class="external-image"><p>'
        f'<a href="{e(src)}">{e(alt) or "Image"}</a> '
        f'<span class="embed-host">(image on {e(_host(src))}, not loaded here)</span>'
        f"</p>{caption}</figure>\n"
    )


def _library_figure_html(image, alt: str, title: str) -> str:
    from newsdesk.media import image_renditions  # media uses the models, which use us

    e = html.escape
    renditions = image_renditions(image, "lead")
    if renditions is None:
        return ""
    alt = "" if image.decorative else (alt or image.alt_text)
    sizes = "(max-width: 60rem) 100vw, 60rem"
    sources = "".join(
        f'<source type="{mime}" srcset="{e(srcset)}" sizes="{sizes}">'
        for mime, srcset in renditions.sources[:-1]
    )
    caption = title or image.caption
    credit = (
        f' <span class="credit">Credit: {e(image.credit)}</span>'
        if image.credit
        else ""
    )
    figcaption = (
        f"<figcaption>{e(caption)}{credit}</figcaption>" if caption or credit else ""
    )
    return (
        f'<figure class="body-figure"><picture>{sources}'
        f'<img src="{e(renditions.src)}" srcset="{e(renditions.sources[-1][1])}" '
        f'sizes="{sizes}" width="{renditions.width}" height="{renditions.height}" '
        f'alt="{e(alt)}" loading="lazy" decoding="async"></picture>{figcaption}</figure>\n'
    )


def _lone_image(inline: Token) -> Token | None:
    children = [
        c
        for c in inline.children or []
        if not (c.type == "text" and not c.content.strip())
    ]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def _rewrite(tokens: list[Token], found: Rendering) -> list[Token]:
    """Swap our block constructs for their HTML; collect what the checks need."""
    library: dict[int, object] = {}
    ids = [
        image_id
        for token in tokens
        if token.type == "inline"
        for child in token.children or []
        if child.type == "image"
        and (image_id := _library_id(child.attrGet("src") or "")) is not None
    ]
    if ids:
        from newsdesk.models import Image  # the models import this module

        library = Image.objects.in_bulk(ids)
    for token in tokens:
        for child in token.children or [] if token.type == "inline" else []:
            if child.type == "link_open":
                found.links.append(child.attrGet("href") or "")
            elif child.type == "image":
                src = child.attrGet("src") or ""
                image_id = _library_id(src)
                alt = "".join(c.content for c in child.children or [])
                if image_id is None:
                    if src.startswith(("http://", "https://")):
                        found.external_images.append((src, alt))
                elif image_id in library:
                    found.library_images.append((image_id, alt))
                else:
                    found.missing_images.append(image_id)
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "fence" and token.info.strip().lower() == "embed":
            url = token.content.strip()
            embed = embed_for(url)
            if embed:
                found.embeds.append(embed)
                out.append(_block(_embed_html(embed)))
            else:
                found.blocked_embeds.append(url)
                out.append(_block(_blocked_html(url)))
            i += 1
            continue
        if (
            token.type == "paragraph_open"
            and i + 2 < len(tokens)
            and tokens[i + 1].type == "inline"
            and tokens[i + 2].type == "paragraph_close"
        ):
            inline = tokens[i + 1]
            text = inline.content.strip()
            replacement = None
            iframe = _IFRAME.match(text)
            if iframe or _BARE_URL.match(text):
                url = html.unescape(iframe.group("src")) if iframe else text
                embed = embed_for(url)
                if embed:
                    found.embeds.append(embed)
                    replacement = _embed_html(embed)
                elif iframe:
                    found.blocked_embeds.append(url)
                    replacement = _blocked_html(url)
            elif (image := _lone_image(inline)) is not None:
                src = image.attrGet("src") or ""
                alt = "".join(c.content for c in image.children or [])
                title = image.attrGet("title") or ""
                image_id = _library_id(src)
                if image_id is not None:
                    replacement = (
                        _library_figure_html(library[image_id], alt, title)
                        if image_id in library
                        else ""
                    )
                elif src.startswith(("http://", "https://")):
                    replacement = _external_image_html(src, alt, title)
            if replacement is not None:
                out.append(_block(replacement))
                i += 3
                continue
        out.append(token)
        i += 1
    return out


def render(source: str) -> Rendering:
    """Render editor Markdown to sanitised HTML, noting images, embeds and links."""
    found = Rendering()
    if not source:
        return found
    md = _markdown()
    tokens = _rewrite(md.parse(source), found)
    found.html = sanitize_html(md.renderer.render(tokens, md.options, {}))
    return found


def render_markdown(source: str) -> str:
    """Render editor Markdown to sanitised HTML."""
    return render(source).html
