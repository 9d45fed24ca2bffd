"""A file's encoding: whether it is UTF-8, and when a byte is not in the declared encoding, the
encoding-error that names the likely one and says how to fix it.

The advice is asked only once decoding has failed, so charset-normalizer is imported then, never
on the happy path. It looks at the lines around the first bad byte, where the evidence is: over a whole large
file it samples a few chunks and can miss the one non-ASCII character.
"""

from __future__ import annotations

import codecs
import re

from misti_data.findings import Finding
from misti_data.registry import finding
from misti_data.tables.cells import BOM, bom_warning
from misti_data.tables.dialect import Dialect

_WINDOW = 1 << 15  # bytes each side of the bad byte
# Encodings that decode these bytes to the same text are equally right; of them, name the most
# used: Excel on Windows in Western Europe and the Americas writes cp1252, and charset-normalizer
# lists cp1250 first for a file whose only non-ASCII byte is cp1252's ’ (0x92).
_PREFERRED = ("cp1252",)


def is_utf8(encoding: str) -> bool:
    """Whether `encoding` names UTF-8 (with or without BOM), however it is spelled."""
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")


def encoding_error(data: bytes, at: int, lines: int, encoding: str, where: dict) -> Finding:
    """The encoding-error of the byte at `at` of `data`, which starts after `lines` line breaks."""
    line = lines + data.count(b"\n", 0, at) + 1
    advice = encoding_advice(data, at, encoding, where.get("path"))
    return finding(
        "encoding-error",
        f"byte 0x{data[at]:02x} at line {line} is not {encoding}; {advice}",
        **where,
    )


def decode(data: bytes, dialect: Dialect, where: dict) -> tuple[bytes | None, list[Finding]]:
    """The file as UTF-8 without BOM (what polars reads), or None and an encoding-error naming the
    byte, the line and the likely encoding; a UTF-8 BOM is read past, with a warning."""
    encoding = dialect.encoding.lower().replace("_", "-")
    utf8 = is_utf8(encoding)
    found = []
    if utf8 and data.startswith(BOM):
        data = data.removeprefix(BOM)
        if encoding != "utf-8-sig":  # declared: the publisher says readers should expect it
            found.append(bom_warning(data, dialect, where))
    try:
        # ASCII is UTF-8: bytes.isascii takes 5 ms where decoding a 1M-row file takes 60 ms
        text = (data.isascii() or check_utf8(data)) if utf8 else data.decode(encoding)
    except UnicodeDecodeError as e:
        return None, [encoding_error(data, e.start, 0, dialect.encoding, where)]
    except (
        LookupError,
        ValueError,
    ):  # after UnicodeDecodeError, a ValueError too: a name no codec can have, e.g. one with a NUL in it
        return None, [finding("encoding-error", f"unknown encoding {dialect.encoding!r}", **where)]
    return (data if utf8 else text.encode("utf-8")), found


def check_utf8(data: bytes) -> None:
    """Raise UnicodeDecodeError if `data` is not UTF-8, decoding 16 MB at a time: decoding a 5M-row
    file whole made a second copy of it (230 MB) only to throw it away."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view, step = memoryview(data), 1 << 24
    try:
        for start in range(0, len(data), step):
            decoder.decode(view[start : start + step])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        data.decode("utf-8")  # again, whole, for the error's exact position
        raise


def encoding_advice(data: bytes, at: int, declared: str, path: str | None) -> str:
    """One line after `byte 0xNN at line N is not utf-8; `: the likely encoding and how to re-save."""
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "is it a text file?"
    encoding = likely_encoding(data, at)
    label = (
        "an unknown encoding"
        if encoding is None
        else re.sub(r"^cp(125\d)$", r"Windows-\1", encoding)
    )
    if is_utf8(declared) and _mostly_utf8(data):
        # An editor that wrote one character in another encoding: converting the whole file would garble the rest.
        char = (
            f" ({data[at : at + 1].decode(encoding, errors='replace')!r} in {label})"
            if encoding
            else ""
        )
        return f"the rest of the file is UTF-8: retype that character{char} in an editor that saves UTF-8"
    if encoding is None:
        return "re-save it as UTF-8"
    name = path or "FILE"
    iconv = re.sub(r"-(le|be)$", r"\1", encoding)  # iconv spells utf-16-le UTF-16LE
    return f"it looks like {label}: re-save it as UTF-8, e.g. `iconv -f {iconv} -t utf-8 {name} > utf8.tmp && mv utf8.tmp {name}`"


def likely_encoding(data: bytes, at: int) -> str | None:
    """The Python codec name of the encoding the bytes around offset `at` are most likely in."""
    from charset_normalizer import from_bytes

    start = data.rfind(b"\n", 0, max(0, at - _WINDOW)) + 1
    end = data.find(b"\n", at + _WINDOW)
    window = data[start:] if end < 0 else data[start:end]
    # One chunk, the whole window: sampled chunks can all miss the one bad byte, and then a
    # multi-byte codec wins on plain ASCII (the shipped observations.csv in cp1252 read as Big5).
    best = from_bytes(window, steps=1, chunk_size=len(window)).best()
    if best is None:
        return None
    same = [codecs.lookup(e).name for e in best.could_be_from_charset]
    return next((e for e in _PREFERRED if e in same), codecs.lookup(best.encoding).name)


def _mostly_utf8(data: bytes) -> bool:
    """True when the file has UTF-8 characters beyond ASCII besides its bad bytes."""
    return re.search(r"[^\x00-\x7f\ufffd]", data.decode("utf-8", errors="replace")) is not None
