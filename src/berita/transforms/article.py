"""Clean one raw document into an article record (or a reason it cannot be one)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from berita.transforms import dates, dedupe, html, parse, shapes
from berita.transforms.blocks import page_blocks
from berita.transforms.decode import DecodeError, decode_bytes
from berita.transforms.judge import HtmlContext, drop_furniture, judge_lines, judge_paragraphs
from berita.transforms.language import detect_language
from berita.transforms.linefeatures import fold_for_match
from berita.transforms.linemodel import LineModels, shipped_model
from berita.transforms.records import BODY_KINDS, Article, Flag, ParagraphKind, Quarantined, RemovedLine, Stage
from berita.transforms.repair import repair_text, unwrap_hard_wrapped
from berita.transforms.strip import strip_boilerplate

_MAY_OPEN_HTML = frozenset("<\ufeff \t\r\n")  # what an HTML page's first character can be


@dataclass(frozen=True)
class CleanOptions:
    """What a run passes to the cleaner; the defaults run on the seeds."""

    run_id: str
    pipeline_version: str
    max_input_bytes: int = 16 * 1024 * 1024
    # A document's text (an HTML page's: the text read from it) past either bound is quarantined before it is
    # cleaned: no article is this long, and the bounds cap a document's time and memory (about 150 MB at most).
    max_text_chars: int = 1_000_000
    max_text_lines: int = 20_000
    # An HTML page's markup is bounded too, before it is parsed (real news pages hold under 5,000 tags).
    max_html_tags: int = 50_000
    # The safety net behind the bounds: a document still being cleaned after this many seconds is quarantined
    # as "took too long" at the end of the stage it is in (decode, HTML, repair, strip, judge, parse).
    max_seconds: float = 10.0
    detect_language: bool = True
    # The learned line classifier (default: the one berita ships); None: the rules and the parser alone decide.
    line_model: LineModels | None = field(default_factory=shipped_model)


def content_hasher() -> hashlib.blake2b:
    """The hash behind input and article ids; feed it bytes in chunks for large files."""
    return hashlib.blake2b(digest_size=8)


def article_id(raw: bytes) -> str:
    """Stable id of an input: the same bytes give the same id on every run and every machine.

    >>> article_id(b"Menlu Rusia")
    'b9a97c1d2ab04f61'
    """
    hasher = content_hasher()
    hasher.update(raw)
    return hasher.hexdigest()


# An index page: many headline-like lines and almost no running text.
LISTING_MIN_HEADLINES = 5


def _over_bounds(text: str, options: CleanOptions) -> str | None:
    """Why a document's text is too large to be one article (None: it is not).

    >>> _over_bounds("baris\\n" * 30_000, CleanOptions("r", "v"))
    'the text has 30,001 lines, over the 20,000-line limit for one document (a log, a dump or many pages in one?)'
    """
    if len(text) > options.max_text_chars:
        return (
            f"the text is {len(text):,} characters, over the {options.max_text_chars:,}-character limit for one"
            " document (many pages in one, or not an article?)"
        )
    lines = text.count("\n") + 1
    if lines > options.max_text_lines:
        return (
            f"the text has {lines:,} lines, over the {options.max_text_lines:,}-line limit for one document"
            " (a log, a dump or many pages in one?)"
        )
    return None


def _looks_like_listing(texts: list[str]) -> str | None:
    sentences = 0
    for t in texts:  # most inputs are articles: stop at the second sentence
        sentences += shapes.is_sentence_like(t)
        if sentences >= 2:
            return None
    headlines = sum(shapes.is_headline_like(t) for t in texts)
    if sentences < 2 and headlines >= LISTING_MIN_HEADLINES:
        return f"looks like an index page or a list of headlines ({headlines} headline lines, {sentences} sentences)"
    return None


def _outlet(
    url: str | None, parsed: parse.Parsed, removed: list[RemovedLine], site_name: str | None = None
) -> str | None:
    """The URL's registered domain when the URL is known, else what the dateline or a desk
    signature says, else the site name an HTML page gives itself, else the one outlet the page's
    own promo lines name."""
    return (
        (parse.registered_domain(url) if url else None)
        or parsed.outlet
        or (parse.site_outlet(site_name) if site_name else None)
        or parse.outlet_from_promos(removed)
    )


def _published(page: html.PageMetadata, printed: dates.FoundDate | None) -> dates.FoundDate | None:
    """The page's metadata date, unless it is a bare date and the page prints that day with its time.

    >>> from datetime import UTC, datetime
    >>> meta = html.PageMetadata(published_at=datetime(2015, 6, 19, tzinfo=UTC), published_raw="2015-06-19")
    >>> _published(meta, dates.date_line("Jumat, 19 Juni 2015 12:58 WIB")).raw
    'Jumat, 19 Juni 2015 12:58 WIB'
    """
    if page.published_at is None or page.published_raw is None:
        return printed
    from_page = dates.FoundDate(page.published_at, page.published_raw, ":" in page.published_raw, 0, 0)
    if printed is None or from_page.has_time or not printed.has_time:
        return from_page
    local = printed.when.astimezone(timezone(timedelta(hours=dates.DEFAULT_OFFSET_HOURS))).date()
    return printed if local == page.published_at.date() else from_page


@dataclass(frozen=True)
class HtmlRead:
    page: html.PageMetadata
    headings: frozenset[str]
    text: str  # the lines the cleaner reads: every visible block, or the extractor's text
    context: HtmlContext | None  # the blocks' DOM features, when the text is every visible block


def read_html(text: str, with_blocks: bool) -> HtmlRead:
    """An HTML page's metadata, headings and lines: every visible block with its DOM context (for the line
    model), or the article extractor's text alone (``with_blocks`` False)."""
    # Repair before extraction: ftfy mis-repairs once markup and no-break spaces are gone.
    tree = html.parse_page("\n".join(repair_text(text, html_leftovers=False).lines))
    page = html.page_metadata(tree)  # first: text extraction prunes the tree
    headings = html.heading_texts(tree)
    if tree is not None:
        html.drop_social_embeds(tree)  # someone else's post is not the article's text
    blocks = page_blocks(tree) if with_blocks and tree is not None else []
    extract = html.html_to_text(tree)
    if not blocks:
        return HtmlRead(page, headings, extract, None)
    body = fold_for_match(page.article_body) if page.article_body else None
    lines = frozenset(fold_for_match(line) for line in extract.splitlines())
    context = HtmlContext([b.dom for b in blocks], fold_for_match(extract), body, lines)
    return HtmlRead(page, headings, "\n".join(b.text for b in blocks), context)


def _opening(parsed: parse.Parsed) -> int | None:
    """The line of the body paragraph a dateline opened (on its line, or on the line above), if any."""
    lifted = [r.line_no for r in parsed.removed if r.rule == "meta.dateline"]
    if not lifted:
        return None
    return next((p.line_no for p in parsed.paragraphs if p.kind == ParagraphKind.BODY and p.line_no >= lifted[0]), None)


def clean_document(
    raw: bytes,
    source_uri: str,
    options: CleanOptions,
    *,
    kind: str = "text",
    url: str | None = None,
    fetched_at: datetime | None = None,
) -> Article | Quarantined:
    """Decode, repair, strip and parse one document (``kind`` "text" or "html"; a "text" input
    that is in fact an HTML page is read as HTML).

    Never raises for bad input: what cannot become an article comes back as ``Quarantined``
    with the stage and a reason. For HTML, ``line_no`` in removed lines counts lines of the
    extracted article text.
    """

    def quarantine(stage: Stage, reason: str) -> Quarantined:
        return Quarantined(source_uri, stage, reason, options.run_id)

    deadline = time.perf_counter() + options.max_seconds

    def too_long(after: str) -> Quarantined | None:
        if time.perf_counter() <= deadline:
            return None
        return quarantine(
            Stage.CLEAN,
            f"took too long: over the {options.max_seconds:g}-second budget for one document (stopped after {after};"
            " BERITA_MAX_DOCUMENT_SECONDS sets the budget)",
        )

    if len(raw) > options.max_input_bytes:
        return quarantine(Stage.READ, f"input is {len(raw):,} bytes, over the {options.max_input_bytes:,}-byte limit")
    if not raw.strip():
        return quarantine(Stage.READ, "input is empty or only whitespace")
    try:
        decoded = decode_bytes(raw)
    except DecodeError as exc:
        return quarantine(Stage.DECODE, str(exc))
    if not decoded.text.strip():  # a byte-order mark alone, say
        return quarantine(Stage.DECODE, "input is empty or only whitespace once decoded")
    if late := too_long("decoding"):
        return late
    text, page, headings = decoded.text, html.PageMetadata(), frozenset[str]()
    context: HtmlContext | None = None
    model = None if options.line_model is None else options.line_model.text
    if kind == "html" or (text[:1] in _MAY_OPEN_HTML and html.looks_like_html(text)):  # a page saved as text
        if (tags := text.count("<")) > options.max_html_tags:
            return quarantine(
                Stage.PARSE, f"the page has {tags:,} tags, over the {options.max_html_tags:,}-tag limit for one page"
            )
        model = None if options.line_model is None else options.line_model.html
        read = read_html(text, with_blocks=model is not None)
        page, headings, text, context = read.page, read.headings, read.text, read.context
        if not text.strip():
            return quarantine(Stage.PARSE, "no article text found in the HTML page (an index or empty page?)")
        if late := too_long("reading the HTML"):
            return late
    if oversized := _over_bounds(text, options):
        return quarantine(Stage.CLEAN, oversized)
    repaired = repair_text(text)
    if context is None and (unwrapped := unwrap_hard_wrapped(repaired.lines)) is not None:
        repaired = replace(repaired, lines=unwrapped, repairs=repaired.repairs + 1)  # one repair: the page rejoined
    if late := too_long("repairing the text"):
        return late
    if context is not None and len(repaired.lines) != len(context.dom):  # a repair split a block: judge as text
        context, model = None, None if options.line_model is None else options.line_model.text
    stripped = strip_boilerplate(repaired.lines, headings)
    if not stripped.kept:
        return quarantine(Stage.CLEAN, f"every line was removed as boilerplate ({len(stripped.removed)} lines)")
    kept, judged_removed = stripped.kept, list[RemovedLine]()
    if model is not None:
        verdicts = judge_lines(model, repaired.lines, stripped.removed, context)
        kept, judged_removed = drop_furniture(stripped.kept, verdicts)
    if late := too_long("removing boilerplate"):
        return late
    parsed = parse.parse_article(kept, headings, judged_blocks=model is not None and context is not None)
    if model is not None:
        parsed.paragraphs, after_parsing = judge_paragraphs(parsed.paragraphs, verdicts, _opening(parsed))
        judged_removed += after_parsing
        parse.lift_late_dateline(parsed)
    parse.drop_pull_quotes(parsed)
    body_texts = [p.text for p in parsed.paragraphs if p.kind in BODY_KINDS]
    listing = _looks_like_listing(body_texts or [line.text for line in stripped.kept])
    if listing:
        return quarantine(Stage.PARSE, listing)
    body = "\n\n".join(body_texts)
    if not body:
        return quarantine(Stage.PARSE, "no body text found (only a title, dates, captions or links)")
    if late := too_long("parsing"):
        return late
    removed = sorted(stripped.removed + parsed.removed + judged_removed, key=lambda r: r.line_no)
    flags = list(parsed.flags)
    language = detect_language(body) if options.detect_language else None
    if language not in (None, "id"):
        flags.append(Flag.NOT_INDONESIAN)  # kept, with its language, but flagged
    title = page.title or parsed.title
    published = _published(page, parsed.published)
    if title and Flag.TITLE_MISSING in flags:
        flags.remove(Flag.TITLE_MISSING)
    return Article(
        article_id=article_id(raw),
        source_uri=source_uri,
        outlet=_outlet(url or page.url, parsed, stripped.removed, page.site_name),
        title=title,
        lede=parsed.lede,
        published_at=published.when if published else None,
        published_raw=published.raw if published else None,
        fetched_at=fetched_at,
        dateline_city=parsed.dateline_city,
        section=parsed.section,
        authors=page.authors or parsed.authors,
        wire_source=parsed.wire_source,
        body=body,
        body_hash=dedupe.body_key(body),
        word_count=shapes.word_count(body),
        language=language,
        encoding=decoded.encoding,
        repairs=repaired.repairs,
        flags=flags,
        run_id=options.run_id,
        pipeline_version=options.pipeline_version,
        paragraphs=parsed.paragraphs,
        related_links=stripped.related,
        removed_lines=removed,
    )
