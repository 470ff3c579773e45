"""Running the checks with Great Expectations, in a file-mode context under the warehouse.

The context lives in ``<warehouse>/_gx`` (created on first use; never in the user's home, never
needing a network), so its stores and Data Docs stay with the data they describe.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from berita.expectations.checks import ROW_KEY, Check

if TYPE_CHECKING:
    import pandas as pd

GX_DIR = "_gx"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check on one batch."""

    name: str
    table: str
    level: str
    expectation: str
    success: bool
    unexpected: int = 0
    rows: tuple[int, ...] = ()  # values of ROW_KEY that failed (row-level checks)
    observed: str | None = None


@dataclass
class Validation:
    results: list[CheckResult] = field(default_factory=list)

    @property
    def batch_failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.level == "batch" and not r.success]

    @property
    def warnings(self) -> list[CheckResult]:
        """Failed checks of the run's distribution: the run publishes, unless it is strict."""
        return [r for r in self.results if r.level == "warn" and not r.success]

    def failed_rows(self, table: str) -> dict[int, str]:
        """Row key -> name of the first row-level check the row failed."""
        failed: dict[int, str] = {}
        for r in self.results:
            if r.table == table and r.level == "row" and not r.success:
                for row in r.rows:
                    failed.setdefault(row, r.name)
        return failed


def preload() -> None:
    """Import Great Expectations now (the CLI does this while Prefect's server starts)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations  # noqa: F401 - imported for its side effect of being loaded


@lru_cache(maxsize=4)
def _context(gx_root: str) -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no network here; never phone home
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    for key in [k for k in _STORED if k[0] == gx_root]:  # bound to an earlier context of this root
        del _STORED[key]
    _SOURCES.pop(gx_root, None)
    context = gx.get_context(mode="file", project_root_dir=gx_root)
    if context.variables.config_variables_file_path:  # a context GX has just scaffolded (or an old one)
        # berita sets no config variables. With a config-variables file named, GX reads and parses
        # it on every store lookup (about 140 times a batch), and its YAML loader keeps a record of
        # every parse for the life of the process: memory that grew with every batch. Both settings
        # are saved in the project's config, so later contexts start from them.
        context.variables.config_variables_file_path = None  # type: ignore[assignment]  # the getter is Optional
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        context.variables.save()
        context = gx.get_context(mode="file", project_root_dir=gx_root)  # made without that file
    return context


def gx_root(warehouse: Path) -> Path:
    return warehouse / GX_DIR


# Checkpoints this process has stored, by context (its root), table and the checks' definition. A run's
# batches share their checks, so the suite, validation definition and checkpoint are stored once
# and reused: storing them again cost about half of a batch's validation.
_STORED: dict[tuple[str, str], tuple[str, Any]] = {}  # (gx root, table) -> (checks' definition, checkpoint)
_SOURCES: dict[str, Any] = {}  # gx root -> this process's data source


def _checkpoint(root: str, table: str, checks: list[Check]) -> Any:
    signature = json.dumps([(c.name, c.level, c.expectation, c.kwargs) for c in checks], sort_keys=True, default=str)
    stored = _STORED.get((root, table))
    if stored is None or stored[0] != signature:  # new checks (another run, other limits): store them
        stored = _STORED[(root, table)] = (signature, _store_checkpoint(root, table, checks))
    return stored[1]


_SEVERITY = {"row": "critical", "batch": "critical", "warn": "warning"}


def _store_checkpoint(root: str, table: str, checks: list[Check]) -> Any:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    # One data source for every table, made afresh once per process (a source read back from the
    # files of an earlier process is not bound to this context); made again per table, it would
    # drop the other tables' assets.
    context = _context(root)
    source = _SOURCES.get(root)
    if source is None:
        source = _SOURCES[root] = context.data_sources.add_or_update_pandas("berita")
    asset = next((a for a in source.assets if a.name == table), None) or source.add_dataframe_asset(table)
    batch = next((b for b in asset.batch_definitions if b.name == "batch"), None)
    batch = batch or asset.add_batch_definition_whole_dataframe("batch")
    # GX's own severity says the same as the level, so that its stored results and Data Docs agree
    # with berita about which failures are warnings; berita decides what a failure does.
    expectations = [
        getattr(gxe, c.expectation)(**c.kwargs, meta={"berita_check": c.name}, severity=_SEVERITY[c.level])
        for c in checks
    ]
    suite = context.suites.add_or_update(gx.ExpectationSuite(name=f"berita.{table}", expectations=expectations))
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"berita.{table}", data=batch, suite=suite)
    )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"berita.{table}",
            validation_definitions=[definition],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_KEY]},
        )
    )


def _result(check: Check, raw: Any) -> CheckResult:
    result = raw.result or {}
    rows = tuple(int(item[ROW_KEY]) for item in result.get("unexpected_index_list") or [] if ROW_KEY in item)
    observed = result.get("observed_value")
    return CheckResult(
        check.name, check.table, check.level, check.expectation, bool(raw.success),
        int(result.get("unexpected_count") or 0), rows, None if observed is None else str(observed),
    )  # fmt: skip


def validate(warehouse: Path, run_id: str, frames: dict[str, pd.DataFrame], checks: list[Check]) -> Validation:
    """Run every table's checkpoint on its frame (each frame carries a ROW_KEY column)."""
    root = str(gx_root(warehouse))
    by_name = {c.name: c for c in checks}
    validation = Validation()
    for table, frame in frames.items():
        table_checks = [c for c in checks if c.table == table]
        if not table_checks:
            continue
        checkpoint = _checkpoint(root, table, table_checks)
        outcome = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=_gx_run_id(run_id, table))
        for suite_result in outcome.run_results.values():
            for raw in suite_result.results:
                check = by_name[raw.expectation_config.meta["berita_check"]]
                validation.results.append(_result(check, raw))
    return validation


def _gx_run_id(run_id: str, table: str) -> Any:
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=f"{run_id}-{table}")


def build_data_docs(warehouse: Path) -> Path | None:
    """Rebuild GX's Data Docs for every stored validation; returns the index page."""
    context = _context(str(gx_root(warehouse)))
    context.build_data_docs()
    index = gx_root(warehouse) / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    return index if index.exists() else None
