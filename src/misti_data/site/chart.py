"""Line charts as Vega-Lite specs (altair), rendered to static SVG at build time (vl-convert).

Static SVG rather than vega-embed in the page: the shipped package's 11 charts cost about 12 kB
each, where the vega + vega-lite + vega-embed bundle alone is about 900 kB; the page needs no
script to draw them and cannot fail to draw them. Hover comes from a `<title>` in each point
(the browser's own tooltip), and every value is also in the table beside the chart.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

WIDTH, HEIGHT = 320, 210  # fits a card at 390 px (phone) and at 1280 px (three cards a row)
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"  # Arial's metrics: labels measured here fit there
INK, MUTED, GRID, ACCENT = "#1d2733", "#5b6b7c", "#e3e8ee", "#0b6e8a"
# How a figure the source qualifies is drawn: a distinct point shape, named in the legend.
SHAPES = {
    "exact": "circle",
    "more_than": "triangle-up",
    "less_than": "triangle-down",
    "approximately": "diamond",
}
_SVG = "http://www.w3.org/2000/svg"
_MAX_YEAR_TICKS = 7


@dataclass
class Point:
    when: dt.date  # where the figure sits on the time axis: its own date, not its rank
    value: float
    qualifier: str  # "exact", "more_than", …
    hover: str  # what the point's tooltip says: "2021-10-31: 1,849 factories"


def qualifier_words(code: str) -> str:
    return code.replace("_", " ")


def chart_spec(points: list[Point], y_title: str, x_title: str, description: str) -> dict:
    """The Vega-Lite spec of one series: a line through its points, time to scale on x.

    y is not forced to zero: a line shows change, and a share falling from 77 to 71 percent must not
    look flat; the labelled axis and its gridlines say where the values sit."""
    import altair as alt

    shown = [q for q in SHAPES if any(p.qualifier == q for p in points)]
    shown += sorted({p.qualifier for p in points} - set(shown))
    rows = [
        {
            "when": p.when.isoformat(),
            "value": p.value,
            "qualifier": qualifier_words(p.qualifier),
            "hover": p.hover,
        }
        for p in points
    ]
    years = sorted({p.when.year for p in points})
    x_axis = alt.Axis(title=x_title, grid=True, labelOverlap=True, labelFlush=True)
    if years[-1] > years[0]:
        # Gridlines at year ends labelled with the year, so a 2021-10-31 figure sits just before "2021".
        step = -(-(years[-1] - years[0] + 1) // _MAX_YEAR_TICKS)
        ticks = [
            alt.DateTime(year=y, month=12, date=31, utc=True)
            for y in range(years[-1], years[0] - 1, -step)
        ]
        x_axis = alt.Axis(
            title=f"{x_title}; gridlines at 31 December",
            grid=True,
            labelOverlap=True,
            labelFlush=True,
            values=ticks,
            format="%Y",
        )
    peak = max(abs(p.value) for p in points)
    y_axis = alt.Axis(title=y_title, grid=True, labelOverlap=True, tickCount=4)
    if peak >= 100_000:
        # 1.26M, 20B: a label short enough for a phone (d3 writes G for billions).
        y_axis = alt.Axis(
            title=y_title,
            grid=True,
            labelOverlap=True,
            tickCount=4,
            labelExpr="replace(format(datum.value, '~s'), 'G', 'B')",
        )
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("when:T", axis=x_axis, scale=alt.Scale(type="utc", padding=14)),
        y=alt.Y("value:Q", axis=y_axis, scale=alt.Scale(zero=False, nice=4, padding=8)),
    )
    line = base.mark_line(color=ACCENT, strokeWidth=2, aria=False)
    legend = (
        alt.Legend(title=None, orient="bottom", direction="horizontal")
        if shown != ["exact"]
        else None
    )
    marks = base.mark_point(filled=True, size=70, color=ACCENT, opacity=1).encode(
        shape=alt.Shape(
            "qualifier:N",
            legend=legend,
            scale=alt.Scale(
                domain=[qualifier_words(q) for q in shown],
                range=[SHAPES.get(q, "square") for q in shown],
            ),
        ),
        description=alt.Description("hover:N"),
    )
    chart = (
        alt.layer(line, marks)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            description=description,
            autosize=alt.AutoSizeParams(type="fit", contains="padding"),
        )
        .configure(
            font=FONT,
            background="transparent",
        )
        .configure_axis(
            labelColor=MUTED,
            titleColor=INK,
            gridColor=GRID,
            domainColor=MUTED,
            tickColor=MUTED,
            labelFontSize=11,
            titleFontSize=12,
            titleFontWeight="normal",
        )
        .configure_legend(
            labelColor=INK, labelFontSize=11, symbolFillColor=ACCENT, symbolStrokeColor=ACCENT
        )
    )
    # Our own spec, the same shape every time: validating each of them cost 40 ms a chart (measured).
    return chart.to_dict(validate=False)


def render_svg(spec: dict) -> str:
    """Static SVG of `spec`, with each point's description as its hover `<title>`."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return _with_titles(svg, str(spec.get("description", "")))


def _with_titles(svg: str, description: str) -> str:
    ET.register_namespace("", _SVG)
    root = ET.fromstring(svg)
    width, height = root.get("width"), root.get("height")
    for attr in ("width", "height", "class"):
        root.attrib.pop(attr, None)
    root.attrib = {
        "class": "chart",
        "role": "img",
        "aria-label": description,
        "width": width,
        "height": height,
        **root.attrib,
    }
    for item in root.iter(f"{{{_SVG}}}path"):
        if item.get("aria-roledescription") == "point" and item.get("aria-label"):
            ET.SubElement(item, f"{{{_SVG}}}title").text = item.get("aria-label")
    # Inline in HTML, <svg> is in the SVG namespace without saying so.
    return ET.tostring(root, encoding="unicode").replace(f'<svg xmlns="{_SVG}" ', "<svg ", 1)
