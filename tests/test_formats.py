"""`berita query`'s output formats: plain text that is never markup, never cut short unless asked, and CSV,
JSON and JSON Lines that say what each value is."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
from pathlib import Path

import pytest

from berita import formats
from berita.cli import main

HOSTILE = {
    "markup": "[/] [bold red]not bold[/bold red] [link=http://x]y[/link]",
    "newlines": "first line\nsecond line\r\nthird",
    "long": "kata " * 400,
    "terminal": "a\x1b[2J\x1b]0;title\x07b\x9bc",
    "quotes": "he said \"ya\", then, 'no'",
    "empty": "",
}
ROW = (
    HOSTILE["markup"], HOSTILE["newlines"], HOSTILE["long"], HOSTILE["terminal"], HOSTILE["quotes"], HOSTILE["empty"],
    None, ["Novianti Nurulliah", "Budi"], {"a": [1, None], "b": "x"},
    dt.datetime(2024, 5, 1, 3, 4, 5, tzinfo=dt.UTC), dt.date(2024, 5, 1), decimal.Decimal("12.50"), float("nan"), 7,
    True, b"\x00\xff",
)  # fmt: skip
COLUMNS = [*HOSTILE, "null", "authors", "struct", "ts", "day", "dec", "nan", "n", "flag", "raw"]


def test_csv_is_rfc_4180_with_lists_as_json_and_iso_timestamps() -> None:
    text = "".join(formats.csv_text(COLUMNS, [ROW]))
    header, record = list(csv.reader(io.StringIO(text, newline="")))
    assert header == COLUMNS
    got = dict(zip(header, record, strict=True))
    for name, value in HOSTILE.items():
        assert got[name] == value  # whole, quoted where it must be, line breaks and all
    assert json.loads(got["authors"]) == ["Novianti Nurulliah", "Budi"]
    assert json.loads(got["struct"]) == {"a": [1, None], "b": "x"}
    assert got["ts"] == "2024-05-01T03:04:05+00:00" and got["day"] == "2024-05-01"
    assert (got["null"], got["dec"], got["nan"], got["flag"], got["raw"]) == ("", "12.5", "null", "true", "AP8=")


@pytest.mark.parametrize("writer", [formats.json_text, formats.jsonl_text])
def test_json_and_json_lines_say_what_each_value_is(writer: object) -> None:
    text = "".join(writer(COLUMNS, [ROW, ROW]))  # type: ignore[operator]
    rows = json.loads(text) if writer is formats.json_text else [json.loads(line) for line in text.splitlines()]
    assert len(rows) == 2
    row = rows[0]
    assert {name: row[name] for name in HOSTILE} == HOSTILE
    assert row["null"] is None and row["nan"] is None and row["n"] == 7 and row["flag"] is True
    assert row["authors"] == ["Novianti Nurulliah", "Budi"] and row["struct"] == {"a": [1, None], "b": "x"}
    assert dt.datetime.fromisoformat(row["ts"]) == ROW[9] and row["dec"] == 12.5


def test_json_of_no_rows_is_an_empty_array() -> None:
    assert json.loads("".join(formats.json_text(["a"], []))) == []


def test_the_table_is_plain_text_whole_values_and_escaped_controls() -> None:
    table = formats.table_text(COLUMNS, [ROW], width=None)
    assert HOSTILE["markup"] in table  # printed as it is: no markup is interpreted
    assert HOSTILE["long"].rstrip() in table  # never cut without --max-width
    assert "\x1b" not in table and "\x9b" not in table and "\\x1b[2J" in table
    assert "second line" in table and "NULL" in table and "(1 row)" in table


def test_the_table_wraps_long_values_and_cuts_only_when_asked() -> None:
    wrapped = formats.table_text(["t"], [("kata " * 40,)], width=20)
    assert max(len(line) for line in wrapped.splitlines()[:-1]) <= 20
    assert "".join(wrapped.split()).count("kata") == 40  # every word is still there
    cut = formats.table_text(["t"], [("kata " * 40,)], max_width=20)
    assert "kata kata kata kata\u2026" in cut and "cut, marked" in cut


def test_numbers_are_right_aligned_and_left_out_rows_are_counted() -> None:
    table = formats.table_text(["name", "n"], [("a", 5), ("b", 12345), ("c", None)], more=7).splitlines()
    assert table[2].endswith("    5") and table[3].endswith("12345") and table[4].endswith(" NULL")
    assert table[-1] == "(3 rows shown, 7 more: --max-rows shows more)"


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_query_prints_hostile_values_in_every_format(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql = "select '[/]' as markup, 'a' || chr(10) || 'b' as nl, repeat('x', 5000) as long, ['A', 'B'] as l, 42 as n"
    assert main(["query", sql, "--warehouse", str(tmp_path), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "[/]" in out and "x" * 5000 in out
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(out, newline="")))[1] == ["[/]", "a\nb", "x" * 5000, '["A", "B"]', "42"]
    elif fmt == "json":
        assert json.loads(out) == [{"markup": "[/]", "nl": "a\nb", "long": "x" * 5000, "l": ["A", "B"], "n": 42}]
    elif fmt == "jsonl":
        assert json.loads(out)["l"] == ["A", "B"]


def test_query_says_how_many_rows_it_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "select range from range(250)", "--warehouse", str(tmp_path), "--max-rows", "3"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "(3 rows shown, 247 more: --max-rows shows more)"


def test_query_errors_keep_duckdbs_hints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "select nope from (select 1 as note)", "--warehouse", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("berita: error: Binder Error") and 'Candidate bindings: "note"' in err


@pytest.mark.parametrize("flag", ["--max-rows", "--max-width"])
def test_query_refuses_a_count_below_one(flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["query", "select 1", "--warehouse", str(tmp_path), flag, "0"])
    assert stop.value.code == 2 and "must be at least 1" in capsys.readouterr().err
