"""Renderers of diff's comparison (a diff.PackageDiff): one module per format, each with `render(result)`."""
