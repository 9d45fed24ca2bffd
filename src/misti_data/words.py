"""Counts in words, the same in every report: "1 row", "1,250 rows", "a, b, c and 2 more"; text from
files made safe to print."""

import re

# C0/C1 controls (an escape sequence can recolour or clear a terminal) and the bidirectional overrides
# that reorder what a reader sees ("Trojan Source"): shown as Python escapes, e.g. \x1b.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def printable(text: str) -> str:
    """`text` with control and bidi characters written as escapes (a path or cell named by a file, shown on a terminal)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def and_more(shown: list[str], total: int, sep: str = ", ") -> str:
    """The items `shown` joined by `sep`, then how many of `total` are not: "a, b, c and 2 more"."""
    rest = total - len(shown)
    return sep.join(shown) + (f" and {rest:,} more" if rest > 0 else "")
