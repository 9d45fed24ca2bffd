"""The one registry of finding codes: each with its severity, its meaning, and what finds it.

Check families register with `@check(...)`: one function of a `Context` returning findings, and
the codes it may report. The table reader and the diff register the codes they report with
`register(...)`. The catalogue (`misti-data checks`, the README table) is read from here, and
`finding()` refuses a code that was never registered, so a typo cannot reach a report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from misti_data.findings import ERROR, WARNING, Finding


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    meaning: str
    found_by: str


@dataclass(frozen=True)
class Check:
    """A check family: a function of a checks Context, and the codes it reports."""

    name: str
    run: Callable
    codes: tuple[str, ...]


CODES: dict[str, Code] = {}
CHECKS: dict[str, Check] = {}


def register(found_by: str, *codes: tuple[str, str, str]) -> tuple[str, ...]:
    """Register (code, severity, meaning) entries reported by `found_by`; return their codes."""
    for code, severity, meaning in codes:
        if severity not in (ERROR, WARNING):
            raise ValueError(f"{code}: severity {severity!r}")
        known = CODES.get(code)
        if known is not None and known.found_by != found_by:
            raise ValueError(f"{code} is already registered by {known.found_by}")
        CODES[code] = Code(code, severity, meaning, found_by)
    return tuple(c[0] for c in codes)


def check(name: str, *codes: tuple[str, str, str], reports: tuple[str, ...] = ()):
    """Register the decorated `f(context) -> list[Finding]` as check family `name`.

    `codes` are registered here; `reports` names codes registered elsewhere (by the table reader)
    that this family passes on.
    """

    def decorate(run: Callable) -> Callable:
        own = register(name, *codes)
        CHECKS[name] = Check(name, run, own + tuple(reports))
        return run

    return decorate


def finding(code: str, message: str, **where) -> Finding:
    """A finding with the registry's severity for `code`; an unregistered code is a bug."""
    if code not in CODES:
        import misti_data.checks  # noqa: F401  (registers every family, in case one is not loaded yet)
    if code not in CODES:
        raise KeyError(f"finding code {code!r} is not registered")
    severity = CODES[code].severity
    return Finding(code=code, severity=severity, message=message, **where)
