"""Domain rules of an indicator package, run with pandera (polars backend) and reported as findings.

Switched on by the package itself, never by its name: `misti_data.indicators` in datapackage.json
names the resources the rules read and the units they treat as percentages and counts:

    "misti_data": {"indicators": {
        "indicators": "indicators", "observations": "observations", "sources": "sources",
        "national_area": "KH", "percent_units": ["percent"], "count_units": ["factories", "persons"]}}

pandera and polars are imported only here, so packages that declare no rules never pay for them
(`import pandera.polars` takes about 0.9 s).
"""

from __future__ import annotations

import io
from collections import defaultdict

from misti_data.checks import finding
from misti_data.findings import Finding
from misti_data.package import Package

# The columns each table must declare for the rules to run.
NEEDED = {
    "observations": ("indicator_id", "period", "period_end", "area", "value", "qualifier", "source_id"),
    "indicators": ("indicator_id", "unit", "measure", "of_indicator"),
    "sources": ("source_id", "published"),
}


def rules_config(package: Package) -> dict | None:
    cfg = package.descriptor.get("misti_data")
    cfg = cfg.get("indicators") if isinstance(cfg, dict) else None
    return cfg if isinstance(cfg, dict) else None


def check_domain(package: Package, skip: set[str] = frozenset()) -> list[Finding]:
    """Findings of every domain rule, or none when the package declares no rules."""
    cfg = rules_config(package)
    if cfg is None:
        return []
    names = {role: cfg.get(role, role) for role in NEEDED}
    if not cfg.get("sources", "sources"):
        names.pop("sources")
    problems = _config_problems(package, names)
    if problems:
        return problems
    if skip & set(names.values()):
        return []  # an unsafe path: reported by the safety checks
    tables = {role: read_table(package, name) for role, name in names.items()}
    if tables["observations"] is None or tables["indicators"] is None:
        return []  # unreadable: reported by the table checks
    if not set(NEEDED["observations"]) <= set(tables["observations"].columns):
        return []  # a header problem: reported by the table checks
    from misti_data.checks.rules import RULES, Units
    from misti_data.checks.series import observation_frame

    frame = observation_frame(tables["observations"], tables["indicators"], tables.get("sources"),
                              national=str(cfg.get("national_area", "KH")))
    units = Units(percent=tuple(cfg.get("percent_units", ["percent"])), count=tuple(cfg.get("count_units", [])))
    obs = package.resource(names["observations"])
    return run_rules(frame, RULES, units, resource=obs["name"], path=obs.get("path"))


def _config_problems(package: Package, names: dict[str, str]) -> list[Finding]:
    """A declared resource or column that does not exist: the rules cannot run as declared."""
    found = []
    for role, name in names.items():
        res = package.resource(name)
        if res is None:
            found.append(finding("rule-config-error", f"misti_data.indicators names resource {name!r} as {role}, "
                                 "but the package has no such resource", field=f"misti_data.indicators.{role}"))
            continue
        declared = {f.get("name") for f in package.schema(res).get("fields", []) if isinstance(f, dict)}
        missing = [c for c in NEEDED[role] if c not in declared]
        if missing:
            found.append(finding("rule-config-error", f"the domain rules need column(s) {', '.join(missing)} in {name!r}",
                                 resource=name, path=res.get("path")))
    return found


def read_table(package: Package, name: str):
    """A local CSV resource as a polars frame of strings with a `row` column (header = row 1).

    None when the file cannot be read; the table checks report why.
    """
    import polars as pl

    res = package.resource(name)
    file = package.resource_file(res) if res else None
    if file is None:
        return None
    dialect = res.get("dialect") if isinstance(res.get("dialect"), dict) else {}
    encoding = str(res.get("encoding") or "utf-8").lower()
    try:
        text = file.read_bytes().decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
        frame = pl.read_csv(
            io.StringIO(text), infer_schema=False, separator=str(dialect.get("delimiter", ","))[:1] or ",",
            truncate_ragged_lines=True, row_index_name="row", row_index_offset=2,
        )
    except (OSError, LookupError, UnicodeError, ValueError, pl.exceptions.PolarsError):
        return None
    return frame.with_columns(pl.col("row").cast(pl.Int64))


def run_rules(frame, rules, units, **where) -> list[Finding]:
    """Run `rules` on the observation frame as one pandera schema; each failure becomes a finding."""
    import pandera.polars as pa

    by_code = {rule.code: rule for rule in rules}
    checks = defaultdict(list)
    for rule in rules:
        passes = rule.passes(units).fill_null(True)
        checks[rule.field].append(pa.Check(lambda data, e=passes: data.lazyframe.select(e), name=rule.code))
    schema = pa.DataFrameSchema({field: pa.Column(checks=cs, nullable=True) for field, cs in checks.items()})
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as e:
        failures = e.failure_cases.select("check", "index").unique().sort("index", "check")
    else:
        return []
    found = []
    rows = frame[failures["index"]].iter_rows(named=True)
    for code, row in zip(failures["check"], rows, strict=True):
        rule = by_code[code]
        found.append(finding(code, rule.message(row), row=row["row"], field=rule.field,
                             cell=_cell(row[rule.field]), **where))
    # A repeated primary key repeats rows in the joins; the frame is sorted by series, not by row.
    return sorted(set(found), key=lambda f: (f.row, f.code))


def _cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
