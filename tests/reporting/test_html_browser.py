"""The HTML audit report in a real headless browser (Debian chromium + chromedriver).

It must render, show its charts (SVG with non-zero size and bars), filter the findings table
as a rule id is typed, sort it, filter from a chart bar, open an encounter's drill-down, load
nothing from the network, show the summary and the findings table above the fold at 1400 px
and fit a phone's width, and leave screenshots (their paths are printed; set
B12LINT_ARTIFACTS=DIR to keep them). `.ci/run` installs chromium and sets
B12LINT_REQUIRE_BROWSER=1, which makes a missing browser a failure; elsewhere these tests
skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_batch import Check

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WHY = "needs Debian chromium and chromium-driver (apt-get install chromium chromium-driver)"
REQUIRED = os.environ.get("B12LINT_REQUIRE_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]
#: The first screen of a 1400 px wide window (a laptop's, under the browser's own bars).
FOLD = 900
PHONE = (390, 844)


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"B12LINT_REQUIRE_BROWSER is set but the browser tests {reason}")
    pytest.skip(f"browser tests {reason}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("need selenium (in the test extra)")
    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        _unavailable(f"{WHY[6:]}: {CHROMIUM} / {CHROMEDRIVER} not found")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download a driver
    profile = tempfile.mkdtemp(prefix="b12lint-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        f"--window-size=1400,{FOLD}",
    ):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as exc:  # a broken install: say so rather than fail obscurely
        shutil.rmtree(profile, ignore_errors=True)
        _unavailable(f"{WHY[6:]}; chromium did not start: {exc}")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any, check: Check, batch: Path, tmp_path: Path) -> Any:
    result = check(str(batch), "--format", "html", "--output", "report.html")
    assert result.exit_code == 1, result.output
    browser.get((tmp_path / "report.html").as_uri())
    return browser


def visible_rules(driver: Any) -> list[str]:
    script = (
        "return Array.from(document.querySelectorAll('#findings-table tbody tr'))"
        ".filter(r => !r.hidden && r.offsetParent !== null).map(r => r.cells[1].textContent)"
    )
    return list(driver.execute_script(script))


def test_renders_with_charts_and_filters(page: Any, tmp_path: Path, capsys: Any) -> None:
    from selenium.webdriver.common.by import By

    driver = page
    assert driver.title == "b12lint audit report"
    assert driver.find_element(By.CSS_SELECTOR, "header h1").text == "b12lint audit report"

    charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 4  # severity, category, top rules, month
    for chart in charts:
        assert chart.is_displayed()
        assert chart.size["width"] > 100 and chart.size["height"] > 20
    widths = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.chart rect'))"
        ".map(r => r.getBoundingClientRect().width)"
    )
    assert len(widths) >= 12 and max(widths) > 50  # bars drawn to scale

    assert len(visible_rules(driver)) == 6
    box = driver.find_element(By.ID, "filter")
    box.send_keys("B12-UNITS-001")
    assert visible_rules(driver) == ["B12-UNITS-001"]
    assert driver.find_element(By.ID, "shown").text == "1"
    box.clear()
    box.send_keys("enc-bravo")  # case-insensitive, any column
    assert visible_rules(driver) == ["B12-UNITS-001", "B12-UNITS-003"]

    driver.find_element(By.ID, "filter-clear").click()
    screenshot(driver, "b12lint-html-report.png", tmp_path, capsys)


def screenshot(driver: Any, name: str, tmp_path: Path, capsys: Any) -> Path:
    """Save the window's screenshot under B12LINT_ARTIFACTS (else tmp_path), print its path."""
    shots = Path(os.environ.get("B12LINT_ARTIFACTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / name
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
    with capsys.disabled():
        print(f"\nHTML report screenshot: {shot}")
    return shot


def box(driver: Any, selector: str) -> dict[str, float]:
    """An element's box in the viewport (CSS pixels)."""
    rect = driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width};",
        selector,
    )
    return dict(rect)


@pytest.fixture
def sample_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """The audit report of sample_claims/ (86 findings), opened at 1400 px; resized back after."""
    from click.testing import CliRunner

    from b12lint.cli import cli

    out = tmp_path / "sample.html"
    old = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, ["check", "sample_claims", "-o", str(out)])
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    browser.set_window_size(1400, FOLD)
    browser.get(out.as_uri())
    yield browser
    browser.set_window_size(1400, FOLD)


def test_summary_and_findings_table_are_above_the_fold(
    sample_page: Any, tmp_path: Path, capsys: Any
) -> None:
    driver = sample_page
    inner = driver.execute_script("return window.innerHeight")
    assert inner <= FOLD
    assert box(driver, "#totals")["bottom"] < inner / 2
    table = box(driver, "#findings-table")
    first_row = box(driver, "#findings-table tbody tr")
    assert table["top"] < 0.7 * inner and first_row["bottom"] < inner  # rows show at once
    # what comes after the table starts within reach: the table scrolls inside its box
    assert box(driver, "#at-risk")["top"] < 3 * inner
    assert "Billed charges at risk" in driver.find_element("id", "at-risk").text
    screenshot(driver, "b12lint-html-1400.png", tmp_path, capsys)
    driver.execute_script("document.getElementById('at-risk').scrollIntoView()")
    screenshot(driver, "b12lint-html-1400-money.png", tmp_path, capsys)


def test_fits_a_phone(sample_page: Any, tmp_path: Path, capsys: Any) -> None:
    driver = sample_page
    driver.set_window_size(*PHONE)
    width = driver.execute_script("return window.innerWidth")
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width + 1  # no sideways scrolling of the page (wide tables scroll inside)
    cards = box(driver, "#totals")
    assert cards["right"] <= width + 1 and cards["top"] < 300
    screenshot(driver, "b12lint-html-phone.png", tmp_path, capsys)


def test_sort_chart_filter_and_drill_down(page: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = page
    header = driver.find_elements(By.CSS_SELECTOR, "#findings-table th")[1]  # Rule
    header.click()
    ascending = visible_rules(driver)
    assert ascending == sorted(ascending)
    header.click()
    assert visible_rules(driver) == sorted(ascending, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"

    bar = driver.find_element(By.CSS_SELECTOR, 'svg.chart .bar[data-value="units"]')
    driver.execute_script(
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", bar
    )
    assert (
        Select(driver.find_element(By.ID, "filter-category")).first_selected_option.text == "units"
    )
    assert sorted(visible_rules(driver)) == ["B12-UNITS-001", "B12-UNITS-003"]

    driver.find_element(By.ID, "filter-clear").click()
    assert len(visible_rules(driver)) == 6
    link = driver.find_element(By.LINK_TEXT, "ENC-CHARLIE-0004")
    target = link.get_attribute("href").split("#")[1]
    details = driver.find_element(By.ID, target)
    assert details.get_attribute("open") is None
    link.click()
    assert details.get_attribute("open") == "true"
    assert "B12-PROV-001" in details.text and "1234567890" in details.text


def test_loads_nothing_from_the_network(page: Any) -> None:
    resources = page.execute_script("return performance.getEntriesByType('resource').length")
    assert resources == 0
    errors = [e for e in page.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == []  # no script error, no blocked request
