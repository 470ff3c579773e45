"""How `berita query` writes a result: a plain-text table, CSV, JSON or JSON Lines (pure; the CLI writes it).

Every format says what a value is and never lies about it: a list stays a list (JSON inside CSV), a timestamp is
ISO 8601, NULL is NULL (an empty CSV field, ``null`` in JSON), and no value is cut short unless the user asked
(``--max-width``, and then with a mark). Text is printed as text: "[/]" is not markup, and a terminal's control
characters in a value are shown escaped, never sent to the terminal.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import io
import json
import math
import textwrap
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

NULL = "NULL"
CUT_MARK = "\u2026"
# C0 and C1 control characters other than the line break, shown as escapes in a table (a value holding
# "\x1b[2J" must not clear the user's terminal).
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c != 0x0A}
_CONTROLS[0x09] = "\\t"
_CONTROLS[0x0D] = "\\r"


def json_value(value: Any) -> Any:
    """A DuckDB value as JSON: timestamps and dates in ISO 8601, decimals and floats as numbers (NaN and the
    infinities as null), bytes in base64, lists, structs and maps nested.

    >>> json_value(dt.datetime(2024, 5, 1, 3, 4, tzinfo=dt.UTC)), json_value(decimal.Decimal("1.50"))
    ('2024-05-01T03:04:00+00:00', 1.5)
    >>> json_value({"a": [1, float("nan")], "b": b"\\x00"})
    {'a': [1, None], 'b': 'AA=='}
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _iso_duration(value)
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)


def _iso_duration(value: dt.timedelta) -> str:
    """An interval as ISO 8601 ("P1DT2H3M4S").

    >>> _iso_duration(dt.timedelta(days=1, hours=2, seconds=4.5))
    'P1DT2H0M4.5S'
    """
    sign = "-" if value < dt.timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    secs = f"{seconds + value.microseconds / 1e6:g}"
    return f"{sign}P{value.days}DT{hours}H{minutes}M{secs}S"


def text_value(value: Any) -> str:
    """A value as one CSV field or table cell: NULL as "", lists and structs as JSON, the rest as JSON writes it.

    >>> text_value(["Novianti Nurulliah"]), text_value(True), text_value(None), text_value(2.0)
    ('["Novianti Nurulliah"]', 'true', '', '2.0')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    plain = json_value(value)
    if isinstance(plain, str):
        return plain
    return json.dumps(plain, ensure_ascii=False)


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """RFC 4180 CSV, a header and a record per row (values holding commas, quotes or line breaks quoted).

    >>> "".join(csv_text(["a", "b"], [(["x", "y"], 'say "hi"\\nnow')]))
    'a,b\\r\\n"[""x"", ""y""]","say ""hi""\\nnow"\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([text_value(v) for v in row])
        yield buffer.getvalue()


def jsonl_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """JSON Lines: one object a row.

    >>> list(jsonl_text(["n"], [(1,), (None,)]))
    ['{"n": 1}\\n', '{"n": null}\\n']
    """
    for row in rows:
        yield json.dumps(dict(zip(columns, map(json_value, row), strict=True)), ensure_ascii=False) + "\n"


def json_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """One JSON array of objects, an object a line (written as the rows come, never all held at once).

    >>> json.loads("".join(json_text(["n"], [(1,), (2,)])))
    [{'n': 1}, {'n': 2}]
    >>> "".join(json_text(["n"], []))
    '[]\\n'
    """
    first = True
    for line in jsonl_text(columns, rows):
        yield ("[\n" if first else ",\n") + line[:-1]
        first = False
    yield "[]\n" if first else "\n]\n"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """A value as a table cell: NULL spelled out, control characters escaped (a line break stays one).

    >>> cell_text(None), cell_text("a\\x1b[2Jb"), cell_text([1, 2])
    ('NULL', 'a\\\\x1b[2Jb', '[1, 2]')
    """
    if value is None:
        return NULL
    return text_value(value).translate(_CONTROLS)


def _fit(text: str, width: int | None, cut: int | None) -> list[str]:
    """A cell's lines: its own line breaks, each line cut at ``cut`` characters with a mark, or wrapped at
    ``width``."""
    out: list[str] = []
    for line in text.split("\n"):
        if cut is not None and len(line) > cut:
            out.append(line[: max(cut - 1, 0)] + CUT_MARK)
        elif width is not None and len(line) > width:
            out.extend(textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False) or [""])
        else:
            out.append(line)
    return out


def table_text(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    more: int = 0,
    width: int | None = None,
    max_width: int | None = None,
) -> str:
    """A plain-text table: a header, a rule, a row a record; numbers right-aligned; a value longer than a column
    may be (``width``, the terminal's share for each column) wraps onto more lines, or is cut with a mark at
    ``max_width``; ``more``: rows left out after these, said at the end.

    >>> print(table_text(["outlet", "n"], [("tempo.co", 12), ("[/]", 3), (None, 100)], more=2))
    outlet      n
    --------  ---
    tempo.co   12
    [/]         3
    NULL      100
    (3 rows shown, 2 more: --max-rows shows more)
    """
    numeric = [
        any(row[i] is not None for row in rows) and all(row[i] is None or is_number(row[i]) for row in rows)
        for i in range(len(columns))
    ]
    cells = [[_fit(cell_text(v), width, max_width) for v in row] for row in rows]
    widths = [len(name) for name in columns]
    for row in cells:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(len(line) for line in lines))
    if width is not None:
        widths = [min(w, max(width, len(name))) for w, name in zip(widths, columns, strict=True)]

    def line(parts: Sequence[str], right: Sequence[bool]) -> str:
        padded = [p.rjust(w) if r else p.ljust(w) for p, w, r in zip(parts, widths, right, strict=True)]
        return "  ".join(padded).rstrip()

    out = [line(columns, numeric), line(["-" * w for w in widths], [False] * len(widths))]
    for row in cells:
        for k in range(max((len(lines) for lines in row), default=1)):
            out.append(line([lines[k] if k < len(lines) else "" for lines in row], numeric))
    shown = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    out.append(f"({shown} shown, {more} more: --max-rows shows more)" if more else f"({shown})")
    if max_width is not None and any(CUT_MARK in ln for row in cells for lines in row for ln in lines):
        out.append(f"(values longer than {max_width} characters are cut, marked {CUT_MARK})")
    return "\n".join(out)
