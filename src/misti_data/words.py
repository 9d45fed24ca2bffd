"""Counts in words, the same in every report: "1 row", "1,250 rows"."""


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
