"""`misti-data site`: the page's content, its escaping, and how it renders in headless Chromium."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from html import unescape
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest

from conftest import PACKAGES, launch_chromium, needs_chromium
from misti_data.changelog_html import to_html

INJECTED = "<script>window.__injected = 1</script>"


def csv_rows(pkg: Path, name: str) -> list[dict]:
    with open(pkg / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def indicator_count(pkg: Path) -> int:
    return len(csv_rows(pkg, "indicators"))


def figures(pkg: Path, indicator: str, area: str = "KH") -> list[dict]:
    """The indicator's rows for one area, as the CSV has them."""
    return [
        r
        for r in csv_rows(pkg, "observations")
        if r["indicator_id"] == indicator and r["area"] == area
    ]


def period_label(row: dict) -> str:
    """How the page names a figure's period: the year, or the date when it is not a year end."""
    return row["period"] if row["period_end"].endswith("-12-31") else row["period_end"]


def card_of(html: str, key: str) -> str:
    return re.search(
        rf'<article class="indicator" data-key="{key}">.*?</article>', html, re.DOTALL
    ).group(0)


def chart_of(card: str) -> ET.Element:
    """The card's chart as XML (the SVG is written well-formed)."""
    return ET.fromstring(
        re.search(r"<svg class=\"chart\".*?</svg>", card, re.DOTALL)
        .group(0)
        .replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


SVG = "{http://www.w3.org/2000/svg}"


def points_of(svg: ET.Element) -> dict[str, str]:
    """Each point's hover text → its shape (the path it is drawn with)."""
    return {
        p.find(f"{SVG}title").text: p.get("d")
        for p in svg.iter(f"{SVG}path")
        if p.get("aria-roledescription") == "point"
    }


def texts_in(svg: ET.Element, role: str) -> list[str]:
    return [
        t.text
        for g in svg.iter(f"{SVG}g")
        if f"role-{role}" in (g.get("class") or "")
        for t in g.iter(f"{SVG}text")
    ]


def axis_labels(svg: ET.Element, axis: str) -> list[str]:
    """The tick labels of the "X" or "Y" axis."""
    group = next(
        g for g in svg.iter(f"{SVG}g") if (g.get("aria-label") or "").startswith(f"{axis}-axis")
    )
    return texts_in(group, "axis-label")


def add_rows(pkg: Path, resource: str, *lines: str) -> None:
    with open(pkg / "data" / f"{resource}.csv", "a", encoding="utf-8", newline="") as f:
        f.write("".join(line + "\n" for line in lines))


@pytest.fixture
def injected(shipped, run):
    """The shipped package with markup in an indicator's name and notes and in the changelog."""
    path = shipped / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "Large factories operating,", '"Large <b onmouseover=alert(1)>factories</b> ""op""",', 1
    )
    text = text.replace("Large factories operating nationwide at the reference date.", INJECTED, 1)
    path.write_text(text, encoding="utf-8")
    (shipped / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## 1.0.0\n\n- {INJECTED} and [a link](javascript:alert(1))\n"
    )
    assert run("stamp", shipped).exit_code == 0
    assert run("validate", shipped).exit_code == 0, run("validate", shipped).output
    return shipped


def charted(pkg: Path) -> set[tuple[str, str]]:
    """(indicator, area) pairs with figures for more than one reference date: one chart each."""
    dates = Counter((r["indicator_id"], r["area"]) for r in csv_rows(pkg, "observations"))
    return {k for k, n in dates.items() if n > 1}


def build(run, pkg: Path, *args) -> str:
    result = run("site", pkg, *args)
    assert result.exit_code == 0, result.output
    return (pkg / "site" / "index.html").read_text(encoding="utf-8")


def test_site_shows_every_indicator_with_its_value_in_words(run, shipped):
    descriptor = json.loads((shipped / "datapackage.json").read_text(encoding="utf-8"))
    charts = len(charted(shipped))
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
    assert html.count('<svg class="chart"') == html.count('<figure class="chart">') == charts


def test_a_chart_has_a_labelled_y_axis_gridlines_and_a_hover_text_per_figure(run, shipped):
    html = build(run, shipped)
    rows = figures(shipped, "large_factories_operating")
    svg = chart_of(card_of(html, "large_factories_operating"))
    # x: the field that dates the figures; y: the unit
    assert texts_in(svg, "axis-title") == ["period end; gridlines at 31 December", "factories"]
    assert any("role-axis-grid" in (g.get("class") or "") for g in svg.iter(f"{SVG}g"))
    assert sorted(points_of(svg)) == sorted(
        f"{period_label(r)}: {int(r['value']):,} factories" for r in rows
    )
    # the end-of-October 2021 count is labelled with its date, never as the year 2021
    assert "2021-10-31: 1,849 factories" in points_of(svg)
    # year-end gridlines labelled with the year: each year from the first figure's to the last's
    years = sorted(int(r["period_end"][:4]) for r in rows)
    assert axis_labels(svg, "X") == [str(y) for y in range(years[0], years[-1] + 1)]
    assert len(axis_labels(svg, "Y")) >= 3


def test_more_than_and_approximately_figures_are_drawn_and_listed_apart(run, shipped):
    html = build(run, shipped)
    checked = 0
    for key, area in sorted(charted(shipped)):
        rows = [r for r in figures(shipped, key, area)]
        qualifiers = {r["qualifier"] for r in rows}
        card = card_of(html, key)
        svg = chart_of(card)
        shapes = {
            q: {
                d
                for hover, d in points_of(svg).items()
                if ("more than" in hover) == (q == "more_than")
                and ("approximately" in hover) == (q == "approximately")
            }
            for q in qualifiers
        }
        # one shape per qualifier, and a legend naming them whenever the chart has more than exact figures
        assert all(len(v) == 1 for v in shapes.values()) and len(
            set().union(*shapes.values())
        ) == len(qualifiers), key
        legend = texts_in(svg, "legend-label")
        assert legend == (
            []
            if qualifiers == {"exact"}
            else [
                q.replace("_", " ")
                for q in ("exact", "more_than", "approximately")
                if q in qualifiers
            ]
        ), key
        # the table beside it marks the same figures: ↑ more than, ~ approximately
        table = card[card.index('<table class="history">') :]
        assert table.count('title="more than">↑</abbr>') == sum(
            r["qualifier"] == "more_than" for r in rows
        ), key
        assert table.count('title="approximately">~</abbr>') == sum(
            r["qualifier"] == "approximately" for r in rows
        ), key
        checked += qualifiers != {"exact"}
    assert checked >= 2  # workers (more than) and water supplied (approximately) at least


def test_each_chart_offers_its_figures_as_csv(run, shipped):
    html = build(run, shipped)
    header = list(csv_rows(shipped, "observations")[0])
    for key, area in charted(shipped):
        card = card_of(html, key)
        link = re.search(r'<a download="([^"]+)" href="data:text/csv;charset=utf-8,([^"]+)">', card)
        assert link.group(1) == f"{key}-{area}.csv"
        text = unquote(unescape(link.group(2)))
        got = list(csv.DictReader(io.StringIO(text)))
        assert list(got[0]) == header
        assert sorted(got, key=lambda r: r["period_end"]) == sorted(
            figures(shipped, key, area), key=lambda r: r["period_end"]
        )


def test_history_lists_newest_first_national_then_provinces_by_name_in_code_order(run, shipped):
    html = build(run, shipped)
    card = card_of(html, "large_factories_operating")
    rows = re.findall(r'<tr><td class="when">([^<]+)</td><td title="([^"]+)">([^<]*)</td>', card)
    names = {r["area"]: r["name"] for r in csv_rows(shipped, "areas")}
    data = [
        r
        for r in csv_rows(shipped, "observations")
        if r["indicator_id"] == "large_factories_operating"
    ]
    # by date, newest first (so a year's end comes before its end of October); Cambodia, then KH-3 before KH-12
    data.sort(key=lambda r: (r["area"] != "KH", int(r["area"][3:] or 0)))
    data.sort(key=lambda r: r["period_end"], reverse=True)
    assert rows == [(period_label(r), r["area"], names[r["area"]]) for r in data]
    assert ("KH-12", "Phnom Penh") in [(c, n) for _, c, n in rows] and ">KH-12<" not in card
    assert "<td>[1]</td>" in card and '<ol class="sources">' in card
    assert (
        '<a href="https://misti.gov.kh/en/pressroom/news-and-events/FHGP1oY6tGT7">'
        "Annual Review 2024 and 2025 Planning Conference</a>"
    ) in card


def test_every_data_cell_and_the_changelog_are_escaped(run, injected):
    html = build(run, injected)
    assert INJECTED not in html
    assert "&lt;script&gt;window.__injected = 1&lt;/script&gt;" in html
    assert (
        "<b onmouseover" not in html
        and "Large &lt;b onmouseover=alert(1)&gt;factories&lt;/b&gt; &quot;op&quot;" in html
    )
    assert "javascript:" not in html
    assert html.count("<script>") == 1  # our own filter script, nothing else


def test_download_links_point_at_real_files(run, shipped, tmp_path):
    (shipped / "releases").mkdir()
    shutil.make_archive(
        str(shipped.parent / "release"), "zip", shipped
    )  # a real archive: validate reads it
    shutil.move(shipped.parent / "release.zip", shipped / "releases" / "misti-indicators-1.0.0.zip")
    assert run("export", shipped, "--to", "xlsx", "--to", "csvw").exit_code == 0
    out = tmp_path / "public" / "page"
    result = run("site", shipped, "--out", out)
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="downloads">') :]
    hrefs = re.findall(r'href="([^"#]+)"', section[: section.index("</section>")])
    labels = [h.rsplit("/", 1)[-1] for h in hrefs]
    csvs = [
        r["path"].rsplit("/", 1)[-1]
        for r in json.loads((shipped / "datapackage.json").read_text())["resources"]
    ]
    assert "observations.csv" in csvs
    assert labels == [
        "misti-indicators-1.0.0.zip",  # the newest release first
        "datapackage.json",
        *csvs,
        "misti-indicators.xlsx",
        "csv-metadata.json",
    ]
    for href in hrefs:  # copies inside the site folder, never links back into the package
        assert (out / unquote(href)).resolve().is_file(), href
        assert (out / unquote(href)).resolve().is_relative_to(out.resolve()), href


def test_downloads_come_first_with_format_size_rows_and_sha256(run, shipped):
    html = build(run, shipped)
    assert re.search(r"</header>\s*<main>\s*<section id=\"downloads\">", html)
    section = html[html.index('<section id="downloads">') : html.index("</section>")]
    rows = re.findall(
        r'<tr><td class="file"><a href="([^"]+)">.*?<td class="fmt">([^<]+)</td>'
        r'<td class="size" title="([\d,]+) bytes">[^<]+</td><td class="rows[^"]*">([^<]+)</td>'
        r'<td class="hash" title="sha256">([0-9a-f]{64})</td></tr>',
        section,
    )
    resources = json.loads((shipped / "datapackage.json").read_text())["resources"]
    assert len(rows) == 1 + len(resources)
    for href, fmt, size, count, digest in rows:
        file = (shipped / "site" / unquote(href)).resolve()
        data = file.read_bytes()
        assert (int(size.replace(",", "")), digest) == (
            len(data),
            hashlib.sha256(data).hexdigest(),
        ), href
        if file.suffix == ".csv":
            assert (fmt, count) == (
                "CSV",
                f"{len(csv_rows(shipped, file.stem)):,} row{'' if len(csv_rows(shipped, file.stem)) == 1 else 's'}",
            )
        else:
            assert (fmt, count) == ("JSON", "–")


def test_chart_specs_are_valid_vega_lite():
    import altair as alt

    from misti_data.site.chart import Point, chart_spec

    points = [
        Point(dt.date(2020, 12, 31), 1.0, "exact", "a"),
        Point(dt.date(2021, 10, 31), 2.0, "more_than", "b"),
    ]
    alt.LayerChart.from_dict(
        chart_spec(points, "factories", "period end", "a chart"), validate=True
    )


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
    assert (
        result.stderr
        == f"{pkg}: no page built: the package is invalid (1 error); run `misti-data validate {pkg}`\n"
    )
    assert not (pkg / "site").exists()


def test_an_archive_cannot_have_a_page(run, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "minimal"), "zip", PACKAGES / "valid-minimal")
    result = run("site", archive)
    assert result.exit_code == 2
    assert "give the package folder, not an archive" in result.stderr


@pytest.mark.parametrize(
    "markdown, expected",
    [
        (
            "## 1.0.0 — 2026\n\nFirst *edition*: `a<b`.",
            "<h3>1.0.0 — 2026</h3>\n<p>First <em>edition</em>: <code>a&lt;b</code>.</p>",
        ),
        (
            "- one\n- **two**\n  continued",
            "<ul><li>one</li><li><strong>two</strong> continued</li></ul>",
        ),
        (
            "1. [site](https://example.org/?a=1&b=2)",
            '<ol><li><a href="https://example.org/?a=1&amp;b=2">site</a></li></ol>',
        ),
        ("[x](javascript:alert(1)) <img src=x>", "<p>x &lt;img src=x&gt;</p>"),
        (
            "> quoted\n\n```\n<raw>\n```",
            "<blockquote><p>quoted</p></blockquote>\n<pre><code>&lt;raw&gt;</code></pre>",
        ),
        ("snake_case_name stays", "<p>snake_case_name stays</p>"),
    ],
)
def test_changelog_markdown(markdown, expected):
    assert to_html(markdown, shift=1) == expected


# --- headless Chromium -------------------------------------------------------------------------

# Every element that sticks out of its parent's content box (1 px of rounding allowed).
OVERFLOWING = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    const parent = el.parentElement, r = el.getBoundingClientRect();
    if (!parent || (r.width === 0 && r.height === 0) || ["title", "script", "style"].includes(el.localName)) continue;
    const p = parent.getBoundingClientRect(), s = getComputedStyle(parent);
    const left = p.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft);
    const right = p.right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight);
    if (r.left < left - 1 || r.right > right + 1)
      found.push(`${el.localName}.${el.getAttribute("class") || ""} (${Math.round(r.left)}..${Math.round(r.right)}) ` +
                 `in ${parent.localName}.${parent.getAttribute("class") || ""} (${Math.round(left)}..${Math.round(right)})`);
  }
  return found;
}"""

# Pairs of axis or legend texts whose boxes intersect, chart by chart.
OVERLAPPING = """() => {
  const found = [];
  document.querySelectorAll("svg.chart").forEach((svg, n) => {
    const texts = [...svg.querySelectorAll(".role-axis-label text, .role-axis-title text, .role-legend-label text")]
      .map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
    texts.forEach(([a, r], i) => texts.slice(i + 1).forEach(([b, q]) => {
      if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom) found.push(`chart ${n}: ${a} / ${b}`);
    }));
  });
  return found;
}"""

# The hover text and the horizontal centre of each point of one card's chart.
POINTS = """key => [...document.querySelectorAll(`article[data-key="${key}"] svg.chart path[aria-roledescription=point]`)]
  .map(p => { const r = p.getBoundingClientRect(); return [p.querySelector("title").textContent, (r.left + r.right) / 2]; })"""


def render_in_chromium(
    index: Path, screenshot: Path | None = None, actions=None, width: int = 1280
) -> dict:
    """Open the page from disk in headless Chromium; return its DOM facts, console messages and requests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            messages, requests = [], []
            page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(index.resolve().as_uri(), wait_until="load")
            facts = {
                "indicators": page.locator("article.indicator").count(),
                "charts": page.locator("article.indicator svg.chart").count(),
                "chart_keys": page.eval_on_selector_all(
                    "article.indicator:has(svg.chart)", "els => els.map(e => e.dataset.key)"
                ),
                "title": page.title(),
                "injected": page.evaluate("typeof window.__injected"),
                "page_width": page.evaluate("document.documentElement.scrollWidth"),
                "overflowing": page.evaluate(OVERFLOWING),
                "overlapping": page.evaluate(OVERLAPPING),
                "points": page.evaluate(POINTS, "large_factories_operating"),
            }
            if actions:
                facts |= actions(page)
            if screenshot:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return {**facts, "messages": messages, "requests": requests}


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_page_fits_the_screen_with_readable_charts_and_no_errors(run, shipped, tmp_path, width):
    build(run, shipped)
    index = shipped / "site" / "index.html"
    shot = tmp_path / f"site-{width}.png"
    facts = render_in_chromium(index, shot, width=width)
    assert facts["messages"] == []
    assert facts["requests"] == [index.resolve().as_uri()], "the page must need nothing but itself"
    assert facts["page_width"] == width
    assert facts["overflowing"] == []
    assert facts["overlapping"] == []
    assert facts["charts"] == len(charted(shipped))
    assert sorted(facts["chart_keys"]) == sorted({k for k, _ in charted(shipped)})
    # time to scale: each point sits where its date falls between the first and the last
    dates = {
        f"{period_label(r)}: {int(r['value']):,} factories": dt.date.fromisoformat(r["period_end"])
        for r in figures(shipped, "large_factories_operating")
    }
    xs = {dates[hover]: x for hover, x in facts["points"]}
    assert len(xs) == len(dates) and dt.date(2021, 10, 31) in xs
    first, last = min(xs), max(xs)
    for day, x in xs.items():
        share = (day - first).days / (last - first).days
        assert abs((x - xs[first]) / (xs[last] - xs[first]) - share) < 0.01, day
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_chromium
def test_the_filter_box_filters_the_cards_in_chromium(run, shipped):
    build(run, shipped)
    index = shipped / "site" / "index.html"

    def filter_water(page):
        page.fill("#filter", "water")
        return {
            "shown": page.inner_text("#shown"),
            "visible": page.locator("article.indicator:visible").count(),
        }

    facts = render_in_chromium(index, actions=filter_water)
    assert facts["messages"] == []
    assert facts["indicators"] == indicator_count(shipped)
    version = json.loads((shipped / "datapackage.json").read_text())["version"]
    assert facts["title"] == f"Cambodia MISTI yearly indicators {version}"
    water = sum(
        1 for r in csv_rows(shipped, "indicators") if "water" in " ".join(r.values()).lower()
    )
    assert facts["shown"] == str(facts["visible"]) == str(water)


@needs_chromium
def test_injected_markup_does_not_run_in_chromium(run, injected):
    build(run, injected)
    facts = render_in_chromium(injected / "site" / "index.html")
    assert facts["injected"] == "undefined"
    assert facts["messages"] == []


def jsonld_of(html: str) -> dict:
    [block] = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.DOTALL)
    return json.loads(block)


# What Google's Dataset documentation asks for: required, then recommended (those the package can give).
REQUIRED = ("name", "description")
RECOMMENDED = (
    "alternateName",
    "citation",
    "creator",
    "distribution",
    "isAccessibleForFree",
    "keywords",
    "license",
    "spatialCoverage",
    "temporalCoverage",
    "variableMeasured",
    "version",
)


def test_the_page_describes_the_dataset_in_schema_org_json_ld(run, shipped):
    html = build(run, shipped)
    data = jsonld_of(html)
    descriptor = json.loads((shipped / "datapackage.json").read_text())
    assert (data["@context"], data["@type"]) == ("https://schema.org/", "Dataset")
    assert [p for p in REQUIRED + RECOMMENDED if p not in data] == []
    assert 50 <= len(data["description"]) <= 5000  # Google's bounds
    assert (data["name"], data["version"]) == (descriptor["title"], descriptor["version"])
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Ministry of Industry, Science, Technology & Innovation (MISTI), Cambodia",
    }
    assert {c["name"] for c in data["creator"]} == {c["title"] for c in descriptor["contributors"]}
    # dateModified: the date of this version's changelog section (the shipped copy has no changelog: its created day)
    assert data["dateModified"] == descriptor["created"][:10]
    years = sorted(int(r["period"]) for r in csv_rows(shipped, "observations"))
    assert data["temporalCoverage"] == f"{years[0]}/{years[-1]}" == "2019/2025"
    assert data["spatialCoverage"] == {"@type": "Place", "name": "Cambodia", "identifier": "KH"}
    units = {
        r["indicator_id"]: r["unit"].replace("_", " ") for r in csv_rows(shipped, "indicators")
    }
    assert {v["propertyID"]: v["unitText"] for v in data["variableMeasured"]} == units
    assert all(v["@type"] == "PropertyValue" and v["name"] for v in data["variableMeasured"])
    cited = {
        r["url"]
        for r in csv_rows(shipped, "sources")
        if r["url"]
        and any(o["source_id"] == r["source_id"] for o in csv_rows(shipped, "observations"))
    }
    assert {c["url"] for c in data["citation"] if "url" in c} == cited
    # one DataDownload per file offered, with its media type and the same link as the page's downloads table
    section = html[html.index('<section id="downloads">') :]
    hrefs = re.findall(
        r'<td class="file"><a href="([^"]+)"', section[: section.index("</section>")]
    )
    assert [d["contentUrl"] for d in data["distribution"]] == hrefs
    assert {d["@type"] for d in data["distribution"]} == {"DataDownload"}
    assert [d["encodingFormat"] for d in data["distribution"]] == ["application/json"] + [
        "text/csv"
    ] * (len(hrefs) - 1)
    for d in data["distribution"]:
        assert (shipped / "site" / unquote(d["contentUrl"])).resolve().is_file()


def test_json_ld_cannot_be_closed_by_the_data(run, injected):
    data = jsonld_of(build(run, injected))
    assert INJECTED in [
        v["description"] for v in data["variableMeasured"]
    ]  # intact, yet written as \u003c


def test_the_page_links_the_releases_feed_when_there_is_one(run, shipped):
    assert 'type="application/atom+xml"' not in build(run, shipped)
    (shipped / "releases").mkdir()
    shutil.make_archive(str(shipped.parent / "release"), "zip", shipped)
    shutil.move(shipped.parent / "release.zip", shipped / "releases" / "misti-indicators-1.0.0.zip")
    changelog = (
        "# Changelog\n\n## 1.1.0 — 2027-01-02\n\n- Two.\n\n## 1.0.0 — 2027-01-01\n\n- One.\n"
    )
    (shipped / "CHANGELOG.md").write_text(changelog)
    html = build(run, shipped)
    [href] = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="Releases" href="([^"]+)">', html
    )
    assert href == "releases/feed.atom"  # the site's own feed, written beside its archives
    feed = feedparser.parse((shipped / "site" / href).read_bytes())
    assert [e.title for e in feed.entries] == [
        "Cambodia MISTI yearly indicators 1.1.0",
        "Cambodia MISTI yearly indicators 1.0.0",
    ]
    assert [link.href for link in feed.entries[1].links if link.rel == "enclosure"] == [
        "misti-indicators-1.0.0.zip"
    ]
    assert f'New releases as a feed: <a href="{href}">Atom feed of releases</a>' in html
    assert jsonld_of(html)["dateModified"] != "2027-01-02"  # the shipped version is not 1.1.0


def test_an_earlier_published_figure_is_shown_beside_the_kept_one(run, shipped):
    card = card_of(build(run, shipped), "large_factories_operating")
    [row] = re.findall(
        r'<tr><td class="when">2020</td><td title="KH">Cambodia</td><td class="num">1,864'
        r'<span class="earlier">published earlier: 1,853 in 2021 \[(\d+)\]</span></td><td>\[(\d+)\]</td></tr>',
        card,
    )
    sources = re.findall(r"<li>(.*?)</li>", card[card.index('<ol class="sources">') :])
    assert (
        "Cambodia&#x27;s Factory Count Grew By 121 Last Year</a> — Sourcing Journal"
        in sources[int(row[0]) - 1]
    )
    assert "industrial product exports exceed $6 billion in 2020" in sources[int(row[1]) - 1]
    assert card.count('class="earlier"') == 1  # only 2020 has an earlier figure
