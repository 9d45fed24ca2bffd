"""The one exception the library raises when it cannot run; the CLI maps it to exit code 2."""


class CannotRun(Exception):
    """The input cannot be read at all (missing file, unreadable JSON, unsafe path, bad option).

    Distinct from invalid data, which is reported as findings and exits 1.
    """
