"""Renderers of what site built (a site.SiteResult): one module per format, each with `render(result)`."""
