"""The gate as GitHub workflow commands: each finding on its CSV line, version errors on the descriptor."""

from __future__ import annotations

import posixpath

from misti_data.gate import GateResult
from misti_data.render import github
from misti_data.render.common import DESCRIPTOR_FILE


def render(result: GateResult) -> str:
    base = github.package_folder(result.report.package)
    lines = github.annotations(result.report)
    descriptor = posixpath.join(base, DESCRIPTOR_FILE) if base else DESCRIPTOR_FILE
    lines += [github.annotation(f, base) for f in result.advice.findings]
    lines += [f"::error file={github.escape_property(descriptor)},title=version::{github.escape_data(e)}" for e in result.advice.errors]
    lines.append(f"gate {'passed' if result.ok else 'failed'}: {len(result.report.findings)} validation findings, "
                 f"version {result.advice.declared_version} (required {result.advice.required_version})")
    return "\n".join(lines) + "\n"
