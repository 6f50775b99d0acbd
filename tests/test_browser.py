"""The tables' filters and sorting in a real headless Chromium, on the built review."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import REPO, require_tools

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(autouse=True, scope="module")
def _needs_chromium():
    require_tools("chromium", "chromedriver")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "html"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(REPO), str(REPO / "docs"),
                             str(out)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    downloads = tempfile.mkdtemp()
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    driver.downloads = Path(downloads)
    yield driver
    driver.quit()


def visible_rows(browser):
    return [row for row in browser.find_elements("css selector", "table.review-table tbody tr") if row.is_displayed()]


def test_family_filter_leaves_only_that_family(site, browser):
    from selenium.webdriver.support.ui import Select

    browser.get((site / "modalities" / "ecg.html").as_uri())
    everything = visible_rows(browser)
    select = Select(browser.find_element("css selector", "div.review-filters select[data-prefix='family-']"))
    select.select_by_value("diffusion")
    rows = visible_rows(browser)
    assert 0 < len(rows) < len(everything)
    assert all("family-diffusion" in row.get_attribute("class").split() for row in rows)
    assert all(row.find_elements("xpath", "./td[2]")[0].text.count("Diffusion") for row in rows)
    count = browser.find_element("css selector", "span.review-count").text
    assert count == f"{len(rows)} of {len(everything)} rows"


def test_text_filter_and_sorting(site, browser):
    browser.get((site / "modalities" / "ecg.html").as_uri())
    box = browser.find_element("css selector", "div.review-filters input[type=search]")
    texts = [row.text for row in visible_rows(browser)]
    word = next(w for text in texts for w in re.findall(r"[A-Za-z]{8,}", text)
                if sum(w.lower() in t.lower() for t in texts) == 1)
    box.send_keys(word)
    rows = visible_rows(browser)
    assert len(rows) == 1 and word in rows[0].text
    box.clear()
    box.send_keys("@article{")  # only in the folded BibTeX, which the filter does not search
    assert visible_rows(browser) == []
    box.clear()
    box.send_keys(" ")
    date_header = browser.find_elements("css selector", "table.review-table thead th")[-1]
    date_header.click()
    dates = [row.find_elements("xpath", "./td[7]")[0].text for row in visible_rows(browser)]
    assert dates == sorted(dates)


def test_link_to_a_key_lands_on_its_row(site, browser):
    browser.get((site / "modalities" / "ecg.html").as_uri() + "#neifar2023diffecg")
    row = browser.find_element("id", "neifar2023diffecg")
    assert row.tag_name == "tr" and "DiffECG" in row.text
    assert browser.execute_script("return document.querySelector(':target').id") == "neifar2023diffecg"


def test_without_javascript_the_table_is_plain(site):
    html = (site / "modalities" / "ecg.html").read_text(encoding="utf-8")
    assert "review-filters" not in html, "the filter bar is added by the script, not written into the page"


@pytest.fixture(scope="module")
def review():
    from medsynth.review import load_review
    return load_review(REPO / "bib" / "review.bib", REPO / "bib" / "vocabulary.yaml")


def test_coins_of_a_row_decode_to_its_entry(site, browser, review):
    """What Zotero's connector reads: the row's COinS carry the entry's own fields."""
    from urllib.parse import parse_qs

    records = {r.key: r for r in review.records}
    browser.get((site / "modalities" / "ecg.html").as_uri())
    rows = browser.find_elements("css selector", "table.review-table tbody tr")
    checked = 0
    for row in rows:
        record = records[row.get_attribute("id")]
        span = row.find_element("css selector", "span.Z3988")
        context = parse_qs(span.get_attribute("title"))
        assert context["ctx_ver"] == ["Z39.88-2004"]
        assert context["rft.atitle"] == [record.title]
        assert context["rft.au"] == [" ".join(p for p in (n.given, n.family, n.suffix) if p)
                                     for n in record.authors if n.family != "others"]
        assert context["rft.date"] == [record.year]
        if record.venue:
            assert context.get("rft.jtitle", context.get("rft.btitle")) == [record.venue]
        ids = context.get("rft_id", [])
        if record.doi:
            assert f"info:doi/{record.doi}" in ids
        if record.arxiv:
            assert f"info:arxiv/{record.arxiv}" in ids
        if record.fields.get("volume"):
            assert context["rft.volume"] == [record.fields["volume"].strip()]
        checked += 1
    assert checked == len(rows) > 10


@pytest.mark.parametrize("fmt, suffix", [("bibtex", ".bib"), ("ris", ".ris")])
def test_ticking_two_rows_downloads_exactly_those(site, browser, fmt, suffix):
    import bibtexparser
    import rispy

    for old in browser.downloads.glob("selected*"):
        old.unlink()
    browser.get((site / "modalities" / "mri.html").as_uri())
    rows = browser.find_elements("css selector", "table.review-table tbody tr")
    chosen = [rows[1], rows[4]]
    def click(element):
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()

    for row in chosen:
        click(row.find_element("css selector", "input.review-tick"))
    assert browser.find_element("css selector", "span.review-basket-count").text == "2 ticked"
    click(browser.find_element("css selector", f"button.review-basket-download[data-format='{fmt}']"))
    target = browser.downloads / f"selected{suffix}"
    for _ in range(50):
        if target.exists() and target.stat().st_size:
            break
        time.sleep(0.1)
    text = target.read_text(encoding="utf-8")
    keys = [row.get_attribute("id") for row in chosen]
    if fmt == "bibtex":
        library = bibtexparser.parse_string(text)
        assert not library.failed_blocks and [e.key for e in library.entries] == keys
    else:
        assert [entry["id"] for entry in rispy.loads(text)] == keys
