"""Renderers of a draft (a draft.DraftResult): one module per format, each with `render(result)`."""
