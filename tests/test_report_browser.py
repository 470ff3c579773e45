"""The run report in a real headless browser, offline: it renders, and nothing from an article runs."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.slow

HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>.txt"
HOSTILE_URL = "https://evil.example/a?<script>window.__pwned=2</script>"
HOSTILE_BODY = (
    "Judul Berita Berbahaya <script>window.__pwned=3</script>\n\n"
    'Jakarta (ANTARA) - Isi pendek <img src=x onerror="window.__pwned=4"> ini tidak cukup panjang.\n'
)


@pytest.fixture
def hostile_report(prefect_harness: None, tmp_path: Path) -> tuple[Path, str]:
    from berita.flows.clean_news import clean_news
    from berita.settings import Settings

    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "seeds", inputs)
    (inputs / HOSTILE_NAME).write_bytes(b"\x00\x01binary\x00")
    (inputs / "scrape.jsonl").write_text(
        json.dumps({"url": HOSTILE_URL, "text": HOSTILE_BODY}) + "\n", encoding="utf-8"
    )
    result = clean_news(Settings(input_dir=str(inputs), warehouse_dir=str(tmp_path / "warehouse")))
    assert result.report_path
    return Path(result.report_path), result.run_id


def _browser():  # type: ignore[no-untyped-def]
    if not (CHROMIUM and CHROMEDRIVER):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium and chromium-driver (see .ci/run)")
        pytest.skip("needs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--host-resolver-rules=MAP * ~NOTFOUND"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def test_report_renders_offline_and_runs_nothing_from_articles(hostile_report: tuple[Path, str]) -> None:
    path, run_id = hostile_report
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html.lower().replace("&lt;script", ""), "no script element, not even berita's own"
    driver = _browser()
    try:
        driver.get(path.resolve().as_uri())
        assert run_id in driver.title
        text = driver.find_element("tag name", "body").text
        assert "Expectations:" in text and "Quarantined inputs" in text and "inputs seen" in text
        assert len(driver.find_elements("tag name", "svg")) == 3
        assert len(driver.find_elements("css selector", "svg rect")) > 3
        # The hostile strings are shown as text, and none of them ran.
        assert HOSTILE_NAME in text and HOSTILE_URL in text
        assert driver.execute_script("return typeof window.__pwned") == "undefined"
        assert driver.find_elements("css selector", "img") == []
        requests = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                requests.append(message["params"]["request"]["url"])
        assert requests and all(url.startswith(("file:", "data:")) for url in requests), requests
    finally:
        driver.quit()


def test_every_html_file_berita_wrote_runs_nothing_and_fetches_nothing(hostile_report: tuple[Path, str]) -> None:
    """Not only the report: every HTML file under the warehouse (Great Expectations' Data Docs, which
    rendered scraped values unescaped, are not built unless asked for)."""
    path, _ = hostile_report
    warehouse = next(folder for folder in path.parents if folder.name == "warehouse")
    pages = sorted(warehouse.rglob("*.html"))
    assert path in pages and not [p for p in pages if "data_docs" in p.parts], pages
    driver = _browser()
    try:
        for page in pages:
            driver.get(page.resolve().as_uri())
            assert driver.execute_script("return typeof window.__pwned") == "undefined", page
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                assert url.startswith(("file:", "data:")), url
    finally:
        driver.quit()


def test_the_trend_report_folds_what_passed_and_fetches_nothing(tmp_path: Path) -> None:
    """A report with a failed check, 30 passing ones and five earlier runs: the failure shows first, the passing
    checks are folded (not displayed until opened), the five trend charts draw, and the page requests nothing."""
    from berita.expectations.report import ReportData, RunPoint, render_report

    check = {"table": "articles", "level": "batch", "expectation": "E", "batches": 2, "unexpected": 0}
    data = ReportData(
        run_id="r6", mode="incremental", status="failed", started="s", finished="f",
        counts={"inputs seen": 9, "new inputs": 3, "articles": 0},
        checks={"articles.body.min_length": {**check, "failed": 1}, **{f"ok.{i}": {**check, "failed": 0}
                                                                       for i in range(30)}},
        history=[RunPoint(f"2026120{i}T100000Z-aaaaaa", "succeeded", 10 + i, i, {"related": 5 * i}, 0.1 * i, 0)
                 for i in range(1, 6)],
    )  # fmt: skip
    page = tmp_path / "report.html"
    page.write_text(render_report(data), encoding="utf-8")
    driver = _browser()
    try:
        driver.get(page.resolve().as_uri())
        text = driver.find_element("tag name", "body").text
        assert text.index("1 check(s) failed.") < text.index("Across the last 5 runs")
        assert "30 checks passed" in text and "ok.0" not in text  # folded: not displayed until opened
        driver.find_elements("css selector", "details summary")[-1].click()
        assert "ok.0" in driver.find_element("tag name", "body").text
        assert len(driver.find_elements("css selector", ".trends svg")) == 5
        assert len(driver.find_elements("css selector", ".trends circle")) == 25
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                assert message["params"]["request"]["url"].startswith(("file:", "data:"))
    finally:
        driver.quit()
