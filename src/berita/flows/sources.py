"""Finding and reading inputs: text and HTML files, and JSONL or Parquet files of scraper records.

An input is one document: a file, one line of a JSONL file, or one row of a Parquet file. Each
is named by an :class:`InputRef` small enough to pass around in lists; reading it gives a
:class:`RawInput` with the bytes, or the reason they could not be had.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from berita.transforms.article import article_id, content_hasher
from berita.transforms.dates import fetched_time

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
RECORD_SUFFIXES = frozenset({".jsonl", ".parquet"})
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | RECORD_SUFFIXES
RECORD_FIELDS = "url (optional), fetched_at (optional), and text or html"
# JSON may carry lone surrogates ("\ud800"); they become U+FFFD, which text repair drops.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


CHANGED_WHILE_READ = "changed while it was read (rewritten during the run): not cleaned; the next run reads it again"


class InputError(ValueError):
    """The input location cannot be read at all (not a per-document problem)."""


@dataclass(frozen=True)
class InputRef:
    """One input: ``path`` relative to the input root, and for record files the line or row."""

    path: str
    record: int | None = None  # JSONL: byte offset of the line; Parquet: row number

    @property
    def label(self) -> str:
        """How the input is named until its URL is known: its path, printable (a file name that is not UTF-8,
        which Linux allows, shows its odd bytes as ``\\xff``), and its line or row in a record file."""
        path = printable_path(self.path)
        if self.record is None:
            return path
        return f"{path}#{'row' if self.path.lower().endswith('.parquet') else 'byte'}={self.record}"


def shown_name(source_uri: str, source_file: str | None) -> str:
    """How the run's summary and report name an input: its URL, and its file and record when they differ.

    >>> shown_name("https://x.id/a", "scrape.jsonl#byte=0"), shown_name("a.txt", "a.txt")
    ('https://x.id/a (scrape.jsonl#byte=0)', 'a.txt')
    """
    return source_uri if source_file in (None, source_uri) else f"{source_uri} ({source_file})"


def printable_path(path: str) -> str:
    """A path as text that every table and terminal takes: bytes that are not UTF-8 (kept by ``os.fsdecode`` as
    lone surrogates, which cannot be written) become backslash escapes.

    >>> printable_path(os.fsdecode(b"bad\\xff\\xfename.txt")), printable_path("berita/satu.txt")
    ('bad\\\\xff\\\\xfename.txt', 'berita/satu.txt')
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class RawInput:
    ref: InputRef
    source_uri: str
    data: bytes | None
    kind: str  # "text" or "html"
    input_id: str | None  # hash of the input's bytes; None when they could not be read
    url: str | None = None
    error: str | None = None
    fetched_at: datetime | None = None  # a record's fetched_at, when it holds a time


def _files(root: Path) -> Iterator[str]:
    """Every entry that is not a folder: regular files, links, FIFOs, sockets and devices. Each is an input to
    account for; :func:`read_batch` reads only regular files inside the input folder and quarantines the rest
    with the reason, without opening them (reading a FIFO would block; a link may point anywhere)."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield (Path(folder) / name).relative_to(root).as_posix()


def _not_readable(root: Path, path: Path) -> str | None:
    """Why an input path is not read (None: a regular file inside the input folder, or one that vanished)."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if target.exists() and not target.is_relative_to(root.resolve()):
                return "a link to a file outside the input folder: not read"
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None  # vanished (or a dangling link): reading says "cannot read it", and the next run retries
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop
        return f"cannot read it: {getattr(exc, 'strerror', None) or exc}"
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else None
        return f"not a regular file ({kind or 'a socket or other special file'}): not read"
    return None


def _jsonl_offsets(path: Path) -> Iterator[int]:
    offset = 0
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                yield offset
            offset += len(line)


def _check_root(root: Path) -> None:
    if not root.exists():
        raise InputError(f"input {root} does not exist")
    if not (root.is_dir() or root.is_file()):
        raise InputError(f"input {root} is neither a folder nor a regular file")


def folder_of(root: Path) -> Path:
    """The folder inputs are named relative to: the input folder, or the folder of an input that is one file."""
    return root if root.is_dir() or not root.is_file() else root.parent


def iter_inputs(root: Path) -> Iterator[InputRef]:
    """Every input under ``root`` (a folder, or one file) in a stable order, one at a time (a run streams
    them: a list of a million inputs would cost 0.2 GB). Hidden files and folders are skipped, and symbolic
    links to folders are not followed (so a link loop cannot trap the walk). An input that is one file is
    named by its file name, as it would be in its folder."""
    _check_root(root)
    base = folder_of(root)
    for relative in [root.name] if root.is_file() else _files(root):
        suffix = Path(relative).suffix.lower()
        if suffix in RECORD_SUFFIXES and _not_readable(base, base / relative) is None:
            refs: list[InputRef] = []
            try:
                if suffix == ".jsonl":
                    refs = [InputRef(relative, offset) for offset in _jsonl_offsets(base / relative)]
                else:
                    parquet = pq.ParquetFile(base / relative)
                    if {"text", "html"} & set(parquet.schema_arrow.names):
                        refs = [InputRef(relative, row) for row in range(parquet.metadata.num_rows)]
            except (OSError, ValueError, pa.ArrowException):
                pass  # unreadable record file: one input, which read() quarantines with the reason
            if refs:
                yield from refs
                continue
        yield InputRef(relative)  # a file; or a record file with no record, which read() quarantines


def discover(root: Path) -> list[InputRef]:
    """Every input under ``root`` as a list (for small folders and tests; runs use iter_inputs)."""
    return list(iter_inputs(root))


def count_inputs(root: Path) -> int:
    """How many inputs iter_inputs will give (for progress), without holding them."""
    return sum(1 for _ in iter_inputs(root))


def _bounded_id(path: Path, max_bytes: int) -> str:
    """The id of a refused file: its content's hash, or for a file over ``max_bytes`` (a 20 GB file is refused
    from its size, not read) a hash of its path, size and modification time."""
    info = path.stat()
    if info.st_size <= max_bytes:
        return _file_id(path)
    return article_id(b"oversized:%s:%d:%d" % (os.fsencode(str(path)), info.st_size, info.st_mtime_ns))


def _file_id(path: Path) -> str:
    hasher = content_hasher()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def _read_steady(path: Path) -> bytes | None:
    """A file's bytes, or None when it was being written while read (its size or modification time moved, or
    the bytes read are not its size): a scraper rewriting a file must not give a mix of two versions."""
    with path.open("rb") as f:
        before = os.fstat(f.fileno())
        data = f.read()
        after = os.fstat(f.fileno())
    steady = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns) and len(data) == after.st_size
    return data if steady else None


def _record_fields(record: Any, where: str) -> tuple[bytes, str, str | None]:
    """A record's page (its bytes and kind: text or html) and its URL; ValueError says what is wrong with it."""
    if not isinstance(record, dict):
        raise ValueError(f"{where} is not an object with {RECORD_FIELDS}")
    url = record.get("url")
    if url is not None and not isinstance(url, str):
        raise ValueError(f"{where}: url must be a string")
    for kind in ("html", "text"):
        value = record.get(kind)
        if value is not None:
            if not isinstance(value, str):
                raise ValueError(f"{where}: {kind} must be a string, not {type(value).__name__}")
            return _LONE_SURROGATE.sub("\ufffd", value).encode("utf-8"), kind, url
    raise ValueError(f"{where} has neither text nor html (expected {RECORD_FIELDS})")


class _ParquetCache:
    """Reads Parquet inputs a row group at a time, keeping the last one (batches are contiguous)."""

    def __init__(self) -> None:
        self.key: tuple[str, int] | None = None
        self.rows: list[dict[str, Any]] = []

    def row(self, path: Path, row: int) -> dict[str, Any]:
        meta = pq.ParquetFile(path)
        start = 0
        for group in range(meta.num_row_groups):
            size = meta.metadata.row_group(group).num_rows
            if row < start + size:
                if self.key != (str(path), group):
                    self.key, self.rows = (str(path), group), meta.read_row_group(group).to_pylist()
                return self.rows[row - start]
            start += size
        raise ValueError(f"row {row} is past the end of the file")


def _has_no_records(path: Path, suffix: str) -> bool:
    """A record file that reads but holds no record: only blank lines, or a Parquet file of zero rows."""
    try:
        if suffix == ".jsonl":
            return next(_jsonl_offsets(path), None) is None
        parquet = pq.ParquetFile(path)
        return parquet.metadata.num_rows == 0 and bool({"text", "html"} & set(parquet.schema_arrow.names))
    except (OSError, ValueError, pa.ArrowException):
        return False


def read_batch(root: Path, refs: list[InputRef], max_bytes: int) -> Iterator[RawInput]:
    """Read each input of a batch; what cannot be read comes back with an ``error``."""
    cache = _ParquetCache()
    for ref in refs:
        try:
            yield _read_one(root, ref, max_bytes, cache)
        except OSError as exc:
            yield RawInput(ref, ref.label, None, "text", None, error=f"cannot read it: {exc.strerror or exc}")


def _read_one(root: Path, ref: InputRef, max_bytes: int, cache: _ParquetCache) -> RawInput:
    root = folder_of(root)
    path = root / ref.path
    suffix = path.suffix.lower()

    def refused(reason: str, input_id: str | None = None, record: Any = None) -> RawInput:
        url = record.get("url") if isinstance(record, dict) else None
        name = url if isinstance(url, str) and url else ref.label
        return RawInput(ref, name, None, "text", input_id or _bounded_id(path, max_bytes), error=reason)

    special = _not_readable(root, path)
    if special is not None:  # never opened: named by its path alone
        return refused(special, article_id(b"special:" + os.fsencode(ref.path)))
    if suffix not in SUPPORTED:
        return refused(f"unsupported file type {suffix or '(none)'}; berita reads {', '.join(sorted(SUPPORTED))}")
    if ref.record is None and suffix in RECORD_SUFFIXES:
        if _has_no_records(path, suffix):
            return refused(f"a {suffix[1:].upper()} file with no records in it")
        return refused(f"not a readable {suffix[1:].upper()} file of records with {RECORD_FIELDS}")
    if ref.record is None:
        size = path.stat().st_size
        if size > max_bytes:  # refused from its size: never read, not even to hash it (see _bounded_id)
            return refused(f"input is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = _read_steady(path)
        if data is None:
            return RawInput(ref, ref.label, None, "text", None, error=CHANGED_WHILE_READ)
        return RawInput(ref, ref.label, data, "html" if suffix in HTML_SUFFIXES else "text", article_id(data))
    if suffix == ".jsonl":
        with path.open("rb") as f:
            f.seek(ref.record)
            line = f.readline(max_bytes + 1)
        if len(line) > max_bytes:
            return refused(f"record is over the {max_bytes:,}-byte limit", article_id(line))
        where = f"line at byte {ref.record}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            return refused(f"{where} is not valid JSON ({exc})", article_id(line))
        except RecursionError:
            return refused(f"{where} is JSON nested too deeply to read", article_id(line))
        try:
            data, kind, url = _record_fields(record, where)
        except ValueError as exc:
            return refused(str(exc), article_id(line), record)
        fields: dict[str, Any] = record
    else:
        try:
            row = cache.row(path, ref.record)
        except (ValueError, OSError, pa.ArrowException) as exc:
            return refused(f"cannot read row {ref.record}: {exc}")
        try:
            data, kind, url = _record_fields(row, f"row {ref.record}")
        except ValueError as exc:
            return refused(str(exc), article_id(json.dumps(row, sort_keys=True, default=str).encode()), row)
        fields = row
    fetched = fetched_time(fields.get("fetched_at"))
    return RawInput(ref, url or ref.label, data, kind, article_id(data), url=url, fetched_at=fetched)
