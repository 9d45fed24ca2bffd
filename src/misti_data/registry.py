"""The one registry of finding codes: each with its severity, its meaning, and what finds it.

Check families register with `@check(...)`: one function of a `Context` returning findings, and
the codes it may report. The table reader and the diff register the codes they report with
`register(...)`. The catalogue (`misti-data checks`, the README table) is read from here, and
`finding()` refuses a code that was never registered, so a typo cannot reach a report.

A code's severity is the standard's (MUST: error, SHOULD: warning); a profile (misti_data.profiles)
may raise it, and a code the standard does not ask for at all (severity None) is reported only
under a profile that gives it one. `with_profiles` applies that to a report's findings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from misti_data.findings import ERROR, WARNING, Finding
from misti_data.profiles import PROFILES


@dataclass(frozen=True)
class Code:
    code: str
    severity: str | None  # as the standard has it; None: reported only under a profile
    meaning: str
    found_by: str
    profiles: dict[str, str] = field(default_factory=dict)  # profile name -> severity under it


@dataclass(frozen=True)
class Check:
    """A check family: a function of a checks Context, and the codes it reports."""

    name: str
    run: Callable
    codes: tuple[str, ...]


_RANK = {None: 0, WARNING: 1, ERROR: 2}
CODES: dict[str, Code] = {}
CHECKS: dict[str, Check] = {}


def register(found_by: str, *codes: tuple) -> tuple[str, ...]:
    """Register (code, severity, meaning[, {profile: severity}]) entries reported by `found_by`;
    return their codes."""
    for code, severity, meaning, *more in codes:
        profiles = more[0] if more else {}
        if severity not in (ERROR, WARNING, None) or (severity is None and not profiles):
            raise ValueError(f"{code}: severity {severity!r}")
        if any(p not in PROFILES or s not in (ERROR, WARNING) or _RANK[s] <= _RANK[severity] for p, s in profiles.items()):
            raise ValueError(f"{code}: a profile may only raise the severity: {profiles!r}")
        known = CODES.get(code)
        if known is not None and known.found_by != found_by:
            raise ValueError(f"{code} is already registered by {known.found_by}")
        CODES[code] = Code(code, severity, meaning, found_by, dict(profiles))
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
    """A finding with the standard's severity for `code` (None: only a profile reports it);
    an unregistered code is a bug."""
    if code not in CODES:
        import misti_data.checks  # noqa: F401  (registers every family, in case one is not loaded yet)
    if code not in CODES:
        raise KeyError(f"finding code {code!r} is not registered")
    severity = CODES[code].severity
    return Finding(code=code, severity=severity, message=message, **where)


def severity(code: str, profiles: Iterable[str] = ()) -> str | None:
    """`code`'s severity under `profiles`: the strictest of the standard's and theirs."""
    c = CODES[code]
    return max([c.severity] + [c.profiles[p] for p in profiles if p in c.profiles], key=_RANK.__getitem__)


def with_profiles(findings: list[Finding], profiles: Iterable[str]) -> list[Finding]:
    """The findings at their severity under `profiles`; those no profile asks for are dropped."""
    profiles = tuple(profiles)
    out = []
    for f in findings:
        level = severity(f.code, profiles)
        if level is not None:
            out.append(f if level == f.severity else dataclasses.replace(f, severity=level))
    return out


def severity_label(code: str) -> str:
    """How the catalogue shows `code`'s severity: `warning; error under profile misti-data`."""
    c = CODES[code]
    raised = "; ".join(f"{s} under profile {p}" for p, s in c.profiles.items())
    if c.severity is None:
        return f"{raised} (not checked otherwise)"
    return f"{c.severity}; {raised}" if raised else c.severity
