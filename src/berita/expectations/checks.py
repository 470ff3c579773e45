"""The checks a run's rows must pass, declared as data: built from the table schemas (so a new
column cannot escape validation) plus semantic rules. Great Expectations runs them.

A check's ``level`` says what a failure does:

- ``row``: the failing articles are moved to quarantine, the reason naming the check;
- ``batch``: the run fails and publishes nothing (something is broken, not one input);
- ``warn``: a check of the run's distribution (shares and rates over all its articles). The run
  publishes and says which checks warned, with the measured value and the limit; ``--strict``
  makes a warning fail the run. Real corpora differ (a run of truncated pages, a run that repeats
  a few stories), so a share past its limit is news for a person, not proof of a broken run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from berita.expectations.limits import Thresholds, is_share, limit_flag
from berita.transforms import language, rules
from berita.transforms.records import TABLES, Outcome, ParagraphKind, Stage

MOJIBAKE = ["\u00c2", "\u00c3", "\u00e2\u20ac", "\ufffd"]
# Boilerplate that must never survive into title, lede or body (case-insensitive, per line).
BOILERPLATE_MARKERS = [
    r"(?im)^\s*baca\s+(?:juga|pula)\s*:",
    r"(?im)^\s*(?:advertisement|advertising|scroll to continue with content)\s*$",
    r"(?im)^\s*saksikan\s+video\b",
    r"(?im)^\s*\d{1,3}\s+dari\s+\d{1,3}\s+halaman\s*$",
    r"(?im)^\s*baca\s+selengkapnya\s*$",
]
REGISTERED_DOMAIN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]{1,63})+$"
KINDS = [str(k) for k in ParagraphKind]  # plain strings: the suites are stored as JSON
KNOWN_RULE = (
    "^(?:" + "|".join(re.escape(r) for r in sorted(rules.RULES_BY_ID)) + r"|repeated\.[a-z0-9.-]+|model\.[a-z]+)$"
)
STAGES = [str(s) for s in Stage]
OUTCOMES = [str(o) for o in Outcome]
# Derived columns added to a frame before validation (never written to the warehouse).
ROW_KEY = "_row"
BODY_WORDS = "_body_words"
IN_BATCH = "_in_batch"  # a child row's article is in the same batch (see reference_checks)


@dataclass(frozen=True)
class Check:
    """One expectation on one table: a readable name, its level, the GX class and arguments, and
    (for a check against a limit) the Thresholds field that sets it."""

    table: str
    name: str
    level: str
    expectation: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    why: str = ""
    limit: str | None = None


def schema_checks(table: str) -> list[Check]:
    """Every declared column exists; non-nullable ones have no nulls."""
    checks = []
    for column in TABLES[table]:
        if column.name == "run_id":  # lives in the partition path, not in the staged rows
            continue
        checks.append(Check(table, f"{table}.{column.name}.exists", "batch", "ExpectColumnToExist",
                            {"column": column.name}, "The declared schema is what was written."))  # fmt: skip
        if not column.nullable:
            checks.append(Check(table, f"{table}.{column.name}.not_null", "batch", "ExpectColumnValuesToNotBeNull",
                                {"column": column.name}, "The schema says it is never null."))  # fmt: skip
    return checks


def article_checks(run_time: datetime, t: Thresholds) -> list[Check]:
    a = "articles"
    checks = [
        Check(a, "articles.article_id.unique", "batch", "ExpectColumnValuesToBeUnique", {"column": "article_id"},
              "Ids are content hashes; a repeat means a duplicate slipped through."),
        Check(a, "articles.body.min_length", "row", "ExpectColumnValueLengthsToBeBetween",
              {"column": "body", "min_value": t.min_body_chars}, "Shorter bodies are teasers or broken pages."),
        Check(a, "articles.body.min_words", "row", "ExpectColumnValuesToBeBetween",
              {"column": "word_count", "min_value": t.min_body_words}, "Fewer words is not an article."),
        Check(a, "articles.title.length", "row", "ExpectColumnValueLengthsToBeBetween",
              {"column": "title", "min_value": 10, "max_value": 300}, "Other lengths are parse errors."),
        Check(a, "articles.published_at.range", "row", "ExpectColumnValuesToBeBetween",
              {"column": "published_at", "min_value": datetime(1995, 1, 1, tzinfo=run_time.tzinfo),
               "max_value": run_time + timedelta(days=1)}, "From 1995 to tomorrow."),
        Check(a, "articles.outlet.domain", "row", "ExpectColumnValuesToMatchRegex",
              {"column": "outlet", "regex": REGISTERED_DOMAIN}, "Outlets are registered domains."),
        Check(a, "articles.language.known", "row", "ExpectColumnValuesToBeInSet",
              {"column": "language", "value_set": language.codes()}, "Only languages the detector knows."),
        Check(a, "articles.word_count.consistent", "batch", "ExpectColumnPairValuesToBeEqual",
              {"column_A": "word_count", "column_B": BODY_WORDS}, "word_count is computed from body."),
    ]  # fmt: skip
    for column in ("title", "lede", "body"):
        checks.append(Check(a, f"articles.{column}.no_mojibake", "row", "ExpectColumnValuesToNotMatchRegexList",
                            {"column": column, "regex_list": MOJIBAKE}, "Repair left no mojibake."))  # fmt: skip
        checks.append(Check(a, f"articles.{column}.no_boilerplate", "row", "ExpectColumnValuesToNotMatchRegexList",
                            {"column": column, "regex_list": BOILERPLATE_MARKERS}, "Rules removed it."))  # fmt: skip
    return checks


def other_checks() -> list[Check]:
    return [
        Check("paragraphs", "paragraphs.kind.known", "batch", "ExpectColumnValuesToBeInSet",
              {"column": "kind", "value_set": KINDS}, "Only three kinds of paragraph."),
        Check("paragraphs", "paragraphs.text.not_empty", "batch", "ExpectColumnValueLengthsToBeBetween",
              {"column": "text", "min_value": 1}, "Empty lines are never paragraphs."),
        Check("paragraphs", "paragraphs.key.unique", "batch", "ExpectCompoundColumnsToBeUnique",
              {"column_list": ["article_id", "seq"]}, "(article_id, seq) is the key."),
        Check("removed_lines", "removed_lines.rule.known", "batch", "ExpectColumnValuesToMatchRegex",
              {"column": "rule", "regex": KNOWN_RULE}, "Removals name a rule (or repeated.<outlet>)."),
        Check("removed_lines", "removed_lines.category.known", "batch", "ExpectColumnValuesToBeInSet",
              {"column": "category", "value_set": list(rules.CATEGORIES)}, "Categories are a closed set."),
        Check("quarantine", "quarantine.stage.known", "batch", "ExpectColumnValuesToBeInSet",
              {"column": "stage", "value_set": STAGES}, "Stages are a closed set."),
        Check("inputs", "inputs.outcome.known", "batch", "ExpectColumnValuesToBeInSet",
              {"column": "outcome", "value_set": OUTCOMES}, "Every input ends in one of three places."),
    ]  # fmt: skip


def reference_checks() -> list[Check]:
    """Rows of the child tables point at articles of the same batch. The frames carry IN_BATCH
    (whether the row's article_id is among the batch's articles): with the ids themselves in the
    expectation, every batch had a different suite, and Great Expectations spent most of a
    batch's validation storing and comparing 1,000-id value sets."""
    return [
        Check(table, f"{table}.article_id.exists_in_articles", "batch", "ExpectColumnValuesToBeInSet",
              {"column": IN_BATCH, "value_set": [True]}, "No orphan rows.")
        for table in ("paragraphs", "related_links", "removed_lines")
    ]  # fmt: skip


def summary_checks(t: Thresholds, articles: int, inputs: int) -> list[Check]:
    """Checks of the run's distribution, on its one-row summary: they warn (see the module doc)."""
    checks = [
        Check("summary", "summary.removed_per_article", "warn", "ExpectColumnValuesToBeBetween",
              {"column": "removed_per_article", "min_value": 0, "max_value": t.max_removed_per_article},
              "Thousands of removals per article means a rule gone wild.", "max_removed_per_article"),
    ]  # fmt: skip
    if articles >= t.min_sample:
        checks.append(Check("summary", "summary.flagged_share", "warn", "ExpectColumnValuesToBeBetween",
                            {"column": "flagged_share", "max_value": t.max_flagged_share},
                            "Most articles flagged can mean the parser broke.", "max_flagged_share"))  # fmt: skip
    if inputs >= t.min_sample:
        checks.append(Check("summary", "summary.quarantined_share", "warn", "ExpectColumnValuesToBeBetween",
                            {"column": "quarantined_share", "max_value": t.max_quarantined_share},
                            "Nearly everything quarantined can mean the run is broken, not the inputs.",
                            "max_quarantined_share"))  # fmt: skip
    return checks


def describe_breach(check: Check, value: float) -> str:
    """One line on a check of a limit that ``value`` broke: the measure, the limit, the flag.

    >>> flagged = summary_checks(Thresholds(), 38, 38)[1]
    >>> describe_breach(flagged, 32 / 38)
    'summary.flagged_share 0.84 > 0.80 (--max-flagged-share)'
    """
    low, high = check.kwargs.get("min_value"), check.kwargs.get("max_value")
    sign, bound = ("<", low) if low is not None and value < low else (">", high)
    digits = 2 if check.limit and is_share(check.limit) else 1
    while f"{value:.{digits}f}" == f"{bound:.{digits}f}" and digits < 6:  # never "0.80 > 0.80"
        digits += 1
    flag = f" ({limit_flag(check.limit)})" if check.limit else ""
    return f"{check.name} {value:.{digits}f} {sign} {bound:.{digits}f}{flag}"


def all_checks(run_time: datetime, t: Thresholds, articles: int, inputs: int) -> list[Check]:
    """Every check of a batch, grouped by nothing: each names its table."""
    checks: list[Check] = []
    for table in TABLES:
        if table != "runs":
            checks += schema_checks(table)
    return (
        checks + article_checks(run_time, t) + other_checks() + reference_checks()
        + summary_checks(t, articles, inputs)
    )  # fmt: skip
