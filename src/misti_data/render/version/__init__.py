"""Renderers of version's advice (a version.VersionAdvice): one module per format, each with `render(result)`."""
