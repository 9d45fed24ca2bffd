"""Domain rules of an indicator package, run as polars expressions and reported as findings.

Switched on by the package itself, never by its name: `misti_data.indicators` in datapackage.json
names the resources the rules read and the units they treat as percentages and counts:

    "misti_data": {"indicators": {
        "indicators": "indicators", "observations": "observations", "sources": "sources",
        "national_area": "KH", "percent_units": ["percent"], "count_units": ["factories", "persons"]}}

Each rule is a row-wise polars expression (checks/rules.py) run as a pandera check, so pandera's
lazy validation collects every failing row and its failure cases become our findings. `import
pandera.polars` is slow (it imports pandas; benchmarks/README.md), so it happens only here, for a
package that declares the rules; other packages never pay it. The tables come typed from the one reader,
so a TSV or a `header: false` table is read as the table checks read it.
"""

from __future__ import annotations

from collections import defaultdict

from misti_data.findings import Finding
from misti_data.registry import check, finding
from misti_data.tables import ROW
from misti_data.values import show_value

# The columns each table must declare for the rules to run.
NEEDED = {
    "observations": ("indicator_id", "period", "period_end", "area", "value", "qualifier", "source_id"),
    "indicators": ("indicator_id", "unit", "measure", "of_indicator"),
    "sources": ("source_id", "published"),
}


@check("domain")
def check_domain(context) -> list[Finding]:
    """Findings of every domain rule, or none when the package declares no rules."""
    cfg = context.settings.indicators
    if cfg is None:
        return []
    package = context.package
    names = {role: cfg.get(role, role) for role in NEEDED}
    if not cfg.get("sources", "sources"):
        names.pop("sources")
    problems = _config_problems(package, names)
    if problems:
        return problems
    if context.unsafe & set(names.values()):
        return []  # an unsafe path: reported by the safety checks
    tables = {role: _frame(context, name) for role, name in names.items()}
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


def _config_problems(package, names: dict[str, str]) -> list[Finding]:
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


def _frame(context, name: str):
    """The typed table `name` with its row number as `row`, or None when it was not read."""
    table = context.table(name)
    if table is None or table.frame is None:
        return None
    return table.frame.drop("row", strict=False).rename({ROW: "row"})


def run_rules(frame, rules, units, **where) -> list[Finding]:
    """Run `rules` on the observation frame as one pandera schema; each failing row becomes a finding.

    pandera is imported here, so only a package that declares domain rules pays for it.
    """
    import pandera.polars as pa

    by_code = {rule.code: rule for rule in rules}
    checks = defaultdict(list)
    for rule in rules:
        passes = rule.passes(units).fill_null(True)
        checks[rule.field].append(pa.Check(lambda data, e=passes: data.lazyframe.select(e), name=rule.code))
    schema = pa.DataFrameSchema({name: pa.Column(checks=cs, nullable=True) for name, cs in checks.items()})
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
                             cell=None if row[rule.field] is None else show_value(row[rule.field], group_from=None), **where))
    # A repeated primary key repeats rows in the joins; the frame is sorted by series, not by row.
    return sorted(set(found), key=lambda f: (f.row, f.code))
