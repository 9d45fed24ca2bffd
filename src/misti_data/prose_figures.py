"""Read the figures a sentence states, as a person would: "1.26 million" is 1260000."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*(thousand|million|billion|trillion|bn)\b)?",
    re.IGNORECASE,
)
# Words that qualify the figure right after them; order matters ("more than" before "than").
_QUALIFIERS = [
    ("more_than", ("more than", "over", "above", "exceeding", "in excess of")),
    (
        "approximately",
        ("approximately", "about", "around", "roughly", "some", "nearly", "almost", "close to"),
    ),
]
QUALIFIER_WORDS = tuple(w for _, words in _QUALIFIERS for w in words)


@dataclass(frozen=True)
class Figure:
    value: float
    start: int  # where the figure begins in the text: what a qualifier before it applies to
    # The power of ten the printed figure is rounded to ("556 million": 1000000), or None when
    # every digit is printed. Only a scale word drops digits: "131,000" may well be exact.
    rounded_to: int | None = None
    end: int = 0  # where the figure (with its scale word) ends: what a quote must reach


def values_in(text: str) -> list[Figure]:
    """Every figure in `text`, scaled by a following "million"/"billion"; commas group thousands."""
    found = []
    for m in _NUMBER.finditer(text):
        whole, frac, scale = m.groups()
        value = float(whole.replace(",", "") + (frac or ""))
        rounded_to = None
        if scale:
            value *= _SCALES[scale.lower()]
            step = _SCALES[scale.lower()] / 10 ** (len(frac) - 1 if frac else 0)
            rounded_to = int(step) if step >= 10 else None
        found.append(Figure(round(value, 6), m.start(), rounded_to, m.end()))
    return found


def qualifier_in(text: str, figure: Figure) -> str:
    """How `text` qualifies `figure`: 'more_than', 'approximately' or 'exact' (no qualifier)."""
    before = text[: figure.start].rstrip().lower()
    before = re.sub(r"(us\$|\$|usd)$", "", before).rstrip()
    for name, words in _QUALIFIERS:
        if any(re.search(rf"(?<![\w]){re.escape(w)}$", before) for w in words):
            return name
    return "exact"
