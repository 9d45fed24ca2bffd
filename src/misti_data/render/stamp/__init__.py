"""Renderers of what stamp updated (a stamp.StampResult): one module per format, each with `render(result)`."""
