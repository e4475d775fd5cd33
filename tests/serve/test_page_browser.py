"""The page for coders in headless Chromium: paste an encounter, check it, see the finding."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import CLEAN, Running

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WHY = "needs Debian chromium and chromium-driver (apt-get install chromium chromium-driver)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")
    from selenium.webdriver.chrome.service import Service

    if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
        pytest.skip(f"browser tests {WHY}: {CHROMIUM} / {CHROMEDRIVER} not found")
    os.environ.setdefault("SE_OFFLINE", "true")
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
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    try:
        driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except Exception as exc:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"browser tests {WHY}; chromium did not start: {exc}")
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_paste_check_and_read_the_finding(browser: Any, service: Running, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    wrong = json.loads(json.dumps(CLEAN))
    wrong["lines"][0]["units"] = 2
    browser.get(f"{service.url}/")
    box = browser.find_element(By.ID, "input")
    browser.execute_script("arguments[0].value = arguments[1];", box, json.dumps(wrong))
    browser.find_element(By.ID, "check").click()
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
    )
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#findings tbody tr")]
    assert any("B12-UNITS-001" in r for r in rows)
    assert "input error" in browser.find_element(By.ID, "summary").text
    assert browser.find_element(By.ID, "html").is_enabled()
    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == []
    artifacts = Path(os.environ.get("B12LINT_ARTIFACTS") or tmp_path)
    artifacts.mkdir(parents=True, exist_ok=True)
    shot = artifacts / "b12lint-serve-page.png"
    browser.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
