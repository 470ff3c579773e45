"""Prefect tasks: each wraps IO or a batch of pure cleaning work (never one task per document)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from berita.flows import warehouse
from berita.transforms.article import CleanOptions, clean_document
from berita.transforms.records import Article, Quarantined
from berita.transforms.tables import to_tables
from prefect import task
from prefect.cache_policies import NO_CACHE


@dataclass
class BatchStats:
    """What one batch (or, summed, one run) did: the counts the summary and tests read."""

    inputs: int = 0
    articles: int = 0
    quarantined: int = 0
    removed_by_category: Counter[str] = field(default_factory=Counter)
    quarantine_reasons: list[tuple[str, str, str]] = field(default_factory=list)
    article_ids: dict[str, str] = field(default_factory=dict)

    def add(self, other: BatchStats) -> None:
        self.inputs += other.inputs
        self.articles += other.articles
        self.quarantined += other.quarantined
        self.removed_by_category.update(other.removed_by_category)
        self.quarantine_reasons.extend(other.quarantine_reasons)
        self.article_ids.update(other.article_ids)


@task(name="discover-inputs", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def discover_inputs(input_dir: str) -> list[str]:
    return warehouse.discover_inputs(Path(input_dir))


def _clean_one(root: Path, relative: str, options: CleanOptions) -> Article | Quarantined:
    if not warehouse.is_supported(relative):
        suffix = Path(relative).suffix or "(none)"
        supported = ", ".join(sorted(warehouse.SUPPORTED_SUFFIXES))
        return Quarantined(
            relative, "read", f"unsupported file type {suffix}; berita reads {supported}", options.run_id
        )
    try:
        raw = warehouse.read_input(root, relative)
    except OSError as exc:
        return Quarantined(relative, "read", f"cannot read the file: {exc.strerror or exc}", options.run_id)
    return clean_document(raw, relative, options)


@task(name="clean-batch", cache_policy=NO_CACHE)
def clean_batch(
    input_dir: str, paths: list[str], staging: str, batch_no: int, options: CleanOptions, seen: dict[str, str]
) -> BatchStats:
    """Read, clean and write one batch; inputs identical to an earlier one are set aside."""
    root = Path(input_dir)
    stats = BatchStats(inputs=len(paths))
    articles: list[Article] = []
    quarantined: list[Quarantined] = []
    for relative in paths:
        result = _clean_one(root, relative, options)
        if isinstance(result, Article):
            first = seen.get(result.article_id) or stats.article_ids.get(result.article_id)
            if first is not None:
                result = Quarantined(
                    relative, "dedupe", f"same bytes as {first} (article {result.article_id})", options.run_id
                )
        if isinstance(result, Article):
            articles.append(result)
            stats.article_ids[result.article_id] = relative
            stats.removed_by_category.update(r.category for r in result.removed_lines)
        else:
            quarantined.append(result)
            stats.quarantine_reasons.append((result.source_uri, result.stage, result.reason))
    stats.articles, stats.quarantined = len(articles), len(quarantined)
    warehouse.write_batch(Path(staging), options.run_id, batch_no, to_tables(articles, quarantined))
    return stats


@task(name="publish-run", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def publish_run(warehouse_dir: str, run_id: str) -> dict[str, str]:
    return {name: str(path) for name, path in warehouse.publish_run(Path(warehouse_dir), run_id).items()}
