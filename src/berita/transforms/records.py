"""The record types berita writes and their Arrow schemas, declared once.

Every table is a tuple of :class:`Column` (name, Arrow type, nullability and a one-line
description). The Parquet writer, the README's column table and the tests all read these
declarations; nothing else in the code base spells out a schema. The closed vocabularies of the
tables' string columns (paragraph kinds, quarantine stages, ledger outcomes, flags, run statuses)
are the enums below: the code writes their members, the checks take their value sets from them,
and the columns' descriptions (and so the README) list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import pyarrow as pa


class ParagraphKind(StrEnum):
    """``paragraphs.kind``."""

    BODY = "body"
    SUBHEADING = "subheading"
    CAPTION = "caption"


BODY_KINDS = frozenset({ParagraphKind.BODY, ParagraphKind.SUBHEADING})  # the kinds articles.body is made of


class Stage(StrEnum):
    """``quarantine.stage``: the stage that set an input aside."""

    READ = "read"
    DECODE = "decode"
    CLEAN = "clean"
    PARSE = "parse"
    VALIDATE = "validate"


class Outcome(StrEnum):
    """``inputs.outcome``: where an input ended."""

    ARTICLE = "article"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"


class Flag(StrEnum):
    """``articles.flags``: what a reader of an article should know about it."""

    TITLE_MISSING = "title_missing"
    TRUNCATED = "truncated"
    DATE_INCONSISTENT = "date_inconsistent"
    NOT_INDONESIAN = "not_indonesian"
    NEAR_DUPLICATE = "near_duplicate"


class RunStatus(StrEnum):
    """``runs.status``."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"


def _one_of(vocabulary: type[StrEnum]) -> str:
    """The members of a vocabulary as a description lists them: "a, b or c"."""
    values = [str(v) for v in vocabulary]
    return ", ".join(values[:-1]) + " or " + values[-1]


@dataclass(frozen=True)
class Column:
    """One column of a table: its Arrow type, whether it may be null, and what it means."""

    name: str
    type: pa.DataType
    nullable: bool
    doc: str

    def arrow_field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable, metadata={"description": self.doc})


UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
STRING_LIST = pa.list_(pa.field("item", pa.string(), nullable=False))

# Columns that every table's partitions are keyed by (hive style: ``run_id=<id>/``). They are
# part of the logical schema but live in the directory name, not inside the Parquet files.
PARTITION_COLUMNS = ("run_id",)

_RUN_ID = Column("run_id", pa.string(), False, "Run that wrote the row (also the hive partition key).")
_SOURCE_FILE = Column(
    "source_file",
    pa.string(),
    True,
    "Input file relative to the input root, with its record in a record file: `#byte=N` (the JSONL line at byte"
    " N) or `#row=N` (the Parquet row). Null in rows written before this column existed.",
)

TABLES: dict[str, tuple[Column, ...]] = {
    "articles": (
        Column("article_id", pa.string(), False, "Stable id: hash of the raw input bytes, the same on every run."),
        Column("source_uri", pa.string(), False, "Input path relative to the input root (or the URL when known)."),
        Column("outlet", pa.string(), True, "Registered domain of the publisher, e.g. liputan6.com."),
        Column("title", pa.string(), True, "Headline; null when the input has none (flag title_missing)."),
        Column("lede", pa.string(), True, "Deck or standfirst printed under the title."),
        Column("published_at", UTC_TIMESTAMP, True, "Publication time in UTC (date-only values at 00:00 UTC)."),
        Column("published_raw", pa.string(), True, "The publication date exactly as printed."),
        Column(
            "fetched_at",
            UTC_TIMESTAMP,
            True,
            "When the scraper fetched the page: a JSONL or Parquet record's `fetched_at` (ISO 8601, or a Parquet"
            " timestamp; a time without a zone is taken as UTC). Null for plain files, records without it, or a"
            " value that is no time. Null in rows written before this column existed.",
        ),
        Column("dateline_city", pa.string(), True, "City of the dateline, e.g. Jakarta in 'TEMPO.CO, Jakarta - '."),
        Column("section", pa.string(), True, "Section or rubric printed with the article, e.g. Internasional."),
        Column("authors", STRING_LIST, False, "Writers and reporters named in bylines (empty when none)."),
        Column("wire_source", pa.string(), True, "News agency credited as the source, e.g. Antara."),
        Column("body", pa.string(), False, "Body and subheading paragraphs, joined by a blank line."),
        Column(
            "body_hash", pa.string(), False, "Hash of the body with case, spacing and punctuation folded: equal bodies."
        ),
        Column(
            "near_duplicate_of",
            pa.string(),
            True,
            "Earlier article whose body this one nearly repeats (MinHash similarity >= 0.8), flag near_duplicate.",
        ),
        Column("word_count", pa.int32(), False, "Number of whitespace-separated words in body."),
        Column("language", pa.string(), True, "ISO 639-1 code of the body's language (null when undecidable)."),
        Column("encoding", pa.string(), False, "Encoding the raw bytes were decoded with."),
        Column("repairs", pa.int32(), False, "Number of text repairs made (mojibake, stray 'Â', exotic spaces)."),
        Column("flags", STRING_LIST, False, f"Quality flags, each one of {_one_of(Flag)}."),
        Column("pipeline_version", pa.string(), False, "berita version that produced the row."),
        _RUN_ID,
    ),
    "paragraphs": (
        Column("article_id", pa.string(), False, "Article the paragraph belongs to."),
        Column("seq", pa.int32(), False, "0-based position of the paragraph in the article."),
        Column("kind", pa.string(), False, f"One of {_one_of(ParagraphKind)}."),
        Column("text", pa.string(), False, "Cleaned paragraph text."),
        Column(
            "line_no", pa.int32(), False, "0-based line of the decoded input it came from (extracted text for HTML)."
        ),
        _RUN_ID,
    ),
    "related_links": (
        Column("article_id", pa.string(), False, "Article the link was found in."),
        Column("seq", pa.int32(), False, "0-based position of the link in the article."),
        Column("title", pa.string(), False, "Title of the linked article."),
        Column("teaser", pa.string(), True, "Teaser text shown with the link, when any."),
        Column("age_raw", pa.string(), True, "Age shown with the link as printed, e.g. '14 jam lalu'."),
        _RUN_ID,
    ),
    "removed_lines": (
        Column("article_id", pa.string(), False, "Article the line was removed from."),
        Column("line_no", pa.int32(), False, "0-based line number in the decoded input."),
        Column("text", pa.string(), False, "The removed line (or fragment of a line), after repair."),
        Column("rule", pa.string(), False, "Id of the rule that removed it, e.g. related.baca_juga."),
        Column("category", pa.string(), False, "Rule category, e.g. ad, promo, related, metadata."),
        Column(
            "score", pa.float32(), True, "For model.* rules: the line model's probability that the line is not body."
        ),
        _RUN_ID,
    ),
    "quarantine": (
        Column("source_uri", pa.string(), False, "Input that could not become an article (its URL when known)."),
        _SOURCE_FILE,
        Column("stage", pa.string(), False, f"Stage that set it aside: {_one_of(Stage)}."),
        Column("reason", pa.string(), False, "Why, in words a person can act on."),
        _RUN_ID,
    ),
    "inputs": (
        Column("source_uri", pa.string(), False, "Input path relative to the input root, or its URL."),
        _SOURCE_FILE,
        Column("input_id", pa.string(), True, "Hash of the input's bytes (null when they could not be read)."),
        Column(
            "outcome",
            pa.string(),
            False,
            f"{_one_of(Outcome)} (a duplicate has the same bytes or the same cleaned body as an earlier article).",
        ),
        Column("article_id", pa.string(), True, "The article this input became or duplicates (null if none)."),
        _RUN_ID,
    ),
    "line_stats": (
        Column("outlet", pa.string(), False, "Outlet whose articles contain the line."),
        Column("line_hash", pa.string(), False, "Hash of the normalised line (case, digits, punctuation folded)."),
        Column("articles", pa.int64(), False, "Articles of this run containing the line where it may be boilerplate."),
        Column("example", pa.string(), False, "The line as printed in one of them."),
        _RUN_ID,
    ),
    "signatures": (
        Column("article_id", pa.string(), False, "Article the signature belongs to."),
        Column("body_hash", pa.string(), False, "The article's body_hash (exact-duplicate key)."),
        Column(
            "minhash", pa.binary(), True, "64 little-endian uint32 MinHash slots of the body (null: body too short)."
        ),
        _RUN_ID,
    ),
    "runs": (
        Column("started_at", UTC_TIMESTAMP, False, "When the run started (UTC)."),
        Column("finished_at", UTC_TIMESTAMP, False, "When the run published or failed (UTC)."),
        Column("status", pa.string(), False, f"One of {_one_of(RunStatus)}."),
        Column("inputs_seen", pa.int64(), False, "Inputs found under the input folder."),
        Column(
            "inputs_new", pa.int64(), False, "Inputs not processed by an earlier run (all of them with --reprocess)."
        ),
        Column("articles_written", pa.int64(), False, "Rows the run added to articles."),
        Column("quarantined", pa.int64(), False, "Rows the run added to quarantine."),
        Column(
            "duplicates", pa.int64(), False, "New inputs whose bytes or cleaned body repeat an article already known."
        ),
        Column("unchanged", pa.int64(), False, "Inputs earlier runs had taken in (same content, same name)."),
        Column("lines_removed", pa.int64(), False, "Rows the run added to removed_lines."),
        Column("pipeline_version", pa.string(), False, "berita version that ran."),
        Column("mode", pa.string(), False, "incremental, reprocess (replaced every table) or compact."),
        Column("message", pa.string(), True, "Why the run failed, when it did."),
        Column("report_path", pa.string(), True, "Path of the run's data-quality report, when one was written."),
        Column(
            "warnings",
            STRING_LIST,
            True,
            "Distribution checks that warned, e.g. 'summary.flagged_share 0.84 > 0.80 (--max-flagged-share)'; "
            "empty when none, null where no checks ran (compactions, rows older than this column).",
        ),
        _RUN_ID,
    ),
}

# Tables a run fills from its inputs (replaced whole by --reprocess); `runs` is history and
# only ever grows. `runs` is published last, so a run's row appears only after its data.
DATA_TABLES = (
    "articles",
    "paragraphs",
    "related_links",
    "removed_lines",
    "quarantine",
    "inputs",
    "line_stats",
    "signatures",
)


def arrow_schema(table: str, *, with_partition: bool = True) -> pa.Schema:
    """The Arrow schema of ``table``; without the partition columns when ``with_partition`` is False."""
    columns = TABLES[table]
    if not with_partition:
        columns = tuple(c for c in columns if c.name not in PARTITION_COLUMNS)
    return pa.schema([c.arrow_field() for c in columns], metadata={"berita.table": table})


def column_table_markdown() -> str:
    """The README's column reference, generated from :data:`TABLES`."""
    out: list[str] = []
    for table, columns in TABLES.items():
        out.append(f"#### `{table}`\n")
        out.append("| column | type | null | description |")
        out.append("|---|---|---|---|")
        for c in columns:
            out.append(f"| `{c.name}` | `{c.type}` | {'yes' if c.nullable else 'no'} | {c.doc} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- Python record types: one per table row, field names equal to the column names. ---


@dataclass(frozen=True)
class Paragraph:
    """A kept block of text: a body paragraph, a subheading or a photo caption."""

    seq: int
    kind: ParagraphKind
    text: str
    line_no: int


@dataclass(frozen=True)
class RelatedLink:
    """A link to another article, lifted out of the text ('Baca juga: ...', related blocks)."""

    seq: int
    title: str
    teaser: str | None = None
    age_raw: str | None = None


@dataclass(frozen=True)
class RemovedLine:
    """A line (or fragment) taken out of the body, with the rule that took it out."""

    line_no: int
    text: str
    rule: str
    category: str
    score: float | None = None  # the line model's confidence, for model.* rules


@dataclass(frozen=True)
class Article:
    """One cleaned article with its metadata; paragraphs, links and removals hang off it."""

    article_id: str
    source_uri: str
    outlet: str | None
    title: str | None
    lede: str | None
    published_at: datetime | None
    published_raw: str | None
    dateline_city: str | None
    section: str | None
    authors: list[str]
    wire_source: str | None
    body: str
    body_hash: str
    word_count: int
    language: str | None
    encoding: str
    repairs: int
    flags: list[str]
    run_id: str
    pipeline_version: str
    near_duplicate_of: str | None = None
    fetched_at: datetime | None = None  # when the scraper fetched it (a record's fetched_at), if it says
    paragraphs: list[Paragraph] = field(default_factory=list)
    related_links: list[RelatedLink] = field(default_factory=list)
    removed_lines: list[RemovedLine] = field(default_factory=list)


@dataclass(frozen=True)
class Quarantined:
    """An input that could not become an article, and why."""

    source_uri: str
    stage: Stage
    reason: str
    run_id: str
    source_file: str | None = None  # the input file (and record) it came from; set where the file is known
