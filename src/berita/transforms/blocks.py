"""An HTML page as the text a reader sees: one block element a line, with what the DOM says of each (pure).

A line's DOM context is what decides many a line a text shape cannot: a headline in a list of links, a teaser
inside a "populer" widget, a caption in a figure. :func:`page_blocks` walks the parsed tree once, in document
order, leaving out what is never shown (head, script, style, noscript, template, svg, iframe), and returns each
block's text with its DOM features (:data:`DOM`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from berita.transforms import shapes

HIDDEN = frozenset({"head", "script", "style", "noscript", "template", "svg", "iframe", "title", "meta", "link"})
BLOCKS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary table tbody "
    "td tfoot th thead tr ul caption option select button label br".split()
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Words in ancestors' class and id attributes, by what they say of a block.
CLASS_WORDS = {
    "related": ("related", "terkait", "baca", "recommend", "rekomendasi", "populer", "popular", "trending",
                "terpopuler", "terkini", "latest", "lainnya", "more", "list", "feed", "box", "widget", "index"),
    "furniture": ("nav", "menu", "header", "footer", "sidebar", "side", "breadcrumb", "share", "social", "sosmed",
                  "ads", "advert", "iklan", "banner", "promo", "tag", "topic", "login", "search", "subscribe",
                  "newsletter", "copyright", "komentar", "comment", "disqus", "author", "date", "time", "meta"),
    "caption": ("caption", "figcaption", "foto", "photo", "image", "img", "credit", "media", "gallery", "video"),
    "content": ("content", "article", "body", "detail", "read", "text", "entry", "post", "story", "isi", "konten",
                "paragraph", "txt"),
}  # fmt: skip
_CLASS_TOKEN = re.compile(r"[a-z]+")
DOM = (
    "dom_p", "dom_heading", "dom_li", "dom_td", "dom_div", "dom_in_a", "dom_link_share", "dom_in_nav", "dom_in_footer",
    "dom_in_aside", "dom_in_header", "dom_in_figure", "dom_in_article", "dom_in_form", "dom_class_related",
    "dom_class_furniture", "dom_class_caption", "dom_class_content", "dom_log_depth", "dom_in_list",
    "dom_in_core_container", "dom_under_core_container", "dom_log_siblings", "dom_core_share",
)  # fmt: skip
_LANDMARKS = {
    "nav": 7,
    "footer": 8,
    "aside": 9,
    "header": 10,
    "figure": 11,
    "figcaption": 11,
    "article": 12,
    "form": 13,
}
_CLASS_SLOT = {"related": 14, "furniture": 15, "caption": 16, "content": 17}


@dataclass(frozen=True)
class Block:
    text: str
    dom: tuple[float, ...]


@dataclass
class _Raw:
    text: str
    dom: list[float]
    parent: int  # the element holding the block
    ancestors: frozenset[int]


def _class_kinds(element: Any) -> frozenset[str]:
    attrs = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    if not attrs.strip():
        return frozenset()
    tokens = set(_CLASS_TOKEN.findall(attrs))
    return frozenset(kind for kind, words in CLASS_WORDS.items() if any(w in tokens for w in words))


class _Walker:
    """Collects blocks in document order; a block's text is its own and its inline descendants' text."""

    def __init__(self) -> None:
        self.blocks: list[_Raw] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.context: list[tuple[str, frozenset[str]]] = []
        self.elements: list[int] = []  # numbers of the open elements, outermost first
        self.visited = 0  # elements are numbered in document order (lxml's proxies have no stable id)

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            parent = self.elements[-2] if len(self.elements) > 1 else 0
            self.blocks.append(_Raw(text, self._dom(text), parent, frozenset(self.elements)))
        self.parts, self.link_chars = [], 0

    def _dom(self, text: str) -> list[float]:
        f = [0.0] * len(DOM)
        tags = [t for t, _ in self.context]
        block = next((t for t in reversed(tags) if t in BLOCKS), "div")
        f[0] = float(block == "p")
        f[1] = float(block in _HEADINGS)
        f[2] = float(block == "li")
        f[3] = float(block in ("td", "th"))
        f[4] = float(block == "div")
        f[5] = float("a" in tags)
        f[6] = min(1.0, self.link_chars / len(text))
        for tag in tags:
            slot = _LANDMARKS.get(tag)
            if slot is not None:
                f[slot] = 1.0
        for _, kinds in self.context[-6:]:  # the nearest ancestors speak for the block
            for kind in kinds:
                f[_CLASS_SLOT[kind]] = 1.0
        f[18] = math.log1p(len(tags))
        f[19] = float("ul" in tags or "ol" in tags)
        return f

    def walk(self, element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in HIDDEN or not isinstance(element.tag, str) or _hidden(element):
            if element.tail:
                self.parts.append(element.tail)
            return
        is_block = tag in BLOCKS
        if is_block:
            self.flush()
        self.context.append((tag, _class_kinds(element)))
        self.visited += 1
        self.elements.append(self.visited)
        if element.text:
            self.parts.append(element.text)
            if "a" in (t for t, _ in self.context):
                self.link_chars += len(element.text.strip())
        for child in element:
            self.walk(child)
        if is_block:
            self.flush()
        self.context.pop()
        self.elements.pop()
        if element.tail:
            self.parts.append(element.tail)
            if tag != "a" and "a" in (t for t, _ in self.context):
                self.link_chars += len(element.tail.strip())


_HIDING_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)", re.I
)


def _hidden(element: Any) -> bool:
    """An element the page never shows: the ``hidden`` attribute, or an inline style of ``display: none`` or
    ``visibility: hidden`` (a keyword list, a collapsed widget's copy). A stylesheet's rules are not read.

    >>> from lxml import html as lxml_html
    >>> shown = ('style="display:none"', "hidden", 'style="color:red"')
    >>> [_hidden(lxml_html.fromstring(f"<span {a}>x</span>")) for a in shown]
    [True, True, False]
    """
    attrib = element.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    return style is not None and _HIDING_STYLE.search(style) is not None


def page_blocks(tree: Any) -> list[Block]:
    """The visible blocks of a parsed page (an lxml tree), in document order.

    >>> from lxml import html as lxml_html
    >>> page = lxml_html.fromstring("<html><body><nav><a href='/'>Beranda</a></nav><p>Warga <b>Bekasi</b> "
    ...     "menanam pohon.</p><script>x()</script></body></html>")
    >>> [(b.text, b.dom[DOM.index("dom_in_nav")]) for b in page_blocks(page)]
    [('Beranda', 1.0), ('Warga Bekasi menanam pohon.', 0.0)]
    """
    walker = _Walker()
    body = tree.find(".//body") if tree.tag != "body" else tree
    walker.walk(body if body is not None else tree)
    walker.flush()
    return _with_core_container(walker.blocks)


def _with_core_container(blocks: list[_Raw]) -> list[Block]:
    """Add where each block sits relative to the core container: the element whose child blocks hold the most
    running text (readability's idea: the article is the container with the most sentences)."""
    running: dict[int, int] = {}
    siblings: dict[int, int] = {}
    for b in blocks:
        siblings[b.parent] = siblings.get(b.parent, 0) + 1
        if shapes.is_sentence_like(b.text):
            running[b.parent] = running.get(b.parent, 0) + len(b.text)
    core = max(running, key=running.__getitem__) if running else -1
    total = sum(running.values()) or 1
    out = []
    for b in blocks:
        b.dom[20] = float(b.parent == core)
        b.dom[21] = float(core in b.ancestors)
        b.dom[22] = math.log1p(siblings[b.parent])
        b.dom[23] = running.get(b.parent, 0) / total
        out.append(Block(b.text, tuple(b.dom)))
    return out
