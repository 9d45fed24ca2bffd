"""Counts in words, the same in every report: "1 row", "1,250 rows", "a, b, c and 2 more"."""


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def and_more(shown: list[str], total: int, sep: str = ", ") -> str:
    """The items `shown` joined by `sep`, then how many of `total` are not: "a, b, c and 2 more"."""
    rest = total - len(shown)
    return sep.join(shown) + (f" and {rest:,} more" if rest > 0 else "")
