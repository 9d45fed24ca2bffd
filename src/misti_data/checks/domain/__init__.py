"""Domain rules of an indicator package, run as polars expressions and reported as findings.

Switched on by the package itself, never by its name: `misti_data.indicators` in datapackage.json
names the resources the rules read and the units they treat as percentages and counts:

    "misti_data": {"indicators": {
        "indicators": "indicators", "observations": "observations", "sources": "sources",
        "national_area": "KH", "percent_units": ["percent"], "count_units": ["factories", "persons"]}}

Each rule is a row-wise polars expression (rules.py here) run as a pandera check, so pandera's
lazy validation collects every failing row and its failure cases become our findings. pandera is
imported only here, for a package that declares the rules, and as a polars-only install imports
it (`polars_only`: 0.3 s, where numpy, pandas and hypothesis, when installed, added 0.5-1.5 s);
other packages never pay it. The tables come typed from the one reader,
so a TSV or a `header: false` table is read as the table checks read it.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from contextlib import contextmanager

from misti_data.findings import Finding
from misti_data.registry import check, finding
from misti_data.settings import config_problems
from misti_data.tables import ROW
from misti_data.values import show_value

# The columns each table must declare for the rules to run.
NEEDED = {
    "observations": (
        "indicator_id",
        "period",
        "period_end",
        "area",
        "value",
        "qualifier",
        "source_id",
    ),
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
    problems = config_problems(
        "rule-config-error",
        package,
        "misti_data.indicators",
        "the domain rules need",
        [(role, name, NEEDED[role]) for role, name in names.items()],
    )
    if problems:
        return problems
    if context.unsafe & set(names.values()):
        return []  # an unsafe path: reported by the safety checks
    tables = {role: _frame(context, name) for role, name in names.items()}
    if tables["observations"] is None or tables["indicators"] is None:
        return []  # unreadable: reported by the table checks
    if not set(NEEDED["observations"]) <= set(tables["observations"].columns):
        return []  # a header problem: reported by the table checks
    from misti_data.checks.domain.rules import RULES, Units
    from misti_data.checks.domain.series import observation_frame

    frame = observation_frame(
        tables["observations"],
        tables["indicators"],
        tables.get("sources"),
        national=str(cfg.get("national_area", "KH")),
    )
    units = Units(
        percent=tuple(cfg.get("percent_units", ["percent"])),
        count=tuple(cfg.get("count_units", [])),
    )
    obs = package.resource(names["observations"])
    return run_rules(frame, RULES, units, resource=obs["name"], path=obs.get("path"))


def _frame(context, name: str):
    """The typed table `name` with its row number as `row`, or None when it was not read."""
    table = context.table(name)
    if table is None or not table.readable:
        return None
    return table.frame.drop("row", strict=False).rename({ROW: "row"})


def run_rules(frame, rules, units, **where) -> list[Finding]:
    """Run `rules` on the observation frame as one pandera schema; each failing row becomes a finding.

    pandera is imported here, so only a package that declares domain rules pays for it.
    """
    with polars_only():
        return _run_rules(frame, rules, units, **where)


def _run_rules(frame, rules, units, **where) -> list[Finding]:
    import pandera.polars as pa

    by_code = {rule.code: rule for rule in rules}
    checks = defaultdict(list)
    for rule in rules:
        passes = rule.passes(units).fill_null(True)
        checks[rule.field].append(
            pa.Check(lambda data, e=passes: data.lazyframe.select(e), name=rule.code)
        )
    schema = pa.DataFrameSchema(
        {name: pa.Column(checks=cs, nullable=True) for name, cs in checks.items()}
    )
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
        found.append(
            finding(
                code,
                rule.message(row),
                row=row["row"],
                field=rule.field,
                cell=None
                if row[rule.field] is None
                else show_value(row[rule.field], group_from=None),
                **where,
            )
        )
    # A repeated primary key repeats rows in the joins; the frame is sorted by series, not by row.
    return sorted(set(found), key=lambda f: (f.row, f.code))


# What pandera imports when it is installed, and its polars API never uses: numpy (0.15 s), pandas (0.5-1.4 s with
# numpy and pyarrow.compute, at import and again at validation, through pandera.api.pandas.types)
# and hypothesis (0.3-0.5 s, for its data synthesis strategies).
_NOT_FOR_POLARS = ("pandas", "numpy", "hypothesis")


class _Absent:
    """A meta-path finder that says the modules it names are not installed."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


@contextmanager
def polars_only():
    """pandera as a polars-only install runs it: while the rules are imported and run, pandas and
    hypothesis (when not imported already) are reported missing, which pandera handles as an
    install without them (its polars API needs neither). So the rules cost the same whether or
    not pandas is installed, as it is for most data users."""
    names = tuple(n for n in _NOT_FOR_POLARS if n not in sys.modules)
    if not names:
        yield
        return
    blocker = _Absent(names)
    sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        sys.meta_path.remove(blocker)


def pandera_polars():
    """`pandera.polars`, imported as a polars-only install imports it (see polars_only)."""
    with polars_only():
        import pandera.polars as pa
    return pa
