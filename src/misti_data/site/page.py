"""The one HTML page: every piece of data goes through `escape` on its way in."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from misti_data.changelog_html import is_safe_url
from misti_data.site.indicators import Indicator, Observation, Source, number
from misti_data.tables import TypedTable
from misti_data.words import plural

# How a qualified figure is marked in a table; the chart draws the same figures with a distinct shape.
MARKS = {"more_than": "↑", "less_than": "↓", "approximately": "~"}


@dataclass
class Link:
    label: str
    href: str
    note: str = ""


@dataclass
class Download(Link):
    format: str = ""
    bytes: int = 0
    rows: int | None = None  # for a table; None for a descriptor or an archive
    sha256: str = ""
    earlier: bool = False  # a release older than the newest: listed apart, folded on a phone


@dataclass
class Page:
    title: str
    version: str
    description: str
    licences: list[Link]
    tables: list[TypedTable]
    table_links: dict[str, str]
    indicators: list[Indicator] | None
    downloads: list[Download] = field(default_factory=list)
    changelog_html: str = ""
    generator: str = ""
    feed: str = ""  # href of the releases' Atom feed, when there is one
    jsonld: str = ""  # the schema.org Dataset <script> (site/jsonld.py)
    address: str | None = None  # the public address (misti_data.address), when known


_CSS = """
:root{--ink:#1d2733;--muted:#5b6b7c;--line:#d8dee6;--accent:#0b6e8a;--bg:#f6f8fa}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:1.5rem 1rem}
main,header>div{max-width:1160px;margin:0 auto}main{padding:1rem}
h1{margin:0 0 .3rem;font-size:1.7rem;line-height:1.25}h2{margin:2rem 0 .8rem;border-bottom:2px solid var(--line);padding-bottom:.3rem}
#downloads h2{margin-top:.5rem}
.meta{color:var(--muted);margin:.2rem 0}.badge{display:inline-block;background:var(--accent);color:#fff;border-radius:3px;padding:0 .45rem;font-size:.85rem}
a{color:var(--accent)}nav a{margin-right:1rem;display:inline-block}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:1rem}
.indicator{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;min-width:0}.indicator[hidden]{display:none}
.indicator h3{margin:0 0 .2rem;font-size:1.05rem}.key{color:var(--muted);font:12px ui-monospace,monospace;overflow-wrap:anywhere}
.stated{font-size:1.35rem;font-weight:600;margin:.4rem 0}.period{color:var(--muted);font-weight:400;font-size:.9rem}
blockquote{margin:.5rem 0;padding:.3rem .7rem;border-left:3px solid var(--line);color:#354555;font-style:italic}
.source{font-size:.85rem;color:var(--muted)}.notes{font-size:.9rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td,th{overflow-wrap:break-word}code{overflow-wrap:anywhere}.num{text-align:right}td.num,td.when{white-space:nowrap}.table td:last-child{overflow-wrap:anywhere}.history{font-size:.8rem;margin:.5rem 0}
figure.chart{margin:.6rem 0}svg.chart{display:block;max-width:100%;height:auto}
figure.chart figcaption{font-size:.8rem;color:var(--muted)}
ol.sources{font-size:.8rem;color:var(--muted);margin:.3rem 0;padding-left:1.6rem;overflow-wrap:anywhere}
abbr.mark{text-decoration:none;font-weight:700;color:var(--accent);cursor:help}.marks{font-size:.8rem;color:var(--muted);margin:.2rem 0}
#filter{padding:.4rem .6rem;width:min(420px,100%);border:1px solid var(--line);border-radius:4px}
.table{background:#fff;border:1px solid var(--line);border-radius:6px;padding:0 1rem 1rem;margin-bottom:1rem}
.files td.hash{font:12px/1.4 ui-monospace,monospace;color:var(--muted);word-break:break-all}.files td.size{white-space:nowrap}
.note{display:block;font-size:.8rem;color:var(--muted)}
.earlier{display:block;font-size:.75rem;color:var(--muted);white-space:normal}
#earlier-releases{margin-top:.6rem}#earlier-releases summary{cursor:pointer;color:var(--accent)}#earlier-releases table{margin-top:.4rem}
.changelog{background:#fff;border:1px solid var(--line);border-radius:6px;padding:0 1rem}footer{color:var(--muted);font-size:.85rem;padding:2rem 1rem;text-align:center}
@media (max-width:640px){
header{padding:1rem .75rem}main{padding:.75rem}.indicator{padding:.75rem}.table{padding:0 .75rem .75rem}
.cards{grid-template-columns:minmax(0,1fr)}
.files thead{display:none}.files tr{display:block;border:1px solid var(--line);border-top:0;padding:.4rem .5rem}
.files tr:first-child{border-top:1px solid var(--line)}.files td{display:inline;border:0;padding:0}
.files td.file{display:block}.files td.fmt::after{content:" · "}.files td.rows::before{content:" · "}.files td.none{display:none}.files td.hash{display:block}
}
"""

# Filters the indicator cards as one types, and unfolds the earlier releases on a wide screen;
# the page works the same without it (the earlier releases one click away).
_JS = """
(function () {
  var earlier = document.getElementById("earlier-releases");
  if (earlier && window.matchMedia("(min-width: 641px)").matches) earlier.open = true;
})();
(function () {
  var box = document.getElementById("filter");
  if (!box) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".indicator"));
  var count = document.getElementById("shown");
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase(), n = 0;
    cards.forEach(function (c) {
      var hit = c.textContent.toLowerCase().indexOf(q) !== -1;
      c.hidden = !hit;
      if (hit) n += 1;
    });
    count.textContent = String(n);
  });
})();
"""


def render(page: Page) -> str:
    sections = [_downloads(page.downloads)]
    if page.indicators is not None:
        sections.append(_indicators(page.indicators))
    sections += [_tables(page), _changelog(page.changelog_html, page.feed)]
    nav = [("downloads", "Downloads")] + (
        [("indicators", "Indicators")] if page.indicators is not None else []
    )
    nav += [("tables", "Tables")] + (
        [("history", "Release history")] if page.changelog_html else []
    )
    licences = ", ".join(_a(lic.label, lic.href) for lic in page.licences) or "no licence given"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{escape(page.generator)}">
<link rel="icon" href="data:,">
<title>{escape(page.title)}{" " + escape(page.version) if page.version else ""}</title>
<style>{_CSS}</style>
{_canonical(page.address)}{_feed_link(page.feed)}{page.jsonld}
</head>
<body>
<header><div>
<h1>{escape(page.title)}</h1>
<p class="meta">{f'<span class="badge" id="version">version {escape(page.version)}</span> ' if page.version else ""}Licence: {licences}</p>
{f"<p>{escape(page.description)}</p>" if page.description else ""}
<nav>{"".join(f'<a href="#{k}">{v}</a>' for k, v in nav)}</nav>
</div></header>
<main>
{"".join(s for s in sections if s)}
</main>
<footer>Built by {escape(page.generator)} from datapackage.json; every figure is as the package states it.</footer>
<script>{_JS}</script>
</body>
</html>
"""


def _indicators(indicators: list[Indicator]) -> str:
    cards = "".join(_card(ind) for ind in indicators)
    return f"""<section id="indicators"><h2>Indicators</h2>
<p><input id="filter" type="search" placeholder="Filter indicators" aria-label="Filter indicators">
<span class="meta"><span id="shown">{len(indicators)}</span> of {len(indicators)} shown</span></p>
<div class="cards">{cards}</div></section>"""


def _card(ind: Indicator) -> str:
    latest = ind.observations[-1] if ind.observations else None
    body = [f'<h3>{escape(ind.name)}</h3><div class="key">{escape(ind.key)}</div>']
    if latest is None:
        body.append('<p class="stated">no figure yet</p>')
    else:
        where = f", {escape(latest.place)}" if latest.place else ""
        body.append(
            f'<p class="stated">{escape(latest.stated)} <span class="period">({escape(latest.period)}{where})</span></p>'
        )
    for observations in ind.series().values():
        body.append(_chart(ind, observations))
    if len(ind.observations) > 1:
        body.append(_history(ind.observations, ind.unit))
    if ind.notes:
        body.append(f'<p class="notes">{escape(ind.notes)}</p>')
    if latest is not None:
        if latest.quote:
            body.append(f"<blockquote>{escape(latest.quote)}</blockquote>")
        if latest.source:
            body.append(f'<p class="source">Source: {_source(latest.source)}</p>')
    return f'<article class="indicator" data-key="{escape(ind.key)}">{"".join(body)}</article>'


def _chart(ind: Indicator, observations: list[Observation]) -> str:
    """A line chart of one series with a link to its rows as CSV; '' for fewer than two dates."""
    from misti_data.site.chart import Point, chart_spec, render_svg

    dated = [o for o in observations if o.value is not None and o.when is not None]
    if len({o.when for o in dated}) < 2:
        return ""
    unit = _words(ind.unit or "")
    points = [Point(o.when, float(o.value), o.qualifier, f"{o.period}: {o.stated}") for o in dated]
    place = observations[0].place
    what = f"{ind.name}{', ' + place if place else ''}"
    svg = render_svg(
        chart_spec(
            points,
            unit or "value",
            _words(ind.time_field) or "date",
            f"Line chart: {what}, {dated[0].period} to {dated[-1].period}",
        )
    )
    name = "-".join(p for p in (ind.key, observations[0].series) if p) + ".csv"
    return (
        f'<figure class="chart">{svg}<figcaption>{escape(plural(len(dated), "figure"))} by date · '
        f'<a download="{escape(name)}" href="{_csv_url(observations)}">Download these figures (CSV)</a>'
        f"</figcaption></figure>"
    )


def _csv_url(observations: list[Observation]) -> str:
    """A data: URL of the observations' rows as the package stores them (same columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(observations[0].record.keys())
    for o in observations:
        writer.writerow(
            [
                "" if v is None else v.isoformat() if hasattr(v, "isoformat") else v
                for v in o.record.values()
            ]
        )
    return escape("data:text/csv;charset=utf-8," + quote(out.getvalue(), safe=",-_.~"), quote=True)


def _natural(text: str) -> tuple:
    """Sort key that puts KH-3 before KH-12 (text and numbers alternate, so parts compare alike)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _history(observations: list[Observation], unit: str | None) -> str:
    """Every figure of the indicator, newest first; the area column only when there are several.
    Sources are numbered under the table, so a long title is written once, not on every row."""
    areas = len({o.series for o in observations}) > 1
    # newest date first (end of 2021 before end of October 2021); within a date the national figure,
    # then the areas in code order (KH-3 before KH-12)
    newest_first = sorted(reversed(observations), key=lambda o: _natural(o.series))
    newest_first.sort(key=lambda o: (o.when.isoformat() if o.when else "", o.period), reverse=True)
    sources: list[Source] = []
    for o in newest_first:
        for s in [o.source, *(e.source for e in o.earlier)]:
            if s is not None and s not in sources:
                sources.append(s)
    value_head = f"value, {escape(_words(unit))}" if unit else "value"
    head = (
        "<th>period</th>"
        + ("<th>area</th>" if areas else "")
        + f'<th class="num">{value_head}</th><th>source</th>'
    )
    rows = "".join(
        f'<tr><td class="when">{escape(o.period)}</td>'
        + (f'<td title="{escape(o.series)}">{escape(o.place)}</td>' if areas else "")
        + f'<td class="num">{_marked(o)}{_earlier(o, sources)}</td>'
        + f"<td>{f'[{sources.index(o.source) + 1}]' if o.source else ''}</td></tr>"
        for o in newest_first
    )
    used = [q for q in MARKS if any(o.qualifier == q for o in observations)]
    marks = ", ".join(f"{MARKS[q]} {escape(_words(q))}" for q in used)
    listed = "".join(f"<li>{_source(s)}</li>" for s in sources)
    return (
        f'<table class="history"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        + (f'<p class="marks">{marks}</p>' if marks else "")
        + (f'<ol class="sources">{listed}</ol>' if listed else "")
    )


def _earlier(o: Observation, sources: list[Source]) -> str:
    """The figures published for the period before this one, with when and where: '1,853 in 2021 [3]'."""
    if not o.earlier:
        return ""
    shown = "; ".join(
        f"{_marked(e)} in {escape(e.published)}"
        + (f" [{sources.index(e.source) + 1}]" if e.source else "")
        for e in o.earlier
    )
    return f'<span class="earlier">published earlier: {shown}</span>'


def _marked(o) -> str:
    """The number, after ↑ or ~ when the source says "more than" or "approximately"."""
    mark = MARKS.get(o.qualifier)
    shown = escape(number(o.value))
    return (
        f'<abbr class="mark" title="{escape(_words(o.qualifier))}">{mark}</abbr>\u00a0{shown}'
        if mark
        else shown
    )


def _source(s: Source) -> str:
    title = _a(s.title, s.url) if s.url else escape(s.title)
    by = ", ".join(
        escape(x) for x in dict.fromkeys((s.outlet, s.publisher)) if x
    )  # once when outlet is publisher
    return title + (f" — {by}" if by else "") + (f", {escape(s.published)}" if s.published else "")


def _tables(page: Page) -> str:
    blocks = []
    for t in page.tables:
        title = t.resource.get("title") or t.name
        link = page.table_links.get(t.name)
        head = f'<h3>{escape(str(title))} <span class="key">{escape(t.name)}</span></h3>'
        desc = (
            f"<p>{escape(str(t.resource['description']))}</p>"
            if t.resource.get("description")
            else ""
        )
        rows = "".join(
            f"<tr><td><code>{escape(f['name'])}</code></td><td>{escape(str(f.get('type', 'string')))}</td>"
            f"<td>{escape(str(f.get('description', '')))}</td></tr>"
            for f in t.fields
        )
        size = plural(len(t.rows), "row") + (f" · {_a(t.path or t.name, link)}" if link else "")
        blocks.append(
            f'<div class="table" data-resource="{escape(t.name)}">{head}{desc}<p class="meta">{size}</p>'
            f"<table><thead><tr><th>column</th><th>type</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )
    return f'<section id="tables"><h2>Tables</h2>{"".join(blocks)}</section>'


def _downloads(files: list[Download]) -> str:
    newest = [d for d in files if not d.earlier]
    earlier = [d for d in files if d.earlier]
    folded = (
        f'<details id="earlier-releases"><summary>Earlier releases ({len(earlier)}), each kept here '
        f"at its own address</summary>{_files_table(earlier)}</details>"
        if earlier
        else ""
    )
    return f'<section id="downloads"><h2>Downloads</h2>{_files_table(newest)}{folded}</section>'


def _files_table(files: list[Download]) -> str:
    rows = "".join(_download_row(d) for d in files)
    return (
        '<table class="files"><thead><tr><th>file</th><th>format</th><th>size</th><th>rows</th>'
        f"<th>sha256</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _download_row(d: Download) -> str:
    note = f'<span class="note">{escape(d.note)}</span>' if d.note else ""
    rows = (
        f'<td class="rows">{plural(d.rows, "row")}</td>'
        if d.rows is not None
        else '<td class="rows none">–</td>'
    )
    return (
        f'<tr><td class="file">{_a(d.label, d.href)}{note}</td><td class="fmt">{escape(d.format)}</td>'
        f'<td class="size" title="{d.bytes:,} bytes">{_size(d.bytes)}</td>{rows}'
        f'<td class="hash" title="sha256">{escape(d.sha256)}</td></tr>'
    )


def _size(n: int) -> str:
    """3525 → '3.5 kB' (powers of 1000, as file managers show them)."""
    for limit, unit in ((1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if n >= limit:
            return f"{n / limit:.1f} {unit}"
    return plural(n, "byte")


def _words(code: str) -> str:
    return code.replace("_", " ")


def _changelog(changelog_html: str, feed: str = "") -> str:
    if not changelog_html:
        return ""
    subscribe = (
        f'<p class="meta">New releases as a feed: {_a("Atom feed of releases", feed)}</p>'
        if feed
        else ""
    )
    return f'<section id="history"><h2>Release history</h2>{subscribe}<div class="changelog">{changelog_html}</div></section>'


def _canonical(address: str | None) -> str:
    if not address:
        return ""
    return f'<link rel="canonical" href="{escape(address, quote=True)}">\n'


def _feed_link(href: str) -> str:
    if not href or not is_safe_url(href):
        return ""
    return f'<link rel="alternate" type="application/atom+xml" title="Releases" href="{escape(href, quote=True)}">\n'


def _a(label: str, href: str | None) -> str:
    if not href or not is_safe_url(href):
        return escape(label)
    return f'<a href="{escape(href, quote=True)}">{escape(label)}</a>'
