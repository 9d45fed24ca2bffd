"""Place each figure of a text: which indicator (from the indicators' terms), area, period, quote.

Every figure `values_in` reads is either placed or returned as unplaced with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from misti_data.checks.provenance import quote_problems
from misti_data.draft.publication import MONTHS
from misti_data.prose_figures import QUALIFIER_WORDS, Figure, qualifier_in, values_in

# Where a clause ends: a comma, semicolon, colon or bracket before a space (not "1,571"), a dash,
# a sentence's end, a line break.
_CLAUSE_END = re.compile(r"[,;:()\[\]](?=\s)|\s[—–-]\s|[—–]|[.!?](?=[\"”’)]*(?:\s|$))|\n")
_SENTENCE_END = re.compile(r"[.!?](?=[\"”’)]*(?:\s|$))|\n")
# Case matters: "May 3" is a date, "may 3" is not.
_MONTH_NEAR = re.compile(
    r"(?:" + "|".join(MONTHS) + r")\s*$|^\s*,?\s*(?:" + "|".join(MONTHS) + r")\b"
)
_DURATION_AFTER = re.compile(r"^[\s-]*(?:years?|months?|weeks?|days?|hours?)\b", re.IGNORECASE)
# A time phrase sets the period of the figures it governs; "last year" is read against the date.
_TIME_PHRASE = re.compile(
    r"\b(?:(?:by|at)\s+the\s+end\s+of|in|during|throughout|for|as\s+of)\s+(\d{4})\b"
    r"|\b(?:last|the\s+past|the\s+previous)\s+year\b",
    re.IGNORECASE,
)
_CURRENCY_SIGN = r"(?:US\$|\$|USD\s?)"
_CURRENCY = re.compile(_CURRENCY_SIGN + "$")
# What `#` in a term matches: the figure with the qualifier and currency sign before it.
_FIGURE = (
    r"(?P<fig>(?:(?:"
    + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in QUALIFIER_WORDS)
    + r")\s+)?"
    + _CURRENCY_SIGN
    + r"?\d[\d,.]*(?:\s+(?:thousand|million|billion|trillion|bn)\b)?)"
)


@dataclass(frozen=True)
class Term:
    """One phrase of an indicator's `terms`, compiled."""

    indicator: str
    phrase: str
    pattern: re.Pattern
    bound: bool  # it holds `#`: it names the figure it matches, not its clause's nearest one
    key: str  # its longest word, lower case: a clause without it cannot match (a cheap test first)

    @property
    def strength(self) -> tuple[bool, int]:
        return self.bound, len(self.phrase.replace("#", "").replace("…", ""))


def compile_terms(indicators: dict[str, str]) -> list[Term]:
    """The terms of every indicator ({indicator_id: terms cell}), each phrase compiled once."""
    out = []
    for indicator, cell in indicators.items():
        for phrase in (p.strip() for p in (cell or "").split(";")):
            if phrase:
                key = max(re.findall(r"\w+", phrase.lower()), key=len, default="")
                out.append(Term(indicator, phrase, _phrase_pattern(phrase), "#" in phrase, key))
    return out


def _phrase_pattern(phrase: str) -> re.Pattern:
    parts = []
    for token in re.split(r"(#|…|\.\.\.|\s+)", phrase.strip()):
        if token == "#":
            parts.append(_FIGURE)
        elif token in ("…", "..."):
            parts.append(r".*?")
        elif token.isspace():
            parts.append(r"\s+")
        elif token:
            parts.append(re.escape(token).replace("'", "['’]").replace("’", "['’]"))
    body = "".join(parts)
    body = re.sub(r"(\\s\+)+", r"\\s+", body)
    start = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    end = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return re.compile(start + body + end, re.IGNORECASE)


@dataclass
class Placed:
    figure: Figure
    indicator: str
    area: str
    period: int
    qualifier: str
    quote: str
    term: str
    also_fits: list[str] = field(default_factory=list)


@dataclass
class Unplaced:
    figure: Figure
    text: str  # the figure as printed
    sentence: str
    why: str


@dataclass
class _Match:
    term: Term
    start: int
    end: int


def place_figures(
    text: str, published: dt.date, terms: list[Term], areas: dict[str, list[str]]
) -> tuple[list[Placed], list[Unplaced]]:
    """Every figure of `text`, placed on an indicator or unplaced with why; in the text's order."""
    reading = _Reading(text, published, areas)
    figures = values_in(text)
    kinds = {f.start: _not_a_measure(text, f) for f in figures}
    reading.years = _ended(
        [(f.start, f.end, int(f.value)) for f in figures if kinds[f.start] == "a year"], published
    )
    matches = _matches(text, figures, kinds, reading.clauses, terms)
    placed, unplaced, taken = [], [], {}
    # The figures with the strongest matches choose first: two figures for one indicator, area
    # and period in a text make one row, from the figure its phrase names most surely.
    order = sorted(
        (f for f in figures if not kinds[f.start] and f.start in matches),
        key=lambda f: max(m.term.strength for m in matches[f.start]),
        reverse=True,
    )
    for f in order:
        ranked = _ranked(matches[f.start])
        clause = reading.around(reading.clauses, f.start)
        area, area_span = reading.area(clause)
        year, time_span = reading.period(f, clause)
        left = [m for m in ranked if (m.term.indicator, area, year) not in taken]
        if not left:
            first = ranked[0].term.indicator
            why = f"{first} is already placed from {taken[(first, area, year)]} in this text"
            unplaced.append(reading.unplaced(f, why))
            continue
        best = left[0]
        taken[(best.term.indicator, area, year)] = text[f.start : f.end]
        spans = [(f.start, f.end), (best.start, best.end), area_span, time_span]
        qualifier = reading.qualifier(f)
        placed.append(
            Placed(
                figure=f,
                indicator=best.term.indicator,
                area=area,
                period=year,
                qualifier=qualifier,
                quote=reading.shortest_quote([s for s in spans if s], f, qualifier),
                term=best.term.phrase,
                also_fits=[m.term.indicator for m in left[1:] if m.term.bound == best.term.bound],
            )
        )
    for f in figures:
        if kinds[f.start] or f.start not in matches:
            why = (
                kinds[f.start]
                or "no indicator's terms in its clause (a figure no indicator measures?)"
            )
            unplaced.append(reading.unplaced(f, why))
    placed.sort(key=lambda p: p.figure.start)
    unplaced.sort(key=lambda u: u.figure.start)
    return placed, unplaced


class _Reading:
    """A text cut into clauses and sentences, with its time phrases and area names found once."""

    def __init__(self, text: str, published: dt.date, areas: dict[str, list[str]]):
        self.text, self.published = text, published
        self.clauses = _spans(text, _CLAUSE_END)
        self.sentences = _spans(text, _SENTENCE_END)
        self.times = _ended(
            [(m.start(), m.end(), _phrase_year(m, published)) for m in _TIME_PHRASE.finditer(text)],
            published,
        )
        self.years: list[tuple[int, int, int]] = []
        self.names = {name: code for code, names in areas.items() for name in names}
        longest_first = sorted(self.names, key=len, reverse=True)
        self.area_names = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")
            if self.names
            else None
        )

    @staticmethod
    def around(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
        """The span (of a sorted list) that holds `pos`, or an empty one."""
        i = bisect_right(spans, (pos, float("inf"))) - 1
        return spans[i] if i >= 0 and spans[i][0] <= pos < spans[i][1] else (pos, pos)

    def area(self, clause) -> tuple[str, tuple[int, int] | None]:
        """The province (or municipality) its clause names, else the country."""
        m = self.area_names.search(self.text, *clause) if self.area_names else None
        return (self.names[m.group(0)], m.span()) if m else ("KH", None)

    def period(self, f: Figure, clause) -> tuple[int, tuple[int, int] | None]:
        """The year a figure is for, and the span of the phrase that says so when its clause
        holds it: a time phrase in its clause, else in its sentence (a bare year too), else the
        nearest one before it, else the year before publication."""
        in_clause = _within(self.times, *clause)
        if in_clause:
            s, e, y = min(in_clause, key=lambda t: abs(t[0] - f.start))
            return y, (s, e)
        sentence = self.around(self.sentences, f.start)
        in_sentence = _within(self.times, *sentence) + _within(self.years, *sentence)
        if in_sentence:
            return min(in_sentence, key=lambda t: abs(t[0] - f.start))[2], None
        before = _within(self.times, 0, f.start)[-1:] + _within(self.years, 0, f.start)[-1:]
        if before:
            return max(before)[2], None
        return self.published.year - 1, None

    def qualifier(self, f: Figure) -> str:
        # Read within the sentence: qualifier_in scans all the text it is given before the figure.
        lo = self.around(self.sentences, f.start)[0]
        return qualifier_in(self.text[lo : f.end], replace(f, start=f.start - lo))

    def shortest_quote(self, spans: list[tuple[int, int]], f: Figure, qualifier: str) -> str:
        """The text from the first to the last of `spans`, widened a word at a time to the left
        until the quote check accepts it (a qualifier before the figure); the currency sign goes
        with the figure."""
        text = self.text
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        cur = _CURRENCY.search(text[max(0, lo - 4) : lo])
        if cur:
            lo -= len(cur.group(0))
        row = {"value": f.value, "qualifier": qualifier, "rounded_to": f.rounded_to}
        floor = self.around(self.sentences, f.start)[0]
        while quote_problems(row, text[lo:hi]) and lo > floor:
            lo = text.rfind(" ", floor, lo - 1) + 1 or floor
        return text[lo:hi]

    def unplaced(self, f: Figure, why: str) -> Unplaced:
        lo, hi = self.around(self.sentences, f.start)
        return Unplaced(f, self.text[f.start : f.end], self.text[lo:hi], why)


def _spans(text: str, ends: re.Pattern) -> list[tuple[int, int]]:
    """The text cut at `ends`, as (start, end) spans without the surrounding blanks."""
    out, start = [], 0
    for m in ends.finditer(text):
        out.append(_trimmed(text, start, m.start()))
        start = m.end()
    out.append(_trimmed(text, start, len(text)))
    return [s for s in out if s[1] > s[0]]


def _trimmed(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _not_a_measure(text: str, f: Figure) -> str:
    """Why a figure is no measure at all (a date, a year, a duration), or '' when it may be one."""
    printed = text[f.start : f.end]
    if _MONTH_NEAR.search(text[max(0, f.start - 12) : f.start]) or _MONTH_NEAR.search(
        text[f.end : f.end + 12]
    ):
        return "a date"
    if _DURATION_AFTER.match(text[f.end : f.end + 12]):
        return "a duration"
    if re.fullmatch(r"\d{4}", printed) and 1900 <= f.value <= 2100:
        return "a year"
    return ""


def _matches(text, figures, kinds, clauses, terms) -> dict[int, list[_Match]]:
    """{figure start: the term matches that point to it}. A phrase with `#` points to the figure it
    holds; one without to the nearest figure of its clause that may be a measure."""
    out: dict[int, list[_Match]] = {}
    measures = [f for f in figures if not kinds[f.start]]
    starts = [f.start for f in measures]
    for lo, hi in clauses:
        inside = measures[bisect_left(starts, lo) : bisect_left(starts, hi)]
        if not inside:
            continue
        low = text[lo:hi].lower()
        for term in terms:
            if term.key not in low:
                continue
            for m in term.pattern.finditer(text, lo, hi):
                if term.bound:
                    held = [f for f in inside if m.start("fig") <= f.start < m.end("fig")]
                else:
                    held = [min(inside, key=lambda f: _distance(f, m))]
                for f in held:
                    out.setdefault(f.start, []).append(_Match(term, m.start(), m.end()))
    return out


def _distance(f: Figure, m: re.Match) -> int:
    return max(m.start() - f.end, f.start - m.end(), 0)


def _ranked(matches: list[_Match]) -> list[_Match]:
    """The best match per indicator, best first: a phrase with `#`, then the longer phrase."""
    best: dict[str, _Match] = {}
    for m in matches:
        held = best.get(m.term.indicator)
        if held is None or m.term.strength > held.term.strength:
            best[m.term.indicator] = m
    return sorted(best.values(), key=lambda m: m.term.strength, reverse=True)


def _phrase_year(m: re.Match, published: dt.date) -> int:
    return int(m.group(1)) if m.group(1) else published.year - 1


def _ended(mentions: list[tuple[int, int, int]], published: dt.date) -> list[tuple[int, int, int]]:
    """The (start, end, year) mentions of years that had ended when the text was published
    ("in 0000" is no year)."""
    return [t for t in mentions if 1900 <= t[2] and dt.date(t[2], 12, 31) <= published]


def _within(mentions: list[tuple], lo: int, hi: int) -> list[tuple]:
    """The mentions starting in [lo, hi), from a list sorted by start."""
    return mentions[bisect_left(mentions, (lo,)) : bisect_left(mentions, (hi,))]
