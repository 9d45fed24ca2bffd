"""Renderers of the catalogue of finding codes: one module per format, each with `render(result)`."""
