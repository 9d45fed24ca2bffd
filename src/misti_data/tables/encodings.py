"""What to do with a file that is not in its declared encoding: name the likely one, say how to fix it.

Asked only once decoding has failed, so charset-normalizer is imported then, never on the happy
path. It looks at the lines around the first bad byte, where the evidence is: over a whole large
file it samples a few chunks and can miss the one non-ASCII character.
"""

from __future__ import annotations

import codecs
import re

_WINDOW = 1 << 15  # bytes each side of the bad byte
# Encodings that decode these bytes to the same text are equally right; of them, name the most
# used: Excel on Windows in Western Europe and the Americas writes cp1252, and charset-normalizer
# lists cp1250 first for a file whose only non-ASCII byte is cp1252's ’ (0x92).
_PREFERRED = ("cp1252",)


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
    if declared.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig") and _mostly_utf8(data):
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
