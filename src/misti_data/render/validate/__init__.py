"""Renderers of validate's report (a findings.Report): one module per format, each with `render(result)`."""
