"""Progress on stderr for the steps that can take more than 2 s, and only on a terminal.

The library never prints: it calls `package.progress(label, size=...)` around a long step, and
the CLI passes in what this module builds. Piped or with `--quiet`, nothing is shown at all.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

# Reading and typing a table runs at about 35-45 MB/s here (benchmarks/README.md), so a file
# under 64 MB is read in well under 2 s and shows nothing.
BIG = 64 * 1024 * 1024


def progress_for(quiet: bool):
    """A `progress(label, size=bytes)` context manager for Package.progress, or None for none."""
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console

    console = Console(stderr=True)
    showing = threading.Lock()  # rich shows one live line at a time; diff reads both sides at once

    @contextmanager
    def progress(label: str, size: int = 0):
        if size < BIG or not showing.acquire(blocking=False):
            yield
            return
        try:
            with console.status(f"{label}…"):
                yield
        finally:
            showing.release()

    return progress
