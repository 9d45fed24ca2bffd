"""Renderers of what export wrote (an export.ExportResult): one module per format, each with `render(result)`."""
