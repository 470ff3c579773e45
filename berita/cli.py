"""The `berita` command line: run the clean-news flow and report what it did."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from berita.settings import Settings


class UserError(Exception):
    """An expected failure with a message a person can act on (no traceback unless --debug)."""


def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env(
        input_dir=args.input, warehouse_dir=args.warehouse, batch_size=args.batch_size,
        prefect_home=args.prefect_home, verbose=args.verbose, server_startup_timeout=args.server_timeout,
    )  # fmt: skip
    from berita.flows import runtime, warehouse

    if not settings.input_dir.is_dir():
        raise UserError(f"input folder {settings.input_dir} does not exist or is not a folder (pass --input DIR)")
    started = time.perf_counter()
    import os

    runtime.configure_prefect(settings)
    server = None if os.environ.get("PREFECT_API_URL") else runtime.LocalPrefectServer(settings.server_startup_timeout)
    try:
        if server is not None:
            server.__enter__()
        # Imported while the server boots: prefect, pyarrow and the transforms.
        from berita.flows import progress
        from berita.flows.clean_news import clean_news

        if server is not None:
            server.wait_ready()
        with _progress_bar() as update, progress.listening(update):
            result = clean_news(
                input_dir=str(settings.input_dir), warehouse_dir=str(settings.warehouse_dir),
                batch_size=settings.batch_size, detect_language=settings.detect_language,
            )  # fmt: skip
    except (warehouse.InputError, runtime.PrefectServerError) as exc:
        raise UserError(str(exc)) from exc
    finally:
        if server is not None:
            server.__exit__(None, None, None)
    _print_summary(result, settings.warehouse_dir, time.perf_counter() - started)
    return 0


class _progress_bar:
    """A rich progress bar on stderr that the flow advances through berita.flows.progress."""

    def __enter__(self) -> Any:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("cleaning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
        )
        self.bar.start()
        self.task = self.bar.add_task("clean", total=None)

        def update(done: int, total: int) -> None:
            self.bar.update(self.task, completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def _print_summary(result: dict[str, Any], warehouse_dir: Path, seconds: float) -> None:
    stats = result["stats"]
    print(f"run {result['run_id']} finished in {seconds:.1f} s")
    print(f"  inputs read         {stats.inputs}")
    print(f"  articles written    {stats.articles}")
    print(f"  inputs quarantined  {stats.quarantined}")
    removed = stats.removed_by_category
    print(f"  lines removed       {sum(removed.values())}")
    for category, count in removed.most_common():
        print(f"    {category:<17} {count}")
    for source, stage, reason in stats.quarantine_reasons[:10]:
        print(f"  quarantined: {source} ({stage}): {reason}")
    if len(stats.quarantine_reasons) > 10:
        print(f"  ... and {len(stats.quarantine_reasons) - 10} more in the quarantine table")
    print(f"  tables in {warehouse_dir}/: {', '.join(result['tables'])}")


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from berita.evaluate import evaluate

    if not args.gold.is_file():
        raise UserError(f"golden file {args.gold} does not exist (see tests/golden/seeds.json for the format)")
    report = evaluate(args.gold).as_dict()
    failures = report.pop("failures")
    print(json.dumps(report, indent=2))
    for failure in failures[: args.show]:
        print(f"  {failure}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="berita", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks for expected errors")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="clean the input folder into the warehouse (the clean-news flow)")
    run.add_argument("--input", type=Path, default=None, help="folder of raw documents (default: seeds)")
    run.add_argument("--warehouse", type=Path, default=None, help="output folder of tables (default: warehouse)")
    run.add_argument("--batch-size", type=int, default=None, help="documents per Prefect task (default: 500)")
    run.add_argument(
        "--prefect-home",
        type=Path,
        default=None,
        help="Prefect state folder (default: $PREFECT_HOME, else ~/.local/state/berita/prefect)",
    )
    run.add_argument(
        "--server-timeout", type=int, default=None, help="seconds to wait for the local Prefect server (default: 120)"
    )
    run.add_argument("-v", "--verbose", action="store_true", default=None, help="show Prefect's logs")
    run.set_defaults(handler=_run)
    evaluate = commands.add_parser("evaluate", help="score body precision/recall and metadata on a golden file")
    evaluate.add_argument("gold", type=Path, help="golden JSON file, e.g. tests/golden/seeds.json")
    evaluate.add_argument("--show", type=int, default=20, help="how many mismatches to list (default: 20)")
    evaluate.set_defaults(handler=_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (UserError, ValueError) as exc:
        if args.debug:
            raise
        print(f"berita: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("berita: interrupted; the warehouse is as it was before this run", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
