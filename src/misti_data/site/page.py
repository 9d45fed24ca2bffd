"""The one HTML page: every piece of data goes through `escape` on its way in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from misti_data.site.chart import line_chart
from misti_data.site.indicators import Indicator, Observation, Source
from misti_data.site.markdown import is_safe_url
from misti_data.tables import TypedTable
from misti_data.words import plural


@dataclass
class Link:
    label: str
    href: str
    note: str = ""


@dataclass
class Page:
    title: str
    version: str
    description: str
    licences: list[Link]
    tables: list[TypedTable]
    table_links: dict[str, str]
    indicators: list[Indicator] | None
    downloads: list[Link] = field(default_factory=list)
    changelog_html: str = ""
    generator: str = ""


_CSS = """
:root{--ink:#1d2733;--muted:#5b6b7c;--line:#d8dee6;--accent:#0b6e8a;--bg:#f6f8fa}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line);padding:1.5rem 1rem}
main,header>div{max-width:1100px;margin:0 auto}main{padding:1rem}
h1{margin:0 0 .3rem;font-size:1.7rem}h2{margin:2rem 0 .8rem;border-bottom:2px solid var(--line);padding-bottom:.3rem}
.meta{color:var(--muted);margin:.2rem 0}.badge{display:inline-block;background:var(--accent);color:#fff;border-radius:3px;padding:0 .45rem;font-size:.85rem}
a{color:var(--accent)}nav a{margin-right:1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:1rem}
.indicator{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem}.indicator[hidden]{display:none}
.indicator h3{margin:0 0 .2rem;font-size:1.05rem}.key{color:var(--muted);font:12px ui-monospace,monospace}
.stated{font-size:1.35rem;font-weight:600;margin:.4rem 0}.period{color:var(--muted);font-weight:400;font-size:.9rem}
blockquote{margin:.5rem 0;padding:.3rem .7rem;border-left:3px solid var(--line);color:#354555;font-style:italic}
.source{font-size:.85rem;color:var(--muted)}.notes{font-size:.9rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right}td{overflow-wrap:break-word}.history{font-size:.8rem;margin:.5rem 0}svg.chart{display:block;margin:.5rem 0;max-width:100%;height:auto}
svg .line{fill:none;stroke:var(--accent);stroke-width:2}svg circle{fill:var(--accent)}svg .axis{stroke:var(--line)}
svg text{font-size:11px;fill:var(--muted)}#filter{padding:.4rem .6rem;width:min(420px,100%);border:1px solid var(--line);border-radius:4px}
.changelog{background:#fff;border:1px solid var(--line);border-radius:6px;padding:0 1rem}footer{color:var(--muted);font-size:.85rem;padding:2rem 1rem;text-align:center}
"""

# Filters the indicator cards as one types; the page works the same without it.
_JS = """
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
    sections = []
    if page.indicators is not None:
        sections.append(_indicators(page.indicators))
    sections += [_tables(page), _downloads(page.downloads), _changelog(page.changelog_html)]
    nav = [("indicators", "Indicators")] if page.indicators is not None else []
    nav += [("tables", "Tables"), ("downloads", "Downloads")] + ([("history", "Release history")] if page.changelog_html else [])
    licences = ", ".join(_a(lic.label, lic.href) for lic in page.licences) or "no licence given"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{escape(page.generator)}">
<title>{escape(page.title)}{' ' + escape(page.version) if page.version else ''}</title>
<style>{_CSS}</style>
</head>
<body>
<header><div>
<h1>{escape(page.title)}</h1>
<p class="meta">{f'<span class="badge" id="version">version {escape(page.version)}</span> ' if page.version else ''}Licence: {licences}</p>
{f'<p>{escape(page.description)}</p>' if page.description else ''}
<nav>{''.join(f'<a href="#{k}">{v}</a>' for k, v in nav)}</nav>
</div></header>
<main>
{''.join(s for s in sections if s)}
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
        where = f", {escape(latest.series)}" if latest.series else ""
        body.append(f'<p class="stated">{escape(latest.stated)} <span class="period">({escape(latest.period)}{where})</span></p>')
    for series, observations in ind.series().items():
        points = [(o.period, float(o.value)) for o in observations if o.value is not None]
        if len({p for p, _ in points}) > 1:
            body.append(line_chart(points, f"{ind.name}{', ' + series if series else ''}"))
    if len(ind.observations) > 1:
        body.append(_history(ind.observations))
    if ind.notes:
        body.append(f'<p class="notes">{escape(ind.notes)}</p>')
    if latest is not None:
        if latest.quote:
            body.append(f"<blockquote>{escape(latest.quote)}</blockquote>")
        if latest.source:
            body.append(f'<p class="source">Source: {_source(latest.source)}</p>')
    return f'<article class="indicator" data-key="{escape(ind.key)}">{"".join(body)}</article>'


def _natural(text: str) -> tuple:
    """Sort key that puts KH-3 before KH-12 (text and numbers alternate, so parts compare alike)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _history(observations: list[Observation]) -> str:
    """Every figure of the indicator, newest first; the area column only when there is one."""
    areas = any(o.series for o in observations)
    # newest period first; within it the national figure, then the areas in code order (KH-3 before KH-12)
    newest_first = sorted(reversed(observations), key=lambda o: _natural(o.series))
    newest_first.sort(key=lambda o: o.period, reverse=True)
    head = "<th>period</th>" + ("<th>area</th>" if areas else "") + "<th>value</th><th>source</th>"
    rows = "".join(
        f"<tr><td>{escape(o.period)}</td>" + (f"<td>{escape(o.series)}</td>" if areas else "")
        + f'<td class="num">{escape(o.stated)}</td><td>{_a(o.source.title, o.source.url) if o.source else ""}</td></tr>'
        for o in newest_first
    )
    return f'<table class="history"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _source(s: Source) -> str:
    title = _a(s.title, s.url) if s.url else escape(s.title)
    by = ", ".join(escape(x) for x in (s.outlet, s.publisher) if x)
    return title + (f" — {by}" if by else "") + (f", {escape(s.published)}" if s.published else "")


def _tables(page: Page) -> str:
    blocks = []
    for t in page.tables:
        title = t.resource.get("title") or t.name
        link = page.table_links.get(t.name)
        head = f"<h3>{escape(str(title))} <span class=\"key\">{escape(t.name)}</span></h3>"
        desc = f"<p>{escape(str(t.resource['description']))}</p>" if t.resource.get("description") else ""
        rows = "".join(
            f"<tr><td><code>{escape(f['name'])}</code></td><td>{escape(str(f.get('type', 'string')))}</td>"
            f"<td>{escape(str(f.get('description', '')))}</td></tr>"
            for f in t.fields
        )
        size = plural(len(t.rows), "row") + (f" · {_a(t.path or t.name, link)}" if link else "")
        blocks.append(f'<div class="table" data-resource="{escape(t.name)}">{head}{desc}<p class="meta">{size}</p>'
                      f"<table><thead><tr><th>column</th><th>type</th><th>meaning</th></tr></thead><tbody>{rows}</tbody></table></div>")
    return f'<section id="tables"><h2>Tables</h2>{"".join(blocks)}</section>'


def _downloads(links: list[Link]) -> str:
    items = "".join(f"<li>{_a(link.label, link.href)}{' — ' + escape(link.note) if link.note else ''}</li>" for link in links)
    return f'<section id="downloads"><h2>Downloads</h2><ul>{items}</ul></section>'


def _changelog(changelog_html: str) -> str:
    if not changelog_html:
        return ""
    return f'<section id="history"><h2>Release history</h2><div class="changelog">{changelog_html}</div></section>'


def _a(label: str, href: str | None) -> str:
    if not href or not is_safe_url(href):
        return escape(label)
    return f'<a href="{escape(href, quote=True)}">{escape(label)}</a>'
