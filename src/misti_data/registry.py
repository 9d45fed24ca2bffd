"""The registry of finding codes: the table in misti_data.codes, read once, and what reads it.

The table lists each code under the family that raises it (`@check(name)` takes them from there,
and a family that returns another's code fails as it runs), and `finding()` refuses a code the
table lacks, so a typo cannot reach a report. The catalogue
(`misti-data checks`, docs/cli.md) is the table in its order.

A profile (misti_data.profiles) may raise a code's severity, and a code the standard does not ask
for at all (severity None) is reported only under a profile that gives it one. `with_profiles`
applies that to a report's findings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from misti_data.codes import TABLE
from misti_data.findings import ERROR, WARNING, Finding
from misti_data.profiles import PROFILES


@dataclass(frozen=True)
class Code:
    code: str
    severity: str | None  # as the standard has it; None: reported only under a profile
    meaning: str
    # The check families (`tables`: the table reader; `diff`: the diff) that raise it: the table's
    # sections that list it. One, but for a code two raise with one meaning (field-error).
    raised_by: tuple[str, ...]
    profiles: dict[str, str] = field(default_factory=dict)  # profile name -> severity under it


@dataclass(frozen=True)
class Check:
    """A check family: a function of a checks Context, and the codes it raises."""

    name: str
    run: Callable
    codes: tuple[str, ...]

    def __call__(self, context) -> list[Finding]:
        """The family's findings; one whose code another family owns is a bug, raised here."""
        found = self.run(context)
        foreign = sorted({f.code for f in found} - set(self.codes))
        if foreign:
            raise RuntimeError(
                f"check family {self.name!r} raised {', '.join(foreign)}, which misti_data.codes "
                "lists under another family"
            )
        return found


_RANK = {None: 0, WARNING: 1, ERROR: 2}


def _read(table: str) -> dict[str, Code]:
    """{code: Code} of the table's rows, refusing an unknown severity or profile, a profile that
    would lower a severity, or a code listed twice but for the same row under another family."""
    lines = [line for line in table.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].split("|")]
    profiles = header[2:-1]
    if (
        header[:2] != ["code", "standard"]
        or header[-1] != "meaning"
        or set(profiles) - set(PROFILES)
    ):
        raise ValueError(f"the code table's header is {header!r}")
    codes: dict[str, Code] = {}
    raised_by = ""
    for line in lines[1:]:
        if line.startswith("#"):
            raised_by = line[1:].split()[0].rstrip(":")  # `# tables: what the reader finds`
            continue
        code, standard, *raised, meaning = (
            cell.strip() for cell in line.split("|", len(header) - 1)
        )
        severity = None if standard == "-" else standard
        levels = {p: s for p, s in zip(profiles, raised, strict=True) if s != "-"}
        if severity not in (ERROR, WARNING, None) or (severity is None and not levels):
            raise ValueError(f"{code}: severity {standard!r}")
        if any(s not in (ERROR, WARNING) or _RANK[s] <= _RANK[severity] for s in levels.values()):
            raise ValueError(f"{code}: a profile may only raise the severity: {levels!r}")
        row = Code(code, severity, meaning, (raised_by,), levels)
        if code in codes:
            known = codes[code]
            if (
                raised_by in known.raised_by
                or dataclasses.replace(row, raised_by=known.raised_by) != known
            ):
                raise ValueError(f"{code} is listed twice")
            row = dataclasses.replace(known, raised_by=(*known.raised_by, raised_by))
        codes[code] = row
    return codes


CODES: dict[str, Code] = _read(TABLE)


def codes_of(raised_by: str) -> tuple[str, ...]:
    """The codes the table lists under `# raised_by`, in its order; none is a typo."""
    codes = tuple(c.code for c in CODES.values() if raised_by in c.raised_by)
    if not codes:
        raise KeyError(f"misti_data.codes lists no codes under {raised_by!r}")
    return codes


def check(name: str):
    """Make the decorated `f(context) -> list[Finding]` check family `name`; it raises the codes
    the table lists under `# name`."""

    def decorate(run: Callable) -> Check:
        return Check(name, run, codes_of(name))

    return decorate


def finding(code: str, message: str, **where) -> Finding:
    """A finding with the standard's severity for `code` (None: only a profile reports it);
    a code not in the table is a bug."""
    if code not in CODES:
        raise KeyError(f"finding code {code!r} is not registered")
    return Finding(code=code, severity=CODES[code].severity, message=message, **where)


def severity(code: str, profiles: Iterable[str] = ()) -> str | None:
    """`code`'s severity under `profiles`: the strictest of the standard's and theirs."""
    c = CODES[code]
    return max(
        [c.severity] + [c.profiles[p] for p in profiles if p in c.profiles], key=_RANK.__getitem__
    )


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


@dataclass(frozen=True)
class Catalogue:
    """What `misti-data checks` shows: every code of the table."""

    subject: ClassVar[str] = "checks"
    exit_code: ClassVar[int] = 0

    def to_dict(self) -> dict:
        return {
            "ok": True,
            "codes": [
                {
                    "code": c.code,
                    "severity": c.severity,
                    "profiles": dict(c.profiles),
                    "meaning": c.meaning,
                }
                for c in CODES.values()
            ],
        }


def catalogue() -> dict[str, tuple[str, str]]:
    """{code: (severity, meaning)} of every code, in the table's order; the severity is the
    standard's and what a profile makes of it (`warning; error under profile misti-data`)."""
    return {c: (severity_label(c), CODES[c].meaning) for c in CODES}
