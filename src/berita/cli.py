"""The `berita` command line: run the clean-news flow and report what it did."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from berita.settings import Settings


class UserError(Exception):
    """An expected failure with a message a person can act on (no traceback unless --debug)."""


EXIT_FAILED = 1  # the run failed its checks and published nothing
EXIT_USAGE = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the warehouse; try again later


class WarehouseBusy(UserError):
    exit_code = EXIT_LOCKED


class RunFailed(UserError):
    exit_code = EXIT_FAILED


# The settings the command line's own flags set (the others have their group: limits, documents), by name.
_FLAG_SETTINGS = (
    "input_dir", "warehouse_dir", "batch_size", "prefect_home", "verbose", "server_startup_timeout", "strict",
    "line_model", "data_docs", "reprocess", "wait_seconds", "workers", "dask_address", "schedule_timezone",
)  # fmt: skip


def _settings(args: argparse.Namespace) -> Settings:
    """The settings: defaults, the config file, BERITA_* variables, then the flags given."""
    from berita.settings import FLAG_DESTS, ConfigError

    flags: dict[str, object] = {name: getattr(args, FLAG_DESTS.get(name, name), None) for name in _FLAG_SETTINGS}
    flags.update({name: getattr(args, name, None) for name in _DOCUMENT_SETTINGS})
    flags["limits"] = _limits_given(args) or None
    try:
        return Settings.load(flags, config=getattr(args, "config", None))
    except ConfigError as exc:
        raise UserError(str(exc)) from exc


def _check_model(path: Path | None) -> None:
    """A weights file given with --model is read before any work starts: a bad one is one line."""
    from berita.transforms.linemodel import RULES_ONLY, ModelError, read_model

    if path is None or str(path) == RULES_ONLY:
        return
    try:
        read_model(path.read_text(encoding="utf-8"), name=str(path))
    except (OSError, UnicodeDecodeError, ModelError) as exc:
        raise UserError(f"--model {path}: {exc} (train one with `berita train`)") from exc


def _model_parameter(path: Path | None) -> Path | None:
    """The flow's ``line_model`` setting: an absolute path, "rules", or None (the shipped model)."""
    return path if path is None or str(path) == "rules" else path.resolve()


def _run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    _check_model(settings.line_model)
    _check_warehouse(settings.warehouse_dir)
    if not (settings.input_dir.is_dir() or settings.input_dir.is_file()):
        raise UserError(
            f"input {settings.input_dir} does not exist or is neither a folder nor a file (pass --input DIR or FILE)"
        )
    from berita import interrupts
    from berita.flows import lock, runtime  # both light: no Prefect, no pyarrow yet

    interrupts.install(lock.abandon_held_locks, runtime.LocalPrefectServer.kill_current)
    started = time.perf_counter()
    _check_user_api("start that server, or unset PREFECT_API_URL and berita run starts a private one")
    # The lock first, before Prefect starts: a busy warehouse is one line at once, not after the
    # server's boot; --wait queues here. The flow takes the same lock again (it may run without the CLI).
    with (
        _stats_on_failure(args.stats_json, started),
        _warehouse_lock(settings.warehouse_dir, settings.wait_seconds),
        _prefect_api(settings),
    ):
        # Imported while the server boots on the other core: prefect, pyarrow, the transforms, and
        # Great Expectations (about 3 s on its own), which validation needs later.
        import errno
        import sqlite3

        import pyarrow as pa

        from berita.flows import progress, runtime, sources
        from berita.flows.clean_news import clean_news
        from berita.flows.lock import WarehouseLocked
        from berita.flows.quality import ValidationFailed
        from berita.flows.validation import preload

        preload()

        try:
            runtime.wait_for_api()
            with _progress_bar() as update, progress.listening(update), _interruptible():
                flow = _with_task_runner(clean_news, settings)
                result = flow(settings.model_copy(update={"line_model": _model_parameter(settings.line_model)}))
        except WarehouseLocked as exc:
            raise WarehouseBusy(str(exc)) from exc
        except ValidationFailed as exc:
            raise RunFailed(str(exc)) from exc
        except (sources.InputError, runtime.PrefectServerError) as exc:
            raise UserError(str(exc)) from exc
        except OSError as exc:
            raise _unwritable(exc, settings.warehouse_dir) from exc
        except pa.ArrowException as exc:
            raise _damaged(exc) from exc
        except sqlite3.OperationalError as exc:  # the run's state file: "database or disk is full"
            fault = OSError(errno.ENOSPC if "full" in str(exc) else 0, str(exc))
            raise _unwritable(fault, settings.warehouse_dir) from exc
    seconds = time.perf_counter() - started
    _print_summary(result, settings.warehouse_dir, seconds)
    if args.stats_json is not None:
        _write_stats(args.stats_json, run_stats(result, seconds))
    return 0


def run_stats(result: Any, seconds: float) -> dict[str, Any]:
    """What --stats-json holds for a run that finished: its id and status, its counts, time by stage, peak RSS."""
    import resource

    stats = result.stats
    status = "nothing new" if result.inputs_new == 0 else "warned" if result.quality.warnings else "succeeded"
    return {
        "run_id": result.run_id, "status": status, "mode": result.mode, "seconds": round(seconds, 3),
        "inputs_seen": result.inputs_seen, "inputs_new": result.inputs_new, "unchanged": result.unchanged,
        "articles": stats.articles, "duplicates": result.inputs_new - stats.articles - stats.quarantined,
        "near_duplicates": stats.near_duplicates, "quarantined": stats.quarantined,
        "warnings": list(result.quality.warnings), "lines_removed": dict(stats.removed_by_category),
        "stage_seconds": {k: round(v, 3) for k, v in result.stage_seconds.items()},
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "peak_rss_bytes_after_stage": dict(result.peak_rss_after), "report": result.report_path,
    }  # fmt: skip


def _write_stats(path: Path, data: dict[str, Any]) -> None:
    import json

    try:
        path.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    except OSError as exc:
        print(f"berita: warning: cannot write --stats-json {path}: {exc.strerror or exc}", file=sys.stderr)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """After Ctrl-C, whatever comes out of the run is the interruption's doing: Prefect's task engine turns a
    KeyboardInterrupt that arrives while a task run starts into ValueError("Task run is not set"). It leaves as
    KeyboardInterrupt, so the command says "interrupted" and exits 130 as for any other Ctrl-C."""
    from berita import interrupts

    try:
        yield
    except Exception as exc:
        if not interrupts.interrupted():
            raise
        stop = KeyboardInterrupt()
        for note in getattr(exc, "__notes__", ()):  # the flow's word on the warehouse ("... published in full")
            stop.add_note(note)
        raise stop from exc


@contextlib.contextmanager
def _stats_on_failure(path: Path | None, started: float) -> Iterator[None]:
    """--stats-json for a run that did not finish: its status and what stopped it (the warehouse is unchanged)."""
    try:
        yield
    except BaseException as exc:
        if path is not None:
            import resource

            status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
            _write_stats(path, {
                "run_id": None, "status": status, "error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
                "seconds": round(time.perf_counter() - started, 3),
                "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            })  # fmt: skip
        raise


def local_cluster(**kwargs: Any) -> Any:
    """A local Dask cluster whose processes ignore Ctrl-C: they share berita's process group, so the terminal's
    SIGINT reached them too and each printed a KeyboardInterrupt traceback while berita stopped the run in
    order (and stopped them). A signal ignored at spawn stays ignored in the new interpreter and its children."""
    import signal
    import threading

    from distributed import LocalCluster

    if threading.current_thread() is not threading.main_thread():
        return LocalCluster(**kwargs)
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return LocalCluster(**kwargs)
    finally:
        signal.signal(signal.SIGINT, before)


def _with_task_runner(flow: Any, settings: Settings) -> Any:
    """The flow on a Dask cluster when ``workers`` > 1 or a ``dask_address`` asks for one (the flow then keeps
    two batches per worker in flight: ``Settings.in_flight``)."""
    workers, address = settings.workers, settings.dask_address
    if address is None and workers <= 1:
        return flow
    import logging

    from prefect_dask import DaskTaskRunner

    if not settings.verbose:
        logging.getLogger("distributed").setLevel(logging.ERROR)
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")  # the worker processes read it at start
    if address is not None:
        runner = DaskTaskRunner(address=address)
    else:
        # Worker processes, one thread each: the transforms are pure Python and hold the GIL.
        cluster = {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        runner = DaskTaskRunner(cluster_class=local_cluster, cluster_kwargs=cluster)
    return flow.with_options(task_runner=runner)


def _unwritable(exc: OSError, warehouse: Path, what: str = "this run") -> UserError:
    """One line for a storage fault, with the hint that fits it."""
    import errno

    hints = {
        errno.ENOSPC: "free some space",
        errno.EISDIR: "a folder stands where berita writes a file: move it away",
        errno.ENOTDIR: "a file stands where berita keeps a folder: move it away",
        errno.EACCES: "fix the permissions, or choose another --warehouse",
        errno.EPERM: "fix the permissions, or choose another --warehouse",
        errno.EROFS: "the file system is read-only: choose another --warehouse",
    }
    hint = hints.get(exc.errno or 0, "free some space, fix the permissions, or choose another --warehouse")
    return UserError(
        f"cannot write {exc.filename or warehouse}: {exc.strerror or exc}; the warehouse is as it was before "
        f"{what} ({hint})"
    )


def _damaged(exc: Exception) -> UserError:
    """One line for a warehouse file that Arrow cannot read (a part cut short, or not Parquet at all)."""
    return UserError(
        f"a warehouse file is damaged: {str(exc).splitlines()[0]} (restore it from a backup, or move it away "
        "and rebuild every table from the inputs with `berita run --reprocess`)"
    )


@contextlib.contextmanager
def _warehouse_lock(warehouse: Path, wait_seconds: float) -> Iterator[None]:
    from berita.flows.lock import WarehouseLocked, warehouse_lock

    with contextlib.ExitStack() as held:
        try:  # only the taking: an error inside the run is neither "busy" nor the lock file's
            held.enter_context(warehouse_lock(warehouse, wait_seconds))
        except WarehouseLocked as exc:
            raise WarehouseBusy(str(exc)) from exc
        except OSError as exc:  # a read-only or full warehouse: the lock file cannot be written
            raise _unwritable(exc, warehouse) from exc
        yield


def _check_user_api(what_to_do: str) -> None:
    """One line (exit 2) when PREFECT_API_URL is set and no Prefect server answers there."""
    api_url = os.environ.get("PREFECT_API_URL")
    if not api_url:
        return
    from berita.flows import deploy

    try:
        deploy.check_server(api_url, what_to_do)
    except deploy.ServerMissing as exc:
        raise UserError(str(exc)) from exc


@contextlib.contextmanager
def _prefect_api(settings: Settings) -> Iterator[None]:
    """Prefect configured for this process, with a private API server unless PREFECT_API_URL is set."""
    from berita.flows import runtime

    runtime.configure_prefect(settings)
    if os.environ.get("PREFECT_API_URL"):
        yield
        return
    with runtime.LocalPrefectServer(settings.server_startup_timeout):
        yield


class _progress_bar:
    """A rich progress bar on stderr that the flow advances through berita.flows.progress."""

    def __enter__(self) -> Any:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        )  # fmt: skip
        self.bar.start()
        self.task = self.bar.add_task("clean", total=None)

        def update(done: int, total: int) -> None:
            self.bar.update(self.task, completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def _print_summary(result: Any, warehouse_dir: Path, seconds: float) -> None:
    stats = result.stats
    print(f"run {result.run_id} ({result.mode}) finished in {seconds:.1f} s")
    for note in result.notes:
        print(f"  note: {note}")
    for warning in result.quality.warnings:
        print(f"  warned: {warning}")
    if result.quality.warnings:
        print("  (the run published; raise the limit with the flag named, or pass --strict to make warnings fatal)")
    if result.inputs_new == 0:
        print(f"  nothing new: all {result.inputs_seen} inputs were processed by earlier runs")
        print("  (berita run --reprocess rebuilds every table from the inputs)")
        return
    print(f"  inputs seen         {result.inputs_seen}")
    print(f"  new inputs          {result.inputs_new}  ({result.unchanged} unchanged since earlier runs)")
    print(f"  articles written    {stats.articles}")
    print(f"  duplicates          {result.inputs_new - stats.articles - stats.quarantined}", end="")
    print(f"  ({stats.near_duplicates} more near-duplicates flagged)" if stats.near_duplicates else "")
    print(f"  inputs quarantined  {stats.quarantined}")
    removed = stats.removed_by_category
    print(f"  lines removed       {sum(removed.values())}")
    for category, count in removed.most_common():
        print(f"    {category:<17} {count}")
    for source, stage, reason in stats.quarantine_reasons[:10]:
        print(f"  quarantined: {source} ({stage}): {reason}")
    if len(stats.quarantine_reasons) > 10:
        print(f"  ... and {len(stats.quarantine_reasons) - 10} more in the quarantine table")
    stages = ", ".join(f"{name} {secs:.1f} s" for name, secs in result.stage_seconds.items())
    print(f"  time by stage       {stages}")
    print(f"  tables in {warehouse_dir}/")


def _bench(args: argparse.Namespace) -> int:
    import json
    import platform

    from berita import bench

    if args.docs < 1:
        raise UserError("--docs must be at least 1")
    if args.generate is not None:
        size = bench.write_corpus(args.generate, args.docs, args.seed)
        print(f"wrote {args.docs} documents ({size / 1e6:.1f} MB) under {args.generate}/")
        return 0
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"berita bench on {machine}", file=sys.stderr)
    out: dict[str, Any] = {"machine": machine}
    out["transforms"] = bench.bench_transforms(args.docs, args.repeat, args.seed)
    ratio = out["transforms"]["ratio_berita_over_ftfy"]
    print(f"transforms: {ratio:.2f}x the plain ftfy loop (the flow part follows)" if not args.no_flow
          else f"transforms: {ratio:.2f}x the plain ftfy loop", file=sys.stderr)  # fmt: skip
    if not args.no_flow:
        out["flow"] = bench.bench_flow(args.flow_docs or args.docs, args.flow_repeat, args.seed)
    print(json.dumps(out, indent=1))
    return 0


def _train(args: argparse.Namespace) -> int:
    import json

    from berita import train

    golden = args.golden if str(args.golden) not in ("", ".") or args.golden.is_dir() else None
    for folder in [*args.pages, *([golden] if golden else [])]:
        if not folder.is_dir():
            raise UserError(f"{folder} is not a folder of labelled pages")
    try:
        pages = [p for folder in args.pages for p in train.read_training_pages(folder, None)]
        pages += train.read_training_pages(None, golden) if golden else []
        if not pages:
            raise UserError("no labelled pages: pass --pages DIR (a folder with a gold.jsonl) or --golden DIR")
        print(f"training on {len(pages)} labelled pages", file=sys.stderr)
        data = train.TrainingSet.of(pages)
        spec = data.fit(args.seed)
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        raise UserError(f"cannot train: {exc}") from exc
    args.output.write_text(train.dumps(spec), encoding="utf-8")
    print(f"wrote {args.output} ({spec['text']['trained_on']['lines']} text lines, "
          f"{spec['html']['trained_on']['lines'] if spec['html'] else 0} HTML blocks)", file=sys.stderr)  # fmt: skip
    if args.evaluate:
        held_out = sorted({train.outlet_key(p.outlet) for p in pages if p.name.startswith(("html/", "text/"))})
        scores = train.leave_one_outlet_out(pages, args.seed, outlets=held_out or None, data=data, full=spec)
        print(json.dumps({k: s.as_dict() for k, s in sorted(scores.items())}, indent=1))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from berita.evaluate import evaluate

    if not args.gold.is_file():
        raise UserError(f"golden file {args.gold} does not exist (see tests/golden/seeds.json for the format)")
    try:
        _check_model(args.model)
        report = evaluate(args.gold, args.model).as_dict()
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    failures = report.pop("failures")
    print(json.dumps(report, indent=2))
    for failure in failures[: args.show]:
        print(f"  {failure}")
    return 0


def _warehouse(args: argparse.Namespace) -> Path:
    root = Path(args.warehouse) if args.warehouse else _settings(args).warehouse_dir
    _check_warehouse(root)
    return root


def _check_warehouse(root: Path) -> None:
    """A warehouse that exists is a folder: a file there is one line saying so, not a storage hint."""
    if root.exists() and not root.is_dir():
        raise UserError(f"warehouse {root} is a file, not a folder (choose another --warehouse, or move the file)")


def _query(args: argparse.Namespace) -> int:
    import duckdb

    from berita import formats
    from berita.flows import reader

    try:
        if not args.unsafe:
            _read_only_statement(args.sql)
        con = reader.connect(_warehouse(args), sandbox=not args.unsafe)
        relation = con.sql(args.sql)
        if relation is None:  # a statement with no result, e.g. SET
            return 0
        columns = relation.columns
        if args.format == "table":
            rows = relation.limit(args.max_rows + 1).fetchall()
            more = 0
            if len(rows) > args.max_rows:
                rows = rows[: args.max_rows]
                more = relation.aggregate("count(*)").fetchall()[0][0] - args.max_rows
            width = _column_width(len(columns)) if sys.stdout.isatty() else None
            print(formats.table_text(columns, rows, more, width, args.max_width))
            return 0
        writer = {"csv": formats.csv_text, "json": formats.json_text, "jsonl": formats.jsonl_text}[args.format]
        for chunk in writer(columns, relation.iter_rows()):
            sys.stdout.write(chunk)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        if ".parquet" in first and first.startswith(("IO Error", "Invalid Input Error")):
            raise _damaged(exc) from exc  # a warehouse file, not the query: what to do about it
        # DuckDB's whole message otherwise: its hints ("Did you mean ...", "Candidate bindings: ...") are the help
        raise UserError("\n".join(line for line in str(exc).strip().splitlines() if line.strip())) from exc
    return 0


def _column_width(columns: int) -> int:
    """Each column's share of the terminal's width (values wrap past it)."""
    import shutil

    total = shutil.get_terminal_size((100, 24)).columns
    return max(12, (total - 2 * (columns - 1)) // max(columns, 1))


def _read_only_statement(sql: str) -> None:
    """Refuse what a read-only query is not: several statements, or one that is no SELECT or EXPLAIN (COPY,
    CREATE, ATTACH, SET, INSTALL, PRAGMA, ...). Raises duckdb.Error for SQL that does not parse."""
    import duckdb

    statements = duckdb.extract_statements(sql)
    lifted = "(--unsafe lifts this, for DuckDB's full power)"
    if len(statements) != 1:
        raise UserError(f"berita query runs one statement at a time; this has {len(statements)} {lifted}")
    kind = statements[0].type
    if kind not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
        name = kind.name if hasattr(kind, "name") else str(kind)
        raise UserError(f"berita query only reads: SELECT or EXPLAIN, not {name} {lifted}")


def _show(args: argparse.Namespace) -> int:
    from berita.flows import reader

    try:
        print(reader.render_article(_warehouse(args), args.article_id), end="")
    except (LookupError, FileNotFoundError) as exc:
        raise UserError(str(exc)) from exc
    return 0


def _check(args: argparse.Namespace) -> int:
    from berita.flows import integrity

    root = _warehouse(args)
    if not root.is_dir():
        raise UserError(f"warehouse {root} does not exist (run `berita run` first)")
    missing = integrity.missing_tables(root)
    findings = integrity.check_warehouse(root)
    broken = 0
    for finding in findings:
        check = finding.check
        if finding.broken is None:
            print(f"FAIL {check.name}: cannot be checked, a table it reads is missing ({', '.join(missing)})")
            broken += 1
        elif finding.broken:
            print(f"FAIL {check.name}: {finding.broken:,} rows break it (wanted: {check.holds})")
            broken += 1
        else:
            print(f"ok   {check.name}: {check.holds}")
    if broken:
        print(f"{broken} of {len(findings)} checks failed: the tables disagree. `berita run --reprocess` rebuilds "
              "every table from the inputs; or restore the warehouse from a backup taken between runs")  # fmt: skip
        return EXIT_FAILED
    print(f"all {len(findings)} checks hold")
    return 0


def _compact(args: argparse.Namespace) -> int:
    from berita.flows.clean_news import new_run_id
    from berita.flows.lock import WarehouseLocked
    from berita.flows.maintenance import compact

    root = _warehouse(args)
    if not root.is_dir():
        raise UserError(f"warehouse {root} does not exist")
    import pyarrow as pa

    try:
        result = compact(
            root, new_run_id(), keep_last=args.keep_last, wait_seconds=args.wait, keep_reports=args.keep_reports,
            keep_noop_runs=args.keep_noop_runs,
        )  # fmt: skip
    except WarehouseLocked as exc:
        raise WarehouseBusy(str(exc)) from exc
    except OSError as exc:
        raise _unwritable(exc, root, "compacting") from exc
    except pa.ArrowException as exc:
        raise _damaged(exc) from exc
    for note in result.notes:
        print(f"note: {note}")
    if result.pruned is not None:
        p = result.pruned
        print(f"pruned {p.reports} reports and {p.results} validation results ({p.bytes / 1e6:.1f} MB) of runs older "
              f"than the newest {args.keep_reports}")  # fmt: skip
    if result.noop_runs_pruned:
        print(f"pruned {len(result.noop_runs_pruned)} runs that had nothing new (their runs rows, reports and "
              f"validation results), keeping the newest {args.keep_noop_runs}")  # fmt: skip
    if not result.merged_runs:
        if not result.noop_runs_pruned:
            print("nothing to compact: every table has at most one file outside the kept runs")
        return 0
    print(f"compacted {len(result.merged_runs)} runs into run {result.run_id}: "
          f"{result.files_before} files -> {result.files_after}, {result.rows} rows rewritten")  # fmt: skip
    return 0


def _serve(args: argparse.Namespace) -> int:
    # A long-running service logs what it does (Prefect's INFO logs), unlike a one-off run.
    settings = _settings(args).model_copy(update={"verbose": True})
    if not settings.input_dir.is_dir():
        raise UserError(f"input folder {settings.input_dir} does not exist or is not a folder (pass --input DIR)")
    user_api = os.environ.get("PREFECT_API_URL")
    from berita.flows import deploy, runtime

    timezone = settings.schedule_timezone
    try:
        schedule = deploy.cron_schedule(args.cron, timezone)
        deploy.check_server(user_api)
    except (ValueError, deploy.ServerMissing) as exc:
        raise UserError(str(exc)) from exc
    runtime.configure_prefect(settings)
    print(f"serving clean-news/{args.name} on {user_api} with schedule {args.cron!r} in {timezone}; Ctrl-C stops it")
    deploy.serve(settings, schedule, args.name)
    return 0


def _report(args: argparse.Namespace) -> int:
    from berita.flows import reporting

    root = _warehouse(args)
    if args.run_id is not None and args.latest_nonempty:
        raise UserError("give a RUN_ID or --latest-nonempty, not both")
    if args.run_id is not None:
        path = reporting.run_report(root, args.run_id)
        what = (
            f"no report for run {args.run_id} in {root}/_reports (list them: ls {root}/_reports; `berita compact"
            " --keep-reports` deletes old ones)"
        )
    elif args.latest_nonempty:
        path = reporting.latest_nonempty_report(root)
        what = f"no run with new inputs has a report in {root} yet"
    else:
        path = reporting.latest_report(root)
        what = f"no report in {root}/_reports yet (run `berita run` first)"
    if path is None:
        raise UserError(what)
    print(path)
    if args.open:
        import webbrowser

        try:
            opened = webbrowser.open(path.resolve().as_uri())
        except webbrowser.Error:
            opened = False
        if not opened:
            raise UserError(f"no browser could open it here; open {path.resolve().as_uri()} yourself")
    return 0


def _limits_given(args: argparse.Namespace) -> dict[str, object]:
    """The limits given as flags on the command line, by Thresholds field name (the flags' dests)."""
    from berita.expectations.limits import limit_names

    return {name: getattr(args, name) for name in limit_names() if getattr(args, name, None) is not None}


def _add_limit_flags(run: argparse.ArgumentParser) -> None:
    """--strict, and one flag per limit, named after its Thresholds field (parsed by Settings, so
    that a bad value is one line, as from the environment)."""
    from berita.expectations.limits import Thresholds, limit_doc, limit_env, limit_flag, limit_names

    limits = run.add_argument_group("checks", "limits of the run's checks; each is also BERITA_<LIMIT>")
    limits.add_argument(
        "--strict", action="store_true", default=None,
        help="a distribution check past its limit fails the run (publishing nothing) instead of warning "
        "(also BERITA_STRICT=1)",
    )  # fmt: skip
    for name in limit_names():
        default = getattr(Thresholds(), name)
        limits.add_argument(
            limit_flag(name), default=None, metavar="N",
            help=f"{limit_doc(name)} (default: {default}; {limit_env(name)})",
        )  # fmt: skip


# Settings whose flag is their name with dashes (--max-input-bytes), in a group of their own.
_DOCUMENT_SETTINGS = (
    "max_input_bytes", "max_text_chars", "max_text_lines", "max_document_seconds", "learn_min_articles",
    "detect_language",
)  # fmt: skip


def _add_document_flags(run: argparse.ArgumentParser) -> None:
    """One flag per setting of how a document is read and cleaned, named after the setting, with its default and
    description from :class:`Settings` (parsed by Settings, so a bad value is one line, as from a variable)."""
    group = run.add_argument_group("documents", "what one document may be, and how it is cleaned")
    for name in _DOCUMENT_SETTINGS:
        info = Settings.model_fields[name]
        flag, shown = "--" + name.replace("_", "-"), f"default: {info.default}; BERITA_{name.upper()}"
        if isinstance(info.default, bool):
            group.add_argument(
                flag, action=argparse.BooleanOptionalAction, default=None, help=f"{info.description} ({shown})"
            )
        else:
            group.add_argument(flag, default=None, metavar="N", help=f"{info.description} ({shown})")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # NaN too
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, with a suggestion for a mistyped command or flag ("did you mean --warehouse?")."""

    def error(self, message: str) -> Any:
        import difflib
        import re

        hint = ""
        if match := re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message):
            choices = re.findall(r"'?([\w-]+)'?", match.group(2))
            close = difflib.get_close_matches(match.group(1), choices, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
        elif match := re.search(r"unrecognized arguments: (\S+)", message):
            close = difflib.get_close_matches(match.group(1).split("=")[0], sorted(_all_flags(self)), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
        super().error(message + hint)


def _all_flags(parser: argparse.ArgumentParser) -> set[str]:
    flags = {flag for action in parser._actions for flag in action.option_strings}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                flags |= _all_flags(sub)
    return flags


ENVIRONMENT = """settings: every setting is also a BERITA_<NAME> variable and a key of the config file (berita.toml,
  or [tool.berita] in pyproject.toml; limits in its [limits] table); flags win over variables, variables over
  the file. For example BERITA_INPUT_DIR, BERITA_WAREHOUSE_DIR, BERITA_BATCH_SIZE, BERITA_WORKERS,
  BERITA_STRICT=1, BERITA_LINE_MODEL, BERITA_LEARN_MIN_ARTICLES, BERITA_MAX_INPUT_BYTES, BERITA_MAX_TEXT_CHARS,
  BERITA_MAX_TEXT_LINES, BERITA_MAX_DOCUMENT_SECONDS, BERITA_DATA_DOCS=1, BERITA_DETECT_LANGUAGE=0,
  BERITA_SCHEDULE_TIMEZONE and one per check limit (BERITA_MAX_FLAGGED_SHARE, ...); PREFECT_API_URL runs
  on that Prefect server instead of a private one."""
EXIT_CODES = """exit status: 0 done (a run that warned published too), 1 the run failed its checks and published
  nothing, 2 an expected error (one line says what to do), 75 another run holds the warehouse, 130 interrupted."""


def _epilog(*examples: str, environment: bool = False) -> str:
    lines = ["examples:", *(f"  {e}" for e in examples)]
    if environment:
        lines += ["", ENVIRONMENT]
    return "\n".join([*lines, "", EXIT_CODES])


def build_parser() -> argparse.ArgumentParser:
    from berita import __version__

    parser = _Parser(
        prog="berita", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_epilog("berita run", 'berita query "select outlet, count(*) from articles group by 1"',
                       "berita report --open", "berita COMMAND --help"),
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"berita {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for expected errors")
    # --debug after the command too: each command takes it, and leaves the top level's value when absent
    debug = _Parser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(
        name: str, help: str, *examples: str, environment: bool = False, config: bool = False
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help, description=help, parents=[debug], formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=_epilog(*examples, environment=environment),
        )  # fmt: skip
        if config:
            sub.add_argument(
                "--config", type=Path, default=None, metavar="PATH",
                help="settings file (TOML; default: ./berita.toml, else [tool.berita] in ./pyproject.toml)",
            )  # fmt: skip
        return sub

    run = command(
        "run", "clean the input folder (or one file) into the warehouse (the clean-news flow)",
        "berita run                                   # seeds/ into warehouse/",
        "berita run --input scraped/ --warehouse wh/ --workers 2",
        "berita run --input pages.jsonl --stats-json stats.json",
        "BERITA_STRICT=1 berita run --max-flagged-share 0.5",
        "berita run --config berita.toml",
        environment=True, config=True,
    )  # fmt: skip
    run.add_argument("--input", type=Path, default=None, help="folder of raw documents, or one file (default: seeds)")
    run.add_argument("--warehouse", type=Path, default=None, help="output folder of tables (default: warehouse)")
    run.add_argument(
        "--batch-size", type=_positive_int, default=None, metavar="N", help="documents per Prefect task (default: 1000)"
    )
    run.add_argument(
        "--prefect-home",
        type=Path,
        default=None,
        help="Prefect state folder (default: $PREFECT_HOME, else ~/.local/state/berita/prefect)",
    )
    run.add_argument(
        "--server-timeout", type=_positive_int, default=None, metavar="SECONDS",
        help="seconds to wait for the local Prefect server (default: 120)",
    )  # fmt: skip
    run.add_argument(
        "--reprocess", action="store_true", default=None,
        help="rebuild every table from all inputs (after rule changes)",
    )  # fmt: skip
    run.add_argument(
        "--wait",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="wait this long for another run on the same warehouse to finish (default: exit at once)",
    )
    run.add_argument("-v", "--verbose", action="store_true", default=None, help="show Prefect's logs")
    run.add_argument(
        "--data-docs",
        action="store_true",
        default=None,
        help="also build Great Expectations' Data Docs beside the report (off by default: they load scripts "
        "from CDNs; also BERITA_DATA_DOCS=1)",
    )
    run.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="clean batches on a local Dask cluster of N worker processes (default: 1, no Dask); "
        "with --dask-address, how many workers that cluster has",
    )
    run.add_argument(
        "--dask-address",
        default=None,
        metavar="tcp://HOST:8786",
        help="clean batches on an existing Dask cluster (see 'Scaling out' in the README)",
    )
    run.add_argument(
        "--stats-json", type=Path, default=None, metavar="PATH",
        help="also write the run's counts, time by stage and peak memory (RSS) as JSON (for benchmarks)",
    )  # fmt: skip
    _add_limit_flags(run)
    _add_document_flags(run)
    run.add_argument(
        "--model", type=Path, default=None, metavar="PATH",
        help="line model weights from `berita train`, or 'rules' for the rule table alone "
        "(default: $BERITA_LINE_MODEL, else the model berita ships)",
    )  # fmt: skip
    run.set_defaults(handler=_run)
    evaluate = command(
        "evaluate", "score body precision/recall and metadata on a golden file",
        "berita evaluate tests/golden/seeds.json", "berita evaluate tests/golden/corpus.json --model rules",
    )  # fmt: skip
    evaluate.add_argument("gold", type=Path, help="golden JSON file, e.g. tests/golden/seeds.json")
    evaluate.add_argument("--show", type=_count, default=20, help="how many mismatches to list (default: 20)")
    evaluate.add_argument("--model", type=Path, default=None, help="line model weights (default: the shipped model)")
    evaluate.set_defaults(handler=_evaluate)

    train = command(
        "train", "train the line model from labelled pages (and score it leave-one-outlet-out)",
        "berita train --pages ../shared/realpages --output my_model.json --evaluate",
        "berita run --model my_model.json",
    )  # fmt: skip
    train.add_argument(
        "--pages", type=Path, action="append", default=[], metavar="DIR",
        help="a folder of line-labelled pages with a gold.jsonl (repeatable)",
    )  # fmt: skip
    train.add_argument(
        "--golden", type=Path, default=Path("tests/golden"),
        help="berita's labelled corpus folder (default: tests/golden; --golden '' leaves it out)",
    )  # fmt: skip
    train.add_argument("--output", "-o", type=Path, default=Path("line_model.json"), help="weights file to write")
    train.add_argument("--seed", type=int, default=0, help="the fit's seed (default: 0)")
    train.add_argument(
        "--evaluate", action="store_true",
        help="also score leave-one-outlet-out: each outlet of --pages cleaned by a model trained without it",
    )  # fmt: skip
    train.set_defaults(handler=_train)

    bench = command(
        "bench", "benchmark the transforms against ftfy, and the whole flow",
        "berita bench --no-flow", "berita bench --docs 3000 --flow-repeat 3",
        "berita bench --generate corpus/ --docs 20000",
    )  # fmt: skip
    bench.add_argument("--docs", type=_positive_int, default=2000, help="documents to generate (default: 2000)")
    bench.add_argument("--repeat", type=_positive_int, default=5, help="runs to take the median of (default: 5)")
    bench.add_argument("--seed", type=int, default=1, help="corpus seed: the same seed, the same bytes")
    bench.add_argument(
        "--flow-docs", type=_positive_int, default=None, help="documents for the flow part (default: --docs)"
    )
    bench.add_argument(
        "--flow-repeat", type=_positive_int, default=3, help="flow runs to take the median of (default: 3)"
    )
    bench.add_argument("--no-flow", action="store_true", help="only the transforms against ftfy")
    bench.add_argument("--generate", type=Path, default=None, metavar="DIR", help="only write the corpus to DIR")
    bench.set_defaults(handler=_bench)

    serve = command(
        "serve", "serve clean-news as a scheduled Prefect deployment (needs a server)",
        "prefect server start &  export PREFECT_API_URL=http://127.0.0.1:4200/api",
        'berita serve --cron "0 * * * *" --timezone Asia/Jakarta --input scraped/',
        environment=True, config=True,
    )  # fmt: skip
    serve.add_argument("--cron", default="0 * * * *", help='schedule, e.g. "0 * * * *" (default: hourly)')
    serve.add_argument(
        "--timezone", default=None, metavar="ZONE",
        help="IANA time zone the cron is read in, e.g. Asia/Jakarta (default: $BERITA_SCHEDULE_TIMEZONE, else UTC)",
    )  # fmt: skip
    serve.add_argument("--name", default="berita", help="deployment name (default: berita)")
    serve.add_argument("--input", type=Path, default=None, help="folder of raw documents (default: seeds)")
    serve.add_argument("--warehouse", type=Path, default=None, help="output folder of tables (default: warehouse)")
    serve.add_argument(
        "--batch-size", type=_positive_int, default=None, metavar="N", help="documents per Prefect task (default: 1000)"
    )
    serve.add_argument("-v", "--verbose", action="store_true", default=None, help="show Prefect's logs")
    _add_limit_flags(serve)  # the deployment's limits and strict parameters
    serve.set_defaults(handler=_serve, prefect_home=None, server_timeout=None)

    query = command(
        "query", "run SQL over the warehouse (one DuckDB view per table)",
        'berita query "select outlet, count(*) as n from articles group by 1 order by 2 desc"',
        'berita query "select rule, count(*) from removed_lines group by 1" --format csv > rules.csv',
        'berita query "select * from quarantine" --format jsonl',
        config=True,
    )  # fmt: skip
    query.add_argument("sql", help='e.g. "select outlet, count(*) from articles group by 1"')
    query.add_argument("--warehouse", type=Path, default=None, help="warehouse folder (default: warehouse)")
    query.add_argument(
        "--format", choices=("table", "csv", "json", "jsonl"), default="table",
        help="table (plain text, for people), csv (lists as JSON), json (one array) or jsonl (an object a line); "
        "timestamps are ISO 8601 (default: table)",
    )  # fmt: skip
    query.add_argument(
        "--max-rows", type=_positive_int, default=100, metavar="N",
        help="rows to print in table format; the table says how many more there are (default: 100)",
    )  # fmt: skip
    query.add_argument(
        "--max-width", type=_positive_int, default=None, metavar="N",
        help="cut table values at N characters, marked with an ellipsis (default: values wrap, never cut)",
    )  # fmt: skip
    query.add_argument(
        "--unsafe",
        action="store_true",
        help="lift the sandbox: any statements, files outside the warehouse, writes (DuckDB's full power)",
    )
    query.set_defaults(handler=_query)

    show = command(
        "show", "print one article with its removed lines marked in place",
        'berita query "select article_id, title from articles limit 5"', "berita show ARTICLE_ID", config=True,
    )  # fmt: skip
    show.add_argument("article_id")
    show.add_argument("--warehouse", type=Path, default=None, help="warehouse folder (default: warehouse)")
    show.set_defaults(handler=_show)

    report = command(
        "report", "print the path of a run's data-quality report (or --open it)",
        "berita report", "berita report --latest-nonempty --open", "berita report 20261201T200428Z-545538",
        config=True,
    )  # fmt: skip
    report.add_argument("run_id", nargs="?", default=None, metavar="RUN_ID", help="a run's id (default: the latest)")
    report.add_argument("--warehouse", type=Path, default=None, help="warehouse folder (default: warehouse)")
    report.add_argument(
        "--latest-nonempty", action="store_true", help="the latest run that had new inputs (not a no-op run's)"
    )
    report.add_argument("--open", action="store_true", help="open it in the default browser")
    report.set_defaults(handler=_report)

    check = command(
        "check", "verify the tables against each other (ids, the inputs ledger, each partition's run)",
        "berita check", "berita check --warehouse /data/warehouse", config=True,
    )  # fmt: skip
    check.add_argument("--warehouse", type=Path, default=None, help="warehouse folder (default: warehouse)")
    check.set_defaults(handler=_check)

    compact = command(
        "compact", "merge older runs' small files into one partition, atomically",
        "berita compact", "berita compact --keep-last 3 --wait 60", "berita compact --keep-reports 168",
        "berita compact --keep-noop-runs 24",
        config=True,
    )  # fmt: skip
    compact.add_argument("--warehouse", type=Path, default=None, help="warehouse folder (default: warehouse)")
    compact.add_argument(
        "--keep-last", type=_count, default=0, metavar="N", help="leave the newest N runs' partitions as they are"
    )
    compact.add_argument(
        "--keep-reports", type=_count, default=None, metavar="N",
        help="delete the HTML reports and Great Expectations validation results of all but the newest N runs "
        "(their runs rows and data stay; default: keep them all)",
    )  # fmt: skip
    compact.add_argument(
        "--keep-noop-runs", type=_count, default=None, metavar="N",
        help="take the runs that had nothing new out of the runs table, with their reports and validation results, "
        "all but the newest N (a schedule adds one every run; default: keep them all)",
    )  # fmt: skip
    compact.add_argument("--wait", type=_seconds, default=0.0, metavar="SECONDS", help="wait for a running run")
    compact.set_defaults(handler=_compact)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UserError as exc:
        if args.debug:
            raise
        if not getattr(args, "verbose", False):
            # Prefect's event worker may report, at exit, events it could not send for the failed
            # run; the one-line error above is the message, so that report is not shown.
            logging.getLogger("prefect._internal.concurrency").disabled = True
        print(f"berita: error: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", EXIT_USAGE)
    except KeyboardInterrupt as exc:
        from berita import interrupts

        # Prefect's event worker may report, at exit, events it could not send to the stopped server.
        logging.getLogger("prefect._internal.concurrency").disabled = True
        notes = getattr(exc, "__notes__", None)  # the flow says so when the run had committed
        outcome = notes[-1] if notes else "the warehouse is as it was before this run"
        interrupts.report(f"berita: interrupted; {outcome}")
        return interrupts.EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
