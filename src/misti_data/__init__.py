"""misti-data: validate, diff and version Frictionless Data Packages."""

__version__ = "0.1.0"
