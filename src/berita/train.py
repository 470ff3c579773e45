"""Train the line model from line-labelled pages, reproducibly, and score it leave-one-outlet-out.

Training data: real pages in the gold.jsonl format (each HTML page's visible text is also read as the text page a
scraper would save) and berita's own labelled corpus sources. Every line is featurised exactly as the cleaner does
it: repaired, then given what the rule table and the parser made of it. The fit is scikit-learn's logistic
regression (lbfgs, deterministic); the weights file is JSON with rounded figures, so the same pages give the same
bytes.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from berita.labelled import BODY_LABELS, LabelledPage, PageScore, by_outlet, score_page
from berita.transforms.article import CleanOptions, clean_document, read_html
from berita.transforms.decode import decode_bytes
from berita.transforms.judge import line_rows
from berita.transforms.linefeatures import HTML_NAMES, HTML_STACKED_NAMES, NAMES, STACKED_NAMES, stacked_features
from berita.transforms.linemodel import MODEL_FORMAT, Linear, LineModels, read_model
from berita.transforms.records import Article
from berita.transforms.repair import repair_text
from berita.transforms.strip import strip_boilerplate

# Fine labels of real pages, as the reason model's classes; corpus "other" lines say no kind and train no reason.
REASON_OF = {
    "related": "related",
    "boilerplate": "boilerplate",
    "caption": "caption",
    "meta": "header",
    "title": "header",
    "lede": "header",
}
DEFAULT_THRESHOLD = 0.5
REGULARISATION = 1.0  # scikit-learn's C; chosen by leave-one-outlet-out (docs/quality.md)
_DIGITS = 6


@dataclass(frozen=True)
class LineRows:
    """A page's non-empty lines as feature rows (a matrix), with their labels."""

    outlet: str
    rows: np.ndarray
    labels: list[str]


def page_rows(page: LabelledPage) -> LineRows:
    """Features of a text page's lines as the cleaner computes them (repair, then the rule table)."""
    lines = repair_text("\n".join(page.lines)).lines
    if len(lines) != len(page.labels):  # a repair that split or joined lines: label by position no more
        raise ValueError(f"{page.name}: repair changed the line count ({len(page.labels)} -> {len(lines)})")
    numbers, rows = line_rows(lines, strip_boilerplate(lines).removed)
    return LineRows(outlet_key(page.outlet), rows, [page.labels[i] for i in numbers])


def html_page_rows(page: LabelledPage) -> LineRows | None:
    """Features of an HTML page's visible blocks as the cleaner computes them, labelled by aligning the blocks
    with the page's labelled visible text (blocks that do not align train nothing). None: the page has none."""
    read = read_html(decode_bytes(page.raw).text, with_blocks=True)
    if read.context is None:
        return None
    blocks = read.text.split("\n")
    gold = [" ".join(t.split()) for t in page.lines]
    labels = ["unlabelled"] * len(blocks)
    matcher = difflib.SequenceMatcher(None, gold, blocks, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        labels[b : b + size] = page.labels[a : a + size]
    lines = repair_text(read.text).lines
    if len(lines) != len(blocks):
        return None
    numbers, rows = line_rows(lines, strip_boilerplate(lines, read.headings).removed, read.context)
    return LineRows(outlet_key(page.outlet), rows, [labels[i] for i in numbers])


def outlet_key(outlet: str) -> str:
    """One name per outlet across real pages and the corpus ('okezone' and 'okezone.com' are one outlet)."""
    name = outlet.lower().removeprefix("www.")
    return name if "." in name or name == "*" else f"{name}.com"


def _fit(
    rows: Sequence[np.ndarray],
    targets: Sequence[Any],
    weights: Sequence[float],
    seed: int,
    start: dict[str, Any] | None = None,
) -> dict:
    """A logistic regression on standardised rows; ``start``: a fit of the same kind on similar rows, whose
    function seeds the solver (the optimum is the same: only the way there is shorter)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    x = np.asarray(rows, dtype=float)
    y = np.asarray(targets)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    # lbfgs' own tolerance: the numpy versions CI uses agree to about 1e-2 on the figures and to the line on the
    # decisions (tests/test_linemodel.py checks both); a tight one would cost minutes a training
    model = LogisticRegression(C=REGULARISATION, max_iter=5000, random_state=seed)
    classes = sorted({str(c) for c in y.tolist()})
    if start is not None and start["classes"] == classes and len(start["mean"]) == x.shape[1]:
        # The same linear function, written for this fit's scaling: w' = w s'/s, b' = b + w . (m' - m) / s
        w0, s0, m0 = np.asarray(start["coef"]), np.asarray(start["scale"]), np.asarray(start["mean"])
        model.set_params(warm_start=True)
        model.coef_ = w0 * scale / s0
        model.intercept_ = np.asarray(start["intercept"]) + (w0 * (scaler.mean_ - m0) / s0).sum(axis=1)
    model.fit((x - scaler.mean_) / scale, y, sample_weight=np.asarray(weights))
    return {
        "mean": [round(float(v), _DIGITS) for v in scaler.mean_],
        "scale": [round(float(v), _DIGITS) for v in scale],
        "classes": [str(c) for c in model.classes_],  # 0/1 for the body passes
        "coef": [[round(float(v), _DIGITS) for v in row] for row in model.coef_],
        "intercept": [round(float(v), _DIGITS) for v in model.intercept_],
    }


FOLDS = 5  # outlet folds for the first pass' out-of-fold scores, which train the stacked pass


def _samples(pages: Sequence[LineRows]) -> tuple[list[np.ndarray], list[int], list[float]]:
    rows, body, weights = [], [], []
    for page in pages:
        labelled = [(r, lab) for r, lab in zip(page.rows, page.labels, strict=True) if lab != "unlabelled"]
        w = 1.0 / max(1, len(labelled))  # each page weighs the same, however many menu lines it has
        rows += [r for r, _ in labelled]
        body += [int(lab in BODY_LABELS) for _, lab in labelled]
        weights += [w] * len(labelled)
    scale = len(rows) / sum(weights) if weights else 1.0
    return rows, body, [w * scale for w in weights]


def _probabilities(fit: dict[str, Any], rows: np.ndarray) -> np.ndarray:
    model = Linear.from_fit(fit["mean"], fit["scale"], fit["coef"][0], fit["intercept"][0])
    return 1.0 / (1.0 + np.exp(-np.clip(model.logits(rows), -50.0, 50.0)))


def _out_of_fold(pages: Sequence[LineRows], seed: int, start: dict[str, Any] | None = None) -> list[np.ndarray]:
    """First-pass P(body) of every page's lines from a model that did not see the page's outlet."""
    outlets = sorted({p.outlet for p in pages})
    fold_of = {o: i % FOLDS for i, o in enumerate(outlets)}
    probs: list[np.ndarray] = [np.zeros(0) for _ in pages]
    for fold in range(min(FOLDS, len(outlets))):
        train_pages = [p for p in pages if fold_of[p.outlet] != fold]
        fit = _fit(*_samples(train_pages), seed, start)
        for i, page in enumerate(pages):
            if fold_of[page.outlet] == fold:
                probs[i] = _probabilities(fit, page.rows)
    return probs


def _start(section: dict[str, Any] | None, part: str) -> dict[str, Any] | None:
    """A trained section's part as a fit to seed the solver with (binary parts keep their one row)."""
    if section is None:
        return None
    fit = section[part]
    if part == "reason":
        return fit if len(fit["classes"]) > 2 else None  # a two-class reason fit is stored spelled out
    return {"classes": ["0", "1"], "mean": fit["mean"], "scale": fit["scale"], "coef": [fit["coef"]],
            "intercept": [fit["intercept"]]}  # fmt: skip


def _train_section(
    pages: Sequence[LineRows],
    names: Sequence[str],
    stacked_names: Sequence[str],
    seed: int,
    threshold: float,
    start: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One model (text or HTML) fitted on ``pages``; ``start``: a section trained on much the same pages, which
    seeds each fit (leave-one-outlet-out: the same optimum, reached sooner)."""
    rows, body, weights = _samples(pages)
    if len(set(body)) < 2:
        raise ValueError("training needs both body and non-body lines")
    fit_body = _fit(rows, body, weights, seed, _start(start, "body"))
    oof = _out_of_fold(pages, seed, _start(start, "body") or fit_body)  # folds start from the whole fit
    stacked_pages = [
        LineRows(p.outlet, stacked_features(p.rows, probs), p.labels) for p, probs in zip(pages, oof, strict=True)
    ]
    fit_stacked = _fit(*_samples(stacked_pages), seed, _start(start, "stacked"))
    # The reason model learns from lines labelled with their kind. Pages labelled only body or other (the
    # corpus' B/S/C/X) name no kind; without two kinds labelled anywhere, their other lines count as boilerplate.
    fine = len({REASON_OF[label] for page in pages for label in page.labels if label in REASON_OF}) >= 2
    reason_of = REASON_OF if fine else {**REASON_OF, "other": "boilerplate"}
    r_rows, r_kind, r_weights = [], [], []
    for page in pages:
        for row, label in zip(page.rows, page.labels, strict=True):
            if label in reason_of:
                r_rows.append(row)
                r_kind.append(reason_of[label])
                r_weights.append(1.0 / max(1, len(page.rows)))
    if not r_kind:
        raise ValueError("training needs non-body lines")
    if len(set(r_kind)) == 1:  # one kind known: every rejected line is of that kind
        width = len(r_rows[0])
        fit_reason: dict[str, Any] = {"classes": [r_kind[0]], "mean": [0.0] * width, "scale": [1.0] * width,
                      "coef": [[0.0] * width], "intercept": [0.0]}  # fmt: skip
    else:
        scale = len(r_rows) / sum(r_weights)
        fit_reason = _fit(r_rows, r_kind, [w * scale for w in r_weights], seed, _start(start, "reason"))
    # A binary fit has one row of weights: spell out both classes.
    if len(fit_reason["classes"]) == 2 and len(fit_reason["coef"]) == 1:
        fit_reason["coef"] = [[-v for v in fit_reason["coef"][0]], fit_reason["coef"][0]]
        fit_reason["intercept"] = [-fit_reason["intercept"][0], fit_reason["intercept"][0]]

    def binary(fit: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "mean": fit["mean"],
            "scale": fit["scale"],
            "coef": fit["coef"][0],
            "intercept": fit["intercept"][0],
        } | extra

    return {
        "features": list(names),
        "stacked_features": list(stacked_names),
        "trained_on": {"pages": len(pages), "lines": len(rows), "outlets": sorted({p.outlet for p in pages})},
        "body": binary(fit_body),
        "stacked": binary(fit_stacked, threshold=threshold),
        "reason": {k: fit_reason[k] for k in ("classes", "mean", "scale", "coef", "intercept")},
    }


def train(
    text: Sequence[LineRows],
    html: Sequence[LineRows],
    seed: int = 0,
    threshold: float = DEFAULT_THRESHOLD,
    start: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The weights file's content: a text model fitted on ``text`` pages, an HTML model on ``html`` pages;
    ``start``: a weights file's content trained on much the same pages, to seed the solver."""
    spec: dict[str, Any] = {"format": MODEL_FORMAT}
    spec["text"] = _train_section(text, NAMES, STACKED_NAMES, seed, threshold, start and start["text"])
    spec["html"] = (
        _train_section(html, HTML_NAMES, HTML_STACKED_NAMES, seed, threshold, start and start["html"]) if html else None
    )
    return spec


def dumps(spec: dict[str, Any]) -> str:
    """The weights file's text: stable key order, one figure list a line is not needed (JSON, sorted keys)."""
    return json.dumps(spec, sort_keys=True, indent=1) + "\n"


def clean_with(page: LabelledPage, model: LineModels | None) -> Article | None:
    options = CleanOptions(run_id="train", pipeline_version="train", detect_language=False, line_model=model)
    result = clean_document(page.raw, page.name, options, kind=page.kind, url=page.url)
    return result if isinstance(result, Article) else None


@dataclass(frozen=True)
class TrainingSet:
    """Labelled pages, featurised once: text pages (and HTML pages read as text) train the text model, HTML
    pages the HTML model."""

    text: dict[str, LineRows]
    html: dict[str, LineRows]

    @classmethod
    def of(cls, pages: Sequence[LabelledPage]) -> TrainingSet:
        text = {p.name: page_rows(p) for p in pages if p.kind == "text"}
        html = {p.name: r for p in pages if p.kind == "html" and (r := html_page_rows(p)) is not None}
        return cls(text, html)

    def fit(self, seed: int = 0, without: str | None = None, start: dict[str, Any] | None = None) -> dict[str, Any]:
        def keep(rows: dict[str, LineRows]) -> list[LineRows]:
            return [r for _, r in sorted(rows.items()) if r.outlet != without]

        return train(keep(self.text), keep(self.html), seed, start=start)


def leave_one_outlet_out(
    pages: Sequence[LabelledPage],
    seed: int = 0,
    outlets: Sequence[str] | None = None,
    data: TrainingSet | None = None,
    full: dict[str, Any] | None = None,
) -> dict[str, PageScore]:
    """For each outlet (of ``outlets``, default all): fit on every other outlet's pages, clean that outlet's
    pages with the fitted model. Returns scores summed over outlets, keyed by page set (:func:`page_set`).
    ``full``: the fit on every page (made here when not given), which seeds each held-out fit."""
    data = data or TrainingSet.of(pages)
    full = full or data.fit(seed)
    totals: dict[str, PageScore] = {}
    for outlet, held_out in by_outlet(pages, key=outlet_key):
        if outlets is not None and outlet not in outlets:
            continue
        model = read_model(dumps(data.fit(seed, without=outlet, start=full)), name=f"without {outlet}")
        for page in held_out:
            score_page(page, clean_with(page, model), totals.setdefault(page_set(page), PageScore()))
    return totals


def page_set(page: LabelledPage) -> str:
    if page.name.endswith(":text"):
        return "real HTML pages read as text"
    if page.name.endswith(":article"):
        return "real HTML pages' article region as text"
    if page.name.startswith("corpus/"):
        return "berita corpus (HTML)"
    if page.name.startswith("seeds/"):
        return "berita seeds"
    if page.kind == "html":
        return "real HTML pages"
    return "real text pages" if "/" in page.name else "berita corpus (text)"


def read_training_pages(realpages: Path | None, golden: Path | None) -> list[LabelledPage]:
    """Real pages (each HTML page also read as text twice: the whole page, and its article region as a scraper
    saves it) and berita's own labelled corpus (text and HTML)."""
    from berita.labelled import read_corpus_html, read_corpus_sources, read_golden_lines, read_realpages

    pages: list[LabelledPage] = []
    if realpages is not None:
        real = read_realpages(realpages)
        pages += real + [view for p in real if p.kind == "html" for view in (p.text_view(), p.article_view())]
    if golden is not None:
        pages += read_corpus_sources(golden / "corpus_src") + read_corpus_html(golden)
        pages += read_golden_lines(golden / "seeds.json")
    return pages
