"""The indicators a package's provenance config describes, with their observations and sources.

Nothing here names our tables: the quoted resource that has a `value` is the observations table;
its foreign key to a resource other than the sources is the indicators table; its first year or
date field is the period; the other primary-key fields (e.g. area) tell series apart. An indicator's
label, unit and notes are its `name`/`title`, `unit` and `notes`/`description` columns, when present.
A series code is shown by its name from the table it refers to (a foreign key, or else the table
whose primary key is that one field: `areas` for `area`), so KH-12 reads as Phnom Penh.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from misti_data.package import Package
from misti_data.settings import settings_of
from misti_data.tables import TypedTable

_TIME_TYPES = ("year", "yearmonth", "date", "datetime")
_QUALIFIER_WORDS = {
    "exact": "",
    "more_than": "more than",
    "less_than": "less than",
    "approximately": "approximately",
}
_URL = re.compile(r"^https?://", re.IGNORECASE)
_LABELS = ("name", "title", "label")


@dataclass
class Source:
    title: str
    publisher: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass
class Observation:
    period: str
    series: str  # the series' codes ("KH-12"), empty when the table has one series
    place: str  # the same in words ("Phnom Penh"), the code where no name is found
    when: dt.date | None  # where the figure sits on a time axis
    value: Decimal | int | None
    qualifier: str
    stated: str
    source: Source | None
    quote: str | None
    record: dict = field(
        default_factory=dict
    )  # the observation's row, for the chart's data download
    earlier: list[Earlier] = field(
        default_factory=list
    )  # figures published before for the same period


@dataclass
class Earlier:
    """A figure a source published for the period before the one the observation keeps (vintages)."""

    value: Decimal | int | None
    qualifier: str
    published: str
    source: Source | None


@dataclass
class Indicator:
    key: str
    name: str
    unit: str | None
    notes: str | None
    observations: list[Observation] = field(default_factory=list)
    time_field: str = ""  # the field that dates each figure (its `when`): the chart's x axis

    def series(self) -> dict[str, list[Observation]]:
        """Observations by series (area), in period order."""
        found: dict[str, list[Observation]] = {}
        for obs in self.observations:
            found.setdefault(obs.series, []).append(obs)
        return found


def find_indicators(package: Package, tables: list[TypedTable]) -> list[Indicator] | None:
    """The indicators with their observations, or None when the package has no such tables."""
    cfg = settings_of(package).provenance
    by_name = {t.name: t for t in tables}
    spec = next(
        (s for s in (cfg or {}).get("quoted", []) if isinstance(s, dict) and s.get("value")), None
    )
    obs = by_name.get(spec.get("resource")) if spec else None
    if obs is None:
        return None
    sources_name = cfg.get("sources")
    link = next(
        (
            fk
            for fk in obs.foreign_keys
            if fk["resource"] not in (sources_name, obs.name)
            and len(fk["fields"]) == 1
            and fk["resource"] in by_name
        ),
        None,
    )
    if link is None:
        return None
    ind_table = by_name[link["resource"]]
    indicators = _indicators(ind_table, link["reference_fields"][0])
    sources = _sources(by_name.get(sources_name), obs, spec.get("source"))
    time_fields = [f["name"] for f in obs.fields if f.get("type") in _TIME_TYPES]
    series_fields = [n for n in obs.primary_key if n not in time_fields and n != link["fields"][0]]
    names = {n: _names_of(n, obs, by_name) for n in series_fields}
    records = sorted(obs.records(), key=lambda r: tuple(_sortable(r.get(n)) for n in time_fields))
    for indicator in indicators.values():
        indicator.time_field = time_fields[-1] if time_fields else ""
    for r in records:
        indicator = indicators.get(r.get(link["fields"][0]))
        if indicator is None:
            continue
        value = r.get(spec["value"])
        qualifier = r.get(spec.get("qualifier", "")) or "exact"
        codes = [_text(r.get(n)) for n in series_fields]
        indicator.observations.append(
            Observation(
                period=_period_label(r, time_fields),
                series=" ".join(codes),
                place=" ".join(names[n].get(c, c) for n, c in zip(series_fields, codes)),
                when=_date(r.get(time_fields[-1])) if time_fields else None,
                value=value,
                qualifier=qualifier,
                stated=stated(value, qualifier, indicator.unit),
                source=sources.get(r.get(spec.get("source", ""))),
                quote=r.get(spec.get("quote", "")) or None,
                record=r,
            )
        )
    _add_earlier(package, by_name, indicators, sources)
    return list(indicators.values())


def _add_earlier(
    package: Package,
    by_name: dict[str, TypedTable],
    indicators: dict[str, Indicator],
    sources: dict[str, Source],
) -> None:
    """Attach each vintage published before the latest to the observation for its period."""
    cfg = settings_of(package).vintages
    table = by_name.get((cfg or {}).get("resource", "vintages")) if cfg else None
    match, value, published = (
        (cfg or {}).get("match", []),
        (cfg or {}).get("value", "value"),
        (cfg or {}).get("published", "published"),
    )
    if table is None or not match or not {*match, value, published} <= set(table.names):
        return
    found: dict[tuple, list[dict]] = {}
    for r in table.records():
        if r.get(published):
            found.setdefault(tuple(_text(r.get(m)) for m in match), []).append(r)
    for indicator in indicators.values():
        for o in indicator.observations:
            vintages = found.get(tuple(_text(o.record.get(m)) for m in match), [])
            latest = max((str(r[published]) for r in vintages), default="")
            o.earlier = [
                Earlier(
                    r.get(value),
                    r.get("qualifier") or "exact",
                    str(r[published]),
                    sources.get(r.get("source_id")),
                )
                for r in sorted(vintages, key=lambda r: str(r[published]))
                # a repeat of the kept figure (a later review quoting it) replaced nothing
                if str(r[published]) < latest and r.get(value) != o.record.get(value)
            ]


def stated(value, qualifier: str | None, unit: str | None) -> str:
    """The value in words, as the source states it: 'more than 1,260,000 persons'."""
    words = _QUALIFIER_WORDS.get(qualifier or "exact", (qualifier or "").replace("_", " "))
    parts = [words, number(value), (unit or "").replace("_", " ")]
    return " ".join(p for p in parts if p)


def number(value) -> str:
    """1260000 → '1,260,000'; 2.50 → '2.5'; no value → '–'."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = int(value)
        else:
            return f"{value:,f}"
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def _names_of(field_name: str, obs: TypedTable, by_name: dict[str, TypedTable]) -> dict[str, str]:
    """Code → name for a series field, from the table it refers to; {} when there is none."""
    fk = next(
        (
            fk
            for fk in obs.foreign_keys
            if fk["fields"] == [field_name] and fk["resource"] in by_name
        ),
        None,
    )
    if fk:
        table, key = by_name[fk["resource"]], fk["reference_fields"][0]
    else:
        table = next(
            (t for t in by_name.values() if t.primary_key == [field_name] and t is not obs), None
        )
        key = field_name
    label = next((n for n in _LABELS if table is not None and n in table.names and n != key), None)
    if label is None:
        return {}
    return {_text(r.get(key)): _text(r.get(label)) for r in table.records() if r.get(label)}


def _indicators(table: TypedTable, key: str) -> dict[str, Indicator]:
    names = set(table.names)
    label = next((n for n in _LABELS if n in names), key)
    notes = next((n for n in ("notes", "description") if n in names), None)
    return {
        r[key]: Indicator(
            key=r[key],
            name=_text(r.get(label)) or r[key],
            unit=r.get("unit") if "unit" in names else None,
            notes=r.get(notes) if notes else None,
        )
        for r in table.records()
    }


def _sources(
    table: TypedTable | None, obs: TypedTable, source_field: str | None
) -> dict[str, Source]:
    if table is None:
        return {}
    fk = next(
        (
            fk
            for fk in obs.foreign_keys
            if fk["fields"] == [source_field] and fk["resource"] == table.name
        ),
        None,
    )
    key = fk["reference_fields"][0] if fk else (table.primary_key or table.names)[0]
    return {
        r[key]: Source(
            title=_text(r.get("title")) or _text(r.get(key)),
            publisher=r.get("publisher"),
            outlet=r.get("outlet"),
            url=r["url"] if isinstance(r.get("url"), str) and _URL.match(r["url"]) else None,
            published=_text(r.get("published")) or None,
        )
        for r in table.records()
    }


def _period_label(record: dict, time_fields: list[str]) -> str:
    """The period as a reader needs it: the year, or the exact date when a later time field (such
    as period_end) is not that year's last day, so an end-of-October figure never passes for a year."""
    if not time_fields:
        return ""
    label = _text(record.get(time_fields[0]))
    last = record.get(time_fields[-1]) if len(time_fields) > 1 else None
    if isinstance(last, dt.date) and (last.month, last.day) != (12, 31):
        return last.isoformat()
    return label


def _date(value) -> dt.date | None:
    """A time cell as the day it ends on: a year is its 31 December, a month its last day."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int):
        return dt.date(value, 12, 31)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = int(value[:4]), int(value[5:])
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return None


def _sortable(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, (dt.date, dt.time)) else str(value)
