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


def _checks_table(checks: dict[str, dict[str, Any]]) -> str:
    rows = []
    order = {"fail": 0, "warn": 1, "pass": 2}
    for name, c in sorted(checks.items(), key=lambda kv: (order[verdict(kv[1])], kv[0])):
        shown = {"pass": "pass", "warn": "WARN", "fail": f"FAIL in {c['failed']} of {c['batches']}"}[verdict(c)]
        rows.append([name, c["level"], c["expectation"], shown, c["unexpected"]])
    head = "<tr><th>check</th><th>level</th><th>expectation</th><th>result</th><th>unexpected rows</th></tr>"
    return f"<table>{head}{_rows(rows, {4})}</table>"


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
    if data.warnings:
        items = "".join(f"<li>warned: <code>{escape(w)}</code></li>" for w in data.warnings)
        parts.append(
            f'<div class="warn"><p>The run published with {len(data.warnings)} warning(s): checks of its '
            "distribution past their limits. Raise a limit with the flag named, or pass <code>--strict</code> "
            f"to make warnings fail the run.</p><ul>{items}</ul></div>"
        )
    parts += [
        f"<div class=cards>{cards}</div>",
        "<h2>Charts</h2><div class=charts>",
        bar_chart("Lines removed by category", {k: float(v) for k, v in data.removed_by_category.items()}),
        bar_chart("Articles by outlet", {k: float(v[0]) for k, v in data.outlets.items()}),
        bar_chart("Mean body length by outlet", mean_words, " words"),
        "</div>",
        f"<h2>Expectations: {len(data.checks) - failed - warned} passed, {warned} warned, {failed} failed</h2>",
        _checks_table(data.checks),
        "<h2>Top boilerplate rules</h2><table><tr><th>rule</th><th>lines removed</th></tr>",
        _rows([[r, n] for r, n in sorted(data.removed_by_rule.items(), key=lambda kv: -kv[1])[:20]], {1}),
        "</table><h2>Outlets</h2><table><tr><th>outlet</th><th>articles</th><th>mean words</th><th>flagged</th></tr>",
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
