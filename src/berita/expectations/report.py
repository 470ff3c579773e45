"""The run report a person reads first: one self-contained HTML file (inline CSS, inline SVG
charts, no scripts, no external requests). Everything that came from an input is escaped."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

CSS = " ".join(
    [
        "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1b1f24;padding:0 1rem}",
        "h1{font-size:1.5rem;margin-bottom:.2rem}",
        "h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}",
        ".muted{color:#57606a}.ok{color:#1a7f37}.bad{color:#cf222e}.warn{color:#9a6700}.status{font-weight:600}",
        ".cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}",
        ".card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .9rem;min-width:8rem}",
        ".card b{display:block;font-size:1.4rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}",
        "th,td{border-bottom:1px solid #eaeef2;padding:.3rem .5rem;text-align:left;vertical-align:top}",
        "th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}",
        ".charts{display:flex;flex-wrap:wrap;gap:2rem}figure{margin:0}",
        "figcaption{font-weight:600;margin-bottom:.3rem}code{background:#f6f8fa;padding:0 .25rem;border-radius:3px}",
        "th.n{text-align:right}.problems{border-left:4px solid #cf222e;padding:.2rem .9rem;margin:1rem 0}",
        ".problems.warned{border-color:#bf8700}.noop{border-left:4px solid #8c959f;padding:.4rem .9rem;margin:1rem 0}",
        "details summary{cursor:pointer;margin:.5rem 0}.trends{display:flex;flex-wrap:wrap;gap:1.5rem}",
    ]
)
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass
class ReportData:
    """Everything the report shows; built by the flow from the run's counts and validation."""

    run_id: str
    mode: str
    status: str
    started: str
    finished: str
    message: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # distribution checks past their limit, one line each
    removed_by_rule: dict[str, int] = field(default_factory=dict)
    removed_by_category: dict[str, int] = field(default_factory=dict)
    outlets: dict[str, list[int]] = field(default_factory=dict)
    quarantined: list[tuple[str, str, str]] = field(default_factory=list)  # the first ones, with reasons
    quarantined_total: int | None = None  # all of them (None: as many as listed)
    data_docs: str | None = None
    # The runs before this one and this one, oldest first: what the trend charts draw (see RunPoint).
    history: list[RunPoint] = field(default_factory=list)


@dataclass(frozen=True)
class RunPoint:
    """One run's figures in the trend charts."""

    run_id: str
    status: str
    articles: int
    quarantined: int
    removed_by_category: dict[str, int]
    flagged_share: float | None  # share of the run's articles with a flag; None: no article
    checks_failed: int  # checks that warned or failed


def line_chart(title: str, points: list[tuple[str, float]], share: bool = False) -> str:
    """A small line chart as inline SVG: one point a run, oldest on the left, each point's run and value in its
    tooltip; ``share``: values between 0 and 1, shown as percentages.

    >>> svg = line_chart("Articles", [("r1", 3), ("r2", 5)])
    >>> svg.count("<circle"), "<title>r2: 5</title>" in svg
    (2, True)
    """
    w, h, left, top, bottom = 300, 110, 44, 8, 18
    top_value = max((v for _, v in points), default=0) or 1
    if share:
        top_value = max(top_value, 0.05)

    def shown(v: float) -> str:
        return f"{v:.0%}" if share else f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"

    step = (w - left - 6) / max(len(points) - 1, 1)
    xy = [(left + i * step, top + (h - top - bottom) * (1 - v / top_value)) for i, (_, v) in enumerate(points)]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="{escape(title)}">',
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - 4}" y2="{h - bottom}" stroke="#d0d7de"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" font-size="11">{shown(top_value)}</text>',
        f'<text x="{left - 4}" y="{h - bottom}" text-anchor="end" font-size="11">0</text>',
        '<polyline fill="none" stroke="#0969da" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy) + '"/>',
    ]  # fmt: skip
    for (run, value), (x, y) in zip(points, xy, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#0969da"><title>{escape(run)}: {shown(value)}'
                     "</title></circle>")  # fmt: skip
    if points:
        first, last = escape(_when(points[0][0])), escape(_when(points[-1][0]))
        parts.append(f'<text x="{left}" y="{h - 4}" font-size="10">{first}</text>')
        parts.append(f'<text x="{w - 4}" y="{h - 4}" text-anchor="end" font-size="10">{last}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(parts)}</figure>"


def _when(run_id: str) -> str:
    """When a run started, from its id ("20261201T202152Z-f2c66a" -> "2026-12-01 20:21"), else the id.

    >>> _when("20261201T202152Z-f2c66a"), _when("custom")
    ('2026-12-01 20:21', 'custom')
    """
    if len(run_id) >= 15 and run_id[8] == "T" and run_id[:8].isdigit() and run_id[9:13].isdigit():
        return f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]} {run_id[9:11]}:{run_id[11:13]}"
    return run_id


def trend_charts(history: list[RunPoint]) -> str:
    """Small multiples across runs: articles, quarantined, lines removed by category, flagged share and checks
    that warned or failed; a scheduled pipeline's drift shows at a glance.

    >>> p = RunPoint("r1", "succeeded", 3, 0, {"related": 4}, 0.5, 0)
    >>> trend_charts([p]).startswith("<p class=muted>")
    True
    >>> trend_charts([p, p]).count("<svg")
    5
    """
    if len(history) < 2:
        return "<p class=muted>The trends across runs appear from the second run on.</p>"
    categories: dict[str, int] = {}
    for point in history:
        for category, n in point.removed_by_category.items():
            categories[category] = categories.get(category, 0) + n
    top = sorted(categories, key=lambda c: (-categories[c], c))[:3]
    removed = [(p.run_id, float(sum(p.removed_by_category.values()))) for p in history]
    charts = [
        line_chart("Articles written", [(p.run_id, float(p.articles)) for p in history]),
        line_chart("Inputs quarantined", [(p.run_id, float(p.quarantined)) for p in history]),
        line_chart(f"Lines removed (top: {', '.join(top) or 'none'})", removed),
        line_chart(
            "Flagged share of articles",
            [(p.run_id, p.flagged_share) for p in history if p.flagged_share is not None],
            share=True,
        ),
        line_chart("Checks that warned or failed", [(p.run_id, float(p.checks_failed)) for p in history]),
    ]
    rows = [
        [p.run_id, p.status, p.articles, p.quarantined, sum(p.removed_by_category.values()),
         "" if p.flagged_share is None else f"{p.flagged_share:.1%}", p.checks_failed]
        for p in reversed(history)
    ]  # fmt: skip
    head = (
        "<tr><th>run</th><th>status</th><th class=n>articles</th><th class=n>quarantined</th>"
        "<th class=n>lines removed</th><th class=n>flagged</th><th class=n>checks warned or failed</th></tr>"
    )
    table = f"<details><summary>The runs, newest first</summary><table>{head}{_rows(rows, {2, 3, 4, 5, 6})}</table>"
    return f"<div class=trends>{''.join(charts)}</div>{table}</details>"


def bar_chart(title: str, values: dict[str, float], unit: str = "") -> str:
    """A horizontal bar chart as inline SVG.

    >>> "<svg" in bar_chart("x", {"a": 1, "<b>": 2}) and "&lt;b&gt;" in bar_chart("x", {"<b>": 2})
    True
    """
    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
    if not items:
        return f"<figure><figcaption>{escape(title)}</figcaption><p class=muted>nothing to show</p></figure>"
    top = max(v for _, v in items) or 1
    row, label_w, bar_w = 22, 170, 260
    size = f'width="{label_w + bar_w + 70}" height="{row * len(items) + 6}"'
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" {size} role="img" aria-label="{escape(title)}">']
    for i, (label, value) in enumerate(items):
        y = i * row + 3
        width = max(1, round(bar_w * value / top))
        text = escape(label if len(label) <= 26 else label[:25] + "\u2026")
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">{text}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{width}" height="{row - 6}" fill="#0969da"/>')
        shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        parts.append(f'<text x="{label_w + width + 5}" y="{y + 14}" font-size="12">{shown}{escape(unit)}</text>')
    parts.append("</svg>")
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(parts)}</figure>"


def _rows(rows: list[list[Any]], numeric: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    out = []
    for row in rows:
        cells = "".join(f"<td{' class=n' if i in numeric else ''}>{escape(str(v))}</td>" for i, v in enumerate(row))
        out.append(f"<tr>{cells}</tr>")
    return "".join(out)


def verdict(check: dict[str, Any]) -> str:
    """pass, warn (a distribution check past its limit) or fail.

    >>> verdict({"level": "warn", "failed": 1}), verdict({"level": "batch", "failed": 0})
    ('warn', 'pass')
    """
    if not check["failed"]:
        return "pass"
    return "warn" if check["level"] == "warn" else "fail"


_CHECKS_HEAD = (
    "<tr><th>check</th><th>level</th><th>expectation</th><th>result</th><th class=n>unexpected rows</th></tr>"
)


def _checks_table(checks: dict[str, dict[str, Any]]) -> str:
    """The checks that warned or failed, shown; the ones that passed, folded under one line."""
    order = {"fail": 0, "warn": 1, "pass": 2}
    shown_rows: list[list[Any]] = []
    passed_rows: list[list[Any]] = []
    for name, c in sorted(checks.items(), key=lambda kv: (order[verdict(kv[1])], kv[0])):
        result = {"pass": "pass", "warn": "WARN", "fail": f"FAIL in {c['failed']} of {c['batches']}"}[verdict(c)]
        (passed_rows if result == "pass" else shown_rows).append([name, c["level"], c["expectation"], result,
                                                                   c["unexpected"]])  # fmt: skip
    out = [f"<table>{_CHECKS_HEAD}{_rows(shown_rows, {4})}</table>"] if shown_rows else []
    if passed_rows:
        out.append(f"<details><summary>{len(passed_rows)} checks passed</summary>"
                   f"<table>{_CHECKS_HEAD}{_rows(passed_rows, {4})}</table></details>")  # fmt: skip
    return "".join(out)


def render_report(data: ReportData) -> str:
    """The whole report as one HTML string."""
    failed = sum(1 for c in data.checks.values() if verdict(c) == "fail")
    warned = sum(1 for c in data.checks.values() if verdict(c) == "warn")
    status_class = "ok" if data.status == "succeeded" else "bad"
    cards = "".join(f"<div class=card><b>{v:,}</b>{escape(k)}</div>" for k, v in data.counts.items())
    outlet_rows = [
        [outlet, n, round(words / n) if n else 0, flagged]
        for outlet, (n, words, flagged) in sorted(data.outlets.items(), key=lambda kv: -kv[1][0])
    ]
    mean_words = {o: words / n for o, (n, words, _) in data.outlets.items() if n}
    quarantined = data.quarantined[:200]
    total = len(data.quarantined) if data.quarantined_total is None else data.quarantined_total
    more = total - len(quarantined)
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>berita run {escape(data.run_id)}</title><style>{CSS}</style></head><body>",
        f"<h1>berita run <code>{escape(data.run_id)}</code></h1>",
        f'<p><span class="status {status_class}">{escape(data.status)}</span> \u00b7 {escape(data.mode)} \u00b7 '
        f"{escape(data.started)} \u2192 {escape(data.finished)}</p>",
    ]
    if data.message:
        parts.append(f'<p class="bad">{escape(data.message)}</p>')
    failing = [name for name, c in sorted(data.checks.items()) if verdict(c) == "fail"]
    if failing:
        items = "".join(f"<li>failed: <code>{escape(n)}</code></li>" for n in failing)
        parts.append(f'<div class="problems bad"><p>{len(failing)} check(s) failed.</p><ul>{items}</ul></div>')
    if data.warnings:
        items = "".join(f"<li>warned: <code>{escape(w)}</code></li>" for w in data.warnings)
        parts.append(
            f'<div class="problems warned warn"><p>The run published with {len(data.warnings)} warning(s): checks of '
            "its distribution past their limits. Raise a limit with the flag named, or pass <code>--strict</code> "
            f"to make warnings fail the run.</p><ul>{items}</ul></div>"
        )
    idle = data.counts.get("new inputs") == 0
    if idle:
        seen = data.counts.get("inputs seen", 0)
        parts.append(
            f"<p class=noop>Nothing to do: no new inputs (all {seen:,} were processed by earlier runs), so no row "
            "was cleaned or checked.</p>"
        )
    parts += [
        f"<div class=cards>{cards}</div>",
        f"<h2>Across the last {len(data.history)} runs</h2>" if len(data.history) > 1 else "<h2>Across runs</h2>",
        trend_charts(data.history),
    ]
    if not idle:
        parts += [
            "<h2>This run</h2><div class=charts>",
            bar_chart("Lines removed by category", {k: float(v) for k, v in data.removed_by_category.items()}),
            bar_chart("Articles by outlet", {k: float(v[0]) for k, v in data.outlets.items()}),
            bar_chart("Mean body length by outlet", mean_words, " words"),
            "</div>",
        ]
    if idle and not failed and not warned:
        parts.append("<h2>Expectations</h2><p class=muted>None ran: the run had no rows to check.</p>")
    else:
        parts += [
            f"<h2>Expectations: {len(data.checks) - failed - warned} passed, {warned} warned, {failed} failed</h2>",
            _checks_table(data.checks),
        ]
    if idle:
        parts.append("</body></html>")
        return "\n".join(parts)
    parts += [
        "<h2>Top boilerplate rules</h2><table><tr><th>rule</th><th class=n>lines removed</th></tr>",
        _rows([[r, n] for r, n in sorted(data.removed_by_rule.items(), key=lambda kv: -kv[1])[:20]], {1}),
        "</table><h2>Outlets</h2><table><tr><th>outlet</th><th class=n>articles</th><th class=n>mean words</th>"
        "<th class=n>flagged</th></tr>",
        _rows(outlet_rows, {1, 2, 3}),
        f"</table><h2>Quarantined inputs ({total:,})</h2>",
        "<table><tr><th>input</th><th>stage</th><th>reason</th></tr>",
        _rows([list(q) for q in quarantined]),
        "</table>",
    ]
    if more > 0:
        parts.append(f"<p class=muted>{more} more in the quarantine table.</p>")
    if data.data_docs:
        docs = escape(data.data_docs)
        parts.append(f"<p class=muted>Great Expectations Data Docs: <code>{docs}</code> (they need the internet)</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def render_markdown(data: ReportData) -> str:
    """A short markdown summary, for the Prefect UI."""
    failed = [n for n, c in data.checks.items() if verdict(c) == "fail"]
    warned = [n for n, c in data.checks.items() if verdict(c) == "warn"]
    lines = [f"## berita run `{data.run_id}`: {data.status}", ""]
    lines += [f"- **{k}**: {v:,}" for k, v in data.counts.items()]
    passed = len(data.checks) - len(failed) - len(warned)
    lines += ["", f"Expectations: {passed} passed, {len(warned)} warned, {len(failed)} failed."]
    lines += [f"- failed: `{n}`" for n in failed]
    lines += [f"- warned: `{w}`" for w in data.warnings]
    if data.message:
        lines += ["", data.message]
    return "\n".join(lines)
