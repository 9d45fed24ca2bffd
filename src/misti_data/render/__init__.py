"""Renderers: each takes a Report (or a Diff) and returns a string; none prints."""
