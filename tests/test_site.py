"""`misti-data site`: the page's content, its escaping, and how it renders in headless Chromium."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import PACKAGES
from misti_data.site.markdown import to_html

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                    "(apt-get install chromium; .ci/run installs it)")
INJECTED = "<script>window.__injected = 1</script>"


def indicator_count(pkg: Path) -> int:
    with open(pkg / "data" / "indicators.csv", encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def add_rows(pkg: Path, resource: str, *lines: str) -> None:
    with open(pkg / "data" / f"{resource}.csv", "a", encoding="utf-8", newline="") as f:
        f.write("".join(line + "\n" for line in lines))


@pytest.fixture
def injected(shipped, run):
    """The shipped package with markup in an indicator's name and notes and in the changelog."""
    path = shipped / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Large factories operating,", '"Large <b onmouseover=alert(1)>factories</b> ""op""",', 1)
    text = text.replace("Large factories operating nationwide at the reference date.", INJECTED, 1)
    path.write_text(text, encoding="utf-8")
    (shipped / "CHANGELOG.md").write_text(f"# Changelog\n\n## 1.0.0\n\n- {INJECTED} and [a link](javascript:alert(1))\n")
    assert run("stamp", shipped).exit_code == 0
    assert run("validate", shipped).exit_code == 0, run("validate", shipped).output
    return shipped


def multi_period(pkg: Path) -> set[str]:
    """Indicators with national figures for more than one reference date."""
    with open(pkg / "data" / "observations.csv", encoding="utf-8", newline="") as f:
        periods = Counter(r["indicator_id"] for r in csv.DictReader(f) if r["area"] == "KH")
    return {k for k, n in periods.items() if n > 1}


def build(run, pkg: Path, *args) -> str:
    result = run("site", pkg, *args)
    assert result.exit_code == 0, result.output
    return (pkg / "site" / "index.html").read_text(encoding="utf-8")


def test_site_shows_every_indicator_with_its_value_in_words(run, shipped):
    descriptor = json.loads((shipped / "datapackage.json").read_text(encoding="utf-8"))
    charts = len(multi_period(shipped))
    downloads = 1 + len(descriptor["resources"]) + len(list((shipped / "releases").glob("*.zip")))
    result = run("site", shipped)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"wrote {shipped / 'site' / 'index.html'} ({indicator_count(shipped)} indicators, {charts} charts, {downloads} downloads, "
    )
    html = (shipped / "site" / "index.html").read_text(encoding="utf-8")
    assert html.count('<article class="indicator"') == indicator_count(shipped) >= 10
    assert "more than 1,260,000 persons" in html
    assert "approximately 270,000 persons" in html
    assert "556,000,000 cubic metres" in html
    assert "employing over 1.26 million workers" in html  # the quote
    assert f"version {descriptor['version']}" in html and "Creative Commons Attribution 4.0" in html
    assert html.count('<svg class="chart"') == charts


def test_an_indicator_with_several_periods_gets_a_chart_and_a_history(run, shipped):
    html = build(run, shipped)
    card = re.search(r'<article class="indicator" data-key="large_factories_operating">.*?</article>', html).group(0)
    assert card.count('<svg class="chart"') == 1
    # the published large-factory counts (see tests/test_series.py), rounded as the chart labels them
    for label in ("2020: 1.86k", "2021: 1.88k", "2022: 1.98k", "2023: 2.12k", "2024: 2.42k", "2025: 3.08k"):
        assert f"<title>{label}</title>" in card
    # the end-of-October 2021 count is labelled with its date, not as the year 2021 (whose end is 1,879)
    assert "<title>2021-10-31: 1.85k</title>" in card and "<title>2021: 1.85k</title>" not in card
    assert "<tr><td>2021-10-31</td><td>KH</td>" in card
    assert "2,425 factories" in card
    assert ('<a href="https://misti.gov.kh/en/pressroom/news-and-events/FHGP1oY6tGT7">'
            "Annual Review 2024 and 2025 Planning Conference</a>") in card
    assert html.count('<svg class="chart"') == len(multi_period(shipped))


def test_history_lists_newest_first_national_then_provinces_in_code_order(run, shipped):
    html = build(run, shipped)
    card = re.search(r'<article class="indicator" data-key="large_factories_operating">.*?</article>', html).group(0)
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", card)
    assert [p for p, _ in rows] == sorted((p for p, _ in rows), reverse=True)
    assert [a for p, a in rows if p == "2024"] == ["KH", "KH-3", "KH-4", "KH-5", "KH-8", "KH-12", "KH-18", "KH-20", "KH-21"]


def test_every_data_cell_and_the_changelog_are_escaped(run, injected):
    html = build(run, injected)
    assert INJECTED not in html
    assert "&lt;script&gt;window.__injected = 1&lt;/script&gt;" in html
    assert "<b onmouseover" not in html and "Large &lt;b onmouseover=alert(1)&gt;factories&lt;/b&gt; &quot;op&quot;" in html
    assert "javascript:" not in html
    assert html.count("<script>") == 1  # our own filter script, nothing else


def test_download_links_point_at_real_files(run, shipped, tmp_path):
    (shipped / "releases").mkdir()
    shutil.make_archive(str(shipped.parent / "release"), "zip", shipped)  # a real archive: validate reads it
    shutil.move(shipped.parent / "release.zip", shipped / "releases" / "misti-indicators-1.0.0.zip")
    assert run("export", shipped, "--to", "xlsx", "--to", "csvw").exit_code == 0
    out = tmp_path / "public" / "page"
    result = run("site", shipped, "--out", out)
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="downloads">'):]
    hrefs = re.findall(r'href="([^"#]+)"', section[:section.index("</section>")])
    labels = [h.rsplit("/", 1)[-1] for h in hrefs]
    csvs = [r["path"].rsplit("/", 1)[-1] for r in json.loads((shipped / "datapackage.json").read_text())["resources"]]
    assert "observations.csv" in csvs
    assert labels == ["datapackage.json", *csvs, "misti-indicators-1.0.0.zip", "misti-indicators.xlsx", "csv-metadata.json"]
    for href in hrefs:
        assert (out / unquote(href)).resolve().is_file(), href


def test_a_package_without_indicators_still_gets_a_page(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / "export-types", tmp_path / "export-types")
    html = build(run, pkg)
    assert 'id="indicators"' not in html
    assert '<div class="table" data-resource="things">' in html and "4 rows" in html
    assert "What the thing is called." in html


def test_invalid_package_gets_no_page(run, tmp_path):
    pkg = shutil.copytree(PACKAGES / "type-error", tmp_path / "type-error")
    result = run("site", pkg)
    assert result.exit_code == 1
    assert result.stderr == f"{pkg}: no page built: the package is invalid (1 error); run `misti-data validate {pkg}`\n"
    assert not (pkg / "site").exists()


def test_an_archive_cannot_have_a_page(run, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "minimal"), "zip", PACKAGES / "valid-minimal")
    result = run("site", archive)
    assert result.exit_code == 2
    assert "give the package folder, not an archive" in result.stderr


@pytest.mark.parametrize("markdown, expected", [
    ("## 1.0.0 — 2026\n\nFirst *edition*: `a<b`.", "<h3>1.0.0 — 2026</h3>\n<p>First <em>edition</em>: <code>a&lt;b</code>.</p>"),
    ("- one\n- **two**\n  continued", "<ul><li>one</li><li><strong>two</strong> continued</li></ul>"),
    ("1. [site](https://example.org/?a=1&b=2)", '<ol><li><a href="https://example.org/?a=1&amp;b=2">site</a></li></ol>'),
    ("[x](javascript:alert(1)) <img src=x>", "<p>x &lt;img src=x&gt;</p>"),
    ("> quoted\n\n```\n<raw>\n```", "<blockquote><p>quoted</p></blockquote>\n<pre><code>&lt;raw&gt;</code></pre>"),
    ("snake_case_name stays", "<p>snake_case_name stays</p>"),
])
def test_changelog_markdown(markdown, expected):
    assert to_html(markdown, shift=1) == expected


# --- headless Chromium -------------------------------------------------------------------------

def render_in_chromium(index: Path, screenshot: Path | None = None, actions=None) -> dict:
    """Open the page from disk in headless Chromium; return its DOM facts, console messages and requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright gives the browser a fresh temporary profile (--user-data-dir) of its own.
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
        ])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            messages, requests = [], []
            page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(index.resolve().as_uri(), wait_until="load")
            facts = {
                "indicators": page.locator("article.indicator").count(),
                "charts": page.locator("article.indicator svg.chart").count(),
                "chart_keys": page.eval_on_selector_all(
                    "article.indicator:has(svg.chart)", "els => els.map(e => e.dataset.key)"),
                "title": page.title(),
                "injected": page.evaluate("typeof window.__injected"),
            }
            if actions:
                facts |= actions(page)
            if screenshot:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return {**facts, "messages": messages, "requests": requests}


@needs_chromium
def test_page_renders_in_chromium_with_a_chart_and_no_errors(run, shipped, tmp_path):
    build(run, shipped)
    index = shipped / "site" / "index.html"

    def filter_water(page):
        page.fill("#filter", "water")
        return {"shown": page.inner_text("#shown"), "visible": page.locator("article.indicator:visible").count()}

    shot = tmp_path / "site.png"
    facts = render_in_chromium(index, shot, filter_water)
    assert facts["messages"] == []
    assert facts["indicators"] == indicator_count(shipped)
    assert sorted(facts["chart_keys"]) == sorted(multi_period(shipped)) and "large_factories_operating" in facts["chart_keys"]
    version = json.loads((shipped / "datapackage.json").read_text())["version"]
    assert facts["title"] == f"Cambodia MISTI yearly indicators {version}"
    with open(shipped / "data" / "indicators.csv", encoding="utf-8", newline="") as f:
        water = sum(1 for r in csv.DictReader(f) if "water" in " ".join(r.values()).lower())
    assert facts["shown"] == str(facts["visible"]) == str(water)
    assert facts["requests"] == [index.resolve().as_uri()], "the page must need nothing but itself"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_injected_markup_does_not_run_in_chromium(run, injected):
    build(run, injected)
    facts = render_in_chromium(injected / "site" / "index.html")
    assert facts["injected"] == "undefined"
    assert facts["messages"] == []
