"""Refuse resource and schema paths that leave the package, before anything reads them."""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.package import Package, path_problem, special_file
from misti_data.registry import check, finding

_HINT = {"remote-path": "--allow-remote", "outside-path": "--allow-outside"}


@check("safety")
def check_safety(context) -> list[Finding]:
    return unsafe_paths(context.package)[0]


def unsafe_paths(package: Package) -> tuple[list[Finding], set[str]]:
    """Findings for unsafe paths, and the names of resources that must not be read."""
    findings, unsafe = [], set()
    for i, res in enumerate(package.resources):
        name = res.get("name") or f"#{i + 1}"
        paths = res.get("path")
        paths = paths if isinstance(paths, list) else [paths]
        refs = [("path", p) for p in paths if isinstance(p, str)]
        refs += [(key, res[key]) for key in ("schema", "dialect") if isinstance(res.get(key), str)]
        for key, path in refs:
            problem = path_problem(package, path)
            if problem:
                unsafe.add(name)
                why = (
                    f"pass {_HINT[problem]} to allow it"
                    if problem in _HINT
                    else f"it is {special_file(package.base / path)}, not a regular file"
                    if problem == "special-file"
                    else "no file can have that name"
                )
                findings.append(
                    finding(
                        problem,
                        f"resource {name!r} {key} {path!r} was not read; {why}",
                        resource=name,
                        path=path,
                    )
                )
    return findings, unsafe
