"""Renderers: each takes a Report (or a Diff) and returns a string; none prints."""

from __future__ import annotations

import importlib
from types import ModuleType


def renderer(fmt: str) -> ModuleType:
    """The module that renders format `fmt` (text, json, markdown, github, junit): one per format."""
    return importlib.import_module(f"misti_data.render.{fmt}")
