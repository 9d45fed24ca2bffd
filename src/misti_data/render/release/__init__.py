"""Renderers of what release wrote (a release.ReleaseResult): one module per format, each with `render(result)`."""
