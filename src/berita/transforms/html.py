"""HTML pages: one lxml parse; article text from trafilatura, metadata from JSON-LD and <meta> tags."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from berita.transforms import chardata, dates

# JSON-LD types that describe an article.
ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"})


@dataclass
class PageMetadata:
    """What the page says about itself; fills or overrides what the text parser finds."""

    title: str | None = None
    published_at: datetime | None = None
    published_raw: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None  # og:url, else the canonical link
    article_body: str | None = None  # JSON-LD articleBody, where the page has one
    site_name: str | None = None  # og:site_name (or JSON-LD publisher's name): "Kompas.com", "detikNews"


def _parse_iso(value: str) -> datetime | None:
    """An ISO-like timestamp from page metadata, in UTC. Without a zone it is Jakarta time (as
    outlets print it); a date alone is midnight UTC, as for text dates.

    >>> _parse_iso("2024/05/20 09:14:00").isoformat(), _parse_iso("2023-12-18T10:52:00+07:00").isoformat()
    ('2024-05-20T02:14:00+00:00', '2023-12-18T03:52:00+00:00')
    >>> _parse_iso("2024-05-20").isoformat(), _parse_iso("kemarin")
    ('2024-05-20T00:00:00+00:00', None)
    """
    text = _SLASHED_DATE.sub(r"\1-\2-\3", value.strip().replace("Z", "+00:00"))
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        local = timezone(timedelta(hours=0 if len(text) <= 10 else dates.DEFAULT_OFFSET_HOURS))
        parsed = parsed.replace(tzinfo=local)
    return parsed.astimezone(UTC)


_SLASHED_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})")


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = [item.get("name") if isinstance(item, dict) else item for item in items]
    return [n.strip() for n in names if isinstance(n, str) and n.strip()]


def _json_ld_articles(tree: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                stack.extend(v for k, v in item.items() if k == "@graph")
                kinds = item.get("@type")
                kinds = set(kinds) if isinstance(kinds, list) else {kinds}
                if kinds & ARTICLE_TYPES:
                    found.append(item)
    return found


_HTML_START = re.compile(
    r"\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(text: str) -> bool:
    """Whether a text input is in fact an HTML page (a scraper saved the page as .txt or in a
    record's text field): it opens with a doctype or an html, head or body tag.

    >>> looks_like_html("  <!DOCTYPE html><html><body><p>Isi</p>"), looks_like_html("<b>Judul</b> berita")
    (True, False)
    """
    return _HTML_START.match(text, 0, 4096) is not None


def parse_page(html: str) -> Any | None:
    """The page as an lxml tree (trafilatura's own loader), or None when it is not HTML.

    One parse serves both :func:`page_metadata` and :func:`html_to_text`: parsing is the larger
    part of reading a page's metadata (BeautifulSoup took 1.3 ms a page, lxml 0.05 ms).
    """
    from trafilatura import load_html  # imported on first use: text inputs never need it

    return load_html(html)


def page_metadata(tree: Any | None) -> PageMetadata:
    """Headline, publication time, authors and URL from JSON-LD NewsArticle, then <meta> tags.

    >>> m = page_metadata(parse_page('<html><head><meta property="article:published_time" '
    ...     'content="2023-12-18T10:52:00+07:00"><meta property="og:title" content="Harga Cabai Naik">'
    ...     '</head><body><p>Isi</p><p>Lagi</p></body></html>'))
    >>> m.title, m.published_at.isoformat()
    ('Harga Cabai Naik', '2023-12-18T03:52:00+00:00')
    """
    meta = PageMetadata()
    if tree is None:
        return meta
    for article in _json_ld_articles(tree):
        meta.title = meta.title or (article.get("headline") if isinstance(article.get("headline"), str) else None)
        raw = article.get("datePublished")
        if isinstance(raw, str) and meta.published_at is None and (parsed := _parse_iso(raw)):
            meta.published_at, meta.published_raw = parsed, raw
        meta.authors = meta.authors or _names(article.get("author"))
        publisher = article.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and meta.site_name is None:
            meta.site_name = publisher["name"]
        body = article.get("articleBody")
        if isinstance(body, str) and body.strip() and meta.article_body is None:
            meta.article_body = body
    tags: dict[str, str] = {}
    for tag in tree.iter("meta"):
        key, content = tag.get("property") or tag.get("name"), tag.get("content")
        if isinstance(key, str) and isinstance(content, str):
            tags.setdefault(key.lower(), content)
    h1 = _first_h1(tree)
    meta.title = strip_site_name(_visible_title(meta.title or tags.get("og:title"), h1) or h1 or "") or None
    for key in ("article:published_time", "og:article:published_time", "pubdate", "publishdate", "date"):
        raw = tags.get(key)
        if meta.published_at is None and raw and (parsed := _parse_iso(raw)):
            meta.published_at, meta.published_raw = parsed, raw
    meta.url = tags.get("og:url") or _canonical(tree) or None
    meta.site_name = tags.get("og:site_name") or meta.site_name
    if not meta.authors and tags.get("author"):
        meta.authors = _names(tags["author"])
    return meta


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _visible_title(meta_title: str | None, h1: str | None) -> str | None:
    """The headline as the page shows it: metadata often drops the h1's punctuation ("IHSG Hari Ini Sempat ..."
    for "IHSG Hari Ini: Sempat ..."); the h1 wins when its letters are the metadata title's.

    >>> _visible_title("Raja Ampat Apa Iya Dicabut", "Raja Ampat: Apa Iya Dicabut?"), _visible_title("A B", "Menu")
    ('Raja Ampat: Apa Iya Dicabut?', 'A B')
    """
    if meta_title and h1 and _letters(h1) == _letters(strip_site_name(meta_title)):
        return h1
    return meta_title


def _canonical(tree: Any) -> str | None:
    for link in tree.iter("link"):
        rel, href = link.get("rel"), link.get("href")
        if isinstance(rel, str) and rel.lower() == "canonical" and isinstance(href, str) and href.startswith("http"):
            return href.strip()
    return None


def _first_h1(tree: Any) -> str | None:
    for node in tree.iter("h1"):
        text = " ".join(node.text_content().split())
        if text:
            return text
    return None


_SITE = re.compile(rf"(?:\.(?:com|co|id|net|tv)\b|^(?:{chardata.BRAND_ALT})\b)", re.IGNORECASE)


def strip_site_name(title: str) -> str:
    """A page title without the site's name around it ('... - Kompas.com', '... | Republika Online',
    'KapanLagi.com: ...', '... :: Okezone News').

    >>> strip_site_name("Harga Cabai Naik - Kompas.com"), strip_site_name("KapanLagi.com: Artis Menikah")
    ('Harga Cabai Naik', 'Artis Menikah')
    >>> strip_site_name("Rusia Mendukung Rencana Dialog AS - Korea Utara")
    'Rusia Mendukung Rencana Dialog AS - Korea Utara'
    """
    title = " ".join(title.split())
    lead = re.match(r"^([^:\s]{2,30}\.(?:com|co\.id|id)):\s+(.+)$", title, re.IGNORECASE)
    if lead:
        title = lead.group(2)
    parts = re.split(r"\s+(?:[|\u2013\u2014-]|::)\s+", title)
    while len(parts) > 1 and _SITE.search(parts[-1]) and len(parts[-1]) <= 40:
        parts.pop()
    return title[: title.rfind(parts[-1]) + len(parts[-1])] if len(parts) > 1 else parts[0]


def heading_texts(tree: Any | None) -> frozenset[str]:
    """The text of every h2 to h6 that holds no link, spaces collapsed as repaired lines have them:
    the article's own subheadings (the h1 is the title; a heading that is a link is a related
    article's card). Read it before :func:`html_to_text`, which prunes the tree.

    >>> page = parse_page("<html><body><h1>Judul</h1><h2> Warga  Mengungsi </h2><h3><a>Lain</a></h3></body></html>")
    >>> sorted(heading_texts(page))
    ['Warga Mengungsi']
    """
    if tree is None:
        return frozenset()
    texts = (
        " ".join(node.text_content().split())
        for node in tree.iter("h2", "h3", "h4", "h5", "h6")
        if node.find(".//a") is None
    )
    return frozenset(text for text in texts if text)


def html_to_text(tree: Any | None) -> str:
    """The article's text as lines (one paragraph a line), or '' when no article is found.
    Give it the tree from :func:`parse_page` after reading the metadata and dropping embedded posts
    (:func:`drop_social_embeds`, which ``article.read_html`` does once for the blocks and this text alike):
    trafilatura prunes it."""
    import trafilatura  # imported on first use: text inputs never need it

    if tree is None:
        return ""
    text = trafilatura.extract(
        tree, output_format="txt", include_comments=False, include_tables=False, favor_recall=True, deduplicate=False
    )
    return text or ""


# Embedded posts (X/Twitter, Instagram, TikTok, Facebook) are blockquotes or divs with these
# classes; their text is someone else's post, not the article's.
_EMBED_CLASSES = ("twitter-tweet", "instagram-media", "tiktok-embed", "fb-post", "fb-video", "twitter-video")
_EMBEDS = " or ".join(f"contains(@class, '{c}')" for c in _EMBED_CLASSES)
_EMBED_XPATH = f"//blockquote[{_EMBEDS}] | //div[{_EMBEDS}]"


@lru_cache(maxsize=1)
def _embeds() -> Any:
    from lxml import etree  # trafilatura's own parser; compiled once

    return etree.XPath(_EMBED_XPATH)


def drop_social_embeds(tree: Any) -> None:
    """Remove embedded social-media posts from the tree, keeping the text that follows them.

    >>> tree = parse_page('<html><body><p>Isi berita.</p><blockquote class="twitter-tweet"><p>Cuitan'
    ...     '</p></blockquote>ekor<p>Lagi.</p></body></html>')
    >>> drop_social_embeds(tree); tree.xpath("string(//body)")
    'Isi berita.ekorLagi.'
    """
    for node in _embeds()(tree):
        parent = node.getparent()
        if parent is None:
            continue
        if node.tail:
            previous = node.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + node.tail
            else:
                parent.text = (parent.text or "") + node.tail
        parent.remove(node)
