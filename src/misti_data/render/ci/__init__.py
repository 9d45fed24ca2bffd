"""Renderers of the CI gate's result (a gate.GateResult): one module per format, each with `render(result)`."""
